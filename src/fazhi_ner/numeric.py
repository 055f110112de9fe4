"""Pinned numeric code paths: the CPU-dispatch settings every project command runs under.

Why: the same seed trained the BiLSTM and spaCy to other predictions on an AVX-512 machine than on the
AVX2 machines the committed results come from, because torch, oneDNN and MKL pick their kernels by
instruction set. These settings must be in the environment before torch is first imported, so the CLI sets
them first thing (and worker and spaCy subprocesses inherit them); they override a user's shell, so the
project's numbers do not depend on it.

Checked on this project's machines (AMD EPYC, AVX2): ``ATEN_CPU_CAPABILITY`` and ``ONEDNN_MAX_CPU_ISA`` change a
BiLSTM's outputs (``default`` / ``SSE41`` against ``avx2``), so pinning them to AVX2 makes an AVX-512 machine use
the AVX2 kernels. Not pinnable from here: cython-blis (spaCy's matrix products) ignores ``BLIS_ARCH_TYPE`` in its
PyPI build, and onnxruntime (LAC's encoder) has no switch for its kernels; those paths may still differ on
another instruction set, which is why ``fazhi baselines check --against-committed`` allows each model its seed
spread. ``OPENBLAS_CORETYPE`` is left alone: this workplace sets it on some processors to avoid wrong results.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

PINNED: Mapping[str, str] = {
    "ATEN_CPU_CAPABILITY": "avx2",  # torch's vectorised kernels
    "ONEDNN_MAX_CPU_ISA": "AVX2",  # oneDNN (torch's LSTM and linear layers on CPU)
    "MKL_CBWR": "AVX2",  # MKL's conditional numerical reproducibility
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "OMP_NUM_THREADS": "1",  # one thread per process: the reduction order stays fixed
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
}


def pin(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Set the pinned values in ``environ`` (default ``os.environ``); returns the values that were different."""
    target = os.environ if environ is None else environ
    changed = {key: target.get(key, "") for key, value in PINNED.items() if target.get(key) != value}
    target.update(PINNED)
    return changed
