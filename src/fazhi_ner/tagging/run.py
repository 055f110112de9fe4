"""``fazhi tag``: check every input first, then stream each through the model into one output.

Nothing is half-written: every input is checked (encoding, Chinese, not binary) before the model loads
or any output starts, and ``--out`` is written to a temporary sibling that replaces the file only when
complete. Memory is bounded by the read chunk and the sentence batch, not by the input size.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.atomic import atomic_output
from fazhi_ner.tagging.errors import InputError
from fazhi_ner.tagging.formats import FORMATS, WRITERS
from fazhi_ner.tagging.models import get_model
from fazhi_ner.tagging.tagger import tag_chunks
from fazhi_ner.tagging.textio import check_source, iter_chunks, materialise

PARALLEL_CHARS = 50_000  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class TagSummary:
    inputs: int
    sentences: int
    spans: int
    chars: int
    model: str


def tag_files(names: Sequence[str], *, model: str | None = None, fmt: str = "jsonl", out: Path | None = None,
              train: bool = True, progress: bool = True, models_dir: Path | None = None,
              jobs: int = 0) -> TagSummary:  # fmt: skip
    """Tag the files (``-`` is stdin) into ``out`` (stdout when None) in format ``fmt``.

    ``jobs``: worker processes; 0 picks 2 (or the CPU count if smaller) for inputs of 50,000 characters or more.
    """
    if fmt not in FORMATS:
        raise InputError(f"--format: expected one of {', '.join(FORMATS)}, found {fmt!r}")
    if not names:
        raise InputError("no input: give one or more FILEs, or - for stdin")
    if list(names).count("-") > 1:
        raise InputError("stdin (-) given more than once")
    with ExitStack() as stack:
        paths = [stack.enter_context(materialise(name)) for name in names]
        sources = [check_source(path, name) for path, name in zip(paths, names, strict=True)]
        loaded = get_model(model, train=train, models_dir=models_dir, notify=_note)
        if jobs <= 0:
            jobs = min(2, os.cpu_count() or 1) if sum(s.chars for s in sources) >= PARALLEL_CHARS else 1
        if out is None:
            return _write(sources, loaded, fmt, sys.stdout, progress, jobs)
        with atomic_output(out) as handle:
            return _write(sources, loaded, fmt, handle, progress, jobs)


def doc_keys(names: Sequence[str]) -> list[str]:
    """Sentence-id prefixes of the inputs, unique: the file's stem, or the path as given (without its suffix)
    when two inputs share a stem (``a/r.txt``, ``b/r.txt``), numbered when even those are equal."""
    stems = [Path(name).stem for name in names]
    keys = [
        stem if stems.count(stem) == 1 else str(Path(name).with_suffix(""))
        for stem, name in zip(stems, names, strict=True)
    ]
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if keys.count(key) == 1 else f"{key}~{seen[key]}")
    return out


def _note(message: str) -> None:
    print(message, file=sys.stderr)


def _write(sources, model, fmt, handle, show_progress: bool, jobs: int = 1) -> TagSummary:  # noqa: ANN001
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    writer = WRITERS[fmt](handle, model.version)
    sentences = spans = 0
    total = sum(s.size for s in sources)
    columns = (TextColumn("tagging {task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, disable=not show_progress) as bar:
        task = bar.add_task("", total=total)
        for source, key in zip(sources, doc_keys([s.name for s in sources]), strict=True):
            bar.update(task, description=source.name)
            writer.begin(source.name, key)

            def chunks(source=source):  # noqa: ANN202 - pass raw text to the writer (labelstudio) as it is read
                for base, text in iter_chunks(source, on_bytes=lambda n: bar.advance(task, n)):
                    writer.text(text)
                    yield base, text

            for sentence in tag_chunks(model, chunks(), source.name, jobs=jobs):
                writer.sentence(sentence)
                sentences += 1
                spans += len(sentence.spans)
            writer.end()
        writer.close()
    return TagSummary(len(sources), sentences, spans, sum(s.chars for s in sources), model.name)
