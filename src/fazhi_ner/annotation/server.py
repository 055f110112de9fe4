"""Start and stop a real Label Studio server bound to 127.0.0.1.

Authentication uses Label Studio's *legacy* API token: the server is started with
``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true`` and ``LABEL_STUDIO_USER_TOKEN``, so the token is
known before start-up and clients send ``Authorization: Token <token>``. (A personal access token
would have to be minted through the web UI or a logged-in session after start-up.)

A fresh data directory needs ~150 Django migrations (about a minute on a busy 2-core machine).
We run them once into a template database (``build/labelstudio-template/<version>/``) and copy
it into each new data directory, which brings start-up down to a few seconds.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import functools
import importlib.metadata
import importlib.util
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import requests

from fazhi_ner.annotation.credentials import Credentials, resolve_credentials, write_credentials
from fazhi_ner.errors import ServerError
from fazhi_ner.paths import build_dir

DB_FILE = "label_studio.sqlite3"
LOG_FILE = "server.log"
PID_FILE = "server.json"
# A first start migrates a fresh database: 54.8 s was measured on a fresh install here, so a slower machine needs
# a wide margin. The wait ends as soon as /health answers, so the bound costs nothing on a fast machine.
STARTUP_TIMEOUT = 300.0
TEMPLATE_TIMEOUT = 600.0


@dataclass(frozen=True)
class Running:
    """What a started server gives its callers."""

    base_url: str
    token: str
    username: str
    port: int
    pid: int
    data_dir: Path


def label_studio_binary() -> Path:
    """The ``label-studio`` script of the venv we run in (never one found on PATH)."""
    binary = Path(sys.executable).parent / "label-studio"
    if not binary.is_file():
        raise ServerError(f"{binary}: label-studio not installed in this environment; pip install -e '.[annotate]'")
    return binary


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


LOOPBACK_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
SSRF_MODULE = Path("core") / "utils" / "io.py"  # where Label Studio 1.23 keeps validate_ip()


def _label_studio_source(relative: Path) -> Path:
    """A file of the installed ``label_studio`` package, found without importing it (no Django set-up)."""
    spec = importlib.util.find_spec("label_studio")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError("label_studio: not installed in this environment; pip install -e '.[annotate]'")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def _literal_list(function: ast.FunctionDef, name: str) -> list[str] | None:
    """The value of ``name = [...]`` inside ``function`` when it is a list of strings."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            with contextlib.suppress(ValueError):
                value = ast.literal_eval(node.value)
                if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                    return value
    return None


@functools.cache
def label_studio_default_banned_subnets() -> tuple[str, ...]:
    """Label Studio's own default SSRF list, read from the installed source of ``validate_ip()``.

    Why read it: the list is a local variable there, and a copy would silently miss what an upgrade adds.
    If the list cannot be found, ``serve`` stops rather than start with a shorter list.
    """
    path = _label_studio_source(SSRF_MODULE)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError) as exc:
        raise ServerError(f"{path}: cannot read Label Studio's SSRF check ({exc.__class__.__name__})") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "validate_ip":
            subnets = _literal_list(node, "default_banned_subnets")
            if subnets is not None:
                return tuple(subnets)
    version = importlib.metadata.version("label-studio")
    raise ServerError(
        f"{path}: expected a `default_banned_subnets` list of strings in validate_ip(), found none "
        f"(label-studio {version}); cannot derive the banned subnets for the ML backend"
    )


def _minus(network: Network, hole: Network) -> list[Network]:
    """``network`` without the addresses of ``hole`` (as few networks as that takes)."""
    if network.version != hole.version or not network.overlaps(hole):
        return [network]
    if network.subnet_of(hole):  # same version: checked above
        return []
    return sorted(network.address_exclude(hole))


def without_loopback(subnets: tuple[str, ...]) -> tuple[str, ...]:
    """The banned ``subnets`` minus the loopback ranges, every other address still covered."""
    kept: list[Network] = [ipaddress.ip_network(subnet) for subnet in subnets]
    for hole in LOOPBACK_NETWORKS:
        kept = [piece for network in kept for piece in _minus(network, hole)]
    return tuple(dict.fromkeys(str(network) for network in kept))


# Label Studio reads each setting from LABEL_STUDIO_<name>, then HEARTEX_<name>, then <name> (core/utils/params.py).
_LS_ENV_PREFIXES = ("LABEL_STUDIO_", "HEARTEX_", "")


def ssrf_settings() -> dict[str, str]:
    """Label Studio's SSRF settings for ``serve``: every check on, loopback (our ML backend) let through.

    Why the list and not ``ML_BLOCK_LOCAL_IP=false``: in Label Studio 1.23 that flag turns the address check for
    ML-backend URLs off altogether (``ml/serializers.py``, ``ml/api_connector.py``). With it on, the one list
    below is what every check consults: Label Studio's default list minus loopback, so private networks, link-local
    (cloud metadata), NAT64, 6to4 and the rest stay banned for ML backends, webhooks and storages alike.
    """
    return {
        "SSRF_PROTECTION_ENABLED": "true",
        "ML_BLOCK_LOCAL_IP": "true",
        "USE_DEFAULT_BANNED_SUBNETS": "false",
        "USER_ADDITIONAL_BANNED_SUBNETS": ",".join(without_loopback(label_studio_default_banned_subnets())),
    }


def _quiet_env(data_dir: Path) -> dict[str, str]:
    """Environment for the server: its data dir, no version check against PyPI, no telemetry, our SSRF settings."""
    ssrf = ssrf_settings()
    shadowing = {prefix + name for name in ssrf for prefix in _LS_ENV_PREFIXES}  # an inherited one would win
    dropped = {"HOST", "PORT", "USERNAME", "PASSWORD", "USER_TOKEN"} | shadowing
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(data_dir),
        LATEST_VERSION_CHECK="false",
        COLLECT_ANALYTICS="false",
        SENTRY_DSN="",
        FRONTEND_SENTRY_DSN="",
        LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
        **ssrf,
    )
    return env


def is_loopback_host(host: str) -> bool:
    """True for a bind address only this machine can reach; a host name other than localhost counts as network."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def network_exposure(host: str, port: int) -> str | None:
    """The one line ``serve`` prints when ``--host`` leaves loopback (None on loopback).

    Why: the team set-up publishes the whole Label Studio, over plain HTTP; say so where the choice is made.
    """
    if is_loopback_host(host):
        return None
    return (
        f"reachable from the network on {host}:{port}, plain HTTP (put TLS in front): Label Studio's log-in and "
        "invite-link sign-up, web UI and REST API, with every project, task and export to every account; "
        "the ML backend stays on 127.0.0.1"
    )


def template_database() -> Path:
    """A migrated, user-less Label Studio database for this version, built once and reused."""
    version = importlib.metadata.version("label-studio")
    root = Path(os.environ.get("FAZHI_LS_TEMPLATE_DIR") or build_dir() / "labelstudio-template")
    target = root / version / DB_FILE
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".template.", dir=target.parent))
    try:
        # `label-studio version` applies all migrations to the data dir, then prints and exits.
        result = subprocess.run(
            [str(label_studio_binary()), "version"],
            env=_quiet_env(staging),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TEMPLATE_TIMEOUT,
            check=False,
        )
        if result.returncode != 0 or not (staging / DB_FILE).is_file():
            tail = result.stdout.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise ServerError(f"{staging}: migrating a template database failed (exit {result.returncode}): {tail[0]}")
        os.replace(staging / DB_FILE, target)
    except subprocess.TimeoutExpired:
        raise ServerError(
            f"{staging}: migrating a template database took longer than {TEMPLATE_TIMEOUT:.0f} s"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _log_tail(log: Path, lines: int = 1) -> str:
    if not log.is_file():
        return "no log"
    text = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    return " | ".join(text[-lines:]) or "empty log"


def wait_for_health(
    base_url: str,
    *,
    timeout: float,
    process: subprocess.Popen[bytes] | None,
    log: Path,
    on_wait: Callable[[float, str], None] | None = None,
) -> float:
    """Poll GET /health until {"status": "UP"}; returns the seconds waited.

    ``on_wait(seconds, last log line)`` is called on every poll, so a caller can say what is happening
    (a first start spends most of its time migrating the database).
    """
    start = time.monotonic()
    while True:
        if on_wait is not None:
            on_wait(time.monotonic() - start, _log_tail(log))
        if process is not None and process.poll() is not None:
            raise ServerError(
                f"{log}: label-studio exited with code {process.returncode} during start-up: {_log_tail(log)}"
            )
        with contextlib.suppress(requests.RequestException, ValueError):
            response = requests.get(f"{base_url}/health", timeout=2)
            if response.ok and response.json().get("status") == "UP":
                return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise ServerError(
                f"{base_url}/health: no {{'status': 'UP'}} within {timeout:.0f} s; last log line: {_log_tail(log)}"
            )
        time.sleep(0.3)


def check_token(base_url: str, token: str) -> None:
    """Fail clearly when the token is refused (e.g. the data dir was initialised with other credentials)."""
    try:
        response = requests.get(
            f"{base_url}/api/current-user/whoami", headers={"Authorization": f"Token {token}"}, timeout=10
        )
    except requests.RequestException as exc:
        raise ServerError(f"{base_url}: cannot reach the server ({exc.__class__.__name__})") from None
    if response.status_code != 200:
        raise ServerError(
            f"{base_url}/api/current-user/whoami: API token refused (HTTP {response.status_code}); the data dir was "
            "probably initialised with other credentials: set FAZHI_LS_TOKEN to that token or use a fresh data dir"
        )


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with(parent: int) -> Callable[[], None]:
    """A ``preexec_fn`` asking the kernel to SIGTERM the child when its parent dies (Linux prctl).

    Why: the server runs in its own session (so a Ctrl-C in the terminal reaches only us and we stop
    it in order), but then nothing would stop it if we were killed outright; this is the backstop.
    """

    def preexec() -> None:
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def start_process(
    data_dir: Path, port: int, creds: Credentials, host: str = "127.0.0.1", *, die_with_parent: bool = True
) -> subprocess.Popen[bytes]:
    """Spawn ``label-studio start`` in its own process group, logging to ``<data dir>/server.log``.

    With ``die_with_parent`` (all but ``serve --detach``) the kernel stops it when this process dies.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / DB_FILE).is_file():
        shutil.copyfile(template_database(), data_dir / DB_FILE)
    env = _quiet_env(data_dir)
    env.update(
        LABEL_STUDIO_USERNAME=creds.username,
        LABEL_STUDIO_PASSWORD=creds.password,
        LABEL_STUDIO_USER_TOKEN=creds.token,
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
    )
    command = [
        str(label_studio_binary()),
        "start",
        "--no-browser",
        "--host",
        f"http://{host}:{port}",
        "--internal-host",
        host,
        "--port",
        str(port),
    ]
    log = open(data_dir / LOG_FILE, "ab")  # noqa: SIM115 - handed to the child process
    try:
        return subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with(os.getpid()) if die_with_parent else None,  # noqa: PLW1509 - only prctl
        )
    finally:
        log.close()


def stop_process_group(pid: int, timeout: float = 20.0) -> None:
    """SIGTERM the server's process group, then SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def start_server(
    data_dir: Path,
    port: int,
    host: str = "127.0.0.1",
    *,
    timeout: float = STARTUP_TIMEOUT,
    die_with_parent: bool = True,
    on_wait: Callable[[float, str], None] | None = None,
) -> tuple[subprocess.Popen[bytes], Running]:
    """Start, wait for health, verify the token; on any failure the process is stopped again."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)  # the database holds the user's password hash and token
    creds = resolve_credentials(data_dir)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if probe.connect_ex((host, port)) == 0:
            raise ServerError(f"{host}:{port}: port already in use; choose another with --port")
    process = start_process(data_dir, port, creds, host, die_with_parent=die_with_parent)
    base_url = f"http://{host}:{port}"
    try:
        wait_for_health(base_url, timeout=timeout, process=process, log=data_dir / LOG_FILE, on_wait=on_wait)
        check_token(base_url, creds.token)
        write_credentials(data_dir, creds)  # only once the server accepted them
    except BaseException:
        stop_process_group(process.pid)
        process.wait(timeout=5)
        raise
    return process, Running(base_url, creds.token, creds.username, port, process.pid, data_dir)


def write_pid_file(running: Running, *, detached: bool = True) -> Path:
    """Record the server in ``<data dir>/server.json`` so ``annotate stop`` can find it."""
    from fazhi_ner.atomic import atomic_write_text

    path = running.data_dir / PID_FILE
    record = {"pid": running.pid, "port": running.port, "url": running.base_url, "detached": detached}
    if not detached:
        record["parent"] = os.getpid()
    atomic_write_text(path, json.dumps(record) + "\n")
    return path


class _Stop(Exception):
    """Raised by our signal handlers so ``serve`` leaves its wait through ``finally``."""


def serve_foreground(process: subprocess.Popen[bytes], running: Running) -> str:
    """Wait on the server until it exits, Ctrl-C, SIGTERM or SIGHUP (terminal closed); then stop it.

    Returns what ended the wait. The pid file is written for ``annotate stop`` and removed after.
    """

    def handler(signum: int, frame: object) -> None:
        raise _Stop(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    pid_file = write_pid_file(running, detached=False)
    reason = "server exited"
    try:
        process.wait()
    except KeyboardInterrupt:
        reason = "SIGINT"
    except _Stop as stop:
        reason = str(stop)
    finally:
        for sig in previous:  # a second signal during shutdown must not interrupt the stop
            signal.signal(sig, signal.SIG_IGN)
        stop_process_group(process.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
        pid_file.unlink(missing_ok=True)
        for sig, old in previous.items():
            signal.signal(sig, old)
    return reason


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def is_label_studio(pid: int) -> bool:
    """True when ``pid`` is alive and runs label-studio (we never signal anything else)."""
    return "label-studio" in _cmdline(pid) or "label_studio" in _cmdline(pid)


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on TCP ``port`` (any address), from /proc (Linux)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    if not inodes:
        return None
    targets = {f"socket:[{inode}]" for inode in inodes}
    for proc in sorted(Path("/proc").iterdir(), key=lambda p: p.name):
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in targets:
                        return int(proc.name)
    return None


def _stop_pid(pid: int) -> None:
    """Stop a label-studio process and its group (never our own group)."""
    try:
        group = os.getpgid(pid)
    except ProcessLookupError:
        return
    if group == os.getpgrp():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        return
    stop_process_group(group)


def stop_running(data_dir: Path, port: int | None = None) -> int:
    """Stop the server recorded in ``<data dir>/server.json`` (written by ``serve``, detached or not),
    else the label-studio process listening on ``port``; returns its pid.

    A pid file whose process is gone or is not label-studio is stale: it is removed, and the port is tried.
    """
    path = data_dir / PID_FILE
    recorded_port = None
    if path.is_file():
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            pid, recorded_port = int(record["pid"]), int(record.get("port") or 0) or None
        except (ValueError, KeyError, TypeError) as exc:
            raise ServerError(f"{path}: malformed pid file ({exc})") from None
        if is_label_studio(pid):
            _stop_pid(pid)
            path.unlink(missing_ok=True)
            return pid
        path.unlink(missing_ok=True)
    for candidate in dict.fromkeys(p for p in (port, recorded_port) if p):
        pid = listening_pid(candidate)
        if pid is not None:
            if not is_label_studio(pid):
                raise ServerError(f"127.0.0.1:{candidate}: process {pid} listens there but is not label-studio")
            _stop_pid(pid)
            return pid
    where = f" and nothing listens on port {port}" if port else "; pass --port to look for it by port"
    raise ServerError(f"{path}: no running server recorded{where}")


class LabelStudioServer:
    """Context manager for tests: a throw-away server on a free 127.0.0.1 port.

    >>> with LabelStudioServer(tmp_path / "ls") as server:
    ...     LabelStudio(base_url=server.base_url, api_key=server.token)
    """

    def __init__(self, data_dir: Path | None = None, *, port: int | None = None, timeout: float = STARTUP_TIMEOUT):
        self._own_dir = data_dir is None
        self.data_dir = Path(tempfile.mkdtemp(prefix="fazhi-ls-")) if data_dir is None else Path(data_dir)
        self.port = port or free_port()
        self.timeout = timeout
        self.startup_seconds: float | None = None
        self.template_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Running:
        started = time.monotonic()
        if not (self.data_dir / DB_FILE).is_file():
            template_database()  # built once per Label Studio version; not part of the start-up time
        self.template_seconds = time.monotonic() - started
        started = time.monotonic()
        self._process, running = start_server(self.data_dir, self.port, timeout=self.timeout)
        self.startup_seconds = time.monotonic() - started
        return running

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None:
            stop_process_group(self._process.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
            self._process = None
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
