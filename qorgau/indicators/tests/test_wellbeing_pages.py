"""The well-being index from the database, its pages, the API, the figure downloads and the annual report.

Real components throughout: seed 002 loaded into the database as ``load_seed002`` does, the index
engine, and Debian's Chromium for the PNG, SVG, DOCX and PDF downloads (skipped without it).

Hand-checked figures come from seed 002 (002_15c1bbca033d1547.txt; Lnnn = 1-based line).
"""

from __future__ import annotations

import io
import re
import shutil
import time
from typing import Any

import pytest
from django.urls import reverse

from core.testing import UserFactory
from indicators.index import load_methodology
from indicators.index.methodology import DATA_DIR
from indicators.models import ImportBatch, Indicator, IndicatorValue
from indicators.report import maps, render
from indicators.seed002_spec import load_spec
from indicators.tests.conftest import api_for, client_for
from indicators.wellbeing import DEFAULT_KEY, IndexUnavailable, compute_wellbeing, methodology_option

pytestmark = pytest.mark.django_db

ALMATY_CITY, SHYMKENT, TURKESTAN = "KAZ004", "KAZ017", "KAZ018"


@pytest.fixture
def chromium() -> None:
    """Skip (and say why) where the server has no Chromium to draw with."""
    if not shutil.which(render.chromium_path()):
        pytest.skip(f"no Chromium at {render.chromium_path()}: install Debian's chromium to run download tests")


@pytest.fixture
def nobody(db: None) -> Any:
    """A signed-in user without any role: every role reads indicators (permissions.py), so this is the
    account that lacks ``indicator.view``."""
    return UserFactory(username="no-role")


# --- The methodology file ---------------------------------------------------------------------------


def test_catalogue_methodology_follows_the_catalogue(seed002: ImportBatch) -> None:
    """Every indicator of catalogue-2022.yaml is the catalogue's, with its domain, direction and names,
    and has regional totals for 2022; the loader of the engine accepts the file."""
    methodology = load_methodology(DATA_DIR / f"{DEFAULT_KEY}.yaml")
    assert (
        methodology.names.en == "Default method over the indicators available in the catalogue (not the official list)"
    )
    assert "ресми тізім емес" in methodology.names.kk and "не официальный перечень" in methodology.names.ru
    spec = load_spec()
    assert set(methodology.domain_codes) == set(spec.domains)
    polarity = {"positive": 1, "negative": -1}
    for ind in methodology.indicators:
        entry = spec.indicators[ind.code]
        assert (ind.domain, ind.polarity) == (entry.domain, polarity[entry.polarity]), ind.code
        assert (ind.names.kk, ind.names.ru, ind.names.en) == (entry.name_kk, entry.name_ru, entry.name_en)
        stored = Indicator.objects.get(code=ind.code)
        assert stored.domain is not None and stored.domain.code == ind.domain
        regional = IndicatorValue.objects.filter(indicator=stored, year=2022, sex="", area="", region__isnull=False)
        assert regional.count() >= 18, ind.code  # table 3.8 lacks East and North Kazakhstan
    # Every domain of the report has indicators (the index needs all four).
    assert {ind.domain for ind in methodology.indicators} == set(spec.domains)


# --- The index computed from the database ----------------------------------------------------------------


def test_index_of_2022_from_the_stored_values(seed002: ImportBatch) -> None:
    index = compute_wellbeing(2022)
    regions = index.result.regions
    assert len(regions) == 20
    assert all(reg.score is not None and reg.rank is not None for reg in regions.values())
    scores = {pcode: float(reg.score or 0) for pcode, reg in regions.items()}
    assert all(0 <= score <= 100 for score in scores.values())
    # Zones follow the scores: rounded to whole points, high from 75, medium from 50 (002 L11237-11240).
    for pcode, reg in regions.items():
        rounded = int(scores[pcode] + 0.5)
        assert reg.zone == ("high" if rounded >= 75 else "medium" if rounded >= 50 else "low")
    # Ranks 1..20 by score (competition ranking: a rank is one more than the number of better regions).
    ranks = sorted(int(reg.rank or 0) for reg in regions.values())
    assert ranks[0] == 1 and ranks[-1] <= 20
    for pcode, reg in regions.items():
        assert reg.rank == 1 + sum(other > scores[pcode] + 1e-9 for other in scores.values())
    # The national figure is the mean of the regions.
    assert index.result.national.score == pytest.approx(sum(scores.values()) / 20)


def test_a_domain_score_checked_by_hand(seed002: ImportBatch) -> None:
    """Family and Society of Almaty city in 2022: min-max over the regions of three indicators.

    * poverty rate (less is better), table 3.1: L3721 "Алматы қ. 2,2 4,8" -> 4.8; lowest L3719 "Астана
      қ. 5,5 1,9" -> 1.9; highest L3713 "Түркістан 5,5 9,7" -> 9.7: 100·(9.7 − 4.8)/(9.7 − 1.9) = 62.8205;
    * infant mortality (less is better), table 3.6: L4389 "Алматы қ. 10,48 7,92" -> 7.92; lowest L4356
      "Ақмола 5,31 4,25"; highest L4373 "Қостанай 10,33 10,87": 100·(10.87 − 7.92)/(10.87 − 4.25) = 44.5619;
    * orphans housed (more is better), table 3.8 (East and North Kazakhstan not stored, L4900 / L4915):
      L4921 "Алматы қ. 19,7"; lowest 0 (L4900 Алматы and others); highest L4929 "Ұлытау 41,9":
      100·19.7/41.9 = 47.0167.

    Equal weights: (62.8205 + 44.5619 + 47.0167)/3 = 51.4664.
    """
    index = compute_wellbeing(2022)
    family = index.result.regions[ALMATY_CITY].domains["family_society"]
    assert family == pytest.approx((100 * 4.9 / 7.8 + 100 * 2.95 / 6.62 + 100 * 19.7 / 41.9) / 3)
    assert family == pytest.approx(51.4664, abs=1e-4)


def test_doubtful_values_are_left_out_with_a_warning(seed002: ImportBatch) -> None:
    """Shymkent's child suicide rate of 2022 (L1879) fails the report's own check: the Child domain of
    Shymkent is the mean of the two other Child indicators, and the warnings say why."""
    index = compute_wellbeing(2022)
    assert any("child_suicide_rate KAZ017 2022" in w and "line 1879" in w for w in index.warnings)
    assert any("'hot_meal_students' is a count" in w for w in index.warnings)
    position = index.data.year(2022).regions.index(SHYMKENT)
    suicide = index.methodology.indicator_codes.index("child_suicide_rate")
    assert index.data.year(2022).values[position, suicide] != index.data.year(2022).values[position, suicide]  # NaN
    assert index.result.regions[SHYMKENT].domains["child"] is not None


def test_methodology_without_catalogue_indicators_explains(seed002: ImportBatch) -> None:
    with pytest.raises(IndexUnavailable, match="not in the catalogue"):
        compute_wellbeing(2022, "default")
    with pytest.raises(IndexUnavailable, match="unknown methodology"):
        methodology_option("../../settings")


# --- Pages -------------------------------------------------------------------------------------------------


def _scripts_are_data_or_files(html: str) -> None:
    """Under the CSP a page may only load scripts from files or carry JSON data blocks."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_index_page(seed002: ImportBatch, analyst: Any) -> None:
    response = client_for(analyst).get(reverse("indicators:index"), {"year": "2022", "region": ALMATY_CITY})
    assert response.status_code == 200
    html = response.content.decode()
    _scripts_are_data_or_files(html)
    assert render.PLOTLY_STATIC_PATH in html and render.PLOTS_STATIC_PATH in html
    assert 'id="fig-map-data"' in html and 'id="fig-ranking-data"' in html
    assert "not the official list" in html
    rows = response.context["rows"]
    assert [row["rank"] for row in rows] == sorted(row["rank"] for row in rows)
    assert len(rows) == 20 and rows[0]["name"] == "Astana"
    # The map paints all 20 regions in their zone's colour.
    figure = maps.choropleth({r["pcode"]: r["score"] for r in rows}, "en", zones={r["pcode"]: r["zone"] for r in rows})
    assert set(maps.coloured_pcodes(figure).values()) <= set(maps.ZONE_COLOURS.values())
    # The gap of Almaty city to the best region adds up, indicator by indicator.
    gap = response.context["gap"]
    assert gap["name"] == "Almaty" and gap["best"] == "Astana"
    assert sum(row["points"] for row in gap["rows"]) == pytest.approx(gap["total"])
    assert len(gap["rows"]) == 13
    assert "Warnings" in html and "line 1879" in html


def test_index_page_sensitivity(seed002: ImportBatch, analyst: Any) -> None:
    response = client_for(analyst).get(reverse("indicators:index"), {"year": "2022", "sensitivity": "1"})
    rows = response.context["sensitivity"]
    assert len(rows) == 20
    for row in rows:
        assert 1 <= row["low"] <= row["median"] <= row["high"] <= 20
        assert row["draws"] == 1000
    assert response.context["normalisations"] == "minmax, zscore"


def test_index_page_explains_a_methodology_without_data(seed002: ImportBatch, analyst: Any) -> None:
    response = client_for(analyst).get(reverse("indicators:index"), {"methodology": "default"})
    assert response.status_code == 200
    assert "not in the catalogue" in response.context["error"]
    assert not response.context.get("rows")


def test_indicator_map_page(seed002: ImportBatch, analyst: Any) -> None:
    poverty = Indicator.objects.get(code="poverty_rate")
    response = client_for(analyst).get(reverse("indicators:indicator-map", args=[poverty.uuid]))
    assert response.status_code == 200
    assert response.context["year"] == 2022 and response.context["years"] == [2021, 2022]
    assert response.context["region_count"] == 20
    # L3685 "ҚР 5,2 5,2": the national value of 2022.
    assert response.context["national_value"] == pytest.approx(5.2)
    html = response.content.decode()
    _scripts_are_data_or_files(html)
    assert all(f'id="fig-{name}-data"' in html for name in ("map", "ranking", "series"))
    # Two age groups (grades 4 and 9) of the monitoring of educational achievement: one at a time.
    msa = Indicator.objects.get(code="msa_students")
    response = client_for(analyst).get(reverse("indicators:indicator-map", args=[msa.uuid]), {"age": "grade 9"})
    assert response.context["ages"] == ["grade 4", "grade 9"] and response.context["age"] == "grade 9"


def test_unknown_figure_is_not_found(seed002: ImportBatch, analyst: Any) -> None:
    response = client_for(analyst).get(reverse("indicators:index"), {"download": "chart.gif"})
    assert response.status_code == 404


def test_report_page_without_format_is_the_form(seed002: ImportBatch, analyst: Any) -> None:
    response = client_for(analyst).get(reverse("indicators:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ten to fifteen seconds" in html
    # An English user gets the Russian report, and is told.
    assert response.context["lang"] == "ru" and "offered in Russian" in html


# --- Access --------------------------------------------------------------------------------------------------


def test_users_without_indicator_view_are_refused(seed002: ImportBatch, nobody: Any) -> None:
    client = client_for(nobody)
    poverty = Indicator.objects.get(code="poverty_rate")
    assert client.get(reverse("indicators:index")).status_code == 403
    assert client.get(reverse("indicators:report"), {"format": "pdf"}).status_code == 403
    assert client.get(reverse("indicators:indicator-map", args=[poverty.uuid])).status_code == 404
    assert api_for(nobody).get(reverse("indicators-index-list")).status_code == 403
    signed_out = client_for(None).get(reverse("indicators:index"))
    assert signed_out.status_code == 302 and signed_out["Location"].startswith(reverse("login"))


def test_staff_roles_see_the_index(seed002: ImportBatch, psychologist: Any) -> None:
    assert client_for(psychologist).get(reverse("indicators:index")).status_code == 200
    assert api_for(psychologist).get(reverse("indicators-index-list")).status_code == 200


# --- API ---------------------------------------------------------------------------------------------------------


def test_api_returns_the_command_document(seed002: ImportBatch, analyst: Any) -> None:
    response = api_for(analyst).get(reverse("indicators-index-list"), {"year": 2022, "gaps": "true"})
    assert response.status_code == 200
    document = response.json()
    assert {"year", "national", "regions", "previous_year", "methodology", "normalisation", "warnings"} <= set(document)
    assert document["year"] == 2022 and document["methodology"] == "catalogue_2022"
    assert len(document["regions"]) == 20
    almaty = document["regions"][ALMATY_CITY]
    assert set(almaty) == {"score", "zone", "rank", "domains", "change", "gap"}
    assert almaty["domains"]["family_society"] == pytest.approx(51.4664, abs=1e-4)  # see the hand check above
    assert sum(almaty["gap"]["indicators"].values()) == pytest.approx(almaty["gap"]["total"])
    assert sorted(r["rank"] for r in document["regions"].values())[0] == 1
    assert any("line 1879" in w for w in document["warnings"])
    # Without a year: the latest with values (2022); the previous year has too little data for an index.
    assert api_for(analyst).get(reverse("indicators-index-list")).json()["year"] == 2022
    assert document["previous_year"] is None or document["previous_year"] == 2021


def test_api_sensitivity_and_bad_parameters(seed002: ImportBatch, analyst: Any) -> None:
    api = api_for(analyst)
    url = reverse("indicators-index-list")
    spread = api.get(url, {"year": 2022, "sensitivity": 200}).json()["sensitivity"]
    assert spread["draws"] == 200 and len(spread["regions"]) == 20
    assert api.get(url, {"methodology": "nope"}).status_code == 400
    assert api.get(url, {"year": "twenty"}).status_code == 400
    assert api.get(url, {"sensitivity": 0}).status_code == 400
    empty = api.get(url, {"year": 2030})
    assert empty.status_code == 200 and empty.json()["regions"] == {}
    assert "2030" in empty.json()["warnings"][0]


# --- Downloads through Chromium ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_png_and_svg_downloads(seed002: ImportBatch, analyst: Any, chromium: None) -> None:
    client = client_for(analyst)
    png = client.get(reverse("indicators:index"), {"year": "2022", "download": "map.png"})
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert 'filename="qorgau-index-2022-map.png"' in png["Content-Disposition"]
    poverty = Indicator.objects.get(code="poverty_rate")
    svg = client.get(reverse("indicators:indicator-map", args=[poverty.uuid]), {"download": "ranking.svg"})
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    assert text.lstrip().startswith("<svg") and "Turkistan Region" in text  # the ranking's worst, L3713 9,7


def _timed(client: Any, params: dict[str, Any]) -> tuple[Any, float]:
    start = time.monotonic()
    response = client.get(reverse("indicators:report"), params)
    return response, time.monotonic() - start


@pytest.mark.browser
def test_docx_report_in_kazakh(seed002: ImportBatch, analyst: Any, chromium: None) -> None:
    from docx import Document

    response, seconds = _timed(client_for(analyst), {"year": 2022, "lang": "kk", "format": "docx"})
    print(f"DOCX report (kk) generated in {seconds:.1f} s")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"] == 'attachment; filename="qorgau-children-2022-kk.docx"'
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title == "Қазақстандағы балалардың жағдайы 2022"
    titles = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Title"]
    assert titles == ["Қазақстандағы балалардың жағдайы 2022"]
    # The scores table carries the index computed from the database: Almaty city's Family and Society.
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert any(row[1:3] == ["Алматы қаласы", "51,5"] for row in cells)


@pytest.mark.browser
def test_pdf_report_in_russian(seed002: ImportBatch, analyst: Any, chromium: None) -> None:
    import pypdfium2

    response, seconds = _timed(client_for(analyst), {"year": 2022, "lang": "ru", "format": "pdf"})
    print(f"PDF report (ru) generated in {seconds:.1f} s")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    first = pdf[0].get_textpage().get_text_range()
    assert "Положение детей в Казахстане в 2022 году" in " ".join(first.split())
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Индекс благополучия детей" in text and "город Алматы" in text
