"""Issue 14, items 1-3: no command silently deletes or overwrites curated data; build checks the gold."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi_ner.annotation.export_file import count_annotations, write_export
from fazhi_ner.cli import main
from fazhi_ner.dataset.rows import load_corpus
from fazhi_ner.errors import DataLossError, GoldError
from fazhi_ner.paths import exports_dir, gold_dir, project_root
from fazhi_ner.seeds import documents_by_id

GOLD_EXPORT = exports_dir() / "gold.json"


def _tasks() -> list[dict]:
    return json.loads(GOLD_EXPORT.read_text(encoding="utf-8"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def gold_copy(tmp_path: Path) -> Path:
    out = tmp_path / "gold"
    shutil.copytree(gold_dir(), out)
    return out


# --- item 1: pull never overwrites an export holding more annotations -------------------------


def test_write_export_refuses_to_replace_more_annotations(tmp_path: Path) -> None:
    target = tmp_path / "gold.json"
    shutil.copyfile(GOLD_EXPORT, target)
    before = target.read_bytes()
    empty_server = [{**t, "annotations": []} for t in _tasks()]  # what a freshly started server exports
    assert count_annotations(_tasks()) > 0 == count_annotations(empty_server)
    with pytest.raises(DataLossError, match=r"gold\.json: holds \d+ annotation\(s\), the new export only 0") as err:
        write_export(target, empty_server, json.dumps(empty_server))
    assert err.value.exit_code == 2
    assert target.read_bytes() == before
    write_export(target, empty_server, json.dumps(empty_server), force=True)
    assert json.loads(target.read_text(encoding="utf-8")) == empty_server


def test_write_export_replaces_when_nothing_is_lost(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_export(target, [], "[]\n")
    write_export(target, _tasks(), json.dumps(_tasks()))  # more annotations: fine
    assert count_annotations(json.loads(target.read_text(encoding="utf-8"))) == count_annotations(_tasks())
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    with pytest.raises(DataLossError, match="not a readable export"):
        write_export(junk, _tasks(), json.dumps(_tasks()))


# --- item 2: convert refuses partial and empty exports ----------------------------------------


def test_convert_refuses_a_partial_export(tmp_path: Path, gold_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(_tasks()[:2], ensure_ascii=False), encoding="utf-8")
    before = _snapshot(gold_copy)
    assert main(["annotate", "convert", str(partial), "--out", str(gold_copy)]) == 2
    err = capsys.readouterr().err
    assert "holds 2 of the 5 documents" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert _snapshot(gold_copy) == before
    assert main(["annotate", "convert", str(partial), "--out", str(gold_copy), "--force"]) == 0
    assert len(list(gold_copy.glob("*.jsonl"))) == 2


def test_convert_refuses_an_empty_export(tmp_path: Path, gold_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    before = _snapshot(gold_copy)
    assert main(["annotate", "convert", str(empty), "--out", str(gold_copy)]) == 2
    assert "no annotated task" in capsys.readouterr().err
    assert _snapshot(gold_copy) == before
    # a partial export into a fresh folder deletes nothing, so it needs no flag
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(_tasks()[:2], ensure_ascii=False), encoding="utf-8")
    assert main(["annotate", "convert", str(partial), "--out", str(tmp_path / "fresh")]) == 0


# --- item 3: build checks the gold against the manifest, errors name file and line ------------


def test_build_refuses_a_missing_gold_file(gold_copy: Path, tmp_path: Path) -> None:
    victim = sorted(documents_by_id())[0]
    (gold_copy / f"{victim}.jsonl").unlink()
    with pytest.raises(GoldError, match=f"{victim}.jsonl: gold file missing"):
        load_corpus(gold_copy, complete=True)
    # the real command on a checkout whose annotation/gold lost one file (FAZHI_ROOT points at a copy)
    root = tmp_path / "checkout"
    shutil.copytree(project_root() / "seeds", root / "seeds")
    shutil.copytree(gold_copy, root / "annotation" / "gold")
    env = {**os.environ, "FAZHI_ROOT": str(root)}
    code = "from fazhi_ner.cli import entry_point; entry_point()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "dataset", "build"], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {root / 'annotation' / 'gold' / victim}.jsonl: gold file missing")
    assert not (root / "dataset").exists()


def test_binary_junk_in_gold_is_a_typed_error_with_file_and_line(gold_copy: Path) -> None:
    path = sorted(gold_copy.glob("*.jsonl"))[1]
    lines = path.read_bytes().split(b"\n")
    lines.insert(2, b"\x00\xff\xfe\x89PNG junk")
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(GoldError, match=rf"{path}:3: expected UTF-8 text, found byte 0xff"):
        load_corpus(gold_copy, complete=True)


def test_unknown_label_names_its_file_and_line(gold_copy: Path) -> None:
    path = sorted(gold_copy.glob("*.jsonl"))[2]
    lines = path.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[3])
    row["label"] = "ORG"
    lines[3] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=rf"{path}:4: unknown label 'ORG', expected one of AGENCY"):
        load_corpus(gold_copy, complete=True)
