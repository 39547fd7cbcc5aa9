"""The 2026–2030 Concept's Action Plan table (seed 004 L1830-2134): locate it, split it into rows.

The table is tab-separated, seven columns (№, name, form of completion, deadline, executors, volume of
funding, source of funding). Its damage, with seed 004 line numbers:

* a row's cells continue on other lines: a *fragment* line with an empty first cell, put either
  before the numbered line (the cell text was vertically centred: L1838 before row 3 at L1840) or
  after it (L1844 after row 5 at L1842), with a blank line in between. A fragment whose name cell
  starts a sentence (capital letter) opens the next row; one that continues a sentence (lower case,
  "5) …" enumeration, "я бродяжничеством" L1943) closes the previous row;
* page-break residue: markdown separator lines ("-----\t--\t---", L1890) and blank lines, sometimes
  between a fragment and its row (L1895-1899);
* a row with a cell missing (row 149, L2116: six cells, the form of completion is gone);
* direction and indicator headings, with or without trailing tabs (L1834, L1989).

Each row keeps the 1-based line numbers it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COLUMNS = ("number", "name", "form", "deadline", "executors", "volume", "source")

_HEADER_RE = re.compile(r"^№\s*п/п\t")
_COLUMN_NUMBERS_RE = re.compile(r"^1\t2\t3\t4\t5\t6\t7\s*$")
_SEPARATOR_RE = re.compile(r"^[-\t ]+$")
_ROW_RE = re.compile(r"^(\d{1,3})\.?\t")
_DIRECTION_RE = re.compile(r"^Направление\s+(\d+)\.\s*(.+?)\s*$")
_INDICATOR_RE = re.compile(r"^Целевой индикатор\s+(\d+)\.\s*(.+?)\s*$")
_TABLE_END_RE = re.compile(r"^Примечание:\s*расшифровка аббревиатур", re.IGNORECASE)
_CAPITAL_START_RE = re.compile(r"^(?:<p>)?\s*[А-ЯЁӘҒҚҢӨҰҮҺІA-Z]")
_MONTHS = "январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|два раза"
_DEADLINE_LIKE_RE = re.compile(rf"^(?:<p>)?\s*(?:{_MONTHS})", re.IGNORECASE)


@dataclass
class RawRow:
    """One table row before cleaning: the numbered line's cells and the fragments that belong to it."""

    number: str
    line: int  # 1-based line of the numbered line
    cells: list[str]
    direction: str
    indicator: str
    before: list[tuple[int, list[str]]] = field(default_factory=list)  # fragments above the numbered line
    after: list[tuple[int, list[str]]] = field(default_factory=list)  # fragments below it
    warnings: list[str] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        """The first line of the row in the document (1-based)."""
        return self.before[0][0] if self.before else self.line

    @property
    def last_line(self) -> int:
        """The last line of the row in the document (1-based)."""
        return self.after[-1][0] if self.after else self.line

    def column(self, index: int) -> list[str]:
        """The pieces of one column, top to bottom: fragments above, the numbered line, fragments below."""
        parts = [cells[index] for _, cells in self.before]
        parts.append(self.cells[index])
        parts.extend(cells[index] for _, cells in self.after)
        return parts


@dataclass
class Table:
    """The rows of the Action Plan, its direction and indicator headings, and what could not be placed."""

    rows: list[RawRow]
    directions: list[str]
    indicators: dict[str, tuple[int, str]]  # number -> (line, heading text after "Целевой индикатор N.")
    first_line: int
    last_line: int
    warnings: list[str]


def locate(lines: list[str]) -> tuple[int, int] | None:
    """Return the 0-based index of the table's header line and the index just past the table, or None.

    The header is the line "№ п/п<TAB>Наименование<TAB>…" (L1832); the table ends at the glossary
    "Примечание: расшифровка аббревиатур" (L2136) or at the end of the text.
    """
    start = next((i for i, line in enumerate(lines) if _HEADER_RE.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(start, len(lines)) if _TABLE_END_RE.match(lines[i])), len(lines))
    return start, end


def _split_cells(line: str) -> tuple[list[str], str | None]:
    """The seven cells of a table line, and a warning when there were not seven."""
    cells = line.split("\t")
    if len(cells) == len(COLUMNS):
        return cells, None
    if len(cells) == len(COLUMNS) - 1 and _DEADLINE_LIKE_RE.match(cells[2]):
        # Row 149 (L2116): the deadline sits where the form of completion should be.
        return [*cells[:2], "", *cells[2:]], "the form-of-completion cell is missing (6 cells); left empty"
    padded = (cells + [""] * len(COLUMNS))[: len(COLUMNS)]
    return padded, f"{len(cells)} cells instead of {len(COLUMNS)}; cells read in order"


def _opens_row(cells: list[str]) -> bool:
    """Whether a fragment starts a row's text (capital letter) rather than continuing one."""
    return bool(_CAPITAL_START_RE.match(cells[1].strip()))


def split_rows(lines: list[str]) -> Table | None:
    """Read the Action Plan table of ``lines`` (the document split into lines) into raw rows."""
    bounds = locate(lines)
    if bounds is None:
        return None
    start, end = bounds
    warnings: list[str] = []
    rows: list[RawRow] = []
    directions: list[str] = []
    indicators: dict[str, tuple[int, str]] = {}
    direction = indicator = ""
    problems: dict[int, str] = {}  # line -> what was wrong with its cells
    pending: list[tuple[int, list[str]]] = []  # fragments waiting for the row below them
    last_row: RawRow | None = None  # the row a continuing fragment may close (None after a heading)

    for index in range(start + 1, end):
        lineno, line = index + 1, lines[index]
        text = line.strip()
        if not text or _SEPARATOR_RE.match(line) or _COLUMN_NUMBERS_RE.match(line):
            continue
        heading = text.split("\t")[0].strip()
        if pending and (_DIRECTION_RE.match(heading) or _INDICATOR_RE.match(heading)):
            lines_text = ", ".join(str(n) for n, _ in pending)
            warnings.append(f"lines {lines_text}: continuation text before a heading; attached to the next row")
        if match := _DIRECTION_RE.match(heading):
            direction = f"Направление {match[1]}. {match[2]}"
            directions.append(direction)
            last_row = None
            continue
        if match := _INDICATOR_RE.match(heading):
            indicator = match[1]
            indicators[match[1]] = (lineno, match[2])
            last_row = None
            continue
        if match := _ROW_RE.match(line):
            cells, problem = _split_cells(line)
            row = RawRow(match[1], lineno, cells, direction, indicator)
            row.before, pending = pending, []
            rows.append(row)
            last_row = row
            if problem:
                problems[lineno] = problem
            continue
        if line.startswith("\t"):
            cells, problem = _split_cells(line)
            if problem:
                problems[lineno] = problem
            if last_row is not None and not _opens_row(cells) and not pending:
                last_row.after.append((lineno, cells))
            else:
                pending.append((lineno, cells))
            continue
        warnings.append(f"line {lineno}: not a table row, heading or continuation; skipped: {text[:60]!r}")
    for row in rows:
        for lineno in [n for n, _ in row.before] + [row.line] + [n for n, _ in row.after]:
            if lineno in problems:
                row.warnings.append(f"line {lineno}: {problems.pop(lineno)}")
    warnings.extend(f"line {lineno}: {problem}" for lineno, problem in problems.items())
    if pending:
        lines_text = ", ".join(str(n) for n, _ in pending)
        warnings.append(f"lines {lines_text}: continuation text after the last row; not attached to any measure")
    return Table(rows, directions, indicators, start + 1, end, warnings)
