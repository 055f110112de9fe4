"""spaCy DocBin of character-token Docs: the one module of ``fazhi_ner.formats`` that imports spaCy.

A Doc is ``Doc(vocab, words=list(text), spaces=[False] * len(text))`` in a blank ``zh`` pipeline, so
one token is one character and entity offsets are character offsets (the dataset's spaCy export and
the spaCy baseline's training data are the same dialect). spaCy is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fazhi_ner.errors import FaZhiError, FormatError
from fazhi_ner.spans import Span


@dataclass(frozen=True)
class SpacyDoc:
    """One Doc: ``id`` and ``doc_id`` are stored in ``user_data`` when the DocBin keeps user data."""

    id: str
    text: str
    spans: tuple[Span, ...]
    doc_id: str = ""


def blank_zh() -> Any:
    import spacy

    return spacy.blank("zh")  # the default "char" segmenter: no model or dictionary download


def char_doc(vocab: Any, text: str) -> Any:
    """A Doc with one token per character of ``text`` (no spaces)."""
    from spacy.tokens import Doc

    return Doc(vocab, words=list(text), spaces=[False] * len(text))


def write_docbin(
    docs: Iterable[SpacyDoc], *, user_data: bool = True, error: type[FaZhiError] = FormatError, where: str = "spacy"
) -> bytes:
    """The DocBin bytes of ``docs`` with their spans as ents (``user_data``: keep ``id`` and ``doc_id``)."""
    from spacy.tokens import DocBin

    nlp = blank_zh()
    docbin = DocBin(store_user_data=user_data)
    for doc in docs:
        sdoc = char_doc(nlp.vocab, doc.text)
        ents = []
        for span in doc.spans:
            ent = sdoc.char_span(span.start, span.end, label=span.label)
            if ent is None:  # cannot happen with one token per character
                raise error(f"{where}: {doc.id} span [{span.start}, {span.end}) does not align with character tokens")
            ents.append(ent)
        sdoc.ents = ents
        if user_data:
            sdoc.user_data["id"] = doc.id
            sdoc.user_data["doc_id"] = doc.doc_id
        docbin.add(sdoc)
    return docbin.to_bytes()


def read_docbin(data: bytes, *, where: str = "spacy", error: type[FaZhiError] = FormatError) -> list[SpacyDoc]:
    """Every Doc of DocBin bytes, with its ents as spans; bytes that are not a DocBin raise ``error``."""
    from spacy.tokens import DocBin

    nlp = blank_zh()
    try:
        docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    except (ValueError, LookupError, TypeError, AttributeError) as exc:
        raise error(f"{where}: expected spaCy DocBin bytes, found unreadable data ({exc.__class__.__name__})") from None
    return [
        SpacyDoc(
            str(sdoc.user_data.get("id", "")),
            sdoc.text,
            tuple(Span(e.start_char, e.end_char, e.label_, e.text) for e in sdoc.ents),
            str(sdoc.user_data.get("doc_id", "")),
        )
        for sdoc in docs
    ]
