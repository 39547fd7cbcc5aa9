"""Test support of the reporting cycle: walk builders for reports and their documents, and a small plan.

Imported by ``plans/testing.py`` (which the root conftest imports), so the endpoint walk covers every page
and API endpoint of the cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Model

from core import audit
from core.models import Agency, Organisation
from core.testing import Site, UserFactory, walk_builder
from plans.models import Measure, MeasureExecutor, MeasureReport, Plan, ReportDocument, TargetIndicator

PDF = b"%PDF-1.4\n% Qorgau test document\n"
# The executors' reporting clause of the Concept 2026-2030's decree (seed 004), as the reader stores it.
CONCEPT_RULE_TEXT = (
    "Центральным государственным и местным исполнительным органам, заинтересованным организациям (по "
    "согласованию), ответственным за реализацию Концепции: не позднее 1 апреля года, следующего за отчетным "
    "годом, представлять информацию о ходе реализации Концепции в Министерство просвещения Республики Казахстан."
)


def walk_plan(site: Site) -> Plan:
    """An active plan of the site (one per site), reported on yearly by 1 April."""
    if Plan not in site.objects:
        with audit.system_context("test fixture"):
            site.objects[Plan] = Plan.objects.create(
                title=f"Walk plan {site.region_pcode}",
                language="ru",
                period_start=2026,
                period_end=2030,
                act_date=dt.date(2026, 1, 29),
                status=Plan.Status.ACTIVE,
                reporting_rules=[{"text": CONCEPT_RULE_TEXT}],
            )
    return site.objects[Plan]  # type: ignore[return-value]


def walk_measure(site: Site) -> Measure:
    """A measure of the site's plan led by the Ministry of Education (МП), due in December 2026."""
    if Measure not in site.objects:
        plan = walk_plan(site)
        with audit.system_context("test fixture"):
            measure = Measure.objects.create(
                plan=plan,
                number="1",
                position=1,
                name="Walk measure",
                deadline="Декабрь 2026 года",
                schedule=["2026-12"],
            )
            MeasureExecutor.objects.create(
                measure=measure, position=1, text="МП", agency=Agency.objects.get(code="edu"), lead=True
            )
        site.objects[Measure] = measure
    return site.objects[Measure]  # type: ignore[return-value]


def walk_indicator(site: Site) -> TargetIndicator:
    if TargetIndicator not in site.objects:
        with audit.system_context("test fixture"):
            site.objects[TargetIndicator] = TargetIndicator.objects.create(
                plan=walk_plan(site), number="1", position=1, name="Walk indicator", unit="%", targets={"2026": 60.0}
            )
    return site.objects[TargetIndicator]  # type: ignore[return-value]


def _reportable(plan: Plan) -> None:
    """The walk's plan (whoever built it) is in force and reported on like the Concept, so that the
    monitoring pages and exports have a period to show."""
    if not plan.reporting_rules or plan.status != Plan.Status.ACTIVE:
        with audit.system_context("test fixture"):
            Plan.objects.filter(pk=plan.pk).update(
                status=Plan.Status.ACTIVE, reporting_rules=[{"text": CONCEPT_RULE_TEXT}], act_date=dt.date(2026, 1, 29)
            )
        plan.refresh_from_db()


@walk_builder(MeasureReport)
def _build_report(site: Site) -> Model:
    """A draft report of the site's school on the walk measure (the school stands for the executor)."""
    measure = walk_measure(site)
    _reportable(measure.plan)
    with audit.system_context("test fixture"):
        return MeasureReport.objects.create(
            measure=measure,
            agency=Agency.objects.get(code="edu"),
            organisation=site.school,
            period="2026",
            due_date=dt.date(2027, 4, 1),
        )


@walk_builder(ReportDocument)
def _build_document(site: Site) -> Model:
    report: MeasureReport = site.objects.get(MeasureReport) or _build_report(site)  # type: ignore[assignment]
    author = UserFactory(username=f"reporter-{site.region_pcode}")
    with audit.system_context("test fixture"):
        document = ReportDocument(
            report=report,
            name="act.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=author,  # type: ignore[misc]
        )
        document.file.save("act.pdf", ContentFile(PDF), save=False)
        document.save()
    return document


# --- helpers of the reporting-cycle tests ---------------------------------------------------------------


def import_seed(number: str, user: Any) -> Plan:
    """Import seed ``number`` ("000", "003", "004") as a draft plan, as the analyst ``user``."""
    from core.seeds import seed_text
    from plans.importers import import_plan

    with audit.user_context(user, "test import"):
        return import_plan(user, seed_text(number), f"{number}.txt")


def activate(plan: Plan, user: Any = None) -> Any:
    """Put the plan in force and open its reporting cycle (what the activation action does)."""
    from plans.cycle.services import open_reporting

    with audit.system_context("test activation", user=user):
        plan.status = Plan.Status.ACTIVE
        plan.save()
        return open_reporting(plan)


def agency_executor(username: str, agency_code: str) -> tuple[Any, Organisation]:
    """A plan executor at a (new) organisation of the agency ``agency_code`` (a ministry's office)."""
    from core.models import OrganisationKind
    from core.roles import Role
    from core.testing import OrganisationFactory, assign, region_node

    agency = Agency.objects.get(code=agency_code)
    org = OrganisationFactory(
        kind=OrganisationKind.MINISTRY, parent=region_node("KAZ004").parent, agency=agency, name_ru=agency.name_ru
    )
    user = UserFactory(username=username)
    assign(user, Role.PLAN_EXECUTOR, org)
    return user, org


def set_clock(monkeypatch: Any, when: dt.datetime) -> None:
    """Make the reporting cycle's clock read ``when`` (an aware datetime)."""
    from plans.cycle import services

    monkeypatch.setattr(services, "now", lambda: when)


def almaty(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """An aware datetime in the country's time zone (Asia/Almaty)."""
    from zoneinfo import ZoneInfo

    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Almaty"))
