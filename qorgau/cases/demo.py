"""Cases demo data: cases in every state in the showcase region, with tasks, notes, referrals and escalations.

Called by ``manage.py seed_demo`` (small scale) after the core and screening demos (the screening demo's
acute and high results have already opened suicidal-intent cases through ``risk_identified``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases import actions, engine
from cases.models import Case, Category, Referral
from core import audit
from core.demo import SHOWCASE_REGION
from core.models import Child, Organisation, OrganisationKind, RoleAssignment
from core.roles import Role

PLAN: list[tuple[str, str, str, str]] = [
    # category, risk, source, the state the case is brought to
    (Category.VIOLENCE_PHYSICAL, "high", "parent", "in_progress"),
    (Category.BULLYING, "moderate", "staff", "assessment"),
    (Category.CYBERBULLYING, "high", "child", "open"),
    (Category.DIFFICULT_LIFE_SITUATION, "moderate", "line_111", "monitoring"),
    (Category.SUICIDE_ATTEMPT, "acute", "health", "planning"),
    (Category.NEGLECT, "high", "police", "closing"),
    (Category.BULLYING, "low", "staff", "closed"),
    (Category.VIOLENCE_PSYCHOLOGICAL, "moderate", "staff", "reopened"),
]


def seed_demo(scale: str, seed: int) -> dict[str, int]:
    if scale != "small":
        return {}
    rnd = random.Random(seed + 3)
    region = Organisation.objects.get(kind=OrganisationKind.REGION, region__pcode=SHOWCASE_REGION)
    schools = list(Organisation.objects.filter(kind=OrganisationKind.SCHOOL, path__startswith=region.path)[:3])
    police = Organisation.objects.filter(kind=OrganisationKind.POLICE, path__startswith=region.path).first()
    counts = {"cases": 0, "referrals": 0, "escalated": 0}
    now = timezone.now()
    with transaction.atomic():
        for i, (category, risk, source, state) in enumerate(PLAN):
            school = schools[i % len(schools)]
            psy = RoleAssignment.objects.filter(organisation=school, role=Role.PSYCHOLOGIST).first()
            director = RoleAssignment.objects.filter(organisation=school, role=Role.DIRECTOR).first()
            if psy is None or director is None:
                continue
            user, boss = psy.user, director.user
            child = rnd.choice(list(Child.objects.filter(organisation=school).order_by("pk")[:40]))
            opened = now - dt.timedelta(days=rnd.randint(3, 40), hours=rnd.randint(0, 12))
            with audit.user_context(user, "seed_demo cases"):
                case = engine.open_case(
                    user,
                    children=[child],
                    category=category,
                    risk_level=risk,
                    source=source,
                    organisation=school,
                    case_manager=user,
                    opened_at=opened,
                    summary="Demo case: synthetic data.",
                )
                counts["cases"] += 1
                _bring_to(case, state, user, boss, police, counts)
    with audit.system_context("seed_demo cases: escalation sweep"):
        counts["escalated"] = engine.escalate_overdue()
    return counts


def _bring_to(case: Case, state: str, user: Any, boss: Any, police: Any, counts: dict[str, int]) -> None:
    tasks = list(case.tasks.order_by("position"))
    if state == "open":
        return
    done_upto = {"assessment": 1, "planning": 2, "in_progress": 3, "monitoring": len(tasks) - 1}.get(state, len(tasks))
    for task in tasks[:done_upto]:
        engine.complete_task(user, task, "Done (demo).")
    case.refresh_from_db()
    actions.add_note(user, case, "Spoke with the child and the parents; the family agreed to support.")
    if police is not None and case.category in actions.MANDATORY_REPORTS:
        actions.refer(user, case, to=police, kind=Referral.Kind.REFERRAL, reason="Mandatory report to the police.")
        counts["referrals"] += 1
    if state in ("planning", "in_progress", "monitoring"):
        actions.add_plan_item(user, case, action="Weekly meeting with the psychologist", responsible="Psychologist")
        case.refresh_from_db()
        actions.change_status(user, case, state, version=case.version)
    if state in ("closing", "closed", "reopened"):
        case.refresh_from_db()
        actions.request_closure(
            user, case, "The child is safe; the family is supported by the centre.", version=case.version
        )
        if state in ("closed", "reopened"):
            with audit.user_context(boss, "seed_demo cases"):  # type: ignore[arg-type]
                actions.approve_closure(boss, case)
        if state == "reopened":
            actions.reopen(user, case, "A new report from the class teacher.")
