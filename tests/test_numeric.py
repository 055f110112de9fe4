"""The pinned CPU-dispatch settings: set by every command before torch loads, whatever the user's shell says."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fazhi_ner.numeric import PINNED, pin

SCRIPT = r"""
import hashlib, torch
torch.manual_seed(0)
torch.set_num_threads(1)
lstm = torch.nn.LSTM(64, 32, bidirectional=True, batch_first=True)
out, _ = lstm(torch.randn(4, 30, 64))
print(torch.backends.cpu.get_cpu_capability(), hashlib.sha256(out.detach().numpy().tobytes()).hexdigest())
"""


def test_pin_overrides_a_users_settings():
    env = {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41", "HOME": "/x"}
    changed = pin(env)
    assert env["ATEN_CPU_CAPABILITY"] == "avx2" and env["ONEDNN_MAX_CPU_ISA"] == "AVX2" and env["HOME"] == "/x"
    assert changed["ATEN_CPU_CAPABILITY"] == "default" and set(PINNED) <= set(env)
    assert pin(env) == {}  # idempotent


def _run(env_overrides: dict[str, str], pinned: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k not in PINNED}
    env.update(env_overrides)
    code = ("from fazhi_ner.numeric import pin; pin()\n" if pinned else "") + SCRIPT
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-1000:]
    return proc.stdout.strip()


@pytest.mark.slow
def test_two_cpu_dispatch_settings_give_one_result_once_pinned():
    """Unpinned, torch's kernel choice changes a BiLSTM's outputs; pinned, a shell asking for other kernels
    (as an AVX-512 machine's default would) gets the same bytes."""
    scalar = {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41"}
    assert _run(scalar, pinned=False) != _run({}, pinned=False)  # the knobs matter on this machine
    assert _run(scalar, pinned=True) == _run({}, pinned=True)
    assert _run({}, pinned=True).startswith("AVX2")
