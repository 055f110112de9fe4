"""Submissions, the generated leaderboard files, --check and the page in a real headless browser."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from fazhi_ner.cli import main
from fazhi_ner.corpus import fingerprint, load_examples
from fazhi_ner.errors import StaleError, SubmissionError
from fazhi_ner.evaluation import leaderboard as lb
from fazhi_ner.evaluation.submission import load_submission
from test_eval_helpers import noisy, provisional_gold, spans_rows, write_jsonl

META = "system: {name}\ndescription: test system\ntype: {type}\ntraining_data: [FaZhi-NER train]\nlink: https://example.org/{name}\ndate: 2026-11-23\n"
CHROMIUM = Path("/usr/bin/chromium")


def _submission(root: Path, name: str, predictions: dict, type_: str = "rules") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "submission.yaml").write_text(META.format(name=name, type=type_), encoding="utf-8")
    write_jsonl(folder / "predictions.jsonl", spans_rows(predictions))
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("lb")
    gold = provisional_gold(base / "gold")
    test = load_examples("test", gold_directory=gold)
    subs = base / "submissions"
    _submission(subs, "perfect", {ex.id: list(ex.spans) for ex in test}, "human")
    folder = _submission(subs, "noisy", noisy(test), "neural")
    held = load_examples(fold=0, gold_directory=gold)
    write_jsonl(folder / "predictions.fold0.jsonl", spans_rows({ex.id: list(ex.spans) for ex in held}))
    agreement = base / "agreement.json"  # the committed agreement with other figures: a complete record
    from dataclasses import replace

    from fazhi_ner.agreement_results import Estimate, read_agreement

    committed = read_agreement(Path(__file__).resolve().parents[1] / "annotation" / "agreement.json")
    strict = replace(committed.strict, micro=Estimate(0.8, (0.7, 0.9)))
    agreement.write_text(replace(committed, strict=strict, docs=["jianghai-2022"]).to_json(), encoding="utf-8")
    return {"gold": gold, "subs": subs, "agreement": agreement, "test": test, "base": base}


def test_build_is_sorted_and_deterministic(world: dict, tmp_path: Path) -> None:
    board = lb.build(world["subs"], gold_directory=world["gold"], agreement=world["agreement"])
    assert [r.name for r in board.systems] == ["perfect", "noisy"] and [r.rank for r in board.systems] == [1, 2]
    assert board.systems[0].micro.f1 == 1.0 and board.test_fingerprint == fingerprint(world["test"])
    cv = board.systems[1].cv
    assert [(f.heldout, f.micro_f1.mean) for f in cv.folds] == [("gaotai-2022", 1.0)]
    assert cv.pooled.mean == 1.0 and cv.seeds == [0]
    assert board.human_ceiling.micro.ci == [0.7, 0.9] and "ceiling" in board.human_ceiling.system
    lb.write(board, tmp_path)
    first = {n: (tmp_path / n).read_bytes() for n in lb.FILES}
    lb.write(lb.build(world["subs"], gold_directory=world["gold"], agreement=world["agreement"]), tmp_path)
    assert first == {n: (tmp_path / n).read_bytes() for n in lb.FILES}
    md = first["LEADERBOARD.md"].decode()
    assert md.index("[perfect]") < md.index("[noisy]") and board.test_fingerprint in md and "ceiling" in md
    html = first["leaderboard.html"].decode()
    assert "<svg" in html and not re.search(r"(src|href)=\"https?://(?!example\.org)", html)
    lb.check(board, tmp_path)
    (tmp_path / "LEADERBOARD.md").write_text("edited", encoding="utf-8")
    with pytest.raises(StaleError, match="LEADERBOARD.md"):
        lb.check(board, tmp_path)


def test_cli_check_exit_codes(world: dict, tmp_path: Path) -> None:
    args = ["--submissions", str(world["subs"]), "--gold", str(world["gold"]), "--out", str(tmp_path)]
    assert main(["eval", "leaderboard", "--check", *args]) == 1
    assert main(["eval", "leaderboard", *args]) == 0
    assert main(["eval", "leaderboard", "--check", *args]) == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("type: rules", "type: magic"), "field 'type' expected one of"),
        (lambda t: t.replace("date: 2026-11-23", "date: yesterday"), "field 'date' expected YYYY-MM-DD"),
        (lambda t: t.replace("link: https://example.org/x", "link: ftp://x"), "field 'link'"),
        (lambda t: t + "colour: red\n", "unknown field 'colour'"),
        (lambda t: t.replace("system: x\n", ""), "field 'system' is missing"),
        (lambda t: "system: [unclosed\n", "malformed YAML"),
    ],
)
def test_malformed_metadata(tmp_path: Path, edit, message: str) -> None:  # noqa: ANN001
    folder = _submission(tmp_path, "x", {})
    meta = folder / "submission.yaml"
    meta.write_text(edit(meta.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SubmissionError, match=re.escape(message)) as info:
        load_submission(folder)
    assert str(meta) in str(info.value) and info.value.exit_code == 2


def test_bad_predictions_reject_submission(world: dict, tmp_path: Path) -> None:
    _submission(tmp_path, "broken", {"nope": []})
    with pytest.raises(SubmissionError, match="submission broken"):
        lb.build(tmp_path, gold_directory=world["gold"])


@pytest.mark.slow
@pytest.mark.browser
def test_page_renders_rows_in_chromium(world: dict, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required in CI")
        pytest.skip("chromium not installed")
    lb.write(lb.build(world["subs"], gold_directory=world["gold"], agreement=world["agreement"]), tmp_path)
    page = tmp_path / "leaderboard.html"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
           "--dump-dom", page.as_uri()]  # fmt: skip
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    rows = re.findall(r'<tr class="(system|human)" data-name="([^"]+)"', dom)
    assert rows == [("system", "perfect"), ("system", "noisy"), ("human", "human-agreement")]
    assert "1.000" in dom and "sorted-desc" in dom
    png = tmp_path / "shot.png"
    assert main(["eval", "leaderboard", "--submissions", str(world["subs"]), "--gold", str(world["gold"]),
                 "--out", str(tmp_path / "out"), "--screenshot", str(png)]) == 0  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
