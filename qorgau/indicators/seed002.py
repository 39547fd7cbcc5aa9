"""Reader of the numeric tables of seed 002: the Ministry of Education's annual report on the situation
of children in Kazakhstan in 2022 (kk, PDF text with ``ӛ`` for ``ө``, ``ҧ`` for ``ұ``, ``ҥ`` for ``ү``).

``read_report(text)`` finds each table described in ``data/seed002_tables.yaml`` in the text, reads its
rows (regions resolved to ADM1 p-codes by :mod:`core.reference`, whose normaliser repairs the
extraction damage), turns the cells into :class:`Value` objects with their provenance (document "002",
table, line), and checks them: regions against the national total where the table is additive, sums
and parts inside a row, printed ratios and rates against their recomputation, duplicated and missing
regions, and cells that could not be read. What is wrong in the report is reported as a
:class:`Finding` and the affected values are marked ``doubtful``; nothing is corrected silently.

``rate(values, numerator, denominator, per)`` computes per-region rates (e.g. child suicides per
100,000 children from tables 2.5 and 2.1) with the provenance of both figures.

The index scores per region and domain are not read: the report gives them only as charts (images,
lost in the text) and quotes a few in the narrative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from indicators.seed002_checks import (
    check_changes,
    check_rates,
    check_regions,
    check_rows,
    check_totals,
)
from indicators.seed002_rows import city_codes, read_table
from indicators.seed002_spec import Spec, TableSpec, load_spec
from indicators.seed002_types import NATIONAL, Finding, Rate, Report, Row, Table, Value

__all__ = ["NATIONAL", "Finding", "Rate", "Report", "Row", "Table", "Value", "rate", "read_report"]


def _values(table: Table, table_spec: TableSpec, document: str, skip: set[str]) -> list[Value]:
    """The values of one table: one per region (or national) row and read cell; change rows give none."""
    values: list[Value] = []
    for row in table.rows:
        if row.kind == "change" or row.region is None or row.region in skip:
            continue
        for column in table_spec.columns:
            if column.key not in row.cells:
                continue
            values.append(
                Value(
                    indicator=column.indicator,
                    region=row.region,
                    year=row.year if row.year is not None else column.year,
                    value=row.cells[column.key],
                    sex=column.sex,
                    area=column.area,
                    age=column.age,
                    document=document,
                    table=table.number,
                    line=row.line,
                    column=column.key,
                    as_of=column.as_of if row.year is None else None,
                )
            )
    return values


class _Index:
    """Total (not sex/area-broken-down) values by (indicator, region, year), for cross-table checks."""

    def __init__(self, values: Iterable[Value]) -> None:
        self.by_key: dict[tuple[str, str, int], list[Value]] = defaultdict(list)
        for value in values:
            if value.is_total:
                self.by_key[(value.indicator, value.region, value.year)].append(value)

    def get(self, indicator: str, region: str, year: int) -> Value | None:
        found = self.by_key.get((indicator, region, year), [])
        return found[0] if len(found) == 1 else None


def read_report(text: str, spec: Spec | None = None) -> Report:
    """Read every table the YAML describes from seed 002's ``text``; check them; return the report."""
    spec = spec or load_spec()
    lines = text.splitlines()
    cities = city_codes()
    tables: list[Table] = []
    findings: list[Finding] = []
    values: list[Value] = []
    specs: dict[str, TableSpec] = {}
    for table_spec in spec.tables:
        table, read_findings = read_table(lines, table_spec, spec)
        findings += read_findings
        if table is None:
            continue
        tables.append(table)
        specs[table.number] = table_spec
        region_findings, duplicated, missing = check_regions(table, table_spec, spec)
        findings += region_findings
        findings += check_totals(table, table_spec, duplicated, bool(missing))
        findings += check_rows(table, table_spec, spec, cities)
        findings += check_changes(table, table_spec)
        if table_spec.title_year_conflict:
            findings.append(
                Finding(
                    "warning",
                    table.number,
                    table.line,
                    "title-year",
                    f"table {table.number}: {table_spec.title_year_conflict}",
                )
            )
        values += _values(table, table_spec, spec.document, duplicated)
    index = _Index(values)
    for table in tables:
        findings += check_rates(table, specs[table.number], index.get)
    doubtful = {(f.table, line, key) for f in findings for line, key in f.cells}
    values = [
        value if (value.table, value.line, value.column) not in doubtful else replace(value, doubtful=True)
        for value in values
    ]
    findings.sort(key=lambda f: (_table_order(f.table, spec), f.line))
    return Report(tables=tables, values=values, findings=findings)


def _table_order(number: str, spec: Spec) -> int:
    return next((i for i, table in enumerate(spec.tables) if table.number == number), len(spec.tables))


def rate(
    values: Iterable[Value],
    numerator_code: str,
    denominator_code: str,
    per: float,
    *,
    year: int | None = None,
    year_offset: int | None = None,
) -> list[Rate]:
    """Per-region rates ``numerator / denominator * per`` with the provenance of both figures.

    The numerator is every total value of ``numerator_code`` (of ``year`` if given); its denominator is
    the total value of ``denominator_code`` for the same region and year + ``year_offset``. Without
    ``year_offset``, the YAML's ``denominators`` section gives it for the populations it lists (table
    2.1's children at the start of year Y + 1, i.e. the end of year Y, divide the events of year Y)
    and 0 for any other indicator. A region without a denominator, with a zero one, or with two
    different figures for the same key is left out: no rate is better than a guessed one.
    """
    if year_offset is None:
        offsets = {d.indicator: d.year_offset for d in load_spec().denominators.values()}
        year_offset = offsets.get(denominator_code, 0)
    by_key: dict[tuple[str, str, int], set[Value]] = defaultdict(set)
    numerators: list[Value] = []
    for value in values:
        if not value.is_total:
            continue
        if value.indicator == denominator_code:
            by_key[(value.indicator, value.region, value.year)].add(value)
        if value.indicator == numerator_code and (year is None or value.year == year):
            numerators.append(value)
    rates: list[Rate] = []
    for numerator in numerators:
        candidates = by_key.get((denominator_code, numerator.region, numerator.year + year_offset), set())
        if len({candidate.value for candidate in candidates}) != 1:
            continue
        denominator = min(candidates, key=lambda v: (v.table, v.line))
        if denominator.value == 0:
            continue
        rates.append(
            Rate(
                region=numerator.region,
                year=numerator.year,
                value=numerator.value / denominator.value * per,
                per=per,
                numerator=numerator,
                denominator=denominator,
            )
        )
    return rates
