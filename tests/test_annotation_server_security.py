"""Label Studio's own SSRF checks under the environment `annotate serve` sets, checked in a subprocess.

The subprocess imports the installed Label Studio with ``DJANGO_SETTINGS_MODULE`` set, so the settings are
read from that environment exactly as the server reads them, then asks Label Studio's validators (the
ML-backend and webhook serializers, the ML connector's session, the webhook sender) about each URL. No
request leaves the process: ``urllib3``'s ``create_connection`` is replaced by a recorder that refuses, so
"accepted" means "Label Studio would have opened a connection", and a blocked address never gets that far.

Label Studio resolves URL hosts with ``socket.gethostbyname`` (IPv4 only), so its URL validators reject IPv6
literals before looking at any list; the IPv6 ranges (NAT64, 6to4) matter at connection time, where
``SsrfSafeHTTPAdapter`` checks every address ``getaddrinfo`` returns (for a host name, AAAA records too). Both
stages are probed, and ``address_check`` asks that connection-time check (``validate_ip``) directly.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi_ner.annotation import server
from fazhi_ner.annotation.server import (
    Running,
    _quiet_env,
    label_studio_default_banned_subnets,
    network_exposure,
    without_loopback,
)
from fazhi_ner.cli import main
from fazhi_ner.errors import ServerError

LOOPBACK = "http://127.0.0.1:9090"
BLOCKED = {
    "10/8": "http://10.1.2.3:9090",
    "172.16/12": "http://172.16.5.4:9090",
    "192.168/16": "http://192.168.1.5:80",
    "169.254/16 (cloud metadata)": "http://169.254.169.254/",
    "NAT64 64:ff9b::/96": "http://[64:ff9b::a00:1]:9090",
    "6to4 2002::/16": "http://[2002:a00:1::1]:9090",
}
SURFACES = ("ml_url", "ml_connection", "webhook_url", "webhook_send", "address_check")

PROBE = r"""
import ipaddress, json, pathlib, sys

import label_studio

sys.path.insert(0, str(pathlib.Path(label_studio.__file__).parent))  # as label_studio/server.py does
import django

django.setup()
from django.conf import settings
from urllib3.util import connection, parse_url

from core.utils import io as ls_io
from ml.api_connector import MLApi
from ml.serializers import MLBackendSerializer
from webhooks.serializers import WebhookSerializer

attempts = []


def refuse(address, *args, **kwargs):
    attempts.append(address)
    raise ConnectionRefusedError(f"probe: would connect to {address}")


connection.create_connection = refuse  # the only way urllib3 opens a socket; nothing is sent


def outcome(call):
    attempts.clear()
    try:
        call()
    except Exception as exc:
        return "accepted" if attempts else f"rejected: {type(exc).__name__}: {exc}"
    return "accepted"


SURFACES = {
    "ml_url": lambda url: MLBackendSerializer().validate_url(url),
    "ml_connection": lambda url: MLApi(url=url, max_retries=0).http.get(url, timeout=1),
    "webhook_url": lambda url: WebhookSerializer().validate_url(url),
    "webhook_send": lambda url: ls_io.ssrf_safe_post(url, json={}, timeout=1),
    "address_check": lambda url: ls_io.validate_ip(parse_url(url).host.strip("[]")),
}
report = {name: {url: outcome(lambda: check(url)) for url in sys.argv[1:]} for name, check in SURFACES.items()}

# The list Label Studio itself uses when its defaults are on: record what validate_ip iterates for a public address.
seen = []
real_network = ipaddress.ip_network
ls_io.ipaddress.ip_network = lambda subnet, *a, **k: seen.append(subnet) or real_network(subnet, *a, **k)
settings.USE_DEFAULT_BANNED_SUBNETS, settings.USER_ADDITIONAL_BANNED_SUBNETS = True, []
ls_io.validate_ip("8.8.8.8")
ls_io.ipaddress.ip_network = real_network
report["default_banned_subnets"] = seen
print(json.dumps(report))
"""


def serve_environment(data_dir: Path) -> dict[str, str]:
    """What `annotate serve` gives Label Studio, without proxies (a proxied connection skips the address check)."""
    env = _quiet_env(data_dir)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "label_studio.core.settings.label_studio"
    return env


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data_dir = tmp_path_factory.mktemp("ls-ssrf")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, LOOPBACK, *BLOCKED.values()],
        env=serve_environment(data_dir),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("surface", SURFACES)
def test_serve_lets_label_studio_reach_the_loopback_ml_backend(verdicts: dict, surface: str) -> None:
    assert verdicts[surface][LOOPBACK] == "accepted"


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("network", BLOCKED)
def test_serve_keeps_private_networks_blocked(verdicts: dict, surface: str, network: str) -> None:
    assert verdicts[surface][BLOCKED[network]].startswith("rejected"), f"{surface} accepts {BLOCKED[network]}"


def test_serve_bans_every_default_range_but_loopback(verdicts: dict) -> None:
    """The banned list is Label Studio's runtime default minus loopback: an upgrade that adds a range bans it too."""
    default = verdicts["default_banned_subnets"]
    assert "10.0.0.0/8" in default and "127.0.0.0/8" in default, default
    banned = [
        ipaddress.ip_network(s) for s in _quiet_env(Path("/nonexistent"))["USER_ADDITIONAL_BANNED_SUBNETS"].split(",")
    ]
    for subnet in default:
        network = ipaddress.ip_network(subnet)
        if network.is_loopback:
            assert not any(b.overlaps(network) for b in banned), subnet
        else:
            assert any(network.subnet_of(b) for b in banned if b.version == network.version), subnet


def test_without_loopback_keeps_every_other_address() -> None:
    assert without_loopback(("127.0.0.0/8", "::1/128", "10.0.0.0/8")) == ("10.0.0.0/8",)
    assert without_loopback(("127.0.0.0/16",)) == ()
    kept = [ipaddress.ip_network(s) for s in without_loopback(("0.0.0.0/0", "::/0"))]
    for address in ("0.0.0.0", "126.255.255.255", "128.0.0.0", "255.255.255.255", "::", "::2", "64:ff9b::a00:1"):
        assert any(ipaddress.ip_address(address) in network for network in kept), address
    for address in ("127.0.0.1", "127.255.255.255", "::1"):
        assert not any(ipaddress.ip_address(address) in network for network in kept), address


def test_a_label_studio_without_the_default_list_stops_serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moved = tmp_path / "io.py"
    moved.write_text("def validate_ip(ip):\n    banned = load_banned_subnets()\n", encoding="utf-8")
    monkeypatch.setattr(server, "_label_studio_source", lambda relative: moved)
    label_studio_default_banned_subnets.cache_clear()
    try:
        with pytest.raises(ServerError, match=r"io\.py: expected a `default_banned_subnets` list"):
            _quiet_env(tmp_path)
    finally:
        label_studio_default_banned_subnets.cache_clear()


def test_inherited_label_studio_variables_cannot_switch_the_checks_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Label Studio prefers LABEL_STUDIO_<name> and HEARTEX_<name> over <name>: none may come from our caller."""
    monkeypatch.setenv("LABEL_STUDIO_ML_BLOCK_LOCAL_IP", "false")
    monkeypatch.setenv("HEARTEX_USE_DEFAULT_BANNED_SUBNETS", "false")
    monkeypatch.setenv("LABEL_STUDIO_SSRF_PROTECTION_ENABLED", "false")
    monkeypatch.setenv("USER_ADDITIONAL_BANNED_SUBNETS", "")
    env = _quiet_env(Path("/nonexistent"))
    for name in ("ML_BLOCK_LOCAL_IP", "USE_DEFAULT_BANNED_SUBNETS", "SSRF_PROTECTION_ENABLED"):
        assert f"LABEL_STUDIO_{name}" not in env and f"HEARTEX_{name}" not in env
    assert env["ML_BLOCK_LOCAL_IP"] == env["SSRF_PROTECTION_ENABLED"] == "true"
    assert "10.0.0.0/8" in env["USER_ADDITIONAL_BANNED_SUBNETS"].split(",")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_a_loopback_bind_prints_no_exposure(host: str) -> None:
    assert network_exposure(host, 8080) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "annotate.example.org"])
def test_a_network_bind_says_what_is_reachable(host: str) -> None:
    line = network_exposure(host, 8080)
    assert line is not None and "\n" not in line
    assert f"{host}:8080" in line and "TLS" in line and "ML backend stays on 127.0.0.1" in line


def test_serve_on_a_network_interface_prints_the_exposure_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fake_start(directory: Path, port: int, host: str, **kwargs: object) -> tuple[None, Running]:
        return None, Running(f"http://{host}:{port}", "token", "admin", port, 4242, directory)

    monkeypatch.setattr(server, "start_server", fake_start)
    args = ["annotate", "serve", "--detach", "--port", "8181", "--data-dir", str(tmp_path)]
    assert main([*args, "--host", "0.0.0.0"]) == 0
    assert capsys.readouterr().out.count("reachable from the network") == 1
    assert main(args) == 0
    assert "reachable from the network" not in capsys.readouterr().out
