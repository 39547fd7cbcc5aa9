"""The region boundaries, the choropleth map, the charts, and their web and file outputs."""

from __future__ import annotations

import json
import struct
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from indicators.report import charts, geo, maps, render
from indicators.report.i18n import format_number, plural_ru, region_name, region_pcodes

# Seed 002, table 2.6 (preschool coverage of children aged 1-6, %, 2021 and 2022), L2206-2214:
# "Абай 86,4" (2022 only: the region was created in 2022), "Ақмола 80,5 81,0", "Ақтөбе 87,3 88,4",
# "Алматы 94,5 90,5" (the oblast), "Атырау 76,9 80,6".
COVERAGE_2022 = {"KAZ001": 86.4, "KAZ002": 81.0, "KAZ003": 88.4, "KAZ005": 90.5, "KAZ007": 80.6}


def _zones(scores: dict[str, float | None]) -> dict[str, str | None]:
    return {p: None if s is None else "high" if s >= 75 else "medium" if s >= 50 else "low" for p, s in scores.items()}


def test_boundaries_have_the_20_regions_of_the_reference() -> None:
    collection = geo.boundaries()
    assert sorted(geo.pcodes()) == region_pcodes()
    assert len(region_pcodes()) == 20
    for feature in collection["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        assert feature["geometry"]["coordinates"], feature["id"]


def test_boundaries_are_light_and_wound_for_d3() -> None:
    # The package's file is 3.2 MB; the map must not carry that into every page and image.
    assert len(json.dumps(geo.boundaries())) < 250_000
    for feature in geo.boundaries()["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            exterior = np.asarray(polygon[0])
            area = np.dot(exterior[:-1, 0], exterior[1:, 1]) - np.dot(exterior[1:, 0], exterior[:-1, 1])
            # Clockwise (negative shoelace area): otherwise d3-geo fills the rest of the globe.
            assert area < 0, feature["id"]


def test_label_points_lie_within_their_region_bounds() -> None:
    points = geo.label_points()
    for feature in geo.boundaries()["features"]:
        coordinates = np.asarray([xy for polygon in feature["geometry"]["coordinates"] for xy in polygon[0]])
        lon, lat = points[feature["id"]]
        assert coordinates[:, 0].min() <= lon <= coordinates[:, 0].max()
        assert coordinates[:, 1].min() <= lat <= coordinates[:, 1].max()


def test_index_map_colours_every_region_by_its_zone() -> None:
    scores: dict[str, float | None] = {p: 20.0 + 4 * i for i, p in enumerate(region_pcodes())}
    scores["KAZ015"] = None
    zones = _zones(scores)
    figure = maps.choropleth(scores, "kk", zones=zones)
    painted = maps.coloured_pcodes(figure)
    assert sorted(painted) == region_pcodes()
    for pcode, colour in painted.items():
        expected = maps.NO_DATA_COLOUR if zones[pcode] is None else maps.ZONE_COLOURS[str(zones[pcode])]
        assert colour == expected, pcode
    legend = {trace.name for trace in figure.data if trace.showlegend}
    assert legend == {"Жоғары (75–100)", "Орташа (50–74)", "Төмен (0–49)", "Деректер жоқ"}
    # Hover names are the Kazakh official names.
    hover = {row[0] for trace in figure.data if trace.type == "choropleth" for row in trace.customdata}
    assert "Солтүстік Қазақстан облысы" in hover and "Абай облысы" in hover


def test_indicator_map_uses_a_sequential_scale_darkest_for_the_largest() -> None:
    figure = maps.choropleth(COVERAGE_2022, "ru", unit="%")
    colours = {r.pcode: r.colour for r in maps.region_colours(COVERAGE_2022, "ru")}
    painted = maps.coloured_pcodes(figure)
    assert sorted(painted) == region_pcodes()
    assert all(painted[p] == colours[p] != maps.NO_DATA_COLOUR for p in COVERAGE_2022)
    assert all(painted[p] == maps.NO_DATA_COLOUR for p in painted if p not in COVERAGE_2022)

    # Five classes of width (90.5 - 80.6) / 5 = 1.98 from 80.6: Atyrau 80.6 and Akmola 81.0 share the
    # first, Abai 86.4 is in the third, Aktobe 88.4 in the fourth, Almaty oblast 90.5 in the fifth.
    legend = [
        trace.name for trace in sorted(figure.data, key=lambda t: t.legendrank or 0) if trace.type == "choropleth"
    ]
    assert legend == ["80,6–82,6 %", "84,6–86,5 %", "86,5–88,5 %", "88,5–90,5 %", "Нет данных"]
    assert colours["KAZ007"] == colours["KAZ002"] != colours["KAZ001"]

    def darkness(colour: str) -> float:
        red, green, blue = (float(v) for v in colour[colour.index("(") + 1 : -1].split(","))
        return -(red + green + blue)

    ordered = sorted(COVERAGE_2022, key=lambda p: darkness(colours[p]))
    assert ordered[0] in ("KAZ007", "KAZ002") and ordered[-1] == "KAZ005"
    reversed_colours = {r.pcode: r.colour for r in maps.region_colours(COVERAGE_2022, "ru", reverse=True)}
    assert max(COVERAGE_2022, key=lambda p: darkness(reversed_colours[p])) in ("KAZ007", "KAZ002")
    # 15 regions have no figure here: grey, and named so.
    assert sum(1 for r in maps.region_colours(COVERAGE_2022, "ru") if r.colour == maps.NO_DATA_COLOUR) == 15
    labels = [t for t in figure.data if t.type == "scattergeo" and t.mode == "text"]
    assert "90,5" in {text.strip() for trace in labels for text in trace.text}


def test_ranking_bar_orders_regions_and_lists_the_missing_last() -> None:
    figure = charts.ranking_bar(COVERAGE_2022, "kk", unit="%")
    bars = figure.data[0]
    assert list(bars.y[:5]) == [region_name(p, "kk") for p in ("KAZ005", "KAZ003", "KAZ001", "KAZ002", "KAZ007")]
    assert len(bars.y) == 5  # only the regions in the mapping are listed
    with_missing = charts.ranking_bar({**COVERAGE_2022, "KAZ019": None}, "ru")
    assert with_missing.data[0].y[-1] == "область Ұлытау"
    assert with_missing.data[0].text[-1] == "Нет данных"


def test_ranking_of_ties_is_stable_by_pcode() -> None:
    assert charts.ranking_order({"KAZ003": 50.0, "KAZ001": 50.0, "KAZ002": 70.0}) == ["KAZ002", "KAZ001", "KAZ003"]
    assert charts.ranking_order({"KAZ003": 5.0, "KAZ001": 1.0}, descending=False) == ["KAZ001", "KAZ003"]


def test_time_series_draws_the_country_last_and_breaks_at_gaps() -> None:
    # Seed 002 table 2.6, L2208-2212: Akmola 80.5 -> 81.0, Aktobe 87.3 -> 88.4, Abai only 2022.
    series = {"KAZ002": {2021: 80.5, 2022: 81.0}, "KAZ003": {2021: 87.3, 2022: 88.4}, "KAZ001": {2022: 86.4}}
    figure = charts.time_series(series, "ru", highlight=["KAZ003"])
    names = [trace.name for trace in figure.data]
    assert names[-1] == "Актюбинская область"  # highlighted lines come after the grey ones
    abai = next(trace for trace in figure.data if trace.name == "область Абай")
    assert list(abai.y) == [None, 86.4] and abai.connectgaps is False


def test_number_formats_and_russian_agreement() -> None:
    assert format_number(6617000, "kk") == "6\u00a0617\u00a0000"
    assert format_number(28.4, "ru") == "28,4"
    assert format_number(35.0, "ru", fixed=True) == "35,0"
    assert format_number(1234.5, "en") == "1,234.5"
    assert [plural_ru(n, "регион", "региона", "регионов") for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "регион",
        "региона",
        "регионов",
        "регионов",
        "регион",
        "региона",
        "регионов",
    ]


def test_html_div_carries_the_figure_as_data_not_script() -> None:
    figure = maps.choropleth(COVERAGE_2022, "kk", title="</script><script>alert(1)</script>")
    html = render.to_html_div(figure, element_id="m1")
    assert html.count("<script") == 1 and '<script type="application/json" id="m1-data">' in html
    payload = html.split('id="m1-data">', 1)[1].rsplit("</script>", 1)[0]
    assert "</script>" not in payload and "<" not in payload
    assert json.loads(payload)["layout"]["title"]["text"].startswith("</script>")


def _chromium_or_skip() -> None:
    if not Path(render.chromium_path()).exists():
        pytest.skip(f"no Chromium at {render.chromium_path()}: install Debian's chromium")


def test_png_and_svg_export() -> None:
    _chromium_or_skip()
    scores: dict[str, float | None] = {p: 30.0 + 3 * i for i, p in enumerate(region_pcodes())}
    figure = maps.choropleth(scores, "kk", zones=_zones(scores), width=800, height=450)
    with render.Chromium() as chromium:
        png = chromium.image(figure, "png", scale=2)
        svg = chromium.image(figure, "svg").decode("utf-8")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1600, 900)
    assert svg.startswith("<svg") and 'viewBox="0 0 800 450"' in svg
    assert "Жоғары (75–100)" in svg
    # One path per region polygon group: 20 regions drawn.
    assert svg.count('class="choroplethlocation"') == 20


@pytest.mark.browser
def test_web_embedding_draws_under_the_site_csp(browser_page) -> None:
    """The page's own CSP (settings) in force, plotly.js and plots.js from static, no other request."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    csp = "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
    scores: dict[str, float | None] = {p: 30.0 + 3 * i for i, p in enumerate(region_pcodes())}
    body = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        + render.page_head_html("/static/")
        + "</head><body>"
        + render.to_html_div(maps.choropleth(scores, "ru", zones=_zones(scores)), element_id="map")
        + render.to_html_div(charts.ranking_bar(scores, "ru"), element_id="bar")
        + "</body></html>"
    )
    files = {
        f"/static/{render.PLOTLY_STATIC_PATH}": (render.PLOTLY_JS, "text/javascript"),
        f"/static/{render.PLOTS_STATIC_PATH}": (render.PLOTS_JS, "text/javascript"),
        f"/static/{render.PLOTLY_CSS_STATIC_PATH}": (render.PLOTLY_CSS, "text/css"),
    }
    foreign: list[str] = []

    def serve(route) -> None:
        url = urllib.parse.urlsplit(route.request.url)
        if url.netloc != "qorgau.test":
            foreign.append(route.request.url)
            route.abort()
        elif url.path == "/":
            route.fulfill(status=200, body=body, content_type="text/html", headers={"Content-Security-Policy": csp})
        elif url.path in files:
            path, content_type = files[url.path]
            route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)
        else:
            route.fulfill(status=404, body="")

    browser_page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "(e) => window.__csp.push([e.effectiveDirective, e.sourceFile]));"
    )
    browser_page.route("**/*", serve)
    browser_page.goto("http://qorgau.test/")
    browser_page.wait_for_selector("#map .choroplethlocation")
    assert browser_page.locator("#map path.choroplethlocation").count() == 20
    assert browser_page.locator("#bar .point").count() == 20
    assert foreign == []
    # What the policy still blocks: only the <style> element plotly.js's bundled maplibre-gl adds when
    # the bundle loads (styles for tile maps, which Qorgau does not draw). Nothing of our figures: no
    # inline script, no style attribute, no request elsewhere.
    violations = browser_page.evaluate("window.__csp")
    assert all(
        directive == "style-src-elem" and source.endswith(render.PLOTLY_STATIC_PATH) for directive, source in violations
    ), violations
    assert len(violations) <= 1
