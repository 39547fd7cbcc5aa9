"""The annual report's blocks as one self-contained HTML page, for Chromium to print to PDF.

Pictures are inlined as data: URIs and the style sheet is in the page, so printing needs neither
network nor JavaScript. DejaVu Sans is named first: it has every Kazakh letter and Chromium embeds the
glyphs it uses in the PDF.
"""

from __future__ import annotations

import base64
from html import escape

from indicators.report.content import Block, Heading, Image, Paragraph, Table, TitlePage
from indicators.report.maps import ZONE_COLOURS

_CSS = """
@page { size: A4; margin: 18mm 17mm 20mm 17mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; color: #111; }
.title-page { height: 240mm; display: flex; flex-direction: column; justify-content: center; text-align: center;
  break-after: page; }
.title-page h1 { font-size: 26pt; margin: 0 0 10mm 0; color: #1f3b5a; }
.title-page p { font-size: 14pt; color: #444; text-align: center; }
h1 { font-size: 16pt; color: #1f3b5a; margin: 0 0 4mm 0; break-after: avoid; }
h1.chapter { break-before: page; }
h2 { font-size: 12.5pt; color: #1f3b5a; margin: 6mm 0 3mm 0; break-after: avoid; }
p { text-align: justify; margin: 0 0 3mm 0; }
figure { margin: 4mm 0 5mm 0; text-align: center; break-inside: avoid; }
figure img { width: 100%; }
figcaption, .caption { font-size: 8.5pt; color: #333; font-style: italic; }
.caption { margin: 4mm 0 1.5mm 0; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin-bottom: 1.5mm; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #999; padding: 1.2mm 1.5mm; vertical-align: top; }
th { background: #e8eef4; font-weight: bold; text-align: left; }
tr { break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; }
tr.bold td { font-weight: bold; }
p.note { font-size: 7.5pt; font-style: italic; color: #444; margin: 0 0 1mm 0; text-align: left; }
.table-end { margin-bottom: 5mm; }
"""

_ZONE_INK = {"high": "#ffffff", "medium": "#000000", "low": "#ffffff"}
FOOTER = (
    "<div style=\"font-family: 'DejaVu Sans', sans-serif; font-size: 8px; width: 100%; text-align: center;"
    ' color: #555;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def _columns(block: Table) -> str:
    if not block.widths:
        return ""
    total = sum(block.widths)
    return "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths) + "</colgroup>"


def _table(block: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
    body = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, value in enumerate(row):
            classes = "num" if c in block.numeric else ""
            style = ""
            zone = block.shades.get((r, c))
            if zone is not None:
                style = f' style="background:{ZONE_COLOURS[zone]};color:{_ZONE_INK[zone]}"'
            cells.append(f'<td class="{classes}"{style}>{escape(value)}</td>')
        row_class = ' class="bold"' if r in block.bold_rows else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    notes = "".join(f'<p class="note">{escape(note)}</p>' for note in block.notes)
    return (
        f'<p class="caption">{escape(block.caption)}</p>'
        f"<table>{_columns(block)}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f'{notes}<div class="table-end"></div>'
    )


def _block(block: Block, first_heading: bool) -> str:
    if isinstance(block, TitlePage):
        return f'<section class="title-page"><h1>{escape(block.title)}</h1><p>{escape(block.subtitle)}</p></section>'
    if isinstance(block, Heading):
        if block.level == 1:
            # Each chapter starts a page; the introduction follows the title page, which already broke.
            css = "" if first_heading else ' class="chapter"'
            return f"<h1{css}>{escape(block.text)}</h1>"
        return f"<h2>{escape(block.text)}</h2>"
    if isinstance(block, Paragraph):
        return f'<p class="note">{escape(block.text)}</p>' if block.note else f"<p>{escape(block.text)}</p>"
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.caption)}">'
            f"<figcaption>{escape(block.caption)}</figcaption></figure>"
        )
    return _table(block)


def report_html(blocks: list[Block], language: str, title: str) -> str:
    """The whole report as one HTML document."""
    parts = []
    seen_heading = False
    for block in blocks:
        parts.append(_block(block, first_heading=not seen_heading))
        if isinstance(block, Heading) and block.level == 1:
            seen_heading = True
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
