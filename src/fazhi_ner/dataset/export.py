"""Exports of the gold to other tools' formats, written (and read back in round-trip tests) by fazhi_ner.formats.

- CoNLL: one character and its IOB2 tag per line (tab-separated), a blank line after each sentence,
  ``-DOCSTART-`` before each document.
- spaCy: a DocBin of character-token Docs (``words=list(text)``, no spaces) with the spans as ents.
- JSONL: one sentence per line with its spans.
- BRAT standoff: ``<doc_id>.txt`` (the full report) and ``<doc_id>.ann`` (document offsets).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.atomic import atomic_directory, atomic_write_bytes, atomic_write_text
from fazhi_ner.dataset.rows import Corpus, load_corpus
from fazhi_ner.errors import DatasetError
from fazhi_ner.formats.brat import brat_conf, write_brat_document
from fazhi_ner.formats.conll import write_conll
from fazhi_ner.formats.jsonl import parse_jsonl, write_jsonl
from fazhi_ner.labels import get_label
from fazhi_ner.spans import Span, spans_to_tags
from fazhi_ner.splits import SPLIT_NAMES

FORMATS: tuple[str, ...] = ("conll", "spacy", "jsonl", "brat")


@dataclass(frozen=True)
class ExportSentence:
    """A sentence to export: spans in sentence coordinates, ``doc_start`` its offset in the report."""

    id: str
    doc_start: int
    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class ExportDocument:
    doc_id: str
    text: str
    sentences: tuple[ExportSentence, ...]


SYNTHETIC = "synthetic"  # `--split synthetic`: the train-only corpus we wrote ourselves (config `synthetic`)


def export_documents(corpus: Corpus, split: str) -> list[ExportDocument]:
    """The corpus documents of ``split`` ("all" for every split) in the export records."""
    if split != "all" and split != SYNTHETIC and split not in SPLIT_NAMES:
        raise DatasetError(f"unknown split {split!r}; expected one of {', '.join(SPLIT_NAMES)}, all, {SYNTHETIC}")
    return [
        ExportDocument(
            gd.doc.doc_id,
            gd.doc.text,
            tuple(ExportSentence(gs.sentence.id, gs.sentence.start, gs.sentence.text, gs.spans) for gs in gd.sentences),
        )
        for gd in corpus.documents
        if split in ("all", SYNTHETIC) or gd.split == split
    ]


# --- CoNLL -------------------------------------------------------------------------------------


def to_conll(docs: Sequence[ExportDocument]) -> str:
    for doc in docs:
        for sentence in doc.sentences:
            if "\n" in sentence.text or "\r" in sentence.text:
                raise DatasetError(f"{sentence.id}: a sentence expected without line breaks for CoNLL")
    return write_conll([[(s.text, spans_to_tags(s.spans, len(s.text))) for s in doc.sentences] for doc in docs])


# --- JSONL -------------------------------------------------------------------------------------


def to_jsonl(docs: Sequence[ExportDocument]) -> str:
    return write_jsonl(
        {
            "id": s.id,
            "doc_id": doc.doc_id,
            "doc_start": s.doc_start,
            "text": s.text,
            "spans": [sp.as_dict() for sp in s.spans],
        }
        for doc in docs
        for s in doc.sentences
    )


def read_export_jsonl(text: str, *, where: str = "jsonl") -> list[dict[str, object]]:
    """Rows of :func:`to_jsonl` with ``spans`` as :class:`Span` records, each checked against the sentence text."""
    rows = []
    for line in parse_jsonl(text, where=where):
        try:
            if line.error is not None:
                raise ValueError(line.error)
            row = line.row
            spans = [Span(d["start"], d["end"], d["label"], d["text"]) for d in row["spans"]]  # type: ignore[index]
        except (ValueError, KeyError, TypeError):
            raise DatasetError(
                f"{line.where}: expected a sentence object with spans, found {line.text[:60]!r}"
            ) from None
        for span in spans:
            get_label(span.label)
            if row["text"][span.start : span.end] != span.text:  # type: ignore[index]
                raise DatasetError(
                    f"{line.where}: span [{span.start}, {span.end}) text disagrees with the sentence"
                )
        row["spans"] = spans  # type: ignore[index]
        rows.append(row)
    return rows  # type: ignore[return-value]


# --- BRAT --------------------------------------------------------------------------------------


def write_brat(docs: Sequence[ExportDocument], directory: Path) -> list[Path]:
    with atomic_directory(directory) as staging:
        staging.chmod(0o755)
        (staging / "annotation.conf").write_text(brat_conf(), encoding="utf-8")
        for doc in docs:
            spans = [span.shifted(s.doc_start) for s in doc.sentences for span in s.spans]
            write_brat_document(staging, doc.doc_id, doc.text, spans)
    return sorted(directory.iterdir())


# --- spaCy -------------------------------------------------------------------------------------


def to_spacy_bytes(docs: Sequence[ExportDocument]) -> bytes:
    from fazhi_ner.formats.spacy import SpacyDoc, write_docbin

    sentences = (SpacyDoc(s.id, s.text, s.spans, doc.doc_id) for doc in docs for s in doc.sentences)
    return write_docbin(sentences, user_data=True, error=DatasetError, where="spacy export")


# --- command -----------------------------------------------------------------------------------


def export(fmt: str, split: str, out_dir: Path | None = None, gold_directory: Path | None = None) -> list[Path]:
    """Write ``split`` of the gold in ``fmt`` under ``out_dir/<fmt>/``; returns the written paths."""
    if fmt not in FORMATS:
        raise DatasetError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if out_dir is None:
        from fazhi_ner.paths import build_dir

        out_dir = build_dir() / "exports"
    if split == SYNTHETIC:
        from fazhi_ner.synthetic import load_synthetic_corpus

        corpus = load_synthetic_corpus()
    else:
        corpus = load_corpus(gold_directory)
    docs = export_documents(corpus, split)
    base = Path(out_dir) / fmt
    if fmt == "conll":
        path = base / f"{split}.conll"
        atomic_write_text(path, to_conll(docs))
        return [path]
    if fmt == "jsonl":
        path = base / f"{split}.jsonl"
        atomic_write_text(path, to_jsonl(docs))
        return [path]
    if fmt == "spacy":
        path = base / f"{split}.spacy"
        atomic_write_bytes(path, to_spacy_bytes(docs))
        return [path]
    return write_brat(docs, base / split)
