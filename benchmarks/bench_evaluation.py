"""Speed benchmark of the evaluation harness (not a test): full report vs plain seqeval on the same input.

    .venv/bin/python benchmarks/bench_evaluation.py [--sentences 100000] [--resamples 1000]

Each measurement runs in a fresh process; it prints wall time and peak memory above the process's
resident size before the measured call (ru_maxrss - VmRSS).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import time
import warnings

from fazhi_ner.corpus import Example
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.sentences import Sentence
from fazhi_ner.spans import Span

CHARS = "县司法局开展会前学法次合格率推进改革政府常务会议审议依法行政执法监督"


def synthetic(n: int, seed: int = 0) -> tuple[list[Example], dict[str, list[Span]]]:
    """n sentences of 20-60 characters with ~2 gold spans each, and a noisy prediction for each."""
    rng = random.Random(seed)
    examples, predictions = [], {}
    for i in range(n):
        length = rng.randint(20, 60)
        text = "".join(rng.choice(CHARS) for _ in range(length))
        gold, pred, pos = [], [], 0
        while True:
            pos += rng.randint(1, 12)
            width = rng.randint(2, 8)
            if pos + width > length:
                break
            label = rng.choice(LABEL_NAMES)
            gold.append(Span(pos, pos + width, label, text[pos : pos + width]))
            r = rng.random()
            if r < 0.7:
                pred.append(Span(pos, pos + width, label))
            elif r < 0.8:
                pred.append(Span(pos, pos + width - 1, label))
            elif r < 0.9:
                pred.append(Span(pos, pos + width, rng.choice(LABEL_NAMES)))
            pos += width
        doc = f"doc{i // 500:04d}"
        sid = f"{doc}-{i % 500:04d}"
        examples.append(Example(Sentence(sid, doc, i % 500, 0, length, text), tuple(gold)))
        predictions[sid] = pred
    return examples, predictions


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _run(kind: str, n: int, resamples: int, queue: mp.Queue) -> None:
    warnings.simplefilter("ignore")
    examples, predictions = synthetic(n)
    if kind == "seqeval":
        from seqeval.metrics import classification_report
        from seqeval.scheme import IOB2

        from fazhi_ner.spans import spans_to_tags

        y_true = [ex.tags() for ex in examples]
        y_pred = [spans_to_tags(predictions[ex.id], len(ex.text)) for ex in examples]
        base = _rss_kb()
        start = time.perf_counter()
        classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    else:
        import seqeval.metrics  # noqa: F401 - same imports loaded as for plain seqeval (not called: tests cross-check)

        from fazhi_ner.evaluation.harness import evaluate

        base = _rss_kb()
        start = time.perf_counter()
        evaluate(examples, predictions, bootstrap=resamples, seed=0)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, max(0, peak - base) / 1024))


def measure(kind: str, n: int, resamples: int) -> tuple[float, float]:
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_run, args=(kind, n, resamples, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    print(f"{args.sentences} synthetic sentences, {args.resamples} bootstrap resamples")
    for kind, title in (
        ("seqeval", "plain seqeval classification_report (strict, IOB2)"),
        ("full", "full report (one pass: strict + partial + errors + documents + bootstrap)"),
    ):
        seconds, mb = measure(kind, args.sentences, args.resamples)
        print(f"{title:<66} {seconds:8.2f} s  peak +{mb:8.1f} MB")


if __name__ == "__main__":
    main()
