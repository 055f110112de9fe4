"""Ingested reports (``user_reports/``) in the comparison table: gold cells where link gold exists, predicted
cells otherwise (``fazhi table build --user-reports``).

Only the report's body joins (the web boilerplate ``fazhi ingest`` recorded is left out, as in the gold).
"""

from __future__ import annotations

from pathlib import Path

from fazhi_ner.comparison.build import ExtraReport, gold_link_reports
from fazhi_ner.extraction.cells import body_counts, predicted_cells
from fazhi_ner.extraction.extract import extract_text


def predicted_user_reports(model: str | None = None, *, train: bool = True,
                           models_dir: Path | None = None) -> list[ExtraReport]:  # fmt: skip
    """Predicted cells for every ingested report without link gold (none when nothing was ingested)."""
    from fazhi_ner.links.taxonomy import load_taxonomy
    from fazhi_ner.seeds import user_documents
    from fazhi_ner.tagging.models import get_model

    pending = [doc for doc in user_documents() if doc.doc_id not in gold_link_reports()]
    if not pending:
        return []
    tagger = get_model(model, train=train, models_dir=models_dir)
    out = []
    for doc in pending:
        done = extract_text(doc.text, doc_id=doc.doc_id, source=doc.file, unit=doc.unit, year=doc.year, tagger=tagger)
        kept = [i for i, s in enumerate(done.report.spans) if doc.in_body(s.start, s.end)]
        spans = [done.report.spans[i] for i in kept]
        cells = predicted_cells(doc, spans, load_taxonomy(), [done.readings[i] for i in kept])
        out.append(ExtraReport(doc, tuple(cells), body_counts(spans)))
    return out



def build_with_user_reports(out: Path | None, *, model: str | None = None, check: bool = False):  # noqa: ANN201
    """``fazhi table build --user-reports``: the gold table plus the ingested reports, into ``out`` only (the
    committed ``eval/comparison/`` stays gold, so ``table build --check`` keeps meaning something)."""
    from fazhi_ner.comparison.build import build
    from fazhi_ner.errors import ArgumentError

    if out is None:
        raise ArgumentError("--user-reports: predicted cells never go into eval/comparison/; pass --out DIR")
    return build(out, check=check, extra=predicted_user_reports(model))
