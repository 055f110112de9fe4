"""The built Hugging Face dataset: loads offline with the real loader and matches the gold exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fazhi_ner.cli import main
from fazhi_ner.dataset.build import check, stale_files, verify_checksums
from fazhi_ner.dataset.rows import load_corpus
from fazhi_ner.errors import DatasetError, StaleError
from fazhi_ner.labels import TAGS
from fazhi_ner.spans import tags_to_spans
from fazhi_ner.splits import fold_of, split_of
from test_dataset_support import ALL_DOCS, build_into, gold_rows, make_gold, tree_digest

# The module's shared build (`built`) computes the card's synthetic section itself; the tests' own builds reuse it.
pytestmark = pytest.mark.usefixtures("card_from_committed_synthetic")

LOADER = r"""
import json, sys
from datasets import load_dataset
cache = sys.argv[1]
out = {}
for config in ("sentences", "documents", "indicators"):
    ds = load_dataset("dataset", config, cache_dir=cache)
    out[config] = {
        split: {"features": {k: repr(v) for k, v in d.features.items()}, "rows": d.to_list()}
        for split, d in ds.items()
    }
default = load_dataset("dataset", cache_dir=cache)
out["default_names"] = default["train"].features["ner_tags"].feature.names
out["default_splits"] = sorted(default)
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("built")
    gold = make_gold(base / "gold")
    result = build_into(base / "repo", gold)
    return base, gold, result


@pytest.fixture(scope="module")
def loaded(built):
    """load_dataset in a fresh offline process, from the folder as a fresh clone would have it."""
    base, _gold, _result = built
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(base / "hf")}
    env["HF_DATASETS_CACHE"] = str(base / "hf-cache")
    proc = subprocess.run(
        [sys.executable, "-c", LOADER, str(base / "hf-cache")],
        cwd=base / "repo",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_default_config_has_classlabel_tags(loaded):
    assert loaded["default_names"] == list(TAGS)
    assert loaded["default_splits"] == ["test", "train", "validation"]
    features = loaded["sentences"]["train"]["features"]
    assert "ClassLabel" in features["ner_tags"] and "B-INDICATOR" in features["ner_tags"]
    assert set(features) == {
        "id", "doc_id", "sentence_index", "text", "tokens", "ner_tags", "spans", "doc_start", "fold",
        "province", "prefecture", "unit", "unit_type", "year",
    }  # fmt: skip


def test_sentence_rows_decode_to_the_gold_spans_exactly(built, loaded):
    _base, gold, _ = built
    expected = {r["id"]: r for r in gold_rows(gold)}
    rows = [r for split in ("train", "validation", "test") for r in loaded["sentences"][split]["rows"]]
    assert len(rows) == len(expected)
    for row in rows:
        want = expected[row["id"]]
        assert row["text"] == want["text"]
        assert row["tokens"] == list(row["text"])
        tags = [TAGS[i] for i in row["ner_tags"]]
        decoded = [(s.start, s.end, s.label, s.text) for s in tags_to_spans(tags, text=row["text"])]
        assert decoded == want["spans"], row["id"]
        assert [(s["start"], s["end"], s["label"], s["text"]) for s in row["spans"]] == want["spans"]
        assert row["fold"] == fold_of(row["doc_id"])


def test_sentence_offsets_point_into_the_document(built, loaded):
    docs = {r["doc_id"]: r for split in loaded["documents"] for r in loaded["documents"][split]["rows"]}
    for split, data in loaded["sentences"].items():
        for row in data["rows"]:
            doc = docs[row["doc_id"]]
            assert doc["text"][row["doc_start"] : row["doc_start"] + len(row["text"])] == row["text"]
            assert split_of(row["doc_id"]) == split


def test_documents_and_indicators_match_the_gold(built, loaded):
    _base, gold, _ = built
    corpus = load_corpus(gold)
    docs = [r for split in loaded["documents"] for r in loaded["documents"][split]["rows"]]
    assert sorted(d["doc_id"] for d in docs) == sorted(ALL_DOCS)
    for d in docs:
        gd = next(g for g in corpus.documents if g.doc.doc_id == d["doc_id"])
        assert [(s["start"], s["end"], s["label"]) for s in d["spans"]] == [(s.start, s.end, s.label) for s in gd.spans]
        assert all(d["text"][s["start"] : s["end"]] == s["text"] for s in d["spans"])
        assert d["split"] == split_of(d["doc_id"]) and d["fold"] == fold_of(d["doc_id"])
    indicators = [r for split in loaded["indicators"] for r in loaded["indicators"][split]["rows"]]
    n_gold = sum(1 for gd in corpus.documents for s in gd.spans if s.label == "INDICATOR")
    assert len(indicators) == n_gold
    by_id = {d["doc_id"]: d for d in docs}
    for ind in indicators:
        assert by_id[ind["doc_id"]]["text"][ind["doc_start"] : ind["doc_end"]] == ind["text"]
        assert ind["sentence_text"][ind["start"] : ind["end"]] == ind["text"]
    assert set(loaded["indicators"]["train"]["features"]) >= {
        "value",
        "raw_value",
        "unit",
        "multiplier",
        "kind",
        "report_unit",
    }


def test_front_matter_and_card_share_one_body(built):
    base, _gold, result = built
    readme = (base / "repo" / "dataset" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\n")
    _, meta_text, body = readme.split("---\n", 2)
    meta = yaml.safe_load(meta_text)
    assert body.lstrip("\n") == result.card_path.read_text(encoding="utf-8")
    assert meta["language"] == ["zh"] and meta["license"] == "cc-by-4.0"
    assert meta["task_categories"] == ["token-classification"] and meta["task_ids"] == ["named-entity-recognition"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert set(configs) == {"sentences", "documents", "indicators", "agencies", "synthetic"}
    assert [f["split"] for f in configs["synthetic"]["data_files"]] == ["train"]  # train-only
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    for config, counts in result.counts.items():
        assert {s["name"]: s["num_examples"] for s in infos[config]["splits"]} == counts
        assert all(s["num_bytes"] > 0 for s in infos[config]["splits"])
    for heading in ("## Dataset summary", "## Why these reports matter", "## Statistics", "## License", "## Citation"):
        assert heading in body
    assert "Annotation in progress" in body and "| `AGENCY` |" in body


def test_checksums_record_every_data_file(built):
    base, _gold, result = built
    listed = verify_checksums(base / "repo" / "dataset")
    on_disk = {k for k in tree_digest(base / "repo" / "dataset") if k.endswith(".parquet")}
    assert set(listed) == on_disk == set(result.checksums)


def test_building_twice_is_byte_identical(built, tmp_path):
    base, gold, _ = built
    again = build_into(tmp_path / "again", gold)
    assert tree_digest(tmp_path / "again" / "dataset") == tree_digest(base / "repo" / "dataset")
    assert again.card_path.read_bytes() == (base / "repo" / "DATASET_CARD.md").read_bytes()


def test_check_passes_fresh_and_detects_a_changed_gold(built, tmp_path, capsys):
    base, gold, _ = built
    args = ["dataset", "build", "--check", "--gold", str(gold), "--out", str(base / "repo" / "dataset")]
    args += ["--card", str(base / "repo" / "DATASET_CARD.md")]
    # The CLI reads the card's side files from the project root; compare with a root-free build here.
    assert stale_files(gold, base / "repo" / "dataset", base / "repo" / "DATASET_CARD.md", root=base / "repo") == []
    changed = tmp_path / "gold"
    changed.mkdir()
    for path in gold.glob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (changed / path.name).write_text("".join(lines[:-1] if path.stem == "xianju-2023" else lines), encoding="utf-8")
    with pytest.raises(StaleError) as info:
        check(changed, base / "repo" / "dataset", base / "repo" / "DATASET_CARD.md", root=base / "repo")
    assert "data/sentences/test.parquet" in str(info.value) and "DATASET_CARD.md" in str(info.value)
    args[4] = str(changed)
    assert main(args) == 1
    assert "stale" in capsys.readouterr().err


def test_cli_build_writes_and_check_passes(tmp_path, capsys):
    gold = make_gold(tmp_path / "gold", ["xianju-2023"])
    out, card = tmp_path / "ds", tmp_path / "CARD.md"
    assert main(["dataset", "build", "--gold", str(gold), "--out", str(out), "--card", str(card)]) == 0
    assert "sentences\ttest=" in capsys.readouterr().out
    assert main(["dataset", "build", "--check", "--gold", str(gold), "--out", str(out), "--card", str(card)]) == 0
    assert sorted(p.name for p in (out / "data" / "sentences").iterdir()) == ["test.parquet"]
    card.write_text(card.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert main(["dataset", "build", "--check", "--gold", str(gold), "--out", str(out), "--card", str(card)]) == 1


def test_refuses_an_empty_gold_folder(tmp_path):
    (tmp_path / "gold").mkdir()
    with pytest.raises(DatasetError, match="no gold files"):
        build_into(tmp_path / "repo", tmp_path / "gold")
    assert not (tmp_path / "repo" / "dataset").exists()


def test_refuses_to_write_the_real_dataset_from_other_gold(tmp_path):
    gold = make_gold(tmp_path / "gold", ["xianju-2023"])
    assert main(["dataset", "build", "--gold", str(gold)]) == 2


def test_card_reads_process_agreement_and_leaderboard(tmp_path):
    gold = make_gold(tmp_path / "gold", ["xianju-2023"])
    root = tmp_path / "repo"
    (root / "annotation").mkdir(parents=True)
    (root / "eval").mkdir()
    (root / "annotation" / "PROCESS.md").write_text("Two annotators worked in Label Studio.\n", encoding="utf-8")
    from fazhi_ner.annotation.agreement import AgreementSource, compare_sentence, summarise
    from fazhi_ner.spans import Span

    counts, problems = compare_sentence("s", "d", "县委常委会研究", [Span(0, 5, "AGENCY")], [Span(0, 2, "AGENCY")])
    agreement = summarise([counts], problems, resamples=10, source=AgreementSource("a", "b", ["gaotai-2022"], 7))
    (root / "annotation" / "agreement.json").write_text(agreement.to_json(sort_keys=True), encoding="utf-8")
    from dataclasses import replace

    from fazhi_ner.errors import ResultFormatError
    from fazhi_ner.scores import read_leaderboard

    committed = read_leaderboard(Path(__file__).resolve().parents[1] / "eval")
    rules = next(r for r in committed.systems if r.name == "rules")
    rules = replace(rules, micro=replace(rules.micro, f1=0.5, ci=[0.4, 0.6]), cv=None)
    board = replace(committed, test_fingerprint="0" * 64, systems=[rules])
    (root / "eval" / "leaderboard.json").write_text(board.to_json(), encoding="utf-8")
    card = build_into(root, gold).card_path.read_text(encoding="utf-8")
    assert "Two annotators worked in Label Studio." in card and "Annotation in progress" not in card
    assert (
        "| Strict span F1 (micro) | 0.000 | 0.000–0.000 |" in card and "Two independent passes over gaotai-2022" in card
    )
    assert "not an estimate of agreement between independent human annotators" in card
    assert f"| {rules.system} | rules | 0.500 | [0.400, 0.600] | – | yes |" in card
    assert "different version of the test gold" in card
    (root / "eval" / "leaderboard.json").write_text(json.dumps({"systems": [{"junk": True}]}), encoding="utf-8")
    with pytest.raises(ResultFormatError, match=r"eval/leaderboard.json: missing key 'dataset_version'"):
        build_into(root, gold)  # a board this code did not write: named, never half-read
    (root / "eval" / "leaderboard.json").write_text(replace(board, systems=[]).to_json(), encoding="utf-8")
    card = build_into(root, gold).card_path.read_text(encoding="utf-8")
    assert "No baseline results yet (`eval/leaderboard.json` lists no systems)" in card


def test_card_statistics_are_computed_from_the_gold(tmp_path):
    gold = make_gold(tmp_path / "gold", ["xianju-2023", "gaotai-2022"])
    card = build_into(tmp_path / "repo", gold).card_path.read_text(encoding="utf-8")
    corpus = load_corpus(gold)
    test_doc = corpus.split_documents("test")[0]
    n_chars = sum(len(gs.sentence.text) for gs in test_doc.sentences)
    labels = [sum(1 for s in test_doc.spans if s.label == name) for name in ("AGENCY", "INITIATIVE", "INDICATOR")]
    row = f"| test | 1 | {len(test_doc.sentences)} | {n_chars} | {labels[0]} | {labels[1]} | {labels[2]} | {len(test_doc.spans)} |"
    assert row in card
    assert "| validation | 0 | 0 | 0 |" in card
    assert "2 reports" in card
