"""Every change to a plan goes through here: review corrections and activation (permission, audit, locking)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import actions, reference, scope
from core.models import Agency
from plans.cycle.services import open_reporting
from plans.deadlines import parse_deadline
from plans.models import Measure, MeasureExecutor, Plan


def correct_measure(user: Any, measure: Measure, executors_text: str | None = None) -> Measure:
    """Save a reviewer's corrections of a draft measure: the deadline is read again, and the executors
    (a comma-separated list, the lead first, "(by agreement)" ones marked) are resolved again."""
    if measure.plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan can be corrected; this plan is already active."))
    plan = measure.plan
    deadline = parse_deadline(measure.deadline, plan.period_start, plan.period_end, plan.language)
    measure.schedule = list(deadline.schedule)
    measure.deadline_unparsed = bool(measure.deadline) and deadline.unparsed
    with transaction.atomic():
        actions.update_object(user, measure)
        if executors_text is not None:
            _replace_executors(user, measure, executors_text)
    return measure


AGREEMENT_MARKERS = ("(по согласованию)", "(келісім бойынша)", "(by agreement)")


def _replace_executors(user: Any, measure: Measure, text: str) -> None:
    by_code = {a.code: a for a in Agency.objects.all()}
    existing = list(measure.executors.all())
    for executor in existing:
        actions.delete_object(user, executor)
    for n, raw in enumerate((part.strip() for part in text.split(",")), 1):
        if not raw:
            continue
        agreed = any(marker in raw.lower() for marker in AGREEMENT_MARKERS)
        name = raw
        for marker in AGREEMENT_MARKERS:
            name = name.replace(marker, "").strip()
        code = reference.resolve_agency_code(name)
        actions.create_object(
            user,
            MeasureExecutor(
                measure=measure,
                position=n,
                text=name[:400],
                agency=by_code.get(code) if code else None,
                lead=n == 1,
                by_agreement=agreed,
            ),
        )


def activation_problems(plan: Plan) -> list[str]:
    """What stops the plan from being activated (empty when it can be)."""
    problems = []
    if plan.status != Plan.Status.DRAFT:
        problems.append(_("The plan is not a draft."))
    unreviewed = plan.measures.exclude(warnings=[]).filter(reviewed=False).count()
    if unreviewed:
        problems.append(_("%(n)s measures with import warnings have not been reviewed yet.") % {"n": unreviewed})
    unresolved = MeasureExecutor.objects.filter(measure__plan=plan, agency__isnull=True).count()
    if unresolved:
        problems.append(
            _("%(n)s executors are not linked to an agency: correct them so that they can report.") % {"n": unresolved}
        )
    return problems


def activate(user: Any, plan: Plan, *, version: int | None = None) -> Plan:
    """Make a reviewed draft the plan in force and open its reporting cycle."""
    if not scope.can(user, "plan.activate"):
        raise PermissionDenied(_("You are not allowed to activate plans."))
    problems = activation_problems(plan)
    if problems:
        raise ValidationError(problems)
    if version is not None:
        plan.version = version
    plan.status = Plan.Status.ACTIVE
    plan.activated_at = timezone.now()
    plan.activated_by = user
    with transaction.atomic():
        actions.update_object(user, plan, action="activate")
        open_reporting(plan)  # refuses a plan whose decree gives executors no reporting rule
    return plan
