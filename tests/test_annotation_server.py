"""Against a real Label Studio server on 127.0.0.1: idempotent push, and the whole annotator loop.

The server is started by :class:`LabelStudioServer` on a free port with a temporary data dir and
stopped at the end of the module. Timings are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import json
import shutil
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fazhi_ner.annotation import cli as annotation_cli
from fazhi_ner.annotation.client import connect, list_tasks, require_project
from fazhi_ner.annotation.credentials import ENV_TOKEN
from fazhi_ner.annotation.server import LabelStudioServer, Running, free_port
from fazhi_ner.cli import main
from fazhi_ner.errors import ServerError
from fazhi_ner.formats.review import render_document
from fazhi_ner.gold import load_gold
from fazhi_ner.paths import exports_dir
from fazhi_ner.seeds import get_document
from fazhi_ner.spans import Span

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.xdist_group("labelstudio")]

DOC = "gaotai-2022"
PREDICTED = "开展会前学法21次"


def fake_predictions(doc):  # noqa: ANN001, ANN201 - stands in for fazhi_ner.rules so the test pins its input
    start = doc.text.find(PREDICTED)
    return ([Span(start, start + len(PREDICTED), "INDICATOR", PREDICTED)] if start >= 0 else []), "fake-rules-0"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, LabelStudioServer]]:
    manager = LabelStudioServer(tmp_path_factory.mktemp("labelstudio"))
    with manager as running:
        print(
            f"\n[timing] template database: {manager.template_seconds:.1f} s; "
            f"start-up to healthy: {manager.startup_seconds:.1f} s"
        )
        yield running, manager
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", running.port)) != 0, "server still listening after stop"


@pytest.fixture(autouse=True)
def _no_env_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_TOKEN, raising=False)
    monkeypatch.setattr(annotation_cli, "rule_predictions", fake_predictions)


def _args(running: Running) -> list[str]:
    return ["--url", running.base_url, "--data-dir", str(running.data_dir)]


def _span(doc_text: str, needle: str, label: str) -> Span:
    start = doc_text.index(needle)
    return Span(start, start + len(needle), label, needle)


def test_server_is_local_and_credentials_private(server: tuple[Running, LabelStudioServer]) -> None:
    running, _ = server
    assert running.base_url.startswith("http://127.0.0.1:")
    assert requests.get(f"{running.base_url}/health", timeout=5).json() == {"status": "UP"}
    creds = running.data_dir / "credentials.json"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert json.loads(creds.read_text(encoding="utf-8"))["token"] == running.token
    with pytest.raises(ServerError, match="refused"):
        connect(running.base_url, "wrongtoken123")


def test_push_is_idempotent(server: tuple[Running, LabelStudioServer], capsys: pytest.CaptureFixture[str]) -> None:
    running, _ = server
    title = "FaZhi-NER idempotent"
    push = ["annotate", "push", "--project-title", title, "--docs", DOC, "--docs", "xianju-2023", *_args(running)]
    assert main(push) == 0
    assert "imported 2 task(s)" in capsys.readouterr().out
    assert main(push) == 0
    assert "imported 0 task(s); 2 already present" in capsys.readouterr().out
    client = connect(running.base_url, running.token)
    tasks = list_tasks(client, require_project(client, title).id, with_annotations=True)
    assert sorted(t.data["doc_id"] for t in tasks) == [DOC, "xianju-2023"]
    assert all(len(t.predictions) == 1 for t in tasks)
    assert main(["annotate", "push", "--project-title", "ab", *_args(running)]) == 2  # LS needs >= 3 chars


def test_annotator_loop_push_apply_pull_convert(
    server: tuple[Running, LabelStudioServer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """push (with predictions) -> apply a review file twice -> pull -> convert == exactly the spans submitted."""
    running, _ = server
    title = "FaZhi-NER integration"
    doc = get_document(DOC)
    started = time.monotonic()
    assert main(["annotate", "push", "--project-title", title, "--docs", DOC, *_args(running)]) == 0

    # First pass: the annotator keeps the prediction and adds an agency.
    review = tmp_path / f"{DOC}.review.txt"
    first = [_span(doc.text, PREDICTED, "INDICATOR"), _span(doc.text, "县委全面依法治县委员会", "AGENCY")]
    review.write_text(render_document(doc, first), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", "apply", str(review), "--project-title", title, *_args(running)]) == 0
    assert "created annotation" in capsys.readouterr().out

    # Second pass on the same file: corrected spans replace the first annotation (no second annotation).
    submitted = [
        _span(doc.text, "县委全面依法治县委员会", "AGENCY"),
        _span(doc.text, "“法律八进”", "INITIATIVE"),
        _span(doc.text, "开展会前学法21次", "INDICATOR"),
    ]
    review.write_text(render_document(doc, submitted), encoding="utf-8")
    assert main(["annotate", "apply", str(review), "--project-title", title, *_args(running)]) == 0
    assert "updated annotation" in capsys.readouterr().out

    export = tmp_path / "exports" / "integration.json"
    assert main(["annotate", "pull", "--project-title", title, "--out", str(export), *_args(running)]) == 0
    tasks = json.loads(export.read_text(encoding="utf-8"))
    (task,) = tasks
    assert task["data"]["doc_id"] == DOC and task["data"]["sha256"] == doc.sha256
    (annotation,) = task["annotations"]
    assert all(item["origin"] == "manual" for item in annotation["result"])
    first_pull = export.read_bytes()
    assert main(["annotate", "pull", "--project-title", title, "--out", str(export), *_args(running)]) == 0
    assert export.read_bytes() == first_pull, "re-pulling an unchanged project must be byte-identical"

    gold = tmp_path / "gold"
    assert main(["annotate", "convert", str(export), "--out", str(gold)]) == 0
    assert load_gold(gold) == {DOC: sorted(submitted)}
    assert main(["annotate", "convert", str(export), "--out", str(gold), "--check"]) == 0
    print(f"\n[timing] push + 2x apply + 2x pull + convert: {time.monotonic() - started:.1f} s")

    # The rule predictions travelled with the task.
    client = connect(running.base_url, running.token)
    (live,) = list_tasks(client, require_project(client, title).id, with_annotations=True)
    (prediction,) = live.predictions
    assert prediction.model_version == "fake-rules-0"
    assert [r["value"]["text"] for r in prediction.result] == [PREDICTED]


def test_serve_detach_and_stop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    data_dir = tmp_path / "ls"
    started = time.monotonic()
    assert main(["annotate", "serve", "--detach", "--port", str(port), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    with capsys.disabled():
        print(f"\n[timing] serve --detach to healthy: {time.monotonic() - started:.1f} s")
    creds = json.loads((data_dir / "credentials.json").read_text(encoding="utf-8"))
    try:
        assert f"http://127.0.0.1:{port}" in out and creds["username"] in out
        assert creds["token"] not in out and creds["password"] not in out
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).ok
        assert main(["annotate", "serve", "--port", str(port), "--data-dir", str(tmp_path / "other")]) == 2
    finally:
        assert main(["annotate", "stop", "--data-dir", str(data_dir)]) == 0
    assert not (data_dir / "server.json").exists()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_start_up_timeout_is_a_server_error(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="health"), LabelStudioServer(tmp_path / "ls", timeout=0.5):
        pass


def test_pull_from_a_fresh_project_never_overwrites_the_gold_export(
    server: tuple[Running, LabelStudioServer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14, item 1: a freshly pushed project (0 annotations) pulled onto an export with annotations."""
    running, _ = server
    title = "FaZhi-NER fresh"
    assert main(["annotate", "push", "--project-title", title, *_args(running)]) == 0
    export = tmp_path / "gold.json"
    shutil.copyfile(exports_dir() / "gold.json", export)
    before = export.read_bytes()
    capsys.readouterr()
    assert main(["annotate", "pull", "--project-title", title, "--out", str(export), *_args(running)]) == 2
    err = capsys.readouterr().err
    assert "the new export only 0" in err and "--force" in err
    assert export.read_bytes() == before
    assert main(["annotate", "pull", "--project-title", title, "-o", str(export), "--force", *_args(running)]) == 0
    assert all(not t["annotations"] for t in json.loads(export.read_text(encoding="utf-8")))
