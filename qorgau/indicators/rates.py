"""Derived indicators: rates per 1,000 / 100,000 with the right denominators and the provenance of both.

A derived indicator names a numerator, a denominator and a multiplier
(:class:`indicators.models.Indicator`). Each numerator value (region, year, sex, area) is divided by
the denominator value of the same region, sex and area in year + ``denominator_year_offset``: a rate of
year Y divides the events of Y by the population at the start of Y + 1 (the end of Y), as the seed 002
report does (see ``denominators`` in ``data/seed002_tables.yaml`` and ``indicators.seed002.rate``).
The denominator's age band is not matched (suicides have no band, the population is "0-17"), but two
different denominator figures for one key make the rate ambiguous and it is not computed.

No rate is better than a guessed one: a missing, zero or ambiguous denominator leaves the rate out and
says so in a finding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from indicators.actions import Incoming, WriteResult, store_findings, write_values
from indicators.models import ImportBatch, Indicator, IndicatorValue
from indicators.validation import Finding


def compute(indicator: Indicator) -> tuple[list[Incoming], list[Finding]]:
    """The values of a derived indicator from what is stored now, and what could not be computed."""
    if not indicator.is_derived:
        raise ValueError(f"{indicator.code} is not a derived indicator")
    numerator_id, denominator_id = indicator.numerator_id, indicator.denominator_id
    if numerator_id is None or denominator_id is None or indicator.multiplier is None or indicator.denominator is None:
        raise ValueError(f"{indicator.code}: incomplete definition")  # the check constraint forbids it
    offset = indicator.denominator_year_offset
    denominators: dict[tuple[int | None, int, str, str], list[IndicatorValue]] = defaultdict(list)
    for d in IndicatorValue.objects.filter(indicator_id=denominator_id).order_by():
        denominators[(d.region_id, d.year, d.sex, d.area)].append(d)
    incoming: list[Incoming] = []
    findings: list[Finding] = []
    numerators = IndicatorValue.objects.filter(indicator_id=numerator_id).select_related("region")
    for n in numerators.order_by("year", "region__pcode", "sex", "area", "age"):
        year = n.year + offset
        candidates = denominators.get((n.region_id, year, n.sex, n.area), [])
        params = {
            "indicator_code": indicator.code,
            "indicator": indicator.code,
            "region_code": n.region_code,
            "region": n.region_code,
            "year": n.year,
            "denominator_code": indicator.denominator.code,
            "denominator": indicator.denominator.code,
            "denominator_year": year,
        }
        code = None
        if not candidates:
            code = "no-denominator"
        elif len({c.value for c in candidates}) != 1:
            code = "ambiguous-denominator"
        elif candidates[0].value == 0:
            code = "zero-denominator"
        if code:
            findings.append(
                Finding("warning", code, params, indicator_id=indicator.pk, region_id=n.region_id, year=n.year)
            )
            continue
        d = min(candidates, key=lambda c: (c.table, c.line or 0, c.pk))
        incoming.append(
            Incoming(
                indicator_id=indicator.pk,
                region_id=n.region_id,
                year=n.year,
                value=n.value / d.value * indicator.multiplier,
                sex=n.sex,
                area=n.area,
                age=n.age,
                doubtful=n.doubtful or d.doubtful,
                numerator_id=n.pk,
                denominator_id=d.pk,
            )
        )
    return incoming, findings


def recompute(user: Any, indicator: Indicator, batch: ImportBatch | None) -> tuple[WriteResult, list[Finding]]:
    """Compute and store a derived indicator; values it can no longer compute are removed.

    ``batch``: the import that triggered it (its findings get the computation's), or None to record
    the computation as an import of its own kind.
    """
    incoming, findings = compute(indicator)
    with transaction.atomic():
        own = batch is None
        target = batch or ImportBatch.objects.create(
            kind=ImportBatch.Kind.DERIVED, filename=indicator.code, uploaded_by=user
        )
        result = write_values(user, incoming, origin=IndicatorValue.Origin.DERIVED, batch=target)
        keys = {i.key for i in incoming}
        stale = [
            v.pk
            for v in IndicatorValue.objects.filter(indicator=indicator, origin=IndicatorValue.Origin.DERIVED)
            if (v.indicator_id, v.region_id, v.year, v.sex, v.area, v.age) not in keys
        ]
        if stale:
            IndicatorValue.objects.filter(pk__in=stale).delete()
        store_findings(target, findings)
        if own:
            target.rows = len(incoming) + len(findings)
            target.created, target.updated, target.unchanged = result.created, result.updated, result.unchanged
            target.save()
    return result, findings


def dependants(indicator_ids: Iterable[int]) -> list[Indicator]:
    """Derived indicators computed from any of ``indicator_ids``."""
    ids = set(indicator_ids)
    return list(
        Indicator.objects.filter(numerator_id__isnull=False).filter(Q(numerator_id__in=ids) | Q(denominator_id__in=ids))
    )


def refresh_dependants(user: Any, indicator_ids: Iterable[int], batch: ImportBatch | None) -> list[Finding]:
    """Recompute the derived indicators whose parts changed; their findings go to ``batch`` if given."""
    found: list[Finding] = []
    for derived in dependants(indicator_ids):
        if batch is None:
            # A single entry: recompute quietly (no batch of its own for one value's consequences).
            incoming, findings = compute(derived)
            write_values(user, incoming, origin=IndicatorValue.Origin.DERIVED)
        else:
            _, findings = recompute(user, derived, batch)
        found += findings
    return found


def as_rate(value: IndicatorValue) -> Decimal | None:
    """The value recomputed from its stored parts (None if it has none): a check of provenance."""
    if value.numerator is None or value.denominator is None or value.indicator.multiplier is None:
        return None
    return value.numerator.value / value.denominator.value * value.indicator.multiplier
