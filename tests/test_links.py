"""Link taxonomy, link files, coverage targets and agreement statistics (issue 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fazhi_ner.cli import main
from fazhi_ner.errors import LinkError
from fazhi_ner.gold import load_gold
from fazhi_ner.links.agreement import compare
from fazhi_ner.links.pairs import accuracy, cohen_kappa, summary
from fazhi_ner.links.records import LinkRecord, context, read_link_file
from fazhi_ner.links.store import load_links
from fazhi_ner.links.summary import link_stats
from fazhi_ner.links.taxonomy import OTHER, load_taxonomy, read_body_types, read_metrics
from fazhi_ner.seeds import documents_by_id

LINKS = Path("annotation/links")


def test_taxonomy_ids_are_hierarchical_and_examples_are_quoted_from_the_seeds() -> None:
    taxonomy = load_taxonomy()
    corpus = "".join(doc.text for doc in documents_by_id().values())
    assert len(taxonomy.metrics) >= 30
    for metric in taxonomy.metrics.values():
        assert metric.id.count(".") == 1 and metric.domain in taxonomy.domains
        for quote in metric.examples:
            assert quote in corpus, (metric.id, quote)
    for body in taxonomy.body_types.values():
        for quote in body.examples:
            assert quote in corpus, (body.id, quote)
    assert OTHER in taxonomy.body_types


def test_every_gold_indicator_and_agency_has_a_link_and_targets_are_met() -> None:
    gold = load_gold()
    links = load_links("gold")
    assert set(links) == set(gold)
    expected = sum(1 for spans in gold.values() for s in spans if s.label in ("INDICATOR", "AGENCY"))
    assert sum(len(v) for v in links.values()) == expected
    stats = link_stats()
    assert stats["indicators"] == sum(1 for spans in gold.values() for s in spans if s.label == "INDICATOR")
    assert stats["indicators_linked_share"] >= 0.90
    assert stats["agencies_typed_share"] == 1.0
    assert all(item["reason"] for item in stats["indicators_other"])


def test_pass_files_cover_the_same_spans_as_the_gold() -> None:
    gold = load_links("gold")
    for name in ("pass1", "pass2"):
        passes = load_links(name)
        for doc_id, records in passes.items():
            assert [r.key for r in records] == [r.key for r in gold[doc_id]]
    assert len(load_links("pass2")) >= 2


def _copy(tmp_path: Path, doc_id: str) -> Path:
    path = tmp_path / f"{doc_id}.tsv"
    shutil.copy(LINKS / "gold" / f"{doc_id}.tsv", path)
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda cells: cells.__setitem__(6, "law_study.nonexistent"), "link expected a metric id"),
        (lambda cells: (cells.__setitem__(6, OTHER), cells.__setitem__(7, "")), "expected a reason"),
        (lambda cells: cells.__setitem__(4, cells[4] + "x"), "text expected"),
        (lambda cells: cells.__setitem__(1, "abc"), "expected integers"),
        (lambda cells: cells.__setitem__(5, "edited context"), "context column expected"),
    ],
)
def test_bad_link_files_raise_a_one_line_error_naming_the_line(tmp_path: Path, mutate, message: str) -> None:
    doc_id = "gaotai-2022"
    path = _copy(tmp_path, doc_id)
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if "\tINDICATOR\t" in line)
    cells = lines[index].split("\t")
    mutate(cells)
    lines[index] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(LinkError, match=message) as info:
        read_link_file(path, documents_by_id()[doc_id], load_taxonomy())
    assert f"{path}:{index + 1}:" in str(info.value) and "\n" not in str(info.value)


def test_malformed_taxonomy_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "metrics.yaml"
    bad.write_text(
        "domains: {a: {name_zh: 甲, name_en: A}}\nmetrics:\n  - {id: A.B, name_zh: x, name_en: x, unit_kind: count, definition: d}\n",
        encoding="utf-8",
    )
    with pytest.raises(LinkError, match="lower_snake_case"):
        read_metrics(bad)
    bad.write_text(
        "domains: {a: {name_zh: 甲, name_en: A}}\nmetrics:\n  - {id: a.b, name_zh: x, name_en: x, unit_kind: kilos, definition: d}\n",
        encoding="utf-8",
    )
    with pytest.raises(LinkError, match="unit_kind"):
        read_metrics(bad)
    bodies = tmp_path / "body_types.yaml"
    bodies.write_text("body_types:\n  - {id: court, name_zh: 法院, name_en: Court, definition: d}\n", encoding="utf-8")
    with pytest.raises(LinkError, match="'other' is required"):
        read_body_types(bodies)


def test_kappa_and_accuracy_are_right_on_a_hand_computed_case() -> None:
    pairs = [("a", "a"), ("a", "a"), ("b", "b"), ("b", "a")]
    assert accuracy(pairs) == 0.75
    # p_o = .75; p_e = (3/4 * 2/4 ... ) -> left a:2 b:2, right a:3 b:1 -> (2*3 + 2*1)/16 = .5
    assert cohen_kappa(pairs) == pytest.approx(0.5)
    assert cohen_kappa([("a", "a")] * 3) == 1.0
    figures = summary(pairs, resamples=200, seed=1)
    low, high = figures.accuracy_ci
    assert 0.0 <= low <= 0.75 <= high <= 1.0
    assert summary(pairs, resamples=200, seed=1) == figures


def test_compare_counts_disagreements() -> None:
    a = {
        "d": [
            LinkRecord("d", 0, 2, "AGENCY", "县委", "party_committee"),
            LinkRecord("d", 3, 5, "INDICATOR", "5件", "x.y"),
        ]
    }
    b = {
        "d": [
            LinkRecord("d", 0, 2, "AGENCY", "县委", "party_committee"),
            LinkRecord("d", 3, 5, "INDICATOR", "5件", "x.z"),
        ]
    }
    result = compare(a, b, resamples=50)
    assert result.all.accuracy == 0.5 and result.AGENCY.accuracy == 1.0
    assert [d.pass2 for d in result.disagreements] == ["x.z"]
    with pytest.raises(LinkError, match="share no report"):
        compare(a, {"e": b["d"]}, resamples=10)


def test_committed_agreement_is_up_to_date() -> None:
    assert main(["links", "agreement", "--check"]) == 0


@pytest.mark.slow  # trains the linker once per held-out report (~10 s CPU); `make check` runs the same command
def test_committed_linker_evaluation_is_up_to_date() -> None:
    assert main(["links", "evaluate", "--check"]) == 0


def test_context_marks_the_span() -> None:
    assert context("甲乙丙\n丁", 1, 2) == "甲[[乙]]丙 丁"


def test_cli_reports_input_errors_with_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["links", "blank", "--out", str(tmp_path), "--doc", "no-such-report"]) == 2
    assert "no-such-report" in capsys.readouterr().err
    assert main(["links", "blank", "--out", str(tmp_path), "--doc", "gaotai-2022"]) == 0
    assert main(["links", "blank", "--out", str(tmp_path), "--doc", "gaotai-2022"]) == 2  # no silent overwrite
    blank = read_link_file(
        tmp_path / "gaotai-2022.tsv", documents_by_id()["gaotai-2022"], load_taxonomy(), allow_empty=True
    )
    assert all(r.link == "" for r in blank)
    assert main(["links", "check"]) == 0


def test_unblind_maps_shuffled_items_back_to_report_files(tmp_path: Path) -> None:
    from fazhi_ner.links.passes import unblind
    from fazhi_ner.links.records import context

    docs = documents_by_id()
    records = load_links("gold")["jianghai-2022"][:4]
    key = ["item\tbatch\tdoc_id\tstart\tend\tlabel"]
    batch = ["item\tlabel\ttext\tcontext\tlink\treason"]
    for number, r in enumerate(reversed(records)):
        key.append(f"i{number}\tb.tsv\t{r.doc_id}\t{r.start}\t{r.end}\t{r.label}")
        batch.append(
            f"i{number}\t{r.label}\t{r.text}\t{context(docs[r.doc_id].text, r.start, r.end)}\t{r.link}\t{r.reason}"
        )
    (tmp_path / "key.tsv").write_text("\n".join(key) + "\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text("\n".join(batch) + "\n", encoding="utf-8")
    (path,) = unblind(tmp_path / "key.tsv", tmp_path, tmp_path / "out")
    back = read_link_file(path, docs["jianghai-2022"], load_taxonomy())
    assert back == records
    with pytest.raises(LinkError, match="exists"):
        unblind(tmp_path / "key.tsv", tmp_path, tmp_path / "out")
    (tmp_path / "b.tsv").write_text("\n".join(batch[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(LinkError, match="expected in a batch file"):
        unblind(tmp_path / "key.tsv", tmp_path, tmp_path / "out2")


def test_card_documents_links_agreement_and_the_new_config() -> None:
    card = Path("DATASET_CARD.md").read_text(encoding="utf-8")
    assert "`metric_id`" in card and "### `agencies`" in card and "`body_type`" in card
    assert "**Link agreement.**" in card and "**Link baseline.**" in card
    stats = link_stats()
    assert f"{stats['indicators_linked']} of {stats['indicators']} INDICATORs" in card
