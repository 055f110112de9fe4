"""formats.jsonl: rows read back exactly as written; bad lines give a typed error naming the file and line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner.errors import FormatError, GoldError
from fazhi_ner.formats.jsonl import parse_jsonl, read_jsonl, read_jsonl_rows, write_jsonl

# any text, including U+2028/U+2029 and control characters: json.dumps escapes what must be escaped
scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=12)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
rows = st.lists(st.dictionaries(st.text(max_size=6), values, max_size=5) | st.lists(values, max_size=3), max_size=8)


@given(rows)
@settings(max_examples=150, deadline=None)
def test_rows_round_trip(data):
    text = write_jsonl(data)
    assert [line.row for line in parse_jsonl(text, where="t")] == data
    assert read_jsonl_rows(text.encode("utf-8"), where="t") == data
    assert text.count("\n") == len(data)


def test_a_raw_line_separator_in_a_string_is_not_a_line_break(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(write_jsonl([{"text": "甲\u2028乙"}, {"text": "丙"}]), encoding="utf-8")
    assert [(line.lineno, line.row) for line in read_jsonl(path)] == [(1, {"text": "甲\u2028乙"}), (2, {"text": "丙"})]


def test_blank_lines_are_skipped_and_line_numbers_kept():
    lines = list(parse_jsonl('\n{"a": 1}\n  \n{"b": 2}\n', where="f.jsonl"))
    assert [(line.where, line.row) for line in lines] == [("f.jsonl:2", {"a": 1}), ("f.jsonl:4", {"b": 2})]


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (b'{"a": 1}\n{"b": \n', "f.jsonl:2", "malformed JSON"),
        (b'{"a": 1}\n\xff\xfe\n', "f.jsonl:2", "expected UTF-8 text, found byte 0xff at column 1"),
        (b"[" * 100_000 + b"\n", "f.jsonl:1", "nested too deeply"),
    ],
)
def test_bad_lines_raise_a_typed_error_with_file_and_line(data, where, message):
    with pytest.raises(FormatError, match=f"^{where}: .*{message}"):
        read_jsonl_rows(data, where="f.jsonl")
    with pytest.raises(GoldError, match=f"^{where}: "):  # a stage keeps its own error type
        read_jsonl_rows(data, where="f.jsonl", error=GoldError)
