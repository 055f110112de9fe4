"""Where the link passes and the link gold live, and one cached lookup of the gold links.

``annotation/links/pass1`` (pass A, all reports), ``pass2`` (independent pass B), ``gold``
(adjudicated; the dataset, the table and the linker read only this).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fazhi_ner.gold import load_gold
from fazhi_ner.links.records import LinkRecord, load_link_folder
from fazhi_ner.links.taxonomy import links_dir, load_taxonomy
from fazhi_ner.paths import gold_dir
from fazhi_ner.seeds import documents_by_id

PASSES = ("pass1", "pass2", "gold")


def load_links(name_or_dir: str | Path = "gold", *, gold_directory: Path | None = None) -> dict[str, list[LinkRecord]]:
    """A validated link folder (``pass1``, ``pass2``, ``gold`` or a path), checked against the span gold."""
    directory = links_dir() / name_or_dir if isinstance(name_or_dir, str) else Path(name_or_dir)
    gold = load_gold(gold_directory if gold_directory is not None else gold_dir())
    return load_link_folder(directory, load_taxonomy(), gold, documents_by_id())


@lru_cache(maxsize=1)
def gold_link_index() -> dict[tuple[str, int, int, str], LinkRecord]:
    """``{(doc_id, start, end, label): record}`` over the link gold (empty when the folder is absent)."""
    if not (links_dir() / "gold").is_dir():
        return {}
    return {r.key: r for records in load_links("gold").values() for r in records}
