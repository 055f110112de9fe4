"""Taxonomy v2 (framework areas, stable ids) and link sheets for the synthetic corpus (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_ner.cli import main
from fazhi_ner.errors import LinkError
from fazhi_ner.links.records import load_link_folder
from fazhi_ner.links.sheets import SHEET_HEADER
from fazhi_ner.links.synthetic_links import coverage, export_sheets, import_sheets
from fazhi_ner.links.taxonomy import OTHER, links_dir, load_taxonomy, read_metrics
from fazhi_ner.synthetic import load_synthetic_documents, load_synthetic_gold, synthetic_dir

DOC = "syn-002"


def test_every_metric_names_a_defined_framework_area_and_v1_ids_are_kept() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.framework_areas) >= 10
    for metric in taxonomy.metrics.values():
        assert metric.framework_area in taxonomy.framework_areas, metric.id
    for area in taxonomy.framework_areas.values():
        assert area.name_zh and area.name_en and area.corresponds
    assert {m.framework_area for m in taxonomy.metrics.values()} == set(taxonomy.framework_areas)
    v1 = (links_dir() / "metric_ids_v1.txt").read_text(encoding="utf-8").split()
    assert len(v1) == 120 and set(v1) <= set(taxonomy.metrics)


def test_unknown_framework_area_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "metrics.yaml"
    bad.write_text(
        "framework_areas: {x: {name_zh: 甲, name_en: X, corresponds: c}}\n"
        "domains: {a: {name_zh: 甲, name_en: A}}\n"
        "metrics:\n  - {id: a.b, name_zh: x, name_en: x, unit_kind: count, framework_area: y, definition: d}\n",
        encoding="utf-8",
    )
    with pytest.raises(LinkError, match="framework_area 'y'"):
        read_metrics(bad)


def _fill(path: Path, indicator: str = "enforcement.cases", agency: str = "government") -> list[str]:
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split("\t")
        cells[4] = indicator if cells[1] == "INDICATOR" else agency
        out.append("\t".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return out


def test_export_then_import_round_trips_every_span(tmp_path: Path) -> None:
    sheets = tmp_path / "sheets"
    [path] = export_sheets(sheets, [DOC])
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert tuple(lines[0].split("\t")) == SHEET_HEADER
    gold = load_synthetic_gold()[DOC]
    assert len(lines) - 1 == sum(1 for s in gold if s.label in ("INDICATOR", "AGENCY"))
    assert all("[[" in line.split("\t")[3] and line.split("\t")[4] == "" for line in lines[1:])
    with pytest.raises(LinkError, match="exists"):
        export_sheets(sheets, [DOC])
    _fill(path)
    out = tmp_path / "links"
    assert import_sheets([sheets], out=out, check=True) == [out / f"{DOC}.tsv"] and not out.exists()
    [written] = import_sheets([sheets], out=out)
    docs = {d.doc_id: d for d in load_synthetic_documents()}
    links = load_link_folder(out, load_taxonomy(), load_synthetic_gold(), docs)
    assert [(r.start, r.end) for r in links[DOC]] == sorted((s.start, s.end) for s in gold if s.label != "INITIATIVE")
    assert coverage(links).other == 0 and coverage(links).indicators > 0
    with pytest.raises(LinkError, match="exists"):
        import_sheets([path], out=out)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda cells: cells.__setitem__(4, "enforcement.no_such_id"), "unknown 'enforcement.no_such_id'"),
        (lambda cells: cells.__setitem__(4, ""), "found an empty cell"),
        (lambda cells: (cells.__setitem__(4, OTHER), cells.__setitem__(5, "")), "expected a reason"),
        (lambda cells: cells.__setitem__(2, cells[2] + "x"), "text expected"),
        (lambda cells: cells.__setitem__(0, "syn-999:1-2"), "span_id expected"),
    ],
)
def test_a_bad_line_names_file_and_line_and_writes_nothing(tmp_path: Path, edit, message: str) -> None:
    [path] = export_sheets(tmp_path / "sheets", [DOC])
    lines = _fill(path)
    index = next(i for i, line in enumerate(lines) if "\tINDICATOR\t" in line)
    cells = lines[index].split("\t")
    edit(cells)
    lines[index] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LinkError, match=message) as info:
        import_sheets([path], out=tmp_path / "links")
    assert f"{path}:{index + 1}:" in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "links").exists()


def test_a_missing_line_is_an_error(tmp_path: Path) -> None:
    [path] = export_sheets(tmp_path / "sheets", [DOC])
    lines = _fill(path)
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(LinkError, match="expected a line, found none"):
        import_sheets([path], out=tmp_path / "links")


def test_cli_export_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["links", "synthetic-export", "-o", str(tmp_path), "--doc", "syn-999"]) == 2
    assert "syn-999" in capsys.readouterr().err
    assert main(["links", "synthetic-export", "-o", str(tmp_path), "--doc", DOC]) == 0
    assert main(["links", "synthetic-import", str(tmp_path / "nothing-here")]) == 2
    assert (synthetic_dir() / "texts" / f"{DOC}.txt").is_file()


def test_coverage_reports_the_independent_first_pass_beside_the_current_links():
    """Taxonomy v4's ids were made from the first pass's `other` reasons: only the first pass is independent."""
    from fazhi_ner.links.synthetic_links import coverage, first_pass_links, load_synthetic_links

    first, current = first_pass_links(), load_synthetic_links()
    assert set(first) == set(current) and first  # the same spans, linked twice
    assert [(r.start, r.end) for r in first["syn-001"]] == [(r.start, r.end) for r in current["syn-001"]]
    assert coverage(first).indicators == coverage(current).indicators > 2000
    assert coverage(current).other <= coverage(first).other
