"""Issue 14, item 7: the statistics refuse nonsense (no fake interval, no non-positive resamples)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi_ner.cli import main
from fazhi_ner.corpus import load_examples
from fazhi_ner.errors import ArgumentError
from fazhi_ner.evaluation.harness import compare, evaluate


@pytest.fixture(scope="module")
def test_examples() -> list:
    return load_examples("test")


def _predictions(tmp_path: Path, examples: list, keep: int) -> Path:
    path = tmp_path / f"pred{keep}.jsonl"
    rows = [
        {"id": ex.id, "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in ex.spans[:keep]]}
        for ex in examples
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_test_split_is_one_document(test_examples: list) -> None:
    assert len({ex.sentence.doc_id for ex in test_examples}) == 1  # the premise of the next tests


def test_document_bootstrap_on_one_document_is_refused(test_examples: list) -> None:
    preds = {ex.id: list(ex.spans) for ex in test_examples}
    with pytest.raises(ArgumentError, match="needs at least 2 documents, found 1"):
        compare(
            test_examples, preds, {ex.id: [] for ex in test_examples}, resamples=50, permutations=50, unit="document"
        )
    with pytest.raises(ArgumentError, match="needs at least 2 documents"):
        evaluate(test_examples, preds, bootstrap=50, unit="document")
    assert evaluate(test_examples, preds, bootstrap=0, unit="document").intervals == {}


def test_cli_compare_by_document_on_one_document_exits_2(
    tmp_path: Path, test_examples: list, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _predictions(tmp_path, test_examples, 0), _predictions(tmp_path, test_examples, 1)
    argv = [
        "eval",
        "compare",
        str(a),
        str(b),
        "--bootstrap-unit",
        "document",
        "--bootstrap",
        "20",
        "--permutations",
        "20",
    ]
    assert main(argv) == 2
    out = capsys.readouterr()
    assert "needs at least 2 documents" in out.err and "CI" not in out.out


@pytest.mark.parametrize("value", ["0", "-5"])
@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_cli_bootstrap_must_be_positive(
    tmp_path: Path, test_examples: list, value: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _predictions(tmp_path, test_examples, 1)
    files = [str(a)] if command == "evaluate" else [str(a), str(a)]
    assert main(["eval", command, *files, "--bootstrap", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Invalid value for '--bootstrap'") and "greater than or equal to 1" in err


def test_library_compare_refuses_zero_resamples(test_examples: list) -> None:
    preds = {ex.id: list(ex.spans) for ex in test_examples}
    with pytest.raises(ArgumentError, match="positive integers"):
        compare(test_examples, preds, preds, resamples=0)
