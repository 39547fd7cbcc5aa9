"""The reporting cycle of an active plan: who must report on what and when, what arrived, what is overdue.

Nothing is written up front. The reports *expected* are computed on the fly from the plan's rules, its
measures and their executors; a :class:`~plans.models.MeasureReport` row exists once an executor starts
a report. The measures of the rates are those of DHIS2's reporting rates:

* **expected** in a reporting period: one report per measure and per executor agency that must report
  on it. An executor must report when the plan names it as an executor (lead or co-executor), its text
  resolved to a state body, it is not marked "by agreement" (по согласованию / келісу бойынша: bodies
  the Government cannot instruct, e.g. the Prosecutor General's Office, NGOs, the Ombudsman), and it is
  not a budget source (РБ, ЖБ … read from a shifted column). A measure is expected from the plan's first
  reporting period through the period holding its last deadline; a measure whose deadline could not be
  read is expected in every period (an executor answers "not due in this period" when nothing happened);
* **received**: the expected reports submitted; **on time**: submitted by the end of the due day;
* a by-agreement executor may still report: its report is shown as *voluntary*, outside the rates.

A measure is **overdue** when one of its deadline periods has ended without a submitted "completed"
report of its lead executor (of any executor when the lead is not a recognised agency) on the reporting
period holding that deadline or a later one before the next deadline's period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import organisations_for
from core.models import Agency, Organisation, RoleAssignment, User
from core.roles import Role
from plans.cycle.periods import Period, ReportingPeriod, covering, deadline_periods, executor_rules, reporting_periods
from plans.models import Measure, MeasureReport, Plan


def now() -> datetime:
    """The current time for the reporting cycle (one place, so tests can set the clock)."""
    return timezone.now()


def today() -> date:
    """Today in the country's time zone: due dates are local calendar days."""
    return timezone.localdate(now())


class ReportingNotPossible(ValidationError):
    """The plan's decree gives no rule the executors' reports can be scheduled by (activation refused, like
    the other activation problems, with a ValidationError)."""


@dataclass
class ReportingCycle:
    """The executors' reporting periods of a plan with their due dates, and what could not be scheduled."""

    plan: Plan
    periods: list[ReportingPeriod]
    warnings: list[str] = field(default_factory=list)

    def get(self, label: str) -> ReportingPeriod | None:
        return next((p for p in self.periods if p.label == label), None)

    def current(self, day: date) -> ReportingPeriod | None:
        """The period whose reports are being collected on ``day``: the first one not yet due (else the last)."""
        for rp in self.periods:
            if rp.due >= day:
                return rp
        return self.periods[-1] if self.periods else None


def reporting_cycle(plan: Plan) -> ReportingCycle:
    """The plan's reporting periods (computed, never stored): from its rules and its approval date."""
    rules = executor_rules(plan.reporting_rules, plan.language)
    periods = reporting_periods(rules, plan.period_start, plan.period_end, in_force_from=plan.act_date)
    warnings = [] if periods else [str(_("The decree gives no rule for the executors' reports."))]
    return ReportingCycle(plan, periods, warnings)


# --- expected reports -------------------------------------------------------------------------------------


@dataclass
class MeasureExpectation:
    """Who must (``agencies``) and who may (``voluntary``) report on a measure, and until when."""

    measure: Measure
    agencies: list[Agency]
    voluntary: list[Agency]
    lead: Agency | None
    deadlines: list[Period]
    unread_deadline: bool
    unrecognised: list[str]

    @property
    def last_deadline(self) -> date | None:
        return self.deadlines[-1].end if self.deadlines else None

    def expected_in(self, period: Period) -> bool:
        """Reports are expected up to the period holding the last deadline (every period without one)."""
        last = self.last_deadline
        return last is None or period.start <= last

    def executes(self, agency_id: int) -> bool:
        return any(a.pk == agency_id for a in [*self.agencies, *self.voluntary])


def measure_expectations(plan: Plan) -> list[MeasureExpectation]:
    """Every measure of the plan with its reporting executors (two queries)."""
    return measure_expectations_of(Measure.objects.filter(plan=plan).select_related("section").order_by("position"))


def measure_expectations_of(measures: Any) -> list[MeasureExpectation]:
    """These measures (a queryset or a list) with their reporting executors."""
    if isinstance(measures, QuerySet):
        measures = measures.prefetch_related("executors__agency")
    out = []
    for measure in measures:
        expected: dict[int, Agency] = {}
        voluntary: dict[int, Agency] = {}
        unrecognised: list[str] = []
        lead: Agency | None = None
        for executor in measure.executors.all():
            agency = executor.agency
            if agency is None:
                unrecognised.append(executor.text)
                continue
            if agency.kind == Agency.Kind.BUDGET_SOURCE:
                continue  # a funding source read into the executors' column is nobody who reports
            if executor.lead and lead is None:
                lead = agency
            (voluntary if executor.by_agreement else expected).setdefault(agency.pk, agency)
        for pk in expected:
            voluntary.pop(pk, None)  # named twice, once by agreement: it must report
        deadlines, unread = deadline_periods(measure.schedule or [])
        out.append(
            MeasureExpectation(
                measure=measure,
                agencies=list(expected.values()),
                voluntary=list(voluntary.values()),
                lead=lead,
                deadlines=deadlines,
                unread_deadline=measure.deadline_unparsed or bool(unread) or not deadlines,
                unrecognised=unrecognised,
            )
        )
    return out


# --- rates -----------------------------------------------------------------------------------------------


@dataclass
class AgencyRate:
    """Completeness and timeliness of one agency's reports in one period (or the total of all)."""

    agency: Agency | None
    expected: int = 0
    received: int = 0
    on_time: int = 0
    voluntary: int = 0
    abbreviations: list[str] = field(default_factory=list)

    @property
    def late(self) -> int:
        return self.received - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def received_rate(self) -> float | None:
        return round(100 * self.received / self.expected, 1) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None

    def add(self, other: AgencyRate) -> None:
        self.expected += other.expected
        self.received += other.received
        self.on_time += other.on_time
        self.voluntary += other.voluntary

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency.code if self.agency else None,
            "agency_name": self.agency.name if self.agency else None,
            "abbreviations": self.abbreviations,
            "expected": self.expected,
            "received": self.received,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "voluntary": self.voluntary,
            "received_rate": self.received_rate,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class PeriodMonitoring:
    """Expected / received / on-time reports per agency for one reporting period."""

    period: ReportingPeriod
    rows: list[AgencyRate]
    total: AgencyRate
    due_passed: bool
    late_reports: list[MeasureReport] = field(default_factory=list)
    missing_reports: list[tuple[Measure, Agency]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.period.to_json(),
            "due_passed": self.due_passed,
            "agencies": [row.to_json() for row in self.rows],
            "total": self.total.to_json(),
            "late": [
                {"measure": r.measure.number, "agency": r.agency.code, "submitted_at": r.submitted_at.isoformat()}
                for r in self.late_reports
                if r.submitted_at
            ],
        }


def submitted_on_time(report: MeasureReport, due: date) -> bool:
    """Submitted by the end of ``due`` in the country's time zone."""
    return report.submitted_at is not None and timezone.localdate(report.submitted_at) <= due


def monitoring(
    plan: Plan,
    rp: ReportingPeriod,
    *,
    day: date | None = None,
    expectations: list[MeasureExpectation] | None = None,
) -> PeriodMonitoring:
    """The rates of one reporting period: one row per agency that must or did report."""
    day = day or today()
    expectations = expectations if expectations is not None else measure_expectations(plan)
    submitted = {
        (r.measure_id, r.agency_id): r
        for r in MeasureReport.objects.filter(
            measure__plan=plan, period=rp.label, state=MeasureReport.State.SUBMITTED
        ).select_related("measure", "agency")
    }
    rows: dict[int, AgencyRate] = {}
    abbreviations: dict[int, dict[str, None]] = defaultdict(dict)
    late: list[MeasureReport] = []
    missing: list[tuple[Measure, Agency]] = []
    for exp in expectations:
        if not exp.expected_in(rp.period):
            continue
        for executor in exp.measure.executors.all():
            if executor.agency_id:
                abbreviations[executor.agency_id].setdefault(executor.text)
        for agency in exp.agencies:
            row = rows.setdefault(agency.pk, AgencyRate(agency))
            row.expected += 1
            report = submitted.pop((exp.measure.pk, agency.pk), None)
            if report is None:
                missing.append((exp.measure, agency))
                continue
            row.received += 1
            if submitted_on_time(report, rp.due):
                row.on_time += 1
            else:
                late.append(report)
    for report in submitted.values():  # by-agreement executors, or measures past their last deadline
        rows.setdefault(report.agency_id, AgencyRate(report.agency)).voluntary += 1
    total = AgencyRate(None)
    for agency_id, row in rows.items():
        row.abbreviations = list(abbreviations.get(agency_id, {}))
        total.add(row)
    ordered = sorted(rows.values(), key=lambda r: (-r.expected, r.agency.code if r.agency else ""))
    return PeriodMonitoring(rp, ordered, total, day > rp.due, late, missing)


def cycle_overview(plan: Plan, *, day: date | None = None) -> list[PeriodMonitoring]:
    """The rates of every reporting period of the plan (for the overview table)."""
    expectations = measure_expectations(plan)
    return [monitoring(plan, rp, day=day, expectations=expectations) for rp in reporting_cycle(plan).periods]


# --- overdue measures ------------------------------------------------------------------------------------


@dataclass
class OverdueMeasure:
    """A measure one of whose deadlines has passed without a "completed" report."""

    measure: Measure
    deadline: Period
    report_period: ReportingPeriod | None
    lead: Agency | None

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure.number,
            "measure_uuid": str(self.measure.uuid),
            "deadline": self.deadline.label,
            "report_period": self.report_period.label if self.report_period else None,
            "report_due": self.report_period.due.isoformat() if self.report_period else None,
            "lead": self.lead.code if self.lead else None,
        }


def overdue_measures(
    plan: Plan, *, day: date | None = None, expectations: list[MeasureExpectation] | None = None
) -> tuple[list[OverdueMeasure], list[Measure]]:
    """Overdue measures on ``day``, and the measures that could not be checked (no deadline understood)."""
    day = day or today()
    periods = reporting_cycle(plan).periods
    expectations = expectations if expectations is not None else measure_expectations(plan)
    done: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for measure_id, agency_id, period in MeasureReport.objects.filter(
        measure__plan=plan, state=MeasureReport.State.SUBMITTED, status=MeasureReport.Status.DONE
    ).values_list("measure_id", "agency_id", "period"):
        done[measure_id].append((agency_id, period))
    index = {rp.label: n for n, rp in enumerate(periods)}
    overdue: list[OverdueMeasure] = []
    unchecked: list[Measure] = []
    for exp in expectations:
        if exp.unread_deadline:
            unchecked.append(exp.measure)
            continue
        lead_id = exp.lead.pk if exp.lead else None
        done_at = {index[p] for agency_id, p in done[exp.measure.pk] if p in index and lead_id in (None, agency_id)}
        covers = [covering(periods, d.end) for d in exp.deadlines]
        for n, deadline in enumerate(exp.deadlines):
            if deadline.end >= day:
                break
            rp = covers[n]
            first = index[rp.label] if rp else len(periods)
            later = [index[c.label] for c in covers[n + 1 :] if c and index[c.label] > first]
            until = min(later) if later else len(periods)
            if not any(first <= i < until for i in done_at):
                overdue.append(OverdueMeasure(exp.measure, deadline, rp, exp.lead))
    return overdue, unchecked


# --- executors ------------------------------------------------------------------------------------------


def reporting_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations (each of a state body) for which ``user`` may write plan reports."""
    return (
        organisations_for(user, "measurereport.add")
        .filter(agency__isnull=False, is_active=True)
        .select_related("agency")
        .order_by("name_ru")
    )


def executor_users(agency_ids: list[int]) -> QuerySet[User]:
    """The plan executors of these agencies (users holding the role at one of their organisations)."""
    holders = RoleAssignment.objects.filter(
        role=Role.PLAN_EXECUTOR, organisation__agency__in=agency_ids, organisation__is_active=True
    ).values("user")
    return User.objects.filter(pk__in=holders, is_active=True)


@dataclass
class WorkItem:
    """A measure an agency executes, as seen on the agency's reporting page for one period."""

    measure: Measure
    expected: bool
    lead: bool
    report: MeasureReport | None


def worklist(plan: Plan, agency: Agency, rp: ReportingPeriod) -> list[WorkItem]:
    """The measures ``agency`` executes that are reported on in ``rp``, with its report if started."""
    reports = {
        r.measure_id: r
        for r in MeasureReport.objects.filter(measure__plan=plan, agency=agency, period=rp.label).select_related(
            "organisation"
        )
    }
    items = []
    for exp in measure_expectations(plan):
        if not exp.executes(agency.pk):
            continue
        expected = any(a.pk == agency.pk for a in exp.agencies) and exp.expected_in(rp.period)
        report = reports.get(exp.measure.pk)
        if report is not None or exp.expected_in(rp.period):
            lead = exp.lead is not None and exp.lead.pk == agency.pk
            items.append(WorkItem(exp.measure, expected, lead, report))
    return items


def open_reporting(plan: Plan, *, notify_executors: bool = True) -> ReportingCycle:
    """Open the reporting cycle of a plan being activated: check it can be scheduled, tell the executors.

    Nothing is created: expected reports are computed when asked for (:func:`monitoring`), and a report
    row appears when an executor starts one. Raises :class:`ReportingNotPossible` when the decree's
    rules give no executors' reporting period (the plan could not be monitored). Call it inside the
    activation's transaction and audit context: the notifications are written with it.
    """
    cycle = reporting_cycle(plan)
    if not cycle.periods:
        raise ReportingNotPossible(
            str(
                _(
                    "The plan cannot be activated: no rule for the executors' reports could be read from its "
                    "decree. Add the reporting clause and try again."
                )
            )
        )
    expectations = measure_expectations(plan)
    for exp in expectations:
        if not exp.agencies and not exp.voluntary:
            cycle.warnings.append(
                str(_("Measure %(number)s has no executor that can report; nobody is expected to report on it."))
                % {"number": exp.measure.number}
            )
    if notify_executors:
        _notify_opening(plan, cycle, expectations)
    return cycle


def _notify_opening(plan: Plan, cycle: ReportingCycle, expectations: list[MeasureExpectation]) -> None:
    from django.urls import reverse

    from core.notify import notify_each

    counts: dict[int, int] = defaultdict(int)
    for exp in expectations:
        for agency in exp.agencies:
            counts[agency.pk] += 1
    first = cycle.current(today())
    if not counts or first is None:
        return
    recipients: dict[int, tuple[User, dict[str, Any]]] = {}
    for assignment in RoleAssignment.objects.filter(
        role=Role.PLAN_EXECUTOR, organisation__agency__in=list(counts), organisation__is_active=True
    ).select_related("user", "organisation"):
        recipients.setdefault(
            assignment.user_id,
            (
                assignment.user,
                {
                    "plan": plan.title[:120],
                    "n": counts[assignment.organisation.agency_id],  # type: ignore[index]
                    "period": first.label,
                    "due": first.due.strftime("%d.%m.%Y"),
                },
            ),
        )
    notify_each(
        recipients.values(),
        kind="plan_reporting_opened",
        subject=_("Plan in force: %(plan)s"),
        body=_(
            "Your agency reports on %(n)s measures of this plan. The first report (period %(period)s) is due "
            "on %(due)s."
        ),
        link=reverse("plans:report-list"),
    )
