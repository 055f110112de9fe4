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
from fazhi_ner.comparison.cells import cells
from fazhi_ner.comparison.page import fmt
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
        for mention in row.mentions:
            assert docs[row.doc_id].text[mention["start"] : mention["end"]] == mention["text"]
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
    assert leaflets.value_sum is None or pd.isna(leaflets.value_sum)  # 册 and 个 are not summed


def test_breakdowns_are_summed_only_in_one_unit() -> None:
    taxonomy, docs = load_taxonomy(), documents_by_id()
    text = docs["heishui-2022"].text
    first, second = text.index("乡镇调委会15个"), text.index("村调委会100个")
    records = [
        LinkRecord("heishui-2022", first, first + 8, "INDICATOR", "乡镇调委会15个", "mediation.organisations"),
        LinkRecord("heishui-2022", second, second + 8, "INDICATOR", "村调委会100个", "mediation.organisations"),
    ]
    (cell,) = cells({"heishui-2022": records}, docs, taxonomy)
    assert cell.value == 100.0 and cell.value_sum == 115.0 and not cell.mixed_units


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
