"""Test support of plans: builders for the endpoint walk (imported by the root conftest)."""

from __future__ import annotations

from django.db.models import Model

from core import audit
from core.testing import Site, walk_builder
from plans.cycle import testing as cycle_testing  # builders of the reporting cycle's objects
from plans.models import Measure, MeasureExecutor, Plan, PlanSection, TargetIndicator


@walk_builder(Plan)
def _build_plan(site: Site) -> Model:
    """A small draft plan (plans are national documents: every plan role reads every plan)."""
    with audit.system_context("test fixture"):
        return Plan.objects.create(
            kind="concept-2026-2030",
            title=f"Walk plan {site.region_pcode}",
            language="ru",
            period_start=2026,
            period_end=2030,
            act_type="decree",
            act_number="1",
        )


@walk_builder(Measure)
def _build_measure(site: Site) -> Model:
    plan = site.objects[Plan]
    with audit.system_context("test fixture"):
        section = PlanSection.objects.create(plan=plan, position=1, title="Направление 1")  # type: ignore[misc]
        measure = Measure.objects.create(
            plan=plan,  # type: ignore[misc]
            section=section,
            number="1",
            position=1,
            name="Мероприятие",
            completion_form="приказ",
            deadline="декабрь 2026 года",
            schedule=["2026-12"],
        )
        MeasureExecutor.objects.create(measure=measure, position=1, text="МП", lead=True)
    return measure


@walk_builder(TargetIndicator)
def _build_indicator(site: Site) -> Model:
    return cycle_testing.walk_indicator(site)
