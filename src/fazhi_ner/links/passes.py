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


def predict_file(text_path: Path | None, spans_path: Path) -> list[dict[str, object]]:
    """Link the spans of a tagged report; one output row per INDICATOR/AGENCY/other span.

    Two input shapes, one JSON object per line: a span with document offsets ``{start, end, label}``
    (then ``text_path`` is the report), or a ``fazhi tag`` sentence row ``{text, doc_start, spans: [...]}``
    with sentence-relative spans (then ``text_path`` may be omitted: the sentence text is the context).
    Output offsets are document offsets when ``doc_start`` is known.
    """
    from fazhi_ner.formats.jsonl import parse_jsonl
    from fazhi_ner.links.linker import link_spans

    text = None
    if text_path is not None:
        try:
            text = text_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LinkError(f"{text_path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from None
    try:
        lines = list(parse_jsonl(spans_path.read_text(encoding="utf-8"), where=str(spans_path)))
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{spans_path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from None
    out: list[dict[str, object]] = []
    loose: list[_Span] = []
    for line in lines:
        where = line.where
        try:
            if line.error is not None:
                raise ValueError(line.error)
            row = line.row
            if isinstance(row, dict) and "spans" in row:
                sentence, offset = str(row["text"]), int(row.get("doc_start", 0))
                spans = [_Span(int(s["start"]), int(s["end"]), str(s["label"])) for s in row["spans"]]
            else:
                sentence, offset = None, 0
                spans = [_Span(int(row["start"]), int(row["end"]), str(row["label"]))]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise LinkError(
                f"{where}: expected a span {{start, end, label}} or a sentence row {{text, doc_start, spans}}, "
                f"found {line.text[:60]!r}"
            ) from None
        context_text = sentence if sentence is not None else text
        if context_text is None:
            raise LinkError(f"{where}: a span with document offsets needs --text (the report it points into)")
        for span in spans:
            if not 0 <= span.start < span.end <= len(context_text):
                raise LinkError(
                    f"{where}: span [{span.start}, {span.end}) outside the text (length {len(context_text)})"
                )
        if sentence is None:
            loose.extend(spans)
            continue
        for p in link_spans(sentence, spans):
            out.append(
                {
                    "start": p.start + offset,
                    "end": p.end + offset,
                    "label": p.label,
                    "text": p.text,
                    "link": p.link,
                    "score": p.score,
                }
            )
    if loose:
        for p in link_spans(text, loose):  # type: ignore[arg-type]
            out.append(
                {"start": p.start, "end": p.end, "label": p.label, "text": p.text, "link": p.link, "score": p.score}
            )
    return sorted(out, key=lambda r: (r["start"], r["end"]))


BLIND_HEADER = ("item", "label", "text", "context", "link", "reason")
KEY_HEADER = ("item", "batch", "doc_id", "start", "end", "label")


def _tsv(path: Path, header: tuple[str, ...]) -> list[list[str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{path}: cannot read as UTF-8 text ({exc.__class__.__name__})") from None
    if not lines or tuple(lines[0].split("\t")) != header:
        raise LinkError(
            f"{path}:1: expected the header {' '.join(header)!r}, found {lines[0] if lines else 'nothing'!r}"
        )
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise LinkError(f"{path}:{number}: expected {len(header)} tab-separated cells, found {len(cells)}")
        rows.append(cells)
    return rows


def unblind(key: Path, batches: Path, out: Path, *, force: bool = False) -> list[Path]:
    """Turn a blinded pass (shuffled items in batch files) back into one link file per report.

    The key maps each random item id to its report and span; every item must come back exactly once
    with the span text and context it was given, so nothing can be linked to the wrong span.
    """
    from fazhi_ner.atomic import atomic_write_text
    from fazhi_ner.links.records import LinkRecord, context
    from fazhi_ner.links.taxonomy import load_taxonomy
    from fazhi_ner.seeds import documents_by_id

    docs, taxonomy = documents_by_id(), load_taxonomy()
    spans = {row[0]: row for row in _tsv(key, KEY_HEADER)}
    found: dict[str, list[LinkRecord]] = {}
    seen: set[str] = set()
    for batch in sorted({row[1] for row in spans.values()}):
        path = batches / batch
        for number, (item, label, text, ctx, link, reason) in enumerate(_tsv(path, BLIND_HEADER), start=2):
            where = f"{path}:{number}"
            if item not in spans or spans[item][1] != batch or item in seen:
                raise LinkError(f"{where}: item {item!r} expected once in {batch} by the key, found otherwise")
            seen.add(item)
            _, _, doc_id, start_s, end_s, key_label = spans[item]
            start, end = int(start_s), int(end_s)
            doc = docs[doc_id]
            if label != key_label or text != doc.text[start:end] or ctx != context(doc.text, start, end):
                raise LinkError(f"{where}: item {item!r} label/text/context differ from the span the key names")
            if link not in taxonomy.allowed(label) or (link == "other" and not reason.strip()):
                raise LinkError(f"{where}: link {link!r} expected a valid id (and a reason for 'other')")
            found.setdefault(doc_id, []).append(LinkRecord(doc_id, start, end, label, text, link, reason.strip()))
    if seen != set(spans):
        missing = sorted(set(spans) - seen)
        raise LinkError(f"{batches}: item {missing[0]!r} of the key expected in a batch file, found none")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc_id, records in sorted(found.items()):
        path = out / f"{doc_id}.tsv"
        if path.exists() and not force:
            raise LinkError(f"{path}: exists; pass --force to replace it")
        atomic_write_text(path, render(sorted(records, key=lambda r: (r.start, r.end)), docs[doc_id]))
        paths.append(path)
    return paths
