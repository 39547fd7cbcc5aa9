"""Reminders to executors: before their reports fall due, and once when a due date passed without them.

Each reminder goes once: the :class:`~plans.models.Reminder` table holds one row per plan, agency, period
and kind ("before:N" for N days ahead, "overdue"), written in the same transaction as the notifications;
a second run (or a concurrent one) finds the row and sends nothing. Only agencies with expected reports
still missing are reminded, and only their plan executors (the users holding that role at one of the
agency's organisations).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Agency
from core.notify import notify
from plans.cycle import services
from plans.cycle.periods import ReportingPeriod
from plans.models import Plan, Reminder

# A period whose due date passed longer ago than this gets no "overdue" reminder (no flood of old periods
# when a plan is activated late or the job starts running).
OVERDUE_WINDOW_DAYS = 30


@dataclass(frozen=True)
class SentReminder:
    plan: Plan
    agency: Agency
    period: str
    kind: str
    measures: list[str]
    recipients: int

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": str(self.plan.uuid),
            "agency": self.agency.code,
            "period": self.period,
            "kind": self.kind,
            "measures": self.measures,
            "recipients": self.recipients,
        }


def send_reminders(*, days: int, day: date | None = None) -> list[SentReminder]:
    """Remind the executors of every active plan whose reports are due within ``days`` days of ``day`` (or
    overdue since at most :data:`OVERDUE_WINDOW_DAYS`). Needs an audit context (a system job's)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    day = day or services.today()
    sent: list[SentReminder] = []
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE).order_by("pk"):
        cycle = services.reporting_cycle(plan)
        expectations = None
        for rp in cycle.periods:
            if day <= rp.due <= day + timedelta(days=days):
                kind = f"before:{days}"
            elif day - timedelta(days=OVERDUE_WINDOW_DAYS) <= rp.due < day:
                kind = "overdue"
            else:
                continue
            expectations = expectations if expectations is not None else services.measure_expectations(plan)
            result = services.monitoring(plan, rp, day=day, expectations=expectations)
            missing: dict[int, list[str]] = defaultdict(list)
            agencies: dict[int, Agency] = {}
            for measure, agency in result.missing_reports:
                missing[agency.pk].append(measure.number)
                agencies[agency.pk] = agency
            for agency_id, numbers in missing.items():
                reminder = _send(plan, agencies[agency_id], rp, kind, numbers)
                if reminder is not None:
                    sent.append(reminder)
    return sent


def _send(plan: Plan, agency: Agency, rp: ReportingPeriod, kind: str, numbers: list[str]) -> SentReminder | None:
    users = list(services.executor_users([agency.pk]))
    if not users:
        return None  # nobody to tell yet: no row, so an executor registered later is still reminded
    try:
        with transaction.atomic():
            _row, created = Reminder.objects.get_or_create(
                plan=plan, agency=agency, period=rp.label, kind=kind, defaults={"sent_at": services.now()}
            )
            if not created:
                return None
            overdue = kind == "overdue"
            notes = notify(
                users,
                kind="plan_report_overdue" if overdue else "plan_report_reminder",
                subject=(_("Plan report overdue since %(due)s") if overdue else _("Plan report due on %(due)s")),
                body=_(
                    "%(plan)s, period %(period)s: the reports of %(agency)s on %(n)s measures are not submitted "
                    "(measures %(measures)s)."
                ),
                params={
                    "plan": plan.title[:150],
                    "period": rp.label,
                    "due": rp.due.strftime("%d.%m.%Y"),
                    "agency": agency.name,
                    "n": len(numbers),
                    "measures": ", ".join(numbers[:40]) + (" …" if len(numbers) > 40 else ""),
                },
                link=f"{reverse('plans:report-list')}?plan={plan.uuid}&period={rp.label}",
                urgent=overdue,
            )
    except IntegrityError:
        return None  # a concurrent run sent it
    return SentReminder(plan, agency, rp.label, kind, numbers, len(notes))
