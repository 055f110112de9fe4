"""Fuzzing with hostile input: mutated real Label Studio exports and mutated prediction files.

Every mutant must end in exactly one of:

* ``rejected``: our typed error (a FaZhiError subclass) with a one-line message;
* ``accepted_same``: the same gold (or predictions) as the unmutated input;
* ``accepted_changed``: a different result that is exactly what the mutant literally says (checked
  against an independent reading of the mutant: every region kept, nothing invented, the text at
  every offset equal to the region text), e.g. an emptied annotation gives a document without spans.

Anything else is a failure: an uncaught exception (``crash``), or output that disagrees with the
mutant (``wrong``, i.e. silently wrong). Fixed seed; the outcome counts per mutation kind are printed.
"""

from __future__ import annotations

import copy
import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fazhi_ner.annotation.convert import convert_export
from fazhi_ner.corpus import Example, examples_from
from fazhi_ner.errors import FaZhiError
from fazhi_ner.evaluation.harness import evaluate
from fazhi_ner.evaluation.readers import load_prediction_file
from fazhi_ner.formats.labelstudio import read_tasks
from fazhi_ner.gold import validate_document_spans
from fazhi_ner.labels import LABEL_NAMES, TAG_TO_ID
from fazhi_ner.seeds import Document, documents_by_id
from fazhi_ner.spans import Span, spans_to_tags, tags_to_spans
from test_reliability_support import (
    annotated_task,
    astral_examples,
    astral_variant,
    export_spans,
    export_tasks,
    utf16_offset,
)

SEED = 20261123
OUTCOMES = ("rejected", "accepted_same", "accepted_changed", "crash", "wrong")
WRONG_VALUES: tuple[object, ...] = (None, 0, -1, 1.5, True, "", "x\ny", [], {}, [1], {"a": 1}, 10**20, float("nan"))
NAMED_KEYS = frozenset(
    [
        "annotations",
        "result",
        "value",
        "start",
        "end",
        "labels",
        "text",
        "data",
        "doc_id",
        "sha256",
        "body_start",
        "body_end",
        "was_cancelled",
        "ground_truth",
        "updated_at",
        "created_at",
        "id",
        "from_name",
        "to_name",
        "type",
    ]
)
BAD_LABELS: tuple[object, ...] = (["PERSON"], ["agency"], [], ["AGENCY", "INDICATOR"], ["AGENCY "], [None], "AGENCY")


# --- generic JSON mutation helpers -------------------------------------------------------------


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path (tuple of keys/indices) to a node below ``node``."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((*prefix, key))
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.append((*prefix, i))
            out += _paths(value, (*prefix, i))
    return out


def _get(node: Any, path: tuple) -> Any:
    for key in path:
        node = node[key]
    return node


def _wrong_type(rng: random.Random, data: Any, paths: list[tuple]) -> str:
    path = rng.choice(paths)
    parent, key = _get(data, path[:-1]), path[-1]
    current = parent[key]
    choices = [v for v in WRONG_VALUES if type(v) is not type(current)]
    parent[key] = copy.deepcopy(rng.choice(choices))
    return "/".join(map(str, path))


def _missing_key(rng: random.Random, data: Any, paths: list[tuple]) -> str:
    dict_paths = [p for p in paths if isinstance(_get(data, p[:-1]), dict)]
    path = rng.choice(dict_paths)
    del _get(data, path[:-1])[path[-1]]
    return "/".join(map(str, path))


def _truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(0, len(text))]


# --- Label Studio exports ----------------------------------------------------------------------


def _base_export() -> tuple[list[dict[str, Any]], dict[str, Document], dict[str, tuple[Span, ...]]]:
    """The real export plus a task for the astral variant document (code-point offsets)."""
    variant, variant_spans = astral_variant()
    documents = {**documents_by_id(), variant.doc_id: variant}
    tasks = export_tasks() + [annotated_task(variant, variant_spans)]
    baseline = {**export_spans(), variant.doc_id: variant_spans}
    return tasks, documents, baseline


def _regions(task: dict[str, Any]) -> list[dict[str, Any]]:
    return task["annotations"][0]["result"]


def _expected_from_mutant(tasks: Any, documents: dict[str, Document]) -> dict[str, list[tuple[int, int, str]]] | None:
    """An independent literal reading of an export: per doc, the regions of its one live annotation.

    Offsets are code points, or UTF-16 units when only that reading matches the text of an astral
    document. None when the mutant has no single literal reading (then it must be rejected).
    """
    out: dict[str, list[tuple[int, int, str]]] = {}
    try:
        for task in tasks:
            doc = documents[task["data"]["doc_id"]]
            live = [a for a in task["annotations"] if isinstance(a, dict) and not a.get("was_cancelled")]
            if len(live) != 1:
                return None
            regions = [
                (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], r["value"]["text"])
                for r in live[0]["result"]
            ]
            if not all(doc.text[a:b] == t for a, b, _l, t in regions):
                table = {utf16_offset(doc.text, i): i for i in range(len(doc.text) + 1)}
                regions = [(table.get(a), table.get(b), lab, t) for a, b, lab, t in regions]
            out[doc.doc_id] = sorted((a, b, lab) for a, b, lab, _t in regions)
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    return out


def _ls_outcome(
    tasks: Any, documents: dict[str, Document], baseline: dict[str, tuple[Span, ...]], *, path: Path | None = None
) -> tuple[str, str]:
    try:
        loaded = read_tasks(path) if path is not None else tasks
        converted = convert_export(loaded, source="mutant.json", documents=documents)
    except FaZhiError as exc:
        message = str(exc)
        if "\n" in message or "mutant.json" not in message and (path is None or str(path) not in message):
            return "wrong", f"error message not one line naming the file: {message[:200]!r}"
        return "rejected", ""
    except Exception as exc:  # noqa: BLE001 - this is what the fuzzer is looking for
        return "crash", f"{type(exc).__name__}: {exc}"[:300]
    got = {d: [(s.start, s.end, s.label) for s in spans] for d, spans in converted.spans.items()}
    for doc_id, spans in converted.spans.items():
        try:
            validate_document_spans(documents[doc_id], spans)
        except FaZhiError as exc:
            return "wrong", f"accepted invalid gold: {exc}"
    if got == {d: [(s.start, s.end, s.label) for s in v] for d, v in baseline.items()}:
        return "accepted_same", ""
    expected = _expected_from_mutant(loaded, documents)
    if expected is None or expected != got:
        return "wrong", "accepted output differs from the mutant's literal regions"
    return "accepted_changed", ""


def _ls_mutants(rng: random.Random, tmp: Path, share: float = 1.0) -> list[tuple[str, Any, Path | None]]:
    """(kind, tasks, file path or None) for every Label Studio mutant; ``share`` of each kind's count (at least 1)."""
    base_tasks, documents, _ = _base_export()
    variant = base_tasks[-1]
    text = json.dumps(base_tasks, ensure_ascii=False)
    mutants: list[tuple[str, Any, Path | None]] = []

    def fresh() -> list[dict[str, Any]]:
        return json.loads(text)

    def region(tasks: list[dict[str, Any]]) -> dict[str, Any]:
        items = _regions(rng.choice(tasks))
        return rng.choice(items)["value"] if items else {}

    # structure-wide mutations sample paths only outside the long task texts (they are checked whole)
    def scaled(n: int) -> int:
        return max(1, round(n * share))

    def add(kind: str, mutate: Callable[[list[dict[str, Any]]], object], n: int) -> None:
        for _ in range(scaled(n)):
            tasks = fresh()
            mutate(tasks)
            mutants.append((kind, tasks, None))

    sample_paths = [p for p in _paths(json.loads(text)) if not (len(p) >= 2 and p[1] in ("predictions", "drafts"))]
    add("wrong_type", lambda t: _wrong_type(rng, t, sample_paths), 120)
    named: dict[str, list[tuple]] = defaultdict(list)
    for p in sample_paths:
        if p[-1] in NAMED_KEYS:
            named[p[-1]].append(p)
    keys = sorted(named)
    add("wrong_type_named_key", lambda t: _wrong_type(rng, t, named[rng.choice(keys)]), 160)
    add("missing_key", lambda t: _missing_key(rng, t, sample_paths), 100)

    def shift(tasks: list[dict[str, Any]]) -> None:
        v, d = region(tasks), rng.choice((-1, 1))
        v["start"] += d
        v["end"] += d

    def shift_one_side(tasks: list[dict[str, Any]]) -> None:
        v = region(tasks)
        v[rng.choice(("start", "end"))] += rng.choice((-1, 1))

    def swap(tasks: list[dict[str, Any]]) -> None:
        v = region(tasks)
        v["start"], v["end"] = v["end"], v["start"]

    def unknown_label(tasks: list[dict[str, Any]]) -> None:
        region(tasks)["labels"] = copy.deepcopy(rng.choice(BAD_LABELS))

    def duplicate_task(tasks: list[dict[str, Any]]) -> None:
        dup = copy.deepcopy(rng.choice(tasks))
        dup["id"] = rng.choice((dup["id"], 10_000 + rng.randrange(100)))
        tasks.insert(rng.randrange(len(tasks) + 1), dup)

    def empty_result(tasks: list[dict[str, Any]]) -> None:
        rng.choice(tasks)["annotations"][0]["result"] = []

    def drop_region(tasks: list[dict[str, Any]]) -> None:
        items = _regions(rng.choice(tasks))
        del items[rng.randrange(len(items))]

    def cancel(tasks: list[dict[str, Any]]) -> None:
        rng.choice(tasks)["annotations"][0]["was_cancelled"] = True

    def shuffle(tasks: list[dict[str, Any]]) -> None:
        rng.shuffle(tasks)
        for task in tasks:
            rng.shuffle(_regions(task))

    add("shift_by_one", shift, 60)
    add("shift_one_side", shift_one_side, 40)
    add("swap_start_end", swap, 40)
    add("unknown_label", unknown_label, 40)
    add("duplicate_task", duplicate_task, 20)
    add("empty_result", empty_result, 15)
    add("drop_region", drop_region, 20)
    add("cancelled", cancel, 10)
    add("reorder", shuffle, 10)

    # UTF-16: the astral variant's offsets counted in UTF-16 code units, all or only some regions
    variant_text = variant["data"]["text"]
    for k in range(scaled(30)):
        tasks = fresh()
        items = _regions(tasks[-1])
        chosen = items if k % 3 else rng.sample(items, max(1, len(items) // 3))
        for item in chosen:
            v = item["value"]
            v["start"], v["end"] = utf16_offset(variant_text, v["start"]), utf16_offset(variant_text, v["end"])
        mutants.append(("utf16_offsets" if k % 3 else "utf16_some_regions", tasks, None))

    for k in range(scaled(60)):
        path = tmp / f"truncated-{k}.json"
        path.write_text(_truncate(rng, text), encoding="utf-8")
        mutants.append(("truncate", None, path))
    # huge inputs: many regions, a huge text, many unknown tasks, deep nesting, non-UTF-8 bytes
    tasks = fresh()
    _regions(tasks[0]).extend(copy.deepcopy(_regions(tasks[0])) * 100)
    mutants.append(("huge", tasks, None))
    tasks = fresh()
    tasks[1]["data"]["text"] *= 50
    mutants.append(("huge", tasks, None))
    tasks = fresh() + [{"id": i, "data": {"doc_id": f"nope-{i}"}, "annotations": []} for i in range(5000)]
    mutants.append(("huge", tasks, None))
    for depth in (1_000, 100_000):
        path = tmp / f"deep-{depth}.json"
        path.write_text("[" * depth + "]" * depth, encoding="utf-8")
        mutants.append(("huge", None, path))
    path = tmp / "binary.json"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le")[:5000])
    mutants.append(("huge", None, path))
    return mutants


# --- prediction files --------------------------------------------------------------------------


def _gold_like_examples() -> list[Example]:
    """The test-split sentences with the first-pass export's spans (a gold-like span set)."""
    return examples_from({d: list(s) for d, s in export_spans().items()}, ["jianghai-2022"])


def _prediction_rows(examples: list[Example]) -> list[dict[str, Any]]:
    """Valid predictions: the gold with every 4th span dropped; every 3rd sentence as raw tags."""
    rows = []
    for i, ex in enumerate(examples):
        spans = [s for j, s in enumerate(ex.spans) if (i + j) % 4]
        if i % 3 == 0:
            rows.append({"id": ex.id, "tags": spans_to_tags(spans, len(ex.text))})
        else:
            rows.append({"id": ex.id, "spans": [s.as_dict() for s in spans]})
    return rows


def _expected_predictions(rows: Any, examples: list[Example]) -> dict[str, list[tuple[int, int, str]]] | None:
    """An independent literal reading of a predictions mutant (code-point offsets), or None."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    texts = {ex.id: ex.text for ex in examples}
    try:
        for row in rows:
            if "tags" in row:
                out[row["id"]] = [(s.start, s.end, s.label) for s in tags_to_spans(row["tags"])]
            else:
                out[row["id"]] = sorted((s["start"], s["end"], s["label"]) for s in row["spans"])
        assert set(out) == set(texts)
    except (KeyError, TypeError, AssertionError, FaZhiError):
        return None
    return out


def _prediction_outcome(path: Path, examples: list[Example], rows: Any, baseline: dict) -> tuple[str, str]:
    try:
        pf = load_prediction_file(path, examples)
    except FaZhiError as exc:
        if "\n" in str(exc) or str(path) not in str(exc):
            return "wrong", f"error message not one line naming the file: {str(exc)[:200]!r}"
        return "rejected", ""
    except Exception as exc:  # noqa: BLE001
        return "crash", f"{type(exc).__name__}: {exc}"[:300]
    got = {sid: [(s.start, s.end, s.label) for s in spans] for sid, spans in pf.spans.items()}
    texts = {ex.id: ex.text for ex in examples}
    if any(
        texts[sid][s.start : s.end] != s.text or s.label not in LABEL_NAMES for sid, v in pf.spans.items() for s in v
    ):
        return "wrong", "accepted spans whose text is not the sentence text at their offsets"
    if any(t not in TAG_TO_ID for tags in pf.tags.values() for t in tags):
        return "wrong", "accepted an unknown tag"
    if got == baseline:
        return "accepted_same", ""
    if rows is None or _expected_predictions(rows, examples) != got:
        return "wrong", "accepted predictions differ from the mutant's literal content"
    return "accepted_changed", ""


def _prediction_mutants(rng: random.Random, tmp: Path, examples: list[Example]) -> list[tuple[str, Path, Any]]:
    base = _prediction_rows(examples)
    lines = [json.dumps(r, ensure_ascii=False) for r in base]
    text = "\n".join(lines) + "\n"
    out: list[tuple[str, Path, Any]] = []
    counter = iter(range(10**6))

    def emit(kind: str, rows: Any = None, raw: str | bytes | None = None) -> None:
        path = tmp / f"pred-{next(counter)}.jsonl"
        if raw is None:
            raw = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if isinstance(raw, bytes):
            path.write_bytes(raw)
        else:
            path.write_text(raw, encoding="utf-8")
        out.append((kind, path, rows))

    def span_rows() -> list[dict[str, Any]]:
        return [r for r in copy.deepcopy(base) if r.get("spans")]

    paths = _paths(base)
    for _ in range(200):
        rows = copy.deepcopy(base)
        _wrong_type(rng, rows, paths)
        emit("wrong_type", rows)
    for _ in range(100):
        rows = copy.deepcopy(base)
        _missing_key(rng, rows, paths)
        emit("missing_key", rows)
    for _ in range(80):
        rows = copy.deepcopy(base)
        row = rng.choice([r for r in rows if r.get("spans")])
        span, d = rng.choice(row["spans"]), rng.choice((-1, 1))
        span["start"] += d
        span["end"] += d
        if rng.random() < 0.5:
            span.pop("text")  # then only the offsets speak: a literal reading, not an error
        emit("shift_by_one", rows)
    for _ in range(40):
        rows = copy.deepcopy(base)
        span = rng.choice(rng.choice([r for r in rows if r.get("spans")])["spans"])
        span["start"], span["end"] = span["end"], span["start"]
        emit("swap_start_end", rows)
    for _ in range(40):
        rows = copy.deepcopy(base)
        row = rng.choice(rows)
        if "spans" in row and row["spans"]:
            rng.choice(row["spans"])["label"] = rng.choice(["PERSON", "agency", "", "B-AGENCY", "AGENCY "])
        else:
            row.setdefault("tags", ["O"])[rng.randrange(len(row["tags"]))] = rng.choice(["B-PERSON", "b-AGENCY", "X"])
            row.pop("spans", None)
        emit("unknown_label", rows)
    for _ in range(30):
        rows = copy.deepcopy(base)
        rows.insert(rng.randrange(len(rows)), copy.deepcopy(rng.choice(rows)))
        emit("duplicate_line", rows)
    for _ in range(30):
        rows = copy.deepcopy(base)
        row = rng.choice(rows)
        row.pop("tags", None)
        row["spans"] = []
        emit("empty_spans", rows)
    for _ in range(30):
        rows = copy.deepcopy(base)
        del rows[rng.randrange(len(rows))]
        emit("missing_line", rows)
    for _ in range(80):
        emit("truncate", None, _truncate(rng, text))
    emit("huge", None, text + "".join(json.dumps({"id": f"x-{i}", "spans": []}) + "\n" for i in range(20_000)))
    emit("huge", None, text + json.dumps({"id": base[0]["id"], "spans": [], "pad": "法" * 2_000_000}) + "\n")
    emit("huge", None, text + "[" * 100_000 + "]" * 100_000 + "\n")
    emit("huge", None, b"\xff\xfe\x00" + text.encode("utf-8"))
    emit("huge", None, "")
    return out


def _utf16_prediction_mutants(tmp: Path, examples: list[Example]) -> list[tuple[str, Path, Any, list[Example]]]:
    """Astral sentences; spans given in UTF-16 units, with and without the covered text."""
    variant = astral_examples(examples)
    out = []
    for with_text in (True, False):
        rows = []
        for ex in variant:
            spans = []
            for s in ex.spans:
                item = {"start": utf16_offset(ex.text, s.start), "end": utf16_offset(ex.text, s.end), "label": s.label}
                if with_text:
                    item["text"] = s.text
                spans.append(item)
            rows.append({"id": ex.id, "spans": spans})
        path = tmp / f"utf16-{with_text}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        out.append(("utf16_offsets" if with_text else "utf16_offsets_no_text", path, rows, variant))
    return out


# --- the test ----------------------------------------------------------------------------------


def _report(title: str, counts: dict[str, Counter], failures: list[str]) -> str:
    lines = [f"{title}: {sum(sum(c.values()) for c in counts.values())} mutants"]
    lines.append(f"  {'kind':<22}" + "".join(f"{o:>17}" for o in OUTCOMES))
    for kind in sorted(counts):
        lines.append(f"  {kind:<22}" + "".join(f"{counts[kind][o]:>17}" for o in OUTCOMES))
    lines += [f"  FAIL {f}" for f in failures[:20]]
    return "\n".join(lines)


# Every mutation kind runs in the quick set, on a quarter of the mutants; the full count is an integration test.
@pytest.mark.parametrize("share", [pytest.param(0.25, id="quarter"), pytest.param(1.0, id="full", marks=pytest.mark.slow)])
def test_fuzz_label_studio_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str], share: float) -> None:
    rng = random.Random(SEED)
    _, documents, baseline = _base_export()
    assert _ls_outcome(_base_export()[0], documents, baseline) == ("accepted_same", "")
    counts: dict[str, Counter] = defaultdict(Counter)
    failures = []
    for kind, tasks, path in _ls_mutants(rng, tmp_path, share):
        outcome, why = _ls_outcome(tasks, documents, baseline, path=path)
        counts[kind][outcome] += 1
        if outcome in ("crash", "wrong"):
            failures.append(f"{kind}: {outcome}: {why}")
    with capsys.disabled():
        print("\n" + _report("Label Studio export fuzz", counts, failures))
    assert not failures, "\n".join(failures[:20])
    assert sum(sum(c.values()) for c in counts.values()) >= 600 * share
    # the outcomes each mutation must have, whatever the random choices were
    for kind in ("swap_start_end", "unknown_label", "duplicate_task", "cancelled", "utf16_some_regions", "huge"):
        assert set(counts[kind]) == {"rejected"}, (kind, counts[kind])
    assert set(counts["utf16_offsets"]) == {"accepted_same"}
    assert set(counts["reorder"]) == {"accepted_same"}
    assert set(counts["empty_result"]) == set(counts["drop_region"]) == {"accepted_changed"}
    # a few may land on the same text: then they are literal
    assert counts["shift_by_one"]["rejected"] >= sum(counts["shift_by_one"].values()) - 5
    assert counts["truncate"]["rejected"] >= sum(counts["truncate"].values()) - 1


def test_fuzz_prediction_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED)
    examples = _gold_like_examples()
    base_rows = _prediction_rows(examples)
    base_path = tmp_path / "base.jsonl"
    base_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in base_rows), encoding="utf-8")
    base = load_prediction_file(base_path, examples)
    baseline = {sid: [(s.start, s.end, s.label) for s in spans] for sid, spans in base.spans.items()}
    assert _expected_predictions(base_rows, examples) == baseline
    counts: dict[str, Counter] = defaultdict(Counter)
    failures = []
    accepted = []
    for kind, path, rows in _prediction_mutants(rng, tmp_path, examples):
        outcome, why = _prediction_outcome(path, examples, rows, baseline)
        counts[kind][outcome] += 1
        if outcome in ("crash", "wrong"):
            failures.append(f"{kind}: {outcome}: {why}")
        elif outcome.startswith("accepted"):
            accepted.append(path)
    for kind, path, rows, variant in _utf16_prediction_mutants(tmp_path, examples):
        variant_base = {ex.id: [(s.start, s.end, s.label) for s in ex.spans] for ex in variant}
        outcome, why = _prediction_outcome(path, variant, rows, variant_base)
        counts[kind][outcome] += 1
        if outcome in ("crash", "wrong"):
            failures.append(f"{kind}: {outcome}: {why}")
    # accepted files must also score without error
    for path in accepted[:: max(1, len(accepted) // 10)]:
        result = evaluate(examples, load_prediction_file(path, examples).for_scoring(), bootstrap=0)
        assert 0.0 <= result.micro_f1 <= 1.0
    with capsys.disabled():
        print("\n" + _report("prediction file fuzz", counts, failures))
    assert not failures, "\n".join(failures[:20])
    assert sum(sum(c.values()) for c in counts.values()) >= 600
    for kind in ("swap_start_end", "unknown_label", "duplicate_line", "missing_line", "huge", "utf16_offsets"):
        assert set(counts[kind]) == {"rejected"}, (kind, counts[kind])
    assert set(counts["empty_spans"]) <= {"accepted_changed", "accepted_same"}
    # UTF-16 offsets without the covered text cannot be told from code points: read literally
    assert set(counts["utf16_offsets_no_text"]) == {"accepted_changed"}
