"""The synthetic-share study: tasks put the synthetic corpus on the training side only; its report follows its JSON."""

from __future__ import annotations

import pytest

from fazhi_ner.baselines import synthetic_study as study
from fazhi_ner.errors import StaleError
from fazhi_ner.scores import MeanStd
from fazhi_ner.synthetic import is_synthetic


def test_tasks_carry_the_share_in_params_and_real_dev_and_heldout():
    tasks = study.study_tasks(["crf-lac"], [0.0, 0.5], [0, 1, 2])
    assert len(tasks) == 2 * 5  # crf-lac is deterministic: one seed per fold
    assert [float(t.variant) for t in tasks][:5] == [0.5] * 5  # the biggest training sets first
    for task in tasks:
        assert dict(task.params)["synthetic"] == float(task.variant)
        assert not any(is_synthetic(e.sentence.doc_id) for e in (*task.train, *task.dev, *task.evaluate))


def _row(model: str, share: float, f1: float) -> study.StudyRow:
    stat = MeanStd(f1, 0.0, [f1])
    return study.StudyRow([0], stat, {k: stat for k in ("AGENCY", "INITIATIVE", "INDICATOR")}, model, share, 12.0)


def test_report_follows_the_json_and_check_detects_an_edit(tmp_path):
    rows = [_row("crf-lac", 0.0, 0.717), _row("crf-lac", 1.0, 0.8)]
    for path, text in study.files(rows, tmp_path).items():
        path.write_text(text, encoding="utf-8")
    assert "| crf-lac | 100% | 0 | 80.0 |" in (tmp_path / study.MD_NAME).read_text(encoding="utf-8")
    assert study.load_rows(tmp_path) == rows
    study.check(tmp_path)
    (tmp_path / study.MD_NAME).write_text("edited\n", encoding="utf-8")
    with pytest.raises(StaleError, match="SYNTHETIC_STUDY.md: stale"):
        study.check(tmp_path)


def test_a_rerun_of_some_shares_keeps_every_other_row():
    old = [_row("bilstm", 0.0, 0.6), _row("bilstm", 0.25, 0.7), _row("crf", 0.0, 0.62)]
    new = [_row("bilstm", 0.25, 0.71), _row("bilstm", 1.0, 0.75)]
    merged = study.merge_rows(old, new)
    assert [(r.model, r.share, r.pooled.mean) for r in merged] == [
        ("bilstm", 0.0, 0.6), ("bilstm", 0.25, 0.71), ("bilstm", 1.0, 0.75), ("crf", 0.0, 0.62)
    ]
