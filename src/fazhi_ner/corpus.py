"""The one corpus model: seed documents and sentences joined with the gold spans, per split or fold.

This is the one place where documents, sentences, splits and gold meet. :class:`Corpus` (documents
with their sentences) feeds the dataset builder; :class:`Example` (one sentence with its spans, the
same record as :data:`GoldSentence`) feeds the evaluation harness and the baselines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_ner.errors import DatasetError, FaZhiError, GoldError
from fazhi_ner.gold import load_gold, sentence_spans, validate_document_spans
from fazhi_ner.seeds import Document, documents_by_id, load_documents
from fazhi_ner.sentences import Sentence, document_sentences
from fazhi_ner.spans import Span, spans_to_tags, tags_to_spans
from fazhi_ner.splits import check_split_name, fold_of, split_of


@dataclass(frozen=True)
class Example:
    """A sentence with its gold spans in sentence coordinates."""

    sentence: Sentence
    spans: tuple[Span, ...]
    doc: Document | None = field(default=None, compare=False, repr=False)  # set when read as part of a Corpus

    @property
    def id(self) -> str:
        return self.sentence.id

    @property
    def text(self) -> str:
        return self.sentence.text

    def tags(self) -> list[str]:
        return spans_to_tags(self.spans, len(self.sentence.text))


GoldSentence = Example  # the dataset code's name for a sentence of a gold document


@dataclass(frozen=True)
class GoldDocument:
    """One annotated report: the document, its gold spans (document offsets) and its sentences."""

    doc: Document
    spans: tuple[Span, ...]
    sentences: tuple[GoldSentence, ...]
    # Explicit for documents outside the split table (synthetic scale-test documents inherit their
    # template's); None means the table's entry for doc_id.
    split_name: str | None = None
    fold_index: int | None = None

    @property
    def split(self) -> str:
        return self.split_name if self.split_name is not None else split_of(self.doc.doc_id)

    @property
    def fold(self) -> int:
        return self.fold_index if self.fold_index is not None else fold_of(self.doc.doc_id)


@dataclass(frozen=True)
class Corpus:
    """The gold corpus in manifest order, with the folder it was read from."""

    documents: tuple[GoldDocument, ...]
    gold_directory: Path

    def split_documents(self, split: str) -> list[GoldDocument]:
        return [d for d in self.documents if d.split == split]

    def sentences(self, split: str | None = None) -> list[GoldSentence]:
        return [s for d in self.documents if split is None or d.split == split for s in d.sentences]


def gold_sentences(doc: Document, spans: Sequence[Span], where: str) -> tuple[GoldSentence, ...]:
    """Join a document's spans with its sentences; every span must lie inside exactly one sentence."""
    sentences = document_sentences(doc)
    out: list[GoldSentence] = []
    placed = 0
    for sentence in sentences:
        inside = tuple(sentence_spans(sentence, spans))
        placed += len(inside)
        out.append(GoldSentence(sentence, inside, doc=doc))
    if placed != len(spans):
        starts = [(s.start, s.end) for s in sentences]
        for span in spans:
            if not any(a <= span.start and span.end <= b for a, b in starts):
                raise GoldError(
                    f"{where}: span [{span.start}, {span.end}) {span.label} {span.text!r} expected inside a "
                    "sentence, found it in the whitespace between sentences"
                )
    for gs in out:
        tags = spans_to_tags(gs.spans, len(gs.sentence.text))
        decoded = tags_to_spans(tags, text=gs.sentence.text)
        if [(s.start, s.end, s.label) for s in decoded] != [(s.start, s.end, s.label) for s in gs.spans]:
            raise GoldError(f"{where}: sentence {gs.sentence.id} spans do not survive the IOB2 round trip")
    return tuple(out)


def corpus_from_spans(gold: Mapping[str, Sequence[Span]], gold_directory: Path) -> Corpus:
    """Build the corpus from spans keyed by doc_id, validating each against its document and sentences."""
    docs = documents_by_id()
    documents: list[GoldDocument] = []
    for doc in docs.values():
        if doc.doc_id not in gold:
            continue
        where = str(gold_directory / f"{doc.doc_id}.jsonl")
        try:
            ordered = validate_document_spans(doc, gold[doc.doc_id], where=where)
        except FaZhiError as exc:
            raise GoldError(str(exc)) from None
        spans = tuple(Span(s.start, s.end, s.label, doc.text[s.start : s.end]) for s in ordered)
        split_of(doc.doc_id)
        fold_of(doc.doc_id)
        documents.append(GoldDocument(doc, spans, gold_sentences(doc, spans, where)))
    return Corpus(tuple(documents), gold_directory)


def load_corpus(gold_directory: Path | None = None, *, complete: bool | None = None) -> Corpus:
    """Read and validate the gold folder; refuse an empty one (there is nothing to publish).

    ``complete`` (default: when the folder is the project's ``annotation/gold``) requires a gold file
    for every manifest document, so a deleted file fails the build instead of silently dropping a
    report. Other folders (provisional gold in tests) may hold a subset.
    """
    from fazhi_ner.paths import gold_dir

    directory = Path(gold_directory) if gold_directory is not None else gold_dir()
    if complete is None:
        complete = directory.resolve() == gold_dir().resolve()
    if not directory.is_dir() or not any(directory.glob("*.jsonl")):
        raise DatasetError(
            f"{directory}: no gold files (*.jsonl); the dataset is built only from gold written by "
            "`fazhi annotate convert`"
        )
    return corpus_from_spans(load_gold(directory, complete=complete), directory)


def examples_from(gold: Mapping[str, Sequence[Span]], doc_ids: Iterable[str] | None = None) -> list[Example]:
    """Examples for every sentence of the given documents (all with gold when ``doc_ids`` is None)."""
    wanted = set(gold) if doc_ids is None else set(doc_ids)
    examples: list[Example] = []
    for doc in load_documents():
        if doc.doc_id not in wanted:
            continue
        doc_spans = gold.get(doc.doc_id, [])
        for sentence in document_sentences(doc):
            examples.append(Example(sentence, tuple(sentence_spans(sentence, doc_spans))))
    return examples


def load_examples(
    split: str | None = None,
    *,
    fold: int | None = None,
    heldout: bool = True,
    gold_directory: Path | None = None,
) -> list[Example]:
    """Gold examples for a split, or for a fold (its held-out document, or the rest with ``heldout=False``)."""
    gold = load_gold(gold_directory)
    doc_ids = list(gold)
    if split is not None:
        check_split_name(split)
        doc_ids = [d for d in doc_ids if split_of(d) == split]
    if fold is not None:
        doc_ids = [d for d in doc_ids if (fold_of(d) == fold) == heldout]
    return examples_from(gold, doc_ids)


def fingerprint(examples: Iterable[Example]) -> str:
    """sha256 of a canonical JSONL view (id, text, spans) of the examples: names the exact gold scored against."""
    digest = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e.id):
        row = {"id": ex.id, "text": ex.text, "spans": [[s.start, s.end, s.label] for s in ex.spans]}
        digest.update((json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    return digest.hexdigest()
