"""Every export format reads back to exactly the gold spans (fixed gold and hypothesis-generated)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi_ner.cli import main
from fazhi_ner.dataset.export import (
    ExportDocument,
    ExportSentence,
    export,
    export_documents,
    read_export_jsonl,
    to_conll,
    to_jsonl,
    to_spacy_bytes,
    write_brat,
)
from fazhi_ner.dataset.rows import load_corpus
from fazhi_ner.errors import DatasetError, FormatError
from fazhi_ner.formats.brat import read_brat
from fazhi_ner.formats.conll import DOCSTART, read_conll
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.spans import Span
from test_dataset_support import make_gold

SPLITS = ("train", "validation", "test")


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    return make_gold(tmp_path_factory.mktemp("export") / "gold")


def _expected(gold, split):
    corpus = load_corpus(gold)
    return [gd for gd in corpus.documents if gd.split == split]


def _sentence_view(docs):
    return [
        [(gs.sentence.text, [(s.start, s.end, s.label, s.text) for s in gs.spans]) for gs in gd.sentences]
        for gd in docs
    ]


def _plain(spans):
    return [(s.start, s.end, s.label, s.text) for s in spans]


@pytest.mark.parametrize("split", SPLITS)
def test_conll_round_trip(gold, tmp_path, split):
    (path,) = export("conll", split, tmp_path, gold)
    text = path.read_text(encoding="utf-8")
    assert text.count(DOCSTART) == len(_expected(gold, split))
    got = [[(t, _plain(s)) for t, s in doc] for doc in read_conll(text)]
    assert got == _sentence_view(_expected(gold, split))


@pytest.mark.parametrize("split", SPLITS)
def test_jsonl_round_trip(gold, tmp_path, split):
    (path,) = export("jsonl", split, tmp_path, gold)
    rows = read_export_jsonl(path.read_text(encoding="utf-8"))
    want = [
        (gs.sentence.id, gs.sentence.text, _plain(gs.spans)) for gd in _expected(gold, split) for gs in gd.sentences
    ]
    assert [(r["id"], r["text"], _plain(r["spans"])) for r in rows] == want


def test_brat_round_trip_in_document_offsets(gold, tmp_path):
    paths = export("brat", "all", tmp_path, gold)
    assert any(p.name == "annotation.conf" for p in paths)
    got = read_brat(tmp_path / "brat" / "all")
    corpus = load_corpus(gold)
    assert set(got) == {gd.doc.doc_id for gd in corpus.documents}
    for gd in corpus.documents:
        text, spans = got[gd.doc.doc_id]
        assert text == gd.doc.text
        assert _plain(spans) == _plain(gd.spans)


def test_spacy_round_trip(gold, tmp_path):
    (path,) = export("spacy", "test", tmp_path, gold)
    got = _spacy(path.read_bytes())
    want = [
        (gs.sentence.id, gs.sentence.text, _plain(gs.spans)) for gd in _expected(gold, "test") for gs in gd.sentences
    ]
    assert [(i, t, _plain(s)) for i, t, s in got] == want


def test_cli_export_and_bad_arguments(gold, tmp_path, capsys):
    assert (
        main(
            [
                "dataset",
                "export",
                "--format",
                "jsonl",
                "--split",
                "validation",
                "--out",
                str(tmp_path),
                "--gold",
                str(gold),
            ]
        )
        == 0
    )
    assert (tmp_path / "jsonl" / "validation.jsonl").is_file()
    assert main(["dataset", "export", "--format", "xml", "--split", "test", "--gold", str(gold)]) == 2
    assert main(["dataset", "export", "--format", "conll", "--split", "dev", "--gold", str(gold)]) == 2
    assert "unknown split 'dev'" in capsys.readouterr().err


def test_exports_are_deterministic(gold, tmp_path):
    a = export("spacy", "train", tmp_path / "a", gold)[0].read_bytes()
    b = export("spacy", "train", tmp_path / "b", gold)[0].read_bytes()
    assert a == b


# --- property tests: any valid sentences and spans survive each format -------------------------

_CHARS = st.characters(blacklist_characters="\n\r\u2028\u2029", blacklist_categories=("Cs",))


@st.composite
def sentences(draw, index):
    text = draw(st.text(_CHARS, min_size=1, max_size=30))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b:
            spans.append(Span(a, b, draw(st.sampled_from(LABEL_NAMES)), text[a:b]))
    return text, tuple(spans)


@st.composite
def documents(draw):
    docs = []
    for d in range(draw(st.integers(1, 3))):
        parts = [draw(sentences(i)) for i in range(draw(st.integers(1, 4)))]
        full, sents = "", []
        for i, (text, spans) in enumerate(parts):
            start = len(full)
            full += text + "\n"
            sents.append(ExportSentence(f"d{d}-{i:04d}", start, text, spans))
        docs.append(ExportDocument(f"d{d}", full, tuple(sents)))
    return docs


def _spacy(data):
    from fazhi_ner.formats.spacy import read_docbin

    return [(d.id, d.text, list(d.spans)) for d in read_docbin(data)]


def _flat(docs):
    return [[(s.text, _plain(s.spans)) for s in doc.sentences] for doc in docs]


@given(documents())
@settings(max_examples=60, deadline=None)
def test_conll_and_jsonl_round_trip_any_spans(docs):
    assert [[(t, _plain(s)) for t, s in doc] for doc in read_conll(to_conll(docs))] == _flat(docs)
    rows = read_export_jsonl(to_jsonl(docs))
    assert [(r["text"], _plain(r["spans"])) for r in rows] == [x for doc in _flat(docs) for x in doc]


@given(documents())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_brat_round_trip_any_spans(docs):
    with tempfile.TemporaryDirectory() as tmp:
        got = read_brat(write_brat(docs, Path(tmp) / "brat")[0].parent)
    for doc in docs:
        text, spans = got[doc.doc_id]
        want = [
            Span(s.start + x.doc_start, s.end + x.doc_start, s.label, s.text) for x in doc.sentences for s in x.spans
        ]
        assert text == doc.text and _plain(spans) == _plain(want)


@given(documents())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_spacy_round_trip_any_spans(docs):
    got = _spacy(to_spacy_bytes(docs))
    assert [(t, _plain(s)) for _i, t, s in got] == [x for doc in _flat(docs) for x in doc]


def test_conll_rejects_a_malformed_line():
    with pytest.raises(FormatError, match="conll:3"):
        read_conll(f"{DOCSTART}\tO\n\nab\tO\n")


def test_export_documents_rejects_unknown_split(gold):
    with pytest.raises(DatasetError):
        export_documents(load_corpus(gold), "dev")
