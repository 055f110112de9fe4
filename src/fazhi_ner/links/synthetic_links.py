"""Links for the synthetic corpus: blank sheets out, filled sheets in, and the coverage they give.

The synthetic corpus (``annotation/synthetic/``) was written without the taxonomy's examples, so its
INDICATORs measure how much of what reports count the taxonomy covers (``other`` share), and its links
are extra training data for the linker. Its links are made by annotators filling sheets
(:mod:`fazhi_ner.links.sheets`), never by the linker, and are stored like the real link gold: one
``annotation/synthetic/links/<doc_id>.tsv`` per document in the :mod:`fazhi_ner.links.records` format.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.atomic import atomic_write_files
from fazhi_ner.errors import LinkError
from fazhi_ner.links.records import LinkRecord, load_link_folder, render
from fazhi_ner.links.sheets import read_sheet, render_sheet
from fazhi_ner.links.taxonomy import OTHER, load_taxonomy
from fazhi_ner.synthetic import load_synthetic_documents, load_synthetic_gold, synthetic_dir

OTHER_TARGET = 0.05


def synthetic_links_dir(directory: Path | None = None) -> Path:
    return (directory or synthetic_dir()) / "links"


def export_sheets(
    out: Path, doc_ids: Sequence[str] | None = None, *, force: bool = False, directory: Path | None = None
) -> list[Path]:
    """One blank sheet per synthetic document; existing sheets are kept unless ``force`` (they may be half-filled)."""
    docs = {d.doc_id: d for d in load_synthetic_documents(directory)}
    if not docs:
        raise LinkError(f"{directory or synthetic_dir()}: no synthetic documents")
    wanted = list(doc_ids) if doc_ids else sorted(docs)
    for doc_id in wanted:
        if doc_id not in docs:
            raise LinkError(f"--doc {doc_id!r}: expected a synthetic document id such as {min(docs)!r}")
    gold = load_synthetic_gold(directory)
    files = {out / f"{doc_id}.tsv": render_sheet(docs[doc_id], gold[doc_id]) for doc_id in wanted}
    return _write_new(files, out, force=force, refusal="{path}: exists; pass --force to replace it ({n} existing sheets)")


def _sheet_paths(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.tsv")))
        elif path.is_file():
            found.append(path)
        else:
            raise LinkError(f"{path}: no such sheet or folder")
    if not found:
        raise LinkError("no sheets (*.tsv) to import")
    return found


def import_sheets(
    paths: Iterable[Path],
    *,
    force: bool = False,
    check: bool = False,
    directory: Path | None = None,
    out: Path | None = None,
) -> list[Path]:
    """Validate filled sheets (``<doc_id>.tsv``) and write their link records, all or nothing.

    An existing link file is replaced only with ``force``, so a second import cannot silently undo an
    adjudicated one. With ``check`` the sheets are only validated (what an annotator runs) and nothing is written.
    """
    docs = {d.doc_id: d for d in load_synthetic_documents(directory)}
    gold = load_synthetic_gold(directory)
    taxonomy = load_taxonomy()
    target = out or synthetic_links_dir(directory)
    files: dict[Path, str] = {}
    for path in _sheet_paths(paths):
        doc_id = path.stem
        if doc_id not in docs:
            raise LinkError(f"{path}: file name expected <doc_id>.tsv of a synthetic document, found {path.name!r}")
        destination = target / f"{doc_id}.tsv"
        if destination in files:
            raise LinkError(f"{path}: a second sheet for {doc_id}")
        records = read_sheet(path, docs[doc_id], gold[doc_id], taxonomy)
        files[destination] = render(records, docs[doc_id])
    if check:
        return sorted(files)
    return _write_new(files, target, force=force, refusal="{path}: link file exists; pass --force to replace it")


def _write_new(files: dict[Path, str], folder: Path, *, force: bool, refusal: str) -> list[Path]:
    """Write ``files`` as one set into ``folder``; an existing file is replaced only with ``force`` (else
    ``refusal``, formatted with the first existing ``path`` and their number ``n``)."""
    existing = sorted(p for p in files if p.exists())
    if existing and not force:
        raise LinkError(refusal.format(path=existing[0], n=len(existing)))
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_files(files)
    return sorted(files)


def load_synthetic_links(directory: Path | None = None) -> dict[str, list[LinkRecord]]:
    """The committed synthetic link files, validated against the texts, the span gold and the taxonomy.

    Documents without a link file are simply absent (links may be made in batches); none gives ``{}``.
    """
    folder = synthetic_links_dir(directory)
    if not folder.is_dir() or not any(folder.glob("*.tsv")):
        return {}
    docs = {d.doc_id: d for d in load_synthetic_documents(directory)}
    return load_link_folder(folder, load_taxonomy(), load_synthetic_gold(directory), docs)


@dataclass(frozen=True)
class Coverage:
    """How many synthetic INDICATORs the taxonomy covers: ``other`` is what it does not."""

    documents: int
    documents_linked: int
    indicators: int
    other: int
    other_reasons: tuple[tuple[str, int], ...]

    @property
    def other_share(self) -> float:
        return self.other / self.indicators if self.indicators else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "documents_linked": self.documents_linked,
            "indicators": self.indicators,
            "other": self.other,
            "other_share": round(self.other_share, 4),
            "target_other_share": OTHER_TARGET,
            "meets_target": self.indicators > 0 and self.other_share <= OTHER_TARGET,
            "other_reasons": [list(item) for item in self.other_reasons],
        }


FIRST_PASS = "links-v3"  # the links as first made, under taxonomy v3, before v4 added ids for their gaps


def first_pass_links(directory: Path | None = None) -> dict[str, list[LinkRecord]]:
    """The synthetic links as the annotators first made them (taxonomy v3): the independent coverage figure,
    since taxonomy v4's added ids were made from these links' `other` reasons."""
    base = directory or synthetic_dir()
    folder = base / FIRST_PASS
    if not folder.is_dir():
        return {}
    docs = {d.doc_id: d for d in load_synthetic_documents(directory)}
    return load_link_folder(folder, load_taxonomy(), load_synthetic_gold(directory), docs)


def coverage(links: dict[str, list[LinkRecord]] | None = None, directory: Path | None = None) -> Coverage:
    """The ``other`` share of the linked synthetic INDICATORs (target at most :data:`OTHER_TARGET`)."""
    links = load_synthetic_links(directory) if links is None else links
    inds = [r for records in links.values() for r in records if r.label == "INDICATOR"]
    others = [r for r in inds if r.link == OTHER]
    reasons = Counter(r.reason for r in others).most_common(20)
    return Coverage(len(load_synthetic_documents(directory)), len(links), len(inds), len(others), tuple(reasons))
