"""Write (or check) ``eval/comparison/``: table.parquet, table.csv, matrix.csv and index.html.

The committed table is gold only. ``extra`` adds reports that have no link gold with cells made elsewhere
(``fazhi table build --user-reports`` passes the ingested reports' predicted cells; this stage cannot tag).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_ner.comparison.cells import Cell
    from fazhi_ner.seeds import Document

from fazhi_ner.paths import project_root


@dataclass(frozen=True)
class TableResult:
    directory: Path
    cells: int
    metrics: int
    reports: int
    predicted: int = 0


@dataclass(frozen=True)
class ExtraReport:
    """A report without link gold and its predicted cells and body-type counts."""

    document: Document
    cells: tuple[Cell, ...]
    bodies: Counter[str]


def comparison_dir() -> Path:
    return project_root() / "eval" / "comparison"


def _inputs():
    from fazhi_ner.comparison.cells import cells
    from fazhi_ner.links.store import load_links
    from fazhi_ner.links.taxonomy import load_taxonomy
    from fazhi_ner.seeds import documents_by_id

    links, documents, taxonomy = load_links("gold"), documents_by_id(), load_taxonomy()
    bodies = {doc_id: Counter(r.link for r in rs if r.label == "AGENCY") for doc_id, rs in links.items()}
    return cells(links, documents, taxonomy), documents, taxonomy, bodies


def gold_link_reports() -> set[str]:
    """The reports whose cells come from link gold (the others need predicted cells to join the table)."""
    from fazhi_ner.links.store import load_links

    return set(load_links("gold"))


def build(out: Path | None = None, *, check: bool = False, extra: Sequence[ExtraReport] = ()) -> TableResult:
    from fazhi_ner.atomic import write_or_check
    from fazhi_ner.comparison import page, table
    from fazhi_ner.errors import ArgumentError

    directory = Path(out) if out is not None else comparison_dir()
    cell_list, documents, taxonomy, bodies = _inputs()
    if extra and out is None:
        raise ArgumentError("predicted cells never go into the committed eval/comparison/; pass --out DIR")
    for report in extra:
        doc_id = report.document.doc_id
        if doc_id in bodies:
            raise ArgumentError(f"{doc_id}: has link gold; its cells are gold, not predicted")
        documents = {**documents, doc_id: report.document}
        bodies = {**bodies, doc_id: report.bodies}
        cell_list = [*cell_list, *report.cells]
    cell_list = sorted(cell_list, key=lambda c: (c.doc_id, c.metric_id))
    df = table.frame(cell_list)
    files: dict[Path, str | bytes] = {
        directory / "table.parquet": table.parquet_bytes(df),
        directory / "table.csv": table.csv_text(df),
        directory / "matrix.csv": table.csv_text(table.matrix(df)),
        directory / "index.html": page.render(cell_list, documents, taxonomy, bodies),
    }
    write_or_check(files, check=check, command="fazhi table build", same=table.same_content)
    return TableResult(
        directory,
        len(cell_list),
        len({c.metric_id for c in cell_list}),
        len({c.doc_id for c in cell_list}),
        sum(c.predicted for c in cell_list),
    )
