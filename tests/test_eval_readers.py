"""Prediction files: JSONL and CoNLL agree; every problem is collected with file and line; exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_ner.evaluation.readers import InvalidPredictions, load_prediction_file, read_predictions
from fazhi_ner.spans import Span
from test_eval_helpers import spans_rows, toy_examples, write_jsonl


def _conll(path: Path, examples, with_ids: bool, docstart: bool = False) -> Path:  # noqa: ANN001
    lines = ["-DOCSTART- -X- O", ""] if docstart else []
    for ex in examples:
        if with_ids:
            lines.append(f"# id = {ex.id}")
        lines += [f"{c}\t{t}" for c, t in zip(ex.text, ex.tags(), strict=True)] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(("with_ids", "docstart"), [(True, False), (False, True), (False, False)])
def test_conll_equals_jsonl(tmp_path: Path, with_ids: bool, docstart: bool) -> None:
    examples = toy_examples()
    gold = {ex.id: list(ex.spans) for ex in examples}
    from_jsonl = read_predictions(write_jsonl(tmp_path / "p.jsonl", spans_rows(gold)), examples)
    from_conll = read_predictions(_conll(tmp_path / "p.conll", examples, with_ids, docstart), examples)
    assert from_jsonl == from_conll
    assert [s.label for s in from_jsonl["doc-a-0000"]] == ["AGENCY", "INDICATOR"]


def test_conll_ids_allow_any_order(tmp_path: Path) -> None:
    examples = toy_examples()
    path = _conll(tmp_path / "p.conll", list(reversed(examples)), with_ids=True)
    assert read_predictions(path, examples)["doc-b-0001"][0] == Span(0, 7, "AGENCY", "县政府常务会议")


def test_tags_rows_keep_raw_tags(tmp_path: Path) -> None:
    examples = toy_examples()[1:2]
    tags = ["O", "O", "I-INITIATIVE", "I-INITIATIVE"] + ["O"] * (len(examples[0].text) - 4)
    loaded = load_prediction_file(write_jsonl(tmp_path / "p.jsonl", [{"id": examples[0].id, "tags": tags}]), examples)
    assert loaded.tags[examples[0].id] == tags
    assert loaded.spans[examples[0].id] == []  # strict IOB2: an orphan I- starts no entity


def test_every_problem_collected(tmp_path: Path) -> None:
    examples = toy_examples()
    text = (
        '{"id": "doc-a-0000", "spans": [{"start": 0, "end": 4, "label": "AGENCY"}, {"start": 2, "end": 6, "label": "AGENCY"}]}\n'
        '{"id": "nope", "spans": []}\n'
        '{"id": "doc-a-0001", "tags": ["O"]}\n'
        "{not json\n"
        '{"id": "doc-a-0001", "spans": []}\n'
        '{"id": "doc-b-0000", "spans": [{"start": 0, "end": 99, "label": "AGENCY"}, {"start": 0, "end": 1, "label": "PERSON"}]}\n'
    )
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidPredictions) as info:
        read_predictions(path, examples)
    problems = "\n".join(info.value.problems)
    for needle in (
        f"{path}:1: doc-a-0000: span [2, 6) AGENCY overlaps [0, 4) AGENCY",
        f"{path}:2: unknown sentence id 'nope'",
        f"{path}:3: doc-a-0001: tag sequence length expected 10",
        f"{path}:4: malformed JSON",
        f"{path}:5: duplicate id 'doc-a-0001' (first on line 3)",
        "out of range",
        "unknown label 'PERSON'",
        "1 sentence id(s) of the split missing: doc-b-0001",
    ):
        assert needle in problems
    assert info.value.exit_code == 2
    assert str(info.value).count("\n") == 0


def test_allow_missing_counts_empty(tmp_path: Path) -> None:
    examples = toy_examples()
    path = write_jsonl(tmp_path / "p.jsonl", [{"id": "doc-a-0000", "spans": []}])
    with pytest.raises(InvalidPredictions):
        read_predictions(path, examples)
    loaded = load_prediction_file(path, examples, allow_missing=True)
    assert loaded.missing == ("doc-a-0001", "doc-b-0000", "doc-b-0001")
    assert loaded.spans["doc-b-0001"] == []


def test_conll_problems(tmp_path: Path) -> None:
    examples = toy_examples()
    path = _conll(tmp_path / "p.conll", examples, with_ids=False)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = "县\tB-PERSON"
    lines[1] = "X\tO"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InvalidPredictions) as info:
        read_predictions(path, examples)
    problems = "\n".join(info.value.problems)
    assert f"{path}:1: doc-a-0000: unknown tag 'B-PERSON'" in problems
    assert f"{path}:2: doc-a-0000: character 1 expected '司', found 'X'" in problems
    short = _conll(tmp_path / "short.conll", examples[:2], with_ids=False)
    with pytest.raises(InvalidPredictions, match="expected 4 sentence blocks"):
        read_predictions(short, examples)
