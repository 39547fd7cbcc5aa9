"""Choropleth maps of the 20 regions: index scores in their zone colours, or an indicator on a sequential scale.

Each region's colour is decided here, in Python, not left to plotly's colour axis: the three cities
(Astana, Almaty, Shymkent) are a few pixels wide on a map of the country, so they are also drawn as
circles, which must carry exactly the colour of their polygon; and the tests can check that every
region got one. A region without a value is drawn in grey and named "no data" in the legend.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from indicators.report import geo
from indicators.report.i18n import ZONES, Language, decimals_needed, format_number, region_name, text

ZONE_COLOURS = {"high": "#2e7d32", "medium": "#f2b705", "low": "#c62828"}
NO_DATA_COLOUR = "#d0d0d0"
BORDER_COLOUR = "#555555"
SEQUENTIAL_SCALE = "Blues"
CLASSES = 5
# Kazakh letters (ә ғ қ ң ө ұ ү һ і) are missing from Liberation Sans, Chromium's stand-in for Arial on
# Debian: DejaVu Sans has them and is the first choice; the others are for browsers without it.
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
CITIES = ("KAZ004", "KAZ006", "KAZ017")  # Almaty, Astana, Shymkent: too small to see as polygons
# A Lambert conformal conic on two parallels across the country shows its shape without Mercator's
# stretching of the north; plotly's fitbounds leaves the country a quarter of the frame with this
# projection, so the frame is given as ranges around the boundaries (lon 46.5-87.4, lat 40.6-55.4).
PROJECTION = {
    "type": "conic conformal",
    "parallels": [45, 52],
    "rotation": {"lon": 67},
}
LON_RANGE = [46.2, 87.6]
LAT_RANGE = [40.3, 55.8]


@dataclass(frozen=True)
class RegionColour:
    """How one region is painted and what its hover and label say."""

    pcode: str
    name: str
    colour: str
    value: float | None
    legend: str


def _classes(
    values: Mapping[str, float | None], language: Language, unit: str, scale: str, reverse: bool
) -> dict[str, tuple[str, str, int]]:
    """p-code -> (colour, legend label, class number) on CLASSES equal-width classes from min to max.

    Classes rather than a continuous colour bar: a bar's gradient is drawn through a style attribute,
    which the site's CSP (``style-src 'self'``) blocks, and a map is read by classes anyway.
    """
    present = sorted(v for v in values.values() if v is not None)
    if not present:
        return {}
    low, high = present[0], present[-1]
    count = CLASSES if high > low else 1
    width = (high - low) / count if high > low else 1.0
    decimals = 0 if all(float(v).is_integer() for v in present) and width >= 1 else 1
    suffix = f" {unit}" if unit else ""
    classes: dict[str, tuple[str, str, int]] = {}
    for pcode, value in values.items():
        if value is None:
            continue
        number = min(int((value - low) / width), count - 1)
        start, end = low + number * width, low + (number + 1) * width
        # The lightest end of "Blues" is almost white; start at 0.2 so a region never disappears.
        position = 0.2 + 0.8 * ((number + 0.5) / count)
        position = 1.2 - position if reverse else position
        colour = sample_colorscale(scale, [position])[0]
        start_text = format_number(start, language, decimals, fixed=True)
        end_text = format_number(end, language, decimals, fixed=True)
        label = f"{start_text}–{end_text}{suffix}"
        classes[pcode] = (colour, label, number)
    return classes


def region_colours(
    values: Mapping[str, float | None],
    language: Language,
    *,
    zones: Mapping[str, str | None] | None = None,
    scale: str = SEQUENTIAL_SCALE,
    reverse: bool = False,
    unit: str = "",
) -> list[RegionColour]:
    """The colour of each of the 20 regions of the boundary file, in its order.

    With ``zones`` (p-code -> "high" / "medium" / "low"), a region takes its zone's colour; otherwise
    the colour of its class among five equal-width classes from the smallest to the largest value on
    ``scale`` (``reverse`` darkens the small values, for indicators where less is worse). Regions
    missing from ``values`` are "no data".
    """
    classes = {} if zones is not None else _classes(values, language, unit, scale, reverse)
    coloured: list[RegionColour] = []
    for pcode in geo.pcodes():
        value = values.get(pcode)
        zone = zones.get(pcode) if zones is not None else None
        if value is None or (zones is not None and zone not in ZONES):
            colour, legend = NO_DATA_COLOUR, text("no_data", language)
        elif zones is not None and zone is not None:
            colour, legend = ZONE_COLOURS[zone], text(f"zone.legend.{zone}", language)
        else:
            colour, legend = classes[pcode][0], classes[pcode][1]
        coloured.append(RegionColour(pcode, region_name(pcode, language), colour, value, legend))
    return coloured


def _polygons(regions: list[RegionColour], boundaries: dict[str, object], language: Language, unit: str) -> go.Figure:
    figure = go.Figure()
    # One trace per legend entry (a zone, a class of values, or "no data"), so the legend names them all.
    groups: dict[str, list[RegionColour]] = {}
    for region in regions:
        groups.setdefault(region.legend, []).append(region)
    zone_order = [text(f"zone.legend.{zone}", language) for zone in ZONES]
    no_data = text("no_data", language)

    def rank(key: str) -> tuple[int, float]:
        # Zones high to low; classes from the smallest values up; "no data" last.
        if key in zone_order:
            return (0, zone_order.index(key))
        if key == no_data:
            return (2, 0)
        return (1, min(r.value for r in groups[key] if r.value is not None))

    order = sorted(groups, key=rank)
    for key in order:
        members = groups[key]
        suffix = f" {unit}" if unit else ""
        figure.add_trace(
            go.Choropleth(
                geojson=boundaries,
                featureidkey="id",
                locations=[r.pcode for r in members],
                # z only indexes the region in a colour scale that gives each its own colour.
                z=list(range(len(members))),
                colorscale=_steps([r.colour for r in members]),
                zmin=-0.5,
                zmax=len(members) - 0.5,
                showscale=False,
                marker={"line": {"color": BORDER_COLOUR, "width": 0.6}},
                customdata=[
                    [r.name, format_number(r.value, language) + (suffix if r.value is not None else "")]
                    for r in members
                ],
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
                name=key,
                showlegend=True,
                legendrank=order.index(key),
            )
        )
    return figure


def _steps(colours: list[str]) -> list[list[float | str]]:
    """A plotly colour scale that paints z = i (over zmin -0.5 .. zmax n - 0.5) exactly colours[i]."""
    count = len(colours)
    if count == 1:
        return [[0.0, colours[0]], [1.0, colours[0]]]
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale += [[i / count, colour], [(i + 1) / count, colour]]
    return scale


def choropleth(
    values: Mapping[str, float | None],
    language: Language,
    *,
    title: str = "",
    unit: str = "",
    zones: Mapping[str, str | None] | None = None,
    reverse: bool = False,
    show_values: bool = True,
    decimals: int = 1,
    width: int = 1000,
    height: int = 560,
) -> go.Figure:
    """A map of the 20 regions coloured by ``values`` (p-code -> value), labelled in ``language``.

    Pass ``zones`` for index scores (zone colours and a zone legend); leave it out for a plain
    indicator (five equal-width classes on a sequential scale, in ``unit``). ``show_values`` writes each value on
    its region, which a printed map needs (there is no hover on paper).
    """
    regions = region_colours(values, language, zones=zones, reverse=reverse, unit=unit)
    figure = _polygons(regions, geo.boundaries(), language, unit)
    points = geo.label_points()
    cities = [r for r in regions if r.pcode in CITIES]
    figure.add_trace(
        go.Scattergeo(
            lon=[points[r.pcode][0] for r in cities],
            lat=[points[r.pcode][1] for r in cities],
            mode="markers",
            marker={"size": 13, "color": [r.colour for r in cities], "line": {"color": BORDER_COLOUR, "width": 1}},
            customdata=[[r.name, format_number(r.value, language)] for r in cities],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    if show_values:
        # Every label keeps as many decimals as the figures have ("54,0" beside "53,6"; counts none).
        fixed = True
        decimals = decimals if zones is not None else min(decimals, decimals_needed(values.values()))
        oblasts = [r for r in regions if r.value is not None and r.pcode not in CITIES]
        figure.add_trace(
            _labels(oblasts, points, language, decimals, fixed, [_ink(r.colour) for r in oblasts], "middle center")
        )
        labelled_cities = [r for r in cities if r.value is not None]
        # A city's number sits beside its circle, over its oblast or over the border: dark ink with a
        # white halo reads on any of them. Two spaces keep it clear of the circle.
        city_labels = _labels(labelled_cities, points, language, decimals, fixed, "#111111", "middle right", "  ")
        city_labels.textfont.shadow = "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff"
        figure.add_trace(city_labels)
    figure.update_geos(
        visible=False,
        projection=PROJECTION,
        lonaxis={"range": LON_RANGE},
        lataxis={"range": LAT_RANGE},
        center={"lon": sum(LON_RANGE) / 2, "lat": sum(LAT_RANGE) / 2},
    )
    figure.update_layout(
        title={"text": title, "x": 0.5, "xanchor": "center"} if title else None,
        font={"family": FONT_FAMILY, "size": 13},
        width=width,
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.0, "yanchor": "top"},
        paper_bgcolor="white",
    )
    return figure


def _labels(
    regions: list[RegionColour],
    points: dict[str, tuple[float, float]],
    language: Language,
    decimals: int,
    fixed: bool,
    ink: str | list[str],
    position: str,
    prefix: str = "",
) -> go.Scattergeo:
    """A text trace writing each region's value at its label point."""
    return go.Scattergeo(
        lon=[points[r.pcode][0] for r in regions],
        lat=[points[r.pcode][1] for r in regions],
        mode="text",
        text=[prefix + format_number(r.value, language, decimals, fixed=fixed) for r in regions],
        textposition=position,
        textfont={"size": 12, "color": ink, "family": FONT_FAMILY},
        hoverinfo="skip",
        showlegend=False,
    )


def _ink(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` ("#rrggbb" or "rgb(r, g, b)")."""
    if fill.startswith("#"):
        red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    else:
        red, green, blue = (int(float(part)) for part in fill[fill.index("(") + 1 : -1].split(","))
    # Relative luminance weights of sRGB (ITU-R BT.709), on the 0-255 scale.
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#111111" if luminance > 140 else "#ffffff"


def coloured_pcodes(figure: go.Figure) -> dict[str, str]:
    """p-code -> the colour it is painted with in a figure made by :func:`choropleth` (for checks and tests)."""
    painted: dict[str, str] = {}
    for trace in figure.data:
        if isinstance(trace, go.Choropleth):
            # _steps gives each z = i two entries (start and end of its step): entries 2i and 2i + 1.
            for i, pcode in enumerate(trace.locations):
                painted[pcode] = trace.colorscale[2 * i][1]
    return painted
