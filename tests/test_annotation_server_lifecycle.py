"""Issue 14, item 6: `fazhi annotate serve` never orphans Label Studio, and `annotate stop` finds it.

A real `fazhi annotate serve` runs in its own session (as in a terminal) on a free port; we signal it
as a window manager or a shell would and check the label-studio process and the port are gone.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from fazhi_ner.annotation.server import free_port, is_label_studio, listening_pid, template_database
from fazhi_ner.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.xdist_group("labelstudio")]


def _serve(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    template_database()  # built once per version, outside the start-up wait below
    port, data_dir = free_port(), tmp_path / "ls"
    code = "from fazhi_ner.cli import entry_point; entry_point()"
    argv = [sys.executable, "-c", code, "annotate", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok and (data_dir / "server.json").is_file():
                return proc, port, data_dir
        except requests.RequestException:
            pass
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("serve did not come up")


def _gone(pid: int, port: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            closed = sock.connect_ex(("127.0.0.1", port)) != 0
        if closed and not is_label_studio(pid):
            return True
        time.sleep(0.3)
    return False


def _server_pid(data_dir: Path) -> int:
    pid = int(json.loads((data_dir / "server.json").read_text(encoding="utf-8"))["pid"])
    assert is_label_studio(pid)
    return pid


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP-terminal-closed"])
def test_signal_to_serve_stops_label_studio(tmp_path: Path, sig: signal.Signals) -> None:
    proc, port, data_dir = _serve(tmp_path)
    child = _server_pid(data_dir)
    try:
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == 0
        assert _gone(child, port), f"label-studio {child} still running after {sig.name} to serve"
        assert not (data_dir / "server.json").exists()
    finally:
        if is_label_studio(child):
            os.killpg(child, signal.SIGKILL)


def test_killed_serve_takes_label_studio_with_it(tmp_path: Path) -> None:
    proc, port, data_dir = _serve(tmp_path)
    child = _server_pid(data_dir)
    try:
        proc.kill()  # SIGKILL: no handler runs; the kernel's parent-death signal must do it
        proc.wait(timeout=10)
        assert _gone(child, port, timeout=40), f"label-studio {child} orphaned by SIGKILL to serve"
    finally:
        if is_label_studio(child):
            os.killpg(child, signal.SIGKILL)


def test_stop_finds_a_foreground_server_by_pid_file_and_by_port(tmp_path: Path) -> None:
    proc, port, data_dir = _serve(tmp_path)
    child = _server_pid(data_dir)
    try:
        assert listening_pid(port) is not None and is_label_studio(listening_pid(port))
        (data_dir / "server.json").unlink()  # lost pid file: found by port
        assert main(["annotate", "stop", "--data-dir", str(data_dir)]) == 2
        assert main(["annotate", "stop", "--data-dir", str(data_dir), "--port", str(port)]) == 0
        assert _gone(child, port)
        assert proc.wait(timeout=60) == 0  # serve notices its server exited and returns
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        if is_label_studio(child):
            os.killpg(child, signal.SIGKILL)
