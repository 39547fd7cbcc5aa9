"""Pages of the indicators module: catalogue, values, imports, the region × indicator × year table and
the public open data page.

Objects come through the scoped base views (``restrict``: a page the user may not use answers 404 for
an object, 403 for a list); every change goes through :mod:`indicators.actions`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View, generic

from core import scope
from core.views.base import (
    CapabilityRequiredMixin,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ScopedUpdateView,
)
from indicators import actions, grids, importers, rates
from indicators.charts import bar_chart
from indicators.forms import ImportForm, IndicatorForm, ValueCorrectionForm, ValueForm
from indicators.models import Domain, ImportBatch, Indicator, IndicatorValue, ValidationFinding
from indicators.validation import breakdown_text, number


class IndicatorListView(CapabilityRequiredMixin, ScopedListView):
    """The catalogue; filters: domain, text."""

    model = Indicator
    capability = "indicator.view"
    template_name = "indicators/indicator_list.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Indicator]:
        qs = super().get_queryset().select_related("domain", "source_agency")
        get = self.request.GET
        if get.get("domain"):
            qs = qs.filter(domain__code=get["domain"])
        if get.get("q"):
            q = get["q"]
            qs = qs.filter(
                Q(code__icontains=q) | Q(name_kk__icontains=q) | Q(name_ru__icontains=q) | Q(name_en__icontains=q)
            )
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "domains": Domain.objects.order_by("code"),
            "can_add": scope.can(user, "indicator.add"),
            "can_enter": scope.can(user, "indicatorvalue.add"),
            "can_import": scope.can(user, "importbatch.add"),
        }


class IndicatorCreateView(ScopedCreateView):
    model = Indicator
    form_class = IndicatorForm
    capability = "indicator.add"
    template_name = "indicators/indicator_form.html"

    def get_success_url(self) -> str:
        return reverse("indicators:indicator-detail", args=[self.object.uuid])  # type: ignore[attr-defined]


class IndicatorUpdateView(ScopedUpdateView):
    model = Indicator
    form_class = IndicatorForm
    template_name = "indicators/indicator_form.html"

    def get_success_url(self) -> str:
        return reverse("indicators:indicator-detail", args=[self.object.uuid])  # type: ignore[attr-defined]


def _breakdowns(indicator: Indicator) -> list[tuple[str, str]]:
    """(query value, label) of each sex/area breakdown the indicator has values for; "" is the total."""
    found = IndicatorValue.objects.filter(indicator=indicator).values_list("sex", "area").distinct().order_by()
    keys = sorted(set(found), key=lambda k: (k != ("", ""), k))
    return [
        (f"{sex}:{area}", breakdown_text(sex, area, "").strip(" ()") or str(_("all (no breakdown)")))
        for sex, area in keys
    ]


class IndicatorDetailView(ScopedDetailView):
    """The indicator: its definition, a region × year table of one breakdown and a bar chart of a year."""

    model = Indicator
    template_name = "indicators/indicator_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        indicator: Indicator = self.object
        breakdowns = _breakdowns(indicator)
        chosen = self.request.GET.get("breakdown", "")
        if chosen not in {b for b, _l in breakdowns}:
            chosen = breakdowns[0][0] if breakdowns else ":"
        sex, _sep, area = chosen.partition(":")
        values = list(
            IndicatorValue.objects.filter(indicator=indicator, sex=sex, area=area).select_related("region", "batch")
        )
        grid = grids.indicator_grid(indicator, values)
        chart = None
        if grid.columns:
            index = len(grid.columns) - 1  # the latest year
            chart = bar_chart(
                [(label, value, grids.format_value(value, indicator)) for label, value in grid.column_values(index)]
            )
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "grid": grid,
            "chart": chart,
            "chart_year": grid.columns[-1][1] if grid.columns else None,
            "breakdowns": breakdowns,
            "breakdown": chosen,
            "can_change": scope.can(user, "indicator.change"),
            "can_enter": scope.can(user, "indicatorvalue.add") and not indicator.is_derived,
            "can_correct": scope.can(user, "indicatorvalue.change"),
            "doubtful": sum(1 for v in values if v.doubtful),
        }


class IndicatorComputeView(ScopedObjectMixin, View):
    """Recompute a derived indicator from the values stored now (POST only)."""

    model = Indicator
    action: ClassVar[str] = "change"

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        indicator = self.get_object()
        if not indicator.is_derived:
            messages.error(request, _("This indicator is not computed from other indicators."))
        else:
            result, findings = rates.recompute(request.user, indicator, None)
            messages.success(
                request,
                _(
                    "Computed: %(created)s new, %(updated)s changed, %(unchanged)s unchanged; "
                    "%(missing)s not computable."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "missing": len(findings),
                },
            )
        return HttpResponseRedirect(reverse("indicators:indicator-detail", args=[indicator.uuid]))


@login_required
def value_create(request: HttpRequest) -> HttpResponse:
    """Enter one value by hand (analysts); the rules' findings about it are shown as warnings."""
    if not scope.can(request.user, "indicatorvalue.add"):
        raise PermissionDenied
    initial = {}
    if request.GET.get("indicator"):
        initial["indicator"] = Indicator.objects.filter(uuid=request.GET["indicator"]).first()
    form = ValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        item = actions.Incoming(
            indicator_id=d["indicator"].pk,
            region_id=d["region"].pk if d["region"] else None,
            year=d["year"],
            value=d["value"],
            sex=d["sex"],
            area=d["area"],
            age=d["age"].strip(),
            as_of=d["as_of"],
            note=d["note"],
        )
        try:
            _value, findings = actions.enter_value(request.user, item)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            for finding in findings:
                messages.warning(request, _finding_message(finding))
            return HttpResponseRedirect(reverse("indicators:indicator-detail", args=[d["indicator"].uuid]))
    return render(request, "indicators/value_form.html", {"form": form})


def _finding_message(finding: Any) -> str:
    from indicators.validation import finding_text

    return finding_text(finding.code, finding.params, finding.english())


class ValueUpdateView(ScopedObjectMixin, generic.FormView):
    """Correct one stored value; the correction becomes an entry of the analyst, with the reason."""

    model = IndicatorValue
    action: ClassVar[str] = "change"
    form_class = ValueCorrectionForm
    template_name = "indicators/value_correct.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def get_initial(self) -> dict[str, Any]:
        return {"value": self.object.value}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"value": self.object}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            actions.update_value(
                self.request.user, self.object, new=form.cleaned_data["value"], note=form.cleaned_data["note"]
            )
        except ValueError as exc:
            form.add_error("value", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("indicators:indicator-detail", args=[self.object.indicator.uuid]))


class ImportListView(CapabilityRequiredMixin, ScopedListView):
    model = ImportBatch
    capability = "importbatch.view"
    template_name = "indicators/import_list.html"

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return super().get_queryset().select_related("uploaded_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"can_import": scope.can(self.request.user, "importbatch.add")}


@login_required
def import_create(request: HttpRequest) -> HttpResponse:
    """Upload a CSV/XLSX file of values: checked row by row, then all imported or none."""
    if not scope.can(request.user, "importbatch.add"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importers.import_file(request.user, upload, upload.name)
        if batch.state == ImportBatch.State.APPLIED:
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
                % {"created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged},
            )
        else:
            messages.error(request, _("Nothing was imported: correct the errors below and upload the file again."))
        return HttpResponseRedirect(reverse("indicators:import-detail", args=[batch.uuid]))
    return render(request, "indicators/import_form.html", {"form": form, "help": importers.IMPORT_HELP})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not scope.can(request.user, "importbatch.add"):
        raise PermissionDenied
    response = HttpResponse(importers.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qorgau-indicator-values-template.csv"'
    return response


class ImportDetailView(ScopedDetailView):
    """One import: its counts and every finding, in the reader's language."""

    model = ImportBatch
    template_name = "indicators/import_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        findings = ValidationFinding.objects.restrict(self.request.user, "view").filter(batch=self.object)
        severity = self.request.GET.get("severity")
        if severity in ValidationFinding.Severity.values:
            findings = findings.filter(severity=severity)
        findings = findings.select_related("indicator", "region")
        return super().get_context_data(**kwargs) | {
            "findings": findings,
            "by_code": Counter(f.code for f in findings),
            "severities": ValidationFinding.Severity.choices,
        }


def _years(request: HttpRequest, available: list[int]) -> list[int]:
    """The years asked for (?from=&to=), by default the latest one with data."""
    if not available:
        return []
    try:
        first = int(request.GET.get("from") or available[-1])
        last = int(request.GET.get("to") or first)
    except ValueError:
        first = last = available[-1]
    first, last = min(first, last), max(first, last)
    return [y for y in available if first <= y <= last][:10]


class RegionTableView(CapabilityRequiredMixin, generic.TemplateView):
    """Regions × indicators × years: the totals of the chosen domain's indicators."""

    capability = "indicator.view"
    template_name = "indicators/region_table.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        get = self.request.GET
        indicators = Indicator.objects.restrict(self.request.user, "view").select_related("domain")
        if get.get("domain"):
            indicators = indicators.filter(domain__code=get["domain"])
        available = sorted(set(IndicatorValue.objects.values_list("year", flat=True).distinct().order_by()))
        years = _years(self.request, available)
        chosen = list(indicators)
        grid = grids.multi_grid(chosen, years) if chosen and years else None
        return super().get_context_data(**kwargs) | {
            "grid": grid,
            "domains": Domain.objects.order_by("code"),
            "available": available,
            "years": years,
        }


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """Every value with its breakdown and provenance; ``?index=1``: the well-being index's input format."""
    if not scope.can(request.user, "indicatorvalue.view"):
        raise PermissionDenied
    values = (
        IndicatorValue.objects.restrict(request.user, "view")
        .select_related("indicator", "region", "batch")
        .order_by("indicator__code", "year", "region__pcode", "sex", "area", "age")
    )
    buf = io.StringIO()
    writer = csv.writer(buf)
    if request.GET.get("index"):
        # region,indicator,year,value (the index engine's CSV): totals only, one row per key.
        totals = [v for v in values if not v.sex and not v.area]
        counts = Counter((v.indicator_id, v.region_id, v.year) for v in totals)
        writer.writerow(["region", "indicator", "year", "value"])
        for v in totals:
            if counts[(v.indicator_id, v.region_id, v.year)] == 1:
                writer.writerow([v.region_code, v.indicator.code, v.year, number(v.value)])
    else:
        writer.writerow(["region", "indicator", "year", "value", "sex", "area", "age", "as_of", "doubtful", "source"])
        for v in values:
            writer.writerow(
                [v.region_code, v.indicator.code, v.year, number(v.value), v.sex, v.area, v.age,
                 v.as_of.isoformat() if v.as_of else "", int(v.doubtful), v.provenance]
            )  # fmt: skip
    response = HttpResponse(("\ufeff" + buf.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qorgau-indicator-values.csv"'
    return response


# --- Open data (public, no sign-in) --------------------------------------------------------------------


def _published() -> QuerySet[Indicator]:
    """Published, non-derived and derived indicators alike: aggregates only, never a person."""
    return Indicator.objects.filter(published=True).select_related("domain", "source_agency")


def open_data(request: HttpRequest) -> HttpResponse:
    """Regional totals of the published indicators; small counts of people are hidden."""
    indicators = list(_published())
    chosen = next((i for i in indicators if i.code == request.GET.get("indicator")), None)
    chosen = chosen or (indicators[0] if indicators else None)
    grid = None
    if chosen is not None:
        values = IndicatorValue.objects.filter(indicator=chosen, sex="", area="").select_related("region")
        grid = grids.indicator_grid(chosen, values, suppress=True)
    return render(request, "indicators/open_data.html", {"indicators": indicators, "chosen": chosen, "grid": grid})


def open_data_csv(request: HttpRequest) -> HttpResponse:
    """Every published regional total as CSV, with the same suppression as the page."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["indicator", "name_kk", "name_ru", "name_en", "unit", "region", "year", "age", "value"])
    for indicator in _published():
        values = IndicatorValue.objects.filter(indicator=indicator, sex="", area="").select_related("region")
        grid = grids.indicator_grid(indicator, values, suppress=True)
        for row in grid.rows:
            for (_i, year, age), cell in zip(grid.columns, row.cells, strict=True):
                if not cell.text:
                    continue
                text = number(cell.value.value) if cell.value is not None else cell.text
                writer.writerow(
                    [indicator.code, indicator.name_kk, indicator.name_ru, indicator.name_en, indicator.unit,
                     row.pcode, year, age, text]
                )  # fmt: skip
    response = HttpResponse(("\ufeff" + buf.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qorgau-open-data.csv"'
    return response
