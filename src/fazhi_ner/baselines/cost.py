"""Cost of a baseline, measured in a fresh process so peak memory belongs to that model alone.

``python -m fazhi_ner.baselines.cost NAME --model-dir DIR --out FILE [--gold-dir G] [--seed S]`` trains on
the train split (validation for selection), saves the model to DIR, loads it back, predicts the test split
and writes a JSON record: training seconds, prediction speed (characters/second), model size on disk and
peak resident memory (resource.getrusage of this process and of its children, e.g. ``spacy train``).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_ner.baselines.results import Cost
from fazhi_ner.results import Record


def _folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _own_peak_kib() -> float:
    """This process's peak RSS. VmHWM restarts at exec; ru_maxrss keeps the high-water mark of the process that
    forked us (a large reproduce worker), which would be reported as this benchmark's memory."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


@dataclass(frozen=True)
class Bench(Record):
    """What one benchmark process writes: the cost figures and the trained model's own info."""

    cost: Cost
    info: dict[str, Any]


def measure(name: str, model_dir: Path, *, seed: int = 0, gold_directory: Path | None = None) -> Bench:
    from fazhi_ner.baselines.base import load_model
    from fazhi_ner.baselines.registry import create
    from fazhi_ner.corpus import load_examples

    train = load_examples("train", gold_directory=gold_directory)
    dev = load_examples("validation", gold_directory=gold_directory)
    test = load_examples("test", gold_directory=gold_directory)
    from fazhi_ner.baselines.protocol import with_synthetic

    model = create(name, seed)
    train = with_synthetic(train, model.config.params)  # the main model trains on what its config says
    started = time.perf_counter()
    model.fit(train, dev)
    train_seconds = time.perf_counter() - started
    model.save(model_dir)
    loaded = load_model(model_dir)
    from fazhi_ner.baselines import lac_encoder, lac_features

    # prediction speed on new text: LAC's tags and its encoder's vectors are computed inside the timed
    # prediction, never taken from a cache an earlier task in this worker filled
    lac_features.no_cache()
    lac_encoder.no_cache()
    texts = [ex.text for ex in test]
    loaded.predict(["县司法局开展法治宣传活动12次。"])  # warm-up: lazy imports and model loading are not prediction cost
    started = time.perf_counter()
    loaded.predict(texts)
    predict_seconds = time.perf_counter() - started
    chars = sum(len(t) for t in texts)
    kib = 1024  # ru_maxrss and VmHWM are in KiB on Linux
    own = _own_peak_kib() / kib
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib
    cost = Cost(
        train_seconds=round(train_seconds, 2),
        predict_seconds=round(predict_seconds, 3),
        predict_chars=chars,
        chars_per_second=round(chars / predict_seconds) if predict_seconds > 0 else None,
        model_bytes=_folder_bytes(model_dir),
        peak_rss_mib=round(max(own, children), 1),
        peak_rss_note="max of this process and its children (spaCy trains in a `spacy train` child)",
        train_sentences=len(train),
    )
    return Bench(cost, loaded.info)


def run_in_subprocess(
    name: str, model_dir: Path, out: Path, *, seed: int = 0, gold_directory: Path | None = None
) -> Bench:
    """Run :func:`measure` in a fresh interpreter and return its record."""
    import subprocess

    from fazhi_ner.errors import BaselineError

    command = [
        sys.executable,
        "-m",
        "fazhi_ner.baselines.cost",
        name,
        "--model-dir",
        str(model_dir),
        "--out",
        str(out),
        "--seed",
        str(seed),
    ]
    if gold_directory is not None:
        command += ["--gold", str(gold_directory)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise BaselineError(
            f"benchmark of {name} failed (exit {result.returncode}): {lines[-1] if lines else 'no output'}"
        )
    return Bench.from_file(out)


def main(argv: list[str] | None = None) -> int:
    from fazhi_ner.atomic import atomic_write_text
    from fazhi_ner.errors import FaZhiError

    parser = argparse.ArgumentParser(prog="python -m fazhi_ner.baselines.cost")
    parser.add_argument("name")
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gold", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        record = measure(args.name, args.model_dir, seed=args.seed, gold_directory=args.gold)
    except FaZhiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    atomic_write_text(args.out, record.to_json(sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
