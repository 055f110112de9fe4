"""The active-learning simulation's bookkeeping (fast: the rules model, which ignores what it is trained on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_ner.annotation import active_learning as al
from fazhi_ner.cli import main
from fazhi_ner.errors import StaleError


@pytest.fixture(scope="module")
def folds():
    with pytest.MonkeyPatch.context() as patch:  # fewer points: this checks the bookkeeping, not the curve
        patch.setattr(al, "BUDGETS", (25, 100))
        patch.setattr(al, "RANDOM_SEEDS", (0,))
        yield [al.simulate_fold("rules", fold) for fold in range(5)]


def test_each_fold_has_both_strategies_with_growing_budgets(folds):
    for fold in folds:
        assert fold.budgets[-1] == fold.pool and fold.budgets == sorted(fold.budgets)
        assert set(fold.runs) == {"uncertainty", "random-0"}
        for points in fold.runs.values():
            assert [p.budget for p in points] == fold.budgets
            assert [p.chars for p in points] == sorted(p.chars for p in points)
        # both strategies start from the same seed sentences, and annotate the whole pool at the end
        first = {run: points[0].chars for run, points in fold.runs.items()}
        last = {run: points[-1].chars for run, points in fold.runs.items()}
        assert len(set(first.values())) == 1 and len(set(last.values())) == 1


def test_summary_and_report(folds, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(al, "RANDOM_SEEDS", (0,))
    summary = al.summarise("rules", folds)
    rows = summary.curve
    assert rows[-1].uncertainty.sentences == sum(f.pool for f in folds)
    # the rules model ignores its training data, so every point scores the same F1 for both strategies
    assert len({r.uncertainty.f1 for r in rows} | {r.random.f1 for r in rows}) == 1
    reached = summary.first_reaching_target.uncertainty
    assert reached is not None and reached.sentences == rows[0].uncertainty.sentences
    text = al.render(summary)
    assert "| all |" in text and "no human or agent annotated" in text


def test_check_fails_on_a_stale_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folds):
    monkeypatch.setattr(al, "simulate_fold", lambda name, fold: folds[fold])
    monkeypatch.setattr(al, "RANDOM_SEEDS", (0,))
    out = tmp_path / "ACTIVE_LEARNING.md"
    with pytest.raises(StaleError):
        al.run_and_write("rules", out=out, check=True, jobs=1, log=lambda m: None)
    assert main(["annotate", "active-learning", "--model", "rules", "-o", str(out), "--jobs", "1"]) == 0
    assert out.is_file() and (tmp_path / al.DATA).is_file()
    assert main(["annotate", "active-learning", "--model", "rules", "-o", str(out), "--jobs", "1", "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert main(["annotate", "active-learning", "--model", "rules", "-o", str(out), "--jobs", "1", "--check"]) == 1


@pytest.mark.parametrize(
    "argv",
    [["tag", "--bogus"], ["tag"], ["ingest", "x.txt"], ["ingest", "x.txt", "--unit", "县", "--year", "abc"],
     ["annotate", "ml-backend", "--port", "x"], ["annotate", "active-learning", "--jobs", "0"],
     ["annotate", "push", "--model"]],
)  # fmt: skip
def test_bad_options_exit_2(argv: list[str]):
    assert main(argv) == 2
