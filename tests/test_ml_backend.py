"""The ML backend speaks Label Studio 1.23's protocol (fast: real HTTP on 127.0.0.1, rules model)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests

from fazhi_ner.annotation.ml_backend import make_server
from fazhi_ner.annotation.model_assist import predict_document, uncertainty_order
from fazhi_ner.annotation.tasks import build_task
from fazhi_ner.baselines.registry import create
from fazhi_ner.cli import main
from fazhi_ner.seeds import get_document
from fazhi_ner.tagging.errors import BackendUnavailable


@pytest.fixture(scope="module")
def backend() -> Iterator[str]:
    server = make_server(create("rules"), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def test_bound_to_loopback_only(backend: str):
    assert backend.startswith("http://127.0.0.1:")


def test_health_and_setup_give_the_model_version(backend: str):
    health = requests.get(f"{backend}/health", timeout=5).json()
    assert health["status"] == "UP" and health["model_class"] == "rules"
    setup = requests.post(f"{backend}/setup", json={"project": "1.123", "schema": "<View/>"}, timeout=5).json()
    assert setup["model_version"] == health["model_version"]


def test_predict_returns_one_prediction_per_task_inside_the_body(backend: str):
    doc = get_document("xianju-2023")
    tasks = [{"id": 1, "data": build_task(doc)["data"]}, {"id": 2, "data": {"text": "县司法局开展会前学法21次。"}}]
    reply = requests.post(f"{backend}/predict", json={"tasks": tasks, "project": "1.1"}, timeout=60).json()
    assert len(reply["results"]) == 2
    first = reply["results"][0]
    assert first["model_version"].startswith("rules-") and first["result"]
    for region in first["result"]:
        value = region["value"]
        assert doc.in_body(value["start"], value["end"]) and doc.text[value["start"] : value["end"]] == value["text"]
        assert region["from_name"] == "label" and region["to_name"] == "text" and region["type"] == "labels"
    expected = predict_document(create("rules"), doc)
    assert [(r["value"]["start"], r["value"]["end"]) for r in first["result"]] == [(s.start, s.end) for s in expected.spans]
    assert reply["results"][1]["result"], "a task that is not a known report is tagged on its sentences"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [("/predict", b"{not json", 400), ("/predict", b'{"tasks": 3}', 400), ("/predict", b'{"tasks": [{}]}', 400),
     ("/nowhere", b"{}", 404), ("/webhook", b'{"action": "ANNOTATION_CREATED"}', 200)],
)  # fmt: skip
def test_bad_requests_get_json_errors(backend: str, path: str, body: bytes, status: int):
    reply = requests.post(f"{backend}{path}", data=body, headers={"Content-Type": "application/json"}, timeout=5)
    assert reply.status_code == status
    assert isinstance(reply.json(), dict)


def test_port_in_use_is_a_usage_error(backend: str):
    port = int(backend.rsplit(":", 1)[1])
    with pytest.raises(BackendUnavailable, match="cannot bind"):
        make_server(create("rules"), port)


def test_uncertainty_order_is_least_confident_first_and_stable():
    from fazhi_ner.annotation.model_assist import DocPrediction

    items = [("b", DocPrediction((), (), 0.9)), ("a", DocPrediction((), (), None)), ("c", DocPrediction((), (), 0.2)),
             ("d", DocPrediction((), (), 0.9))]  # fmt: skip
    assert uncertainty_order(items) == ["c", "b", "d", "a"]


def test_push_and_ml_backend_without_a_server_or_model_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FAZHI_LS_TOKEN", "abcdef123456")
    url = "http://127.0.0.1:9"  # nothing listens on the discard port
    assert main(["annotate", "push", "--model", "rules", "--url", url, "--data-dir", str(tmp_path)]) == 2
    assert "cannot reach" in capsys.readouterr().err
    assert main(["annotate", "ml-backend", "--model", "nosuch"]) == 2
    assert main(["annotate", "ml-backend", "--bogus"]) == 2
