"""Leaderboard page (issue 22): short names as --model takes them, chart labels never cut, notes' backticks as code."""

from __future__ import annotations

import re
from pathlib import Path

from fazhi_ner.evaluation.html import _label_lines, notes_html, render_svg
from fazhi_ner.scores import Leaderboard

BOARD = Path("eval/leaderboard.json")


def test_chart_labels_show_the_short_name_and_the_whole_system_name() -> None:
    board = Leaderboard.from_file(BOARD)
    svg = render_svg(board)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for row in board.systems:
        assert row.name in texts  # e.g. crf-rules, crf-lac
        assert " ".join(_label_lines(row.name, row.system)[1:]) == row.system  # wrapped, not cut
    long = "Character BiLSTM-CRF over frozen LAC encoder states (PyTorch, CPU)"
    assert len(long) > 40 and " ".join(_label_lines("bilstm", long)[1:]) == long


def test_notes_render_backticks_as_code() -> None:
    assert notes_html("read the rules: `crf-rules` <b>") == "read the rules: <code>crf-rules</code> &lt;b&gt;"
    html = Path("eval/leaderboard.html").read_text(encoding="utf-8")
    caveats = re.findall(r'<p class="caveat">(.*?)</p>', html)
    assert caveats and not any("`" in c for c in caveats) and any("<code>" in c for c in caveats)
    assert "code.className = 'short'" in html  # the table's system cell starts with the short name
