"""Leave-one-report-out figures of any baseline (default ``lac-tune``) with parameter overrides, written nowhere
(``--save DIR`` keeps the fold predictions).

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

import yaml

from fazhi_ner.baselines.protocol import Task, fold_sets, main_sets, run_task, summarise_cv
from fazhi_ner.numeric import pin
from fazhi_ner.splits import FOLD_ORDER


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="lac-tune")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--folds", type=int, nargs="+", default=list(range(len(FOLD_ORDER))))
    parser.add_argument("--set", action="append", default=[], help="param=value (YAML value)")
    parser.add_argument("--save", help="write each fold's predictions to this folder")
    parser.add_argument("--main", action="store_true", help="train on the train split, score the validation report")
    args = parser.parse_args()
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
        from pathlib import Path

        out = Path(args.save)
        out.mkdir(parents=True, exist_ok=True)
        for r in results:
            with (out / f"predictions.fold{r.task.key}.seed{r.task.seed}.jsonl").open("w", encoding="utf-8") as fh:
                for ex in r.task.evaluate:
                    spans = [{"start": s.start, "end": s.end, "label": s.label} for s in r.predictions[ex.id]]
                    fh.write(json.dumps({"id": ex.id, "spans": spans}, ensure_ascii=False) + "\n")
    data = summary.to_data()
    print(json.dumps({"params": dict(params), "seeds": args.seeds, "pooled": data["pooled_micro_f1"],
                      "per_label": data["pooled_per_label_f1"],
                      "train_seconds_total": data.get("train_seconds_total")}, ensure_ascii=False))  # fmt: skip

if __name__ == "__main__":
    main()
