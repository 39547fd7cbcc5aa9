"""Importing the official plan texts as draft plans: counts, executors resolved, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core import audit
from core.seeds import seed_text
from plans.importers import decode, import_plan
from plans.models import Measure, MeasureExecutor, MeasureFunding, Plan

pytestmark = pytest.mark.django_db


def _import(user, number: str, national: str | None = None) -> Plan:
    with audit.user_context(user, "test import"):
        return import_plan(user, seed_text(number), f"{number}.txt", national_text=national)


@pytest.mark.parametrize(
    ("number", "kind", "measures", "indicators"),
    [
        ("000", "plan-2023-2025", 53, 9),
        ("003", "programme-2007-2011", 43, 0),
        ("004", "concept-2026-2030", 158, 10),
    ],
)
def test_each_national_text_imports_as_a_draft(personas, number, kind, measures, indicators) -> None:
    plan = _import(personas["analyst"].user, number)
    assert (plan.kind, plan.status) == (kind, Plan.Status.DRAFT)
    assert plan.measures.count() == measures
    assert plan.indicators.count() == indicators
    assert plan.reporting_rules, "the decree's reporting clauses were read"
    # Every executor the reader named is stored in its order; unresolved ones carry a warning.
    for executor in MeasureExecutor.objects.filter(measure__plan=plan, agency__isnull=True):
        assert f"executor not recognised: {executor.text}" in executor.measure.warnings


def test_concept_measure_keeps_its_columns(personas) -> None:
    plan = _import(personas["analyst"].user, "004")
    measure = Measure.objects.get(plan=plan, number="1")
    assert measure.section is not None and measure.section.title.startswith("Направление 1")
    assert measure.schedule and not measure.deadline_unparsed
    lead = measure.executors.get(lead=True)
    assert lead.agency is not None


def test_programme_funding_amounts_are_stored_exactly(personas) -> None:
    plan = _import(personas["analyst"].user, "003")
    total = sum(f.mln_kzt for f in MeasureFunding.objects.filter(measure__plan=plan, year=2009))
    assert total > Decimal("0")
    assert all(f.mln_kzt.as_tuple().exponent >= -3 for f in MeasureFunding.objects.filter(measure__plan=plan))


def test_school_copy_is_reconciled_with_the_national_text(personas) -> None:
    plan = _import(personas["analyst"].user, "001", national=seed_text("000"))
    assert plan.kind == "plan-2023-2025"
    assert any("ПМ" in d for d in plan.differences)


def test_same_file_twice_is_refused_and_nothing_written(personas) -> None:
    _import(personas["analyst"].user, "004")
    before = (Plan.objects.count(), Measure.objects.count())
    with translation.override("en"), pytest.raises(ValidationError, match="already been imported"):
        _import(personas["analyst"].user, "004")
    assert (Plan.objects.count(), Measure.objects.count()) == before


def test_unknown_text_is_refused_in_the_users_language(personas) -> None:
    before = Plan.objects.count()  # the personas' sites hold walk-test plans
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        _import_text(personas["analyst"].user, "Просто текст, не план.")
    assert "не является документом плана" in str(refused.value)
    assert Plan.objects.count() == before


def _import_text(user, text: str) -> Plan:
    with audit.user_context(user, "test import"):
        return import_plan(user, text, "x.txt")


def test_non_utf8_file_is_refused() -> None:
    with translation.override("en"), pytest.raises(ValidationError, match="not UTF-8"):
        decode(b"\xff\xfe\x00plan")


def test_only_plan_managers_import(personas) -> None:
    before = Plan.objects.count()
    with pytest.raises(PermissionDenied):
        _import(personas["psychologist_a"].user, "004")
    assert Plan.objects.count() == before
