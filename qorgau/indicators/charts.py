"""A small horizontal bar chart drawn as SVG on the server (the CSP allows no scripts from elsewhere).

The template ``indicators/_bar_chart.html`` draws what :func:`bar_chart` lays out; nothing is computed
in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 190
BAR_AREA = 330
VALUE_WIDTH = 80
ROW = 20
BAR = 14


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float
    text_y: int
    text_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    bar_height: int


def bar_chart(items: list[tuple[str, Decimal, str]]) -> BarChart | None:
    """Bars for (label, value, text), longest first; None when there is nothing to draw.

    Indicators are counts, rates and shares, so the scale starts at zero; a negative value (none in
    the data so far) gets no bar rather than a bar pointing the wrong way.
    """
    if not items:
        return None
    ordered = sorted(items, key=lambda item: item[1], reverse=True)
    top = max((v for _l, v, _t in ordered), default=Decimal(0))
    scale = float(top) if top > 0 else 1.0
    bars = [
        Bar(label, text, i * ROW, width, i * ROW + BAR - 2, LABEL_WIDTH + width + 4)
        for i, (label, value, text) in enumerate(ordered)
        for width in [round(max(0.0, float(value) / scale * BAR_AREA), 1)]
    ]
    return BarChart(
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=len(bars) * ROW,
        bar_x=LABEL_WIDTH,
        bar_height=BAR,
    )
