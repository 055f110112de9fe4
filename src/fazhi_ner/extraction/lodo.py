"""The whole chain measured end to end, leave-one-report-out: tag → link → read the value → cell.

For the held-out report of fold k the tagger's spans are the committed LODO predictions
(``eval/submissions/<model>/predictions.fold<k>.jsonl``: a model trained without that report) and the linker
is ``fazhi_ner.links.linker.held_out_model`` (trained without it). Predicted cells are made by the gold
table's own rule and compared with the gold cells: a cell matches when report, metric id and normalised value
(with its direction, for a change) agree. Precision, recall and F1 are pooled over the five reports, with
percentile-bootstrap intervals over (report, metric) cells from ``fazhi_ner.stats``.
A second row replaces the tagger by the gold spans, so tagging and linking errors can be told apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from fazhi_ner.comparison.cells import Cell
from fazhi_ner.extraction.cells import predicted_cells
from fazhi_ner.extraction.records import ExtractedSpan
from fazhi_ner.extraction.results import ExtractionEvaluation, Score, SyntheticCellView, SystemScores
from fazhi_ner.links.results import Bootstrap
from fazhi_ner.spans import Span
from fazhi_ner.stats import format_ci

RESAMPLES = 2000
SEED = 2222
VALUE_DIGITS = 6
COMMAND = "fazhi extraction evaluate"
JSON_NAME, MARKDOWN_NAME = "lodo.json", "lodo.md"
GOLD_SPANS = "gold-spans"  # the system whose spans are the gold's: linking and reading errors only


def cell_key(cell: Cell) -> tuple[str, str]:
    return (cell.doc_id, cell.metric_id)


def cell_value(cell: Cell) -> tuple[float | None, str | None]:
    """What must agree besides report and metric: the normalised value (rounded) and a change's direction."""
    value = None if cell.value is None else round(cell.value, VALUE_DIGITS)
    return (value, cell.direction)


def match_counts(gold: Sequence[Cell], predicted: Sequence[Cell]) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(tp, fp, fn) per (report, metric) over the union of gold and predicted cells; a predicted cell with the
    wrong value is both a false positive and a false negative."""
    g = {cell_key(c): cell_value(c) for c in gold}
    p = {cell_key(c): cell_value(c) for c in predicted}
    out = {}
    for key in sorted(set(g) | set(p)):
        hit = key in g and key in p and g[key] == p[key]
        out[key] = (int(hit), int(key in p and not hit), int(key in g and not hit))
    return out


def score(counts: Mapping[tuple[str, str], tuple[int, int, int]], *, resamples: int = RESAMPLES,
          seed: int = SEED) -> Score:  # fmt: skip
    import numpy as np

    from fazhi_ner.stats import Interval, percentile_interval, prf, resampled_sums

    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    point = prf(tp, fp, fn)
    if counts and resamples > 0:
        units = np.array(list(counts.values()), dtype=np.float64)
        sums = resampled_sums(units, resamples, seed)
        cis = [percentile_interval(v) for v in prf(sums[:, 0], sums[:, 1], sums[:, 2])]
    else:
        cis = [Interval(x, x) for x in point]
    (p_lo, p_hi), (r_lo, r_hi), (f_lo, f_hi) = (ci.rounded(4) for ci in cis)
    precision, recall, f1 = (round(x, 4) for x in point)
    return Score(tp, fp, fn, precision, recall, f1, (p_lo, p_hi), (r_lo, r_hi), (f_lo, f_hi))


def fold_spans(model: str, fold: int, doc_id: str, submissions: Path) -> list[Span]:
    """The committed LODO predictions of ``model`` for the held-out report, in document offsets."""
    from fazhi_ner.corpus import examples_from
    from fazhi_ner.evaluation.readers import read_predictions
    from fazhi_ner.evaluation.submission import prediction_file_name
    from fazhi_ner.gold import load_gold

    examples = examples_from(load_gold(), [doc_id])
    path = submissions / model / prediction_file_name(fold=fold)
    spans = read_predictions(path, examples)
    starts = {ex.id: ex.sentence.start for ex in examples}
    return [s.shifted(starts[sid]) for sid, sentence in spans.items() for s in sentence]


def held_out_cells(doc_id: str, spans: Sequence[Span]) -> list[Cell]:
    """Cells of the held-out report from ``spans``, linked by the linker trained without that report."""
    from fazhi_ner.links.linker import held_out_model, link_spans
    from fazhi_ner.links.taxonomy import load_taxonomy
    from fazhi_ner.seeds import documents_by_id

    doc = documents_by_id()[doc_id]
    indicators = [s for s in spans if s.label == "INDICATOR"]
    links = link_spans(doc.text, indicators, model=held_out_model(doc_id))
    extracted = [
        ExtractedSpan(s.start, s.end, s.label, doc.text[s.start : s.end], None, link.link, link.score)
        for s, link in zip(indicators, links, strict=True)
    ]
    return predicted_cells(doc, extracted, load_taxonomy())


def evaluate(models: Sequence[str], *, submissions: Path | None = None,
             resamples: int = RESAMPLES) -> ExtractionEvaluation:  # fmt: skip
    """The LODO result for each model's fold files (the first model is the headline) and for gold spans."""
    from fazhi_ner.comparison.cells import cells
    from fazhi_ner.gold import load_gold
    from fazhi_ner.links.linker import VERSION
    from fazhi_ner.links.store import load_links
    from fazhi_ner.links.taxonomy import load_taxonomy
    from fazhi_ner.paths import eval_dir
    from fazhi_ner.seeds import documents_by_id
    from fazhi_ner.splits import FOLD_ORDER

    submissions = submissions or eval_dir() / "submissions"
    gold_cells = cells(load_links("gold"), documents_by_id(), load_taxonomy())
    gold_by_doc = {d: [c for c in gold_cells if c.doc_id == d] for d in FOLD_ORDER}
    gold_spans = load_gold()
    systems: dict[str, Mapping[str, Sequence[Span]]] = {GOLD_SPANS: {d: gold_spans[d] for d in FOLD_ORDER}}
    for model in models:
        systems[model] = {d: fold_spans(model, k, d, submissions) for k, d in enumerate(FOLD_ORDER)}
    rows: dict[str, SystemScores] = {}
    for name, by_doc in systems.items():
        counts: dict[tuple[str, str], tuple[int, int, int]] = {}
        per_report = {}
        for doc_id in FOLD_ORDER:
            doc_counts = match_counts(gold_by_doc[doc_id], held_out_cells(doc_id, by_doc[doc_id]))
            counts.update(doc_counts)
            per_report[doc_id] = score(doc_counts, resamples=0)
        rows[name] = SystemScores(pooled=score(counts, resamples=resamples), per_report=per_report)
    return ExtractionEvaluation(
        cell_f1=rows[models[0]].pooled.f1,
        tagger=models[0],
        linker=VERSION,
        protocol=(
            "leave-one-report-out over the five seed reports: tagger spans from the committed fold predictions "
            "(trained without the held-out report), linker trained without it; a cell matches when report, metric "
            "id and normalised value (and a change's direction) agree"
        ),
        bootstrap=Bootstrap(resamples=resamples, seed=SEED, unit="(report, metric) cell", level=0.95),
        gold_cells=len(gold_cells),
        gold_cells_without_value=sum(c.value is None for c in gold_cells),
        systems=rows,
        synthetic=synthetic_view(resamples=resamples),
        target=0.75,
    )


SYNTHETIC_TAGGER = "crf-rules"  # the default tagger: trained on the real reports only (params.synthetic 0)


def synthetic_view(*, resamples: int = RESAMPLES) -> SyntheticCellView | str:
    """The same measure on the synthetic corpus, a second view: the default tagger (never trained on it) tags
    each document, a linker trained without that document's writer links it (grouped by writer agent), and the
    cells are compared with the cells of its link gold. A note instead when the corpus has no links."""
    from fazhi_ner.baselines.protocol import predict_examples
    from fazhi_ner.comparison.cells import cells
    from fazhi_ner.corpus import Example
    from fazhi_ner.links.linker import link_spans, model_without
    from fazhi_ner.links.synthetic_links import load_synthetic_links
    from fazhi_ner.links.taxonomy import load_taxonomy
    from fazhi_ner.sentences import document_sentences
    from fazhi_ner.synthetic import load_synthetic_documents, synthetic_writers
    from fazhi_ner.tagging.models import get_model

    links = load_synthetic_links()
    if not links:
        return "not run: the synthetic corpus has no links yet (fazhi links synthetic-export / synthetic-import)"
    tagger = get_model(SYNTHETIC_TAGGER)
    if float(tagger.config.params.get("synthetic", 0) or 0):
        return f"not run: the tagger {SYNTHETIC_TAGGER} was trained on the synthetic corpus"
    taxonomy = load_taxonomy()
    docs = {d.doc_id: d for d in load_synthetic_documents() if d.doc_id in links}
    gold = cells(links, docs, taxonomy)
    writers = synthetic_writers()
    counts: dict[tuple[str, str], tuple[int, int, int]] = {}
    for writer in sorted({writers[d] for d in docs}):
        held = sorted(d for d in docs if writers[d] == writer)
        linker = model_without(frozenset(held))
        for doc_id in held:
            doc = docs[doc_id]
            sentences = document_sentences(doc)
            predicted = predict_examples(tagger, [Example(s, ()) for s in sentences])
            spans = [sp.shifted(s.start) for s in sentences for sp in predicted[s.id] if sp.label == "INDICATOR"]
            linked = link_spans(doc.text, spans, model=linker)
            extracted = [
                ExtractedSpan(sp.start, sp.end, sp.label, doc.text[sp.start : sp.end], None, lk.link, lk.score)
                for sp, lk in zip(spans, linked, strict=True)
            ]
            counts.update(match_counts([c for c in gold if c.doc_id == doc_id], predicted_cells(doc, extracted, taxonomy)))
    return SyntheticCellView(
        documents=len(docs),
        writers=len({writers[d] for d in docs}),
        tagger=SYNTHETIC_TAGGER,
        gold_cells=len(gold),
        pooled=score(counts, resamples=resamples),
    )


def synthetic_lines(view: SyntheticCellView | str) -> str:
    """The synthetic corpus' row of the report (or why there is none)."""
    if isinstance(view, str):
        return f"Synthetic corpus: {view}."
    p = view.pooled
    return (
        f"Synthetic corpus, a second view ({view.documents} documents, {view.gold_cells} gold cells): the default "
        f"tagger `{view.tagger}` (trained on the real reports only) and a linker trained without the document's "
        f"writer ({view.writers} writer agents, grouped): cell F1 {p.f1:.3f} {format_ci(p.f1_ci)} "
        f"(precision {p.precision:.3f}, recall {p.recall:.3f}). The synthetic documents are denser and more "
        "regular than the real reports, so this view is no substitute for the real one."
    )


def _ci(value: float, ci: tuple[float, float]) -> str:
    return f"{value:.3f} {format_ci(ci)}"


def _system_order(result: ExtractionEvaluation) -> list[str]:
    """Gold spans, the headline tagger, then the other models: the order does not depend on the JSON's."""
    first = [name for name in (GOLD_SPANS, result.tagger) if name in result.systems]
    return first + sorted(set(result.systems) - set(first))


def _report_order(per_report: Mapping[str, Score]) -> list[str]:
    from fazhi_ner.splits import FOLD_ORDER

    return [d for d in FOLD_ORDER if d in per_report] + sorted(set(per_report) - set(FOLD_ORDER))


def markdown(result: ExtractionEvaluation) -> str:
    """The report; a function of the JSON alone (rows in a fixed order), so it can be checked from the file."""
    systems = result.systems
    tagger = result.tagger
    lines = [
        "# End-to-end extraction: leave-one-report-out cell F1",
        "",
        "Generated by `fazhi extraction evaluate`; do not edit. The chain `fazhi extract` runs (tag → link →",
        "read the value → one cell per report and metric) is measured against the gold cells of `eval/comparison/`.",
        "For each held-out report: the tagger's spans are its committed LODO fold predictions (`eval/submissions/<model>/`,",
        f"trained without that report); the linker `{result.linker}` is retrained without it. A cell matches when report,",
        "metric id and normalised value (and a change's direction) agree; a cell with the right metric and a wrong value",
        "counts as a false positive and a false negative.",
        "",
        f"**Cell F1 with the default tagger `{tagger}`: {systems[tagger].pooled.f1:.3f}** (target {result.target}).",
        "",
        "| spans from | cells matched | predicted | gold | precision [95% CI] | recall [95% CI] | F1 [95% CI] |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in _system_order(result):
        p = systems[name].pooled
        label = "gold spans (linking and reading only)" if name == GOLD_SPANS else f"`{name}` (LODO folds)"
        lines.append(
            f"| {label} | {p.tp} | {p.tp + p.fp} | {p.tp + p.fn} | {_ci(p.precision, p.precision_ci)} | "
            f"{_ci(p.recall, p.recall_ci)} | {_ci(p.f1, p.f1_ci)} |"
        )
    boot = result.bootstrap
    lines += [
        "",
        f"Intervals: percentile bootstrap over (report, metric) cells ({boot.resamples} resamples, seed {boot.seed});",
        "cells of one report are not independent, so the intervals are, if anything, too narrow.",
        f"Gold: {result.gold_cells} cells, {result.gold_cells_without_value} of them without a readable value (they",
        "match a predicted cell of the same metric without one).",
        "Models that read the rule tagger (`crf-rules`, `rules`, and votes including them) inherit its advantage:",
        "the rules were written while reading all five reports.",
        "",
        synthetic_lines(result.synthetic),
        "",
        f"Per held-out report (`{tagger}`):",
        "",
        "| report | matched | predicted | gold | F1 |",
        "|---|---|---|---|---|",
    ]
    per_report = systems[tagger].per_report
    for doc_id in _report_order(per_report):
        s = per_report[doc_id]
        lines.append(f"| {doc_id} | {s.tp} | {s.tp + s.fp} | {s.tp + s.fn} | {s.f1:.3f} |")
    return "\n".join(lines) + "\n"


def write(result: ExtractionEvaluation, directory: Path | None = None, *, check: bool = False) -> None:
    """Write (or check) ``lodo.json`` and ``lodo.md`` in ``directory`` (default eval/extraction/)."""
    from fazhi_ner.atomic import write_or_check_result
    from fazhi_ner.paths import eval_dir

    root = directory if directory is not None else eval_dir() / "extraction"
    write_or_check_result(result, root / JSON_NAME, root / MARKDOWN_NAME, markdown(result), check=check, command=COMMAND)


def run(models: Sequence[str], *, check: bool = False, resamples: int = RESAMPLES,
        out: Path | None = None) -> ExtractionEvaluation:  # fmt: skip
    result = evaluate(models, resamples=resamples)
    write(result, out, check=check)
    return result
