"""The one mapping between typed results and JSON: round trips, omitted fields, and clear errors."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi_ner.errors import FaZhiError, ResultFormatError
from fazhi_ner.results import Record, field


@dataclass(frozen=True)
class Cell(Record):
    f1: float
    ci: tuple[float, float] | None = field(omit_if=None)


@dataclass(frozen=True)
class Board(Record):
    name: str
    cells: dict[str, Cell]
    rows: list[Cell]
    b_tag: str = field(key="B-TAG", default="x")


def test_round_trip_keeps_order_omits_and_keys() -> None:
    board = Board("m", {"AGENCY": Cell(0.5, (0.4, 0.6))}, [Cell(0.1)], "y")
    data = board.to_data()
    assert list(data) == ["name", "cells", "rows", "B-TAG"]
    assert data["rows"] == [{"f1": 0.1}]
    assert Board.from_json(board.to_json()) == board


def test_unknown_and_missing_keys_are_named() -> None:
    with pytest.raises(ResultFormatError, match="unexpected key 'f2'"):
        Cell.from_data({"f1": 1.0, "f2": 2.0}, where="x.json")
    with pytest.raises(ResultFormatError, match=r"x.json: missing key 'f1'"):
        Cell.from_data({}, where="x.json")
    with pytest.raises(FaZhiError, match=r"x.json.cells: expected an object, found list"):
        Board.from_data({"name": "m", "cells": [], "rows": []}, where="x.json")


@given(st.floats(allow_nan=False), st.one_of(st.none(), st.tuples(st.floats(allow_nan=False), st.floats(allow_nan=False))))
def test_cells_round_trip(f1: float, ci: tuple[float, float] | None) -> None:
    cell = Cell(f1, ci)
    assert Cell.from_json(cell.to_json()) == cell


@dataclass(frozen=True)
class Sorted(Record):
    SORT_KEYS = True
    z: int
    a: int


def test_sort_keys_and_from_file(tmp_path) -> None:  # noqa: ANN001
    text = Sorted(1, 2).to_json()
    assert text == '{\n  "a": 2,\n  "z": 1\n}\n'
    assert Sorted(1, 2).to_json(sort_keys=False).startswith('{\n  "z"')
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    assert Sorted.from_file(path) == Sorted(1, 2)
    path.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ResultFormatError, match=rf"{path}: missing key 'z'"):
        Sorted.from_file(path)


def test_json_key_names_the_key_of_a_field() -> None:
    from fazhi_ner.results import json_key

    assert json_key(Board, "b_tag") == "B-TAG" and json_key(Board, "name") == "name"
    with pytest.raises(AttributeError, match="no field 'nope'"):
        json_key(Board, "nope")
