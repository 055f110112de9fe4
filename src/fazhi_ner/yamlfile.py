"""Reading small YAML config/metadata files into a mapping, with a typed one-line error naming file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from fazhi_ner.errors import FaZhiError


def read_yaml_mapping(path: Path, error: type[FaZhiError], *, what: str = "a mapping") -> dict[str, Any]:
    """The top-level mapping of ``path``; malformed YAML or another top-level type raises ``error``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise error(
            f"{path}{line}: malformed YAML ({getattr(exc, 'problem', None) or str(exc).splitlines()[0]})"
        ) from None
    if not isinstance(data, dict):
        raise error(f"{path}: expected {what}, found {type(data).__name__}")
    return data
