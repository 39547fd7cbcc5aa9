"""The declarative description of seed 002's tables (``data/seed002_tables.yaml``), loaded and validated.

The YAML says what each table means (indicator, year, disaggregation, validation rules); the reader in
:mod:`indicators.seed002` finds the rows in the text. A mistake in the YAML is a programming error, so
loading raises ``ValueError`` with the table and column at fault instead of reading a table wrongly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SPEC_FILE = Path(__file__).resolve().parent / "data" / "seed002_tables.yaml"

POLARITIES = frozenset({"positive", "negative", "neutral"})
SEXES = frozenset({"male", "female"})
AREAS = frozenset({"urban", "rural"})
BLANK_REASONS = frozenset({"new_regions", "cities"})
REGION_SETS = frozenset({"all20", "pre2022"})


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry: what an indicator code means."""

    code: str
    name_kk: str
    name_ru: str
    name_en: str
    unit: str
    polarity: str
    domain: str | None


@dataclass(frozen=True)
class Ratio:
    """A cell that is ``numerator / denominator * per`` of two columns of the same row."""

    numerator: str
    denominator: str
    per: float
    decimals: int


@dataclass(frozen=True)
class Operand:
    """One side of a cross-table rate: a column of the same row, or an indicator (totals) of a year."""

    column: str | None = None
    indicator: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class RateOf:
    """A cell that is ``numerator / denominator * per`` where at least one side comes from another table."""

    numerator: Operand
    denominator: Operand
    per: float
    decimals: int


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its indicator, year, disaggregation and validation rules."""

    key: str
    indicator: str
    year: int
    as_of: str | None = None
    sex: str | None = None
    area: str | None = None
    age: str | None = None
    additive: bool = False
    range: tuple[float, float] = (0.0, float("inf"))
    sum_of: tuple[tuple[str, ...], ...] = ()
    part_of: str | None = None
    ratio: Ratio | None = None
    rate_of: RateOf | None = None
    blank_for: frozenset[str] = frozenset()

    @property
    def takes_thousands_groups(self) -> bool:
        """Whether a cell may be printed with space-separated thousands ("98 474")."""
        return self.range[1] >= 1000


@dataclass(frozen=True)
class ExtraRow:
    """A non-region row: a national row under another label, a row of another year, or a change row."""

    label: str
    region: str | None = None
    year: int | None = None
    change: tuple[str, str] | None = None


@dataclass(frozen=True)
class TableSpec:
    """What one numbered table of the report means."""

    number: str
    title_kk: str
    title_en: str
    region_set: str
    columns: tuple[ColumnSpec, ...]
    extra_rows: tuple[ExtraRow, ...] = ()
    title_year_conflict: str | None = None
    note: str | None = None

    def column(self, key: str) -> ColumnSpec:
        """Return the column called ``key``."""
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


@dataclass(frozen=True)
class Denominator:
    """A population that rates of other indicators divide by; year Y divides by the stock of Y + offset."""

    name: str
    indicator: str
    table: str
    year_offset: int


@dataclass(frozen=True)
class Spec:
    """The whole YAML: document, catalogue, denominators and tables."""

    document: str
    national_labels: tuple[str, ...]
    regions_created_2022: frozenset[str]
    spelling_fixes: dict[str, str]
    domains: dict[str, dict[str, str]]
    indicators: dict[str, Indicator]
    denominators: dict[str, Denominator]
    tables: tuple[TableSpec, ...] = field(default=())

    def table(self, number: str) -> TableSpec:
        """Return the table numbered ``number`` ("2.1")."""
        for table in self.tables:
            if table.number == number:
                return table
        raise KeyError(number)


def _need(mapping: dict[str, Any], key: str, where: str) -> Any:
    if key not in mapping or mapping[key] in (None, ""):
        raise ValueError(f"seed002_tables.yaml: {where}: missing {key!r}")
    return mapping[key]


def _sum_of(raw: Any, where: str) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"seed002_tables.yaml: {where}: sum_of must be a non-empty list")
    groups = raw if isinstance(raw[0], list) else [raw]
    return tuple(tuple(str(key) for key in group) for group in groups)


def _operand(raw: dict[str, Any], where: str) -> Operand:
    operand = Operand(column=raw.get("column"), indicator=raw.get("indicator"), year=raw.get("year"))
    if (operand.column is None) == (operand.indicator is None):
        raise ValueError(f"seed002_tables.yaml: {where}: an operand names either a column or an indicator")
    if operand.indicator is not None and operand.year is None:
        raise ValueError(f"seed002_tables.yaml: {where}: an indicator operand needs a year")
    return operand


def _column(raw: dict[str, Any], where: str) -> ColumnSpec:
    key = str(_need(raw, "key", where))
    where = f"{where} column {key}"
    low, high = raw.get("range", [0, float("inf")])
    ratio = raw.get("ratio")
    rate_of = raw.get("rate_of")
    column = ColumnSpec(
        key=key,
        indicator=str(_need(raw, "indicator", where)),
        year=int(_need(raw, "year", where)),
        as_of=raw.get("as_of"),
        sex=raw.get("sex"),
        area=raw.get("area"),
        age=raw.get("age"),
        additive=bool(raw.get("additive", False)),
        range=(float(low), float(high)),
        sum_of=_sum_of(raw.get("sum_of"), where),
        part_of=raw.get("part_of"),
        ratio=None
        if ratio is None
        else Ratio(ratio["numerator"], ratio["denominator"], float(ratio["per"]), int(ratio["decimals"])),
        rate_of=None
        if rate_of is None
        else RateOf(
            _operand(rate_of["numerator"], where),
            _operand(rate_of["denominator"], where),
            float(rate_of["per"]),
            int(rate_of["decimals"]),
        ),
        blank_for=frozenset(raw.get("blank_for", [])),
    )
    if column.sex is not None and column.sex not in SEXES:
        raise ValueError(f"seed002_tables.yaml: {where}: sex {column.sex!r}")
    if column.area is not None and column.area not in AREAS:
        raise ValueError(f"seed002_tables.yaml: {where}: area {column.area!r}")
    if column.blank_for - BLANK_REASONS:
        raise ValueError(f"seed002_tables.yaml: {where}: blank_for {sorted(column.blank_for - BLANK_REASONS)}")
    if column.range[0] > column.range[1]:
        raise ValueError(f"seed002_tables.yaml: {where}: empty range {column.range}")
    return column


def _check_references(table: TableSpec, indicators: dict[str, Indicator]) -> None:
    keys = [column.key for column in table.columns]
    if len(set(keys)) != len(keys):
        raise ValueError(f"seed002_tables.yaml: table {table.number}: duplicate column keys")
    for column in table.columns:
        where = f"table {table.number} column {column.key}"
        if column.indicator not in indicators:
            raise ValueError(f"seed002_tables.yaml: {where}: unknown indicator {column.indicator!r}")
        named = [key for group in column.sum_of for key in group]
        if column.part_of:
            named.append(column.part_of)
        if column.ratio:
            named += [column.ratio.numerator, column.ratio.denominator]
        if column.rate_of:
            operands = (column.rate_of.numerator, column.rate_of.denominator)
            named += [operand.column for operand in operands if operand.column]
            for operand in operands:
                if operand.indicator and operand.indicator not in indicators:
                    raise ValueError(f"seed002_tables.yaml: {where}: unknown indicator {operand.indicator!r}")
        for key in named:
            if key not in keys or key == column.key:
                raise ValueError(f"seed002_tables.yaml: {where}: bad column reference {key!r}")
    labels = {row.label for row in table.extra_rows}
    for row in table.extra_rows:
        if row.change and not set(row.change) <= labels:
            raise ValueError(f"seed002_tables.yaml: table {table.number}: change row {row.label!r} names unknown rows")


def _change(raw: Any, where: str) -> tuple[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 2:
        raise ValueError(f"seed002_tables.yaml: {where}: a change row names two rows (later, earlier)")
    return str(raw[0]), str(raw[1])


def _table(raw: dict[str, Any], indicators: dict[str, Indicator]) -> TableSpec:
    number = str(_need(raw, "number", "a table"))
    where = f"table {number}"
    extra_rows = tuple(
        ExtraRow(
            label=str(_need(row, "label", where)),
            region=row.get("region"),
            year=row.get("year"),
            change=_change(row.get("change"), where),
        )
        for row in raw.get("extra_rows", [])
    )
    table = TableSpec(
        number=number,
        title_kk=" ".join(str(_need(raw, "title_kk", where)).split()),
        title_en=str(_need(raw, "title_en", where)),
        region_set=str(_need(raw, "region_set", where)),
        columns=tuple(_column(column, where) for column in _need(raw, "columns", where)),
        extra_rows=extra_rows,
        title_year_conflict=raw.get("title_year_conflict"),
        note=raw.get("note"),
    )
    if table.region_set not in REGION_SETS:
        raise ValueError(f"seed002_tables.yaml: {where}: region_set {table.region_set!r}")
    _check_references(table, indicators)
    return table


def parse_spec(data: dict[str, Any]) -> Spec:
    """Build and validate a :class:`Spec` from the YAML's mapping (``ValueError`` on any inconsistency)."""
    indicators: dict[str, Indicator] = {}
    domains = dict(_need(data, "domains", "top level"))
    for code, raw in _need(data, "indicators", "top level").items():
        where = f"indicator {code}"
        indicator = Indicator(
            code=code,
            name_kk=str(_need(raw, "name_kk", where)),
            name_ru=str(_need(raw, "name_ru", where)),
            name_en=str(_need(raw, "name_en", where)),
            unit=str(_need(raw, "unit", where)),
            polarity=str(_need(raw, "polarity", where)),
            domain=raw.get("domain"),
        )
        if indicator.polarity not in POLARITIES:
            raise ValueError(f"seed002_tables.yaml: {where}: polarity {indicator.polarity!r}")
        if indicator.domain is not None and indicator.domain not in domains:
            raise ValueError(f"seed002_tables.yaml: {where}: unknown domain {indicator.domain!r}")
        indicators[code] = indicator
    denominators = {
        name: Denominator(name, str(raw["indicator"]), str(raw["table"]), int(raw.get("year_offset", 0)))
        for name, raw in (data.get("denominators") or {}).items()
    }
    for denominator in denominators.values():
        if denominator.indicator not in indicators:
            raise ValueError(f"seed002_tables.yaml: denominator {denominator.name}: unknown indicator")
    tables = tuple(_table(raw, indicators) for raw in _need(data, "tables", "top level"))
    numbers = [table.number for table in tables]
    if len(set(numbers)) != len(numbers):
        raise ValueError("seed002_tables.yaml: a table number is listed twice")
    return Spec(
        document=str(_need(data, "document", "top level")),
        national_labels=tuple(_need(data, "national_labels", "top level")),
        regions_created_2022=frozenset(_need(data, "regions_created_2022", "top level")),
        spelling_fixes=dict(data.get("spelling_fixes") or {}),
        domains=domains,
        indicators=indicators,
        denominators=denominators,
        tables=tables,
    )


@functools.cache
def load_spec(path: Path = SPEC_FILE) -> Spec:
    """Load and validate ``data/seed002_tables.yaml`` (cached)."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping")
    return parse_spec(data)
