"""Finding a table's rows in seed 002's text and assigning their numbers to columns.

The PDF text gives one table row per line: a region name, then the cells separated by spaces. Two
kinds of damage matter here:

* thousands are separated by a space in some rows ("98 474") and not in others ("296844"), so the
  same space separates digits of one number and two cells. The reader tries every way of grouping the
  tokens into the table's columns, keeps the groupings whose cells are within each column's declared
  range, and when several remain, the one that satisfies the row's declared relations (a total that
  is the sum of its parts). Anything still ambiguous is reported, not guessed;
* a row may leave cells out: the 2021 cells of the oblasts created in 2022, the rural cells of the
  cities. The YAML says where that is allowed; elsewhere a short row is unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from core.reference import normalize, region_records, resolve_region_code
from indicators.seed002_spec import ColumnSpec, Spec, TableSpec
from indicators.seed002_types import NATIONAL, Finding, Row, RowKind, Table

_NUMBER_RE = re.compile(r"^\d+(?:,\d+)?$")
_GROUP_RE = re.compile(r"^\d{3}(?:,\d+)?$")  # a thousands group continuing a number: "474", "474,5"
_DASHES = frozenset({"-", "–", "—"})
_SOURCE_PREFIX = "дереккөз"  # "Дереккөз: ..." (source) closes every table
_MAX_TABLE_LINES = 400

# One way of reading a row: per column, a number, "-" or absent (None).
Cell = float | str | None
Reading = dict[str, Cell]


def _is_cell_token(token: str) -> bool:
    return token in _DASHES or bool(_NUMBER_RE.match(token.rstrip("%")))


def _number(text: str) -> float:
    return float(text.rstrip("%").replace(",", "."))


def find_caption(lines: Sequence[str], number: str) -> int | None:
    """Return the 0-based index of the line that opens table ``number`` ("2.1-кесте. ..."), or None."""
    pattern = re.compile(rf"^\s*{re.escape(number)}-кесте\.")
    return next((index for index, line in enumerate(lines) if pattern.match(line)), None)


def caption_text(lines: Sequence[str], start: int) -> str:
    """The caption of the table opened at ``start``: its first line without the "N-кесте." prefix."""
    return lines[start].split("кесте.", 1)[1].strip()


def split_row(line: str) -> tuple[str, list[str]]:
    """Split a line into its label and its trailing cell tokens ("Астана қ. 164 238189 1452")."""
    tokens = line.split()
    cut = len(tokens)
    while cut > 0 and _is_cell_token(tokens[cut - 1]):
        cut -= 1
    return " ".join(tokens[:cut]), tokens[cut:]


def _groupings(tokens: list[str], columns: Sequence[ColumnSpec]) -> Iterator[list[Cell]]:
    """Every way to read ``tokens`` as one cell per column, each cell within its column's range."""
    if not columns:
        if not tokens:
            yield []
        return
    if not tokens:
        return
    column, rest = columns[0], columns[1:]
    first = tokens[0]
    if first in _DASHES:
        for tail in _groupings(tokens[1:], rest):
            yield ["-", *tail]
        return
    candidates = [(1, first)]
    if column.takes_thousands_groups and re.fullmatch(r"\d{1,3}", first):
        used, text = 1, first
        while used < len(tokens) and _GROUP_RE.match(tokens[used]) and "," not in text:
            text += tokens[used]
            used += 1
            candidates.append((used, text))
    for used, text in candidates:
        value = _number(text)
        if column.range[0] <= value <= column.range[1]:
            for tail in _groupings(tokens[used:], rest):
                yield [value, *tail]


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def relations_hold(table: TableSpec, cells: dict[str, float]) -> bool:
    """Whether the row's numbers satisfy the sums, parts and ratios the YAML declares (where all are read)."""
    for column in table.columns:
        value = cells.get(column.key)
        if value is None:
            continue
        for group in column.sum_of:
            if all(key in cells for key in group) and not _close(value, sum(cells[key] for key in group)):
                return False
        if column.part_of and column.part_of in cells and value > cells[column.part_of]:
            return False
        ratio = column.ratio
        if ratio and ratio.numerator in cells and cells.get(ratio.denominator):
            computed = cells[ratio.numerator] / cells[ratio.denominator] * ratio.per
            if abs(computed - value) > 0.5 * 10**-ratio.decimals + 1e-9:
                return False
    return True


def _blankable(column: ColumnSpec, region: str | None, spec: Spec) -> bool:
    if region is None:
        return False
    if "new_regions" in column.blank_for and column.year < 2022 and region in spec.regions_created_2022:
        return True
    return "cities" in column.blank_for and region in city_codes()


def city_codes() -> frozenset[str]:
    """The p-codes of the three cities of republican significance."""
    return frozenset(record["pcode"] for record in region_records() if record["kind"] == "city")


def read_cells(row: Row, tokens: list[str], table: TableSpec, spec: Spec) -> Finding | None:
    """Assign ``tokens`` to the table's columns on ``row``; return a finding when that is impossible."""
    columns = list(table.columns)
    readings = [dict(zip([c.key for c in columns], cells, strict=True)) for cells in _groupings(tokens, columns)]
    if not readings:
        # A short row: leave out the columns the YAML allows this region to leave blank.
        present = [c for c in columns if not _blankable(c, row.region, spec)]
        if len(present) < len(columns):
            readings = [
                {**{c.key: None for c in columns}, **dict(zip([c.key for c in present], cells, strict=True))}
                for cells in _groupings(tokens, present)
            ]
    if len(readings) > 1:
        numeric = [{k: v for k, v in r.items() if isinstance(v, float)} for r in readings]
        consistent = [r for r, cells in zip(readings, numeric, strict=True) if relations_hold(table, cells)]
        if len(consistent) == 1:
            readings = consistent
    if len(readings) != 1:
        row.unreadable = True
        shown = " ".join(tokens)
        if not readings:
            message = (
                f"table {table.number}, {row.label!r}: the {len(tokens)} numbers {shown!r} do not fit its "
                f"{len(columns)} columns; the row is not imported"
            )
        else:
            message = (
                f"table {table.number}, {row.label!r}: the numbers {shown!r} can be read in {len(readings)} ways "
                f"(thousands separated by spaces); the row is not imported"
            )
        return Finding("warning", table.number, row.line, "unreadable-cell", message)
    for key, cell in readings[0].items():
        if cell is None:
            row.absent.add(key)
        elif cell == "-":
            row.dashes.add(key)
        else:
            assert isinstance(cell, float)
            row.cells[key] = cell
    return None


class _RegionNamer:
    """Resolves row labels in order, so that a bare "Алматы" after a city row is the city (tables 4.1,
    5.1, 5.11, 5.12 list the cities without "қ." after the oblasts or before them)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.national = {normalize(label) for label in spec.national_labels}
        self.previous_was_city = False
        self.cities = city_codes()

    def resolve(self, label: str) -> tuple[str | None, str | None]:
        """Return (region code or "KAZ" or None, the spelling fix used or None)."""
        if normalize(label) in self.national:
            self.previous_was_city = False
            return NATIONAL, None
        code = resolve_region_code(label, unmarked="city" if self.previous_was_city else "default")
        fix = None
        if code is None:
            for wrong, right in self.spec.spelling_fixes.items():
                if wrong in label:
                    code, fix = resolve_region_code(label.replace(wrong, right)), wrong
                    break
        if code is not None:
            self.previous_was_city = code in self.cities
        return code, fix


def _extra_row(table: TableSpec, line: str) -> tuple[str, list[str]] | None:
    for extra in table.extra_rows:
        if line.startswith(extra.label):
            label, tokens = split_row(line)
            if label == extra.label and tokens:
                return extra.label, tokens
    return None


def read_table(lines: Sequence[str], table: TableSpec, spec: Spec) -> tuple[Table | None, list[Finding]]:
    """Read table ``table`` from the report's ``lines``: its rows and the findings of reading them."""
    findings: list[Finding] = []
    start = find_caption(lines, table.number)
    if start is None:
        findings.append(
            Finding("error", table.number, 0, "table-not-found", f"table {table.number} is not in the text")
        )
        return None, findings
    result = Table(table.number, table.title_kk, table.title_en, start + 1, table.columns)
    caption = normalize(caption_text(lines, start))
    if not normalize(table.title_kk).startswith(caption.rstrip(" ,")):
        findings.append(
            Finding(
                "warning",
                table.number,
                start + 1,
                "title-mismatch",
                f"table {table.number}: the caption {caption_text(lines, start)!r} is not the expected title",
            )
        )
    namer = _RegionNamer(spec)
    pending: list[tuple[Row, list[str]]] = []
    end = None
    for index in range(start + 1, min(len(lines), start + 1 + _MAX_TABLE_LINES)):
        text = lines[index].strip()
        if not text:
            continue
        if normalize(text).startswith(_SOURCE_PREFIX):
            end = index
            break
        extra = _extra_row(table, text)
        if extra is not None:
            spec_row = next(row for row in table.extra_rows if row.label == extra[0])
            kind: RowKind = "change" if spec_row.change else ("national" if spec_row.region == NATIONAL else "extra")
            row = Row(extra[0], spec_row.region, index + 1, " ".join(extra[1]), kind, spec_row.year)
            row.lines = (index + 1,)
            pending.append((row, extra[1]))
            continue
        label, tokens = split_row(text)
        if not label:
            if pending and tokens:
                # Cells pushed onto the next line by the extraction ("ҚР  4,0" / "7,3").
                pending[-1][1].extend(tokens)
                pending[-1][0].lines += (index + 1,)
                pending[-1][0].numbers += " " + " ".join(tokens)
                findings.append(
                    Finding(
                        "warning",
                        table.number,
                        index + 1,
                        "row-continued",
                        f"table {table.number}: the cells {' '.join(tokens)!r} on line {index + 1} are read as the "
                        f"end of the row of {pending[-1][0].label!r} (line {pending[-1][0].line})",
                    )
                )
            continue  # a header line of years, or nothing
        region, fix = namer.resolve(label)
        if region is None:
            # Before the first row, a label with numbers is a column head ("Оқушылардың 1 / мектепке").
            if tokens and pending:
                findings.append(
                    Finding(
                        "warning",
                        table.number,
                        index + 1,
                        "unknown-row",
                        f"table {table.number}: the row label {label!r} is not a region; "
                        f"its numbers {' '.join(tokens)!r} are not imported",
                    )
                )
            continue  # a header line
        if fix is not None:
            findings.append(
                Finding(
                    "warning",
                    table.number,
                    index + 1,
                    "region-spelling",
                    f"table {table.number}: region written {label!r} ({fix!r} is misspelt); read as {region}",
                )
            )
        row_kind: RowKind = "national" if region == NATIONAL else "region"
        row = Row(label, region, index + 1, " ".join(tokens), row_kind)
        row.lines = (index + 1,)
        pending.append((row, tokens))
    if end is None:
        findings.append(
            Finding(
                "warning",
                table.number,
                start + 1,
                "table-end-not-found",
                f"table {table.number}: no source line closes it",
            )
        )
    for row, tokens in pending:
        finding = read_cells(row, tokens, table, spec)
        if finding is not None:
            findings.append(finding)
        result.rows.append(row)
    return result, findings
