"""Write (or check) ``eval/comparison/``: table.parquet, table.csv, matrix.csv and index.html."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from fazhi_ner.paths import project_root

FILES = ("table.parquet", "table.csv", "matrix.csv", "index.html")


@dataclass(frozen=True)
class TableResult:
    directory: Path
    cells: int
    metrics: int
    reports: int


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


def build(out: Path | None = None, *, check: bool = False) -> TableResult:
    from fazhi_ner.atomic import atomic_write_bytes, atomic_write_text
    from fazhi_ner.comparison import page, table

    directory = Path(out) if out is not None else comparison_dir()
    cell_list, documents, taxonomy, bodies = _inputs()
    df = table.frame(cell_list)
    files: dict[Path, str | bytes] = {
        directory / "table.parquet": table.parquet_bytes(df),
        directory / "table.csv": table.csv_text(df),
        directory / "matrix.csv": table.csv_text(table.matrix(df)),
        directory / "index.html": page.render(cell_list, documents, taxonomy, bodies),
    }
    if check:
        table.raise_if_stale(table.stale(files, df, directory / "table.parquet"))
    else:
        directory.mkdir(parents=True, exist_ok=True)
        for path, content in files.items():
            if isinstance(content, bytes):
                atomic_write_bytes(path, content)
            else:
                atomic_write_text(path, content)
    return TableResult(
        directory, len(cell_list), len({c.metric_id for c in cell_list}), len({c.doc_id for c in cell_list})
    )
