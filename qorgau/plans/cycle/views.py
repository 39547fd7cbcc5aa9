"""Pages of the reporting cycle: the executor's reports, the Ministry's monitoring, target indicators.

Objects come only through the scoped base views (out of scope → 404); every change goes through
:mod:`plans.cycle.actions`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import generic

from core import scope
from core.models import ConflictError
from core.views.base import CapabilityRequiredMixin, ScopedObjectMixin
from plans.cycle import actions, exports, progress, services
from plans.cycle.forms import (
    ActualValueForm,
    MeasureReportForm,
    ReportDocumentForm,
    ReportStartForm,
    VersionForm,
)
from plans.models import Measure, MeasureReport, Plan, ReportDocument, TargetIndicator


def _errors(form: Any) -> str:
    return "; ".join(
        f"{form.fields[k].label or k}: {' '.join(v)}" if k in form.fields else " ".join(v)
        for k, v in form.errors.items()
    )


# --- the executor's reports --------------------------------------------------------------------------------


class ReportListView(CapabilityRequiredMixin, generic.TemplateView):
    """The reports of my agency for one plan and period: what is expected, started, submitted.

    Analysts and lead executors also see the submitted reports they may read (the co-executors' ones).
    """

    capability = "measurereport.view"
    template_name = "plans/cycle/report_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        get = self.request.GET
        organisations = list(services.reporting_organisations(user))
        organisation = next((o for o in organisations if str(o.uuid) == get.get("organisation")), None)
        organisation = organisation or (organisations[0] if organisations else None)
        plans = list(Plan.objects.restrict(user, "view").filter(status=Plan.Status.ACTIVE).order_by("-period_start"))
        plan = next((p for p in plans if str(p.uuid) == get.get("plan")), plans[0] if plans else None)
        cycle = services.reporting_cycle(plan) if plan else None
        rp = None
        if cycle is not None:
            rp = cycle.get(get.get("period", "")) or cycle.current(services.today())
        items = []
        if plan and rp and organisation and organisation.agency:
            items = services.worklist(plan, organisation.agency, rp)
        visible = MeasureReport.objects.none()
        if plan and rp:
            visible = (
                MeasureReport.objects.restrict(user, "view")
                .filter(measure__plan=plan, period=rp.label)
                .select_related("measure", "agency")
            )
        return super().get_context_data(**kwargs) | {
            "organisations": organisations,
            "organisation": organisation,
            "plans": plans,
            "plan": plan,
            "cycle": cycle,
            "rp": rp,
            "items": items,
            "visible": visible,
            "today": services.today(),
            "can_add": scope.can(user, "measurereport.add"),
        }


class ReportStartView(CapabilityRequiredMixin, generic.View):
    """Start (or reopen) my agency's report on a measure: POST from the report list."""

    capability = "measurereport.add"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReportStartForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(form))
            return HttpResponseRedirect(reverse("plans:report-list"))
        d = form.cleaned_data
        measure = (
            Measure.objects.restrict(request.user, "view").filter(uuid=d["measure"]).select_related("plan").first()
        )
        if measure is None:
            raise Http404
        organisation = None
        if d.get("organisation"):
            organisation = services.reporting_organisations(request.user).filter(uuid=d["organisation"]).first()
            if organisation is None:
                raise Http404
        try:
            report = actions.start_report(request.user, measure, d["period"], organisation)
        except (ValueError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("plans:report-list"))
        return HttpResponseRedirect(reverse("plans:report-edit", args=[report.uuid]))


class _ReportMixin(ScopedObjectMixin):
    model = MeasureReport

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("measure__plan", "agency", "organisation", "submitted_by")


class ReportDetailView(_ReportMixin, generic.DetailView):
    """A report with its documents, the co-executors' reports on the same measure, and its actions."""

    template_name = "plans/cycle/report_detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        report: MeasureReport = self.object
        others = (
            MeasureReport.objects.restrict(user, "view")
            .filter(measure=report.measure, period=report.period)
            .exclude(pk=report.pk)
            .select_related("agency")
        )
        is_lead = report.measure.executors.filter(lead=True, agency=report.agency).exists()
        can_change = report.state == MeasureReport.State.DRAFT and scope.may(user, "change", report)
        return super().get_context_data(**kwargs) | {
            "documents": ReportDocument.objects.restrict(user, "view").filter(report=report),
            "others": others,
            "executors": report.measure.executors.select_related("agency"),
            "is_lead": is_lead,
            "can_change": can_change,
            "on_time": services.submitted_on_time(report, report.due_date) if report.submitted_at else None,
            "document_form": ReportDocumentForm(),
        }


class ReportEditView(_ReportMixin, generic.View):
    """Edit a draft report; a stale version shows the saved one beside the user's (optimistic locking)."""

    action: ClassVar[str] = "change"
    template_name = "plans/cycle/report_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.get_object()
        return self._render(report, MeasureReportForm.for_report(report))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.get_object()
        form = MeasureReportForm.for_report(report, request.POST)
        if not form.is_valid():
            return self._render(report, form)
        d = form.cleaned_data
        try:
            actions.save_report(
                request.user,
                report,
                status=d["status"],
                narrative_kk=d["narrative_kk"],
                narrative_ru=d["narrative_ru"],
                spent_mln_kzt=d["spent_mln_kzt"],
                version=d.get("version"),
            )
        except ConflictError as exc:
            current = MeasureReport.objects.get(pk=report.pk)
            form.add_error(None, str(exc))
            data = form.data.copy()  # type: ignore[attr-defined]
            data["version"] = current.version  # the next save applies on top of what is saved now
            form.data = data
            return self._render(current, form, conflict_rows=_report_rows(form, current))
        except (ValueError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
            return self._render(report, form)
        messages.success(request, _("Report saved."))
        if request.POST.get("then") == "submit":
            return self._submit(request, report)
        return HttpResponseRedirect(reverse("plans:report-detail", args=[report.uuid]))

    def _submit(self, request: HttpRequest, report: MeasureReport) -> HttpResponse:
        try:
            actions.submit_report(request.user, report)
        except (ValueError, PermissionDenied, ConflictError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Report submitted."))
        return HttpResponseRedirect(reverse("plans:report-detail", args=[report.uuid]))

    def _render(self, report: MeasureReport, form: Any, **extra: Any) -> HttpResponse:
        return render(self.request, self.template_name, {"report": report, "object": report, "form": form, **extra})


def _report_rows(form: Any, current: MeasureReport) -> list[tuple[str, Any]]:
    return [
        (str(form.fields["status"].label), current.get_status_display()),
        (str(form.fields["narrative_kk"].label), current.narrative_kk),
        (str(form.fields["narrative_ru"].label), current.narrative_ru),
        (str(form.fields["spent_mln_kzt"].label), current.spent_mln_kzt),
    ]


class _ReportActionView(_ReportMixin, generic.View):
    """Base of the POST-only actions on a report: errors become messages, the user returns to the report."""

    action: ClassVar[str] = "change"
    http_method_names = ["post"]

    def perform(self, request: HttpRequest, report: MeasureReport) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.get_object()
        try:
            done = self.perform(request, report)
        except (ValueError, PermissionDenied, ConflictError) as exc:
            messages.error(request, str(exc) or str(_("Not allowed.")))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("plans:report-detail", args=[report.uuid]))


def _version(request: HttpRequest) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


class ReportSubmitView(_ReportActionView):
    def perform(self, request: HttpRequest, report: MeasureReport) -> Any:
        actions.submit_report(request.user, report, version=_version(request))
        return _("Report submitted.")


class ReportConsolidateView(_ReportActionView):
    def perform(self, request: HttpRequest, report: MeasureReport) -> Any:
        _report, missing = actions.consolidate_report(request.user, report, version=_version(request))
        if missing:
            return _("Co-executors' information added. Still to report: %(agencies)s.") % {
                "agencies": ", ".join(missing)
            }
        return _("Co-executors' information added; edit it before submitting.")


class ReportDocumentAddView(_ReportActionView):
    def perform(self, request: HttpRequest, report: MeasureReport) -> Any:
        form = ReportDocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValueError(_errors(form))
        upload = form.cleaned_data["file"]
        actions.add_document(request.user, report, upload, upload.name)
        return _("Document attached.")


class ReportDocumentDownloadView(ScopedObjectMixin, generic.View):
    """The document itself, only through the scope check (files are never served directly)."""

    model = ReportDocument

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        document = self.get_object()
        response = FileResponse(document.file.open("rb"), content_type=document.content_type)
        # The stored name is the uploader's; the download is named by its UUID (no header injection).
        response["Content-Disposition"] = f'attachment; filename="{document.uuid}{Path(document.name).suffix.lower()}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- the Ministry's monitoring ---------------------------------------------------------------------------


class MonitoringIndexView(CapabilityRequiredMixin, generic.TemplateView):
    """Every active plan with the completeness of the reports being collected now."""

    capability = "plan.monitor"
    template_name = "plans/cycle/monitoring_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        day = services.today()
        rows = []
        for plan in Plan.objects.restrict(self.request.user, "monitor").filter(status=Plan.Status.ACTIVE):
            cycle = services.reporting_cycle(plan)
            rp = cycle.current(day)
            rows.append((plan, services.monitoring(plan, rp, day=day) if rp else None))
        return super().get_context_data(**kwargs) | {"rows": rows}


class _PlanMonitorMixin(ScopedObjectMixin):
    model = Plan
    action: ClassVar[str] = "monitor"

    def period_of(self, plan: Plan) -> tuple[services.ReportingCycle, Any]:
        cycle = services.reporting_cycle(plan)
        label = self.request.GET.get("period", "")
        rp = cycle.get(label) if label else cycle.current(services.today())
        if rp is None and (label or cycle.periods):
            raise Http404
        return cycle, rp


class PlanMonitoringView(_PlanMonitorMixin, generic.View):
    """Expected / received / on-time reports per agency and period, late reports, overdue measures."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_object()
        cycle, rp = self.period_of(plan)
        day = services.today()
        expectations = services.measure_expectations(plan)
        overview = [services.monitoring(plan, p, day=day, expectations=expectations) for p in cycle.periods]
        selected = next((m for m in overview if rp and m.period.label == rp.label), None)
        overdue, unchecked = services.overdue_measures(plan, day=day, expectations=expectations)
        return render(
            request,
            "plans/cycle/monitoring.html",
            {
                "plan": plan,
                "cycle": cycle,
                "rp": rp,
                "overview": overview,
                "selected": selected,
                "overdue": overdue,
                "unchecked": unchecked,
                "unrecognised": [(e.measure, t) for e in expectations for t in e.unrecognised],
                "today": day,
            },
        )


class SummaryDocxView(_PlanMonitorMixin, generic.View):
    """The implementation summary of a period in the official table layout (DOCX)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_object()
        _cycle, rp = self.period_of(plan)
        if rp is None:
            raise Http404
        data = exports.summary_docx(plan, rp, exports.export_language(plan))
        return _download(data, exports.DOCX_TYPE, f"summary-{rp.label}.docx")


class SummaryXlsxView(_PlanMonitorMixin, generic.View):
    """The implementation summary, the completeness table and the overdue measures (XLSX)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_object()
        _cycle, rp = self.period_of(plan)
        if rp is None:
            raise Http404
        data = exports.summary_xlsx(plan, rp, exports.export_language(plan), day=services.today())
        return _download(data, exports.XLSX_TYPE, f"summary-{rp.label}.xlsx")


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- target indicators -----------------------------------------------------------------------------------


class TargetProgressView(ScopedObjectMixin, generic.View):
    """Targets against actual values per year, with the trajectory and the on/off-track verdicts."""

    model = Plan

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_object()
        return render(
            request,
            "plans/cycle/targets.html",
            {
                "plan": plan,
                "indicators": progress.plan_progress(plan),
                "years": list(range(plan.period_start - 1, plan.period_end + 1)),
                "can_change": scope.can(request.user, "targetindicator.change"),
                "can_monitor": scope.can(request.user, "plan.monitor"),
            },
        )


class ActualValueView(ScopedObjectMixin, generic.View):
    """Enter an actual value of a target indicator (analysts); a stale version is a conflict."""

    model = TargetIndicator
    action: ClassVar[str] = "change"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        indicator = self.get_object()
        year = request.GET.get("year", "")
        form = ActualValueForm(
            plan=indicator.plan,
            initial={"version": indicator.version, "year": year, "value": (indicator.actuals or {}).get(year)},
        )
        return self._render(indicator, form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        indicator = self.get_object()
        form = ActualValueForm(request.POST, plan=indicator.plan)
        if not form.is_valid():
            return self._render(indicator, form)
        d = form.cleaned_data
        try:
            actions.set_actual(request.user, indicator, d["year"], d["value"], version=d.get("version"))
        except ConflictError as exc:
            current = TargetIndicator.objects.get(pk=indicator.pk)
            form.add_error(None, str(exc))
            data = form.data.copy()  # type: ignore[attr-defined]
            data["version"] = current.version
            form.data = data
            rows = [(str(y), v) for y, v in sorted((current.actuals or {}).items())]
            return self._render(current, form, conflict_rows=rows)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self._render(indicator, form)
        messages.success(request, _("Actual value saved."))
        return HttpResponseRedirect(reverse("plans:targets", args=[indicator.plan.uuid]))

    def _render(self, indicator: TargetIndicator, form: Any, **extra: Any) -> HttpResponse:
        return render(
            self.request,
            "plans/cycle/actual_form.html",
            {"indicator": indicator, "progress": progress.indicator_progress(indicator), "form": form, **extra},
        )
