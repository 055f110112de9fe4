"""formats.labelstudio: a region reads back as the span it was built from; task files round-trip; bad input is typed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.errors import AnnotationError, FormatError
from fazhi_ner.formats.labelstudio import (
    RegionProblem,
    read_region,
    read_regions,
    read_tasks,
    region,
    region_id,
    write_tasks,
)
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span

spans = st.builds(
    lambda start, length, label, text: Span(start, start + length, label, text),
    st.integers(0, 10_000),
    st.integers(1, 50),
    st.sampled_from(LABEL_NAMES),
    st.text(max_size=20),
)


@given(spans, st.sampled_from((None, "manual", "prediction")), st.none() | st.floats(0, 1))
@settings(max_examples=200, deadline=None)
def test_region_round_trip(span, origin, score):
    built = region(span, origin=origin, score=score)
    assert read_region(built) == span
    assert read_region(json.loads(json.dumps(built))) == span
    assert ("origin" in built) == (origin is not None) and ("score" in built) == (score is not None)


def test_region_keys_in_the_committed_order():
    span = Span(3, 7, "INDICATOR", "开展学法")
    assert list(region(span, origin="manual")) == ["id", "from_name", "to_name", "type", "origin", "value"]
    assert list(region(span, score=0.5)) == ["id", "from_name", "to_name", "type", "value", "score"]
    assert region(span)["id"] == region_id(span) == "ind3-7"


@given(st.lists(st.fixed_dictionaries({"id": st.integers(), "data": st.fixed_dictionaries({"text": st.text()})})))
@settings(max_examples=50, deadline=None)
def test_task_file_round_trip(tasks):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        path.write_text(write_tasks(tasks), encoding="utf-8")
        assert read_tasks(path) == tasks


def _item(**value):
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value}


@pytest.mark.parametrize(
    ("item", "kind", "offsets"),
    [
        ("not an object", "malformed result item", (None, None)),
        (
            {**_item(start=1, end=3, labels=["AGENCY"], text="ab"), "type": "choices"},
            "result item from another control",
            (1, 3),
        ),
        (_item(start="1", end=3, labels=["AGENCY"], text="ab"), "offsets are not integers", (None, None)),
        (_item(start=1, end=3, labels=["AGENCY", "INDICATOR"], text="ab"), "expected exactly one label", (1, 3)),
        (_item(start=1, end=3, labels=["PERSON"], text="ab"), "unknown label", (1, 3)),
        (_item(start=1, end=3, labels=["AGENCY"]), "region has no text", (1, 3)),
    ],
)
def test_bad_regions_are_problems_with_their_offsets(item, kind, offsets):
    problem = read_region(item)
    assert isinstance(problem, RegionProblem) and problem.kind == kind and (problem.start, problem.end) == offsets
    with pytest.raises(AnnotationError, match=f"^export.json task 4: result item 1.*: {kind}"):
        read_regions([region(Span(0, 1, "AGENCY", "a")), item], where="export.json task 4")


def test_bad_task_files_raise_a_typed_error_naming_the_file(tmp_path):
    path = tmp_path / "export.json"
    for text, found in (("{", "not a JSON file"), ('{"a": 1}', "found dict"), ("[1]", "found list")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(AnnotationError, match=f"^{path}: .*{found}"):
            read_tasks(path)
    with pytest.raises(FormatError, match="export file not found"):
        read_tasks(tmp_path / "missing.json", error=FormatError)
