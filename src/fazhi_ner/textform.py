"""The text form the models read, and an exact offset map back to the user's text.

Why: the models learned the seeds' form (half-width ``,;:()%``, digits and Latin half-width, one paragraph per
line), but published reports use full-width ``，；：（）``, and text copied from a PDF is hard-wrapped every 30–40
characters with page numbers and running headers in between. :func:`normalise` maps a raw text to the seeds'
form and keeps a map from every normalised character to the range of the raw text it came from, so spans found
in the normalised text are reported with offsets into, and text from, the user's original file. Nothing here
changes a stored text: the gold and the seeds are never normalised on disk (and normalising a seed changes only
the non-breaking spaces of its web boilerplate, which a test checks).

What changes (and nothing else):
- full-width ASCII forms ``！＂＃…～`` (U+FF01–FF5E, so ``，；：（）％``, digits, Latin letters) -> half-width;
  ``。、“”《》`` stay, as in the seeds;
- ideographic, non-breaking and other fixed-width spaces -> a space;
- ``\\r\\n``, ``\\r``, U+2028/2029 -> ``\\n``;
- only when the text is recognisably hard-wrapped (most lines are about as long as the longest, and most of
  those stop mid-sentence): a line break
  after a full line that does not end a sentence is removed (with the spaces around it), unless the next line is
  indented; lines that are page numbers (``- 3 -``, ``第3页``, ``3/12``) or a running header (the same line shorter
  than a full one, digits aside, three or more times) are removed, and the break around them joined when the sentence runs on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from fazhi_ner.sentences import CLOSERS, TERMINATORS
from fazhi_ner.spans import Span

_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE.update({ord(s): " " for s in "\u3000\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"})
_BREAK = re.compile("\r\n|\r|\n|\u2028|\u2029")
_PAGE_NUMBER = re.compile(
    r"[-—–_\s]*\d{1,4}[-—–_\s]*|第\s*\d{1,4}\s*页(\s*[,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
MIN_WRAP_LINES = 3  # fewer full lines than this: not enough evidence of hard wrapping
FULL_SHARE = 0.4  # hard-wrapped text: at least this share of its lines (8+ characters) are full


def chars_form(text: str) -> str:
    """The character-level mapping alone (same length as ``text``): for comparing span texts across forms."""
    return text.translate(_TABLE)


def form_key(text: str) -> str:
    """The normalised text without any whitespace: equal for the same report in any form (duplicate checks)."""
    return "".join(normalise(text).text.split())


@dataclass(frozen=True)
class FormMap:
    """A normalised text and where each of its characters came from in the original.

    The map is stored as runs: run ``i`` covers normalised ``[norm[i], norm[i] + size)``; a run with
    ``width[i] == 0`` maps character by character from ``orig[i]``, else it is one character made from the
    ``width[i]`` original characters at ``orig[i]`` (a ``\\r\\n``).
    """

    original: str
    text: str
    norm: tuple[int, ...]
    orig: tuple[int, ...]
    width: tuple[int, ...]

    def _char(self, i: int) -> tuple[int, int]:
        run = bisect_right(self.norm, i) - 1
        if self.width[run]:
            return self.orig[run], self.orig[run] + self.width[run]
        start = self.orig[run] + i - self.norm[run]
        return start, start + 1

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of the normalised ``[start, end)``: from its first character's origin to
        the end of its last's (a removed line break inside is covered; one at the edges is not)."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"range [{start}, {end}) outside the normalised text of length {len(self.text)}")
        if start == end:
            position = self._char(start)[0] if start < len(self.text) else len(self.original)
            return position, position
        return self._char(start)[0], self._char(end - 1)[1]

    def span(self, span: Span, shift: int = 0) -> Span:
        """``span`` (normalised offsets) as a span of the original text, shifted by ``shift``, with its text."""
        start, end = self.to_original(span.start, span.end)
        return Span(start + shift, end + shift, span.label, self.original[start:end])


@dataclass(frozen=True)
class _Line:
    start: int  # first character
    end: int  # end of the content (before the line break)
    brk: int  # end of the line break
    lead: int  # first non-space character (== end when blank)
    trail: int  # end of the last non-space character

    @property
    def length(self) -> int:
        return self.trail - self.lead


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    start = 0
    for match in [*_BREAK.finditer(text), None]:
        end, brk = (match.start(), match.end()) if match else (len(text), len(text))
        lead, trail = start, end
        while lead < end and text[lead] in " \t":
            lead += 1
        while trail > lead and text[trail - 1] in " \t":
            trail -= 1
        out.append(_Line(start, end, brk, lead, trail))
        start = brk
    return out


def _wrap_width(text: str, lines: list[_Line]) -> int | None:
    """The width a hard-wrapped text is wrapped at, or None when it does not look hard-wrapped: most lines
    (8+ characters) are about as long as the longest, and most of those full lines stop mid-sentence (a text
    with one paragraph per line has lines of every length, ending in 。)."""
    measured = [line for line in lines if line.length >= 8]
    if len(measured) < MIN_WRAP_LINES:
        return None
    lengths = sorted(line.length for line in measured)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = [line for line in measured if line.length >= width - _tolerance(width)]
    running_on = sum(1 for line in full if not _ends_sentence(text[line.lead : line.trail]))
    wrapped = len(full) >= max(MIN_WRAP_LINES, FULL_SHARE * len(measured)) and running_on * 2 > len(full)
    return width if wrapped and 10 <= width <= 120 else None


def _tolerance(width: int) -> int:
    return max(2, width // 8)


def _ends_sentence(content: str) -> bool:
    stripped = content.rstrip("".join(CLOSERS))
    return bool(stripped) and stripped[-1] in TERMINATORS


def _dropped(text: str, lines: list[_Line], width: int) -> set[int]:
    """Lines that are page numbers, or a running header: the same short line (shorter than a full one, with
    some Chinese), digits aside, three or more times."""
    keys = [re.sub(r"\d+", "#", text[line.lead : line.trail]) for line in lines]
    counts = Counter(keys)
    out = set()
    for i, (key, line) in enumerate(zip(keys, lines, strict=True)):
        content = text[line.lead : line.trail]
        if not content:
            continue
        header = (
            counts[key] >= 3
            and 4 <= line.length < width - _tolerance(width)
            and len(_CJK.findall(content)) >= 2
            and not _ends_sentence(content)
        )
        if header or _PAGE_NUMBER.fullmatch(content):
            out.add(i)
    return out


def _deletions(text: str, lines: list[_Line]) -> list[tuple[int, int]]:
    """Ranges of ``text`` to remove: the joins of hard-wrapped lines and the page-number / header lines."""
    width = _wrap_width(text, lines)
    if width is None:
        return []
    dropped = _dropped(text, lines, width)
    kept = [i for i, line in enumerate(lines) if line.length and i not in dropped]
    out: list[tuple[int, int]] = []
    removed_lines: set[int] = set()
    for p, q in zip(kept, kept[1:], strict=False):
        between = range(p + 1, q)
        has_dropped = any(i in dropped for i in between)
        blank = any(i not in dropped for i in between)
        a, b = lines[p], lines[q]
        if (
            a.length >= width - _tolerance(width)
            and not _ends_sentence(text[a.lead : a.trail])
            and b.lead - b.start < 2  # an indented line starts a paragraph
            and (has_dropped or not blank)
        ):
            out.append((a.trail, b.lead))
            removed_lines.update(between)
    for i in sorted(dropped - removed_lines):
        out.append((lines[i].start, lines[i].brk))
    return sorted(out)


def normalise(text: str) -> FormMap:
    """``text`` in the form the models read, with the map back to ``text`` (see the module docstring)."""
    chars = text.translate(_TABLE)
    lines = _lines(chars)
    deletions = _deletions(chars, lines)
    edits = [(a, b, "") for a, b in deletions]
    d = 0
    for line in lines:  # line breaks outside the removed ranges become "\n"
        if chars[line.end : line.brk] in ("", "\n"):
            continue
        while d < len(deletions) and deletions[d][1] <= line.end:
            d += 1
        if d < len(deletions) and deletions[d][0] <= line.end < deletions[d][1]:
            continue
        edits.append((line.end, line.brk, "\n"))
    edits.sort()
    pieces: list[str] = []
    norm: list[int] = []
    orig: list[int] = []
    width: list[int] = []
    size = position = 0
    for a, b, replacement in edits:
        if a > position:
            norm.append(size), orig.append(position), width.append(0)
            pieces.append(chars[position:a])
            size += a - position
        if replacement:
            norm.append(size), orig.append(a), width.append(b - a)
            pieces.append(replacement)
            size += 1
        position = b
    if position < len(chars) or not norm:
        norm.append(size), orig.append(position), width.append(0)
        pieces.append(chars[position:])
    return FormMap(text, "".join(pieces), tuple(norm), tuple(orig), tuple(width))
