"""Score predictions against gold examples: strict seqeval, partial matching, CIs, documents and errors.

:func:`evaluate` is the one entry point used by the CLI, the leaderboard and the baselines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fazhi_ner.corpus import Example, fingerprint
from fazhi_ner.errors import ArgumentError, PredictionError
from fazhi_ner.evaluation.bootstrap import Comparison, bootstrap_intervals
from fazhi_ner.evaluation.error_analysis import ErrorTable
from fazhi_ner.evaluation.metrics import StrictReport, strict_report_from_counts
from fazhi_ner.evaluation.partial import PartialReport
from fazhi_ner.evaluation.single_pass import gold_spans, prediction_spans, score_sentences
from fazhi_ner.spans import Span
from fazhi_ner.stats import CONFIDENCE, Interval, prf
from fazhi_ner.version import __version__

UNITS = ("sentence", "document")


@dataclass(frozen=True)
class DocumentScore:
    doc_id: str
    sentences: int
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    def as_dict(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "sentences": self.sentences,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True)
class EvaluationResult:
    """Everything one evaluation produces; :meth:`to_json` is the ``--out`` JSON of ``fazhi eval evaluate``."""

    strict: StrictReport
    partial: PartialReport
    intervals: dict[str, Interval]
    documents: list[DocumentScore]
    errors: ErrorTable
    invalid_transitions: int
    sentences: int
    missing: tuple[str, ...]
    gold_fingerprint: str
    bootstrap: dict[str, object]
    counts: np.ndarray = field(repr=False)  # (sentences, labels, 3) tp/fp/fn, for compare
    doc_ids: tuple[str, ...] = field(repr=False, default=())  # document of each sentence

    @property
    def micro_f1(self) -> float:
        return self.strict.micro_f1

    def ci(self, name: str = "micro_f1", digits: int | None = None) -> list[float] | None:
        """The interval of ``name`` (rounded to ``digits`` for committed files), None without a bootstrap."""
        interval = self.intervals.get(name)
        if interval is None:
            return None
        return interval.as_list() if digits is None else interval.rounded(digits)

    def to_json(self) -> dict[str, object]:
        return {
            "dataset_version": __version__,
            "gold_fingerprint": self.gold_fingerprint,
            "metric": "seqeval classification_report, mode=strict, scheme=IOB2",
            "sentences": self.sentences,
            "missing_ids_scored_as_empty": list(self.missing),
            "invalid_iob2_transitions": self.invalid_transitions,
            "strict": self.strict.as_dict(),
            "confidence_intervals": {
                "level": CONFIDENCE,
                **self.bootstrap,
                "intervals": {k: v.as_list() for k, v in sorted(self.intervals.items())},
            },
            "partial_match": self.partial.as_dict(),
            "documents": [d.as_dict() for d in self.documents],
            "errors": self.errors.as_dict(),
        }


def evaluate(
    examples: list[Example],
    predictions: Mapping[str, Sequence[Span] | Sequence[str]],
    *,
    bootstrap: int = 1000,
    seed: int = 0,
    unit: str = "sentence",
    allow_missing: bool = False,
    missing: Sequence[str] = (),
) -> EvaluationResult:
    """Score ``predictions`` (sentence id -> spans in sentence coordinates, or raw IOB2 tags) against ``examples``.

    Raw tags are decoded as strict seqeval decodes them (an orphan ``I-`` starts no entity; invalid IOB2
    transitions are counted); every figure comes from one pass (:mod:`fazhi_ner.evaluation.single_pass`). ``missing`` names ids a
    reader already filled in as empty, so the result reports them.
    """
    if unit not in UNITS:
        raise PredictionError(f"bootstrap unit expected one of {', '.join(UNITS)}, found {unit!r}")
    pred_spans, missing_now, invalid = prediction_spans(examples, predictions, allow_missing)
    scored = score_sentences(examples, [gold_spans(ex) for ex in examples], pred_spans)
    counts = scored.counts
    report = strict_report_from_counts(counts)
    doc_ids = tuple(ex.sentence.doc_id for ex in examples)
    docs = sorted(set(doc_ids))
    position = {d: i for i, d in enumerate(docs)}
    doc_index = np.fromiter((position[d] for d in doc_ids), dtype=np.int64, count=len(doc_ids))
    per_doc = np.zeros((len(docs), *counts.shape[1:]), dtype=np.int64)
    np.add.at(per_doc, doc_index, counts)
    sizes = np.bincount(doc_index, minlength=len(docs))
    documents = []
    for i, doc in enumerate(docs):
        tp, fp, fn = (int(x) for x in per_doc[i].sum(axis=0))
        documents.append(DocumentScore(doc, int(sizes[i]), *prf(tp, fp, fn), tp, fp, fn))
    units = counts if unit == "sentence" or not docs else per_doc
    if bootstrap < 0:
        raise ArgumentError(
            f"bootstrap resamples expected a positive integer (or 0 for no intervals), found {bootstrap}"
        )
    if bootstrap and unit == "document":
        require_documents(docs, "a document bootstrap")
    intervals = bootstrap_intervals(units, bootstrap, seed)
    boot = {"resamples": bootstrap, "seed": seed, "unit": unit, "units": int(units.shape[0])}
    return EvaluationResult(
        strict=report,
        partial=scored.partial,
        intervals=intervals,
        documents=documents,
        errors=scored.errors,
        invalid_transitions=invalid,
        sentences=len(examples),
        missing=tuple(sorted(set(missing_now) | set(missing))),
        gold_fingerprint=fingerprint(examples),
        bootstrap=boot,
        counts=counts,
        doc_ids=doc_ids,
    )


def require_documents(doc_ids: Iterable[str], what: str) -> None:
    """A resample of one document is always that document: its "interval" would be a point and its p-value 0."""
    docs = sorted(set(doc_ids))
    if len(docs) < 2:
        raise ArgumentError(
            f"{what} needs at least 2 documents, found {len(docs)} ({', '.join(docs) or 'none'}); "
            "use --bootstrap-unit sentence or a split with more documents"
        )


def unit_counts(result: EvaluationResult, unit: str) -> np.ndarray:
    """Per-sentence counts, or summed per document (in sorted document order)."""
    if unit == "sentence":
        return result.counts
    docs = sorted(set(result.doc_ids))
    out = np.zeros((len(docs), *result.counts.shape[1:]), dtype=np.int64)
    index = {d: i for i, d in enumerate(docs)}
    for i, doc in enumerate(result.doc_ids):
        out[index[doc]] += result.counts[i]
    return out


def compare(
    examples: list[Example],
    predictions_a: Mapping[str, Sequence[Span] | Sequence[str]],
    predictions_b: Mapping[str, Sequence[Span] | Sequence[str]],
    *,
    resamples: int = 1000,
    permutations: int = 10000,
    seed: int = 0,
    unit: str = "sentence",
) -> tuple[EvaluationResult, EvaluationResult, Comparison]:
    """Score two systems on the same examples and test their micro-F1 difference (B - A)."""
    from fazhi_ner.evaluation.bootstrap import compare_counts

    if resamples < 1 or permutations < 1:
        raise ArgumentError(
            f"resamples and permutations expected positive integers, found {resamples} and {permutations}"
        )
    if unit == "document":
        require_documents((ex.sentence.doc_id for ex in examples), "a paired document bootstrap")
    a = evaluate(examples, predictions_a, bootstrap=0, seed=seed, unit=unit)
    b = evaluate(examples, predictions_b, bootstrap=0, seed=seed, unit=unit)
    cmp = compare_counts(
        unit_counts(a, unit), unit_counts(b, unit), resamples=resamples, permutations=permutations, seed=seed
    )
    return a, b, cmp


def evaluation_record(
    result: EvaluationResult, predictions: Path, *, split: str, fold: int | None
) -> dict[str, object]:
    """What `fazhi eval evaluate --out` writes: every number, with what was scored against what."""
    return {"predictions": str(predictions), "split": split if fold is None else None, "fold": fold, **result.to_json()}


def comparison_record(
    cmp: Comparison, a: Path, b: Path, examples: Sequence[Example], *, split: str, unit: str, seed: int
) -> dict[str, object]:
    """What `fazhi eval compare --out` writes."""
    return {"a": str(a), "b": str(b), "split": split, "unit": unit, "seed": seed, "dataset_version": __version__,
            "gold_fingerprint": fingerprint(examples), **cmp.as_dict()}  # fmt: skip


def write_json(path: Path, payload: Mapping[str, object]) -> None:
    """Sorted keys, UTF-8, atomic: the same bytes for the same numbers."""
    import json

    from fazhi_ner.atomic import atomic_write_text

    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
