"""A small Label Studio ML backend (stdlib HTTP server) serving any baseline's predictions.

Why not ``label-studio-ml``: its PyPI release (1.0.9) pins Flask 1.1.2 and werkzeug 2.0.2, older than this
stack allows. The protocol is what Label Studio 1.23 itself sends (``label_studio/ml/api_connector.py``):

- ``GET /health`` -> ``{"status": "UP", "model_class": ..., "model_version": ...}`` (1 s time-out)
- ``POST /setup`` ``{project, schema, hostname, access_token, extra_params}`` -> ``{"model_version": ...}`` (3 s)
- ``POST /predict`` ``{tasks, project, label_config, params}`` -> ``{"results": [one prediction per task]}``,
  each ``{"result": [...regions with score], "score": task score, "model_version": ...}`` (100 s)
- ``POST /webhook`` and ``POST /train``: accepted and ignored (this backend does not train online)
- ``GET /versions`` -> ``{"versions": [model_version]}``

The model is loaded once; predictions are serialised with a lock (a pycrfsuite tagger is not thread-safe).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fazhi_ner.annotation.model_assist import predict_task_data, prediction_json
from fazhi_ner.baselines.base import Baseline
from fazhi_ner.tagging.errors import BackendUnavailable

HOST = "127.0.0.1"
MAX_BODY = 64 << 20  # bytes; a predict request carries whole task texts


class BackendServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, model: Baseline, port: int) -> None:
        self.model = model
        self.model_version = model.version
        self.lock = threading.Lock()
        self._documents: dict[str, Any] | None = None
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    def documents(self) -> dict[str, Any]:
        """Known reports (seeds and ingested), so their tasks are tagged on the body sentences only."""
        if self._documents is None:
            try:
                from fazhi_ner.seeds import select_documents

                self._documents = {d.doc_id: d for d in select_documents(None)}
            except Exception:  # outside a checkout there are no known reports: tag whole task texts
                self._documents = {}
        return self._documents

    def predict(self, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results = []
        with self.lock:
            for task in tasks:
                data = task.get("data") if isinstance(task, dict) else None
                if not isinstance(data, dict):
                    raise ValueError("each task needs a 'data' object")
                prediction = predict_task_data(self.model, data, self.documents())
                text = data.get("text") if isinstance(data.get("text"), str) else ""
                results.append(prediction_json(text, prediction, self.model_version))
        return results


class Handler(BaseHTTPRequestHandler):
    server: BackendServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by default
        return None

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, {"error": f"request body of {length} bytes exceeds {MAX_BODY}"})
            return None
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self._send(400, {"error": f"malformed JSON body ({exc})"})
            return None
        if not isinstance(data, dict):
            self._send(400, {"error": f"expected a JSON object, found {type(data).__name__}"})
            return None
        return data

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("", "/health"):
            self._send(
                200, {"status": "UP", "model_class": self.server.model.name, "model_version": self.server.model_version}
            )
        elif path == "/versions":
            self._send(200, {"versions": [self.server.model_version]})
        else:
            self._send(404, {"error": f"unknown path {self.path}"})

    def do_POST(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0].rstrip("/")
        data = self._body()
        if data is None:
            return
        if path == "/setup":
            self._send(200, {"model_version": self.server.model_version})
        elif path == "/predict":
            tasks = data.get("tasks")
            if not isinstance(tasks, list):
                self._send(400, {"error": "expected 'tasks': a list of tasks"})
                return
            try:
                results = self.server.predict(tasks)
            except ValueError as exc:
                self._send(400, {"error": str(exc)})
                return
            self._send(200, {"results": results, "model_version": self.server.model_version})
        elif path in ("/webhook", "/train"):
            self._send(200, {"status": "ignored", "detail": "this backend does not train online"})
        elif path == "/validate":
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"error": f"unknown path {self.path}"})


def make_server(model: Baseline, port: int = 9090) -> BackendServer:
    """A bound (not yet serving) backend on 127.0.0.1:``port`` (0 picks a free port)."""
    try:
        return BackendServer(model, port)
    except OSError as exc:
        raise BackendUnavailable(
            f"{HOST}:{port}: cannot bind the ML backend ({exc.strerror}); choose another --port"
        ) from None
