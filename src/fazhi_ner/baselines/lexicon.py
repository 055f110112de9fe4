"""A gazetteer learned from the training spans, matched longest-first: the ``lexicon`` feature family.

Why: agencies recur across reports (县司法局, 县人民法院, 县政府常务会议), and a CRF with a +-2 character window
cannot see a whole 8-character name at once. Training features are computed jackknife-style (each training
report is matched against a lexicon of the OTHER training reports), so the model learns how far a lexicon
match can be trusted on unseen text instead of learning that it is always right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from fazhi_ner.corpus import Example
from fazhi_ner.labels import LABEL_NAMES

MIN_LENGTH = 2


def build_lexicon(examples: Sequence[Example]) -> dict[str, str]:
    """Span text -> its most frequent label (ties: label order), for spans of at least MIN_LENGTH characters."""
    votes: dict[str, Counter[str]] = {}
    for ex in examples:
        for span in ex.spans:
            surface = ex.text[span.start : span.end]
            if len(surface) >= MIN_LENGTH:
                votes.setdefault(surface, Counter())[span.label] += 1
    return {
        surface: min(counter, key=lambda label: (-counter[label], LABEL_NAMES.index(label)))
        for surface, counter in sorted(votes.items())
    }


def match_tags(text: str, lexicon: dict[str, str], max_length: int | None = None) -> list[str]:
    """BIO tags of greedy longest matches, left to right (``O`` elsewhere)."""
    longest = max_length or max((len(k) for k in lexicon), default=0)
    tags = ["O"] * len(text)
    i = 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), MIN_LENGTH - 1, -1):
            label = lexicon.get(text[i : i + n])
            if label:
                tags[i] = f"B-{label}"
                for j in range(i + 1, i + n):
                    tags[j] = f"I-{label}"
                i += n
                break
        else:
            i += 1
    return tags


def jackknife_tags(examples: Sequence[Example]) -> list[list[str]]:
    """Lexicon tags of each example from a lexicon of the other documents (falls back to all when there is one)."""
    docs = sorted({ex.sentence.doc_id for ex in examples})
    lexicons = {
        doc: build_lexicon([e for e in examples if e.sentence.doc_id != doc] if len(docs) > 1 else examples)
        for doc in docs
    }
    return [match_tags(ex.text, lexicons[ex.sentence.doc_id]) for ex in examples]
