"""Ranking bar charts and time series of the regions, labelled in the chosen language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from indicators.report.i18n import ZONES, Language, decimals_needed, format_number, region_name, text
from indicators.report.maps import FONT_FAMILY, NO_DATA_COLOUR, ZONE_COLOURS

PLAIN_COLOUR = "#2f6fa8"
NATIONAL_COLOUR = "#333333"


def ranking_order(values: Mapping[str, float | None], *, descending: bool = True) -> list[str]:
    """The p-codes with a value, best first (largest first when ``descending``); ties by p-code."""
    present = [(pcode, value) for pcode, value in values.items() if value is not None]
    present.sort(key=lambda item: ((-item[1] if descending else item[1]), item[0]))
    return [pcode for pcode, _ in present]


def ranking_bar(
    values: Mapping[str, float | None],
    language: Language,
    *,
    title: str = "",
    unit: str = "",
    zones: Mapping[str, str | None] | None = None,
    national: float | None = None,
    descending: bool = True,
    decimals: int = 1,
    width: int = 1000,
    height: int = 620,
) -> go.Figure:
    """Horizontal bars of the regions from first to last, the first on top.

    ``zones`` colours the bars as the index zones; ``national`` draws the country's value as a line.
    ``descending=False`` ranks the smallest first (for indicators where less is better). Regions
    without a value are listed at the bottom as "no data", so a reader sees that all 20 are accounted for.
    """
    order = ranking_order(values, descending=descending)
    missing = sorted(pcode for pcode, value in values.items() if value is None)
    names = [region_name(pcode, language) for pcode in order + missing]
    shown = [values[pcode] for pcode in order] + [0.0] * len(missing)
    colours = [
        ZONE_COLOURS.get(zones.get(pcode) or "", NO_DATA_COLOUR) if zones is not None else PLAIN_COLOUR
        for pcode in order
    ] + [NO_DATA_COLOUR] * len(missing)
    # Labels keep as many decimals as the figures have, so "92,0" stands beside "92,4".
    places = decimals if zones is not None else min(decimals, decimals_needed(values.values()))
    labels = [format_number(values[pcode], language, places, fixed=True) for pcode in order]
    labels += [text("no_data", language)] * len(missing)
    figure = go.Figure(
        go.Bar(
            x=shown,
            y=names,
            orientation="h",
            marker={"color": colours},
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
            showlegend=False,
        )
    )
    if zones is not None:
        # Legend entries for the zones present; the bars themselves carry no legend.
        for zone in ZONES:
            if any(zones.get(pcode) == zone for pcode in order):
                figure.add_trace(
                    go.Bar(
                        x=[None],
                        y=[None],
                        marker={"color": ZONE_COLOURS[zone]},
                        name=text(f"zone.legend.{zone}", language),
                        orientation="h",
                    )
                )
    if national is not None:
        figure.add_vline(
            x=national,
            line={"color": NATIONAL_COLOUR, "dash": "dash", "width": 1.5},
            annotation={
                "text": f"{text('national', language)}: {format_number(national, language, decimals)}",
                "font": {"size": 11},
            },
            annotation_position="top",
        )
    # Scores are drawn on their whole 0-100 scale, so that two charts compare at a glance.
    top = 100.0 / 1.12 if zones is not None else max((v for v in shown if v is not None), default=0.0)
    figure.update_layout(
        title={"text": title, "x": 0.5, "xanchor": "center"} if title else None,
        font={"family": FONT_FAMILY, "size": 13},
        width=width,
        height=height,
        margin={"l": 10, "r": 30, "t": 60 if title else 30, "b": 40},
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": unit}, "range": [0, top * 1.12 if top > 0 else 1], "gridcolor": "#e6e6e6"},
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.1, "yanchor": "top"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        bargap=0.25,
    )
    return figure


def time_series(
    series: Mapping[str, Mapping[int, float | None]],
    language: Language,
    *,
    title: str = "",
    unit: str = "",
    highlight: Sequence[str] = (),
    decimals: int = 1,
    width: int = 1000,
    height: int = 520,
) -> go.Figure:
    """Lines of a value over the years, one per region (p-code -> {year: value}); "KAZ" is the country.

    The country's line is drawn black and thick, the ``highlight`` regions in colour, the others in
    light grey behind them, so twenty lines stay readable. Missing years break the line rather than
    being bridged.
    """
    years = sorted({year for points in series.values() for year in points})
    figure = go.Figure()
    palette = ["#1b6ca8", "#d95f02", "#7570b3", "#1b9e77", "#e7298a", "#66a61e"]

    def add(pcode: str, colour: str, width_px: float, opacity: float) -> None:
        points = series[pcode]
        name = region_name(pcode, language)
        figure.add_trace(
            go.Scatter(
                x=years,
                y=[points.get(year) for year in years],
                mode="lines+markers",
                name=name,
                line={"color": colour, "width": width_px},
                opacity=opacity,
                connectgaps=False,
                customdata=[format_number(points.get(year), language, decimals) for year in years],
                hovertemplate=f"{name}, %{{x}}: %{{customdata}}<extra></extra>",
            )
        )

    background = [p for p in sorted(series) if p != "KAZ" and p not in highlight]
    for pcode in background:
        add(pcode, "#c8c8c8", 1.2, 0.9)
    for i, pcode in enumerate(p for p in highlight if p in series):
        add(pcode, palette[i % len(palette)], 2.5, 1.0)
    if "KAZ" in series:
        add("KAZ", NATIONAL_COLOUR, 3.5, 1.0)
    figure.update_layout(
        title={"text": title, "x": 0.5, "xanchor": "center"} if title else None,
        font={"family": FONT_FAMILY, "size": 13},
        width=width,
        height=height,
        margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 40},
        xaxis={
            "title": {"text": text("year", language)},
            "tickmode": "array",
            "tickvals": years,
            "gridcolor": "#e6e6e6",
        },
        yaxis={"title": {"text": unit}, "gridcolor": "#e6e6e6", "automargin": True},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    return figure
