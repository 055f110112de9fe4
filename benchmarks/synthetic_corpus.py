"""Deterministic synthetic corpora for scale tests: real sentences and their spans, recombined.

Why: the real corpus is five reports (about a thousand sentences), too small to show how build,
pre-annotation, export and evaluation grow. A synthetic document takes one real report as its
*template* (metadata, split, fold) and a seeded sample of that report's sentences, joined by
newlines; every span is shifted to its new offsets and the result is validated (span text at
offsets, sentence boundaries unchanged by re-splitting). Document ``i`` depends only on
``(seed, i)``, so corpora can be generated lazily, in any order, in parallel, and identically twice.

Synthetic data is never written into ``annotation/gold`` or ``dataset/`` and never published.
This module is test and benchmark tooling, so it lives in ``benchmarks/`` (on pytest's ``pythonpath``),
not in the installed package. A synthetic document carries its template's split and fold explicitly
(:class:`fazhi_ner.corpus.GoldDocument` ``split_name``/``fold_index``); nothing is patched at run time.
The source spans are a parameter: the human gold when it exists, else a Label Studio export.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.errors import DatasetError, FaZhiError
from fazhi_ner.gold import sentence_spans, validate_document_spans
from fazhi_ner.seeds import Document, documents_by_id
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span

PREFIX = "synth"


class SyntheticError(DatasetError):
    """A synthetic document failed validation (a generator bug: the source spans were valid)."""


@dataclass(frozen=True)
class SourceSentence:
    """A real sentence with its spans in sentence coordinates."""

    id: str
    template: str  # doc_id of the real report it comes from
    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class SyntheticDocument:
    """A generated report: a :class:`Document` record, its spans (document offsets) and provenance."""

    doc: Document
    spans: tuple[Span, ...]
    template: str
    sources: tuple[str, ...]  # source sentence ids, in order


def gold_source(directory: Path | None = None) -> dict[str, list[Span]]:
    """Spans from the gold folder (``annotation/gold`` by default)."""
    from fazhi_ner.gold import load_gold

    return load_gold(directory)


def export_source(path: Path | None = None) -> dict[str, list[Span]]:
    """Spans from a Label Studio export (``annotation/exports/pass1.json`` by default), strictly converted."""
    from fazhi_ner.annotation.convert import convert_export
    from fazhi_ner.formats.labelstudio import read_tasks
    from fazhi_ner.paths import exports_dir

    path = Path(path) if path is not None else exports_dir() / "pass1.json"
    return dict(convert_export(read_tasks(path), source=str(path), documents=documents_by_id()).spans)


def default_source() -> tuple[str, dict[str, list[Span]]]:
    """The human gold when ``annotation/gold`` has files, else the first-pass export; returns (name, spans)."""
    from fazhi_ner.paths import exports_dir, gold_dir

    if gold_dir().is_dir() and any(gold_dir().glob("*.jsonl")):
        return str(gold_dir()), gold_source()
    path = exports_dir() / "pass1.json"
    return str(path), export_source(path)


def source_sentences(
    spans_by_doc: Mapping[str, Sequence[Span]], documents: Mapping[str, Document] | None = None
) -> dict[str, list[SourceSentence]]:
    """Every sentence of every document with spans, grouped by document (manifest order)."""
    documents = documents if documents is not None else documents_by_id()
    out: dict[str, list[SourceSentence]] = {}
    for doc_id, doc in documents.items():
        if doc_id not in spans_by_doc:
            continue
        spans = validate_document_spans(doc, spans_by_doc[doc_id])
        out[doc_id] = [
            SourceSentence(s.id, doc_id, s.text, tuple(sentence_spans(s, spans))) for s in document_sentences(doc)
        ]
    if not out:
        raise DatasetError("synthetic corpus: the source has no documents with spans")
    return out


def synthetic_id(seed: int, index: int, template: str) -> str:
    """``synth<seed>-<index>-<template doc_id>``: the template is recoverable from the id alone."""
    return f"{PREFIX}{seed}-{index:06d}-{template}"


def template_of(doc_id: str) -> str | None:
    """The real report a synthetic doc_id was made from, or None for a real doc_id."""
    if not doc_id.startswith(PREFIX):
        return None
    parts = doc_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[1].isdigit() else None


def synthetic_document(
    sources: Mapping[str, Sequence[SourceSentence]],
    index: int,
    *,
    seed: int = 0,
    sentences: int | None = None,
    documents: Mapping[str, Document] | None = None,
    validate: bool = True,
) -> SyntheticDocument:
    """Document ``index``: template ``index mod n`` and a seeded sample (with replacement) of its sentences."""
    documents = documents if documents is not None else documents_by_id()
    templates = list(sources)
    template = templates[index % len(templates)]
    pool = sources[template]
    rng = random.Random(f"fazhi-synthetic:{seed}:{index}")
    picked = rng.choices(pool, k=sentences if sentences is not None else len(pool))
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for sentence in picked:
        spans.extend(span.shifted(offset) for span in sentence.spans)
        parts.append(sentence.text)
        offset += len(sentence.text) + 1
    text = "\n".join(parts) + "\n"
    base = documents[template]
    doc_id = synthetic_id(seed, index, template)
    doc = Document(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        province=base.province,
        prefecture=base.prefecture,
        unit=base.unit,
        unit_type=base.unit_type,
        year=base.year,
        date_written=None,
        date_published=None,
        title=None,
        body_start=0,
        body_end=len(text),
        excluded=(),
        note=f"SYNTHETIC: sentences of {template} recombined (seed {seed}); not a real report",
    )
    result = SyntheticDocument(doc, tuple(spans), template, tuple(s.id for s in picked))
    if validate:
        check_document(result, picked)
    return result


def check_document(synth: SyntheticDocument, picked: Sequence[SourceSentence]) -> None:
    """Span texts at their new offsets, and re-splitting gives back exactly the picked sentences."""
    doc = synth.doc
    try:
        validate_document_spans(doc, synth.spans)
    except FaZhiError as exc:
        raise SyntheticError(f"{doc.doc_id}: {exc}") from None
    split = document_sentences(doc)
    if [s.text for s in split] != [p.text for p in picked]:
        raise SyntheticError(
            f"{doc.doc_id}: re-splitting expected {len(picked)} sentences equal to the sources, found {len(split)}"
        )
    for sentence, source in zip(split, picked, strict=True):
        if tuple(sentence_spans(sentence, synth.spans)) != source.spans:
            raise SyntheticError(f"{sentence.id}: spans differ from those of the source sentence {source.id}")


def synthetic_corpus(
    sources: Mapping[str, Sequence[SourceSentence]],
    n_docs: int,
    *,
    seed: int = 0,
    sentences: int | None = None,
    validate: bool = True,
) -> Iterator[SyntheticDocument]:
    """``n_docs`` documents, lazily (memory does not grow with ``n_docs``)."""
    documents = documents_by_id()
    for index in range(n_docs):
        yield synthetic_document(sources, index, seed=seed, sentences=sentences, documents=documents, validate=validate)


def scaled(
    sources: Mapping[str, Sequence[SourceSentence]], factor: int, *, seed: int = 0
) -> Iterator[SyntheticDocument]:
    """``factor`` times the source corpus: ``factor`` documents per template, each as long as its template."""
    return synthetic_corpus(sources, factor * len(sources), seed=seed)


def gold_document(synth: SyntheticDocument):  # noqa: ANN201 - rows.GoldDocument, imported lazily
    """The dataset builder's record for a synthetic document (spans validated against its sentences)."""
    from fazhi_ner.corpus import GoldDocument, gold_sentences
    from fazhi_ner.splits import fold_of, split_of

    where = f"<synthetic {synth.doc.doc_id}>"
    return GoldDocument(
        synth.doc,
        synth.spans,
        gold_sentences(synth.doc, synth.spans, where),
        split_name=split_of(synth.template),
        fold_index=fold_of(synth.template),
    )
