"""Committed weights of the models whose numeric code paths cannot all be pinned (issue 23).

Why: ``fazhi_ner.numeric`` pins torch's, oneDNN's, MKL's, numpy's and OpenBLAS's kernels (under which spaCy and
the BiLSTM retrained on an AVX-512 machine gave the committed AVX2 predictions byte for byte), but not cython-blis
(spaCy's matrix products) nor onnxruntime (LAC's encoder, read by the BiLSTM), so retraining spaCy or the BiLSTM
on another CPU may still give other weights. The leaderboard's test predictions of these models therefore
come with the model folders that produced them (``baselines/weights/<name>/``, exactly as ``Baseline.save``
writes them) and a ``SHA256SUMS`` file (``sha256sum -c`` reads it too). :func:`check` verifies the sums and
predicts the test split with each committed model, so anyone can get the committed ``predictions.jsonl`` back
without retraining. ``fazhi baselines reproduce`` refreshes the folder whenever it retrains these models.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

from fazhi_ner.atomic import atomic_directory, atomic_write_text
from fazhi_ner.baselines.base import META_FILE
from fazhi_ner.errors import BaselineError, StaleError
from fazhi_ner.paths import baselines_dir

WEIGHTED: tuple[str, ...] = ("spacy", "bilstm")  # trained through code paths fazhi_ner.numeric cannot pin
SUMS = "SHA256SUMS"


def weights_dir() -> Path:
    return baselines_dir() / "weights"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sums_text(root: Path) -> str:
    """``<sha256>  <path>`` per file under ``root`` (paths relative to it, sorted), the sums file excluded."""
    lines = [
        f"{_sha256(p)}  {p.relative_to(root).as_posix()}" for p in _files(root) if p.name != SUMS or p.parent != root
    ]
    return "".join(line + "\n" for line in lines)


def refresh(names: Sequence[str], models_root: Path, root: Path | None = None) -> list[str]:
    """Copy the trained models of ``names`` that are in :data:`WEIGHTED` from the model cache into ``root``
    (default ``baselines/weights``) and rewrite ``SHA256SUMS``; returns the names copied."""
    from fazhi_ner.baselines.protocol import model_dir

    root = root or weights_dir()
    copied = [name for name in names if name in WEIGHTED]
    for name in copied:  # every source first: a missing model must not replace committed weights with nothing
        source = model_dir(name, root=models_root)
        if not (source / META_FILE).is_file():
            raise BaselineError(
                f"{source}: no trained {name!r} model here ({META_FILE} missing); nothing copied. Train it with "
                f"`fazhi baselines train {name}` or name the folder that holds it with --models-dir"
            )
    for name in copied:
        source = model_dir(name, root=models_root)
        with atomic_directory(root / name) as staging:
            for path in _files(source):
                target = staging / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    if copied:
        atomic_write_text(root / SUMS, sums_text(root))
    return copied


def verify_sums(root: Path | None = None) -> None:
    """Raise StaleError naming the first file that is missing, unlisted or whose sha256 differs from SHA256SUMS."""
    root = root or weights_dir()
    sums = root / SUMS
    if not sums.is_file():
        raise StaleError(f"{sums}: missing; run `fazhi baselines reproduce` (or `fazhi baselines weights`)")
    recorded: dict[str, str] = {}
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise StaleError(f"{sums}:{number}: expected `<sha256>  <path>`, found {line!r}")
        recorded[name] = digest
    for name in WEIGHTED:
        if not (root / name).is_dir():
            raise StaleError(f"{root / name}: committed weights of {name!r} missing")
    present = {p.relative_to(root).as_posix(): p for p in _files(root) if p != sums}
    for name in sorted(set(recorded) | set(present)):
        if name not in present:
            raise StaleError(f"{root / name}: listed in {sums} but missing")
        if name not in recorded:
            raise StaleError(f"{root / name}: not listed in {sums} (a file added by hand?)")
        found = _sha256(present[name])
        if found != recorded[name]:
            raise StaleError(f"{root / name}: sha256 expected {recorded[name]} (from {sums}), found {found}")


def check(root: Path | None = None, *, eval_root: Path | None = None, gold_directory: Path | None = None) -> list[str]:
    """Verify the sums, then predict the test split with each committed model and compare the result with its
    committed ``predictions.jsonl`` byte for byte; returns one note per model."""
    from fazhi_ner.baselines.base import load_model
    from fazhi_ner.baselines.protocol import predict_examples, require_examples
    from fazhi_ner.corpus import load_examples
    from fazhi_ner.evaluation.submission import TEST_FILE, predictions_jsonl
    from fazhi_ner.paths import eval_dir

    root = root or weights_dir()
    verify_sums(root)
    test = require_examples(load_examples("test", gold_directory=gold_directory), "the test split")
    notes = []
    for name in WEIGHTED:
        committed = (eval_root or eval_dir()) / "submissions" / name / TEST_FILE
        model = load_model(root / name)
        if model.name != name:
            raise StaleError(f"{root / name}: holds a {model.name!r} model, expected {name!r}")
        predicted = predictions_jsonl(predict_examples(model, test))
        if not committed.is_file() or committed.read_text(encoding="utf-8") != predicted:
            raise StaleError(
                f"{committed}: differs from what the committed weights {root / name} predict for the test split "
                "(the weights and the predictions come from different runs, or this CPU computes differently); "
                "run `fazhi baselines reproduce`"
            )
        notes.append(f"{name}: {root / name} reproduces {committed} ({len(test)} sentences)")
    return notes


def after_reproduce(names: Sequence[str], models_root: Path, eval_root: Path) -> list[str]:
    """``fazhi baselines reproduce``'s step: it has just written the test predictions of ``names`` from the models
    in ``models_root``; copy those of :data:`WEIGHTED`. Results written elsewhere than the project's eval/ (a test,
    ``--eval-dir``) get their weights beside them (``<eval_root>/weights``), never the committed folder."""
    from fazhi_ner.paths import eval_dir

    same = eval_root.resolve() == eval_dir().resolve()
    return refresh(names, models_root, None if same else eval_root / "weights")
