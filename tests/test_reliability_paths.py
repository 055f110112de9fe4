"""Server defaults, secrets never tracked, HF_TOKEN only from the environment, interrupted writes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from fazhi_ner import atomic
from fazhi_ner.annotation import server
from fazhi_ner.annotation.convert import convert_export, write_gold_directory
from fazhi_ner.annotation.credentials import Credentials
from fazhi_ner.cli import main
from fazhi_ner.errors import ServerError
from fazhi_ner.evaluation import leaderboard
from fazhi_ner.paths import project_root
from fazhi_ner.seeds import documents_by_id
from test_reliability_support import export_tasks

ROOT = project_root()


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_serve_binds_to_localhost_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_start(directory: Path, port: int, host: str, *, timeout: float, die_with_parent: bool = True, on_wait=None):  # noqa: ANN202
        seen.update(host=host, port=port)
        raise ServerError("stopped by the test before starting anything")

    monkeypatch.setattr(server, "start_server", fake_start)
    assert main(["annotate", "serve", "--data-dir", str(tmp_path / "ls")]) == 2
    assert seen["host"] == "127.0.0.1"


def test_label_studio_command_line_names_only_localhost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    class FakePopen:
        def __init__(self, command: list[str], **kwargs: object) -> None:
            calls.append(command)

    (tmp_path / "template.sqlite3").write_bytes(b"")
    monkeypatch.setattr(server.subprocess, "Popen", FakePopen)
    monkeypatch.setattr(server, "template_database", lambda: tmp_path / "template.sqlite3")
    monkeypatch.setattr(server, "label_studio_binary", lambda: Path("/bin/label-studio"))
    server.start_process(tmp_path / "data", 8099, Credentials("u@x", "secret-password", "tok123456"))
    (command,) = calls
    assert command[command.index("--host") + 1] == "http://127.0.0.1:8099"
    assert command[command.index("--internal-host") + 1] == "127.0.0.1"
    assert "0.0.0.0" not in " ".join(command) and "secret-password" not in " ".join(command)


def test_data_dir_and_build_outputs_are_git_ignored() -> None:
    for path in (".labelstudio/credentials.json", ".labelstudio/label_studio.sqlite3", "build/bench-scale/x1"):
        assert _git("check-ignore", "-q", path).returncode == 0, path


def test_no_secret_file_is_tracked() -> None:
    files = _git("ls-files").stdout.splitlines()
    assert "pyproject.toml" in files  # the listing worked
    suspicious = re.compile(r"(credential|token|password|secret|\.env$|\.netrc|id_rsa|\.pem$|\.key$)", re.I)
    secrets_like = [f for f in files if suspicious.search(Path(f).name) and not f.endswith((".py", ".md"))]
    assert secrets_like == []  # source modules that *handle* credentials are fine; stored secrets are not
    hf_token = re.compile(rb"hf_[A-Za-z0-9]{30,}")
    leaked = [f for f in files if (ROOT / f).is_file() and hf_token.search((ROOT / f).read_bytes())]
    assert leaked == []


def test_publish_ignores_a_token_cached_by_huggingface_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub

    from fazhi_ner.dataset import publish as pub

    cache = tmp_path / "hf"
    cache.mkdir()
    (cache / "token").write_text(
        "hf_" + "cachedtoken" * 3 + "1", encoding="utf-8"
    )  # built here so no token-like literal is tracked
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.setenv("HF_TOKEN_PATH", str(cache / "token"))
    # huggingface_hub reads HF_TOKEN_PATH when first imported; another test may have imported it already
    monkeypatch.setattr("huggingface_hub.constants.HF_TOKEN_PATH", str(cache / "token"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert huggingface_hub.get_token() is not None  # the hub client itself would use it
    seen: list[object] = []

    def fake_plan(repo_id: str, *, dry_run: bool, folder: Path | None = None, token: str | None = None):  # noqa: ANN202
        seen.append(token)
        return pub.PublishPlan(repo_id, tmp_path, (), upload=bool(token) and not dry_run)

    monkeypatch.setattr(pub, "plan", fake_plan)
    assert pub.publish("o/n") == (pub.PublishPlan("o/n", tmp_path, (), upload=False), None)
    monkeypatch.setenv("HF_TOKEN", "hf_" + "fromtheenvironment" * 2)
    monkeypatch.setattr(pub, "HfApi", None, raising=False)
    seen_env: list[object] = []
    monkeypatch.setattr(
        pub, "plan", lambda *a, **k: seen_env.append(k["token"]) or pub.PublishPlan("o/n", tmp_path, (), upload=False)
    )
    pub.publish("o/n")
    assert seen == [None] and seen_env == ["hf_" + "fromtheenvironment" * 2]


def test_interrupted_convert_keeps_the_previous_gold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fazhi_ner.annotation import convert

    docs = documents_by_id()
    converted = convert_export(export_tasks(), source="pass1.json", documents=docs)
    out = tmp_path / "gold"
    write_gold_directory(converted, out, docs)
    before = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    emptied = convert.ConvertedExport("x", {d: [] for d in converted.spans})
    from fazhi_ner import atomic

    real, calls = atomic.atomic_write_bytes, []

    def interrupted(path, data):  # noqa: ANN001, ANN202
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(path, data)

    monkeypatch.setattr(atomic, "atomic_write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_gold_directory(emptied, out, docs)
    assert {p.name: p.read_bytes() for p in sorted(out.iterdir())} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold"]  # no staging folder left behind


def _board_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _interrupt_second_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = atomic.atomic_write_bytes, []

    def interrupted(path, data):  # noqa: ANN001, ANN202
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(path, data)

    monkeypatch.setattr(atomic, "atomic_write_bytes", interrupted)  # every staged write goes through it


@pytest.fixture
def boards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict, dict[str, bytes]]:
    monkeypatch.setattr(
        leaderboard, "outputs", lambda board: {n: f"{n} {board['v']}\n" for n in ("a.json", "b.md", "c.html")}
    )
    leaderboard.write({"v": 1}, tmp_path)
    return tmp_path, {"v": 2}, _board_files(tmp_path)


def test_interrupted_leaderboard_write_leaves_only_whole_files(boards, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    directory, board, before = boards
    _interrupt_second_write(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        leaderboard.write(board, directory)
    after = _board_files(directory)
    assert set(after) == set(before)  # no temporary file left behind
    assert all(after[n] in (before[n], f"{n} 2\n".encode()) for n in after)  # each file old or new, never partial


def test_interrupted_leaderboard_write_keeps_all_previous_files(boards, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    directory, board, before = boards
    _interrupt_second_write(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        leaderboard.write(board, directory)
    assert _board_files(directory) == before
