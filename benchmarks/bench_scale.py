"""Scale benchmark: build, pre-annotation, export and evaluation at 1x, 10x and 100x the corpus.

The corpus is synthetic (`benchmarks/synthetic_corpus.py`: real sentences and their spans recombined,
seeded), from the human gold when ``annotation/gold`` has files, else from the first-pass export.
Every (size, stage) runs in its own subprocess, so the peak resident memory (``ru_maxrss``) of one
stage is not hidden by another; ``base`` is the process's peak after imports, ``delta`` what the
stage added on top. Work files go to ``build/bench-scale/`` (git-ignored).

    .venv/bin/python benchmarks/bench_scale.py                 # 1x 10x 100x, prints the table
    .venv/bin/python benchmarks/bench_scale.py --sizes 1 10    # quicker

Stages:
  build-memory  the committed builder's path: all rows in memory (config_rows) + write_parquet
  build-stream  documents generated lazily -> rows -> batched ParquetWriter (stream_tree)
  rules-loop    the rule pre-annotator over every document, one at a time (pure function)
  rules-map     the same through datasets.Dataset.map(num_proc=2) over the sentences Parquet
  export        CoNLL + JSONL, written document by document
  evaluate      harness.evaluate (strict seqeval, partial, 1000 bootstrap resamples) of the rule
                predictions (from rules-map) against the synthetic gold
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

STAGES = ("build-memory", "build-stream", "rules-loop", "rules-map", "export", "evaluate")
SEED = 0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _work(size: int) -> Path:
    from fazhi_ner.paths import build_dir

    return build_dir() / "bench-scale" / f"x{size}"


def _sources():
    import synthetic_corpus as synthetic  # benchmarks/synthetic_corpus.py (not in the package)

    name, spans = synthetic.default_source()
    return name, synthetic.source_sentences(spans)


def _gold_documents(sources, size: int):
    import synthetic_corpus as synthetic  # benchmarks/synthetic_corpus.py (not in the package)

    for synth in synthetic.scaled(sources, size, seed=SEED):
        yield synthetic.gold_document(synth)


def stage_build_memory(sources, size: int) -> dict[str, object]:
    from fazhi_ner.atomic import atomic_directory
    from fazhi_ner.dataset.build import write_parquet
    from fazhi_ner.dataset.rows import Corpus, config_rows, default_reader

    out = _work(size) / "dataset-memory"
    began = time.perf_counter()
    corpus = Corpus(tuple(_gold_documents(sources, size)), out)
    rows = config_rows(corpus, default_reader())
    with atomic_directory(out) as staging:
        for config, splits in rows.items():
            for split, data in splits.items():
                if data:
                    write_parquet(data, config, staging / f"data/{config}/{split}.parquet")
    n = sum(len(d) for d in rows["sentences"].values())
    return {"seconds": time.perf_counter() - began, "sentences": n}


def stage_build_stream(sources, size: int) -> dict[str, object]:
    from fazhi_ner.atomic import atomic_directory
    from fazhi_ner.dataset.build import stream_tree
    from fazhi_ner.dataset.rows import default_reader

    out = _work(size) / "dataset"
    began = time.perf_counter()
    with atomic_directory(out) as staging:
        counts = stream_tree(_gold_documents(sources, size), staging, default_reader())
    return {"seconds": time.perf_counter() - began, "sentences": sum(counts["sentences"].values())}


def stage_rules_loop(sources, size: int) -> dict[str, object]:
    import synthetic_corpus as synthetic  # benchmarks/synthetic_corpus.py (not in the package)

    from fazhi_ner.rules import annotate_document

    began = time.perf_counter()
    n = 0
    for synth in synthetic.scaled(sources, size, seed=SEED):
        n += len(annotate_document(synth.doc))
    return {"seconds": time.perf_counter() - began, "spans": n}


def _annotate_batch(batch: dict[str, list]) -> dict[str, list]:
    """Pure: sentence texts in, rule spans out (what a Spark UDF or Ray map_batches would call)."""
    from fazhi_ner.rules import annotate

    out = []
    for text in batch["text"]:
        out.append([{"start": s.start, "end": s.end, "label": s.label} for s in annotate(text)])
    return {"pred_spans": out}


def stage_rules_map(sources, size: int) -> dict[str, object]:
    import datasets

    datasets.disable_progress_bars()
    work = _work(size)
    files = sorted(str(p) for p in (work / "dataset" / "data" / "sentences").glob("*.parquet"))
    cache = work / "hf-cache"
    shutil.rmtree(cache, ignore_errors=True)
    began = time.perf_counter()
    ds = datasets.Dataset.from_parquet(files, cache_dir=str(cache), columns=["id", "text"])
    mapped = ds.map(_annotate_batch, batched=True, batch_size=1000, num_proc=2, remove_columns=["text"])
    mapped.to_parquet(str(work / "predictions.parquet"))
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "sentences": len(mapped)}


def stage_export(sources, size: int) -> dict[str, object]:
    from fazhi_ner.dataset.export import export_documents, to_conll, to_jsonl
    from fazhi_ner.dataset.rows import Corpus

    work = _work(size) / "exports"
    work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    conll_tmp, jsonl_tmp = work / ".all.conll.tmp", work / ".all.jsonl.tmp"
    with open(conll_tmp, "w", encoding="utf-8") as conll, open(jsonl_tmp, "w", encoding="utf-8") as jsonl:
        for gd in _gold_documents(sources, size):
            docs = export_documents(Corpus((gd,), work), "all")
            conll.write(to_conll(docs))
            jsonl.write(to_jsonl(docs))
    os.replace(conll_tmp, work / "all.conll")
    os.replace(jsonl_tmp, work / "all.jsonl")
    size_mb = ((work / "all.conll").stat().st_size + (work / "all.jsonl").stat().st_size) / 2**20
    return {"seconds": time.perf_counter() - began, "mb_written": round(size_mb, 1)}


def stage_evaluate(sources, size: int) -> dict[str, object]:
    import pyarrow.parquet as pq

    from fazhi_ner.corpus import Example
    from fazhi_ner.evaluation.harness import evaluate
    from fazhi_ner.spans import Span

    examples = [Example(gs.sentence, gs.spans) for gd in _gold_documents(sources, size) for gs in gd.sentences]
    table = pq.read_table(_work(size) / "predictions.parquet").to_pylist()
    predictions = {row["id"]: [Span(s["start"], s["end"], s["label"]) for s in row["pred_spans"]] for row in table}
    began = time.perf_counter()
    result = evaluate(examples, predictions, bootstrap=1000, seed=0)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "sentences": result.sentences, "micro_f1": round(result.micro_f1, 4)}


def worker(size: int, stage: str) -> dict[str, object]:
    import datasets  # noqa: F401 - imported before the baseline so every stage pays the same import cost
    import pyarrow.parquet  # noqa: F401

    import fazhi_ner.evaluation.harness  # noqa: F401
    import fazhi_ner.rules  # noqa: F401

    name, sources = _sources()
    base = _rss_mb()
    result = globals()[f"stage_{stage.replace('-', '_')}"](sources, size)
    peak = _rss_mb()
    return {"size": size, "stage": stage, "source": name, "base_mb": base, "peak_mb": peak, **result}


def run(sizes: list[int], stages: list[str]) -> list[dict[str, object]]:
    results = []
    for size in sizes:
        for stage in stages:
            proc = subprocess.run(
                [sys.executable, __file__, "--worker", str(size), "--stage", stage],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise SystemExit(f"x{size} {stage} failed:\n{proc.stderr[-3000:]}")
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(row)
            print(
                f"x{size:<4} {stage:<13} {row['seconds']:8.2f} s  peak {row['peak_mb']:7.0f} MB "
                f"(+{row['peak_mb'] - row['base_mb']:.0f})",
                file=sys.stderr,
                flush=True,
            )
    return results


def table(results: list[dict[str, object]], sizes: list[int]) -> str:
    by = {(r["stage"], r["size"]): r for r in results}
    stages = [s for s in STAGES if any((s, n) in by for n in sizes)]
    head = ["stage"] + [f"x{n} s" for n in sizes] + [f"x{n} peak MB (+stage)" for n in sizes]
    ratios = [f"time x{b}/x{a}" for a, b in zip(sizes, sizes[1:], strict=False)]
    ratios += [f"+MB x{b}/x{a}" for a, b in zip(sizes, sizes[1:], strict=False)]
    lines = ["| " + " | ".join(head + ratios) + " |", "|" + "---|" * (len(head) + len(ratios))]
    for stage in stages:
        cells = [stage]
        cells += [f"{by[(stage, n)]['seconds']:.2f}" for n in sizes]
        cells += [
            f"{by[(stage, n)]['peak_mb']:.0f} (+{by[(stage, n)]['peak_mb'] - by[(stage, n)]['base_mb']:.0f})"
            for n in sizes
        ]
        for a, b in zip(sizes, sizes[1:], strict=False):
            cells.append(f"{by[(stage, b)]['seconds'] / max(by[(stage, a)]['seconds'], 1e-9):.1f}")
        for a, b in zip(sizes, sizes[1:], strict=False):
            da = max(by[(stage, a)]["peak_mb"] - by[(stage, a)]["base_mb"], 1.0)
            db = max(by[(stage, b)]["peak_mb"] - by[(stage, b)]["base_mb"], 1.0)
            cells.append(f"{db / da:.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="Also write the raw results here.")
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.stage)))
        return
    results = run(args.sizes, args.stages)
    by = {(r["stage"], r["size"]): r for r in results}
    print(f"source: {results[0]['source']}; synthetic seed {SEED}; one subprocess per size and stage")
    for n in args.sizes:
        r = by.get(("build-stream", n)) or by.get(("build-memory", n))
        if r:
            print(f"x{n}: {r['sentences']} sentences")
    print(table(results, args.sizes))
    extra = [r for r in results if "micro_f1" in r or "mb_written" in r]
    for r in extra:
        print(f"x{r['size']} {r['stage']}: " + ", ".join(f"{k}={r[k]}" for k in ("micro_f1", "mb_written") if k in r))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
