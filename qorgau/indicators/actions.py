"""Every change of the catalogue and of the values goes through here: capability check, write, audit.

Indicators and values belong to no organisation, so "in scope" means holding the capability; the
audit entries are written by the models (one per indicator change, one per bulk write of values).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import actions, scope
from indicators.models import ImportBatch, Indicator, IndicatorValue, ValidationFinding
from indicators.validation import Finding, check_groups, check_jumps, range_findings

DECIMALS = Decimal("0.000001")


def require(user: Any, capability: str) -> None:
    """Refuse a signed-in user without ``capability``; ``None`` is a system job (it has an audit reason)."""
    if user is not None and not scope.can(user, capability):
        raise PermissionDenied(str(_("You are not allowed to change indicators or their values.")))


def save_indicator(user: Any, indicator: Indicator) -> Indicator:
    """Create or update a catalogue entry (optimistic locking on update); ``user`` None: a system job."""
    if user is None:
        indicator.save()  # the model refuses without a system audit context naming its reason
        return indicator
    if indicator.pk is None:
        return actions.create_object(user, indicator)
    return actions.update_object(user, indicator)


@dataclass
class Incoming:
    """A value to write, with its provenance (see :class:`IndicatorValue`)."""

    indicator_id: int
    region_id: int | None
    year: int
    value: Decimal
    sex: str = ""
    area: str = ""
    age: str = ""
    as_of: dt.date | None = None
    doubtful: bool = False
    document: str = ""
    table: str = ""
    line: int | None = None
    column: str = ""
    note: str = ""
    numerator_id: int | None = None
    denominator_id: int | None = None

    @property
    def key(self) -> tuple[int, int | None, int, str, str, str]:
        """What makes a value unique: indicator, region, year and breakdown."""
        return (self.indicator_id, self.region_id, self.year, self.sex, self.area, self.age)


_PROVENANCE = ("as_of", "doubtful", "document", "table", "line", "column", "note", "numerator_id", "denominator_id")


@dataclass
class WriteResult:
    created: int
    updated: int
    unchanged: int
    values: list[IndicatorValue]  # every value the write touched or confirmed, as stored now


def write_values(
    user: Any,
    incoming: Sequence[Incoming],
    *,
    origin: str,
    batch: ImportBatch | None = None,
) -> WriteResult:
    """Insert new values, update changed ones, leave identical ones alone; all in one transaction.

    A value is unchanged when its figure and provenance are the same; a changed one takes the new
    figure, provenance and batch (the audit trail keeps the old figure through the bulk-update entry).
    """
    require(user, "indicatorvalue.add")
    entered_by = user if origin == IndicatorValue.Origin.ENTRY else None
    existing: dict[tuple[Any, ...], IndicatorValue] = {}
    ids = {i.indicator_id for i in incoming}
    years = {i.year for i in incoming}
    for v in IndicatorValue.objects.filter(indicator_id__in=ids, year__in=years).order_by():
        existing[(v.indicator_id, v.region_id, v.year, v.sex, v.area, v.age)] = v
    to_create: list[IndicatorValue] = []
    to_update: list[IndicatorValue] = []
    kept: list[IndicatorValue] = []
    now = timezone.now()
    for item in incoming:
        value = item.value.quantize(DECIMALS)
        old = existing.get(item.key)
        if old is None:
            to_create.append(
                IndicatorValue(
                    indicator_id=item.indicator_id,
                    region_id=item.region_id,
                    year=item.year,
                    sex=item.sex,
                    area=item.area,
                    age=item.age,
                    value=value,
                    origin=origin,
                    batch=batch,
                    entered_by=entered_by,
                    **{name: getattr(item, name) for name in _PROVENANCE},
                )
            )
            continue
        same = (
            old.value == value
            and old.origin == origin
            and all(getattr(old, name) == getattr(item, name) for name in _PROVENANCE)
        )
        if same:
            kept.append(old)
            continue
        old.value, old.origin, old.batch, old.entered_by, old.updated_at = value, origin, batch, entered_by, now
        for name in _PROVENANCE:
            setattr(old, name, getattr(item, name))
        to_update.append(old)
    with transaction.atomic():
        created = IndicatorValue.objects.bulk_create(to_create, batch_size=1000) if to_create else []
        if to_update:
            IndicatorValue.objects.bulk_update(
                to_update,
                ["value", "origin", "batch", "entered_by", "updated_at", *_PROVENANCE],
                batch_size=1000,
            )
    if created and any(v.pk is None for v in created):  # back ends that do not return keys (none in use)
        created = list(IndicatorValue.objects.filter(uuid__in=[v.uuid for v in created]))
    return WriteResult(len(created), len(to_update), len(kept), [*created, *to_update, *kept])


def validate(values: Iterable[IndicatorValue], *, ranges: bool = False) -> list[Finding]:
    """Run the data rules on what a write touched (and, for documents, the ranges)."""
    values = list(values)
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={v.indicator_id for v in values})}
    found: list[Finding] = range_findings(values, indicators) if ranges else []
    found += check_groups({(v.indicator_id, v.year, v.sex, v.area, v.age) for v in values}, indicators)
    found += check_jumps(values, indicators)
    return found


def store_findings(batch: ImportBatch, findings: Iterable[Finding]) -> int:
    """Save the findings of ``batch`` and count them on it; returns how many were stored."""
    rows = [
        ValidationFinding(
            batch=batch,
            severity=f.severity,
            code=f.code,
            params=f.params,
            message=f.english(),
            row=f.row,
            indicator_id=f.indicator_id,
            region_id=f.region_id,
            year=f.year,
            table=f.table,
            line=f.line,
        )
        for f in findings
    ]
    ValidationFinding.objects.bulk_create(rows, batch_size=1000)
    batch.errors += sum(1 for r in rows if r.severity == ValidationFinding.Severity.ERROR)
    batch.warnings += sum(1 for r in rows if r.severity == ValidationFinding.Severity.WARNING)
    return len(rows)


def enter_value(user: Any, item: Incoming) -> tuple[IndicatorValue, list[Finding]]:
    """One value typed on the web page or sent by the API; returns it and the rules' findings about it."""
    require(user, "indicatorvalue.add")
    indicator = Indicator.objects.get(pk=item.indicator_id)
    if indicator.is_derived:
        raise ValueError(str(_("This indicator is computed from other indicators; enter its parts instead.")))
    errors = check_item(indicator, item)
    if errors:
        raise ValueError(" ".join(errors))
    with transaction.atomic():
        result = write_values(user, [item], origin=IndicatorValue.Origin.ENTRY)
        from indicators.rates import refresh_dependants

        refresh_dependants(user, {indicator.pk}, batch=None)
    value = result.values[0]
    return value, validate([value])


def check_item(indicator: Indicator, item: Incoming) -> list[str]:
    """What is wrong with one value for its indicator (breakdowns it lacks, outside the valid range)."""
    from indicators.validation import MESSAGES, number

    errors = []
    name = indicator.name
    if item.sex and not indicator.by_sex:
        errors.append(str(MESSAGES["not-by-sex"] % {"indicator": name}))
    if item.area and not indicator.by_area:
        errors.append(str(MESSAGES["not-by-area"] % {"indicator": name}))
    if item.age and not indicator.by_age:
        errors.append(str(MESSAGES["not-by-age"] % {"indicator": name}))
    low, high = indicator.valid_min, indicator.valid_max
    if (low is not None and item.value < low) or (high is not None and item.value > high):
        errors.append(
            str(MESSAGES["out-of-range"])
            % {
                "indicator": name,
                "value": number(item.value),
                "min": number(low) if low is not None else "−∞",
                "max": number(high) if high is not None else "∞",
            }
        )
    return errors


def update_value(user: Any, value: IndicatorValue, *, new: Decimal, note: str) -> IndicatorValue:
    """Correct one stored value by hand: it becomes an entry of ``user`` (the audit keeps the old figure)."""
    require(user, "indicatorvalue.change")
    item = Incoming(value.indicator_id, value.region_id, value.year, new, value.sex, value.area, value.age)
    errors = check_item(value.indicator, item)
    if errors:
        raise ValueError(" ".join(errors))
    value.value = new.quantize(DECIMALS)
    value.note = note
    value.origin = IndicatorValue.Origin.ENTRY
    value.entered_by = user
    value.batch = None
    value.document = value.table = value.column = ""
    value.line = None
    value.doubtful = False
    with transaction.atomic():
        actions.update_object(user, value)
        from indicators.rates import refresh_dependants

        refresh_dependants(user, {value.indicator_id}, batch=None)
    return value
