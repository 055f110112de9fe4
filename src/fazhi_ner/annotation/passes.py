"""Read one annotation pass from any of its committed forms: review files, gold files or a Label Studio export."""

from __future__ import annotations

from pathlib import Path

from fazhi_ner.errors import AnnotationError
from fazhi_ner.formats.review import parse_review
from fazhi_ner.gold import read_gold_file
from fazhi_ner.seeds import documents_by_id
from fazhi_ner.spans import Span


def read_pass(source: Path) -> dict[str, list[Span]]:
    """Spans per doc_id from a folder of ``<doc_id>.txt`` review files or ``<doc_id>.jsonl`` gold files,
    or from a Label Studio JSON export (converted with the same strict rules as the gold)."""
    docs = documents_by_id()
    if source.is_file() and source.suffix == ".json":
        from fazhi_ner.annotation.convert import convert_export
        from fazhi_ner.formats.labelstudio import read_tasks

        return convert_export(read_tasks(source), source=str(source), documents=docs).spans
    if not source.is_dir():
        raise AnnotationError(f"{source}: expected a Label Studio export (.json) or a folder of review/gold files")
    spans: dict[str, list[Span]] = {}
    for path in sorted(source.iterdir()):
        if path.stem not in docs or path.suffix not in (".txt", ".jsonl"):
            continue
        if path.stem in spans:
            raise AnnotationError(f"{source}: both a review file and a gold file for {path.stem}")
        doc = docs[path.stem]
        spans[path.stem] = parse_review(path, doc) if path.suffix == ".txt" else read_gold_file(path, doc)
    if not spans:
        raise AnnotationError(f"{source}: no <doc_id>.txt or <doc_id>.jsonl files for any known document")
    return spans
