"""Normalised entities: metric ids for INDICATOR spans and body types for AGENCY spans.

The taxonomy files live in ``annotation/links/`` (data); this package reads and validates them,
reads the link passes and the link gold, measures agreement between passes and provides the
lexical linker (:func:`fazhi_ner.links.linker.link_spans`) that links spans of new reports.
Pure Python: no pandas, no ``datasets``.
"""

from __future__ import annotations

__all__ = ["link_spans"]


def link_spans(text, spans, model=None):  # type: ignore[no-untyped-def]
    """Link tagged spans of a report; see :func:`fazhi_ner.links.linker.link_spans`."""
    from fazhi_ner.links.linker import link_spans as _link_spans

    return _link_spans(text, spans, model=model)
