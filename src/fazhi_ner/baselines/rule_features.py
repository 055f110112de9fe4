"""The rule tagger's output as per-character IOB2 tags, for stacked models.

A model using these features reads fazhi_ner.rules, which was written with every report visible (test
included), so it inherits the rules' advantage: its config must say ``uses_rule_tagger: true``.
"""

from __future__ import annotations

from collections.abc import Sequence

from fazhi_ner.spans import spans_to_tags


def rule_tags(texts: Sequence[str]) -> list[list[str]]:
    from fazhi_ner.baselines.rules_model import _annotate

    annotate = _annotate()
    return [spans_to_tags(annotate(text), len(text)) for text in texts]
