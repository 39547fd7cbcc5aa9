"""What the seed 002 reader produces: tables with their rows, values with provenance, and findings.

Plain data, independent of the database, so that importers, management commands and tests share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from indicators.seed002_spec import ColumnSpec

NATIONAL = "KAZ"

Severity = Literal["error", "warning"]
RowKind = Literal["region", "national", "extra", "change"]


@dataclass(frozen=True)
class Finding:
    """Something wrong in the report or in its extraction, with the figures, in English.

    ``cells`` are the (line, column key) pairs the finding casts doubt on; the values read from them
    are marked ``doubtful``. A finding that cannot say which cell is wrong (a total that does not add
    up) names none.
    """

    severity: Severity
    table: str
    line: int
    code: str
    message: str
    cells: tuple[tuple[int, str], ...] = ()


@dataclass
class Row:
    """One printed row of a table, as read.

    ``region`` is the ADM1 p-code, ``"KAZ"`` for the national row, or None for a change row.
    ``cells`` holds a number per column key that was read; ``dashes`` the columns printed as "-",
    ``absent`` the columns the row leaves out (fewer numbers than columns, where the YAML allows it).
    ``unreadable`` is set when the numbers could not be assigned to columns; then ``cells`` is empty.
    """

    label: str
    region: str | None
    line: int
    numbers: str
    kind: RowKind = "region"
    year: int | None = None
    cells: dict[str, float] = field(default_factory=dict)
    dashes: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    unreadable: bool = False
    lines: tuple[int, ...] = ()


@dataclass
class Table:
    """One table of the report as read: its spec's columns, its rows and where it stands in the text.

    ``total_checks`` maps each additive column key to the result of comparing the regions' sum with
    the national row: "ok", "mismatch", "no-national-row" or "unchecked" (a cell was unreadable or a
    region duplicated or missing).
    """

    number: str
    title_kk: str
    title_en: str
    line: int
    columns: tuple[ColumnSpec, ...]
    rows: list[Row] = field(default_factory=list)
    total_checks: dict[str, str] = field(default_factory=dict)

    def region_rows(self) -> list[Row]:
        """Rows that name a region (not the national row, not extra rows)."""
        return [row for row in self.rows if row.kind == "region"]

    def national_row(self) -> Row | None:
        """The row of national totals for the table's own year, if the table prints one."""
        return next((row for row in self.rows if row.region == NATIONAL and row.year is None), None)

    def row(self, region: str) -> Row:
        """The first row of ``region`` (a p-code or "KAZ")."""
        for row in self.rows:
            if row.region == region and row.year is None:
                return row
        raise KeyError(region)


@dataclass(frozen=True)
class Value:
    """One figure of the report: indicator, region ("KAZ" national), year, disaggregation, provenance."""

    indicator: str
    region: str
    year: int
    value: float
    sex: str | None
    area: str | None
    age: str | None
    document: str
    table: str
    line: int
    column: str
    as_of: str | None = None
    doubtful: bool = False

    @property
    def is_total(self) -> bool:
        """True when the value is not broken down by sex or area (age is the indicator's own band)."""
        return self.sex is None and self.area is None


@dataclass
class Report:
    """Everything read from the report: tables, values and findings."""

    tables: list[Table]
    values: list[Value]
    findings: list[Finding]

    def table(self, number: str) -> Table:
        """Return the table numbered ``number``."""
        for table in self.tables:
            if table.number == number:
                return table
        raise KeyError(number)

    def findings_of(self, number: str, code: str | None = None) -> list[Finding]:
        """Findings about table ``number``, optionally of one ``code``."""
        return [f for f in self.findings if f.table == number and (code is None or f.code == code)]


@dataclass(frozen=True)
class Rate:
    """A computed rate with the provenance of both its numerator and denominator."""

    region: str
    year: int
    value: float
    per: float
    numerator: Value
    denominator: Value
