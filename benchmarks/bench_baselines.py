"""Cost benchmark of the baselines: training time, prediction speed, model size, peak memory.

Run: ``.venv/bin/python benchmarks/bench_baselines.py [NAME ...] [--gold-dir DIR]``. Each baseline is
measured in a fresh process (same code as ``fazhi baselines benchmark``) and a Markdown table is printed.
"""

from __future__ import annotations

import sys

from fazhi_ner.cli import main

if __name__ == "__main__":
    sys.exit(main(["baselines", "benchmark", *sys.argv[1:]]))
