"""The ``datasets.Features`` of each config: the typed schema written into Parquet and the card.

``ner_tags`` is a sequence of ``ClassLabel(names=TAGS)`` so ``load_dataset`` returns the tag names
from the one label schema in :mod:`fazhi_ner.labels`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi_ner.labels import TAGS

if TYPE_CHECKING:
    from datasets import Features


def _metadata() -> dict[str, object]:
    from datasets import Value

    return {
        "province": Value("string"),
        "prefecture": Value("string"),
        "unit": Value("string"),
        "unit_type": Value("string"),
        "year": Value("int32"),
    }


def _span() -> dict[str, object]:
    from datasets import Value

    return {"start": Value("int32"), "end": Value("int32"), "label": Value("string"), "text": Value("string")}


def sentences_features() -> Features:
    from datasets import ClassLabel, Features, List, Sequence, Value

    return Features(
        {
            "id": Value("string"),
            "doc_id": Value("string"),
            "sentence_index": Value("int32"),
            "text": Value("string"),
            "tokens": List(Value("string")),
            "ner_tags": Sequence(ClassLabel(names=list(TAGS))),
            "spans": List(_span()),
            "doc_start": Value("int32"),
            "fold": Value("int32"),
            **_metadata(),
        }
    )


def documents_features() -> Features:
    from datasets import Features, List, Value

    return Features(
        {
            "doc_id": Value("string"),
            "text": Value("string"),
            "body_start": Value("int32"),
            "body_end": Value("int32"),
            "excluded": List({"start": Value("int32"), "end": Value("int32")}),
            "spans": List(_span()),
            "num_sentences": Value("int32"),
            **_metadata(),
            "title": Value("string"),
            "date_written": Value("string"),
            "date_published": Value("string"),
            "sha256": Value("string"),
            "split": Value("string"),
            "fold": Value("int32"),
        }
    )


def _mention() -> dict[str, object]:
    """The leading columns of the mention configs (``indicators``, ``agencies``): where the mention sits."""
    from datasets import Value

    return {
        "id": Value("string"),
        "doc_id": Value("string"),
        "sentence_id": Value("string"),
        "sentence_text": Value("string"),
        "text": Value("string"),
        "start": Value("int32"),
        "end": Value("int32"),
        "doc_start": Value("int32"),
        "doc_end": Value("int32"),
    }


def indicators_features() -> Features:
    from datasets import Features, Value

    return Features(
        {
            **_mention(),
            "value": Value("float64"),
            "raw_value": Value("string"),
            "unit": Value("string"),
            "multiplier": Value("float64"),
            "modifier": Value("string"),
            "kind": Value("string"),
            "range_high": Value("float64"),
            "metric_id": Value("string"),
            "metric_name_zh": Value("string"),
            "metric_name_en": Value("string"),
            "fold": Value("int32"),
            **{("report_unit" if k == "unit" else k): v for k, v in _metadata().items()},
        }
    )


def agencies_features() -> Features:
    from datasets import Features, Value

    return Features(
        {
            **_mention(),
            "body_type": Value("string"),
            "body_type_name_zh": Value("string"),
            "body_type_name_en": Value("string"),
            "fold": Value("int32"),
            **{("report_unit" if k == "unit" else k): v for k, v in _metadata().items()},
        }
    )


def features_of(config: str) -> Features:
    from fazhi_ner.errors import DatasetError

    makers = {"sentences": sentences_features, "documents": documents_features, "indicators": indicators_features,
              "agencies": agencies_features, "synthetic": sentences_features}
    try:
        return makers[config]()
    except KeyError:
        raise DatasetError(f"unknown config {config!r}; expected one of {', '.join(makers)}") from None
