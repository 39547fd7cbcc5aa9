"""Validation rules run on every import, and the words of their findings in kk/ru/en.

Rules that refuse a row (an unreadable number, an unknown region, a value outside the indicator's
valid range...) make the whole file rejected; rules about the data as a whole (regions that do not add
up to the national total, a year-on-year jump) are findings of an applied import: real statistics break
them sometimes, and an analyst has to look, not the importer to guess.

A finding is stored with its rule ``code`` and figures ``params``; :func:`finding_text` words it in the
reader's language. Findings of a document's reader (seed 002) carry the reader's English sentence,
shown under a translated title.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, IndicatorValue

# Counts below this are not compared year on year: 2 → 5 is +150 % and means nothing.
SMALL_COUNT = Decimal(10)

MESSAGES: dict[str, Any] = {
    "file": _("The file cannot be read: %(error)s"),
    "no-indicator": _("The indicator is empty."),
    "unknown-indicator": _("Unknown indicator “%(value)s”."),
    "derived-indicator": _("%(indicator)s is computed from other indicators; its values cannot be imported."),
    "unknown-region": _("Unknown region “%(value)s”."),
    "no-year": _("The year is empty."),
    "bad-year": _("“%(value)s” is not a year between %(min)s and %(max)s."),
    "no-value": _("The value is empty."),
    "bad-number": _("“%(value)s” is not a number."),
    "bad-sex": _("“%(value)s” is not a sex (male or female)."),
    "bad-area": _("“%(value)s” is neither urban nor rural."),
    "bad-date": _("“%(value)s” is not a date (YYYY-MM-DD or DD.MM.YYYY)."),
    "not-by-sex": _("%(indicator)s is not broken down by sex."),
    "not-by-area": _("%(indicator)s is not broken down by urban and rural areas."),
    "not-by-age": _("%(indicator)s is not broken down by age."),
    "duplicate-row": _("The same indicator, region, year and breakdown is already in row %(other)s."),
    "too-many-rows": _("At most %(n)s rows per file."),
    "out-of-range": _("%(indicator)s: %(value)s is outside the valid range %(min)s … %(max)s."),
    "regional-sum": _(
        "%(indicator)s, %(year)s%(breakdown)s: the %(regions)s regions add up to %(sum)s, but the national "
        "total is %(total)s (difference %(difference)s)."
    ),
    "year-jump": _(
        "%(indicator)s, %(region)s%(breakdown)s: %(previous)s in %(previous_year)s, %(value)s in %(year)s "
        "(%(change)s %%)."
    ),
    "no-denominator": _("%(indicator)s, %(region)s, %(year)s: no value of %(denominator)s for %(denominator_year)s."),
    "zero-denominator": _("%(indicator)s, %(region)s, %(year)s: %(denominator)s is zero in %(denominator_year)s."),
    "ambiguous-denominator": _(
        "%(indicator)s, %(region)s, %(year)s: %(denominator)s has several different values in %(denominator_year)s."
    ),
    "source-unresolved": _("Table %(table)s: the source “%(value)s” names no known agency."),
}

# Titles for what the seed 002 reader finds; its own sentence (English, with the figures) follows.
READER_TITLES: dict[str, Any] = {
    "blank-cell": _("A cell is empty where a value was expected"),
    "change-mismatch": _("A change row differs from the difference of its rows"),
    "duplicate-region": _("A region is listed twice"),
    "missing-region": _("A region has no row"),
    "no-national-row": _("The table has no national row"),
    "part-exceeds-whole": _("A part exceeds its whole"),
    "rate-mismatch": _("A printed rate differs from its recomputation"),
    "ratio-mismatch": _("A printed ratio differs from its recomputation"),
    "region-not-yet-created": _("A value for a region before it was created"),
    "region-spelling": _("A misspelt region name"),
    "row-continued": _("A row continues on the next line"),
    "sum-mismatch": _("A row's parts do not add up to its total"),
    "table-end-not-found": _("The end of a table was not found"),
    "table-not-found": _("A table was not found"),
    "title-mismatch": _("A table's title differs from the expected one"),
    "title-year": _("A table's title gives another year than its figures"),
    "total-mismatch": _("The regions do not add up to the national row"),
    "unexpected-region": _("A region that the table should not list"),
    "unknown-row": _("A row that names no known region"),
    "unreadable-cell": _("A cell could not be read"),
}


def finding_text(code: str, params: dict[str, Any], message: str) -> str:
    """The finding in the active language; the stored English ``message`` when the code has no wording."""
    if code in MESSAGES:
        try:
            return str(MESSAGES[code]) % _localised(params)
        except (KeyError, TypeError, ValueError):
            return message
    if code in READER_TITLES:
        return f"{READER_TITLES[code]}: {message}"
    return message


def _localised(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as shown: indicator and region names in the active language where codes were stored."""
    from core.models import Region

    out = dict(params)
    if "indicator_code" in params:
        names = Indicator.objects.filter(code=params["indicator_code"]).first()
        out["indicator"] = names.name if names else params["indicator_code"]
    if "denominator_code" in params:
        denominator = Indicator.objects.filter(code=params["denominator_code"]).first()
        out["denominator"] = denominator.name if denominator else params["denominator_code"]
    if "region_code" in params:
        region = Region.objects.filter(pcode=params["region_code"]).first()
        out["region"] = region.name if region else str(_("Kazakhstan"))
    if "breakdown_codes" in params:
        out["breakdown"] = breakdown_text(*params["breakdown_codes"])
    return out


def breakdown_text(sex: str, area: str, age: str) -> str:
    """ ", boys / men, urban" for a disaggregated value, "" for a total (in the active language)."""
    from indicators.models import Area, Sex

    parts = [str(Sex(sex).label) if sex else "", str(Area(area).label) if area else "", age]
    text = ", ".join(p for p in parts if p)
    return f" ({text})" if text else ""


@dataclass
class Finding:
    """A finding before it is stored (see :class:`indicators.models.ValidationFinding`)."""

    severity: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    indicator_id: int | None = None
    region_id: int | None = None
    year: int | None = None
    table: str = ""
    line: int | None = None
    message: str = ""

    def english(self) -> str:
        """The stored message: the reader's sentence, or the rule's wording in English."""
        if self.message:
            return self.message
        with translation.override("en"):
            return finding_text(self.code, self.params, self.code)


def number(value: Decimal | float) -> str:
    """A figure as a person writes it: no trailing zeros, no exponent."""
    d = Decimal(str(value)).normalize()
    text = format(d, "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def range_findings(values: Iterable[IndicatorValue], indicators: dict[int, Indicator]) -> list[Finding]:
    """A value outside its indicator's valid range (for documents, where nothing is refused)."""
    found = []
    for v in values:
        ind = indicators[v.indicator_id]
        low, high = ind.valid_min, ind.valid_max
        if (low is not None and v.value < low) or (high is not None and v.value > high):
            found.append(
                Finding(
                    "error",
                    "out-of-range",
                    {
                        "indicator_code": ind.code,
                        "indicator": ind.code,
                        "value": number(v.value),
                        "min": number(low) if low is not None else "−∞",
                        "max": number(high) if high is not None else "∞",
                    },
                    indicator_id=ind.pk,
                    region_id=v.region_id,
                    year=v.year,
                    table=v.table,
                    line=v.line,
                )
            )
    return found


Group = tuple[int, int, str, str, str]  # indicator, year, sex, area, age


def check_groups(keys: Iterable[Group], indicators: dict[int, Indicator]) -> list[Finding]:
    """Regions against the national total, for the additive indicators among ``keys``."""
    groups = {k for k in keys if indicators[k[0]].additive}
    if not groups:
        return []
    stored: dict[Group, list[IndicatorValue]] = defaultdict(list)
    ids = {g[0] for g in groups}
    years = {g[1] for g in groups}
    for v in IndicatorValue.objects.filter(indicator_id__in=ids, year__in=years).order_by():
        key = (v.indicator_id, v.year, v.sex, v.area, v.age)
        if key in groups:
            stored[key].append(v)
    found = []
    for key in sorted(groups):
        values = stored.get(key, [])
        national = [v for v in values if v.region_id is None]
        regional = [v for v in values if v.region_id is not None]
        if len(national) != 1 or not regional:
            continue
        total = national[0].value
        regions_sum = sum((v.value for v in regional), Decimal(0))
        if abs(regions_sum - total) > Decimal("0.5"):
            ind = indicators[key[0]]
            found.append(
                Finding(
                    "warning",
                    "regional-sum",
                    {
                        "indicator_code": ind.code,
                        "indicator": ind.code,
                        "year": key[1],
                        "breakdown_codes": list(key[2:]),
                        "breakdown": "",
                        "regions": len(regional),
                        "sum": number(regions_sum),
                        "total": number(total),
                        "difference": number(regions_sum - total),
                    },
                    indicator_id=ind.pk,
                    year=key[1],
                    table=national[0].table,
                    line=national[0].line,
                )
            )
    return found


def check_jumps(touched: Iterable[IndicatorValue], indicators: dict[int, Indicator]) -> list[Finding]:
    """A value that moved more than its indicator's threshold since the year before (or to the year after)."""
    touched = list(touched)
    if not touched:
        return []
    ids = {v.indicator_id for v in touched}
    years = {y for v in touched for y in (v.year - 1, v.year, v.year + 1)}
    by_key: dict[tuple[int, int | None, str, str, str, int], IndicatorValue] = {}
    for v in IndicatorValue.objects.filter(indicator_id__in=ids, year__in=years).order_by():
        by_key[(v.indicator_id, v.region_id, v.sex, v.area, v.age, v.year)] = v
    pairs: set[tuple[int, int]] = set()
    found = []
    for v in touched:
        base = (v.indicator_id, v.region_id, v.sex, v.area, v.age)
        for before, after in ((by_key.get((*base, v.year - 1)), v), (v, by_key.get((*base, v.year + 1)))):
            if before is None or after is None or before.pk is None or after.pk is None:
                continue
            if (before.pk, after.pk) in pairs:
                continue
            pairs.add((before.pk, after.pk))
            finding = _jump(before, after, indicators[v.indicator_id])
            if finding is not None:
                found.append(finding)
    return found


def _jump(before: IndicatorValue, after: IndicatorValue, ind: Indicator) -> Finding | None:
    previous, value = before.value, after.value
    if previous == 0:
        return None
    if ind.is_count and abs(previous) < SMALL_COUNT and abs(value) < SMALL_COUNT:
        return None
    change = (value - previous) / abs(previous) * 100
    if abs(change) <= ind.jump_threshold:
        return None
    return Finding(
        "warning",
        "year-jump",
        {
            "indicator_code": ind.code,
            "indicator": ind.code,
            "region_code": before.region_code,
            "region": before.region_code,
            "breakdown_codes": [after.sex, after.area, after.age],
            "breakdown": "",
            "previous": number(previous),
            "previous_year": before.year,
            "value": number(value),
            "year": after.year,
            "change": ("+" if change > 0 else "") + number(round(change, 1)),
        },
        indicator_id=ind.pk,
        region_id=after.region_id,
        year=after.year,
        table=after.table,
        line=after.line,
    )
