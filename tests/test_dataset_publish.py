"""Publishing: the dry run lists exactly the files, and the token is never printed."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from fazhi_ner.cli import main
from test_dataset_support import build_into, make_gold

TOKEN = "hf_TESTTOKEN_should_never_appear_0123456789"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    base = tmp_path_factory.mktemp("publish")
    gold = make_gold(base / "gold", ["xianju-2023"])
    return build_into(base / "repo", gold).out_dir


def _expected_lines(folder):
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        lines.append(f"{path.relative_to(folder).as_posix()}\t{len(data)}\t{hashlib.sha256(data).hexdigest()}")
    return lines


def test_dry_run_lists_exactly_what_would_be_uploaded(folder, capsys, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["dataset", "publish", "--repo-id", "owner/fazhi-ner", "--dry-run", "--dataset", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1:] == _expected_lines(folder)
    assert "README.md" in out and "data/sentences/test.parquet" in out
    assert TOKEN not in out + err


def test_no_token_is_a_dry_run(folder, capsys, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", None)  # any upload attempt would crash
    assert main(["dataset", "publish", "--repo-id", "owner/fazhi-ner", "--dataset", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("would upload") and "HF_TOKEN is not set" in err


class _FakeApi:
    calls: list = []

    def __init__(self, token=None):
        self.token = token

    def create_repo(self, repo_id, repo_type, exist_ok):
        self.calls.append(("create_repo", repo_id, repo_type))

    def upload_folder(self, folder_path, repo_id, repo_type, **kwargs):
        if repo_id == "owner/fails":
            raise RuntimeError(f"401 Unauthorized for token {self.token}")
        self.calls.append(("upload_folder", folder_path, repo_id, repo_type))
        return "https://huggingface.co/datasets/owner/fazhi-ner/commit/abc"


def test_upload_uses_the_dataset_repo_type_and_never_prints_the_token(folder, capsys, monkeypatch):
    import huggingface_hub

    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setattr(huggingface_hub, "HfApi", _FakeApi)
    _FakeApi.calls = []
    assert main(["dataset", "publish", "--repo-id", "owner/fazhi-ner", "--dataset", str(folder)]) == 0
    assert ("upload_folder", str(folder), "owner/fazhi-ner", "dataset") in _FakeApi.calls
    assert main(["dataset", "publish", "--repo-id", "owner/fails", "--dataset", str(folder)]) == 2
    out, err = capsys.readouterr()
    assert "401 Unauthorized" in err and "***" in err
    assert TOKEN not in out + err


def test_refuses_a_tampered_folder_and_a_bad_repo_id(folder, tmp_path, capsys):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "data" / "sentences" / "test.parquet").write_bytes(b"PAR1 tampered")
    assert main(["dataset", "publish", "--repo-id", "owner/name", "--dry-run", "--dataset", str(copy)]) == 2
    assert "sha256 expected" in capsys.readouterr().err
    assert main(["dataset", "publish", "--repo-id", "not a repo", "--dry-run", "--dataset", str(folder)]) == 2


def test_token_not_printed_by_the_real_cli_process(folder):
    env = {"HF_TOKEN": TOKEN, "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    code = "import sys; from fazhi_ner.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "dataset", "publish", "--repo-id", "o/n", "--dry-run", "--dataset", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "would upload" in proc.stdout and "checksums.json" in proc.stdout
    assert TOKEN not in proc.stdout + proc.stderr
