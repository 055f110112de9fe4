"""Gold sentences: the seed sentences joined with the gold spans, per split or fold.

This is the one place where documents, sentences, splits and gold meet; the dataset builder,
the evaluation harness and the baselines all read examples from here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.gold import load_gold, sentence_spans
from fazhi_ner.labels import OUTSIDE
from fazhi_ner.seeds import load_documents
from fazhi_ner.sentences import Sentence, document_sentences
from fazhi_ner.spans import Span, spans_to_tags
from fazhi_ner.splits import check_split_name, fold_of, split_of


@dataclass(frozen=True)
class Example:
    """A sentence with its gold spans in sentence coordinates."""

    sentence: Sentence
    spans: tuple[Span, ...]

    @property
    def id(self) -> str:
        return self.sentence.id

    @property
    def text(self) -> str:
        return self.sentence.text

    def tags(self) -> list[str]:
        return spans_to_tags(self.spans, len(self.sentence.text))


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


def has_entities(example: Example) -> bool:
    return any(tag != OUTSIDE for tag in example.tags())
