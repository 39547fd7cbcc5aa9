"""Every change of the reporting cycle: start, edit, submit and consolidate a report, attach a document,
enter a target indicator's actual value.

Each function takes the acting user and goes through :mod:`core.actions` (permission check, scope re-checked
inside the transaction, audit entry written by the model). Views, the API and jobs call these and nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import actions, scope
from core.models import Organisation
from core.notify import notify
from core.uploads import check_upload
from plans.cycle import services
from plans.models import Measure, MeasureReport, Plan, ReportDocument, TargetIndicator


def _refuse_unless_draft(report: MeasureReport) -> None:
    if report.state != MeasureReport.State.DRAFT:
        raise ValueError(str(_("This report has been submitted and can no longer be changed.")))


def _versioned(obj: Any, version: int | None) -> Any:
    if version is not None:
        obj.version = version
    return obj


def start_report(user: Any, measure: Measure, period: str, organisation: Organisation | None = None) -> MeasureReport:
    """Open (or return the already opened) report of the user's agency on ``measure`` for ``period``.

    ``organisation`` is where the user writes plan reports; it may be left out when the user writes for one
    executor of the measure only.
    """
    plan: Plan = measure.plan
    if plan.status != Plan.Status.ACTIVE:
        raise ValueError(str(_("Reports are written on active plans only.")))
    rp = services.reporting_cycle(plan).get(period)
    if rp is None:
        raise ValueError(str(_("%(period)s is not a reporting period of this plan.")) % {"period": period})
    executing = {a.pk for a in _reporting_agencies(measure)}
    candidates = [o for o in services.reporting_organisations(user) if o.agency_id in executing]
    if organisation is not None:
        candidates = [o for o in candidates if o.pk == organisation.pk]
    if not candidates:
        raise PermissionDenied(str(_("Your organisation is not an executor of this measure.")))
    if len(candidates) > 1:
        raise ValueError(str(_("You report for several executors of this measure: choose the organisation.")))
    org = candidates[0]
    agency_id = int(org.agency_id or 0)  # reporting organisations always have an agency
    existing = MeasureReport.objects.filter(measure=measure, agency_id=agency_id, period=period).first()
    if existing is not None:
        return _own(user, existing)
    report = MeasureReport(measure=measure, agency_id=agency_id, organisation=org, period=period, due_date=rp.due)
    try:
        with transaction.atomic():
            return actions.create_object(user, report)
    except IntegrityError:
        # Someone of the same agency started it a moment ago: theirs is the report.
        return _own(user, MeasureReport.objects.get(measure=measure, agency_id=agency_id, period=period))


def _own(user: Any, report: MeasureReport) -> MeasureReport:
    if scope.may(user, "change", report):
        return report
    raise ValueError(
        str(_("Your agency's report on this measure for %(period)s was started by %(organisation)s."))
        % {"period": report.period, "organisation": report.organisation or "—"}
    )


def _reporting_agencies(measure: Measure) -> list[Any]:
    """The agencies that may report on ``measure``: its executors, by agreement or not (not budget sources)."""
    exp = next(e for e in services.measure_expectations_of([measure]))
    return [*exp.agencies, *exp.voluntary]


def save_report(
    user: Any,
    report: MeasureReport,
    *,
    status: str,
    narrative_kk: str,
    narrative_ru: str,
    spent_mln_kzt: Decimal | None,
    version: int | None = None,
) -> MeasureReport:
    """Change a draft report (a stale ``version`` raises :class:`core.models.ConflictError`)."""
    _refuse_unless_draft(report)
    if status and status not in MeasureReport.Status.values:
        raise ValueError(str(_("Unknown implementation status.")))
    if spent_mln_kzt is not None and spent_mln_kzt < 0:
        raise ValueError(str(_("The money spent cannot be negative.")))
    report.status = status
    report.narrative_kk = narrative_kk.strip()
    report.narrative_ru = narrative_ru.strip()
    report.spent_mln_kzt = spent_mln_kzt
    return actions.update_object(user, _versioned(report, version))


def submit_report(user: Any, report: MeasureReport, *, version: int | None = None) -> MeasureReport:
    """Send a draft report to the Ministry; the time of submission decides whether it was on time."""
    _refuse_unless_draft(report)
    if not report.status:
        raise ValueError(str(_("Say how far the measure is implemented before submitting.")))
    if not (report.narrative_kk.strip() or report.narrative_ru.strip()):
        raise ValueError(str(_("Write the implementation information (in Kazakh or Russian) before submitting.")))
    report.state = MeasureReport.State.SUBMITTED
    report.submitted_at = services.now()
    report.submitted_by = user
    with transaction.atomic():
        actions.update_object(user, _versioned(report, version))
        _tell_the_lead(report)
    return report


def _tell_the_lead(report: MeasureReport) -> None:
    """A co-executor's report goes to the lead executor too, who consolidates it."""
    lead = report.measure.executors.filter(lead=True, agency__isnull=False).exclude(agency=report.agency).first()
    if lead is None:
        return
    notify(
        services.executor_users([lead.agency_id]),  # type: ignore[list-item]
        kind="plan_coexecutor_report",
        subject=_("Co-executor's report on measure %(number)s (%(period)s)"),
        body=_("%(agency)s submitted its report. Consolidate it into your agency's report."),
        params={"number": report.measure.number, "period": report.period, "agency": report.agency.name},
        link=reverse("plans:report-detail", args=[report.uuid]),
    )


def consolidate_report(
    user: Any, report: MeasureReport, *, version: int | None = None
) -> tuple[MeasureReport, list[str]]:
    """The lead executor takes the co-executors' submitted information into its draft report.

    Each co-executor's text is appended once, under the name of its agency, in both languages; the lead
    edits the result before submitting. Returns the report and the co-executors still to report.
    """
    _refuse_unless_draft(report)
    measure = report.measure
    if not measure.executors.filter(lead=True, agency=report.agency).exists():
        raise PermissionDenied(str(_("Only the lead executor of the measure consolidates its co-executors.")))
    others = list(
        MeasureReport.objects.filter(measure=measure, period=report.period, state=MeasureReport.State.SUBMITTED)
        .exclude(agency=report.agency)
        .select_related("agency")
        .order_by("agency__code")
    )
    included = list(report.consolidated_from)
    for other in others:
        if str(other.uuid) in included:
            continue
        label = _label(measure, other.agency_id) or other.agency.name
        for lang in ("kk", "ru"):
            text = getattr(other, f"narrative_{lang}").strip()
            if text:
                mine = getattr(report, f"narrative_{lang}").strip()
                setattr(report, f"narrative_{lang}", f"{mine}\n\n{label}: {text}".strip())
        included.append(str(other.uuid))
    report.consolidated_from = included
    report.consolidated = True
    actions.update_object(user, _versioned(report, version))
    exp = next(e for e in services.measure_expectations_of([measure]))
    reported = {o.agency_id for o in others} | {report.agency_id}
    missing = [_label(measure, a.pk) or a.name for a in exp.agencies if a.pk not in reported]
    return report, missing


def _label(measure: Measure, agency_id: int) -> str:
    """The agency as the plan writes it (its abbreviation in the executors' column)."""
    executor = measure.executors.filter(agency_id=agency_id).order_by("position").first()
    return executor.text if executor else ""


def add_document(user: Any, report: MeasureReport, upload: IO[bytes], name: str) -> ReportDocument:
    """Attach a document to a draft report (the upload rules of case attachments apply)."""
    if not scope.may(user, "change", report):
        raise Http404
    _refuse_unless_draft(report)
    checked = check_upload(upload, name)
    document = ReportDocument(
        report=report,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    document.file.save(document.name, ContentFile(checked.data), save=False)
    try:
        actions.create_object(user, document)
    except BaseException:
        document.file.delete(save=False)  # nothing half-written: no file without its record
        raise
    return document


def set_actual(
    user: Any, indicator: TargetIndicator, year: int, value: Decimal | float | None, *, version: int | None = None
) -> TargetIndicator:
    """Record (or clear, with ``None``) the actual value of a target indicator for ``year``.

    The year before the plan starts holds the baseline the trajectory starts from.
    """
    plan = indicator.plan
    if not plan.period_start - 1 <= year <= plan.period_end:
        raise ValueError(
            str(_("Enter a year from %(first)s (the baseline) to %(last)s."))
            % {"first": plan.period_start - 1, "last": plan.period_end}
        )
    actuals = {k: v for k, v in (indicator.actuals or {}).items() if k != str(year)}
    if value is not None:
        actuals[str(year)] = float(value)
    indicator.actuals = dict(sorted(actuals.items()))
    return actions.update_object(user, _versioned(indicator, version))
