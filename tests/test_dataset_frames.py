"""The pandas helpers and the light package import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fazhi_ner.dataset import indicators_frame, spans_frame
from fazhi_ner.dataset.rows import load_corpus
from test_dataset_support import make_gold


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    return make_gold(tmp_path_factory.mktemp("frames") / "gold", ["jianghai-2022", "xianju-2023"])


def test_spans_frame_has_one_row_per_gold_span(gold):
    frame = spans_frame(gold)
    corpus = load_corpus(gold)
    assert len(frame) == sum(len(gd.spans) for gd in corpus.documents)
    assert frame.groupby("label").size().to_dict() == {
        label: sum(1 for gd in corpus.documents for s in gd.spans if s.label == label)
        for label in {s.label for gd in corpus.documents for s in gd.spans}
    }
    assert (frame["end"] - frame["start"] == frame["length"]).all()
    assert set(frame["split"]) == {"test", "train"}


def test_indicators_frame_matches_indicator_spans(gold):
    frame = indicators_frame(gold)
    corpus = load_corpus(gold)
    assert len(frame) == sum(1 for gd in corpus.documents for s in gd.spans if s.label == "INDICATOR")
    assert {"value", "raw_value", "unit", "report_unit", "split"} <= set(frame.columns)
    assert all(
        s[a:b] == t
        for s, a, b, t in zip(frame["sentence_text"], frame["start"], frame["end"], frame["text"], strict=True)
    )


def test_package_import_stays_light():
    code = "import sys, fazhi_ner.dataset; print(sorted(m for m in ('pandas', 'datasets', 'pyarrow', 'spacy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == "[]"
