"""Region × year tables of one indicator, and region × indicator × year tables, with small-cell suppression.

The public page shows counts of people or events only when they are 5 or more ("<5" otherwise). A
single hidden region could still be worked out from the national total and the other regions, so in a
column with exactly one hidden cell the next smallest region is hidden too (secondary suppression).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.models import Region
from indicators.models import Indicator, IndicatorValue
from indicators.validation import number

SUPPRESS_BELOW = Decimal(5)
SMALL = "<5"
HIDDEN = "…"


@dataclass
class Cell:
    """One cell as shown: the text, and the value behind it (None when suppressed or missing)."""

    value: IndicatorValue | None = None
    text: str = ""
    suppressed: bool = False

    @property
    def doubtful(self) -> bool:
        return bool(self.value and self.value.doubtful)


@dataclass
class GridRow:
    label: str
    pcode: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Grid:
    """Columns (year, or indicator and year) and one row per region, the national row first."""

    columns: list[tuple[Indicator | None, int, str]]  # indicator (None in a one-indicator grid), year, age
    rows: list[GridRow]
    suppressed: bool = False

    def column_values(self, index: int) -> list[tuple[str, Decimal]]:
        """(region label, value) of the regions in column ``index`` that are shown (for a chart)."""
        out = []
        for row in self.rows:
            cell = row.cells[index]
            if row.pcode != "KAZ" and cell.value is not None and not cell.suppressed:
                out.append((row.label, cell.value.value))
        return out


def format_value(value: Decimal, indicator: Indicator) -> str:
    """A figure for a table: counts as whole numbers with thin spaces, rates with up to 2 decimals."""
    if indicator.is_count and value == value.to_integral_value():
        return f"{int(value):,}".replace(",", "\u202f")
    return number(round(value, 2))


def _regions() -> list[Region]:
    return list(Region.objects.order_by("name_ru"))


def indicator_grid(
    indicator: Indicator,
    values: Iterable[IndicatorValue],
    *,
    suppress: bool = False,
) -> Grid:
    """Regions × (year, age) of ``values`` (one breakdown of one indicator)."""
    by_key: dict[tuple[int | None, int, str], IndicatorValue] = {}
    for v in values:
        by_key[(v.region_id, v.year, v.age)] = v
    columns: list[tuple[Indicator | None, int, str]] = sorted({(None, y, a) for _r, y, a in by_key})
    return _grid(
        columns, lambda region_id, col: by_key.get((region_id, col[1], col[2])), {indicator.pk: indicator}, suppress
    )


def multi_grid(indicators: list[Indicator], years: list[int]) -> Grid:
    """Regions × (indicator, year): the totals (no sex or area breakdown) of each indicator."""
    by_key: dict[tuple[int, int | None, int], IndicatorValue] = {}
    ages: dict[int, set[str]] = defaultdict(set)
    for v in IndicatorValue.objects.filter(indicator__in=indicators, year__in=years, sex="", area="").order_by():
        ages[v.indicator_id].add(v.age)
        by_key[(v.indicator_id, v.region_id, v.year)] = v
    columns: list[tuple[Indicator | None, int, str]] = [(i, y, "") for i in indicators for y in years]
    # An indicator with several age bands (e.g. grade 4 and grade 9) has no single total: left out.
    columns = [c for c in columns if c[0] is not None and len(ages.get(c[0].pk, set())) <= 1]
    return _grid(
        columns,
        lambda region_id, col: by_key.get((col[0].pk, region_id, col[1])) if col[0] else None,
        {i.pk: i for i in indicators},
        False,
    )


def _grid(columns, lookup, indicators: dict[int, Indicator], suppress: bool) -> Grid:  # type: ignore[no-untyped-def]
    regions = [(str(_("Kazakhstan")), "KAZ", None)] + [(r.name, r.pcode, r.pk) for r in _regions()]
    rows = [GridRow(label, pcode) for label, pcode, _pk in regions]
    any_suppressed = False
    for col in columns:
        cells = []
        for _label, _pcode, region_id in regions:
            v = lookup(region_id, col)
            if v is None:
                cells.append(Cell())
                continue
            ind = indicators[v.indicator_id]
            if suppress and ind.counts_people and v.value < SUPPRESS_BELOW:
                cells.append(Cell(None, SMALL, True))
            else:
                cells.append(Cell(v, format_value(v.value, ind)))
        if suppress:
            _secondary(cells)
        any_suppressed |= any(c.suppressed for c in cells)
        for row, cell in zip(rows, cells, strict=True):
            row.cells.append(cell)
    # Rows without any figure (e.g. a region a table does not list) are still shown: a gap is information.
    return Grid(columns, rows, any_suppressed)


def _secondary(cells: list[Cell]) -> None:
    """Hide the smallest other region when exactly one region is hidden and the national total is shown."""
    national, regional = cells[0], cells[1:]
    hidden = [c for c in regional if c.suppressed]
    if len(hidden) != 1 or national.value is None:
        return
    shown = [c for c in regional if c.value is not None and not c.suppressed]
    if not shown:
        national.value, national.text, national.suppressed = None, HIDDEN, True
        return
    smallest = min(shown, key=lambda c: c.value.value if c.value else Decimal(0))
    smallest.value, smallest.text, smallest.suppressed = None, HIDDEN, True
