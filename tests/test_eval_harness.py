"""The harness end to end: evaluate(), the JSON, invalid transitions, compare and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi_ner import __version__
from fazhi_ner.cli import main
from fazhi_ner.corpus import fingerprint, load_examples
from fazhi_ner.evaluation.harness import compare, evaluate
from fazhi_ner.evaluation.readers import InvalidPredictions
from fazhi_ner.spans import Span
from test_eval_helpers import noisy, provisional_gold, spans_rows, toy_examples, write_jsonl


def test_gold_is_perfect_and_json_complete() -> None:
    examples = toy_examples()
    result = evaluate(examples, {ex.id: list(ex.spans) for ex in examples}, bootstrap=200)
    assert result.micro_f1 == 1.0 and result.ci() == [1.0, 1.0]
    data = result.to_json()
    assert data["dataset_version"] == __version__ and data["gold_fingerprint"] == fingerprint(examples)
    assert data["partial_match"]["overall"]["partial"]["f1"] == 1.0
    assert [d["doc_id"] for d in data["documents"]] == ["doc-a", "doc-b"]
    assert sum(data["errors"]["counts"].values()) == 0
    json.dumps(data)  # serialisable


def test_hand_errors_and_invalid_transitions() -> None:
    examples = toy_examples()
    preds: dict = {ex.id: list(ex.spans) for ex in examples}
    preds["doc-a-0000"] = [Span(0, 3, "AGENCY"), Span(6, 13, "AGENCY")]  # boundary, type
    preds["doc-b-0000"] = [Span(0, 2, "INITIATIVE")]  # spurious
    text = examples[3].text
    preds["doc-b-0001"] = ["O"] + ["I-AGENCY"] * 6 + ["O"] * (len(text) - 7)  # orphan I-: nothing, 2 misses
    result = evaluate(examples, preds, bootstrap=100)
    assert result.invalid_transitions == 1
    assert result.strict.counts == {"tp": 1, "fp": 3, "fn": 4}
    assert result.errors.counts == {"boundary": 1, "type": 1, "boundary+type": 0, "missed": 2, "spurious": 1}
    assert result.errors.examples["type"][0].gold == "会前学法21次/INDICATOR"
    assert result.documents[1].tp == 0 and result.documents[0].tp == 1


def test_in_memory_validation() -> None:
    examples = toy_examples()
    with pytest.raises(InvalidPredictions, match="missing"):
        evaluate(examples, {}, bootstrap=0)
    partial = evaluate(examples, {}, bootstrap=0, allow_missing=True)
    assert len(partial.missing) == 4 and partial.micro_f1 == 0.0
    with pytest.raises(InvalidPredictions, match="unknown sentence id"):
        evaluate(examples, {**{ex.id: [] for ex in examples}, "x": []}, bootstrap=0)


def test_document_bootstrap_and_compare() -> None:
    examples = toy_examples()
    gold = {ex.id: list(ex.spans) for ex in examples}
    result = evaluate(examples, gold, bootstrap=50, unit="document")
    assert result.bootstrap["unit"] == "document" and result.bootstrap["units"] == 2
    _, _, cmp = compare(examples, gold, gold, resamples=50, permutations=100)
    assert cmp.delta == 0.0 and cmp.p_randomization == 1.0


def test_cli_with_provisional_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold_dir = provisional_gold(tmp_path / "gold")
    test = load_examples("test", gold_directory=gold_dir)
    good = write_jsonl(tmp_path / "good.jsonl", spans_rows({ex.id: list(ex.spans) for ex in test}))
    noisy_file = write_jsonl(tmp_path / "noisy.jsonl", spans_rows(noisy(test)))
    out = tmp_path / "out.json"
    assert (
        main(["eval", "evaluate", str(noisy_file), "--split", "test", "--gold", str(gold_dir), "--out", str(out)]) == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["gold_fingerprint"] == fingerprint(test) and 0 < data["strict"]["micro"]["f1"] < 1
    assert main(["eval", "evaluate", str(good), "--gold", str(gold_dir), "--bootstrap", "10"]) == 0
    assert main(["eval", "compare", str(noisy_file), str(good), "--gold", str(gold_dir), "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["delta"] > 0
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "nope", "spans": []}] * 25)
    capsys.readouterr()
    assert main(["eval", "evaluate", str(bad), "--gold", str(gold_dir)]) == 2
    err = capsys.readouterr().err
    assert "more problem(s)" in err and f"{bad}:1: unknown sentence id 'nope'" in err and "error:" in err


def test_strict_figures_equal_seqeval_on_random_data() -> None:
    """The harness no longer runs seqeval; its one-pass strict figures must still be seqeval's, exactly."""
    import random

    from bench_evaluation import synthetic

    from fazhi_ner.evaluation.metrics import cross_check
    from fazhi_ner.labels import TAGS
    from fazhi_ner.spans import spans_to_tags

    examples, predictions = synthetic(400, seed=5)
    rng = random.Random(5)
    mixed: dict = dict(predictions)
    for ex in examples[::7]:  # raw tags with invalid transitions for some sentences
        mixed[ex.id] = [rng.choice(TAGS) if rng.random() < 0.3 else "O" for _ in ex.text]
    result = evaluate(examples, mixed, bootstrap=0)
    y_true = [ex.tags() for ex in examples]
    y_pred = [v if v and isinstance(v[0], str) else spans_to_tags(v, len(ex.text)) for ex, v in
              ((ex, mixed[ex.id]) for ex in examples)]  # fmt: skip
    cross_check(y_true, y_pred, result.strict)
    assert result.invalid_transitions > 0
