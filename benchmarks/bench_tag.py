"""Speed and memory of `fazhi tag` (target: a 100K-character report in <= 10 s with the default model).

Run: ``.venv/bin/python benchmarks/bench_tag.py [--chars 100000] [--model NAME] [--memory-mb 2 20]``.

The report is made of the seed reports' bodies repeated to the requested length (real report text, so the
sentence lengths and the span density are realistic). Each run is a fresh ``fazhi tag`` process, timed from
start to exit (Python start-up, model load and writing the JSONL included). The model is trained first if
needed, outside the timing. ``--memory-mb`` tags inputs of those sizes and prints the peak resident memory of
each run, to show that memory does not grow with the input (it streams in 1 MiB chunks).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fazhi_ner.seeds import load_documents
from fazhi_ner.tagging.models import DEFAULT_TAG_MODEL, get_model

FAZHI = [sys.executable, "-c", "from fazhi_ner.cli import entry_point; entry_point()"]


def make_report(chars: int) -> str:
    bodies = [d.text[d.body_start : d.body_end] for d in load_documents()]
    text, i = "", 0
    while len(text) < chars:
        text += bodies[i % len(bodies)] + "\n"
        i += 1
    cut = text.rfind("\n", 0, chars) + 1 or chars
    return text[:cut]


CPU_SECONDS: list[float] = []


def run(path: Path, model: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `fazhi tag` process (its CPU seconds go to CPU_SECONDS)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*FAZHI, "tag", str(path), "--model", model, "-q", "-o", str(path.with_suffix(".jsonl"))], check=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return seconds, max(after.ru_maxrss, before.ru_maxrss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--model", default=DEFAULT_TAG_MODEL)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-mb", type=float, nargs="*", default=[])
    args = parser.parse_args()
    get_model(args.model, notify=print)  # train once if needed; not timed
    with tempfile.TemporaryDirectory(prefix="bench-tag-") as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(make_report(args.chars), encoding="utf-8")
        times = [run(path, args.model)[0] for _ in range(args.repeat)]
        lines = sum(1 for _ in path.with_suffix(".jsonl").open(encoding="utf-8"))
        best, worst = min(times), max(times)
        print(f"fazhi tag --model {args.model}: {args.chars} characters, {lines} sentences")
        print(f"  wall time over {args.repeat} runs: best {best:.2f} s, worst {worst:.2f} s "
              f"({args.chars / best:,.0f} chars/s); target <= 10 s: {'met' if worst <= 10 else 'NOT met'}")  # fmt: skip
        print(f"  CPU time (all processes, user+sys): best {min(CPU_SECONDS):.2f} s; load average now "
              f"{__import__('os').getloadavg()[0]:.1f} on {__import__('os').cpu_count()} CPUs")  # fmt: skip
        for mb in args.memory_mb:
            big = Path(tmp) / f"big-{mb}.txt"
            big.write_text(make_report(int(mb * 1024 * 1024 / 3)), encoding="utf-8")  # ~3 bytes per CJK char
            seconds, rss = run(big, args.model)
            print(f"  {big.stat().st_size / 2**20:.1f} MiB input: {seconds:.1f} s, peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
