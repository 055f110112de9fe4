"""Tag plain text with a model, sentence by sentence, split exactly like the corpus (``fazhi_ner.sentences``).

The model reads the text in the seeds' form (``fazhi_ner.textform.normalise``: half-width punctuation, wrapped
lines joined); every sentence and span is mapped back, so offsets and texts are those of the input as given.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.baselines.scored import Scored
from fazhi_ner.sentences import split_offsets
from fazhi_ner.spans import Span
from fazhi_ner.textform import FormMap, normalise

BATCH_SENTENCES = 256  # sentences per model call: bounds memory, keeps model overhead small


@dataclass(frozen=True)
class TaggedSentence:
    """One sentence of an input: its position (``doc_start`` into the whole input) and the model's output."""

    doc: str
    index: int
    doc_start: int
    text: str
    spans: tuple[Span, ...]  # sentence-relative offsets
    span_scores: tuple[float | None, ...]
    score: float | None

    def doc_spans(self) -> list[Span]:
        return [s.shifted(self.doc_start) for s in self.spans]


@dataclass(frozen=True)
class _Piece:
    """A sentence to tag: where it is in the input and in its chunk's normalised form."""

    base: int  # the chunk's offset in the input
    form: FormMap  # the chunk, normalised
    start: int  # normalised offsets of the sentence
    end: int

    @property
    def read(self) -> str:
        return self.form.text[self.start : self.end]


def sentence_pieces(base: int, text: str) -> list[_Piece]:
    """The sentences of ``text`` as the models read them (normalised form, split like the corpus)."""
    form = normalise(text)
    return [_Piece(base, form, a, b) for a, b in split_offsets(form.text)]


def mapped(piece: _Piece, result: Scored) -> tuple[int, str, tuple[Span, ...]]:
    """The sentence's input offset, its input text and its spans relative to it (input form)."""
    start, end = piece.form.to_original(piece.start, piece.end)
    spans = tuple(piece.form.span(s.shifted(piece.start), -start) for s in result.spans)
    return piece.base + start, piece.form.original[start:end], spans


def _sentences(chunks: Iterable[tuple[int, str]]) -> Iterator[_Piece]:
    for base, text in chunks:
        yield from sentence_pieces(base, text)


def _batches(chunks: Iterable[tuple[int, str]]) -> Iterator[list[_Piece]]:
    batch: list[_Piece] = []
    for item in _sentences(chunks):
        batch.append(item)
        if len(batch) >= BATCH_SENTENCES:
            yield batch
            batch = []
    if batch:
        yield batch


_WORKER_MODEL = None  # set in the parent before forking, so workers inherit the loaded model


def _worker_predict(texts: list[str]) -> list[Scored]:
    return _WORKER_MODEL.predict_scored(texts)


def tag_chunks(model, chunks: Iterable[tuple[int, str]], doc: str = "-",  # noqa: ANN001
               on_sentences: Callable[[int], None] | None = None, jobs: int = 1) -> Iterator[TaggedSentence]:  # fmt: skip
    """Tag ``(offset, text)`` chunks that end on sentence boundaries; yields sentences in order.

    With ``jobs > 1`` batches are tagged in forked worker processes (which inherit the loaded model), at most
    ``2 * jobs`` batches ahead, so memory stays bounded and the output order is the input order.
    """
    global _WORKER_MODEL
    index = 0

    def emit(batch: list[_Piece], scored: list[Scored]) -> Iterator[TaggedSentence]:
        nonlocal index
        for piece, result in zip(batch, scored, strict=True):
            start, text, spans = mapped(piece, result)
            yield TaggedSentence(doc, index, start, text, spans, result.span_scores, result.score)
            index += 1
        if on_sentences is not None:
            on_sentences(len(batch))

    if jobs <= 1:
        for batch in _batches(chunks):
            yield from emit(batch, model.predict_scored([p.read for p in batch]))
        return
    model.predict_scored(["县政府。"])  # warm up lazy state (e.g. jieba's dictionary) once, before forking
    _WORKER_MODEL = model
    pending: deque[tuple[list[_Piece], Future[list[Scored]]]] = deque()
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for batch in _batches(chunks):
            pending.append((batch, pool.submit(_worker_predict, [p.read for p in batch])))
            while len(pending) > 2 * jobs:
                done, future = pending.popleft()
                yield from emit(done, future.result())
        while pending:
            done, future = pending.popleft()
            yield from emit(done, future.result())


def tag_text(text: str, model=None, doc: str = "-", *, models_dir: Path | None = None) -> list[TaggedSentence]:  # noqa: ANN001
    """Tag a whole text (``model``: a name, a loaded model, or None for the default)."""
    from fazhi_ner.tagging.models import get_model

    loaded = model if model is not None and not isinstance(model, str) else get_model(model, models_dir=models_dir)
    return list(tag_chunks(loaded, [(0, text)], doc))


def tag(text: str, model=None, *, models_dir: Path | None = None) -> list[Span]:  # noqa: ANN001
    """Spans (offsets into ``text``, with their text) predicted by ``model`` (default: the best baseline).

    ``model`` is a registered baseline name (e.g. ``"crf"``, ``"rules"``) or an already loaded model.
    The first call with an untrained model trains it once into ``models_dir``, by default the model cache
    (``fazhi_ner.paths.models_cache_dir``), never the working directory (see ``tagging.models``).
    """
    return [span for sentence in tag_text(text, model, models_dir=models_dir) for span in sentence.doc_spans()]
