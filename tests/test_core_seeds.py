from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi_ner import schema
from fazhi_ner.errors import ChecksumError, ManifestError, StaleError
from fazhi_ner.seeds import UNIT_TYPES, load_documents, load_manifest, sha256_bytes
from fazhi_ner.sentences import TERMINATORS, document_sentences, split_offsets

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "seeds"


def test_manifest_describes_five_reports_with_checksums() -> None:
    docs = load_documents()
    assert len(docs) == 5
    assert len({d.doc_id for d in docs}) == 5
    for doc in docs:
        assert doc.unit_type in UNIT_TYPES
        assert sha256_bytes((ROOT / "seeds" / doc.file).read_bytes()) == doc.sha256
        assert 0 <= doc.body_start < doc.body_end <= len(doc.text)


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared seeds folder not beside the checkout")
def test_seeds_are_byte_identical_to_the_shared_originals() -> None:
    for path in sorted(SHARED.glob("*.txt")):
        assert (ROOT / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_boilerplate_is_excluded_not_deleted() -> None:
    docs = {d.doc_id: d for d in load_documents()}
    xianju = docs["xianju-2023"]
    header = xianju.text[xianju.excluded[0][0] : xianju.excluded[0][1]]
    assert header.startswith("当前位置") and "索 引 号" in header
    assert xianju.text[xianju.excluded[-1][0] :].startswith("信息来源")
    alashan = docs["alashan-hitech-2022"]
    assert alashan.text[alashan.excluded[-1][0] :].startswith("编辑:")
    for doc in docs.values():
        for sentence in document_sentences(doc):
            assert doc.in_body(sentence.start, sentence.end), sentence.id
            assert "索 引 号" not in sentence.text and "信息来源" not in sentence.text


def _copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", target)
    return target


def test_changed_seed_fails_with_checksum_error(tmp_path: Path) -> None:
    seeds = _copy_seeds(tmp_path)
    path = seeds / "000_9395c741ae9d1598.txt"
    path.write_bytes(path.read_bytes().replace("高台".encode(), "高合".encode(), 1))
    with pytest.raises(ChecksumError, match=r"000_9395c741ae9d1598\.txt: sha256 expected 5df446"):
        load_documents(seeds)


def test_malformed_manifest_names_file_and_line(tmp_path: Path) -> None:
    seeds = _copy_seeds(tmp_path)
    lines = (seeds / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[1])
    row["year"] = "2022"
    lines[1] = json.dumps(row, ensure_ascii=False)
    (seeds / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.jsonl:2: field 'year' expected int, found str"):
        load_manifest(seeds)


def _rebuild(text: str, pieces: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for a, b in pieces:
        assert cursor <= a < b <= end
        out.append(text[cursor:a])  # the skipped gap
        out.append(text[a:b])
        cursor = b
    out.append(text[cursor:end])
    return "".join(out)


@given(st.text(alphabet=st.sampled_from(list("法治。！？；!?;\n\r ,”》a1\u3000\t")), max_size=80))
def test_split_pieces_and_gaps_rebuild_the_text(text: str) -> None:
    pieces = split_offsets(text)
    assert _rebuild(text, pieces, 0, len(text)) == text
    for a, b in pieces:
        piece = text[a:b]
        assert piece.strip() == piece and piece.strip()
        assert "\n" not in piece
    gaps = [text[b:a] for (_, b), (a, _) in zip(pieces, pieces[1:], strict=False)]
    assert all(gap.strip("\u3000").strip() == "" for gap in gaps)


def test_split_rules_on_real_text() -> None:
    text = "加强统筹谋划。县委常委会研究;发放“法律八进”读本!\n坚持高位推动 法治政府建设\n  \n末句"
    pieces = [text[a:b] for a, b in split_offsets(text)]
    assert pieces == ["加强统筹谋划。", "县委常委会研究;", "发放“法律八进”读本!", "坚持高位推动 法治政府建设", "末句"]
    closing = "他说“要学法。”然后"
    assert [closing[a:b] for a, b in split_offsets(closing)] == ["他说“要学法。”", "然后"]
    assert set("。！？；!?;") == TERMINATORS


def test_every_document_body_is_covered_by_sentences_and_gaps() -> None:
    for doc in load_documents():
        sentences = document_sentences(doc)
        assert [s.index for s in sentences] == list(range(len(sentences)))
        assert all(doc.text[s.start : s.end] == s.text for s in sentences)
        covered = sum(len(s.text) for s in sentences)
        body = sum(
            1 for i in range(doc.body_start, doc.body_end) if doc.in_body(i, i + 1) and not doc.text[i].isspace()
        )
        assert covered >= body  # every non-space body character is inside some sentence


def test_committed_label_config_is_not_stale() -> None:
    schema.check()


def test_schema_check_detects_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "label_config.xml").write_text("<View/>", encoding="utf-8")
    monkeypatch.setattr(schema, "annotation_dir", lambda: tmp_path)
    with pytest.raises(StaleError, match="label_config.xml"):
        schema.check()
    schema.write()
    schema.check()
    assert '<Text name="text" value="$text" granularity="symbol"/>' in (tmp_path / "label_config.xml").read_text()
