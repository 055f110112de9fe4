"""The link columns of the dataset configs: metric id and names for INDICATOR, body type for AGENCY.

Read from the adjudicated link gold (``annotation/links/gold``); a span without a link (a gold folder
other than the committed one) gets nulls rather than a guess.
"""

from __future__ import annotations

from fazhi_ner.links.store import gold_link_index
from fazhi_ner.links.taxonomy import load_taxonomy


def metric_fields(doc_id: str, doc_start: int, doc_end: int) -> dict[str, object]:
    record = gold_link_index().get((doc_id, doc_start, doc_end, "INDICATOR"))
    if record is None:
        return {"metric_id": None, "metric_name_zh": None, "metric_name_en": None}
    zh, en = load_taxonomy().metric_names(record.link)
    return {"metric_id": record.link, "metric_name_zh": zh, "metric_name_en": en}


def body_fields(doc_id: str, doc_start: int, doc_end: int) -> dict[str, object]:
    record = gold_link_index().get((doc_id, doc_start, doc_end, "AGENCY"))
    if record is None:
        return {"body_type": None, "body_type_name_zh": None, "body_type_name_en": None}
    body = load_taxonomy().body_types[record.link]
    return {"body_type": body.id, "body_type_name_zh": body.name_zh, "body_type_name_en": body.name_en}
