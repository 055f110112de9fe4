"""The pinned CPU-dispatch settings: set by every command before torch loads, whatever the user's shell says."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fazhi_ner.numeric import OPENBLAS, OPENBLAS_CORE, PINNED, has_avx2, pin

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


def test_openblas_gets_its_avx2_kernels_unless_the_environment_chose_already():
    """spaCy trains through numpy's OpenBLAS, whose kernels follow the CPU (SkylakeX on an AVX-512 machine)."""
    env: dict[str, str] = {}
    pin(env)
    assert env.get(OPENBLAS) == (OPENBLAS_CORE if has_avx2() else None)
    kept = {OPENBLAS: "Prescott"}  # a workplace's own choice (some processors need it) is kept
    pin(kept)
    assert kept[OPENBLAS] == "Prescott"


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


RETRAIN = r"""
import dataclasses, hashlib, re, sys, tempfile
from pathlib import Path
from fazhi_ner.numeric import pin
pin()  # what every `fazhi` command does first
from fazhi_ner.baselines.protocol import predict_examples
from fazhi_ner.baselines.registry import create
from fazhi_ner.baselines.weights import sums_text
from fazhi_ner.corpus import load_examples
from fazhi_ner.evaluation.submission import predictions_jsonl
from fazhi_ner.paths import baselines_dir, build_dir

train = load_examples("train")[:240]
dev = load_examples("validation")[:40]
test = load_examples("test")[:120]
scratch = Path(tempfile.mkdtemp())
config = (baselines_dir() / "spacy" / "config.cfg").read_text(encoding="utf-8")
short = build_dir() / "tmp" / "test-numeric-spacy.cfg"  # one path for both runs: meta.json records it
short.parent.mkdir(parents=True, exist_ok=True)
short.write_text(re.sub(r"(?m)^max_steps = .*$", "max_steps = 100", config), encoding="utf-8")
overrides = {
    "spacy": {"config": str(short)},  # an absolute path wins over the project root
    "bilstm": {"max_epochs": 4, "min_epochs": 1, "learning_rate": 0.02},  # enough to predict entities
}
for name, params in overrides.items():
    model = create(name, seed=0)
    model.config = dataclasses.replace(model.config, params={**model.config.params, **params})
    model.fit(train, dev)
    model.save(scratch / name)
    predicted = predictions_jsonl(predict_examples(model, test))
    files = hashlib.sha256(sums_text(scratch / name).encode()).hexdigest()
    print(name, hashlib.sha256(predicted.encode()).hexdigest(), files, predicted.count('"label"'))
"""


def _retrain(env_overrides: dict[str, str]) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in PINNED and k != OPENBLAS}  # the pin decides
    env.update(env_overrides)
    proc = subprocess.run([sys.executable, "-c", RETRAIN], env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip().splitlines()


@pytest.mark.slow
def test_spacy_and_the_bilstm_retrain_to_the_same_bytes_under_two_dispatch_settings():
    """Issue 23: the real baseline classes trained (small: 240 sentences, spaCy 100 steps, BiLSTM 4 epochs) in two
    processes whose shells ask for other kernels give the same predictions and the same saved files, byte for
    byte, because the project pins them (torch's, oneDNN's, MKL's, numpy's SIMD loops; OpenBLAS by the pin's own
    rule). cython-blis and onnxruntime read none of these settings: baselines/weights holds the committed models."""
    scalar = {
        "ATEN_CPU_CAPABILITY": "default",
        "ONEDNN_MAX_CPU_ISA": "SSE41",
        "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
        "NPY_DISABLE_CPU_FEATURES": "AVX2 FMA3",
    }
    first, second = _retrain(scalar), _retrain({})
    assert [line.split()[0] for line in first] == ["spacy", "bilstm"]
    assert all(int(line.split()[3]) > 0 for line in first)  # real models: they predict entities
    assert first == second
