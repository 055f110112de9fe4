"""Output formats of ``fazhi tag``: written incrementally, one sentence at a time, so memory stays bounded.

- ``jsonl``: one JSON object per sentence: ``doc`` (the input as named), ``sentence`` (its index), ``doc_start``, ``text``, ``score`` and ``spans``
  (``start``/``end`` sentence-relative, ``label``, ``text``, ``score``; scores are null when the model has none).
- ``conll``: one character and its IOB2 tag per line, a blank line after each sentence, ``-DOCSTART-`` per input.
- ``review``: the annotators' review file (``【text|LABEL】`` markup, one sentence per line), ``# doc_id:`` per input.
- ``labelstudio``: a JSON list with one Label Studio task per input (full text) and the model's spans as one
  prediction with ``model_version``, a per-task ``score`` and per-region ``score``; import it in the UI or API.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from fazhi_ner.baselines.scored import task_score
from fazhi_ner.formats.conll import conll_sentence, docstart
from fazhi_ner.formats.jsonl import jsonl_line
from fazhi_ner.formats.labelstudio import region, scored_prediction
from fazhi_ner.formats.review import HEADER, render_sentence
from fazhi_ner.sentences import NEWLINES
from fazhi_ner.spans import spans_to_tags
from fazhi_ner.tagging.tagger import TaggedSentence

FORMATS: tuple[str, ...] = ("jsonl", "conll", "review", "labelstudio")


def sentence_record(sentence: TaggedSentence) -> dict[str, object]:
    return {
        "doc": sentence.doc,
        "sentence": sentence.index,
        "doc_start": sentence.doc_start,
        "text": sentence.text,
        "score": sentence.score,
        "spans": [
            {"start": s.start, "end": s.end, "label": s.label, "text": s.text, "score": score}
            for s, score in zip(sentence.spans, sentence.span_scores, strict=True)
        ],
    }


class Writer:
    """Base writer: ``begin`` an input, feed its raw ``text`` chunks and tagged sentences, ``end`` it."""

    def __init__(self, out: TextIO, model_version: str = "") -> None:
        self.out = out
        self.model_version = model_version
        self.inputs = 0

    def begin(self, doc: str, key: str | None = None) -> None:
        """Start input ``doc``; ``key`` prefixes its sentence ids (unique across the inputs; default its stem)."""
        self.inputs += 1
        self.key = key or Path(doc).stem

    def text(self, chunk: str) -> None:
        return None

    def sentence(self, sentence: TaggedSentence) -> None:
        raise NotImplementedError

    def end(self) -> None:
        return None

    def close(self) -> None:
        return None


class JsonlWriter(Writer):
    def sentence(self, sentence: TaggedSentence) -> None:
        self.out.write(jsonl_line(sentence_record(sentence)) + "\n")


class ConllWriter(Writer):
    def begin(self, doc: str, key: str | None = None) -> None:
        super().begin(doc, key)
        self.out.write(docstart())

    def sentence(self, sentence: TaggedSentence) -> None:
        tags = spans_to_tags(sentence.spans, len(sentence.text))
        # a joined (hard-wrapped) line break is not a token
        self.out.write(conll_sentence(sentence.text, tags, skip=NEWLINES))


class ReviewWriter(Writer):
    def begin(self, doc: str, key: str | None = None) -> None:
        super().begin(doc, key)
        self.out.write(f"{HEADER}{doc}\n")

    def sentence(self, sentence: TaggedSentence) -> None:
        line = render_sentence(sentence.text, sentence.spans)
        # one sentence is one line: drop the line breaks of hard-wrapped text the form layer joined
        line = "".join(char for char in line if char not in NEWLINES)
        self.out.write(f"{self.key}-{sentence.index:04d}\t{line}\n")


class LabelStudioWriter(Writer):
    """Streams the task text into the JSON string; keeps only the result regions (not the text) in memory."""

    def begin(self, doc: str, key: str | None = None) -> None:
        self.out.write("[\n" if self.inputs == 0 else ",\n")
        super().begin(doc, key)
        self.out.write('{"data": {"doc_id": ' + json.dumps(doc, ensure_ascii=False) + ', "text": "')
        self.results: list[dict[str, object]] = []
        self.scores: list[float | None] = []

    def text(self, chunk: str) -> None:
        self.out.write(json.dumps(chunk, ensure_ascii=False)[1:-1])

    def sentence(self, sentence: TaggedSentence) -> None:
        self.scores.append(sentence.score)
        for span, score in zip(sentence.doc_spans(), sentence.span_scores, strict=True):
            self.results.append(region(span, score=score))

    def end(self) -> None:
        predicted = scored_prediction(self.results, self.model_version, task_score(self.scores))
        self.out.write('"}, "predictions": [' + json.dumps(predicted, ensure_ascii=False) + "]}")

    def close(self) -> None:
        self.out.write("\n]\n" if self.inputs else "[]\n")


WRITERS: dict[str, type[Writer]] = {
    "jsonl": JsonlWriter,
    "conll": ConllWriter,
    "review": ReviewWriter,
    "labelstudio": LabelStudioWriter,
}
