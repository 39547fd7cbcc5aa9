"""Pages of the child well-being index, the indicator maps and the annual report (SPEC §2.6).

* ``/indicators/index/``: the index of a year by a chosen methodology (:mod:`indicators.wellbeing`): the
  regions' scores, zones, ranks, domain scores and change, the map and the ranking, one region's gap to
  the best region, and on request the sensitivity of the ranks to weights and normalisation.
* ``/indicators/<uuid>/map/``: one indicator's map, ranking and time series.
* ``/indicators/report/``: the annual report as DOCX or PDF.

Figures are plotly figures embedded under the CSP (no inline script: :func:`render.to_html_div`); the
same figure is offered as PNG and SVG with ``?download=<figure>.png|svg``, rendered by the server's
Chromium (a Django sync view runs outside any asyncio loop, as Playwright's sync API needs). Every
query is made before the browser starts. Figures and the report are in the user's language; the
report exists in kk and ru only, so an English user gets the Russian one (the page says so).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import plotly.graph_objects as go
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import generic

from core.views.base import CapabilityRequiredMixin, ScopedDetailView
from indicators import wellbeing
from indicators.models import Indicator, IndicatorValue, Polarity
from indicators.report import annual, charts, maps, render
from indicators.report.data import assemble
from indicators.report.i18n import LANGUAGES, REPORT_LANGUAGES, Language, region_name, unit_label
from indicators.seed002_spec import load_spec
from indicators.seed002_types import Value

SENSITIVITY_DRAWS = 1000
DOWNLOAD_RE = re.compile(r"(?P<figure>[a-z]+)\.(?P<format>png|svg)")
REPORT_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def page_language() -> Language:
    """The user's language as a figure language (kk, ru or en)."""
    code = (get_language() or "kk")[:2]
    return code if code in LANGUAGES else "kk"  # type: ignore[return-value]


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) == 4 else None


def figure_head() -> SafeString:
    """The style sheet and scripts that draw embedded figures (plotly.js from our own static files)."""
    return mark_safe(render.page_head_html(settings.STATIC_URL))  # noqa: S308 - our own fixed tags


def embed(figures: Mapping[str, go.Figure], stem: str) -> dict[str, SafeString]:
    """Each figure as an HTML block for the page (a div and its JSON, no script to run)."""
    return {
        name: mark_safe(render.to_html_div(figure, element_id=f"fig-{name}", filename=f"{stem}-{name}"))  # noqa: S308
        for name, figure in figures.items()
    }


def figure_download(requested: str, figures: Mapping[str, go.Figure], stem: str) -> HttpResponse:
    """The figure ``requested`` ("map.png", "ranking.svg"...) as a file rendered by Chromium."""
    match = DOWNLOAD_RE.fullmatch(requested)
    if match is None or match["figure"] not in figures:
        raise Http404
    figure, image_format = figures[match["figure"]], match["format"]
    try:
        if image_format == "png":
            body, content_type = render.to_png(figure), "image/png"
        else:
            body, content_type = render.to_svg(figure), "image/svg+xml"
    except render.RenderError as exc:
        return HttpResponse(
            _("The picture cannot be drawn on the server now: %(reason)s") % {"reason": exc},
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{match["figure"]}.{image_format}"'
    return response


def _query(**params: Any) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


# --- The index ----------------------------------------------------------------------------------------


class IndexView(CapabilityRequiredMixin, generic.TemplateView):
    """The index of a year: table, map, ranking, gap of a chosen region, sensitivity on request."""

    capability = "indicator.view"
    template_name = "indicators/index.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The page, or one of its figures with ``?download=``."""
        language = page_language()
        context, figures = self.build(request, language)
        stem = f"qorgau-index-{context['year']}"
        if request.GET.get("download"):
            return figure_download(request.GET["download"], figures, stem)
        context["figures"] = embed(figures, stem)
        return self.render_to_response(self.get_context_data(**context))

    def build(self, request: HttpRequest, language: Language) -> tuple[dict[str, Any], dict[str, go.Figure]]:
        """The page's context and its figures for the request's year, methodology and region."""
        get = request.GET
        options = wellbeing.methodology_options()
        context: dict[str, Any] = {
            "options": [(o.key, o.name(language)) for o in options],
            "head": figure_head(),
            "language": language,
            "draws": SENSITIVITY_DRAWS,
        }
        try:
            option = wellbeing.methodology_option(get.get("methodology"))
        except wellbeing.IndexUnavailable as exc:
            option = wellbeing.methodology_option(None)
            context["error"] = str(exc)
        years = wellbeing.available_years(option.methodology)
        year = _int(get.get("year")) or (years[-1] if years else None)
        context |= {"option": option, "title": option.name(language), "years": years, "year": year}
        context["query"] = _query(year=year, methodology=option.key)
        if year is None:
            context.setdefault("error", wellbeing.no_data_reason(option.methodology))
            return context, {}
        try:
            index = wellbeing.compute_wellbeing(year, option.key)
        except wellbeing.IndexUnavailable as exc:
            context.setdefault("error", str(exc))
            return context, {}
        context |= self.table(index, language)
        region = get.get("region", "")
        if region in index.result.regions:
            context |= {"region": region, "gap": gap_rows(index, region, language)}
        context["region_query"] = _query(year=year, methodology=option.key, sensitivity=get.get("sensitivity"))
        if get.get("sensitivity"):
            context["sensitivity"], context["normalisations"] = sensitivity_rows(index, language)
        return context, index_figures(index, language)

    @staticmethod
    def table(index: wellbeing.WellbeingIndex, language: Language) -> dict[str, Any]:
        """The regions' rows (best first), the domains and the national figure."""
        option, result = index.option, index.result
        domains = [(code, option.domain_name(code, language)) for code in index.methodology.domain_codes]
        rows = []
        for pcode, reg in result.regions.items():
            rows.append(
                {
                    "pcode": pcode,
                    "name": region_name(pcode, language),
                    "score": reg.score,
                    "zone": reg.zone,
                    "zone_name": zone_name(index, reg.zone, language),
                    "rank": reg.rank,
                    "domains": [(reg.domains.get(code), reg.domain_changes.get(code)) for code, _name in domains],
                    "change": reg.change,
                }
            )
        rows.sort(key=lambda row: (row["rank"] or 10**6, row["name"]))
        national = result.national
        return {
            "index": index,
            "rows": rows,
            "domains": domains,
            "national": national,
            "national_zone": zone_name(index, national.zone, language),
            "national_domains": [national.domains.get(code) for code, _name in domains],
            "warnings": index.warnings,
            "previous_year": result.previous_year,
        }


def zone_name(index: wellbeing.WellbeingIndex, zone: str | None, language: Language) -> str:
    """The zone's name in the methodology's words ("жоғары"), or a dash without a score."""
    for band in index.methodology.zones:
        if band.code == zone:
            return str(getattr(band.names, language))
    return "—"


def index_figures(index: wellbeing.WellbeingIndex, language: Language) -> dict[str, go.Figure]:
    """The map and the ranking of the index scores in their zone colours."""
    result = index.result
    scores = {pcode: reg.score for pcode, reg in result.regions.items()}
    zones = {pcode: reg.zone for pcode, reg in result.regions.items()}
    title = _("%(index)s, %(year)s") % {"index": index.option.name(language), "year": index.year}
    return {
        "map": maps.choropleth(scores, language, title=title, zones=zones),
        "ranking": charts.ranking_bar(scores, language, title=title, zones=zones, national=result.national.score),
    }


def gap_rows(index: wellbeing.WellbeingIndex, region: str, language: Language) -> dict[str, Any]:
    """One region's gap to the best region, indicator by indicator, largest share first.

    Each row shows both regions' raw values beside the points of the gap it explains, so that a reader
    sees where the gap comes from; the contributions add up to the total gap.
    """
    result = index.result.regions[region]
    if result.gap is None:
        return {"total": None}
    gap = result.gap
    year_data = index.data.year(index.year)
    position = {pcode: i for i, pcode in enumerate(year_data.regions)}
    codes = index.methodology.indicator_codes
    domain_of = {ind.code: ind.domain for ind in index.methodology.indicators}

    def raw(pcode: str, code: str) -> float | None:
        value = year_data.values[position[pcode], codes.index(code)]
        return None if value != value else float(value)  # NaN: no value

    rows = [
        {
            "indicator": index.option.indicator_name(code, language),
            "domain": index.option.domain_name(domain_of[code], language),
            "value": raw(region, code),
            "best_value": raw(gap.best, code),
            "points": points,
        }
        for code, points in gap.contributions.items()
    ]
    rows.sort(key=lambda row: -float(row["points"] or 0))
    return {
        "name": region_name(region, language),
        "best": region_name(gap.best, language),
        "is_best": gap.best == region,
        "total": gap.total,
        "rows": rows,
    }


def sensitivity_rows(index: wellbeing.WellbeingIndex, language: Language) -> tuple[list[dict[str, Any]], str]:
    """Median rank and 5–95 % interval of each region over the Monte Carlo draws, by nominal rank, and
    the normalisations the draws used."""
    spread = index.sensitivity(draws=SENSITIVITY_DRAWS)
    rows = [
        {
            "name": region_name(pcode, language),
            "rank": reg.nominal_rank,
            "median": reg.median_rank,
            "low": reg.rank_p05,
            "high": reg.rank_p95,
            "score_low": reg.score_p05,
            "score_high": reg.score_p95,
            "draws": reg.draws_with_score,
        }
        for pcode, reg in spread.regions.items()
    ]
    rows.sort(key=lambda row: (row["rank"] or 10**6, row["name"]))
    return rows, ", ".join(spread.normalisations)


# --- One indicator ------------------------------------------------------------------------------------


class IndicatorMapView(ScopedDetailView):
    """One indicator: map and ranking of a year, and the time series of every region."""

    model = Indicator
    template_name = "indicators/map.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The page, or one of its figures with ``?download=``."""
        self.object = self.get_object()
        language = page_language()
        context, figures = self.build(request, language)
        stem = f"qorgau-{self.object.code}-{context.get('year') or 'all'}"
        if request.GET.get("download"):
            return figure_download(request.GET["download"], figures, stem)
        context["figures"] = embed(figures, stem)
        return self.render_to_response(self.get_context_data(object=self.object, **context))

    def build(self, request: HttpRequest, language: Language) -> tuple[dict[str, Any], dict[str, go.Figure]]:
        """Totals of the indicator (one age group at a time) by region and year, and the three figures."""
        indicator: Indicator = self.object
        values = list(IndicatorValue.objects.filter(indicator=indicator, sex="", area="").select_related("region"))
        ages = sorted({v.age for v in values})
        age = request.GET.get("age", "")
        age = age if age in ages else (ages[0] if ages else "")
        values = [v for v in values if v.age == age]
        series: dict[str, dict[int, float | None]] = {}
        for value in values:
            series.setdefault(value.region_code, {})[value.year] = float(value.value)
        years = sorted({v.year for v in values if v.region_id})
        year = _int(request.GET.get("year"))
        year = year if year in years else (years[-1] if years else None)
        context: dict[str, Any] = {
            "head": figure_head(),
            "ages": ages if len(ages) > 1 else [],
            "age": age,
            "years": years,
            "year": year,
            "query": _query(year=year, age=age if len(ages) > 1 else None),
        }
        if year is None:
            return context, {}
        regional = {v.region_code: float(v.value) for v in values if v.region_id and v.year == year}
        national = series.get("KAZ", {}).get(year)
        unit = unit_label(indicator.unit, language)
        title = _("%(indicator)s, %(year)s") % {"indicator": indicator.name, "year": year}
        context["doubtful"] = sorted(
            region_name(v.region_code, language) for v in values if v.doubtful and v.year == year and v.region_id
        )
        context["national_value"] = national
        context["region_count"] = len(regional)
        figures = {
            "map": maps.choropleth(regional, language, title=title, unit=unit),
            # Where less is better, the smallest value is ranked first.
            "ranking": charts.ranking_bar(
                regional,
                language,
                title=title,
                unit=unit,
                national=national,
                descending=indicator.polarity != Polarity.NEGATIVE,
            ),
            "series": charts.time_series(series, language, title=str(indicator.name), unit=unit),
        }
        return context, figures


# --- The annual report ----------------------------------------------------------------------------------


def report_values(document: str) -> list[Value]:
    """The stored values read from ``document`` in the shape the report's tables are built from."""
    rows = IndicatorValue.objects.filter(origin=IndicatorValue.Origin.DOCUMENT, document=document)
    return [
        Value(
            indicator=v.indicator.code,
            region=v.region_code,
            year=v.year,
            value=float(v.value),
            sex=v.sex or None,
            area=v.area or None,
            age=v.age or None,
            document=v.document,
            table=v.table,
            line=v.line or 0,
            column=v.column,
            as_of=v.as_of.isoformat() if v.as_of else None,
            doubtful=v.doubtful,
        )
        for v in rows.select_related("indicator", "region")
    ]


def report_language(requested: str | None) -> tuple[Language, bool]:
    """The report's language: ``requested`` if kk or ru, else the user's; English becomes Russian
    (the report is written in kk and ru only). The flag says that English was replaced."""
    if requested in REPORT_LANGUAGES:
        return requested, False  # type: ignore[return-value]
    language = page_language()
    if language in REPORT_LANGUAGES:
        return language, False
    return "ru", True


class ReportView(CapabilityRequiredMixin, generic.TemplateView):
    """The annual report "The situation of children in Kazakhstan in YEAR": a form, then DOCX or PDF."""

    capability = "indicator.view"
    template_name = "indicators/report.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Without ``format``: the page. With ``format=docx|pdf``: the file (about ten seconds)."""
        get = request.GET
        options = wellbeing.methodology_options()
        option = next((o for o in options if o.key == get.get("methodology")), options[0] if options else None)
        if option is None:
            raise Http404
        years = wellbeing.available_years(option.methodology)
        year = _int(get.get("year")) or (years[-1] if years else None)
        language, english = report_language(get.get("lang"))
        context: dict[str, Any] = {
            "options": [(o.key, o.name(page_language())) for o in options],
            "option": option,
            "years": years,
            "year": year,
            "lang": language,
            "english": english,
            "report_languages": [("kk", "Қазақша"), ("ru", "Русский")],
        }
        report_format = get.get("format")
        if report_format not in REPORT_FORMATS:
            return self.render_to_response(self.get_context_data(**context))
        build: Callable[..., bytes] = annual.build_docx if report_format == "docx" else annual.build_pdf
        try:
            if year is None:
                raise wellbeing.IndexUnavailable(wellbeing.no_data_reason(option.methodology))
            index = wellbeing.compute_wellbeing(year, option.key)
            spec = load_spec()
            data = assemble(
                year,
                language,
                report_values(spec.document),
                index.document(),
                previous_index=index.previous_document(),
                spec=spec,
            )
            body = build(data)
        except wellbeing.IndexUnavailable as exc:
            context["error"] = str(exc)
            return self.render_to_response(self.get_context_data(**context), status=400)
        except render.RenderError as exc:
            context["error"] = _("The report cannot be drawn on the server now: %(reason)s") % {"reason": exc}
            return self.render_to_response(self.get_context_data(**context), status=503)
        response = HttpResponse(body, content_type=REPORT_FORMATS[report_format])
        filename = f"qorgau-children-{year}-{language}.{report_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
