"""The synthetic training corpus: its markup, its import, its size, its overlap with the seeds, train-only use."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_ner import synthetic
from fazhi_ner.cli import main
from fazhi_ner.errors import AnnotationError, StaleError
from fazhi_ner.formats.review import parse_markup, render_sentence
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.paths import seeds_dir
from fazhi_ner.seeds import load_documents
from fazhi_ner.spans import Span
from fazhi_ner.splits import FOLD_ORDER

HEADER = (
    "# unit: 测试县\n# unit_type: county\n# province: 测试省\n# prefecture: 测试市\n# year: 2021\n"
    "# punctuation: full-width\n# structure: test\n\n"
)


def _draft(tmp_path: Path, name: str, body: str, header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


# --- the markup -----------------------------------------------------------------------------------------

_CHARS = st.text(alphabet=st.sampled_from("县司法局开展培训次件，。、“”《》0123456789%"), min_size=1, max_size=8)


@given(st.lists(st.tuples(_CHARS, st.one_of(st.none(), st.sampled_from(LABEL_NAMES))), min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_markup_round_trip_any_spans(pieces):
    text, spans, cursor = "", [], 0
    for piece, label in pieces:
        if label is not None:
            spans.append(Span(cursor, cursor + len(piece), label, piece))
        text += piece
        cursor += len(piece)
    plain, parsed = parse_markup(render_sentence(text, spans), where="t")
    assert plain == text
    assert parsed == spans


def test_draft_errors_name_the_file(tmp_path):
    with pytest.raises(AnnotationError, match="bad.txt: stray markup '【'"):
        synthetic.parse_draft(_draft(tmp_path, "bad.txt", "县里【开展培训3次\n"))
    with pytest.raises(AnnotationError, match="unknown label 'PERSON'"):
        synthetic.parse_draft(_draft(tmp_path, "label.txt", "【张三|PERSON】来了。\n"))
    with pytest.raises(AnnotationError, match="missing year"):
        synthetic.parse_draft(_draft(tmp_path, "head.txt", "正文。\n", HEADER.replace("# year: 2021\n", "")))
    with pytest.raises(AnnotationError, match="unit_type expected one of"):
        synthetic.parse_draft(_draft(tmp_path, "type.txt", "正文。\n", HEADER.replace("county", "village")))


# --- import ---------------------------------------------------------------------------------------------


def test_import_writes_text_review_and_gold_and_refuses_a_second_import(tmp_path):
    first = _draft(tmp_path, "a.txt", "【县司法局|AGENCY】【开展培训3次|INDICATOR】。\n推进【“放管服”改革|INITIATIVE】。\n")
    second = _draft(tmp_path, "b.txt", "【县法院|AGENCY】【审结案件12件|INDICATOR】。\n")
    out = tmp_path / "corpus"
    assert synthetic.import_drafts([first, second], author="test", directory=out) == ["syn-001", "syn-002"]
    gold = synthetic.load_synthetic_gold(out)
    assert [(s.text, s.label) for s in gold["syn-001"]] == [
        ("县司法局", "AGENCY"), ("开展培训3次", "INDICATOR"), ("“放管服”改革", "INITIATIVE")
    ]
    assert (out / "texts" / "syn-001.txt").read_text(encoding="utf-8").startswith("县司法局开展培训3次。")
    corpus = synthetic.load_synthetic_corpus(out)
    assert {(gd.split, gd.fold) for gd in corpus.documents} == {("train", -1)}
    synthetic.convert(check=True, directory=out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    new = _draft(tmp_path, "c.txt", "第三篇。\n")
    with pytest.raises(AnnotationError, match="a.txt: already in the corpus as syn-001"):
        synthetic.import_drafts([new, first], author="test", directory=out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # nothing half-written
    assert synthetic.import_drafts([new], author="t", directory=out) == ["syn-003"]


def test_convert_check_detects_an_edited_review_file(tmp_path):
    out = tmp_path / "corpus"
    synthetic.import_drafts([_draft(tmp_path, "a.txt", "【县司法局|AGENCY】开展培训。\n")], author="t", directory=out)
    review = out / "review" / "gold" / "syn-001.txt"
    review.write_text(review.read_text(encoding="utf-8").replace("【县司法局|AGENCY】", "县司法局"), encoding="utf-8")
    with pytest.raises(StaleError, match="syn-001.jsonl: stale"):
        synthetic.convert(check=True, directory=out)
    synthetic.convert(check=False, directory=out)
    assert synthetic.load_synthetic_gold(out)["syn-001"] == []


def test_overlap_counts_windows_found_in_the_seeds():
    seed = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒"
    assert synthetic.seed_overlap(["完全不同的一段文字，没有任何重合的地方，真的没有，一点也没有啊"], [seed]).shared == 0
    copied = synthetic.seed_overlap([seed.replace("，", ",")], [seed])
    assert copied.fraction == 1.0
    # punctuation width is folded: a half-width copy of full-width text still counts
    wide = "一二三四五六七八九十，一二三四五六七八九十，一二三四五六七八九十"
    assert synthetic.seed_overlap([wide.replace("，", ",")], [wide]).fraction == 1.0


def test_sample_documents_is_whole_documents_and_nested():
    corpus = synthetic.load_synthetic_corpus()
    quarter = synthetic.sample_documents(corpus.documents, 0.25)
    half = synthetic.sample_documents(corpus.documents, 0.5)
    assert {d.doc.doc_id for d in quarter} < {d.doc.doc_id for d in half}
    chars = sum(len(d.doc.text) for d in corpus.documents)
    assert sum(len(d.doc.text) for d in quarter) >= 0.25 * chars
    assert synthetic.sample_documents(corpus.documents, 1.0) == list(corpus.documents)


# --- the committed corpus -------------------------------------------------------------------------------


def test_the_committed_corpus_is_large_enough_and_annotated():
    corpus = synthetic.load_synthetic_corpus()
    docs = [gd.doc for gd in corpus.documents]
    assert len(docs) >= 60
    assert sum(len(d.text) for d in docs) >= 100_000
    labels = {s.label for gd in corpus.documents for s in gd.spans}
    assert labels == set(LABEL_NAMES)
    assert len({d.province for d in docs}) >= 20
    assert {d.unit_type for d in docs} >= {"province", "prefecture_city", "county", "district", "development_zone", "township"}
    assert all(2016 <= d.year <= 2024 for d in docs)
    synthetic.convert(check=True)


def test_the_committed_corpus_overlaps_the_seeds_by_at_most_one_percent(capsys):
    texts = [d.text for d in synthetic.load_synthetic_documents()]
    overlap = synthetic.seed_overlap(texts, [d.text for d in load_documents(seeds_dir())])
    print(f"25-character windows shared with a seed report: {overlap.shared}/{overlap.windows} = {overlap.fraction:.4%}")
    assert overlap.windows > 90_000
    assert overlap.fraction <= synthetic.OVERLAP_LIMIT


def test_synthetic_documents_are_never_validation_test_or_held_out():
    from fazhi_ner.baselines.protocol import fold_sets, main_sets

    _train, dev = main_sets()
    assert not any(synthetic.is_synthetic(e.sentence.doc_id) for e in dev)
    for fold in range(len(FOLD_ORDER)):
        train, dev, heldout = fold_sets(fold)
        assert not any(synthetic.is_synthetic(e.sentence.doc_id) for e in [*train, *dev, *heldout])


def test_a_config_share_adds_synthetic_sentences_to_training_only():
    from fazhi_ner.baselines.protocol import with_synthetic

    real = synthetic.load_synthetic_corpus().documents[0].sentences[:3]
    assert with_synthetic(real, {}) == list(real)
    grown = with_synthetic(real, {"synthetic": 0.25})
    assert len(grown) > len(real) and grown[: len(real)] == list(real)
    assert all(synthetic.is_synthetic(e.sentence.doc_id) for e in grown[len(real) :])


def test_real_repeat_lists_the_real_sentences_again_beside_the_synthetic_ones():
    from fazhi_ner.baselines.protocol import with_synthetic
    from fazhi_ner.errors import BaselineError

    real = synthetic.load_synthetic_corpus().documents[0].sentences[:3]
    once = with_synthetic(real, {"synthetic": 0.25})
    twice = with_synthetic(real, {"synthetic": 0.25, "real_repeat": 2})
    assert twice == [*real, *real, *once[len(real) :]]
    assert with_synthetic(real, {"real_repeat": 2}) == list(real)  # no synthetic share: nothing to balance
    for bad in (0, 1.5, "2", True):
        with pytest.raises(BaselineError, match="real_repeat"):
            with_synthetic(real, {"synthetic": 0.25, "real_repeat": bad})


def test_cli_overlap_prints_the_figure_and_fails_above_the_limit(capsys):
    assert main(["synthetic", "overlap"]) == 0
    assert "windows of" in capsys.readouterr().out
    assert main(["synthetic", "overlap", "--window", "5", "--max", "0"]) == 1
    assert "expected at most 0.00%" in capsys.readouterr().err


def test_dataset_export_synthetic_split(tmp_path):
    assert main(["dataset", "export", "--format", "jsonl", "--split", "synthetic", "-o", str(tmp_path)]) == 0
    rows = [json.loads(line) for line in (tmp_path / "jsonl" / "synthetic.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["id"].startswith("syn-") for r in rows)


LOADER = r"""
import json, sys
from datasets import load_dataset
ds = load_dataset("dataset", "synthetic", cache_dir=sys.argv[1])
real = load_dataset("dataset", "sentences", cache_dir=sys.argv[1])
print(json.dumps({"splits": sorted(ds), "rows": ds["train"].num_rows,
                  "folds": sorted(set(ds["train"]["fold"])),
                  "docs": sorted(set(ds["train"]["doc_id"])),
                  "real_docs": sorted({d for split in real.values() for d in split["doc_id"]}),
                  "tags": ds["train"].features["ner_tags"].feature.names}))
"""


@pytest.mark.slow
def test_load_dataset_synthetic_config_offline(tmp_path):
    root = Path(__file__).resolve().parents[1]
    work = tmp_path / "repo"
    shutil.copytree(root / "dataset", work / "dataset")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    proc = subprocess.run(
        [sys.executable, "-c", LOADER, str(tmp_path / "cache")], cwd=work, env=env, capture_output=True, text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["splits"] == ["train"]
    assert out["folds"] == [-1]
    assert len(out["docs"]) == len(synthetic.load_synthetic_documents())
    assert not any(synthetic.is_synthetic(d) for d in out["real_docs"])
    assert out["tags"][0] == "O"
