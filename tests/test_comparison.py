"""The report × metric table and its static page (issue 15)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from fazhi_ner.cli import main
from fazhi_ner.comparison.cells import cells, make_cell, mention
from fazhi_ner.comparison.page import bar_chart, by_unit, fmt, render
from fazhi_ner.links.records import LinkRecord
from fazhi_ner.links.store import load_links
from fazhi_ner.links.taxonomy import load_taxonomy
from fazhi_ner.seeds import documents_by_id

CHROMIUM = Path("/usr/bin/chromium")
OUT = Path("eval/comparison")


def test_committed_table_and_page_are_up_to_date() -> None:
    assert main(["table", "build", "--check"]) == 0


def test_cells_keep_source_spans_that_match_the_seed_text() -> None:
    df = pd.read_parquet(OUT / "table.parquet")
    docs = documents_by_id()
    assert len(df) > 100 and df[["doc_id", "metric_id"]].duplicated().sum() == 0
    for row in df.itertuples():
        for source in row.mentions:
            assert docs[row.doc_id].text[source["start"] : source["end"]] == source["text"]
        values = [m["value"] for m in row.mentions if m["value"] is not None]
        if not values:
            assert pd.isna(row.value)
        elif row.unit_kind in ("count", "money"):
            assert row.value == max(values)
        else:
            assert row.value == values[0]
    csv = pd.read_csv(OUT / "table.csv")
    assert list(csv.columns) == list(df.columns)
    assert json.loads(csv.loc[0, "mentions"])[0]["text"] == df.loc[0, "mentions"][0]["text"]


def test_values_are_normalised_wan_and_yuan() -> None:
    df = pd.read_parquet(OUT / "table.parquet")
    fines = df[(df.doc_id == "gaotai-2022") & (df.metric_id == "enforcement.fines")].iloc[0]
    assert fines.value == pytest.approx(321200.0) and fines.unit == "元"  # 罚没款32.12万元
    leaflets = df[(df.doc_id == "gaotai-2022") & (df.metric_id == "legal_education.materials_distributed")].iloc[0]
    assert leaflets.value == pytest.approx(150000.0)  # 普法口杯15万个 is the largest mention
    assert leaflets.mixed_units  # 册 and 个


def test_mentions_are_never_added_up() -> None:
    """Issue 22: the page's "Sum" added 20个乡镇 + 12个部门 + … = 68. A cell shows its largest mention only."""
    df = pd.read_parquet(OUT / "table.parquet")
    assert "value_sum" not in df.columns
    row = df[(df.doc_id == "xianju-2023") & (df.metric_id == "participation.units_involved")].iloc[0]
    assert row.value == 20.0 and row.n_mentions > 2
    html = (OUT / "index.html").read_text(encoding="utf-8")
    assert "<th>Sum</th>" not in html


def test_a_change_keeps_its_direction() -> None:
    taxonomy, docs = load_taxonomy(), documents_by_id()
    text = docs["heishui-2022"].text
    first, second = text.index("乡镇调委会15个"), text.index("村调委会100个")
    records = [
        LinkRecord("heishui-2022", first, first + 8, "INDICATOR", "乡镇调委会15个", "mediation.organisations"),
        LinkRecord("heishui-2022", second, second + 8, "INDICATOR", "村调委会100个", "mediation.organisations"),
    ]
    (cell,) = cells({"heishui-2022": records}, docs, taxonomy)
    assert cell.value == 100.0 and cell.direction is None and not cell.mixed_units and not cell.predicted
    doc, metric = docs["heishui-2022"], next(iter(taxonomy.metrics.values()))
    change = make_cell(doc, metric, [mention(0, 12, "信访总量同比下降14.04%")])
    assert (change.value, change.unit, change.kind, change.direction) == (14.04, "%", "change", "下降")


def test_a_chart_never_mixes_units() -> None:
    taxonomy, docs = load_taxonomy(), documents_by_id()
    metric = next(iter(taxonomy.metrics.values()))
    a = make_cell(docs["gaotai-2022"], metric, [mention(0, 5, "受理16件")])
    b = make_cell(docs["xianju-2023"], metric, [mention(0, 7, "培训120人次")])
    c = make_cell(docs["heishui-2022"], metric, [mention(0, 5, "受理9件")])
    groups = by_unit([a, b, c])
    assert [(unit, len(group)) for unit, group in groups] == [("件", 2), ("人次", 1)]
    colours = dict.fromkeys(docs, "#000")
    with pytest.raises(ValueError):
        bar_chart([a, b], docs, colours)
    html = render([a, b, c], docs, taxonomy, {})
    assert re.findall(r'data-unit="([^"]+)"', html) == ["件", "人次"]


def test_every_metric_chart_on_the_committed_page_has_one_unit() -> None:
    html = (OUT / "index.html").read_text(encoding="utf-8")
    df = pd.read_parquet(OUT / "table.parquet")
    shared = df.groupby("metric_id").filter(lambda g: len(g) >= 2)
    expected = sum(g.unit.fillna("").nunique() for _, g in shared.groupby("metric_id"))
    assert len(re.findall(r'<svg class="chart" role="img" data-unit=', html)) == expected


def test_body_type_chart_has_its_legend_beside_it() -> None:
    html = (OUT / "index.html").read_text(encoding="utf-8")
    chart = html[html.index('<svg class="chart bodies"') :]
    chart = chart[: chart.index("</svg>")]
    width = int(re.search(r'width="(\d+)"', chart).group(1))
    legend_x = int(re.search(r'<g class="legend" transform="translate\((\d+),', chart).group(1))
    bar_right = max(float(x) + float(w) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', chart))
    assert bar_right < legend_x < width
    assert chart.count("<text x=\"18\"") == 5  # one legend entry per report


def test_page_is_self_contained() -> None:
    html = (OUT / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html and "@import" not in html
    assert html.count("<svg") >= 3
    assert "AI agents" in html
    assert fmt(1234.5) == "1,234.5" and fmt(None) == "—"


def test_build_writes_to_another_folder_and_refuses_nothing_silently(tmp_path: Path) -> None:
    assert main(["table", "build", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "matrix.csv", "table.csv", "table.parquet"]
    assert (tmp_path / "index.html").read_bytes() == (OUT / "index.html").read_bytes()
    (tmp_path / "table.csv").write_text("stale\n", encoding="utf-8")
    assert main(["table", "build", "--out", str(tmp_path), "--check"]) != 0
    assert main(["table", "build", "--user-reports"]) == 2  # predicted cells never go into eval/comparison/


def test_gold_links_drive_every_cell() -> None:
    df = pd.read_parquet(OUT / "table.parquet")
    linked = {
        (r.doc_id, r.link)
        for rs in load_links("gold").values()
        for r in rs
        if r.label == "INDICATOR" and r.link != "other"
    }
    assert set(zip(df.doc_id, df.metric_id, strict=True)) == linked


@pytest.mark.slow
@pytest.mark.browser
def test_page_renders_in_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required in CI")
        pytest.skip("chromium not installed")
    base = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    page = (OUT / "index.html").resolve().as_uri()
    dom = subprocess.run([*base, "--dump-dom", page], capture_output=True, text=True, timeout=120, check=True).stdout
    bars = re.findall(r'<rect class="bar" data-doc="([^"]+)"', dom)
    df = pd.read_parquet(OUT / "table.parquet")
    shared = df.groupby("metric_id").filter(lambda g: len(g) >= 2)
    assert len(bars) == len(shared) > 10
    assert "行政复议" in dom and "调解成功率" in dom
    png = tmp_path / "shot.png"
    subprocess.run(
        [*base, f"--screenshot={png}", "--window-size=1200,1600", page], capture_output=True, timeout=120, check=True
    )
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
