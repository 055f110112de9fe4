"""Coverage figures of the link gold: the share of INDICATORs with a metric id and of AGENCYs typed."""

from __future__ import annotations

from collections import Counter

from fazhi_ner.links.taxonomy import OTHER


def link_stats() -> dict[str, object]:
    from fazhi_ner.links.store import load_links

    records = [r for rs in load_links("gold").values() for r in rs]
    indicators = [r for r in records if r.label == "INDICATOR"]
    agencies = [r for r in records if r.label == "AGENCY"]
    linked = [r for r in indicators if r.link != OTHER]
    typed = [r for r in agencies if r.link]
    return {
        "indicators": len(indicators),
        "indicators_linked": len(linked),
        "indicators_linked_share": round(len(linked) / len(indicators), 4) if indicators else None,
        "indicators_other": [
            {"doc_id": r.doc_id, "text": r.text, "reason": r.reason} for r in indicators if r.link == OTHER
        ],
        "metric_ids_used": len({r.link for r in linked}),
        "domains": dict(sorted(Counter(r.link.split(".")[0] for r in linked).items())),
        "agencies": len(agencies),
        "agencies_typed": len(typed),
        "agencies_typed_share": round(len(typed) / len(agencies), 4) if agencies else None,
        "body_types": dict(sorted(Counter(r.link for r in agencies).items())),
    }
