"""A learned AGENCY body-type classifier: logistic regression over the mention's characters and suffixes.

Why learned: the ordered rules of :func:`fazhi_ner.links.linker.body_type` were written while reading all
five real reports, so their 1.000 there is no held-out figure, and on the synthetic corpus (written later) they
reach 0.881: new names (镇党政联席会议, 县政府法制办, 县融媒体中心, 派出所 …) fall between rules. A body type
is told by the mention's last characters (局, 中心, 常委会) qualified by what comes before (融媒体中心 is media,
法律援助中心 a legal-service centre), which a linear model over suffixes and character n-grams learns from the
links annotators made, plus the names, examples and definition terms of ``body_types.yaml``.

Hyper-parameters (suffixes up to 4 characters, C=10, taxonomy items weighted 3 and 2) were chosen by grouped
cross-validation over the synthetic corpus (six folds, one per writer agent), never on the real reports.
Trained with scikit-learn (installed with sklearn-crfsuite); prediction is a plain dot product, so linking
needs no scikit-learn call.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fazhi_ner.links.taxonomy import Taxonomy

C = 10.0
MAX_SUFFIX = 4
NAME_WEIGHT = 3
DEFINITION_WEIGHT = 2
MAX_ITER = 500
_TERMS = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass(frozen=True)
class BodyExample:
    """One AGENCY mention and its body type; ``weight`` > 1 for the taxonomy's own text."""

    text: str
    link: str
    weight: int = 1


def body_features(text: str) -> dict[str, float]:
    """Suffixes (1-4 characters), character unigrams and bigrams, and the length (capped) of a mention."""
    feats: dict[str, float] = {}
    for k in range(1, MAX_SUFFIX + 1):
        if len(text) >= k:
            feats["E:" + text[-k:]] = 1.0
    for char in text:
        feats["C:" + char] = feats.get("C:" + char, 0.0) + 1.0
    for a, b in zip(text, text[1:], strict=False):
        feats["D:" + a + b] = feats.get("D:" + a + b, 0.0) + 1.0
    feats[f"N:{min(len(text), 8)}"] = 1.0
    return feats


@dataclass(frozen=True)
class BodyModel:
    """Weights of a multinomial logistic regression: one row of ``weights`` per feature, one column per class."""

    classes: tuple[str, ...]
    index: dict[str, int]
    weights: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    def predict(self, text: str) -> tuple[str, float]:
        scores = list(self.intercept)
        for feat, value in body_features(text).items():
            row = self.index.get(feat)
            if row is None:
                continue
            for c, w in enumerate(self.weights[row]):
                scores[c] += value * w
        top = max(scores)
        best = scores.index(top)
        total = sum(math.exp(s - top) for s in scores)
        return self.classes[best], 1.0 / total


def taxonomy_body_examples(taxonomy: Taxonomy, *, exclude_text: str | None = None) -> list[BodyExample]:
    """Each body type's Chinese name, quoted examples and definition terms as weighted training items.

    Quotes found in ``exclude_text`` (the held-out report in LODO) are skipped: they come from the seeds."""
    out = []
    for body in taxonomy.body_types.values():
        out.append(BodyExample(body.name_zh, body.id, NAME_WEIGHT))
        out.extend(
            BodyExample(quote, body.id, NAME_WEIGHT)
            for quote in body.examples
            if exclude_text is None or quote not in exclude_text
        )
        out.extend(BodyExample(term, body.id, DEFINITION_WEIGHT) for term in _TERMS.findall(body.definition))
    return out


def body_examples(records: Iterable[object]) -> list[BodyExample]:
    """AGENCY link records (gold or synthetic) as training items."""
    return [BodyExample(r.text, r.link) for r in records if r.label == "AGENCY"]  # type: ignore[attr-defined]


def train_bodies(examples: Sequence[BodyExample]) -> BodyModel:
    """Fit the logistic regression (lbfgs, deterministic) and keep its weights as plain tuples."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len({e.link for e in examples}) < 2:
        raise ValueError("cannot train a body-type model on fewer than two body types")
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform([body_features(e.text) for e in examples])
    weights = np.array([e.weight for e in examples], dtype=float)
    model = LogisticRegression(C=C, max_iter=MAX_ITER).fit(matrix, [e.link for e in examples], sample_weight=weights)
    coef = model.coef_.T  # features × classes
    if coef.shape[1] == 1:  # binary: scikit-learn keeps one column, for the second class
        coef = np.hstack([-coef / 2, coef / 2])
        intercept = [-model.intercept_[0] / 2, model.intercept_[0] / 2]
    else:
        intercept = list(model.intercept_)
    return BodyModel(
        classes=tuple(str(c) for c in model.classes_),
        index={name: i for i, name in enumerate(vectorizer.get_feature_names_out())},
        weights=tuple(tuple(float(w) for w in row) for row in coef),
        intercept=tuple(float(b) for b in intercept),
    )
