"""File-level helpers for link passes: blank input files for a pass, and linking a tagged report file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.errors import LinkError
from fazhi_ner.links.records import blank_records, render


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    label: str


def write_blank(out: Path, doc_ids: Sequence[str] | None, *, force: bool = False) -> list[Path]:
    """One blank link file per report; never replaces a file unless ``force`` (curated data is precious)."""
    from fazhi_ner.atomic import atomic_write_text
    from fazhi_ner.gold import load_gold
    from fazhi_ner.seeds import documents_by_id

    gold, docs = load_gold(), documents_by_id()
    wanted = list(doc_ids) if doc_ids else sorted(gold)
    for doc_id in wanted:
        if doc_id not in gold:
            raise LinkError(f"--doc {doc_id!r}: expected a report with span gold, one of {', '.join(sorted(gold))}")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc_id in wanted:
        path = out / f"{doc_id}.tsv"
        if path.exists() and not force:
            raise LinkError(f"{path}: exists; pass --force to replace it")
        atomic_write_text(path, render(blank_records(doc_id, gold[doc_id]), docs[doc_id]))
        paths.append(path)
    return paths


def predict_file(text_path: Path, spans_path: Path) -> list[dict[str, object]]:
    """Read a report text and a JSONL of spans, return the linker's prediction for each span."""
    import json

    from fazhi_ner.links.linker import link_spans

    try:
        text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{text_path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from None
    spans: list[_Span] = []
    try:
        lines = spans_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{spans_path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            span = _Span(int(row["start"]), int(row["end"]), str(row["label"]))
        except (ValueError, KeyError, TypeError):
            raise LinkError(
                f"{spans_path}:{number}: expected a JSON object with start, end, label, found {line[:60]!r}"
            ) from None
        if not 0 <= span.start < span.end <= len(text):
            raise LinkError(
                f"{spans_path}:{number}: span [{span.start}, {span.end}) outside the text (length {len(text)})"
            )
        spans.append(span)
    return [
        {"start": p.start, "end": p.end, "label": p.label, "text": p.text, "link": p.link, "score": p.score}
        for p in link_spans(text, spans)
    ]
