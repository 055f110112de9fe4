"""The rule and gazetteer tagger: both the Label Studio pre-annotator and the ``rules`` baseline.

It is a stage of its own (not core): it depends on the core (spans, sentences, seeds) and nothing
depends on it except the stages that use it (annotation push, the rules baseline, provisional gold).
``tagger`` holds the regular expressions and the resolution of overlaps; ``gazetteer`` the word lists.
"""

from fazhi_ner.rules.tagger import RULES_VERSION, annotate, annotate_document, annotate_sentence

__all__ = ["RULES_VERSION", "annotate", "annotate_document", "annotate_sentence"]
