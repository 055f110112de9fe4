"""Terminal rendering of an evaluation (rich tables); the JSON output is :meth:`EvaluationResult.to_json`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from fazhi_ner.evaluation.bootstrap import Comparison
from fazhi_ner.evaluation.error_analysis import KINDS
from fazhi_ner.evaluation.harness import EvaluationResult
from fazhi_ner.evaluation.partial import SCHEMAS
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.stats import format_ci


def _ci(result: EvaluationResult, name: str) -> str:
    return format_ci(result.ci(name), empty="-")


def render(result: EvaluationResult, console: Console, *, title: str = "") -> None:
    s = result.strict
    head = Table(title=f"Strict seqeval (IOB2) {title}".strip(), show_lines=False)
    for col in ("", "precision", "recall", "F1", "95% CI (F1)", "support", "tp", "fp", "fn"):
        head.add_column(col, justify="left" if not col else "right")
    for name in LABEL_NAMES:
        row = s.per_label[name]
        head.add_row(
            name, f"{row.precision:.3f}", f"{row.recall:.3f}", f"{row.f1:.3f}", _ci(result, f"f1_{name}"),
            str(row.support), str(row.tp), str(row.fp), str(row.fn),
        )  # fmt: skip
    c = s.counts
    head.add_row(
        "micro", f"{s.micro_precision:.3f}", f"{s.micro_recall:.3f}", f"{s.micro_f1:.3f}", _ci(result, "micro_f1"),
        str(s.support), str(c["tp"]), str(c["fp"]), str(c["fn"]), style="bold",
    )  # fmt: skip
    head.add_row(
        "macro", f"{s.macro_precision:.3f}", f"{s.macro_recall:.3f}", f"{s.macro_f1:.3f}", _ci(result, "macro_f1")
    )
    console.print(head)
    boot = result.bootstrap
    console.print(
        f"{result.sentences} sentences; CIs: {boot['resamples']} bootstrap resamples of {boot['unit']}s "
        f"(seed {boot['seed']}); invalid IOB2 transitions in predictions: {result.invalid_transitions}"
    )
    if "note" in boot:
        console.print(f"note: {boot['note']}")
    if result.missing:
        console.print(f"[yellow]{len(result.missing)} missing sentence id(s) were scored as empty (--allow-missing)[/]")
    partial = Table(title="Partial match (SemEval-2013 / MUC schemas)")
    for col in ("schema", "correct", "incorrect", "partial", "missed", "spurious", "P", "R", "F1"):
        partial.add_column(col, justify="right")
    for schema in SCHEMAS:
        m = result.partial.overall[schema]
        p, r, f = m.scores(schema)
        partial.add_row(
            schema,
            *(str(x) for x in (m.correct, m.incorrect, m.partial, m.missed, m.spurious)),
            f"{p:.3f}",
            f"{r:.3f}",
            f"{f:.3f}",
        )
    console.print(partial)
    docs = Table(title="Per document (strict micro)")
    for col in ("document", "sentences", "P", "R", "F1", "tp", "fp", "fn"):
        docs.add_column(col, justify="right")
    for d in result.documents:
        docs.add_row(
            d.doc_id,
            str(d.sentences),
            f"{d.precision:.3f}",
            f"{d.recall:.3f}",
            f"{d.f1:.3f}",
            str(d.tp),
            str(d.fp),
            str(d.fn),
        )
    console.print(docs)
    errs = Table(title="Errors (first examples of each kind)")
    for col in ("kind", "count", "sentence", "gold", "predicted", "context"):
        errs.add_column(col)
    for kind in KINDS:
        examples = result.errors.examples[kind]
        if not examples:
            errs.add_row(kind, str(result.errors.counts[kind]), "", "", "", "")
        for k, e in enumerate(examples):
            errs.add_row(
                kind if k == 0 else "",
                str(result.errors.counts[kind]) if k == 0 else "",
                e.sentence_id,
                e.gold,
                e.predicted,
                e.context,
            )
    console.print(errs)


def render_comparison(cmp: Comparison, a: str, b: str, console: Console) -> None:
    table = Table(title="Micro-F1 comparison (strict seqeval)")
    for col in ("A", "B", "F1 A", "F1 B", "B - A", "95% CI", "p (paired bootstrap)", "p (approx. randomization)"):
        table.add_column(col, justify="right")
    table.add_row(
        a, b, f"{cmp.f1_a:.4f}", f"{cmp.f1_b:.4f}", f"{cmp.delta:+.4f}", f"[{cmp.ci.low:+.4f}, {cmp.ci.high:+.4f}]",
        f"{cmp.p_bootstrap:.4f}", f"{cmp.p_randomization:.4f}",
    )  # fmt: skip
    console.print(table)
    console.print(f"{cmp.units} units, {cmp.resamples} bootstrap resamples, {cmp.permutations} randomization trials")
