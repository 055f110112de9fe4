"""Against a real Label Studio 1.23 server: the ML backend registered via POST /api/ml/ fills a task's predictions,
and `annotate push --model` imports scored predictions least confident first. Both processes are stopped after."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from fazhi_ner.annotation.client import connect, ensure_project, import_tasks, list_tasks, require_project
from fazhi_ner.annotation.credentials import ENV_TOKEN
from fazhi_ner.annotation.model_assist import predict_document
from fazhi_ner.annotation.server import LabelStudioServer, free_port, stop_process_group
from fazhi_ner.annotation.tasks import build_task
from fazhi_ner.baselines.registry import create
from fazhi_ner.cli import main
from fazhi_ner.schema import label_config_xml
from fazhi_ner.seeds import get_document

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.xdist_group("labelstudio")]
DOC = "gaotai-2022"


def _wait(url: str, process: subprocess.Popen, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the ML backend exited early"
        try:
            return requests.get(url, timeout=1).json()
        except requests.RequestException:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def _predictions(base: str, headers: dict, task_id: int) -> list[dict]:
    return requests.get(f"{base}/api/predictions/", params={"task": task_id}, headers=headers, timeout=30).json()


def test_label_studio_gets_predictions_from_the_ml_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ENV_TOKEN, raising=False)
    port = free_port()
    backend_url = f"http://127.0.0.1:{port}"
    with LabelStudioServer(tmp_path / "ls") as running:
        backend = subprocess.Popen(
            [sys.executable, "-c", "from fazhi_ner.cli import entry_point; entry_point()",
             "annotate", "ml-backend", "--model", "rules", "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=dict(os.environ),
        )  # fmt: skip
        try:
            health = _wait(f"{backend_url}/health", backend)
            assert health["status"] == "UP"
            client = connect(running.base_url, running.token)
            project, _ = ensure_project(client, "FaZhi-NER ml backend", label_config_xml())
            doc = get_document(DOC)
            (task_id,) = import_tasks(client, project.id, [build_task(doc)])  # no predictions yet
            headers = {"Authorization": f"Token {running.token}"}
            assert _predictions(running.base_url, headers, task_id) == []
            reply = requests.post(
                f"{running.base_url}/api/ml/",
                json={"url": backend_url, "project": project.id, "title": "fazhi rules"},
                headers=headers,
                timeout=30,
            )
            assert reply.status_code == 201, reply.text
            # Label Studio asks the backend for predictions when the task is opened (show_collab_predictions)
            requests.get(f"{running.base_url}/api/tasks/{task_id}", headers=headers, timeout=120).raise_for_status()
            predictions = _predictions(running.base_url, headers, task_id)
            if not predictions:  # or on the data manager's "Retrieve predictions" action
                requests.post(
                    f"{running.base_url}/api/dm/actions",
                    params={"id": "retrieve_tasks_predictions", "project": project.id},
                    json={"selectedItems": {"all": True, "excluded": []}},
                    headers=headers,
                    timeout=120,
                ).raise_for_status()
                predictions = _predictions(running.base_url, headers, task_id)
            assert len(predictions) == 1
            got = predictions[0]
            assert got["model_version"] == health["model_version"]
            expected = predict_document(create("rules"), doc)
            assert expected.spans, "the rules find spans in the report"
            assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in got["result"]] == [
                (s.start, s.end, s.label) for s in expected.spans
            ]
        finally:
            stop_process_group(backend.pid)
            backend.wait(timeout=10)
    assert backend.poll() is not None
    with pytest.raises(requests.RequestException):
        requests.get(f"{backend_url}/health", timeout=1)


def test_push_with_a_model_sends_scored_predictions_least_confident_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """The CRF (trained on first use into a temporary models folder) scores spans and tasks."""
    from fazhi_ner.baselines import protocol

    monkeypatch.delenv(ENV_TOKEN, raising=False)
    monkeypatch.setattr(protocol, "models_root", lambda: tmp_path / "models")
    with LabelStudioServer(tmp_path / "ls") as running:
        args = ["--url", running.base_url, "--data-dir", str(running.data_dir), "--project-title", "FaZhi-NER crf"]
        docs = ["--docs", "gaotai-2022", "--docs", "heishui-2022", "--docs", "jianghai-2022"]
        assert main(["annotate", "push", "--model", "crf", *docs, *args]) == 0
        client = connect(running.base_url, running.token)
        tasks = sorted(list_tasks(client, require_project(client, "FaZhi-NER crf").id), key=lambda t: t.id)
        headers = {"Authorization": f"Token {running.token}"}
        scores = []
        for task in tasks:
            (prediction,) = _predictions(running.base_url, headers, task.id)
            assert prediction["model_version"].startswith("crf-")
            assert prediction["result"] and all(0 < r["score"] <= 1 for r in prediction["result"])
            scores.append(prediction["score"])
        assert len(scores) == 3 and scores == sorted(scores), "imported least confident first"
        assert main(["annotate", "push", "--model", "crf", *docs, *args]) == 0  # idempotent
        assert "imported 0 task(s)" in capsys.readouterr().out
