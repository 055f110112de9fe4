"""A self-contained static HTML page comparing the reports, with charts drawn as inline SVG.

No JavaScript library, no CDN, no web font: the charts are SVG elements written here, so the page
renders offline and identically everywhere (a headless-Chromium test checks it). Deterministic: the
same cells give the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape

from fazhi_ner.comparison.cells import Cell
from fazhi_ner.links.taxonomy import Taxonomy
from fazhi_ner.seeds import Document

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7")
FONT = "'WenQuanYi Micro Hei','Noto Sans CJK SC','Microsoft YaHei',sans-serif"


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _report_label(doc: Document) -> str:
    """Short enough for a chart axis: long unit names (development zones) are cut to 7 characters."""
    unit = doc.unit if len(doc.unit) <= 7 else doc.unit[:6] + "…"
    return f"{unit} {doc.year}"


def bar_chart(cell_list: Sequence[Cell], documents: Mapping[str, Document], colours: Mapping[str, str]) -> str:
    """One horizontal bar per report; the bar's tooltip lists the source spans."""
    width, label_w, row_h, pad = 560, 130, 26, 8
    top = max((c.value or 0.0) for c in cell_list) or 1.0
    if cell_list[0].unit_kind == "percentage":
        top = max(top, 100.0)
    height = pad * 2 + row_h * len(cell_list)
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{escape(FONT)}" font-size="12">'
    ]
    for i, cell in enumerate(cell_list):
        y = pad + i * row_h
        bar_w = 0 if cell.value is None else max(1.0, (width - label_w - 170) * cell.value / top)
        tip = "; ".join(f"{m.text} → {fmt(m.value)}{m.unit or ''}" for m in cell.mentions)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(_report_label(documents[cell.doc_id]))}</text>'
        )
        parts.append(
            f'<rect class="bar" data-doc="{escape(cell.doc_id)}" x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}" '
            f'fill="{colours[cell.doc_id]}"><title>{escape(tip)}</title></rect>'
        )
        more = f" ({len(cell.mentions)} mentions)" if len(cell.mentions) > 1 else ""
        parts.append(
            f'<text x="{label_w + bar_w + 6:.1f}" y="{y + 17}">{escape(fmt(cell.value) + (cell.unit or ""))}{escape(more)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def coverage_chart(cells: Sequence[Cell], documents: Mapping[str, Document], taxonomy: Taxonomy) -> str:
    """A grid: domains × reports, the number of metric ids each report gives figures for."""
    docs = sorted({c.doc_id for c in cells})
    counts = Counter((c.domain, c.doc_id) for c in cells)
    domains = [d for d in taxonomy.domains if any(counts[(d, doc)] for doc in docs)]
    top = max(counts.values()) if counts else 1
    col_w, row_h, label_w, head = 120, 24, 400, 40
    width, height = label_w + col_w * len(docs), head + row_h * len(domains)
    parts = [
        f'<svg class="chart coverage" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{escape(FONT)}" font-size="12">'
    ]
    for j, doc in enumerate(docs):
        parts.append(
            f'<text x="{label_w + j * col_w + col_w / 2}" y="{head - 12}" text-anchor="middle">'
            f"{escape(_report_label(documents[doc]))}</text>"
        )
    for i, domain in enumerate(domains):
        y = head + i * row_h
        zh, en = taxonomy.domains[domain]
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(zh)} · {escape(en)}</text>')
        for j, doc in enumerate(docs):
            n = counts[(domain, doc)]
            shade = 0.08 + 0.92 * n / top if n else 0.0
            parts.append(
                f'<rect x="{label_w + j * col_w + 2}" y="{y + 2}" width="{col_w - 4}" height="{row_h - 4}" '
                f'fill="#4e79a7" fill-opacity="{shade:.2f}" stroke="#ccc"><title>{escape(zh)} / '
                f"{escape(documents[doc].unit)}: {n}</title></rect>"
            )
            if n:
                colour = "#fff" if shade > 0.5 else "#222"
                parts.append(
                    f'<text x="{label_w + j * col_w + col_w / 2}" y="{y + 16}" text-anchor="middle" fill="{colour}">{n}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def body_type_chart(
    body_counts: Mapping[str, Counter[str]], documents: Mapping[str, Document], taxonomy: Taxonomy
) -> str:
    """Grouped horizontal bars: AGENCY mentions per body type, one colour per report."""
    docs = sorted(body_counts)
    types = sorted(
        {t for c in body_counts.values() for t in c}, key=lambda t: (-sum(c[t] for c in body_counts.values()), t)
    )
    top = max((c[t] for c in body_counts.values() for t in types), default=1)
    label_w, bar_h, group_pad, width = 250, 9, 8, 640
    height = len(types) * (bar_h * len(docs) + group_pad) + 10
    parts = [
        f'<svg class="chart bodies" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{escape(FONT)}" font-size="11">'
    ]
    y = 5
    for t in types:
        body = taxonomy.body_types[t]
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * len(docs) / 2 + 4}" text-anchor="end">{escape(body.name_zh)}</text>'
        )
        for k, doc in enumerate(docs):
            n = body_counts[doc][t]
            w = (width - label_w - 40) * n / top
            parts.append(
                f'<rect x="{label_w}" y="{y + k * bar_h}" width="{w:.1f}" height="{bar_h - 1}" fill="{PALETTE[k % len(PALETTE)]}">'
                f"<title>{escape(documents[doc].unit)} · {escape(body.name_zh)}: {n}</title></rect>"
            )
            if n:
                parts.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{y + k * bar_h + bar_h - 1}" font-size="9">{n}</text>'
                )
        y += bar_h * len(docs) + group_pad
    parts.append("</svg>")
    return "".join(parts)


def render(
    cells: Sequence[Cell],
    documents: Mapping[str, Document],
    taxonomy: Taxonomy,
    body_counts: Mapping[str, Counter[str]],
) -> str:
    docs = sorted({c.doc_id for c in cells} | set(body_counts))
    colours = {doc: PALETTE[i % len(PALETTE)] for i, doc in enumerate(docs)}
    by_metric: dict[str, list[Cell]] = {}
    for cell in cells:
        by_metric.setdefault(cell.metric_id, []).append(cell)
    shared = [m for m in taxonomy.metrics if len(by_metric.get(m, [])) >= 2]
    legend = "".join(
        f'<li><span class="swatch" style="background:{colours[d]}"></span>{escape(documents[d].unit)} '
        f"({escape(documents[d].province)}, {documents[d].year}) <code>{escape(d)}</code></li>"
        for d in docs
    )
    sections = []
    for metric_id in shared:
        metric = taxonomy.metrics[metric_id]
        sections.append(
            f'<section class="metric" id="{escape(metric_id)}"><h3>{escape(metric.name_zh)} · {escape(metric.name_en)}</h3>'
            f'<p class="def"><code>{escape(metric_id)}</code> — {escape(metric.definition)}</p>'
            + bar_chart(by_metric[metric_id], documents, colours)
            + "</section>"
        )
    rows = []
    for cell in cells:
        spans = "<br>".join(f"{escape(m.text)} <small>[{m.start}, {m.end})</small>" for m in cell.mentions)
        rows.append(
            f"<tr><td>{escape(documents[cell.doc_id].unit)}</td><td><code>{escape(cell.metric_id)}</code><br>"
            f'{escape(cell.metric_name_zh)}</td><td class="num">{escape(fmt(cell.value))}</td><td>{escape(cell.unit or "")}</td>'
            f'<td class="num">{escape(fmt(cell.value_sum))}</td><td>{spans}</td></tr>'
        )
    n_mentions = sum(len(c.mentions) for c in cells)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FaZhi-NER 跨报告指标对比 · Cross-report comparison</title>
<style>
body {{ font-family: {FONT}; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.5; padding: 0 1em; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }}
h3 {{ font-size: 1.05em; margin: 1.2em 0 .2em; }} .def {{ color: #555; margin: 0 0 .3em; font-size: .9em; }}
.legend {{ list-style: none; padding: 0; }} .legend li {{ display: inline-block; margin-right: 1.2em; }}
.swatch {{ display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: middle; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: .5em 2em; }}
table {{ border-collapse: collapse; width: 100%; font-size: .85em; }} td, th {{ border: 1px solid #ddd; padding: .25em .4em; vertical-align: top; }}
th {{ background: #f4f4f4; }} .num {{ text-align: right; white-space: nowrap; }} small {{ color: #888; }}
</style>
</head>
<body>
<h1>法治政府建设年度报告：跨报告指标对比<br><small>FaZhi-NER cross-report comparison</small></h1>
<p>Generated by <code>fazhi table build</code> from the gold INDICATOR spans, their gold metric links
(<code>annotation/links/gold</code>) and the normalised readings of <code>fazhi_ner.indicators</code>
(万 → ×10,000, 万元/亿元 → 元). The annotations were made by AI agents, not by human annotators.
{len(cells)} report × metric cells from {n_mentions} INDICATOR mentions. A count or money cell shows its largest mention
(a report's total when it also gives the parts), a rate or rank cell its first mention (for ranks, lower is better);
hover a bar to see every source span.</p>
<ul class="legend">{legend}</ul>
<h2>Which reports give figures in which domain</h2>
<p>Number of metric ids with at least one figure, per domain and report.</p>
{coverage_chart(cells, documents, taxonomy)}
<h2>Metrics reported by at least two reports ({len(shared)})</h2>
<div class="grid">
{"".join(sections)}
</div>
<h2>Bodies named (AGENCY mentions by body type)</h2>
{body_type_chart(body_counts, documents, taxonomy)}
<h2>All cells</h2>
<table id="cells"><thead><tr><th>Report</th><th>Metric</th><th>Value</th><th>Unit</th><th>Sum</th><th>Source spans [start, end)</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body>
</html>
"""
