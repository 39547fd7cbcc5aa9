"""Derived rates: the right year of the denominator, and no rate where the denominator is missing,
zero or ambiguous."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import audit
from core.models import Region, User
from indicators import rates
from indicators.models import ImportBatch, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def put(indicator: Indicator, pcode: str | None, year: int, value: int, age: str = "") -> IndicatorValue:
    region = Region.objects.get(pcode=pcode) if pcode else None
    with audit.system_context("test fixture"):
        return IndicatorValue.objects.create(
            indicator=indicator, region=region, year=year, value=value, age=age, origin="import"
        )


def test_missing_zero_and_ambiguous_denominators(analyst: User, catalogue: dict[str, Indicator]) -> None:
    suicides, children, rate = catalogue["suicides"], catalogue["children"], catalogue["rate"]
    for pcode in ("KAZ001", "KAZ002", "KAZ003", "KAZ004"):
        put(suicides, pcode, 2022, 4)
    put(children, "KAZ001", 2023, 200000)  # the stock of the next year: the right one
    put(children, "KAZ001", 2022, 100000)  # the same year: not used (offset 1)
    put(children, "KAZ002", 2023, 0)
    put(children, "KAZ003", 2023, 1000, age="0-6")
    put(children, "KAZ003", 2023, 2000, age="7-17")  # two figures for one region and year
    incoming, findings = rates.compute(rate)
    assert [(i.region_id, i.value) for i in incoming] == [(Region.objects.get(pcode="KAZ001").pk, Decimal(2))]
    assert sorted((f.code, f.params["region_code"]) for f in findings) == [
        ("ambiguous-denominator", "KAZ003"),
        ("no-denominator", "KAZ004"),
        ("zero-denominator", "KAZ002"),
    ]


def test_recompute_records_its_own_import_and_drops_stale_rates(analyst: User, catalogue: dict[str, Indicator]) -> None:
    suicides, children, rate = catalogue["suicides"], catalogue["children"], catalogue["rate"]
    put(suicides, "KAZ001", 2022, 4)
    denominator = put(children, "KAZ001", 2023, 200000)
    with audit.user_context(analyst):
        result, _ = rates.recompute(analyst, rate, None)
    assert result.created == 1
    batch = ImportBatch.objects.get(kind="derived")
    assert (batch.filename, batch.uploaded_by, batch.created) == ("suicide_rate", analyst, 1)
    with audit.system_context("test"):
        denominator.delete()
    with audit.user_context(analyst):
        rates.recompute(analyst, rate, None)
    assert not IndicatorValue.objects.filter(indicator=rate).exists()
