"""Time ``fazhi extract`` on 100 reports of 5,000 characters with the default model (issue 22 target: 60 s).

A benchmark, not a timed test: it prints the figures. The reports are made here from invented sentences (never
published text), each with its own unit and year in the title. The model is trained first if it is not yet
(that time is reported apart and not counted).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

SENTENCES = (
    "县政府常务会议开展会前学法{n}次。",
    "全年受理行政复议案件{n}件,办结{m}件。",
    "县司法局组织行政执法人员培训{n}场次,培训{k}人次。",
    "各级人民调解组织调解纠纷{k}件,调解成功率{p}%。",
    "评查行政执法案卷{n}份,发现问题{m}个并全部整改。",
    "开展“法律进乡村”宣传活动{n}场次,发放宣传资料{k}份。",
    "县人民法院审理行政诉讼案件{n}件,行政机关负责人出庭应诉率{p}%。",
    "全年信访总量同比下降{p}%。",
)


def report(i: int, chars: int, rng: random.Random) -> str:
    lines = [f"青山{i:03d}县{2020 + i % 5}年法治政府建设年度报告", ""]
    size = 0
    while size < chars:
        n, m, k = rng.randint(2, 90), rng.randint(1, 20), rng.randint(100, 9000)
        line = rng.choice(SENTENCES).format(n=n, m=m, k=k, p=round(rng.uniform(80, 99.9), 1))
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    from fazhi_ner.extraction.extract import extract_files
    from fazhi_ner.tagging.models import DEFAULT_TAG_MODEL, get_model

    name = args.model or DEFAULT_TAG_MODEL
    started = time.perf_counter()
    get_model(name)
    print(f"model {name} ready in {time.perf_counter() - started:.1f} s (training on first use, not counted)")
    rng = random.Random(22)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(args.reports):
            path = Path(tmp) / f"report{i:03d}.txt"
            path.write_text(report(i, args.chars, rng), encoding="utf-8")
            files.append(str(path))
        started = time.perf_counter()
        result = extract_files(files, Path(tmp) / "out", model=name, progress=False)
        seconds = time.perf_counter() - started
    chars = args.reports * args.chars
    print(
        f"fazhi extract: {args.reports} reports x {args.chars} characters, model {result.model}: {seconds:.1f} s "
        f"({chars / seconds:,.0f} characters/s), {result.cells} cells, {result.spans} spans (target: 60 s)"
    )


if __name__ == "__main__":
    main()
