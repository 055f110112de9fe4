"""``fazhi extract``: reports in, the report × metric table out (Parquet, CSV, matrix, page).

The chain is the one a user would run by hand: read each report through the text-form layer, tag it with the
model ``fazhi tag`` uses, link INDICATORs to metric ids and AGENCYs to body types (``fazhi_ner.links``), read
each value (``fazhi_ner.indicators``) and make one cell per metric with the gold table's rule. Nothing is
half-written: every input is checked and identified before the model loads, and the output files are staged
and renamed together at the end.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.comparison.cells import Cell
from fazhi_ner.extraction.cells import body_counts, predicted_cells, report_document
from fazhi_ner.extraction.errors import ExtractionError
from fazhi_ner.extraction.identity import identify
from fazhi_ner.extraction.records import ExtractedSpan, ExtractResult, ReportExtraction
from fazhi_ner.seeds import Document
from fazhi_ner.spans import Span
from fazhi_ner.tagging.run import doc_keys
from fazhi_ner.tagging.textio import SourceInfo, check_source, read_text
from fazhi_ner.textform import normalise


@dataclass(frozen=True)
class Extracted:
    """One report's extraction, its Document (for the page and the table) and its cells."""

    report: ReportExtraction
    document: Document
    cells: tuple[Cell, ...]
    bodies: Counter[str]
    readings: tuple[str, ...]  # per span: its text in the models' form (what the value is read from)


def extract_text(text: str, *, doc_id: str, source: str, unit: str, year: int, tagger, linker=None) -> Extracted:  # noqa: ANN001
    """Tag, link and read one report's text (the models read its normalised form; offsets are into ``text``)."""
    from fazhi_ner.links.linker import link_spans
    from fazhi_ner.links.taxonomy import load_taxonomy
    from fazhi_ner.tagging.tagger import tag_chunks

    form = normalise(text)
    spans: list[Span] = []
    scores: list[float | None] = []
    for sentence in tag_chunks(tagger, [(0, form.text)], doc_id):
        spans.extend(sentence.doc_spans())
        scores.extend(sentence.span_scores)
    links = link_spans(form.text, spans, model=linker)
    out: list[ExtractedSpan] = []
    readings: list[str] = []
    for span, score, link in zip(spans, scores, links, strict=True):
        start, end = form.to_original(span.start, span.end)
        score_link = None if link.link is None else link.score
        out.append(ExtractedSpan(start, end, span.label, text[start:end], score, link.link, score_link))
        readings.append(form.text[span.start : span.end])
    report = ReportExtraction(doc_id, source, unit, year, tuple(out))
    doc = report_document(report, text)
    cells = predicted_cells(doc, report.spans, load_taxonomy(), readings)
    return Extracted(report, doc, tuple(cells), body_counts(report.spans), tuple(readings))


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExtractionError(f"-o {out}: exists and is not a folder; expected an output folder")


def extract_files(names: Sequence[str], out: Path, *, model: str | None = None, unit: str | None = None,
                  year: int | None = None, progress: bool = True, train: bool = True,
                  models_dir: Path | None = None) -> ExtractResult:  # fmt: skip
    """Extract every report in ``names`` into ``out`` (see the module docstring for what is written)."""
    from fazhi_ner.tagging.errors import InputError
    from fazhi_ner.tagging.models import get_model

    if not names:
        raise InputError("no input: give one or more report FILEs")
    if unit is not None and len(names) > 1:
        raise ExtractionError(
            f"--unit names one report, found {len(names)} FILEs; give one FILE, or leave --unit out so each "
            "report's unit is read from its title"
        )
    if "-" in names:
        raise InputError("-: extract reads files, not stdin (offsets point into a file)")
    _check_out(out)
    sources = [check_source(Path(name), name) for name in names]
    texts = [read_text(source) for source in sources]
    identities = [identify(t, s.name, unit=unit, year=year) for t, s in zip(texts, sources, strict=True)]
    tagger = get_model(model, train=train, models_dir=models_dir, notify=lambda m: print(m, file=sys.stderr))
    done = _run(sources, texts, identities, tagger, progress)
    files = outputs(done, provenance=_provenance(tagger.name, len(done)))
    _write(out, files)
    return ExtractResult(
        str(out), len(done), sum(len(e.cells) for e in done), sum(len(e.report.spans) for e in done), tagger.name
    )


def _run(sources: Sequence[SourceInfo], texts: Sequence[str], identities: Sequence[tuple[str, int]], tagger,  # noqa: ANN001
         show: bool) -> list[Extracted]:  # fmt: skip
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("extracting {task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    done = []
    keys = doc_keys([s.name for s in sources])
    with Progress(*columns, console=Console(stderr=True), transient=True, disable=not show) as bar:
        task = bar.add_task("", total=len(sources))
        for source, text, (unit, year), key in zip(sources, texts, identities, keys, strict=True):
            bar.update(task, description=source.name)
            done.append(extract_text(text, doc_id=key, source=source.name, unit=unit, year=year, tagger=tagger))
            bar.advance(task)
    return done


def _provenance(model: str, reports: int) -> str:
    from html import escape

    from fazhi_ner.links.linker import VERSION

    return (
        f"Generated by <code>fazhi extract</code> from {reports} report(s): spans tagged by <code>{escape(model)}</code>, "
        f"INDICATORs linked to metric ids and AGENCYs to body types by the linker <code>{escape(VERSION)}</code>, "
        "values read by <code>fazhi_ner.indicators</code> (万 → ×10,000, 万元/亿元 → 元). Every cell is "
        "<b>predicted</b>, not gold: check a number against its source span before you use it."
    )


def outputs(done: Sequence[Extracted], *, provenance: str) -> dict[str, str | bytes]:
    """The files of an extraction folder, by name."""
    from fazhi_ner.comparison import page, table
    from fazhi_ner.links.taxonomy import load_taxonomy

    cells = sorted((c for e in done for c in e.cells), key=lambda c: (c.doc_id, c.metric_id))
    documents = {e.document.doc_id: e.document for e in done}
    bodies = {e.document.doc_id: e.bodies for e in done}
    df = table.frame(cells)
    return {
        "table.parquet": table.parquet_bytes(df),
        "table.csv": table.csv_text(df),
        "matrix.csv": table.csv_text(table.matrix(df)),
        "index.html": page.render(cells, documents, load_taxonomy(), bodies, provenance=provenance),
        "reports.jsonl": "".join(e.report.to_line() for e in done),
    }


def _write(out: Path, files: dict[str, str | bytes]) -> None:
    """Stage every file beside its target, then rename them all: no reader sees half an extraction."""
    from fazhi_ner.atomic import atomic_write_files

    out.mkdir(parents=True, exist_ok=True)
    atomic_write_files({out / name: content for name, content in files.items()})
