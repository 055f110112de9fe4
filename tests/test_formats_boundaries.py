"""Every file format is read and written in fazhi_ner.formats only (issue 23): an AST scan of src/.

Before the formats package, dataset.export had its own ``read_jsonl``/``read_conll``, annotation.tasks built
Label Studio region dicts by hand and synthetic/links/seeds called ``json.loads`` on the lines of ``.jsonl``
files; each of the checks below fails on that code.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fazhi_ner"
FORMATS = PACKAGE / "formats"

# names of format readers and writers: defined once, in fazhi_ner.formats
FORMAT_FUNCTIONS = {
    "read_jsonl", "write_jsonl", "parse_jsonl", "read_conll", "write_conll", "parse_conll", "read_brat",
    "write_brat_document", "read_ann", "write_ann", "read_docbin", "write_docbin", "read_spacy_bytes", "region",
    "read_region", "read_tasks", "write_tasks", "dump_export", "load_export", "read_review", "write_review",
    "render_document", "parse_review", "parse_markup",
}  # fmt: skip


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
        if FORMATS not in path.parents
    ]


def _is_json_loads(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "loads"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "json"
    )


def _splits_lines(node: ast.AST) -> bool:
    """``x.splitlines()`` or ``x.split("\\n")`` / ``split(b"\\n")`` anywhere in ``node``."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            if call.func.attr == "splitlines":
                return True
            split = call.func.attr == "split" and call.args and isinstance(call.args[0], ast.Constant)
            if split and call.args[0].value in ("\n", b"\n"):  # type: ignore[attr-defined]
                return True
    return False


def test_no_module_outside_formats_calls_json_loads_on_the_lines_of_a_file() -> None:
    found = []
    for name, tree in _modules():
        # names bound to split lines (``lines = path.read_text().splitlines()``), then looped over
        line_lists = {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and _splits_lines(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

        def over_lines(it: ast.AST, line_lists: set[str] = line_lists) -> bool:
            return _splits_lines(it) or any(isinstance(n, ast.Name) and n.id in line_lists for n in ast.walk(it))

        for node in ast.walk(tree):
            loops = []
            if isinstance(node, ast.For) and over_lines(node.iter):
                loops = node.body
            elif isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)) and any(
                over_lines(gen.iter) for gen in node.generators
            ):
                loops = [node]
            found += [f"{name}:{n.lineno}" for body in loops for n in ast.walk(body) if _is_json_loads(n)]
    assert not found, f"JSON Lines parsed by hand (use fazhi_ner.formats.jsonl): {found}"


def test_no_module_outside_formats_defines_a_format_reader_or_writer() -> None:
    found = [
        f"{name}:{node.lineno} {node.name}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in FORMAT_FUNCTIONS
    ]
    assert not found, f"a format reader or writer outside fazhi_ner.formats: {found}"


def test_no_module_outside_formats_builds_a_label_studio_region() -> None:
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"from_name", "value"} <= keys or {"start", "end", "labels"} <= keys:
                    found.append(f"{name}:{node.lineno}")
    assert not found, f"a Label Studio region built by hand (use fazhi_ner.formats.labelstudio.region): {found}"


def test_only_formats_spacy_builds_docbins() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module == "spacy.tokens"
        and any(a.name == "DocBin" for a in node.names)
    ]
    assert not found, f"a DocBin outside fazhi_ner.formats.spacy: {found}"


def test_every_formats_module_is_in_the_import_contracts() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
    layers = " ".join(next(c for c in contracts if c["type"] == "layers")["layers"])
    light = next(c for c in contracts if c["name"] == "core, formats and rules import no heavy library")
    modules = {f"fazhi_ner.formats.{p.stem}" for p in FORMATS.glob("*.py") if p.stem != "__init__"}
    assert modules and not [m for m in modules if m not in layers.replace(":", " ").split()]
    assert modules - set(light["source_modules"]) == {"fazhi_ner.formats.spacy"}
    assert "spacy" in light["forbidden_modules"]
