"""Exports of the gold to other tools' formats, each with a reader so round trips are tested.

- CoNLL: one character and its IOB2 tag per line (tab-separated), a blank line after each sentence,
  ``-DOCSTART-`` before each document.
- spaCy: a DocBin of character-token Docs (``words=list(text)``, no spaces) with the spans as ents.
- JSONL: one sentence per line with its spans.
- BRAT standoff: ``<doc_id>.txt`` (the full report) and ``<doc_id>.ann`` (document offsets).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.atomic import atomic_directory, atomic_write_bytes, atomic_write_text
from fazhi_ner.conll import DOCSTART, parse_conll, write_conll
from fazhi_ner.dataset.rows import Corpus, load_corpus
from fazhi_ner.errors import DatasetError
from fazhi_ner.labels import LABEL_NAMES, get_label
from fazhi_ner.spans import Span, spans_to_tags, tags_to_spans
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


def read_conll(text: str, *, where: str = "conll") -> list[list[tuple[str, list[Span]]]]:
    """Documents, each a list of ``(sentence text, spans)``, read with :func:`fazhi_ner.conll.parse_conll`."""
    parsed = parse_conll(text)
    docs: list[list[tuple[str, list[Span]]]] = [[] for _ in range(parsed.documents)]
    for block in parsed.blocks:
        if block.doc < 0:
            raise DatasetError(f"{where}:{block.line}: sentence before the first {DOCSTART}")
        for token in block.tokens:
            if len(token.char) != 1:
                raise DatasetError(
                    f"{where}:{token.line}: expected one character, a tab and a tag; found {token.char!r} {token.tag!r}"
                )
        sentence = "".join(t.char for t in block.tokens)
        docs[block.doc].append((sentence, tags_to_spans([t.tag for t in block.tokens], text=sentence)))
    return docs


# --- JSONL -------------------------------------------------------------------------------------


def to_jsonl(docs: Sequence[ExportDocument]) -> str:
    lines = []
    for doc in docs:
        for s in doc.sentences:
            row = {
                "id": s.id,
                "doc_id": doc.doc_id,
                "doc_start": s.doc_start,
                "text": s.text,
                "spans": [sp.as_dict() for sp in s.spans],
            }
            lines.append(json.dumps(row, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def read_jsonl(text: str, *, where: str = "jsonl") -> list[dict[str, object]]:
    """Rows with ``spans`` as :class:`Span` records, each checked against the sentence text."""
    rows = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            spans = [Span(d["start"], d["end"], d["label"], d["text"]) for d in row["spans"]]
        except (ValueError, KeyError, TypeError):
            raise DatasetError(
                f"{where}:{lineno}: expected a sentence object with spans, found {line[:60]!r}"
            ) from None
        for span in spans:
            get_label(span.label)
            if row["text"][span.start : span.end] != span.text:
                raise DatasetError(
                    f"{where}:{lineno}: span [{span.start}, {span.end}) text disagrees with the sentence"
                )
        row["spans"] = spans
        rows.append(row)
    return rows


# --- BRAT --------------------------------------------------------------------------------------


def to_brat_ann(doc: ExportDocument) -> str:
    lines = []
    n = 0
    for s in doc.sentences:
        for span in s.spans:
            n += 1
            start, end = span.start + s.doc_start, span.end + s.doc_start
            lines.append(f"T{n}\t{span.label} {start} {end}\t{doc.text[start:end]}")
    return "".join(line + "\n" for line in lines)


def brat_conf() -> str:
    return "[entities]\n" + "".join(f"{name}\n" for name in LABEL_NAMES) + "[relations]\n[events]\n[attributes]\n"


def write_brat(docs: Sequence[ExportDocument], directory: Path) -> list[Path]:
    with atomic_directory(directory) as staging:
        staging.chmod(0o755)
        (staging / "annotation.conf").write_text(brat_conf(), encoding="utf-8")
        for doc in docs:
            # newline="" keeps the report's own line endings, so BRAT offsets stay character-exact.
            with open(staging / f"{doc.doc_id}.txt", "w", encoding="utf-8", newline="") as handle:
                handle.write(doc.text)
            (staging / f"{doc.doc_id}.ann").write_text(to_brat_ann(doc), encoding="utf-8")
    return sorted(directory.iterdir())


def read_brat(directory: Path) -> dict[str, tuple[str, list[Span]]]:
    """``{doc_id: (text, spans in document offsets)}``; each span's text is checked against the .txt."""
    out: dict[str, tuple[str, list[Span]]] = {}
    for ann in sorted(Path(directory).glob("*.ann")):
        with open(ann.with_suffix(".txt"), encoding="utf-8", newline="") as handle:
            text = handle.read()
        spans = []
        for lineno, line in enumerate(ann.read_text(encoding="utf-8").split("\n"), start=1):
            if not line:
                continue
            try:
                tid, middle, covered = line.split("\t", 2)
                label, start, end = middle.split(" ")
                span = Span(int(start), int(end), label, covered)
            except ValueError:
                raise DatasetError(
                    f"{ann}:{lineno}: expected 'T<n>\\tLABEL start end\\ttext', found {line!r}"
                ) from None
            get_label(label)
            if not tid.startswith("T") or text[span.start : span.end] != covered:
                raise DatasetError(
                    f"{ann}:{lineno}: span [{start}, {end}) expected {text[span.start : span.end]!r}, found {covered!r}"
                )
            spans.append(span)
        out[ann.stem] = (text, sorted(spans))
    return out


# --- spaCy -------------------------------------------------------------------------------------


def _blank_zh():
    import spacy

    return spacy.blank("zh")  # the default "char" segmenter: no model or dictionary download


def to_spacy_bytes(docs: Sequence[ExportDocument]) -> bytes:
    from spacy.tokens import Doc, DocBin

    nlp = _blank_zh()
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        for s in doc.sentences:
            sdoc = Doc(nlp.vocab, words=list(s.text), spaces=[False] * len(s.text))
            ents = []
            for span in s.spans:
                ent = sdoc.char_span(span.start, span.end, label=span.label)
                if ent is None:
                    raise DatasetError(f"{s.id}: span [{span.start}, {span.end}) does not align with character tokens")
                ents.append(ent)
            sdoc.ents = ents
            sdoc.user_data["id"] = s.id
            sdoc.user_data["doc_id"] = doc.doc_id
            docbin.add(sdoc)
    return docbin.to_bytes()


def read_spacy_bytes(data: bytes) -> list[tuple[str, str, list[Span]]]:
    """``(id, text, spans)`` for each Doc in a DocBin."""
    from spacy.tokens import DocBin

    nlp = _blank_zh()
    out = []
    for sdoc in DocBin().from_bytes(data).get_docs(nlp.vocab):
        spans = [Span(e.start_char, e.end_char, e.label_, e.text) for e in sdoc.ents]
        out.append((str(sdoc.user_data.get("id", "")), sdoc.text, spans))
    return out


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
