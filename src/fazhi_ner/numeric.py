"""Pinned numeric code paths: the CPU-dispatch settings every project command runs under.

Why: the same seed trained the BiLSTM and spaCy to other predictions on an AVX-512 machine than on the
AVX2 machines the committed results come from, because torch, oneDNN, MKL and OpenBLAS pick their kernels by
instruction set. These settings must be in the environment before torch or numpy is first imported, so the CLI
sets them first thing (and worker and spaCy subprocesses inherit them); they override a user's shell, so the
project's numbers do not depend on it.

Checked on this project's machines (AMD EPYC, AVX2): ``ATEN_CPU_CAPABILITY`` and ``ONEDNN_MAX_CPU_ISA`` change a
BiLSTM's outputs (``default`` / ``SSE41`` against ``avx2``), so pinning them to AVX2 makes an AVX-512 machine use
the AVX2 kernels. Checked on an AVX-512 machine (AMD EPYC; numpy 2.2.6, whose OpenBLAS 0.3.29 picks its
SkylakeX kernels there): spaCy retrained with the torch pins alone gave 47 other test lines than the committed
AVX2 run; with ``OPENBLAS_CORETYPE=Haswell`` alone 52, with ``NPY_DISABLE_CPU_FEATURES`` (numpy's AVX-512 loops)
alone 47; with both it gave the committed file byte for byte. The BiLSTM gave it with and without these two.
``OPENBLAS_CORETYPE`` is set only on a CPU with AVX2, and only when the environment does not set it already: some
workplaces set it on processors where the default kernels give wrong results, and their value is kept (spaCy
may then differ). Not pinnable from here: cython-blis ignores
``BLIS_ARCH_TYPE`` in its PyPI build, and onnxruntime (LAC's encoder) has no switch for its kernels; those paths
may still differ on other CPUs, which is why spaCy's and the BiLSTM's trained models are committed
(``fazhi_ner.baselines.weights``) and ``fazhi baselines check --against-committed`` allows each model its seed
spread.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PINNED: Mapping[str, str] = {
    "ATEN_CPU_CAPABILITY": "avx2",  # torch's vectorised kernels
    "ONEDNN_MAX_CPU_ISA": "AVX2",  # oneDNN (torch's LSTM and linear layers on CPU)
    "MKL_CBWR": "AVX2",  # MKL's conditional numerical reproducibility
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "OMP_NUM_THREADS": "1",  # one thread per process: the reduction order stays fixed
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
    # numpy's own SIMD loops (spaCy's training): the AVX-512 targets of numpy 2.2's dispatch list, so an AVX-512
    # machine runs the AVX2 ones (no effect on a CPU without AVX-512; a newer numpy ignores names it lacks, warning)
    "NPY_DISABLE_CPU_FEATURES": "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL",
}
OPENBLAS, OPENBLAS_CORE = "OPENBLAS_CORETYPE", "Haswell"  # numpy's OpenBLAS (spaCy's training): its AVX2 kernels


def pin(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Set the pinned values in ``environ`` (default ``os.environ``); returns the values that were different."""
    target = os.environ if environ is None else environ
    changed = {key: target.get(key, "") for key, value in PINNED.items() if target.get(key) != value}
    target.update(PINNED)
    if OPENBLAS not in target and has_avx2():
        changed[OPENBLAS] = ""
        target[OPENBLAS] = OPENBLAS_CORE
    return changed


def has_avx2() -> bool:
    """Whether this CPU can run OpenBLAS's Haswell kernels (read on Linux; elsewhere OpenBLAS keeps its choice)."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    flags = next((line for line in lines if line.startswith("flags")), "")
    return "avx2" in flags.split()
