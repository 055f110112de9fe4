"""Leave-one-report-out figures of any baseline (default ``lac-tune``) with parameter overrides, written nowhere
(``--save DIR`` keeps the fold predictions where ``fazhi baselines vote --eval-dir DIR`` reads them).

The project's own protocol (fazhi_ner.baselines.protocol: fold sets, synthetic share, the shared decoding
step) and CV summary (pooled strict micro F1), run in this process, so settings can be compared without
touching eval/. Usage::

    PYTHONPATH=src python benchmarks/lodo.py --seeds 0 1 --set epochs=2 --set freeze=layer1
    PYTHONPATH=src python benchmarks/lodo.py --main      # the validation report only (settings)
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

from fazhi_ner.baselines.protocol import Task, TaskResult, fold_sets, main_sets, run_task, summarise_cv
from fazhi_ner.baselines.registry import BASELINE_NAMES
from fazhi_ner.corpus import load_examples
from fazhi_ner.numeric import pin
from fazhi_ner.paths import eval_dir
from fazhi_ner.splits import FOLD_ORDER


def _save(name: str, test_run: TaskResult, results: Sequence[TaskResult], eval_root: Path) -> Path:
    """A submission folder as `fazhi baselines reproduce` writes it, in ``<eval_root>/submissions/<name>/``.

    Copy the other members' folders from eval/submissions beside it, then
    ``fazhi baselines vote --eval-dir <eval_root> --model ...`` votes with this run.
    """
    from fazhi_ner.baselines.registry import create
    from fazhi_ner.baselines.submission import write_submission_folder

    folds = {(int(r.task.key), r.task.seed): r.predictions for r in results}
    return write_submission_folder(create(name).config, test_run.predictions, folds, root=eval_root / "submissions")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="lac-tune", choices=BASELINE_NAMES)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--folds", type=int, nargs="+", default=list(range(len(FOLD_ORDER))))
    parser.add_argument("--set", action="append", default=[], help="param=value (YAML value)")
    parser.add_argument(
        "--save", help="results folder: fold files go to <it>/submissions/<name>/ (for baselines vote --eval-dir)"
    )
    parser.add_argument("--main", action="store_true", help="train on the train split, score the validation report")
    args = parser.parse_args()
    if args.save and Path(args.save).resolve() == eval_dir().resolve():
        parser.error("--save: a scratch folder, not eval/ (its fold files are reproduce's)")
    malformed = [s for s in args.set if "=" not in s]
    if malformed:
        parser.error(f"--set: expected param=value, found {malformed[0]!r}")
    pin()
    params = tuple(sorted((k, yaml.safe_load(v)) for k, v in (s.split("=", 1) for s in args.set)))
    if args.main:
        train, dev = main_sets()
        # settings are chosen here: the validation report is both the selection and the scored set
        for seed in args.seeds:
            r = run_task(Task(args.name, "main", seed, 0, tuple(train), tuple(dev), tuple(dev), params=params))
            print(json.dumps({"seed": seed, "seconds": round(r.seconds, 1), "info": r.info}))
        return
    results = []
    for fold in args.folds:
        train, dev, heldout = fold_sets(fold)
        for seed in args.seeds:
            started = time.perf_counter()
            r = run_task(Task(args.name, "cv", seed, fold, tuple(train), tuple(dev), tuple(heldout), params=params))
            results.append(r)
            print(json.dumps({"fold": fold, "seed": seed, "seconds": round(time.perf_counter() - started, 1),
                              "info": r.info}), flush=True)  # fmt: skip
    summary = summarise_cv(results, None)
    if args.save:
        # the main model on the train split, scored nowhere: a submission needs its test predictions
        train, dev = main_sets()
        test = tuple(load_examples("test"))
        test_run = run_task(Task(args.name, "main", args.seeds[0], 0, tuple(train), tuple(dev), test, params=params))
        _save(args.name, test_run, results, Path(args.save))
    data = summary.to_data()
    print(json.dumps({"params": dict(params), "seeds": args.seeds, "pooled": data["pooled_micro_f1"],
                      "per_label": data["pooled_per_label_f1"],
                      "train_seconds_total": data.get("train_seconds_total")}, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
