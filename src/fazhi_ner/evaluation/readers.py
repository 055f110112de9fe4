"""Prediction files: JSONL (spans or tags per sentence id) and CoNLL (one character and tag per line).

Everything is validated before anything is scored, and every problem is collected (with file and
line) so one run reports them all; a file with any problem raises :class:`InvalidPredictions`.

CoNLL sentences are matched to the split either by order (the n-th block is the n-th sentence of
the split, in corpus order) or, when the first block is preceded by a ``# id = <sentence id>``
comment line, by those comments (then every block needs one). ``-DOCSTART-`` lines and other
``#`` comments are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_ner.corpus import Example
from fazhi_ner.errors import PredictionError
from fazhi_ner.formats.conll import parse_conll
from fazhi_ner.formats.jsonl import read_jsonl
from fazhi_ner.labels import LABEL_NAMES, TAG_TO_ID
from fazhi_ner.spans import Span, tags_to_spans

MAX_PRINTED = 20


class InvalidPredictions(PredictionError):
    """One or more problems in a prediction file; ``problems`` holds every ``file:line: message``."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        first = problems[0] if problems else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{path}: {len(problems)} problem(s), nothing was scored; first: {first}{more}")

    def listing(self, limit: int = MAX_PRINTED) -> list[str]:
        lines = self.problems[:limit]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problem(s)")
        return lines


@dataclass(frozen=True)
class PredictionFile:
    """Validated predictions: per sentence id, spans (strictly decoded) and the raw tags when tags were given."""

    path: str
    format: str
    spans: dict[str, list[Span]]
    tags: dict[str, list[str]] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    def for_scoring(self) -> dict[str, list[Span] | list[str]]:
        """What :func:`harness.evaluate` takes: raw tags where given (so strict seqeval sees them), else spans."""
        return {i: (self.tags.get(i, s)) for i, s in self.spans.items()}


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    if suffix in (".conll", ".bio", ".iob", ".tsv", ".txt", ".conllu"):
        return "conll"
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                return "jsonl" if line.lstrip().startswith("{") else "conll"
    return "jsonl"


def _check_tags(tags: Sequence[object], text: str, where: str, problems: list[str]) -> list[str] | None:
    ok = True
    if len(tags) != len(text):
        problems.append(f"{where}: tag sequence length expected {len(text)} (sentence length), found {len(tags)}")
        ok = False
    for k, tag in enumerate(tags):
        if not isinstance(tag, str) or tag not in TAG_TO_ID:
            problems.append(f"{where}: tag {k}: unknown tag {tag!r}; expected one of {', '.join(TAG_TO_ID)}")
            ok = False
    return [str(t) for t in tags] if ok else None


def _check_spans(raw: object, text: str, where: str, problems: list[str]) -> list[Span] | None:
    if not isinstance(raw, list):
        problems.append(f"{where}: 'spans' expected a list, found {type(raw).__name__}")
        return None
    spans: list[Span] = []
    ok = True
    for k, item in enumerate(raw):
        at = f"{where}: span {k}"
        if not isinstance(item, dict) or not {"start", "end", "label"} <= item.keys():
            problems.append(
                f"{at}: expected an object with start, end, label; found {json.dumps(item, ensure_ascii=False)[:80]}"
            )
            ok = False
            continue
        start, end, label = item["start"], item["end"], item["label"]
        if type(start) is not int or type(end) is not int:
            problems.append(f"{at}: start/end expected integers, found {start!r}, {end!r}")
            ok = False
            continue
        if label not in LABEL_NAMES:
            problems.append(f"{at}: unknown label {label!r}; expected one of {', '.join(LABEL_NAMES)}")
            ok = False
            continue
        if not 0 <= start < end <= len(text):
            problems.append(f"{at}: [{start}, {end}) {label} out of range; expected 0 <= start < end <= {len(text)}")
            ok = False
            continue
        given = item.get("text")
        if isinstance(given, str) and given and given != text[start:end]:
            problems.append(f"{at}: [{start}, {end}) text expected {text[start:end]!r}, found {given!r}")
            ok = False
            continue
        spans.append(Span(start, end, label, text[start:end]))
    spans.sort(key=lambda s: (s.start, s.end, s.label))
    for prev, cur in zip(spans, spans[1:], strict=False):
        if cur.start < prev.end:
            problems.append(
                f"{where}: span [{cur.start}, {cur.end}) {cur.label} overlaps [{prev.start}, {prev.end}) {prev.label}"
            )
            ok = False
    return spans if ok else None


def _read_jsonl(path: Path, by_id: Mapping[str, Example], problems: list[str]) -> tuple[dict, dict, dict]:
    spans: dict[str, list[Span]] = {}
    tags: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for line in read_jsonl(path):
        lineno, where, row = line.lineno, line.where, line.row
        if line.error is not None:
            problems.append(f"{where}: {line.error}")
            continue
        if not isinstance(row, dict) or "id" not in row or ("spans" in row) == ("tags" in row):
            problems.append(f"{where}: expected an object with 'id' and exactly one of 'spans' or 'tags'")
            continue
        sid = row["id"]
        if not isinstance(sid, str) or sid not in by_id:
            problems.append(f"{where}: unknown sentence id {sid!r} (not in the split being scored)")
            continue
        if sid in seen:
            problems.append(f"{where}: duplicate id {sid!r} (first on line {seen[sid]})")
            continue
        seen[sid] = lineno
        text = by_id[sid].text
        where = f"{where}: {sid}"
        if "tags" in row:
            if not isinstance(row["tags"], list):
                problems.append(f"{where}: 'tags' expected a list, found {type(row['tags']).__name__}")
                continue
            checked = _check_tags(row["tags"], text, where, problems)
            if checked is not None:
                tags[sid] = checked
                spans[sid] = tags_to_spans(checked, text=text)
        else:
            found = _check_spans(row["spans"], text, where, problems)
            if found is not None:
                spans[sid] = found
    return spans, tags, seen


def _conll_blocks(path: Path, problems: list[str]) -> list[tuple[int, str | None, list[tuple[int, str, str]]]]:
    """(first line, id comment or None, [(line, char, tag)]) per sentence block (:mod:`fazhi_ner.formats.conll`)."""
    parsed = parse_conll(path.read_text(encoding="utf-8"))
    return [(b.line, b.id, [(t.line, t.char, t.tag) for t in b.tokens]) for b in parsed.blocks]


def _read_conll(
    path: Path, examples: Sequence[Example], by_id: Mapping[str, Example], problems: list[str]
) -> tuple[dict, dict, dict]:
    blocks = _conll_blocks(path, problems)
    spans: dict[str, list[Span]] = {}
    tags: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    by_comment = bool(blocks) and blocks[0][1] is not None
    if not by_comment and len(blocks) != len(examples):
        problems.append(
            f"{path}: expected {len(examples)} sentence blocks (one per sentence of the split, in order), "
            f"found {len(blocks)}; add '# id = <sentence id>' lines to give fewer or reordered sentences"
        )
        return spans, tags, seen
    for k, (line0, sid, rows) in enumerate(blocks):
        where = f"{path}:{line0}"
        if by_comment:
            if sid is None:
                problems.append(f"{where}: sentence block without a '# id = <sentence id>' line (the file uses them)")
                continue
            if sid not in by_id:
                problems.append(f"{where}: unknown sentence id {sid!r} (not in the split being scored)")
                continue
            if sid in seen:
                problems.append(f"{where}: duplicate id {sid!r} (first on line {seen[sid]})")
                continue
            example = by_id[sid]
        else:
            example = examples[k]
            sid = example.id
        seen[sid] = line0
        text = example.text
        ok = True
        for pos, (lineno, char, tag) in enumerate(rows):
            if tag not in TAG_TO_ID:
                problems.append(f"{path}:{lineno}: {sid}: unknown tag {tag!r}; expected one of {', '.join(TAG_TO_ID)}")
                ok = False
            if pos < len(text):
                expected = text[pos]
                if char != expected and not (expected.isspace() and char.strip() == ""):
                    problems.append(f"{path}:{lineno}: {sid}: character {pos} expected {expected!r}, found {char!r}")
                    ok = False
        if len(rows) != len(text):
            problems.append(
                f"{where}: {sid}: tag sequence length expected {len(text)} (sentence length), found {len(rows)}"
            )
            ok = False
        if ok:
            tags[sid] = [tag for _, _, tag in rows]
            spans[sid] = tags_to_spans(tags[sid], text=text)
    return spans, tags, seen


def load_prediction_file(path: str | Path, examples: Sequence[Example], allow_missing: bool = False) -> PredictionFile:
    """Read and validate a prediction file against the split's examples; raise with every problem found."""
    path = Path(path)
    if not path.is_file():
        raise PredictionError(f"{path}: prediction file not found")
    by_id = {ex.id: ex for ex in examples}
    fmt = detect_format(path)
    problems: list[str] = []
    try:
        if fmt == "jsonl":
            spans, tags, seen = _read_jsonl(path, by_id, problems)
        else:
            spans, tags, seen = _read_conll(path, examples, by_id, problems)
    except UnicodeDecodeError as exc:
        raise PredictionError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    missing = tuple(ex.id for ex in examples if ex.id not in seen)
    if missing and not allow_missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        problems.append(
            f"{path}: {len(missing)} sentence id(s) of the split missing: {shown} (use --allow-missing to count them as empty)"
        )
    if problems:
        raise InvalidPredictions(str(path), problems)
    for sid in missing:
        spans[sid] = []
    ordered = {ex.id: spans[ex.id] for ex in examples}
    return PredictionFile(str(path), fmt, ordered, {k: tags[k] for k in ordered if k in tags}, missing)


def read_predictions(
    path: str | Path, examples: Sequence[Example], allow_missing: bool = False
) -> dict[str, list[Span]]:
    """Validated predictions as spans in sentence coordinates, keyed by sentence id (split order)."""
    return load_prediction_file(path, examples, allow_missing).spans
