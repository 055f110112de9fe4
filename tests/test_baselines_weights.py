"""Committed weights (issue 23): SHA256SUMS guards every file; reproduce's copy step writes folder and sums."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_ner.baselines import weights
from fazhi_ner.errors import BaselineError, StaleError


def _models(root: Path) -> Path:
    """A fake model cache holding every weighted model (and one that is not weighted)."""
    for name in (*weights.WEIGHTED, "crf"):
        (root / name / "model").mkdir(parents=True)
        (root / name / "meta.json").write_text(f'{{"name": "{name}"}}\n', encoding="utf-8")
        (root / name / "model" / "weights.bin").write_bytes(bytes(range(256)) * 4)
    return root


def test_refresh_copies_the_weighted_models_and_their_sums(tmp_path):
    out = tmp_path / "weights"
    assert weights.refresh(["rules", *weights.WEIGHTED, "crf"], _models(tmp_path / "models"), out) == list(
        weights.WEIGHTED
    )
    assert sorted(p.name for p in out.iterdir()) == sorted([*weights.WEIGHTED, weights.SUMS])
    lines = (out / weights.SUMS).read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[1] for line in lines] == sorted(
        f"{n}/{f}" for n in weights.WEIGHTED for f in ("meta.json", "model/weights.bin")
    )
    weights.verify_sums(out)
    before = (out / weights.SUMS).read_bytes()
    weights.refresh(list(weights.WEIGHTED), tmp_path / "models", out)  # copying again gives the same bytes
    assert (out / weights.SUMS).read_bytes() == before


def test_refresh_without_a_trained_model_refuses_and_keeps_the_committed_weights(tmp_path):
    out = tmp_path / "weights"
    weights.refresh(list(weights.WEIGHTED), _models(tmp_path / "models"), out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(BaselineError, match=r"no trained '\w+' model here .*nothing copied"):
        weights.refresh(list(weights.WEIGHTED), tmp_path / "empty", out)  # the old code deleted every model folder
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert BaselineError.exit_code == 2


def test_a_tampered_weights_file_fails_the_sha256_check(tmp_path):
    out = tmp_path / "weights"
    weights.refresh(list(weights.WEIGHTED), _models(tmp_path / "models"), out)
    target = out / weights.WEIGHTED[0] / "model" / "weights.bin"
    data = bytearray(target.read_bytes())
    data[100] ^= 1  # one bit
    target.write_bytes(bytes(data))
    with pytest.raises(StaleError, match=r"weights\.bin: sha256 expected [0-9a-f]{64} .* found [0-9a-f]{64}"):
        weights.verify_sums(out)


@pytest.mark.parametrize("damage", ["extra", "missing", "no-sums", "no-model"])
def test_files_added_or_removed_fail_the_check(tmp_path, damage):
    import shutil

    out = tmp_path / "weights"
    weights.refresh(list(weights.WEIGHTED), _models(tmp_path / "models"), out)
    if damage == "extra":
        (out / weights.WEIGHTED[1] / "notes.txt").write_text("x", encoding="utf-8")
    elif damage == "missing":
        (out / weights.WEIGHTED[1] / "meta.json").unlink()
    elif damage == "no-sums":
        (out / weights.SUMS).unlink()
    else:
        shutil.rmtree(out / weights.WEIGHTED[0])
    with pytest.raises(StaleError, match={"extra": "not listed", "missing": "listed in .* but missing",
                                          "no-sums": "missing; run", "no-model": "committed weights of"}[damage]):  # fmt: skip
        weights.verify_sums(out)


def test_the_committed_weights_match_their_sums():
    weights.verify_sums()


def test_weights_check_exits_1_on_a_tampered_committed_file(tmp_path, monkeypatch, capsys):
    """The command the Makefile's check runs: one flipped bit in a committed file is a stale check (exit 1)."""
    import shutil

    from fazhi_ner.cli import main

    copy = tmp_path / "weights"
    shutil.copytree(weights.weights_dir(), copy)
    target = copy / "bilstm" / "weights.pt"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))
    monkeypatch.setattr(weights, "weights_dir", lambda: copy)
    assert main(["baselines", "weights", "--check"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "weights.pt: sha256 expected" in err[0]
