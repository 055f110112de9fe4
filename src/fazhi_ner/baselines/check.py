"""`fazhi baselines check`: are eval/baselines.json, eval/BASELINES.md and the submission files one consistent run?

Each failure names its real cause: a hand-edited report, prediction files from another run, or results that
moved against the committed ones by more than the recorded tolerance. The tolerance exists because trained
models are reproducible for a given seed on one CPU build, but floating-point kernels differ between CPUs
(OpenBLAS and oneDNN pick code paths by instruction set), so a retrained neural model may flip a few tags on
another machine. It is written into eval/baselines.json (``protocol.tolerance``) with the results it governs.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from fazhi_ner.errors import StaleError


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise StaleError(f"{path}: missing; run `fazhi baselines reproduce`")
    return json.loads(path.read_text(encoding="utf-8"))


def committed_results(path: Path) -> dict[str, Any] | None:
    """The version of ``path`` in git's HEAD, or None outside a git checkout or when it is not committed."""
    try:
        top = subprocess.run(
            ["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True
        ).stdout.strip()
        rel = path.resolve().relative_to(Path(top).resolve()).as_posix()
        shown = subprocess.run(
            ["git", "-C", top, "show", f"HEAD:{rel}"], capture_output=True, text=True, check=True
        ).stdout
        return json.loads(shown)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None


def _figures(results: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, row in results.get("baselines", {}).items():
        out[f"{name} test micro F1"] = float(row["test"]["micro"]["f1"])
        pooled = row["cross_validation"].get("pooled_micro_f1")
        if pooled:
            out[f"{name} LODO pooled F1"] = float(pooled["mean"])
    return out


def model_tolerance(results: dict[str, Any], name: str) -> float:
    """How far a model's F1 may move on another machine: the recorded floor, or twice its measured seed spread
    (test F1 std over seeds) when that is larger. A model whose seeds alone move it by several points cannot be
    held to the floor across CPUs whose kernels differ; a deterministic one is held to the floor."""
    floor = float(results["protocol"].get("tolerance", 0.0))
    spread = (results.get("baselines", {}).get(name) or {}).get("seed_spread") or {}
    return max(floor, round(2 * float(spread.get("std", 0.0)), 4))


def compare_to_reference(results: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """Figures that moved by more than their model's tolerance (:func:`model_tolerance`)."""
    new, old = _figures(results), _figures(reference)
    problems = []
    for key in sorted(set(new) & set(old)):
        name = key.split(" ", 1)[0]
        tolerance = model_tolerance(results, name)
        if abs(new[key] - old[key]) > tolerance + 1e-12:
            problems.append(f"{key} {old[key]:.4f} -> {new[key]:.4f} (tolerance {tolerance})")
    return problems


def check(eval_root: Path, *, gold_directory: Path | None = None, reference: dict[str, Any] | None = None) -> list[str]:
    """Raise StaleError naming the cause of the first inconsistency; return notes on tolerated differences."""
    from fazhi_ner.baselines.report import markdown
    from fazhi_ner.corpus import load_examples
    from fazhi_ner.evaluation.readers import load_prediction_file
    from fazhi_ner.evaluation.submission import load_submission
    from fazhi_ner.evaluation.summary import cv_summary, score_split

    json_path = eval_root / "baselines.json"
    results = _load(json_path)
    md_path = eval_root / "BASELINES.md"
    if not md_path.is_file() or md_path.read_text(encoding="utf-8") != markdown(results):
        raise StaleError(
            f"{md_path}: differs from what eval/baselines.json generates (edited by hand, or written by another "
            "version of the code); run `fazhi baselines reproduce`"
        )
    test = load_examples("test", gold_directory=gold_directory)
    for name, row in results["baselines"].items():
        sub = load_submission(eval_root / "submissions" / name)
        summary, _ = score_split(test, load_prediction_file(sub.test_file, test).for_scoring())
        if summary["micro"] != row["test"]["micro"] or summary["error_counts"] != row["errors"]["counts"]:
            raise StaleError(
                f"{sub.test_file}: scores {summary['micro']['f1']:.4f} (errors {summary['error_counts']}) but "
                f"eval/baselines.json records {row['test']['micro']['f1']:.4f} (errors {row['errors']['counts']}): "
                "the predictions and the results come from different runs (or the test gold changed); "
                "run `fazhi baselines reproduce`"
            )
        by_seed = sub.fold_files_by_seed()
        folds = sorted({k for files in by_seed.values() for k in files})
        heldout = {k: load_examples(fold=k, gold_directory=gold_directory) for k in folds}
        runs = {
            s: {k: load_prediction_file(p, heldout[k]).for_scoring() for k, p in files.items()}
            for s, files in by_seed.items()
        }
        cv = cv_summary(heldout, runs) if runs else None
        recorded = row["cross_validation"]
        if cv is None or cv["pooled_micro_f1"] != recorded["pooled_micro_f1"]:
            found = cv["pooled_micro_f1"]["mean"] if cv else "no fold files"
            raise StaleError(
                f"{sub.folder}: fold predictions give LODO pooled F1 {found} but eval/baselines.json records "
                f"{recorded['pooled_micro_f1']['mean']}: they come from different runs; run `fazhi baselines reproduce`"
            )
    from fazhi_ner.baselines.reproduce import study_rows

    if results.get("synthetic_study", []) != study_rows(eval_root):
        raise StaleError(
            f"{json_path}: its synthetic-share rows differ from eval/synthetic_study.json (the study was rerun after "
            "the baselines); run `fazhi baselines report` (no training: it copies them and rewrites BASELINES.md)"
        )
    from fazhi_ner.baselines.variants import check_votes  # issue 12 item 7: votes follow from the fold files

    check_votes(results, eval_root / "submissions", gold_directory)
    notes: list[str] = []
    if reference is not None and reference != results:
        moved = compare_to_reference(results, reference)
        if moved:
            raise StaleError(
                f"{json_path}: results moved beyond the recorded tolerance against the committed version: "
                + "; ".join(moved)
            )
        notes.append(
            f"{json_path}: differs from the committed version only in timing fields or within the recorded tolerance "
            f"({results['protocol'].get('tolerance', 0.0)})"
        )
    return notes
