"""No dead code: every public top-level definition in src/ is used somewhere (issue 23).

A definition ``X`` of module ``m`` counts as used when some file of src/, tests/ or benchmarks/ (its own module
included) reads it: a bare name in ``m`` itself, ``from m import X``, ``alias.X`` with ``alias`` bound to ``m``,
``obj.X`` on anything that is not a known module (a loop over modules, an instance: matched by name only), a
``"m:X"`` target string (the baseline registry, the console script in pyproject.toml) or a string that is just
``"X"`` (``__all__``, ``getattr``). Importing a name re-exports it, which counts as a use.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fazhi_ner"
_TARGET = re.compile(r"\b(fazhi_ner(?:\.\w+)*):(\w+)")  # "module:attribute" entry points and registry targets
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")

# Decorators that register the function they decorate (so nothing else names it): typer commands and callbacks.
REGISTERING_DECORATORS = frozenset({"command", "callback"})

# Used from outside Python source on purpose. Keep each with its reason; an entry that is used elsewhere or no
# longer defined fails `test_the_allow_list_is_needed`.
ALLOWED: dict[tuple[str, str], str] = {
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT / "src").with_suffix("").parts if path.is_relative_to(PACKAGE) else path.parts[-2:]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@dataclass
class _Uses:
    qualified: set[tuple[str, str]] = field(default_factory=set)  # (module, name)
    names: set[str] = field(default_factory=set)  # by name only (attribute of something not a known module)

    def read(self, path: Path, tree: ast.Module) -> None:
        module = _module_name(path)
        aliases: dict[str, str] = {}  # local name -> module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    head = alias.name.split(".")[0]  # `import a.b` binds `a`; `a.b.X` then reads module a.b
                    aliases[alias.asname or head] = alias.name if alias.asname else head
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.qualified.add((node.module, alias.name))
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"  # maybe a submodule
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
                self.qualified.add((module, node.id))
            elif isinstance(node, ast.Attribute):
                owner = _dotted(node.value)
                if owner is not None and owner.split(".")[0] in aliases:
                    head, _, rest = owner.partition(".")
                    target = aliases[head] + (f".{rest}" if rest else "")
                    self.qualified.add((target, node.attr))
                else:
                    self.names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self._read_string(node.value)

    def _read_string(self, text: str) -> None:
        self.qualified.update(_TARGET.findall(text))
        if _IDENTIFIER.fullmatch(text):
            self.names.add(text)

    def __contains__(self, item: tuple[str, str]) -> bool:
        return item in self.qualified or item[1] in self.names


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = _dotted(node.value)
        return None if owner is None else f"{owner}.{node.attr}"
    return None


def _registered(node: ast.AST) -> bool:
    for decorator in getattr(node, "decorator_list", ()):
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in REGISTERING_DECORATORS:
            return True
    return False


def _definitions(path: Path, tree: ast.Module) -> list[tuple[str, str, int]]:
    """(module, name, line) of the public top-level functions, classes and assigned names of a module."""
    module = _module_name(path)
    found: list[tuple[str, str, int]] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if not _registered(node):
                found.append((module, node.name, node.lineno))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            found.extend((module, name, node.lineno) for name in names)
    return [d for d in found if not d[1].startswith("_")]


def _uses(trees: dict[Path, ast.Module]) -> _Uses:
    uses = _Uses()
    for path, tree in trees.items():
        if path != Path(__file__).resolve():  # this file names definitions (ALLOWED) without using them
            uses.read(path, tree)
    uses.qualified.update(_TARGET.findall((ROOT / "pyproject.toml").read_text(encoding="utf-8")))
    return uses


def _scan(trees: dict[Path, ast.Module]) -> list[str]:
    """``path:line: name`` of every public top-level definition under src/fazhi_ner that nothing uses."""
    uses = _uses(trees)
    unused = []
    for path, tree in sorted(trees.items()):
        if not path.is_relative_to(PACKAGE):
            continue
        for module, name, line in _definitions(path, tree):
            if (module, name) not in uses and (module, name) not in ALLOWED:
                unused.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    return unused


@functools.cache
def _trees() -> dict[Path, ast.Module]:
    files = [p for folder in ("src", "tests", "benchmarks") for p in sorted((ROOT / folder).rglob("*.py"))]
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in files}


def test_every_public_top_level_definition_is_used() -> None:
    unused = _scan(_trees())
    assert not unused, "defined but never used (delete it, or add it to ALLOWED with the reason):\n" + "\n".join(unused)


def test_the_check_finds_an_unused_definition_and_follows_module_aliases() -> None:
    trees = dict(_trees())
    trees[PACKAGE / "dead_code_probe.py"] = ast.parse(
        "FILES = ('a',)\n\n\ndef helper() -> int:\n    return 1\n\n\n"
        "def used_by_alias() -> int:\n    return 2\n"
    )
    trees[ROOT / "tests" / "probe_user.py"] = ast.parse(
        "from fazhi_ner import dead_code_probe as probe\n\nprobe.used_by_alias()\n"
    )
    unused = [line for line in _scan(trees) if "dead_code_probe" in line]
    # FILES is read elsewhere (another module's FILES, through its own alias): that is not a use of this one.
    assert unused == ["src/fazhi_ner/dead_code_probe.py:1: FILES", "src/fazhi_ner/dead_code_probe.py:4: helper"]


def test_the_allow_list_is_needed() -> None:
    trees = _trees()
    for module, name in ALLOWED:
        path = PACKAGE.parent / (module.replace(".", "/") + ".py")
        assert path in trees, f"ALLOWED names a module that does not exist: {module}"
        assert name in {d[1] for d in _definitions(path, trees[path])}, f"{module}.{name}: not defined"
        assert (module, name) not in _uses(trees), f"{module}.{name} is used now: drop it from ALLOWED"
