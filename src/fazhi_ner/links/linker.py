"""The link baseline: a lexical Naive Bayes linker for INDICATOR metric ids, a learned model for AGENCY body types.

Why these: the metric of an INDICATOR is mostly told by its verb/noun phrase and the words just
before it (``受理行政复议案件16件``, ``…案件22件,已[[办结18件]]``), so character n-grams of the span
and of its left context, plus the unit of the value, carry most of the signal. Pure Python, trains in
about a second, so ``link_spans`` can be called on any tagged report (``fazhi tag`` output).

Most metric ids occur in only one of the five reports, so a held-out report mostly needs ids the training
links never showed: the taxonomy's own text and the synthetic corpus' links carry them. Each metric contributes
its name, its quoted examples and the Chinese terms of its definition as weighted training items, and
span/context n-grams are also emitted without their position prefix (``X:``) so that a term of the taxonomy
matches wherever it appears around the number.

How the settings were chosen. ``lexical-nb-2``'s taxonomy weights (6 and 3) were chosen by the LODO accuracy
over the real reports (a small grid), which flatters that figure a little. ``lexical-nb-3`` adds the bigrams of
the two clauses before the span, counts the span's own n-grams ``SPAN_WEIGHT`` times, ignores features unseen in
training and sets ``ALPHA``; each was chosen by grouped cross-validation over the synthetic corpus (six folds,
one per writer agent, training on the real gold and the other writers' links), not by the real-report LODO
score, which was computed once per change to report it. Tried and dropped there: the phrase before the number as
one feature, section headings, character trigrams, jieba words, a uniform prior, a bonus when the metric's
unit_kind matches the reading's kind (no change: the unit features already tell), complement NB and a logistic
regression (as accurate, 20-40 s to train). A weight on the real links above the synthetic ones was checked by
nested LODO (inner folds over the other four reports): 1 won in every fold.

AGENCY body types come from :mod:`fazhi_ner.links.body_model` (trained on the real and synthetic AGENCY links);
:func:`body_type`, the ordered rules written while reading the five reports, is the fallback for a model
trained without it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Protocol

from fazhi_ner.links.body_model import BodyModel, body_examples, taxonomy_body_examples, train_bodies
from fazhi_ner.links.taxonomy import OTHER, Taxonomy, load_taxonomy

VERSION = "lexical-nb-3"
LEFT_WINDOW = 14
LEFT_CONTEXT = LEFT_WINDOW * 5  # characters of left context handed to :func:`features`
ALPHA = 0.03
SPAN_WEIGHT = 3
TAXONOMY_WEIGHT = 6
DEFINITION_WEIGHT = 3
TRAINING_SOURCES = ("gold", "synthetic")  # synthetic adds nothing until annotation/synthetic/links/ exists
_TERMS = re.compile(r"[\u4e00-\u9fff]{2,}")


class SpanLike(Protocol):
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class LinkPrediction:
    """The predicted link of one span; ``link`` is None for labels without a taxonomy (INITIATIVE)."""

    start: int
    end: int
    label: str
    text: str
    link: str | None
    score: float


@dataclass(frozen=True)
class Example:
    """One training item: an INDICATOR text, its left context and its metric id."""

    text: str
    left: str
    link: str
    weight: int = 1


_DIGITS = re.compile(
    r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二三四五六七八九十百千万亿两]+(?=[个件次项名人户场份条家]|余|多)"
)
_CLAUSE = re.compile(r"[,，。;；:：、!！?？\n]")


def _normal(text: str) -> str:
    return _DIGITS.sub("#", text)


def _grams(text: str, prefix: str) -> list[str]:
    chars = [c for c in text if not c.isspace()]
    out = [prefix + c for c in chars if c != "#"]
    out += [prefix + a + b for a, b in zip(chars, chars[1:], strict=False)]
    return out


def features(text: str, left: str) -> list[str]:
    """Span n-grams, left-context n-grams (current clause; the two before it, as bigrams) and the unit."""
    from fazhi_ner.indicators import read_indicator

    span = _normal(text)
    feats = _grams(span, "S:")
    clauses = _CLAUSE.split(_normal(left[-LEFT_WINDOW * 3 :]))
    current = clauses[-1][-LEFT_WINDOW:] if clauses else ""
    previous = clauses[-2][-LEFT_WINDOW:] if len(clauses) > 1 else ""
    wider = _CLAUSE.split(_normal(left[-LEFT_CONTEXT:]))
    before = wider[-3][-LEFT_WINDOW:] if len(wider) > 2 else ""
    feats += _grams(current, "L:")
    if len(span.replace("#", "")) <= 3:  # a bare fragment (113人, 办结16件) takes its subject from before
        feats += _grams(previous, "P:")
    feats += ["X:" + f[2:] for f in feats if f[:2] in ("S:", "L:") and len(f) > 3]  # position-free bigrams
    # the clauses before tell the topic (…行政复议案件22件,已办结18件): their bigrams, each clause its own prefix
    feats += ["Q:" + f[2:] for f in _grams(previous, "P:") if len(f) > 3]
    feats += ["R:" + f[2:] for f in _grams(before, "P:") if len(f) > 3]
    # the span's own words decide between neighbours of one topic (收到申请43件,[[受理39件]]): counted SPAN_WEIGHT times
    feats += [f for f in feats if f[:2] == "S:"] * (SPAN_WEIGHT - 1)
    reading = read_indicator(text)
    feats.append(f"U:{reading.unit}")
    feats.append(f"K:{reading.kind}")
    return feats


@dataclass(frozen=True)
class Model:
    """Multinomial Naive Bayes counts for metric ids (built by :func:`train`), and the learned body-type model
    (``bodies``; None falls back to the :func:`body_type` rules)."""

    classes: tuple[str, ...]
    log_prior: dict[str, float]
    log_likelihood: dict[str, dict[str, float]]
    log_unseen: dict[str, float]
    vocabulary: frozenset[str] = frozenset()
    bodies: BodyModel | None = None

    def predict(self, text: str, left: str) -> tuple[str, float]:
        return self.predict_many([(text, left)])[0]

    def predict_many(self, items: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        """Metric ids of many (text, left) pairs in one sparse product: a report's INDICATORs at once.

        A feature no training item had says nothing about the class, so it is dropped; scoring it with each
        class's unseen mass would favour the classes with the fewest training items (grouped CV on the synthetic
        corpus: 0.838 without, 0.829 with, measured before SPAN_WEIGHT)."""
        import numpy as np
        from scipy.sparse import csr_matrix

        if not items:
            return []
        index, deltas = self.sparse
        rows, cols, counts = [], [], []
        for row, (text, left) in enumerate(items):
            for feat, n in Counter(features(text, left)).items():
                col = index.get(feat)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
                    counts.append(float(n))
        x = csr_matrix((counts, (rows, cols)), shape=(len(items), len(index)))
        prior = np.array([self.log_prior[c] for c in self.classes])
        unseen = np.array([self.log_unseen[c] for c in self.classes])
        scores = (x @ deltas).toarray() + prior + np.asarray(x.sum(axis=1)) * unseen
        best = scores.argmax(axis=1)  # classes are sorted: ties go to the first id
        top = scores[np.arange(len(items)), best]
        totals = np.exp(scores - top[:, None]).sum(axis=1)
        return [(self.classes[b], float(1.0 / t)) for b, t in zip(best, totals, strict=True)]

    @cached_property
    def sparse(self) -> tuple[dict[str, int], object]:
        """Feature index and a (features × classes) sparse matrix of log-likelihood minus the class's unseen mass
        (zero where a class never saw the feature)."""
        from scipy.sparse import csr_matrix

        index = {feat: i for i, feat in enumerate(sorted(self.vocabulary))}
        rows, cols, values = [], [], []
        for c, name in enumerate(self.classes):
            unseen = self.log_unseen[name]
            for feat, value in self.log_likelihood[name].items():
                rows.append(index[feat])
                cols.append(c)
                values.append(value - unseen)
        return index, csr_matrix((values, (rows, cols)), shape=(len(index), len(self.classes)))


def taxonomy_examples(taxonomy: Taxonomy, *, exclude_text: str | None = None) -> list[Example]:
    """Names, quoted examples and definition terms of every metric as weak training items.

    Quotes found in ``exclude_text`` (the held-out report in LODO) are skipped.
    """
    out = []
    for metric in taxonomy.metrics.values():
        out.append(Example(metric.name_zh, "", metric.id, TAXONOMY_WEIGHT))
        for quote in metric.examples:
            if exclude_text is not None and quote in exclude_text:
                continue
            out.append(Example(quote, "", metric.id, TAXONOMY_WEIGHT))
        out.extend(Example(term, "", metric.id, DEFINITION_WEIGHT) for term in _TERMS.findall(metric.definition))
    return out


def train(examples: Iterable[Example], *, alpha: float = ALPHA) -> Model:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    docs: Counter[str] = Counter()
    vocabulary: set[str] = set()
    for ex in examples:
        feats = features(ex.text, ex.left)
        for _ in range(ex.weight):
            counts[ex.link].update(feats)
        docs[ex.link] += ex.weight
        vocabulary.update(feats)
    if not docs:
        raise ValueError("cannot train a linker on no examples")
    n_docs, size = sum(docs.values()), len(vocabulary)
    classes = tuple(sorted(docs))
    log_prior = {c: math.log(docs[c] / n_docs) for c in classes}
    likelihood: dict[str, dict[str, float]] = {}
    unseen: dict[str, float] = {}
    for c in classes:
        denominator = sum(counts[c].values()) + alpha * size
        likelihood[c] = {f: math.log((n + alpha) / denominator) for f, n in counts[c].items()}
        unseen[c] = math.log(alpha / denominator)
    return Model(classes, log_prior, likelihood, unseen, frozenset(vocabulary))


# Ordered: the first pattern that matches the mention (or, for bare 常委会, its left context) wins.
_BODY_RULES: tuple[tuple[str, str], ...] = (
    (r"依法治.{0,3}(委员会|办)", "party_rule_of_law_commission"),
    (r"人大|人民代表大会", "peoples_congress"),
    (r"政协", "cppcc"),
    (r"纪委|监委|纪律检查|监察委", "discipline_inspection"),
    (r"[县市区省州盟旗]委常委会|^常委会$", "party_standing_committee"),
    (r"组织部|宣传部|统战部|政法委|党校|中心组|党组", "party_organ"),
    (r"常务会|办公会", "government_executive_meeting"),
    (r"司法局|司法所|司法厅|司法行政", "justice_administration"),
    (r"法院|法庭|诉讼服务中心", "court"),
    (r"检察", "procuratorate"),
    (r"调解委员会|调委会|调解工作室|调解室", "mediation_organisation"),
    (r"中心$", "legal_service_centre"),
    (r"领导小组|协调小组|工作专班", "leading_group"),
    (r"日报|晚报|电视台|广播|融媒体|新闻", "media"),
    (r"联盟|协会|商会|服务团|志愿", "social_organisation"),
    (r"党中央|中共中央|党委|党工委|^[县市区省州盟旗乡镇]委$|^[^政]*[县市区省州盟旗]委$", "party_committee"),
    (r"政府|管委会|管理委员会|人民政府", "government"),
    (r"[局厅委办署]$", "government_department"),
    (r"[乡镇]$|街道", "township_street"),
)


def body_type(text: str, left: str = "") -> str:
    """The body type of an AGENCY mention by ordered suffix/keyword rules; ``other`` when none applies."""
    if text == "常委会" and ("人大" in left[-6:]):
        return "peoples_congress"
    for pattern, body in _BODY_RULES:
        if re.search(pattern, text):
            return body
    return OTHER


def training_examples(records: Iterable[object], texts: dict[str, str]) -> list[Example]:
    """Gold INDICATOR link records as training items (left context taken from the report text)."""
    out = []
    for r in records:
        if r.label != "INDICATOR":  # type: ignore[attr-defined]
            continue
        text = texts[r.doc_id]  # type: ignore[attr-defined]
        out.append(Example(r.text, text[max(0, r.start - LEFT_CONTEXT) : r.start], r.link))  # type: ignore[attr-defined]
    return out


def source_records(sources: Sequence[str] = TRAINING_SOURCES) -> tuple[list[object], dict[str, str]]:
    """Link records and document texts of the named training sources (``gold``: the five reports'
    link gold; ``synthetic``: the annotators' links of the synthetic corpus, none until they exist)."""
    from fazhi_ner.links.store import load_links
    from fazhi_ner.links.synthetic_links import load_synthetic_links
    from fazhi_ner.seeds import documents_by_id
    from fazhi_ner.synthetic import load_synthetic_documents

    unknown = sorted(set(sources) - {"gold", "synthetic"})
    if unknown:
        from fazhi_ner.errors import ArgumentError

        raise ArgumentError(f"training source expected gold or synthetic, found {unknown[0]!r}")
    records: list[object] = []
    texts: dict[str, str] = {}
    if "gold" in sources:
        texts.update({doc_id: doc.text for doc_id, doc in documents_by_id().items()})
        records += [r for rs in load_links("gold").values() for r in rs]
    if "synthetic" in sources:
        texts.update({doc.doc_id: doc.text for doc in load_synthetic_documents()})
        records += [r for rs in load_synthetic_links().values() for r in rs]
    return records, texts


def train_linker(records: Sequence[object], texts: dict[str, str], *, exclude_text: str | None = None) -> Model:
    """Both models from link records: the metric-id Naive Bayes and the body-type regression, each with the
    taxonomy's own text (quotes found in ``exclude_text``, the held-out report, are skipped for metric ids)."""
    taxonomy = load_taxonomy()
    model = train(training_examples(records, texts) + taxonomy_examples(taxonomy, exclude_text=exclude_text))
    bodies = train_bodies(body_examples(records) + taxonomy_body_examples(taxonomy, exclude_text=exclude_text))
    return replace(model, bodies=bodies)


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The linker trained on the link gold, the synthetic links (where made) and the taxonomy's own text."""
    records, texts = source_records(TRAINING_SOURCES)
    return train_linker(records, texts)


@lru_cache(maxsize=8)
def held_out_model(doc_id: str) -> Model:
    """The linker trained as :func:`default_model` but without report ``doc_id``: none of its gold links and
    none of the taxonomy's quotes from its text (the synthetic links, never held out, stay in). The fold model of
    a leave-one-report-out measure (``fazhi extraction evaluate``), so callers never train a linker themselves."""
    return model_without(frozenset({doc_id}))


@lru_cache(maxsize=8)
def model_without(doc_ids: frozenset[str]) -> Model:
    """The linker trained as :func:`default_model` without the links of ``doc_ids`` (and, for one real report,
    without the taxonomy's quotes from its text): the fold model of a held-out measure."""
    records, texts = source_records(TRAINING_SOURCES)
    kept = [r for r in records if r.doc_id not in doc_ids]  # type: ignore[attr-defined]
    exclude = texts[next(iter(doc_ids))] if len(doc_ids) == 1 else None
    return train_linker(kept, texts, exclude_text=exclude)


def link_spans(text: str, spans: Sequence[SpanLike], model: Model | None = None) -> list[LinkPrediction]:
    """Link tagged spans of one report: metric ids for INDICATOR, body types for AGENCY, None otherwise.

    ``spans`` are any objects with ``start``/``end``/``label`` in character offsets of ``text``
    (gold spans, or the spans ``fazhi tag`` predicts). Pure: no files are written.
    """
    chosen = model
    if chosen is None and any(span.label in ("INDICATOR", "AGENCY") for span in spans):
        chosen = default_model()
    contexts = [(text[span.start : span.end], text[max(0, span.start - LEFT_CONTEXT) : span.start]) for span in spans]
    indicators = [i for i, span in enumerate(spans) if span.label == "INDICATOR"]
    metric = (
        dict(zip(indicators, chosen.predict_many([contexts[i] for i in indicators]), strict=True)) if chosen else {}
    )
    out = []
    for i, span in enumerate(spans):
        mention, left = contexts[i]
        if span.label == "INDICATOR":
            link, score = metric[i]
        elif span.label == "AGENCY":
            assert chosen is not None
            if chosen.bodies is None:
                link, score = body_type(mention, left), 1.0
            else:
                link, score = chosen.bodies.predict(mention)
        else:
            link, score = None, 0.0
        out.append(LinkPrediction(span.start, span.end, span.label, mention, link, round(score, 4)))
    return out
