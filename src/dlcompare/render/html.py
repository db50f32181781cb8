"""The `html` format: one self-contained page (inline CSS and SVG; no scripts, fonts or
anything else from the network), readable on a phone and a desktop, printable and accessible.

Every piece of text is escaped here; charts are drawn as SVG with a title and a description
of their numbers, and the same numbers are always in a table of the same page.
"""

from __future__ import annotations

import re

from .blocks import (
    BarGroup,
    Cell,
    Chart,
    Column,
    Contents,
    Document,
    Heading,
    Links,
    Paragraph,
    Prose,
    Table,
    anchors,
    contents,
    heading_level,
)
from .escape import html as escape
from .escape import link_target

PALETTE = (
    "#1f5fa8",
    "#c2410c",
    "#047857",
    "#7e3fa0",
    "#a16207",
    "#be185d",
    "#0e7490",
    "#4b5563",
)
"""Bar colours, one per toolkit in order of appearance; each has a contrast of at least 4.5:1
against the page's white and pale backgrounds (WCAG asks 3:1 for graphics)."""

TEXT_COLOURS = {
    "foreground": "#1b1b1b",
    "muted": "#555555",
    "link": "#0b57d0",
    "good": "#18702f",
    "fair": "#8a5a00",
    "poor": "#b42318",
}
BACKGROUNDS = {"page": "#ffffff", "stripe": "#f6f8fa", "header": "#eef1f5"}

STYLE_CLASSES = {"green": "good", "yellow": "fair", "red": "poor", "dim": "muted"}
"""Layout styles (rich names, meant for the terminal) as CSS classes."""

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: BG_PAGE; color: FG;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 75rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .5rem 0 1rem; }
h2 { font-size: 1.45rem; line-height: 1.25; margin: 2.5rem 0 .75rem; padding-bottom: .3rem;
  border-bottom: 2px solid BG_HEADER; }
h3 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
p { margin: .5rem 0 .9rem; max-width: 60rem; }
a { color: LINK; overflow-wrap: anywhere; }
a:focus-visible, .scroll:focus-visible { outline: 3px solid LINK; outline-offset: 2px; }
.muted { color: MUTED; }
.good { color: GOOD; }
.fair { color: FAIR; }
.poor { color: POOR; }
p.fair { border-left: 4px solid FAIR; padding-left: .6rem; }
p.verdict { font-size: 1.1rem; border-left: 4px solid LINK; padding-left: .6rem; }
nav.toc ol { margin: .25rem 0; padding-left: 1.4rem; }
nav.toc li { margin: .15rem 0; }
@media (min-width: 60rem) {
  nav.toc > ol { columns: 2; column-gap: 3rem; }
  nav.toc > ol > li { break-inside: avoid; }
}
.scroll { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem;
  border-bottom: 1px solid #d0d7de; }
thead th { background: BG_HEADER; border-bottom: 2px solid #8c959f; }
tbody tr:nth-child(even) { background: BG_STRIPE; }
tbody th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll:not(.prose) tbody th { position: sticky; left: 0; background: BG_PAGE; }
.scroll:not(.prose) tbody tr:nth-child(even) th { background: BG_STRIPE; }
.nowrap { white-space: nowrap; }
ul.sources { list-style: none; padding-left: 0; }
ul.sources li { margin: .2rem 0; }
figure { margin: 1rem 0 1.5rem; }
figure.chart > figcaption { margin-bottom: .75rem; color: MUTED; max-width: 60rem; }
.charts { display: grid; gap: 1rem 2rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 21rem), 1fr)); }
.charts figure { margin: 0; }
.charts figcaption { font-weight: 600; margin-bottom: .15rem; }
svg { display: block; width: 100%; max-width: 32rem; height: auto; }
.single svg { max-width: 30rem; }
svg text { font-family: inherit; font-size: 12px; fill: FG; }
svg .gap { fill: MUTED; font-style: italic; }
svg .tick { fill: MUTED; font-size: 11px; }
svg .grid { stroke: #d0d7de; stroke-width: 1; }
footer { margin-top: 3rem; color: MUTED; font-size: .9rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  main { padding: .75rem .75rem 2rem; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.25rem; }
  th, td { padding: .35rem .4rem; }
  table { font-size: .9rem; }
  tbody th.nowrap { white-space: normal; min-width: 7rem; }
  .prose table, .prose tbody, .prose tr, .prose th, .prose td { display: block; }
  .prose thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }
  .prose tr { padding: .5rem .25rem; border-bottom: 1px solid #d0d7de; }
  .prose th, .prose td { border: 0; padding: .15rem 0; }
  .prose tbody th { font-size: 1.05rem; }
  .prose td[data-label]::before { content: attr(data-label) ": "; font-weight: 600;
    color: FG; }
}
@media print {
  @page { margin: 15mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  .scroll:not(.prose) tbody th { position: static; }
  h2, h3 { break-after: avoid; }
  tr, figure, .charts figure { break-inside: avoid; }
  .charts { grid-template-columns: repeat(3, 1fr); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

CONTENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Nothing may load from anywhere: a browser refuses, and logs, any attempt."""

URL = re.compile(r"https?://[^\s<>\"']+")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _css() -> str:
    text = CSS
    for name, value in (
        ("BG_PAGE", BACKGROUNDS["page"]),
        ("BG_STRIPE", BACKGROUNDS["stripe"]),
        ("BG_HEADER", BACKGROUNDS["header"]),
        ("FG", TEXT_COLOURS["foreground"]),
        ("MUTED", TEXT_COLOURS["muted"]),
        ("LINK", TEXT_COLOURS["link"]),
        ("GOOD", TEXT_COLOURS["good"]),
        ("FAIR", TEXT_COLOURS["fair"]),
        ("POOR", TEXT_COLOURS["poor"]),
    ):
        text = text.replace(name, value)
    return text


def _link(url: str, label: str | None = None) -> str:
    """A link for an http(s) address; any other address is shown as text."""
    target = link_target(url)
    shown = escape(label if label is not None else url)
    if target is None:
        return shown if label is None else f"{shown} ({escape(url)})"
    return f'<a href="{escape(target)}">{shown}</a>'


def _plain(text: str) -> str:
    """Escaped text whose dates never break at their hyphens."""
    return DATE.sub(r'<span class="nowrap">\g<0></span>', escape(text))


def _text(text: str) -> str:
    """Escaped text, addresses as links, line breaks kept."""
    out = []
    at = 0
    for match in URL.finditer(text):
        url = match.group().rstrip(".,;:")
        if url.endswith(")") and "(" not in url:
            url = url[:-1]
        out.append(_plain(text[at : match.start()]))
        out.append(_link(url))
        at = match.start() + len(url)
    out.append(_plain(text[at:]))
    return "".join(out).replace("\n", "<br>")


def _classes(*names: str) -> str:
    used = " ".join(n for n in names if n)
    return f' class="{used}"' if used else ""


def _cell_classes(column: Column, cell: Cell | None = None) -> str:
    return _classes(
        "num" if column.justify == "right" else "",
        "nowrap" if column.no_wrap else "",
        STYLE_CLASSES.get(cell.style, "") if cell is not None else "",
    )


def _cell_content(cell: Cell) -> str:
    links = " ".join(_link(url, label) for label, url in cell.links)
    return " ".join(part for part in (_text(cell.text), links) if part)


PROSE = 80
"""A table with a cell longer than this holds prose: on a phone its rows become cards."""


def _table(table: Table, label: str) -> str:
    prose = any(len(cell.text) > PROSE for row in table.rows for cell in row)
    # cards change the CSS display of the table's parts, which makes some browsers forget
    # that it is a table; explicit roles keep it one for assistive technology

    def role(name: str) -> str:
        return f' role="{name}"' if prose else ""

    head = "".join(
        f'<th scope="col"{role("columnheader")}{_cell_classes(c)}>{_text(c.header)}</th>'
        for c in table.columns
    )
    rows = []
    for row in table.rows:
        cells = []
        for n, (column, cell) in enumerate(zip(table.columns, row, strict=True)):
            classes = _cell_classes(column, cell)
            if n == table.row_header:
                cells.append(f'<th scope="row"{role("rowheader")}{classes}>')
            else:
                header = escape(column.header.replace("\n", " "))
                named = f' data-label="{header}"' if prose and header else ""
                cells.append(f"<td{role('cell')}{named}{classes}>")
            cells.append(f"{_cell_content(cell)}</{'th' if n == table.row_header else 'td'}>")
        rows.append(f"<tr{role('row')}>{''.join(cells)}</tr>")
    caption = f"<caption>{escape(table.title)}</caption>" if table.title else ""
    # a wide table scrolls on its own; keyboard users reach the scrolling region by Tab
    return (
        f'<div class="scroll{" prose" if prose else ""}" role="region" tabindex="0" '
        f'aria-label="{escape(label)}">'
        f"<table{role('table')}>{caption}<thead{role('rowgroup')}><tr{role('row')}>{head}</tr>"
        f"</thead><tbody{role('rowgroup')}>{''.join(rows)}</tbody></table></div>"
    )


LABEL_WIDTH = 112
"""Room for a bar's label, left of the plot (SVG units, about pixels at full size)."""
ROW = 24
BAR = 14
AXIS = 20
LONGEST_LABEL = 17
CHART_WIDTH = 360
"""About a phone's width, so that the text of a chart stays legible there at 1:1."""


def _short(label: str) -> str:
    return label if len(label) <= LONGEST_LABEL else label[: LONGEST_LABEL - 1] + "…"


def _describe(group: BarGroup) -> str:
    return "; ".join(
        f"{bar.label}: {bar.text}" if bar.value is not None else f"{bar.label}: {bar.text}, no bar"
        for bar in group.bars
    )


def _svg(
    group: BarGroup, scale: tuple[float, float], colours: dict[str, str], ident: str, width: int
) -> str:
    low, high = scale
    span = (high - low) or 1.0
    left = LABEL_WIDTH + 6
    plot = width - left - 56  # room for the value after the longest bar
    height = len(group.bars) * ROW + AXIS + 6
    parts = [
        f'<svg role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(group.title)}</title>',
        f'<desc id="{ident}-d">{escape(_describe(group))}</desc>',
    ]
    bottom = len(group.bars) * ROW + 4
    step = 1.0 if span <= 10 else span / 5
    ticks = int(span / step + 1e-9)
    for n in range(ticks + 1):
        tick = low + n * step
        x = left + (tick - low) / span * plot
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{bottom}"/>'
            f'<text class="tick" x="{x:.1f}" y="{bottom + 14}" '
            f'text-anchor="middle">{tick:g}</text>'
        )
    for n, bar in enumerate(group.bars):
        top = 4 + n * ROW
        middle = top + ROW / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{middle:.0f}" text-anchor="end">'
            f"{escape(_short(bar.label))}</text>"
        )
        if bar.value is None:
            # a labelled gap: no bar at all, so that a missing rating never reads as zero
            parts.append(
                f'<text class="gap" x="{left + 4}" y="{middle:.0f}">{escape(bar.text)}</text>'
            )
            continue
        share = min(max((bar.value - low) / span, 0.0), 1.0)
        length = max(share * plot, 1.5)
        y = top + (ROW - BAR) / 2
        parts.append(
            f'<rect x="{left}" y="{y:.0f}" width="{length:.1f}" height="{BAR}" '
            f'fill="{colours[bar.key]}"/>'
            f'<text x="{left + length + 5:.1f}" y="{middle:.0f}">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _chart(chart: Chart, colours: dict[str, str], ident: str) -> str:
    single = len(chart.groups) == 1
    cells = []
    for n, group in enumerate(chart.groups):
        svg = _svg(group, chart.scale, colours, f"{ident}-{n + 1}", CHART_WIDTH)
        # the SVG's own title names the group for assistive technology
        caption = (
            "" if single else f'<figcaption aria-hidden="true">{escape(group.title)}</figcaption>'
        )
        cells.append(f"<figure>{caption}{svg}</figure>")
    return (
        f'<figure class="chart"><figcaption><strong>{escape(chart.title)}.</strong> '
        f"{escape(chart.description)}</figcaption>"
        f'<div class="{"single" if single else "charts"}">{"".join(cells)}</div></figure>'
    )


def _contents(doc: Document, index: int, depth: int) -> str:
    out = ['<nav class="toc" aria-label="Contents"><ol>']
    level = 2
    first = True
    for entry_level, text, anchor in contents(doc, index, depth):
        if entry_level > level:
            out.append("<ol>" * (entry_level - level))
        elif entry_level < level:
            out.append("</li></ol>" * (level - entry_level) + "</li>")
        elif not first:
            out.append("</li>")
        out.append(f'<li><a href="#{escape(anchor)}">{escape(text)}</a>')
        level, first = entry_level, False
    out.append("</li></ol>" * (level - 2) + ("</li>" if not first else "") + "</ol></nav>")
    return "".join(out)


def _colours(doc: Document) -> dict[str, str]:
    """One colour per bar key, in order of first appearance, so a toolkit keeps its colour."""
    keys: dict[str, str] = {}
    for block in doc.blocks:
        if isinstance(block, Chart):
            for group in block.groups:
                for bar in group.bars:
                    if bar.key not in keys:
                        keys[bar.key] = PALETTE[len(keys) % len(PALETTE)]
    return keys


def _prose(block: Prose) -> str:
    """Markdown to HTML by markdown-it-py (CommonMark, installed with rich), with raw HTML
    off: any markup in the text is shown as text, never run."""
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark", {"html": False}).render(block.shifted()))


def _paragraph(block: Paragraph) -> str:
    if block.style == "bold":
        return f'<p class="verdict"><strong>{_text(block.text)}</strong></p>'
    return f"<p{_classes(STYLE_CLASSES.get(block.style, ''))}>{_text(block.text)}</p>"


def _links(block: Links) -> str:
    items = "".join(
        f'<li><span class="muted">{escape(label)}</span> {_link(url)}</li>'
        for label, url in block.items
    )
    return f'<ul class="sources">{items}</ul>' if items else ""


def render(doc: Document, lang: str = "en") -> str:
    ids = anchors(doc)
    colours = _colours(doc)
    title = next((b.text for b in doc.blocks if isinstance(b, Heading)), "dlcompare")
    body: list[str] = []
    section_open = False
    label = title
    charts = 0
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            level = heading_level(doc, block)
            if level <= 2 and section_open:
                body.append("</section>")
                section_open = False
            if level == 2:
                body.append(f'<section aria-labelledby="{escape(ids[index])}">')
                section_open = True
            body.append(f'<h{level} id="{escape(ids[index])}">{escape(block.text)}</h{level}>')
            label = block.text
        elif isinstance(block, Paragraph):
            body.append(_paragraph(block))
        elif isinstance(block, Table):
            body.append(_table(block, block.title or label))
        elif isinstance(block, Links):
            body.append(_links(block))
        elif isinstance(block, Contents):
            body.append(_contents(doc, index, block.depth))
        elif isinstance(block, Chart):
            charts += 1
            body.append(_chart(block, colours, f"chart{charts}"))
        elif isinstance(block, Prose):
            body.append(_prose(block))
    if section_open:
        body.append("</section>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_POLICY}">\n'
        '<meta name="generator" content="dlcompare">\n'
        f"<title>{escape(title)}</title>\n<style>{_css()}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
