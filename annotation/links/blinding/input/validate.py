"""Check filled batch files: python3 validate.py out/batch1.tsv out/batch2.tsv"""
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent
METRICS = {m["id"] for m in yaml.safe_load((HERE / "metrics.yaml").read_text(encoding="utf-8"))["metrics"]} | {"other"}
BODIES = {b["id"] for b in yaml.safe_load((HERE / "body_types.yaml").read_text(encoding="utf-8"))["body_types"]}
bad = 0
for name in sys.argv[1:]:
    path = Path(name)
    original = (HERE / path.name).read_text(encoding="utf-8").splitlines()
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(original):
        print(f"{path}: {len(lines)} lines, expected {len(original)}"); bad += 1; continue
    for number, (line, orig) in enumerate(zip(lines[1:], original[1:]), start=2):
        cells = line.split("\t")
        if len(cells) != 6:
            print(f"{path}:{number}: expected 6 tab-separated cells, found {len(cells)}"); bad += 1; continue
        if cells[:4] != orig.split("\t")[:4]:
            print(f"{path}:{number}: the first four cells must not change"); bad += 1
        label, link, reason = cells[1], cells[4], cells[5]
        allowed = METRICS if label == "INDICATOR" else BODIES
        if link not in allowed:
            print(f"{path}:{number}: link {link!r} is not a {'metric id' if label == 'INDICATOR' else 'body type'}"); bad += 1
        elif link == "other" and not reason.strip():
            print(f"{path}:{number}: link 'other' needs a reason"); bad += 1
print("ok" if not bad else f"{bad} problem(s)")
sys.exit(1 if bad else 0)
