"""Corpus-wide consistency check: the same surface string annotated differently in different places.

Used for the re-check after adjudication: every AGENCY or INITIATIVE string that is a span somewhere
is looked up everywhere else in the annotated documents; each occurrence that is unlabelled (and not
inside another span) or labelled differently is reported, so a reviewer decides them together.
INDICATORs are left out: the same words with another number are a different result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fazhi_ner.seeds import Document
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span

CHECKED_LABELS = ("AGENCY", "INITIATIVE")


@dataclass(frozen=True)
class Inconsistency:
    surface: str
    label: str  # the label the string has somewhere
    doc_id: str
    sentence_id: str
    start: int  # document offset of the inconsistent occurrence
    found: str  # "unlabelled", "inside <LABEL> span '<text>'" or "labelled <LABEL> as '<text>'"


def find_inconsistencies(
    docs: Sequence[Document], gold: Mapping[str, Sequence[Span]], *, min_length: int = 3
) -> list[Inconsistency]:
    labelled: dict[str, set[str]] = defaultdict(set)
    for spans in gold.values():
        for span in spans:
            if span.label in CHECKED_LABELS and len(span.text) >= min_length:
                labelled[span.text].add(span.label)
    problems: list[Inconsistency] = []
    for doc in docs:
        if doc.doc_id not in gold:
            continue
        spans = sorted(gold[doc.doc_id])
        exact = {(s.start, s.end): s for s in spans}
        for sentence in document_sentences(doc):
            for surface, labels in labelled.items():
                pos = sentence.text.find(surface)
                while pos >= 0:
                    start, end = sentence.start + pos, sentence.start + pos + len(surface)
                    here = exact.get((start, end))
                    covering = [s for s in spans if s.start < end and start < s.end]
                    for label in sorted(labels):
                        if here is not None and here.label == label:
                            continue
                        if here is not None:
                            found = f"labelled {here.label}"
                        elif not covering:
                            found = "unlabelled"
                        elif all(s.start <= start and end <= s.end for s in covering):
                            continue  # part of a longer span: decided by that span
                        else:
                            c = covering[0]
                            found = f"crossed by {c.label} span {c.text!r}"
                        problems.append(Inconsistency(surface, label, doc.doc_id, sentence.id, start, found))
                    pos = sentence.text.find(surface, pos + 1)
    return sorted(problems, key=lambda p: (p.surface, p.doc_id, p.start))
