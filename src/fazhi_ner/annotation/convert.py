"""Label Studio JSON export -> validated gold spans, collecting every problem before writing anything.

Policies (also in ``fazhi annotate convert --help``):

* cancelled (skipped) annotations are ignored;
* a task with no remaining annotation is a problem;
* several annotations on one task: the one marked ``ground_truth`` wins (the most recently
  updated one if several are), else the most recently updated annotation (ties: highest id);
* offsets are Python code-point offsets. Browsers count UTF-16 code units, which differ once a
  character outside the BMP precedes a span; if an annotation's spans only match the text when
  read as UTF-16 offsets they are converted, otherwise the mismatch is reported.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fazhi_ner.atomic import write_or_check
from fazhi_ner.errors import AnnotationError, DataLossError
from fazhi_ner.formats.labelstudio import RegionProblem, read_region, read_tasks
from fazhi_ner.gold import gold_text
from fazhi_ner.seeds import Document
from fazhi_ner.sentences import document_sentences
from fazhi_ner.spans import Span, sort_spans


class ExportProblem(AnnotationError):
    """One thing wrong in an export, naming the file, task, document, offsets, expected and found."""

    def __init__(
        self,
        kind: str,
        source: str,
        *,
        task_id: object = None,
        doc_id: str | None = None,
        start: int | None = None,
        end: int | None = None,
        expected: object = None,
        found: object = None,
        detail: str = "",
    ):
        self.kind, self.source, self.task_id, self.doc_id = kind, source, task_id, doc_id
        self.start, self.end, self.expected, self.found, self.detail = start, end, expected, found, detail
        where = f"{source}: task {task_id} doc {doc_id or '?'}"
        if start is not None and end is not None:
            where += f" [{start}, {end})"
        elif start is not None:
            where += f" at offset {start}"
        message = f"{where}: {kind}"
        if detail:
            message += f" ({detail})"
        message += f": expected {_short(expected)}, found {_short(found)}"
        super().__init__(message)


class ExportInvalid(AnnotationError):
    """The export has problems; nothing was written. ``problems`` lists them all."""

    def __init__(self, source: str, problems: Sequence[ExportProblem]):
        self.problems = list(problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s) in the export; nothing written")


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "...'"


@dataclass(frozen=True)
class ConvertedExport:
    source: str
    spans: dict[str, list[Span]]  # doc_id -> document-offset spans, sorted
    annotation_ids: dict[str, object] = field(default_factory=dict)
    utf16_converted: tuple[str, ...] = ()


def _timestamp(annotation: Mapping[str, Any]) -> datetime:
    for key in ("updated_at", "created_at"):
        value = annotation.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
    return datetime.min.replace(tzinfo=None)


def _sort_key(annotation: Mapping[str, Any]) -> tuple[float, int]:
    stamp = _timestamp(annotation)
    seconds = stamp.timestamp() if stamp.tzinfo else float("-inf")
    ident = annotation.get("id")
    return seconds, ident if isinstance(ident, int) else -1


def choose_annotation(task: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The annotation that becomes gold for a task.

    Cancelled annotations are ignored; a task without any other annotation is an error. With several
    annotations the ground_truth one is used, else the most recently updated one.
    """
    annotations = task.get("annotations")
    listed = annotations if isinstance(annotations, list) else []  # not a list: no annotation (not a crash)
    candidates = [a for a in listed if isinstance(a, Mapping) and not a.get("was_cancelled")]
    if not candidates:
        return None
    truth = [a for a in candidates if a.get("ground_truth")]
    return max(truth or candidates, key=_sort_key)


def _utf16_to_index(text: str) -> dict[int, int]:
    """UTF-16 code-unit offset -> code-point offset, for offsets on character boundaries."""
    mapping: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        mapping[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    mapping[units] = len(text)
    return mapping


class _TaskChecker:
    """Collects the problems of one task into a shared list."""

    def __init__(self, source: str, task: Mapping[str, Any], problems: list[ExportProblem]):
        self.source, self.task, self.problems = source, task, problems
        self.task_id = task.get("id")
        data = task.get("data")
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        doc_id = self.data.get("doc_id")
        self.doc_id = doc_id if isinstance(doc_id, str) else None

    def problem(self, kind: str, **fields: Any) -> None:
        self.problems.append(ExportProblem(kind, self.source, task_id=self.task_id, doc_id=self.doc_id, **fields))

    def check_data(self, doc: Document) -> bool:
        """Task data must be the seed document, unchanged or with its boilerplate masked (as ``push``
        sends it); False when offsets cannot be trusted."""
        from fazhi_ner.annotation.tasks import task_text

        ok = True
        text = self.data.get("text")
        if text != doc.text and text != task_text(doc):
            found = text if isinstance(text, str) else None
            pos = (
                0
                if found is None
                else next(
                    (i for i, (a, b) in enumerate(zip(found, doc.text, strict=False)) if a != b),
                    min(len(found), len(doc.text)),
                )
            )
            self.problem(
                "task text differs from the seed",
                start=pos,
                expected=doc.text[pos : pos + 12],
                found=found[pos : pos + 12] if found is not None else text,
            )
            ok = False
        if self.data.get("sha256") != doc.sha256:
            self.problem("task sha256 differs from the seed", expected=doc.sha256, found=self.data.get("sha256"))
            ok = False
        for key in ("body_start", "body_end"):
            if key in self.data and self.data[key] != getattr(doc, key):
                self.problem(f"task {key} differs from the manifest", expected=getattr(doc, key), found=self.data[key])
        return ok

    def regions(self, annotation: Mapping[str, Any]) -> list[Span]:
        """Structurally valid label regions of an annotation (offsets not yet checked); other result items are problems."""
        regions: list[Span] = []
        result = annotation.get("result")
        if not isinstance(result, list):
            self.problem("annotation result is not a list", expected="list", found=type(result).__name__)
            return regions
        for item in result:
            got = read_region(item)
            if isinstance(got, RegionProblem):
                self.problem(got.kind, start=got.start, end=got.end, expected=got.expected, found=got.found)
            else:
                regions.append(got)
        return regions

    def spans(self, doc: Document, regions: list[Span]) -> tuple[list[Span], bool]:
        """Regions -> spans, reading offsets as UTF-16 units when only that reading matches the text."""
        text = doc.text

        def matches(r: Span, start: int | None, end: int | None) -> bool:
            return start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end] == r.text

        converted = False
        offsets: list[tuple[int | None, int | None]] = [(r.start, r.end) for r in regions]
        if any(ord(c) > 0xFFFF for c in text) and not all(matches(r, r.start, r.end) for r in regions):
            table = _utf16_to_index(text)
            utf16 = [(table.get(r.start), table.get(r.end)) for r in regions]
            if all(matches(r, a, b) for r, (a, b) in zip(regions, utf16, strict=True)):
                offsets, converted = utf16, True
        spans: list[Span] = []
        for region, (start, end) in zip(regions, offsets, strict=True):
            assert start is not None and end is not None
            if not 0 <= start < end <= len(text):
                self.problem(
                    "offsets outside the text",
                    start=start,
                    end=end,
                    expected=f"0 <= start < end <= {len(text)}",
                    found=f"{start}, {end}",
                )
            elif text[start:end] != region.text:
                detail = "also no match as UTF-16 offsets" if any(ord(c) > 0xFFFF for c in text) else ""
                self.problem(
                    "region text differs from the document",
                    start=start,
                    end=end,
                    expected=text[start:end],
                    found=region.text,
                    detail=detail,
                )
            else:
                spans.append(Span(start, end, region.label, region.text))
        return spans, converted

    def placement(self, doc: Document, spans: list[Span]) -> list[Span]:
        """Body, excluded ranges, overlap and sentence boundaries; returns the spans that pass."""
        sentences = document_sentences(doc)
        starts = [s.start for s in sentences]
        kept: list[Span] = []
        for span in sort_spans(spans):
            where = {"start": span.start, "end": span.end}
            if span.start < doc.body_start or span.end > doc.body_end:
                self.problem(
                    "span outside the body",
                    **where,
                    expected=f"inside [{doc.body_start}, {doc.body_end})",
                    found=span.text,
                )
                continue
            clash = next(((a, b) for a, b in doc.excluded if span.start < b and span.end > a), None)
            if clash:
                self.problem(
                    "span in an excluded range", **where, expected=f"outside [{clash[0]}, {clash[1]})", found=span.text
                )
                continue
            if kept and span.start < kept[-1].end:
                prev = kept[-1]
                self.problem(
                    "overlapping spans",
                    **where,
                    expected=f"no overlap with [{prev.start}, {prev.end}) {prev.label}",
                    found=f"{span.label} {span.text}",
                )
                continue
            i = bisect.bisect_right(starts, span.start) - 1
            if i < 0 or span.end > sentences[i].end:
                bounds = f"[{sentences[i].start}, {sentences[i].end})" if i >= 0 else "a sentence"
                self.problem(
                    "span crosses a sentence boundary", **where, expected=f"inside sentence {bounds}", found=span.text
                )
                continue
            kept.append(span)
        return kept


def convert_export(
    tasks: Sequence[Mapping[str, Any]], *, source: str, documents: Mapping[str, Document]
) -> ConvertedExport:
    """Validate every task of an export; raise :class:`ExportInvalid` listing all problems."""
    problems: list[ExportProblem] = []
    spans: dict[str, list[Span]] = {}
    chosen: dict[str, object] = {}
    converted: list[str] = []
    seen: dict[str, object] = {}
    for task in tasks:
        checker = _TaskChecker(source, task, problems)
        if checker.doc_id is None:
            checker.problem("task data has no doc_id", expected="a doc_id string", found=checker.data.get("doc_id"))
            continue
        doc = documents.get(checker.doc_id)
        if doc is None:
            checker.problem("unknown doc_id", expected=" | ".join(sorted(documents)), found=checker.doc_id)
            continue
        if checker.doc_id in seen:
            checker.problem(
                "document has several tasks",
                expected="one task",
                found=f"tasks {seen[checker.doc_id]} and {checker.task_id}",
            )
            continue
        seen[checker.doc_id] = checker.task_id
        if not checker.check_data(doc):
            continue
        annotation = choose_annotation(task)
        if annotation is None:
            checker.problem("no annotation", expected="one non-cancelled annotation", found="none")
            continue
        before = len(problems)
        doc_spans, was_utf16 = checker.spans(doc, checker.regions(annotation))
        kept = checker.placement(doc, doc_spans)
        if len(problems) == before:
            spans[doc.doc_id] = kept
            chosen[doc.doc_id] = annotation.get("id")
            if was_utf16:
                converted.append(doc.doc_id)
    if problems:
        raise ExportInvalid(source, problems)
    return ConvertedExport(source, dict(sorted(spans.items())), chosen, tuple(converted))


def gold_files(converted: ConvertedExport, documents: Mapping[str, Document]) -> dict[str, str]:
    """File name -> content, exactly what :func:`write_gold_directory` writes (each document's spans validated
    against its text); ``documents`` must hold every converted document."""
    missing = sorted(set(converted.spans) - set(documents))
    if missing:
        raise AnnotationError(f"{converted.source}: no seed document {missing[0]!r}")
    return {f"{d}.jsonl": gold_text(documents[d], spans) for d, spans in converted.spans.items()}


def check_no_gold_lost(converted: ConvertedExport, out: Path) -> None:
    """Refuse an export that would delete gold files: an empty one, or one lacking documents ``out`` has.

    A partial export (say, a project holding 2 of the 5 tasks) is far more often a mistake than a
    decision to shrink the gold; replacing the whole gold needs ``force`` (``--force``).
    """
    existing = sorted(p.stem for p in out.glob("*.jsonl")) if out.is_dir() else []
    if not converted.spans:
        raise DataLossError(
            f"{converted.source}: the export holds no annotated task; converting it would leave {out} empty "
            f"(it has {len(existing)} gold file(s)); nothing written. Pass --force if this export replaces the whole gold"
        )
    dropped = [d for d in existing if d not in converted.spans]
    if dropped:
        raise DataLossError(
            f"{converted.source}: the export holds {len(converted.spans)} of the {len(existing)} documents in {out}; "
            f"converting it would delete {', '.join(f'{d}.jsonl' for d in dropped)}; nothing written. "
            "Pass --force if this export replaces the whole gold"
        )


def write_gold_directory(
    converted: ConvertedExport,
    out: Path,
    documents: Mapping[str, Document],
    *,
    force: bool = False,
    check: bool = False,
) -> list[Path]:
    """Make ``out`` hold exactly one gold file per converted document (or with ``check`` verify that it does).

    Written through :func:`fazhi_ner.atomic.write_or_check` (staged, then renamed: an interruption leaves the
    previous gold); a gold file the export lacks is deleted only with ``force`` (:func:`check_no_gold_lost`), and
    with ``check`` it is named as stale. ``documents`` must hold every converted document.
    """
    files = {out / name: text for name, text in gold_files(converted, documents).items()}
    if not check:
        if not force:
            check_no_gold_lost(converted, out)
        if out.exists():
            foreign = sorted(p.name for p in out.iterdir() if not (p.is_file() and p.suffix == ".jsonl"))
            if foreign:
                raise AnnotationError(
                    f"{out}: holds files other than *.jsonl ({', '.join(foreign[:3])}); refusing to replace it"
                )
    present = sorted(out.glob("*.jsonl")) if out.is_dir() else []
    write_or_check(files, check=check, command="fazhi annotate convert", extra=present)
    return sorted(files)


def export_document_spans(path: Path, doc_id: str, documents: Mapping[str, Document]) -> list[Span]:
    """The validated spans of one document's task in an export (for review files)."""
    tasks = [t for t in read_tasks(path) if isinstance(t.get("data"), Mapping) and t["data"].get("doc_id") == doc_id]
    if not tasks:
        raise AnnotationError(f"{path}: no task for doc_id {doc_id!r}")
    return convert_export(tasks, source=str(path), documents=documents).spans[doc_id]
