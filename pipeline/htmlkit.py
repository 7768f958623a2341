"""Self-contained HTML building blocks: a page, inline-SVG bar charts and a searchable, sortable table.

Everything is inline (CSS, JS, SVG); nothing is fetched from the network, so a report opens offline and
can be mailed as one file. Every text value is HTML-escaped; only :class:`Raw` cells carry markup. The batch
report (:mod:`pipeline.reports`) and the eval suite's comparison pages are built from these functions.

The table script reads ``?q=`` from the page URL as the initial search (``?q_<table id>=`` for one table),
shows "N of M rows" in ``[data-count]`` and sorts by a column when its header is clicked.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PALETTE = ("#3b6fb6", "#d9822b", "#2e9e6a", "#a14fb0", "#c23b3b", "#6b7a8f")

CSS = """
:root{--fg:#1d2430;--muted:#5b6573;--line:#dfe3e8;--bg:#fff;--soft:#f5f7fa;--pass:#2e9e6a;--fail:#c23b3b}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid var(--line);
padding-bottom:4px}.sub{color:var(--muted);margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:var(--soft);border:1px solid var(--line);
border-radius:6px;padding:8px 14px;min-width:120px}.card b{display:block;font-size:20px}.card span{color:var(--muted)}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}svg .axis{stroke:var(--line)}svg .bar:hover{opacity:.8}
.tbl-tools{display:flex;gap:12px;align-items:center;margin:8px 0}.tbl-tools input{padding:6px 8px;width:320px;
border:1px solid var(--line);border-radius:4px;font:inherit}.count{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;
vertical-align:top}th{background:var(--soft);cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}.pass{color:var(--pass);font-weight:600}
.fail{color:var(--fail);font-weight:600}q{color:var(--muted)}ul.ev{margin:0;padding-left:18px}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;
margin-right:4px;border-radius:2px}
"""

JS = """
(function(){
  var params = new URLSearchParams(location.search);
  document.querySelectorAll('[data-table]').forEach(function(box){
    var table = box.querySelector('table'), body = table.tBodies[0], input = box.querySelector('[data-search]');
    var count = box.querySelector('[data-count]'), rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function(r){ r._text = r.textContent.toLowerCase(); });
    function filter(){
      var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
      rows.forEach(function(r){
        var ok = terms.every(function(t){ return r._text.indexOf(t) >= 0; });
        r.hidden = !ok; if (ok) shown++;
      });
      count.textContent = shown + ' of ' + rows.length + ' rows';
      box.setAttribute('data-shown', shown);
    }
    function key(r, i, num){
      var c = r.cells[i], v = c.hasAttribute('data-sort') ? c.getAttribute('data-sort') : c.textContent;
      return num ? parseFloat(v) || 0 : v.toLowerCase();
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, i){
      th.addEventListener('click', function(){
        var num = th.getAttribute('data-type') === 'num', asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(th.parentNode.cells, function(o){ o.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        rows.sort(function(a, b){ var x = key(a, i, num), y = key(b, i, num);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
        rows.forEach(function(r){ body.appendChild(r); });
      });
    });
    input.value = params.get('q_' + table.id) || params.get('q') || '';
    input.addEventListener('input', filter);
    filter();
  });
  document.body.setAttribute('data-ready', '1');
})();
"""


@dataclass(frozen=True)
class Raw:
    """A table cell given as ready-made HTML (escape its parts yourself), with an optional sort key."""

    html: str
    sort: str | float | None = None


def esc(value: Any) -> str:
    """HTML-escape any value's text."""
    return html.escape(str(value), quote=True)


def section(heading: str, body_html: str, *, section_id: str = "") -> str:
    """A titled section of a page."""
    ident = f' id="{esc(section_id)}"' if section_id else ""
    return f"<section{ident}><h2>{esc(heading)}</h2>\n{body_html}\n</section>"


def stat_cards(stats: Mapping[str, Any]) -> str:
    """A row of headline numbers: label → value."""
    cards = "".join(f'<div class="card"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for k, v in stats.items())
    return f'<div class="cards">{cards}</div>'


def html_page(title: str, sections: Iterable[str], *, subtitle: str = "") -> str:
    """A complete, self-contained HTML document: inline CSS, the sections (HTML strings) and the table script."""
    sub = f'<p class="sub">{esc(subtitle)}</p>' if subtitle else ""
    body = "\n".join(sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n<h1>{esc(title)}</h1>{sub}\n"
            f"{body}\n<script>{JS}</script>\n</body></html>\n")


def _fmt(value: float, unit: str) -> str:
    return f"{value:.1f}{unit}" if isinstance(value, float) and not value.is_integer() else f"{value:g}{unit}"


def grouped_bar_chart_svg(labels: Sequence[str], series: Mapping[str, Sequence[float]], *,
                          max_value: float | None = None, unit: str = "", title: str = "", width: int = 720,
                          label_width: int = 190, colors: Sequence[str] = PALETTE) -> str:
    """Horizontal bars, one group per label and one bar per series (e.g. a model or a prompt variant).

    Bars carry ``class="bar"`` and a ``<title>`` tooltip; a legend is drawn when there is more than one series.
    """
    names = list(series)
    top = max_value if max_value is not None else max([v for s in series.values() for v in s] + [1.0])
    bar_h, gap = 16, 8
    group_h = bar_h * len(names) + gap
    plot_w = width - label_width - 70
    height = group_h * len(labels) + gap + (18 if title else 0)
    y0 = 18 if title else 0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    if title:
        parts.append(f'<text x="0" y="13" font-weight="600">{esc(title)}</text>')
    parts.append(f'<line class="axis" x1="{label_width}" y1="{y0}" x2="{label_width}" y2="{height}"/>')
    for gi, label in enumerate(labels):
        gy = y0 + gap + gi * group_h
        ty = gy + group_h / 2 + 2
        parts.append(f'<text x="{label_width - 8}" y="{ty:.0f}" text-anchor="end">{esc(label)}</text>')
        for si, name in enumerate(names):
            value = float(series[name][gi])
            w = max(0.0, min(1.0, value / top if top else 0.0)) * plot_w
            y = gy + si * bar_h
            tip = f"{label} — {name}: {_fmt(value, unit)}" if len(names) > 1 else f"{label}: {_fmt(value, unit)}"
            parts.append(f'<rect class="bar" data-label="{esc(label)}" data-value="{value:g}" x="{label_width}" '
                         f'y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{colors[si % len(colors)]}">'
                         f"<title>{esc(tip)}</title></rect>")
            parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + bar_h - 5}">{esc(_fmt(value, unit))}</text>')
    parts.append("</svg>")
    legend = ""
    if len(names) > 1:
        items = "".join(f'<span><i style="background:{colors[i % len(colors)]}"></i>{esc(n)}</span>'
                        for i, n in enumerate(names))
        legend = f'<div class="legend">{items}</div>'
    return legend + "".join(parts)


def bar_chart_svg(labels: Sequence[str], values: Sequence[float], *, max_value: float | None = None,
                  unit: str = "", title: str = "", width: int = 720, label_width: int = 190,
                  color: str = PALETTE[0]) -> str:
    """Horizontal bar chart as inline SVG: one bar per label (e.g. pass rate per criterion)."""
    return grouped_bar_chart_svg(labels, {"value": values}, max_value=max_value, unit=unit, title=title, width=width,
                                 label_width=label_width, colors=(color,))


def _cell(value: Any) -> tuple[str, bool]:
    if isinstance(value, Raw):
        sort = "" if value.sort is None else f' data-sort="{esc(value.sort)}"'
        return f"<td{sort}>{value.html}</td>", isinstance(value.sort, int | float)
    if isinstance(value, bool) or value is None:
        return f"<td>{esc('' if value is None else ('yes' if value else 'no'))}</td>", False
    if isinstance(value, int | float):
        return f'<td class="num" data-sort="{value:g}">{esc(_fmt(value, ""))}</td>', True
    return f"<td>{esc(value)}</td>", False


def searchable_table_html(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, table_id: str = "results",
                          placeholder: str = "Search…") -> str:
    """A table with a search box (filters rows on every word typed) and click-to-sort headers.

    Cells may be text, numbers (right-aligned, sorted numerically), booleans, None, or :class:`Raw` HTML.
    """
    body: list[str] = []
    numeric = [True] * len(columns)
    seen = [False] * len(columns)
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            cell, is_num = _cell(value)
            cells.append(cell)
            if i < len(columns) and value not in (None, ""):
                numeric[i] = numeric[i] and is_num
                seen[i] = True
        body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th data-type="{"num" if numeric[i] and seen[i] else "text"}">{esc(c)}</th>'
                   for i, c in enumerate(columns))
    return (f'<div class="tbl" data-table><div class="tbl-tools"><input type="search" data-search '
            f'aria-label="{esc(placeholder)}" placeholder="{esc(placeholder)}"><span class="count" data-count>'
            f'{len(body)} rows</span></div>\n<table id="{esc(table_id)}"><thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(body) + "\n</tbody></table></div>")
