"""The report × metric table as pandas frames, written as Parquet and CSV (``fazhi table build``).

``table`` (Parquet and CSV) is the long form: one row per cell (report, metric) with the value, unit,
kind, modifier, direction (a change: 上升/下降, the value being the magnitude as written), whether the cell is
predicted, and the source spans with their tagger and linker scores (a list of structs in Parquet, a JSON
string in CSV). ``matrix.csv`` is
the wide form for reading: one row per metric, one column per report, the cell value.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_ner.comparison.cells import Cell

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = (
    "doc_id",
    "report_unit",
    "province",
    "year",
    "metric_id",
    "domain",
    "metric_name_zh",
    "metric_name_en",
    "unit_kind",
    "value",
    "unit",
    "kind",
    "modifier",
    "direction",
    "mixed_units",
    "predicted",
    "n_mentions",
    "mentions",
)


def frame(cells: list[Cell]) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for cell in cells:
        row = asdict(cell)
        row["mentions"] = [asdict(m) for m in cell.mentions]
        row["n_mentions"] = len(cell.mentions)
        rows.append({key: row[key] for key in COLUMNS})
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    return df.astype({"year": "int32", "n_mentions": "int32", "value": "float64", "predicted": "bool"})


def matrix(df: pd.DataFrame) -> pd.DataFrame:
    """Metrics as rows, reports as columns, the cell value (NaN where a report has no such figure)."""
    wide = df.pivot(index=["metric_id", "metric_name_zh", "metric_name_en"], columns="doc_id", values="value")
    wide.columns.name = None
    if df["predicted"].any():  # one marker column per report that has predicted cells
        flags = df.pivot(index=["metric_id", "metric_name_zh", "metric_name_en"], columns="doc_id", values="predicted")
        for doc_id in sorted(df.loc[df["predicted"], "doc_id"].unique()):
            wide[f"{doc_id} (predicted)"] = flags[doc_id].fillna(False).astype(bool)
    return wide.reset_index().sort_values("metric_id", kind="stable").reset_index(drop=True)


def _plain(value: object) -> object:
    """numpy scalars (from a Parquet read-back) as Python numbers."""
    return value.item() if hasattr(value, "item") else str(value)


def csv_text(df: pd.DataFrame) -> str:
    out = df.copy()
    if "mentions" in out.columns:
        out["mentions"] = [
            json.dumps(list(m), ensure_ascii=False, sort_keys=True, default=_plain) for m in out["mentions"]
        ]
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def parquet_bytes(df: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False, engine="pyarrow", compression="zstd")
    return buffer.getvalue()


def same_content(path: Path, wanted: bytes) -> bool:
    """Parquet by content (types and values), not bytes: its metadata names the writer's version; else bytes.
    The comparison :func:`fazhi_ner.atomic.write_or_check` uses for the table's files."""
    import pandas as pd

    if path.suffix != ".parquet":
        return path.read_bytes() == wanted
    try:
        committed = pd.read_parquet(path)
    except Exception:  # a missing or unreadable file is simply stale
        return False
    fresh = pd.read_parquet(io.BytesIO(wanted))
    return list(committed.columns) == list(fresh.columns) and csv_text(committed) == csv_text(fresh)
