"""Speed of the link baseline (not a test): train on the link gold, then link many spans.

    .venv/bin/python benchmarks/bench_links.py [--copies 50]

Links every INDICATOR/AGENCY gold span of the five reports ``--copies`` times (a stand-in for a large
batch of tagged reports) and prints wall times for training and linking.
"""

from __future__ import annotations

import argparse
import time

from fazhi_ner.links.linker import default_model, link_spans
from fazhi_ner.links.store import load_links
from fazhi_ner.seeds import documents_by_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    args = parser.parse_args()
    docs, links = documents_by_id(), load_links("gold")
    began = time.perf_counter()
    model = default_model()
    trained = time.perf_counter() - began
    began = time.perf_counter()
    n = 0
    for _ in range(args.copies):
        for doc_id, records in links.items():
            n += len(link_spans(docs[doc_id].text, records, model=model))
    linked = time.perf_counter() - began
    print(f"train: {trained:.2f} s; link {n} spans: {linked:.2f} s ({n / linked:,.0f} spans/s)")


if __name__ == "__main__":
    main()
