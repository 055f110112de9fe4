"""fazhi extract and the end-to-end LODO measure (issue 22): small invented reports, tmp folders."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from fazhi_ner import paths
from fazhi_ner.cli import main
from fazhi_ner.comparison.cells import make_cell, mention
from fazhi_ner.extraction.identity import guess_unit, guess_year
from fazhi_ner.extraction.lodo import match_counts, score
from fazhi_ner.extraction.records import ReportExtraction
from fazhi_ner.extraction.results import read_extraction_evaluation
from fazhi_ner.links.taxonomy import load_taxonomy
from fazhi_ner.seeds import documents_by_id

# Invented, never published: full-width punctuation and digits, as reports are often published.
REPORT = (
    "青山县2024年法治政府建设年度报告\n\n"
    "2024年，青山县全面推进法治政府建设。县政府常务会议开展会前学法１２次。\n"
    "全年受理行政复议案件23件，办结21件；人民调解组织调解纠纷560件，调解成功率98.5％。\n"
    "全年信访总量同比下降12.3%。\n"
)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "qingshan.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_extract_writes_a_predicted_table_with_offsets_into_the_original(report: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(report), "-o", str(out), "--model", "rules", "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html", "matrix.csv", "reports.jsonl", "table.csv", "table.parquet"
    ]  # fmt: skip
    df = pd.read_parquet(out / "table.parquet")
    assert len(df) >= 4 and df.predicted.all() and set(df.report_unit) == {"青山县"} and set(df.year) == {2024}
    original = report.read_text(encoding="utf-8")
    for row in df.itertuples():
        for source in row.mentions:
            assert original[source["start"] : source["end"]] == source["text"]
    by_metric = df.set_index("metric_id")
    assert by_metric.loc["admin_reconsideration.cases_received", "value"] == 23.0
    assert by_metric.loc["law_study.pre_meeting_sessions", "value"] == 12.0  # read from full-width １２
    assert "１２" in by_metric.loc["law_study.pre_meeting_sessions", "mentions"][0]["text"]  # text as in the file
    change = df[df.kind == "change"].iloc[0]
    assert (change.value, change.direction) == (12.3, "下降")
    (line,) = (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    extraction = ReportExtraction.from_json(json.loads(line))
    assert ReportExtraction.from_json(extraction.to_json()) == extraction
    assert {s.label for s in extraction.spans} >= {"AGENCY", "INDICATOR"}
    assert all(s.link for s in extraction.spans if s.label in ("AGENCY", "INDICATOR"))
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "fazhi extract" in html and 'class="badge">predicted' in html
    assert "predicted" in (out / "matrix.csv").read_text(encoding="utf-8").splitlines()[0]


def test_bad_input_exits_2_and_leaves_the_folder_as_it_was(report: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    out.mkdir()
    (out / "table.csv").write_text("earlier\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["extract", str(report), str(empty), "-o", str(out), "--model", "rules", "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "empty.txt" in err[0]
    assert sorted(p.name for p in out.iterdir()) == ["table.csv"]
    assert (out / "table.csv").read_text(encoding="utf-8") == "earlier\n"
    assert main(["extract", str(report), str(report), "-o", str(out), "--unit", "青山县", "--model", "rules"]) == 2
    nameless = tmp_path / "n.txt"
    nameless.write_text("县政府常务会议开展会前学法12次。\n", encoding="utf-8")
    assert main(["extract", str(nameless), "-o", str(tmp_path / "o2"), "--model", "rules"]) == 2
    assert "--year" in capsys.readouterr().err
    assert not (tmp_path / "o2").exists()
    assert main(["extract", str(nameless), "-o", str(tmp_path / "o2"), "--model", "rules", "--year", "2024", "-q"]) == 0


def test_unit_and_year_are_read_from_the_title() -> None:
    assert guess_unit("江门市江海区2022年法治政府建设年度报告\n正文") == "江海区"
    assert guess_unit("青山县人民政府关于2024年度法治政府建设情况的报告") == "青山县"
    assert guess_unit("关于2022年法治政府建设情况的报告") is None
    assert guess_year("关于2022年法治政府建设情况的报告") == 2022
    assert guess_year("没有年份的文字") is None


def test_a_cell_matches_on_report_metric_and_value() -> None:
    docs, metrics = documents_by_id(), list(load_taxonomy().metrics.values())
    doc = docs["gaotai-2022"]
    gold = [make_cell(doc, metrics[0], [mention(0, 4, "受理16件")]), make_cell(doc, metrics[1], [mention(0, 3, "办结9件")])]
    predicted = [
        make_cell(doc, metrics[0], [mention(0, 4, "受理16件")], predicted=True),
        make_cell(doc, metrics[1], [mention(0, 3, "办结8件")], predicted=True),  # right metric, wrong value
        make_cell(doc, metrics[2], [mention(0, 3, "办结8件")], predicted=True),  # no such gold cell
    ]
    counts = match_counts(gold, predicted)
    assert sorted(counts.values()) == [(0, 1, 0), (0, 1, 1), (1, 0, 0)]
    result = score(counts, resamples=200)
    assert (result.tp, result.fp, result.fn) == (1, 2, 1)
    assert result.precision == pytest.approx(1 / 3, abs=1e-4) and result.recall == 0.5
    assert result.f1_ci[0] <= result.f1 <= result.f1_ci[1]
    decrease = make_cell(doc, metrics[3], [mention(0, 9, "同比下降12.3%")])
    increase = make_cell(doc, metrics[3], [mention(0, 9, "同比上升12.3%")], predicted=True)
    assert match_counts([decrease], [increase])[(doc.doc_id, metrics[3].id)] == (0, 1, 1)


@pytest.mark.slow  # the whole LODO chain with 2000 resamples (~18 s CPU); `make check` runs the same command
def test_committed_lodo_is_up_to_date() -> None:
    assert main(["extraction", "evaluate", "--check"]) == 0


def test_committed_lodo_headline_is_the_taggers_pooled_cell_f1() -> None:
    result = read_extraction_evaluation(Path("eval/extraction/lodo.json"))
    assert 0.0 < result.cell_f1 <= 1.0
    assert result.cell_f1 == result.systems[result.tagger].pooled.f1
    assert "gold-spans" in result.systems and not isinstance(result.synthetic, str)


def test_table_build_includes_ingested_reports_as_predicted(
    report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "user_reports"
    monkeypatch.setattr(paths, "user_reports_dir", lambda: folder)
    assert main(["ingest", str(report), "--unit", "青山县", "--year", "2024"]) == 0
    out = tmp_path / "table"
    assert main(["table", "build", "--user-reports", "-o", str(out), "--model", "rules"]) == 0
    df = pd.read_parquet(out / "table.parquet")
    user = df[df.doc_id.str.startswith("user-")]
    assert len(user) >= 4 and user.predicted.all()
    assert not df[~df.doc_id.str.startswith("user-")].predicted.any()  # the seeds stay gold
    assert set(df.doc_id) > set(pd.read_parquet("eval/comparison/table.parquet").doc_id)


def test_the_synthetic_view_uses_a_tagger_that_never_saw_it_and_held_out_writers():
    from fazhi_ner.baselines.registry import create
    from fazhi_ner.extraction.lodo import SYNTHETIC_TAGGER
    from fazhi_ner.paths import eval_dir
    from fazhi_ner.synthetic import load_synthetic_documents, synthetic_writers

    view = read_extraction_evaluation(eval_dir() / "extraction" / "lodo.json").synthetic
    assert not isinstance(view, str)
    assert view.documents == len(load_synthetic_documents()) and view.tagger == SYNTHETIC_TAGGER
    assert not create(SYNTHETIC_TAGGER).config.params.get("synthetic")  # the tagger never trained on the corpus
    assert view.writers == len(set(synthetic_writers().values())) > 1
    assert 0 < view.pooled.f1 <= 1
