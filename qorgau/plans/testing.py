"""Test support of plans (minimal version from the reporting-cycle branch; the plan pages' branch owns this
file and keeps the import of the cycle's builders)."""

from __future__ import annotations

from django.db.models import Model

from core.testing import Site, walk_builder
from plans.cycle import testing as cycle_testing
from plans.models import Measure, Plan, TargetIndicator


@walk_builder(Plan)
def _build_plan(site: Site) -> Model:
    return cycle_testing.walk_plan(site)


@walk_builder(Measure)
def _build_measure(site: Site) -> Model:
    return cycle_testing.walk_measure(site)


@walk_builder(TargetIndicator)
def _build_indicator(site: Site) -> Model:
    return cycle_testing.walk_indicator(site)
