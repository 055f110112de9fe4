"""The typed results of agreement, links, extraction and active learning (issue 23): each committed file reads
into its record and back to the same text, a wrong shape names the file, and no module that reads or writes
these files spells their keys itself."""

from __future__ import annotations

import ast
import dataclasses
import json
import shutil
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

from fazhi_ner.agreement_results import Agreement, read_agreement, read_synthetic_agreement
from fazhi_ner.annotation import active_learning as al
from fazhi_ner.cli import main
from fazhi_ner.errors import ResultFormatError
from fazhi_ner.extraction.lodo import markdown as extraction_markdown
from fazhi_ner.extraction.results import ExtractionEvaluation, read_extraction_evaluation
from fazhi_ner.labels import LABEL_NAMES
from fazhi_ner.links import agreement as link_agreement
from fazhi_ner.links import evaluate as link_evaluate
from fazhi_ner.links.results import LinkAgreement, LinkEvaluation, read_link_agreement, read_link_evaluation
from fazhi_ner.results import Record

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fazhi_ner"

FILES: dict[str, Callable[[Path], Record]] = {
    "annotation/agreement.json": read_agreement,
    "annotation/synthetic/agreement.json": read_synthetic_agreement,
    "annotation/links/agreement.json": read_link_agreement,
    "eval/links/lodo.json": read_link_evaluation,
    "eval/extraction/lodo.json": read_extraction_evaluation,
    "eval/active_learning.json": al.read_active_learning,
}
RECORDS = (Agreement, LinkAgreement, LinkEvaluation, ExtractionEvaluation, al.ActiveLearning)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_committed_file_round_trips_through_its_record(name: str) -> None:
    path = ROOT / name
    assert FILES[name](path).to_json(sort_keys=True) == path.read_text(encoding="utf-8")


def test_markdown_is_the_rendering_of_the_committed_json() -> None:
    """Where the report holds nothing but the JSON's figures, it is rendered from the record read back."""
    pairs = [
        (link_agreement.markdown(read_link_agreement(ROOT / "annotation/links/agreement.json")), "annotation/links/agreement.md"),
        (link_evaluate.markdown(read_link_evaluation(ROOT / "eval/links/lodo.json")), "eval/links/lodo.md"),
        (al.render(al.read_active_learning(ROOT / "eval/active_learning.json")), "eval/ACTIVE_LEARNING.md"),
        (extraction_markdown(read_extraction_evaluation(ROOT / "eval/extraction/lodo.json")), "eval/extraction/lodo.md"),
    ]  # fmt: skip
    for text, name in pairs:
        assert text == (ROOT / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("name", sorted(FILES))
def test_unknown_or_missing_key_names_the_file(name: str, tmp_path: Path) -> None:
    data = json.loads((ROOT / name).read_text(encoding="utf-8"))
    path = tmp_path / Path(name).name
    path.write_text(json.dumps({**data, "surprise": 1}), encoding="utf-8")
    with pytest.raises(ResultFormatError, match=rf"{path}: unexpected key 'surprise'"):
        FILES[name](path)
    first = sorted(data)[0]
    path.write_text(json.dumps({k: v for k, v in data.items() if k != first}), encoding="utf-8")
    with pytest.raises(ResultFormatError, match=rf"{path}: missing key '{first}'"):
        FILES[name](path)
    path.unlink()
    with pytest.raises(ResultFormatError, match=rf"{path}: missing"):
        FILES[name](path)


def test_a_nested_wrong_key_is_named_with_its_place(tmp_path: Path) -> None:
    data = json.loads((ROOT / "eval/links/lodo.json").read_text(encoding="utf-8"))
    data["per_report"]["gaotai-2022"]["AGENCY"]["acc"] = data["per_report"]["gaotai-2022"]["AGENCY"].pop("accuracy")
    path = tmp_path / "lodo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultFormatError, match=r"lodo.json.per_report.gaotai-2022.AGENCY: unexpected key 'acc'"):
        LinkEvaluation.from_file(path)


def test_active_learning_check_without_simulating_fails_on_a_stale_pair(tmp_path: Path) -> None:
    """`fazhi annotate active-learning --check --no-simulate` (in `make check`) compares the committed report
    with the rendering of the committed JSON; the old code could only re-run the whole simulation."""
    report = tmp_path / al.REPORT
    shutil.copy(ROOT / "eval" / al.REPORT, report)
    shutil.copy(ROOT / "eval" / al.DATA, tmp_path / al.DATA)
    argv = ["annotate", "active-learning", "--check", "--no-simulate", "-o", str(report)]
    assert main(argv) == 0
    report.write_text(report.read_text(encoding="utf-8").replace("| all |", "| every |"), encoding="utf-8")
    assert main(argv) == 1  # a hand-edited report
    shutil.copy(ROOT / "eval" / al.REPORT, report)
    data = json.loads((tmp_path / al.DATA).read_text(encoding="utf-8"))
    data["target_f1"] = 0.5
    (tmp_path / al.DATA).write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert main(argv) == 1  # JSON and report from different runs
    (tmp_path / al.DATA).write_text(json.dumps({**data, "extra": 1}), encoding="utf-8")
    assert main(argv) != 0  # not an active-learning result


def _record_keys() -> set[str]:
    """Every JSON key the records define (dict keys holding data, such as report ids, are not keys)."""
    seen: set[type] = set()
    todo: list[typing.Any] = list(RECORDS)
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and issubclass(tp, Record) and tp not in seen:
            seen.add(tp)
            todo.extend(typing.get_type_hints(tp).values())
        todo.extend(typing.get_args(tp))
    return {f.metadata.get("fazhi_key", f.name) for cls in seen for f in dataclasses.fields(cls)}


def _spelled_keys(tree: ast.AST) -> set[str]:
    """String literals used as keys: dict displays, subscripts and ``.get`` / ``.pop`` / ``.setdefault``."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            out |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            out.add(str(node.slice.value))
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
            and node.func.attr in ("get", "pop", "setdefault") and isinstance(node.args[0], ast.Constant)
        ):  # fmt: skip
            out.add(str(node.args[0].value))
    return out


RESULT_MODULES = {  # the records and the modules that make them
    "fazhi_ner.agreement_results", "fazhi_ner.links.results", "fazhi_ner.extraction.results",
    "fazhi_ner.annotation.active_learning", "fazhi_ner.annotation.agreement", "fazhi_ner.annotation.synthetic_agreement",
    "fazhi_ner.links.agreement", "fazhi_ner.links.evaluate", "fazhi_ner.links.pairs", "fazhi_ner.extraction.lodo",
}  # fmt: skip
# The same words as keys of other structures, not of these files.
OTHER_STRUCTURES = {
    ("annotation/active_learning.py", "micro"): "baselines.scoring's result",
    ("annotation/active_learning.py", "f1"): "baselines.scoring's result",
    ("annotation/quality_cli.py", "characters"): "annotation/stats.json (fazhi annotate stats)",
    ("annotation/quality_cli.py", "sentences"): "annotation/stats.json",
    ("annotation/quality_cli.py", "spans"): "annotation/stats.json",
    ("extraction/lodo.py", "synthetic"): "a tagger's config parameter",
    ("evaluation/leaderboard.py", "partial"): "a schema of the harness' partial match (SemEval-2013)",
    **{("dataset/card.py", key): "the dataset's rows and statistics (the card reads agreement through its record)"
       for key in ("doc_id", "documents", "end", "label", "sentences", "spans", "start", "text", "unit")},
}


def test_no_reader_or_writer_spells_a_result_key() -> None:
    """Each key is spelled once: as a record field. Modules that make or read these files use attributes."""
    keys = _record_keys() - set(LABEL_NAMES)  # label names are fazhi_ner.labels' values, used as keys
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        module = "fazhi_ner." + rel.removesuffix(".py").replace("/", ".")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        if not (module in RESULT_MODULES or imported & RESULT_MODULES):
            continue
        offenders += [(rel, k) for k in sorted(_spelled_keys(tree) & keys) if (rel, k) not in OTHER_STRUCTURES]
    assert not offenders
