"""Typed results: frozen dataclasses whose field names are their JSON keys, with one to/from JSON for all.

Why: a result passed around as a nested dict spells each key in every module that reads or writes it, and
a typo there is a silent ``KeyError`` or a missing column. A :class:`Record` spells each key once (the field),
and :func:`to_data` / :func:`from_data` are the only code that maps between a record and its JSON form.

Rules of the mapping (so committed JSON files keep their exact bytes):

- a field's JSON key is its name, or ``key=`` in :func:`field` where the JSON key is not an identifier;
- keys are written in field order;
- a field made with ``omit_if=None`` (or another sentinel) is left out of the JSON when it holds that value,
  and is that value when the key is absent on reading;
- nested records, ``list``/``tuple`` of them and ``dict[str, ...]`` of them map recursively; anything else is
  stored as it is (numbers, strings, booleans, ``None``, plain lists and dicts).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin

from fazhi_ner.errors import ResultFormatError

R = TypeVar("R", bound="Record")
Interval = tuple[float, float]  # a (low, high) confidence interval as a result file stores it

_MISSING = object()
_KEY = "fazhi_key"
_OMIT = "fazhi_omit_if"


def field(*, key: str | None = None, omit_if: Any = _MISSING, default: Any = _MISSING,
          default_factory: Any = _MISSING) -> Any:  # fmt: skip
    """A record field with an optional JSON ``key`` and an ``omit_if`` value that is not written."""
    metadata: dict[str, Any] = {}
    if key is not None:
        metadata[_KEY] = key
    if omit_if is not _MISSING:
        metadata[_OMIT] = omit_if
        if default is _MISSING and default_factory is _MISSING:
            default = omit_if
    kwargs: dict[str, Any] = {"metadata": metadata}
    if default is not _MISSING:
        kwargs["default"] = default
    if default_factory is not _MISSING:
        kwargs["default_factory"] = default_factory
    return dataclasses.field(**kwargs)


class Record:
    """Base of every typed result; subclasses are ``@dataclass(frozen=True)``."""

    __dataclass_fields__: ClassVar[dict[str, Any]]
    #: a whole file written with sorted keys (every level, data-dependent keys too) sets this to True
    SORT_KEYS: ClassVar[bool] = False

    def to_data(self) -> dict[str, Any]:
        """The JSON-ready dict (keys in field order)."""
        return to_data(self)

    @classmethod
    def from_data(cls: type[R], data: Mapping[str, Any], *, where: str = "result") -> R:
        """The record read back from :meth:`to_data`'s form; a wrong shape raises :class:`ResultFormatError`."""
        return from_data(cls, data, where=where)

    def to_json(self, *, indent: int | None = 2, sort_keys: bool | None = None) -> str:
        """JSON text with a final newline, non-ASCII kept as it is; keys sorted if ``sort_keys`` (default
        :attr:`SORT_KEYS`)."""
        sort = self.SORT_KEYS if sort_keys is None else sort_keys
        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent, sort_keys=sort) + "\n"

    @classmethod
    def from_json(cls: type[R], text: str, *, where: str = "result") -> R:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ResultFormatError(f"{where}: line {exc.lineno}: expected JSON, found {exc.msg}") from None
        if not isinstance(data, dict):
            raise ResultFormatError(f"{where}: expected a JSON object, found {type(data).__name__}")
        return cls.from_data(data, where=where)

    @classmethod
    def from_file(cls: type[R], path: Path) -> R:
        """The record in the JSON file ``path``; a missing file or a wrong shape raises :class:`ResultFormatError`
        naming the file."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ResultFormatError(f"{path}: missing; expected a {cls.__name__} JSON file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ResultFormatError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None
        return cls.from_json(text, where=str(path))


def _key(f: dataclasses.Field[Any]) -> str:
    return f.metadata.get(_KEY, f.name)


def json_key(cls: type[Record], name: str) -> str:
    """The JSON key of field ``name`` of ``cls`` (for code that reads the JSON itself, e.g. a page's script)."""
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name == name:
            return _key(f)
    raise AttributeError(f"{cls.__name__} has no field {name!r}")


def to_data(value: Any) -> Any:
    """``value`` as plain JSON data: records become dicts, tuples lists, everything else as it is."""
    if isinstance(value, Record):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):  # type: ignore[arg-type]
            item = getattr(value, f.name)
            if _OMIT in f.metadata and item == f.metadata[_OMIT] and type(item) is type(f.metadata[_OMIT]):
                continue
            out[_key(f)] = to_data(item)
        return out
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_data(v) for k, v in value.items()}
    return value


@typing.no_type_check
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in get_args(tp) if a is not type(None)]
        record_options = [a for a in options if isinstance(a, type) and issubclass(a, Record)]
        if record_options and isinstance(value, Mapping):
            return _convert(record_options[0], value, where)
        return _convert(options[0], value, where) if len(options) == 1 else value
    if isinstance(tp, type) and issubclass(tp, Record):
        if not isinstance(value, Mapping):
            raise ResultFormatError(f"{where}: expected an object for {tp.__name__}, found {type(value).__name__}")
        return from_data(tp, value, where=where)
    if origin in (list, tuple) or tp in (list, tuple):
        if not isinstance(value, list):
            raise ResultFormatError(f"{where}: expected a list, found {type(value).__name__}")
        args = get_args(tp)
        item = args[0] if args else Any
        items = [_convert(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if (origin is tuple or tp is tuple) else items
    if origin in (dict, Mapping) or tp is dict:
        if not isinstance(value, Mapping):
            raise ResultFormatError(f"{where}: expected an object, found {type(value).__name__}")
        args = get_args(tp)
        item = args[1] if len(args) == 2 else Any
        return {k: _convert(item, v, f"{where}.{k}") for k, v in value.items()}
    return value


def from_data(cls: type[R], data: Mapping[str, Any], *, where: str = "result") -> R:
    """Build ``cls`` from its JSON form; a missing required key or an unknown key is an error naming both."""
    if not isinstance(data, Mapping):
        raise ResultFormatError(f"{where}: expected an object for {cls.__name__}, found {type(data).__name__}")
    hints = _hints(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    known = {_key(f) for f in fields}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ResultFormatError(f"{where}: unexpected key {unknown[0]!r} for {cls.__name__}; expected one of {sorted(known)}")
    kwargs: dict[str, Any] = {}
    for f in fields:
        key = _key(f)
        if key in data:
            kwargs[f.name] = _convert(hints[f.name], data[key], f"{where}.{key}")
        elif _OMIT in f.metadata:
            kwargs[f.name] = f.metadata[_OMIT]
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ResultFormatError(f"{where}: missing key {key!r} for {cls.__name__}")
    return cls(**kwargs)
