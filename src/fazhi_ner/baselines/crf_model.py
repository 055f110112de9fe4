"""Character linear-chain CRF (sklearn-crfsuite) with c1/c2 chosen on the development documents."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from itertools import product
from pathlib import Path

from fazhi_ner.baselines.base import Baseline, Log, _quiet, spans_with_text
from fazhi_ner.baselines.crf_features import batch_features, check_families
from fazhi_ner.baselines.scored import Scored
from fazhi_ner.baselines.scoring import micro_f1
from fazhi_ner.corpus import Example
from fazhi_ner.errors import BaselineError
from fazhi_ner.paths import build_dir
from fazhi_ner.spans import Span, tags_to_spans

MODEL_FILE = "model.crfsuite"
LEXICON_FILE = "lexicon.json"


class CrfBaseline(Baseline):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._crf = None
        self._lexicon: dict[str, str] = {}

    def _features(self, texts: Sequence[str], lexicon_tags: Sequence[Sequence[str]] | None = None):
        if "lexicon" in self.families and lexicon_tags is None:
            from fazhi_ner.baselines.lexicon import match_tags

            longest = max((len(k) for k in self._lexicon), default=0)
            lexicon_tags = [match_tags(t, self._lexicon, longest) for t in texts]
        return batch_features(
            texts, window=int(self.config.params.get("window", 2)), families=self.families, lexicon=lexicon_tags
        )

    @property
    def families(self) -> tuple[str, ...]:
        """Feature families from params.features (the old ``jieba: true/false`` switch still works)."""
        p = self.config.params
        if "features" in p:
            return check_families([str(f) for f in p["features"]], f"{self.name}: params.features")
        return ("chars", "cues", "jieba") if bool(p.get("jieba", True)) else ("chars", "cues")

    def _train_one(self, X, y, c1: float, c2: float, model_file: Path):
        import sklearn_crfsuite

        crf = sklearn_crfsuite.CRF(
            algorithm="lbfgs",
            c1=c1,
            c2=c2,
            max_iterations=int(self.config.params.get("max_iterations", 150)),
            all_possible_transitions=bool(self.config.params.get("all_possible_transitions", True)),
            model_filename=str(model_file),
        )
        crf.fit(X, y)
        return crf

    def fit(self, train: Sequence[Example], dev: Sequence[Example], *, log: Log = _quiet) -> None:
        if not train:
            raise BaselineError("crf: no training sentences (is the gold folder empty?)")
        if "rules" in self.families and not self.config.uses_rule_tagger:
            raise BaselineError(f"{self.name}: features include 'rules', so the config must say uses_rule_tagger: true")
        grid = self.config.params.get("grid") or {"c1": [0.1], "c2": [0.1]}
        train_on_dev = bool(self.config.params.get("train_on_dev", False))
        if train_on_dev:
            # With one grid point there is nothing to select, so the development report is more training data
            # (held-out and test sentences are never seen either way).
            if len(grid["c1"]) * len(grid["c2"]) != 1:
                raise BaselineError(f"{self.name}: train_on_dev needs a one-point grid (nothing to select), found {grid}")
            train, dev = [*train, *dev], []
        originals = len(train)
        train = _augmented(train, self.config.params.get("augment"), self.families, log)  # training data only, never held out
        jackknife = None
        if "lexicon" in self.families:
            from fazhi_ner.baselines.lexicon import build_lexicon, jackknife_tags

            self._lexicon = build_lexicon(train)
            jackknife = jackknife_tags(train)
        X = self._features([ex.text for ex in train], jackknife)
        y = [ex.tags() for ex in train]
        dev_texts = [ex.text for ex in dev]
        X_dev = self._features(dev_texts) if dev else []
        scratch = Path(tempfile.mkdtemp(prefix="crf-", dir=_scratch_dir()))
        try:
            results: list[tuple[float, float, float, Path]] = []
            for i, (c1, c2) in enumerate(product(grid["c1"], grid["c2"])):
                model_file = scratch / f"{i}.crfsuite"
                crf = self._train_one(X, y, float(c1), float(c2), model_file)
                if not dev:
                    results.append((0.0, float(c1), float(c2), model_file))
                    break
                pred = {
                    ex.id: spans_with_text(tags_to_spans(tags), ex.text)
                    for ex, tags in zip(dev, crf.predict(X_dev), strict=True)
                }
                f1 = micro_f1(dev, pred)
                log(f"crf: c1={c1} c2={c2} dev strict micro F1={f1:.4f}")
                results.append((f1, float(c1), float(c2), model_file))
            # best dev F1; ties go to the earlier (smaller) grid point, so the choice is deterministic
            best = max(results, key=lambda r: (r[0], -results.index(r)))
            f1, c1, c2, model_file = best
            log(f"crf: chose c1={c1} c2={c2} (dev strict micro F1={f1:.4f})")
            self.info = {
                "c1": c1,
                "c2": c2,
                "dev_micro_f1": round(f1, 6),
                "grid": [{"c1": r[1], "c2": r[2], "dev_micro_f1": round(r[0], 6)} for r in results],
                "train_sentences": originals,
                **({"augmented_sentences": len(train) - originals} if len(train) > originals else {}),
                "dev_sentences": len(dev),
                "trained_on_dev": train_on_dev,
            }
            self._model_bytes = model_file.read_bytes()
            self._load_crf_bytes(self._model_bytes)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _load_crf_bytes(self, data: bytes) -> None:
        import pycrfsuite  # installed with sklearn-crfsuite; opens the model from memory, no temp file

        tagger = pycrfsuite.Tagger()
        try:
            tagger.open_inmemory(data)
        except Exception as exc:  # pycrfsuite raises ValueError/IOError on a corrupt model
            raise BaselineError(f"crf: could not open the model ({exc})") from None
        self._crf = tagger

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        if self._crf is None:
            raise BaselineError("crf: predict called before fit or load")
        out: list[list[Span]] = []
        tagged = [self._crf.tag(x) for x in self._features(texts)]
        for text, tags in zip(texts, tagged, strict=True):
            out.append(spans_with_text(tags_to_spans(tags), text))
        return out

    def score(self, texts: Sequence[str]) -> list[Scored]:
        """Spans with marginal probabilities: a span's score is the smallest marginal of its characters'
        predicted tags (the weakest character); a sentence's is the smallest over all its characters, spans
        or not (so a probable missed entity lowers it too). The spans are those of :meth:`predict`."""
        if self._crf is None:
            raise BaselineError("crf: score called before fit or load")
        tagger = self._crf
        out: list[Scored] = []
        for text, features in zip(texts, self._features(texts), strict=True):
            tagger.set(features)
            tags = tagger.tag()
            marginals = [tagger.marginal(tag, i) for i, tag in enumerate(tags)]
            spans = [Span(s.start, s.end, s.label, text[s.start : s.end]) for s in tags_to_spans(tags)]
            span_scores = tuple(round(min(marginals[s.start : s.end]), 4) for s in spans)
            out.append(Scored(tuple(spans), span_scores, round(min(marginals), 4) if marginals else 1.0))
        return out

    def _save_files(self, directory: Path) -> None:
        if self._crf is None:
            raise BaselineError("crf: nothing to save; train the model first")
        (directory / MODEL_FILE).write_bytes(self._model_bytes)
        if "lexicon" in self.families:
            import json

            text = json.dumps(self._lexicon, ensure_ascii=False, indent=0, sort_keys=True)
            (directory / LEXICON_FILE).write_text(text + "\n", encoding="utf-8")

    def _load_files(self, directory: Path) -> None:
        path = directory / MODEL_FILE
        if not path.is_file():
            raise BaselineError(f"{directory}: crf model file {MODEL_FILE} missing")
        self._model_bytes = path.read_bytes()
        self._load_crf_bytes(self._model_bytes)
        if "lexicon" in self.families:
            import json

            if not (directory / LEXICON_FILE).is_file():
                raise BaselineError(f"{directory}: {LEXICON_FILE} missing (the model uses the lexicon features)")
            self._lexicon = json.loads((directory / LEXICON_FILE).read_text(encoding="utf-8"))


def _augmented(train: Sequence[Example], raw: object, families: Sequence[str], log: Log) -> list[Example]:
    """The training sentences plus their augmented copies when params.augment asks for them.

    Not with the lexicon family: its per-document jackknife would see swapped-in spans of other documents
    inside a copy, so the lexicon feature would fire on exactly the swapped spans.
    """
    from fazhi_ner.baselines.augment import augment, parse_config

    config = parse_config(raw)
    if config.enabled and "lexicon" in families:
        raise BaselineError("crf: params.augment cannot be combined with the 'lexicon' feature family")
    extra = augment(train, config)
    if extra:
        log(f"crf: {len(extra)} augmented sentences added to {len(train)} training sentences")
    return [*train, *extra]


def _scratch_dir() -> Path:
    path = build_dir() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path
