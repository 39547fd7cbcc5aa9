"""Checks of seed 002's tables against themselves and each other.

Every check reports what the report prints, with the figures, and changes nothing: a wrong cell stays
as printed and its value is marked doubtful. Severity "error" is a contradiction inside the report
(regions that do not add up to the total, a part larger than its whole, a region listed twice or
missing); "warning" is something a person should look at (a rounded ratio off by more than rounding,
a blank cell where a value was expected, a value for a region that did not yet exist).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from core.reference import region_records
from indicators.seed002_spec import Operand, Spec, TableSpec
from indicators.seed002_types import Finding, Row, Table, Value


def _names() -> dict[str, str]:
    return {record["pcode"]: record["name_en"] for record in region_records()}


def _fmt(value: float) -> str:
    """A figure as the report would print it, without a float's noise: 1505968, 28.4."""
    return str(int(value)) if value == int(value) else f"{value:.10g}"


def expected_regions(table: TableSpec, spec: Spec) -> set[str]:
    """The p-codes the table should list: all 20, or the 17 of before June 2022."""
    codes = {record["pcode"] for record in region_records()}
    return codes - spec.regions_created_2022 if table.region_set == "pre2022" else codes


def check_regions(table: Table, table_spec: TableSpec, spec: Spec) -> tuple[list[Finding], set[str], list[str]]:
    """Duplicated and missing regions. Returns the findings, the duplicated and the missing p-codes."""
    findings: list[Finding] = []
    names = _names()
    seen: dict[str, list[Row]] = defaultdict(list)
    for row in table.region_rows():
        assert row.region is not None
        seen[row.region].append(row)
    expected = expected_regions(table_spec, spec)
    missing = sorted(expected - set(seen))
    duplicated = {code for code, rows in seen.items() if len(rows) > 1}
    for code in sorted(duplicated):
        rows = seen[code]
        shown = "; ".join(f"L{row.line} {row.label!r}: {row.numbers}" for row in rows)
        hint = ""
        if missing:
            hint = f"; the table lacks {', '.join(names[m] for m in missing)}, which one of these rows may be"
        findings.append(
            Finding(
                "error",
                table.number,
                rows[1].line,
                "duplicate-region",
                f"table {table.number}: {names[code]} is listed {len(rows)} times ({shown}){hint}; "
                f"none of its values is imported",
                tuple((row.line, key) for row in rows for key in row.cells),
            )
        )
    for code in missing:
        findings.append(
            Finding(
                "error",
                table.number,
                table.line,
                "missing-region",
                f"table {table.number}: {names[code]} ({code}) has no row",
            )
        )
    for code in sorted(set(seen) - expected):
        findings.append(
            Finding(
                "warning",
                table.number,
                seen[code][0].line,
                "unexpected-region",
                f"table {table.number}: {names[code]} is listed though the table covers the regions before June 2022",
            )
        )
    return findings, duplicated, missing


def check_totals(table: Table, table_spec: TableSpec, duplicated: set[str], missing: bool) -> list[Finding]:
    """Compare the regions' sum with the national row for every additive column."""
    findings: list[Finding] = []
    national = table.national_row()
    for column in table_spec.columns:
        if not column.additive:
            continue
        if national is None:
            table.total_checks[column.key] = "no-national-row"
            continue
        rows = table.region_rows()
        if duplicated or missing or any(row.unreadable for row in rows) or column.key not in national.cells:
            table.total_checks[column.key] = "unchecked"
            continue
        total = sum(row.cells.get(column.key, 0.0) for row in rows)
        stated = national.cells[column.key]
        if abs(total - stated) > 1e-6:
            table.total_checks[column.key] = "mismatch"
            findings.append(
                Finding(
                    "error",
                    table.number,
                    national.line,
                    "total-mismatch",
                    f"table {table.number}, column {column.key} ({column.indicator} {column.year}): the regions add up "
                    f"to {_fmt(total)}, the national row says {_fmt(stated)} (difference {_fmt(total - stated)})",
                )
            )
        else:
            table.total_checks[column.key] = "ok"
    return findings


def _round_off(computed: float, printed: float, decimals: int) -> bool:
    """Whether ``printed`` is not ``computed`` rounded to ``decimals`` (half either way is accepted)."""
    return abs(computed - printed) > 0.5 * 10**-decimals + 1e-9


def check_rows(table: Table, table_spec: TableSpec, spec: Spec, cities: frozenset[str]) -> list[Finding]:
    """Relations inside each row (sums, parts, ratios) and blank cells where the YAML expects a value."""
    findings: list[Finding] = []
    for row in table.rows:
        if row.kind == "change":
            continue
        findings += _row_relations(table, table_spec, row)
        if row.kind == "region":
            findings += _row_blanks(table, table_spec, spec, row, cities)
    return findings


def _row_relations(table: Table, table_spec: TableSpec, row: Row) -> list[Finding]:
    findings: list[Finding] = []
    cells = row.cells
    where = f"table {table.number}, {row.label!r} (L{row.line})"
    for column in table_spec.columns:
        value = cells.get(column.key)
        if value is None:
            continue
        for group in column.sum_of:
            parts = [cells[key] if key in cells else (0.0 if key in row.dashes | row.absent else None) for key in group]
            if None in parts:
                continue
            total = sum(p for p in parts if p is not None)
            if abs(total - value) > 1e-6:
                findings.append(
                    Finding(
                        "error",
                        table.number,
                        row.line,
                        "sum-mismatch",
                        f"{where}: {column.key} is {_fmt(value)} but {' + '.join(group)} = {_fmt(total)}",
                        tuple((row.line, key) for key in (column.key, *group)),
                    )
                )
        whole = column.part_of
        if whole and whole in cells and value > cells[whole]:
            findings.append(
                Finding(
                    "error",
                    table.number,
                    row.line,
                    "part-exceeds-whole",
                    f"{where}: {column.key} {_fmt(value)} exceeds {whole} {_fmt(cells[whole])}",
                    ((row.line, column.key), (row.line, whole)),
                )
            )
        ratio = column.ratio
        if ratio and ratio.numerator in cells and ratio.denominator in cells:
            denominator = cells[ratio.denominator]
            if denominator == 0:
                continue
            computed = cells[ratio.numerator] / denominator * ratio.per
            if _round_off(computed, value, ratio.decimals):
                findings.append(
                    Finding(
                        "warning",
                        table.number,
                        row.line,
                        "ratio-mismatch",
                        f"{where}: {column.key} is printed {_fmt(value)} but {ratio.numerator} / "
                        f"{ratio.denominator} = {_fmt(cells[ratio.numerator])} / {_fmt(denominator)} gives "
                        f"{computed:.{ratio.decimals + 1}f}",
                        ((row.line, column.key),),
                    )
                )
    return findings


def _row_blanks(table: Table, table_spec: TableSpec, spec: Spec, row: Row, cities: frozenset[str]) -> list[Finding]:
    findings: list[Finding] = []
    assert row.region is not None
    new = row.region in spec.regions_created_2022
    for column in table_spec.columns:
        allowed_new = "new_regions" in column.blank_for and column.year < 2022 and new
        allowed_city = "cities" in column.blank_for and row.region in cities
        if column.key in row.cells:
            if allowed_new:
                findings.append(
                    Finding(
                        "warning",
                        table.number,
                        row.line,
                        "region-not-yet-created",
                        f"table {table.number}: {row.label!r} (L{row.line}) has {_fmt(row.cells[column.key])} for "
                        f"{column.year}, before the region was created in June 2022",
                        ((row.line, column.key),),
                    )
                )
            continue
        if row.unreadable or allowed_new or allowed_city:
            continue
        printed = "'-'" if column.key in row.dashes else "nothing"
        findings.append(
            Finding(
                "warning",
                table.number,
                row.line,
                "blank-cell",
                f"table {table.number}: {row.label!r} (L{row.line}) has {printed} in {column.key} "
                f"({column.indicator} {column.year}); a value was expected",
            )
        )
    return findings


def check_changes(table: Table, table_spec: TableSpec) -> list[Finding]:
    """A change row ("Динамика") must be the first named row minus the second."""
    findings: list[Finding] = []
    by_label = {row.label: row for row in table.rows}
    for extra in table_spec.extra_rows:
        if not extra.change or extra.label not in by_label:
            continue
        change = by_label[extra.label]
        first, second = (by_label.get(label) for label in extra.change)
        if first is None or second is None:
            continue
        for key, printed in change.cells.items():
            if key in first.cells and key in second.cells:
                computed = first.cells[key] - second.cells[key]
                if abs(computed - printed) > 1e-6:
                    findings.append(
                        Finding(
                            "error",
                            table.number,
                            change.line,
                            "change-mismatch",
                            f"table {table.number}: {extra.label!r} {key} is {_fmt(printed)} but "
                            f"{_fmt(first.cells[key])} - {_fmt(second.cells[key])} = {_fmt(computed)}",
                            ((change.line, key),),
                        )
                    )
    return findings


Lookup = Callable[[str, str, int], Value | None]


def check_rates(table: Table, table_spec: TableSpec, lookup: Lookup) -> list[Finding]:
    """Cells declared as a rate over another table's figures (``rate_of``): recompute and compare."""
    findings: list[Finding] = []
    for column in table_spec.columns:
        rate = column.rate_of
        if rate is None:
            continue
        for row in table.rows:
            if row.region is None or row.year is not None or column.key not in row.cells:
                continue
            numerator = _operand(rate.numerator, row, lookup)
            denominator = _operand(rate.denominator, row, lookup)
            if numerator is None or denominator is None or denominator[0] == 0:
                continue
            computed = numerator[0] / denominator[0] * rate.per
            printed = row.cells[column.key]
            if _round_off(computed, printed, rate.decimals):
                findings.append(
                    Finding(
                        "warning",
                        table.number,
                        row.line,
                        "rate-mismatch",
                        f"table {table.number}: {row.label!r} (L{row.line}) {column.key} is printed {_fmt(printed)} "
                        f"but {_fmt(numerator[0])} ({numerator[1]}) / {_fmt(denominator[0])} ({denominator[1]}) "
                        f"x {_fmt(rate.per)} = {computed:.{rate.decimals + 2}f}",
                        ((row.line, column.key),),
                    )
                )
    return findings


def _operand(operand: Operand, row: Row, lookup: Lookup) -> tuple[float, str] | None:
    if operand.column is not None:
        value = row.cells.get(operand.column)
        return None if value is None else (value, f"L{row.line} {operand.column}")
    assert operand.indicator is not None and operand.year is not None and row.region is not None
    found = lookup(operand.indicator, row.region, operand.year)
    if found is None:
        return None
    return found.value, f"table {found.table} L{found.line}"
