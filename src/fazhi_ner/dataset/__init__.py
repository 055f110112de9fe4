"""The dataset stage of FaZhi-NER: the Hugging Face dataset, its card, exports and pandas views.

Kept light: pandas and ``datasets`` are imported inside the functions that need them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["indicators_frame", "spans_frame"]


def spans_frame(gold_directory: Path | None = None) -> pd.DataFrame:
    """One row per gold span: sentence and document offsets, label, text, split, fold and metadata."""
    import pandas as pd

    from fazhi_ner.dataset.rows import load_corpus

    corpus = load_corpus(gold_directory)
    records = [
        {
            "doc_id": gs.doc.doc_id,
            "sentence_id": gs.sentence.id,
            "label": span.label,
            "text": span.text,
            "start": span.start,
            "end": span.end,
            "doc_start": span.start + gs.sentence.start,
            "doc_end": span.end + gs.sentence.start,
            "length": span.end - span.start,
            "split": gd.split,
            "fold": gd.fold,
            **gs.doc.metadata(),
        }
        for gd in corpus.documents
        for gs in gd.sentences
        for span in gs.spans
    ]
    columns = [
        "doc_id",
        "sentence_id",
        "label",
        "text",
        "start",
        "end",
        "doc_start",
        "doc_end",
        "length",
        "split",
        "fold",
    ]
    columns += ["province", "prefecture", "unit", "unit_type", "year"]
    return pd.DataFrame.from_records(records, columns=columns)


def indicators_frame(gold_directory: Path | None = None) -> pd.DataFrame:
    """One row per INDICATOR span with its normalised reading (the ``indicators`` config as a frame)."""
    import pandas as pd

    from fazhi_ner.dataset.features import indicators_features
    from fazhi_ner.dataset.rows import default_reader, indicator_rows, load_corpus

    corpus = load_corpus(gold_directory)
    reader = default_reader()
    records = []
    for gd in corpus.documents:
        for gs in gd.sentences:
            for row in indicator_rows(gs, reader, gd.fold):
                records.append({**row, "split": gd.split})
    columns = [*indicators_features().keys(), "split"]
    return pd.DataFrame.from_records(records, columns=columns)
