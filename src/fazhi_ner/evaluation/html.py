"""The self-contained leaderboard page: inline CSS, JS and SVG; no network at view time.

The table is rendered by the page's script from the embedded JSON (so sorting by clicking a header
works on the same data); the chart is static SVG drawn here, with one point and CI whisker per
system and per label.
"""

from __future__ import annotations

import json
import re
import textwrap
from html import escape
from typing import TYPE_CHECKING

from fazhi_ner.labels import LABELS
from fazhi_ner.results import json_key
from fazhi_ner.scores import Pooled

if TYPE_CHECKING:
    from fazhi_ner.scores import HumanCeiling, Leaderboard, SystemRow

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;font-size:14px;margin:1rem 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f3f3f3;cursor:pointer;user-select:none}th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
td.name,th.name{text-align:left}tr.human{background:#fff7e0;font-style:italic}.meta{color:#555;font-size:13px}
code{background:#f3f3f3;padding:1px 4px}
"""

_JS = r"""
(function(){
  var data = JSON.parse(document.getElementById('leaderboard-data').textContent);
  var labels = data.labels;
  var cols = [
    {key:'rank', title:'#', get:function(r){return r.rank;}},
    {key:'system', title:'System', name:true, get:function(r){return r.system;}},
    {key:'type', title:'Type', name:true, get:function(r){return r.type;}},
    {key:'micro', title:'Micro F1', get:function(r){return r.micro.f1;}},
    {key:'ci', title:'95% CI', get:function(r){return r.micro.ci ? r.micro.ci[0] : null;},
     show:function(r){return r.micro.ci ? '[' + f(r.micro.ci[0]) + ', ' + f(r.micro.ci[1]) + ']' : '–';}},
    {key:'p', title:'P', get:function(r){return r.micro.precision;}},
    {key:'r', title:'R', get:function(r){return r.micro.recall;}},
    {key:'macro', title:'Macro F1', get:function(r){return r.macro_f1;}}
  ];
  labels.forEach(function(l){cols.push({key:'l_'+l, title:l+' F1', get:function(r){return r.per_label[l].f1;}});});
  cols.push({key:'partial', title:'Partial F1', get:function(r){return r.partial_f1 ? r.partial_f1.partial : null;}});
  cols.push({key:'cv', title:'LODO pooled F1', get:function(r){return r.cv && r.cv.@POOLED@ ? r.cv.@POOLED@.mean : null;}});
  cols.push({key:'rules', title:'Reads rule tagger', name:true, get:function(r){return r.uses_rule_tagger === true ? 'yes' : r.uses_rule_tagger === false ? 'no' : '?';}});
  function f(x){return (x === null || x === undefined) ? '–' : Number(x).toFixed(3);}
  var rows = data.systems.slice();
  var sortKey = 'micro', desc = true;
  var table = document.getElementById('board');
  var head = table.querySelector('thead tr'), body = table.querySelector('tbody');
  cols.forEach(function(c){
    var th = document.createElement('th'); th.textContent = c.title; th.dataset.key = c.key;
    if (c.name) th.className = 'name';
    th.addEventListener('click', function(){ if (sortKey === c.key) desc = !desc; else {sortKey = c.key; desc = !c.name && c.key !== 'rank';} draw(); });
    head.appendChild(th);
  });
  function cell(tr, c, r){
    var td = document.createElement('td'); if (c.name) td.className = 'name';
    if (c.key === 'system'){
      var code = document.createElement('code'); code.className = 'short'; code.textContent = r.name; td.appendChild(code);
      td.appendChild(document.createTextNode(' '));
      var a = document.createElement(r.link ? 'a' : 'span'); if (r.link) a.href = r.link; a.textContent = r.system; td.appendChild(a);
    }
    else td.textContent = c.show ? c.show(r) : (c.name || c.key === 'rank' ? (c.get(r) === undefined ? '–' : String(c.get(r))) : f(c.get(r)));
    tr.appendChild(td);
  }
  function draw(){
    var col = cols.filter(function(c){return c.key === sortKey;})[0];
    rows.sort(function(a, b){
      var x = col.get(a), y = col.get(b);
      if (x === y) return a.name < b.name ? -1 : 1;
      if (x === null || x === undefined) return 1; if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * (desc ? -1 : 1);
    });
    body.textContent = '';
    rows.forEach(function(r){ var tr = document.createElement('tr'); tr.className = 'system'; tr.dataset.name = r.name; cols.forEach(function(c){cell(tr, c, r);}); body.appendChild(tr); });
    if (data.human_ceiling){
      var h = data.human_ceiling, tr = document.createElement('tr'); tr.className = 'human'; tr.dataset.name = h.name;
      cols.forEach(function(c){
        var td = document.createElement('td'); if (c.name) td.className = 'name';
        td.textContent = c.key === 'system' ? h.system : c.key === 'type' ? 'agreement ceiling' : c.key === 'micro' ? f(h.micro.f1)
          : c.key === 'ci' ? (h.micro.ci ? '[' + f(h.micro.ci[0]) + ', ' + f(h.micro.ci[1]) + ']' : '–')
          : c.key.indexOf('l_') === 0 ? f(h.per_label[c.key.slice(2)].f1) : '–';
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
    Array.prototype.forEach.call(head.children, function(th){ th.className = (th.className.indexOf('name') >= 0 ? 'name ' : '') + (th.dataset.key === sortKey ? (desc ? 'sorted-desc' : 'sorted-asc') : ''); });
  }
  draw();
})();
"""


def _js() -> str:
    """The page's script, with the JSON keys it reads that the records name differently."""
    return _JS.replace("@POOLED@", json_key(Pooled, "pooled"))


LABEL_CHARS = 42  # a chart label line (300 px of 12 px text); longer names wrap onto more lines, never cut


def notes_html(note: str) -> str:
    """A caveat as HTML: escaped, with its `backticked` names as code (the Markdown board shows them the same way)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(note))


def _label_lines(name: str, system: str) -> list[str]:
    """The short name (what ``--model`` takes, for a baseline) on the first line, then the full system name."""
    return [name, *textwrap.wrap(system, LABEL_CHARS)] if name != system else textwrap.wrap(system, LABEL_CHARS)


def _series(board: Leaderboard) -> list[tuple[list[str], list[tuple[str, str, float | None, list[float] | None]]]]:
    """(label lines, [(metric, colour, value, ci)]) for every system and the human ceiling."""
    colours = {label.name: label.colour for label in LABELS}
    groups = []
    rows: list[SystemRow | HumanCeiling] = list(board.systems)
    if board.human_ceiling:
        rows.append(board.human_ceiling)
    for row in rows:
        points = [("micro", "#333333", row.micro.f1, row.micro.ci)]
        for name in board.labels:
            cell = row.per_label[name]
            points.append((name, colours[name], cell.f1, cell.ci))
        groups.append((_label_lines(row.name, row.system), points))
    return groups


def render_svg(board: Leaderboard) -> str:
    groups = _series(board)
    left, width, step, pad = 300, 520, 14, 10
    height = max(60, pad * 2 + 30 + sum(max(len(points), len(lines)) * step + 12 for lines, points in groups))
    x = lambda v: left + v * width  # noqa: E731
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="chart" width="{left + width + 40}" height="{height}" '
        f'viewBox="0 0 {left + width + 40} {height}" role="img" aria-label="F1 with 95% CIs per system and label">',
        "<style>text{font:12px sans-serif}</style>",
    ]
    for tick in range(0, 11, 2):
        v = tick / 10
        out.append(f'<line x1="{x(v):.1f}" y1="{pad}" x2="{x(v):.1f}" y2="{height - 25}" stroke="#ddd"/>')
        out.append(f'<text x="{x(v):.1f}" y="{height - 10}" text-anchor="middle">{v:.1f}</text>')
    y = pad + 5
    if not groups:
        out.append(f'<text x="{left}" y="{y + 15}">no submissions yet</text>')
    for lines, points in groups:
        system = " ".join(lines)
        for i, line in enumerate(lines):
            weight = ' font-weight="bold" class="short"' if i == 0 else ' fill="#555"'
            out.append(f'<text x="{pad}" y="{y + 10 + i * step}"{weight}>{escape(line)}</text>')
        top = y
        for metric, colour, value, ci in points:
            y += step
            out.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{escape(metric)}</text>')
            if ci:
                out.append(
                    f'<line x1="{x(ci[0]):.1f}" y1="{y}" x2="{x(ci[1]):.1f}" y2="{y}" stroke="{colour}" stroke-width="2"/>'
                )
            if value is not None:
                out.append(
                    f'<circle cx="{x(value):.1f}" cy="{y}" r="4" fill="{colour}"><title>{escape(system)} {metric} F1 {value:.3f}</title></circle>'
                )
        y = max(y, top + (len(lines) - 1) * step) + 12
    out.append("</svg>")
    return "\n".join(out)


def render_html(board: Leaderboard) -> str:
    from fazhi_ner.evaluation.leaderboard import caveats

    data = json.dumps(board.to_data(), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    fp = board.test_fingerprint or "none (no gold yet)"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>FaZhi-NER leaderboard</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<h1>FaZhi-NER leaderboard</h1>\n"
        f'<p class="meta">Dataset version {escape(board.dataset_version)}; test split {board.test_sentences} sentences; '
        f"gold fingerprint <code>{escape(fp)}</code>. {escape(board.metric)}. Click a column header to sort. "
        "The italic row is agreement between two annotation passes made by AI annotator agents: a ceiling, not a system, and not a human-agreement figure.</p>\n"
        '<table id="board"><thead><tr></tr></thead><tbody></tbody></table>\n'
        + "".join(f'<p class="caveat">{notes_html(note)}</p>\n' for note in caveats(board))
        + "<noscript><p>The table needs JavaScript; the same data is in leaderboard.json and LEADERBOARD.md.</p></noscript>\n"
        f"<h2>F1 with 95% confidence intervals</h2>\n{render_svg(board)}\n"
        f'<script type="application/json" id="leaderboard-data">{data}</script>\n'
        f"<script>{_js()}</script>\n</body>\n</html>\n"
    )
