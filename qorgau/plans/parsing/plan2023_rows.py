"""Seed 000's measure table, step 2: put the typed cells into rows.

A row's cells come in column order: number, name, completion form, deadline, executors, amount,
source. The extraction breaks that order in two ways, both handled here:

* A page break cuts a row; what is left of its cells comes after the row's other cells, again in
  column order (a "pass"): 000 L464-476 (the rest of the name of row 13), L776-785 (row 19: name,
  deadline and source). Such a piece starts mid-sentence, in lower case.
* A tall row's number sits in the middle of the row, so the cells' first lines come before the
  number: 000 L249-256 (row 9), L1393-1398 (row 38), L1518-1524 (row 42), L1774-1789 (row 49).
  Such a piece starts a new name, in upper case, after a row that is already complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plans.parsing.plan2023_cells import AMOUNT, DASH, DEADLINE, EXEC, FORM, HEAD1, HEAD2, NUM, SOURCE, TEXT, Cell

COLUMNS = ("name", "form", "deadline", "exec", "amount", "source")
_COLUMN_OF = {DEADLINE: 2, EXEC: 3, AMOUNT: 4, SOURCE: 5}


@dataclass
class RowDraft:
    """The cells of one row as they are collected."""

    number: str | None
    section: str
    columns: dict[str, list[Cell]] = field(default_factory=lambda: {name: [] for name in COLUMNS})
    pointer: int = 0  # the last column filled in the current pass
    pass_has_name: bool = False
    starts_mid_sentence: bool = False
    warnings: list[str] = field(default_factory=list)

    def add(self, column: int, cell: Cell) -> None:
        """Append ``cell`` to a column and move the pointer there."""
        self.columns[COLUMNS[column]].append(cell)
        self.pointer = column
        self.warnings.extend(cell.warnings)

    def has(self, column: str) -> bool:
        """True when the column holds any text."""
        return any(cell.lines for cell in self.columns[column])

    def text_of(self, column: str) -> str:
        """The column's pieces joined (raw; cleaned by the caller)."""
        return " ".join(piece for cell in self.columns[column] for _, piece in cell.lines)

    @property
    def line_span(self) -> tuple[int, int] | None:
        """First and last document line of the row's cells."""
        numbers = [n for cells in self.columns.values() for cell in cells for n, _ in cell.lines]
        return (min(numbers), max(numbers)) if numbers else None


class RowAssembler:
    """Walks the cells of seed 000's table and returns the rows in document order."""

    def __init__(self) -> None:
        """Start before the first section."""
        self.rows: list[RowDraft] = []
        self.sections: list[str] = []
        self.warnings: list[str] = []
        self.section = ""
        self.current: RowDraft | None = None
        self.pending: RowDraft | None = None

    def assemble(self, cells: list[Cell]) -> list[RowDraft]:
        """Assign every cell to a row (or report it as an orphan)."""
        for cell in cells:
            if cell.kind == HEAD1:
                self._finish()
                self.section = cell.value
                self.sections.append(cell.value)
            elif cell.kind == HEAD2:
                self._finish()
            elif cell.kind == NUM:
                self._number(cell)
            elif cell.kind in (TEXT, FORM):
                self._text(cell)
            elif cell.kind == DASH:
                self._dash(cell)
            else:
                self._column(cell)
        self._finish()
        return self.rows

    def _finish(self) -> None:
        if self.pending is not None:
            self.rows.append(self.pending)
            self.pending = None
        if self.current is not None:
            self.rows.append(self.current)
            self.current = None

    def _number(self, cell: Cell) -> None:
        pending = self.pending
        self.pending = None
        if self.current is not None:
            self.rows.append(self.current)
        if pending is not None and pending.starts_mid_sentence:
            # The row before this number lost its number and its beginning (000 L150-165: the end
            # of row 6 right after the section heading).
            self.rows.append(pending)
            pending = None
        if pending is not None:
            pending.number = cell.value
            pending.pointer = 0
            pending.pass_has_name = False
            self.current = pending
        else:
            self.current = RowDraft(number=cell.value, section=self.section)

    def _target(self) -> RowDraft | None:
        return self.pending if self.pending is not None else self.current

    def _text(self, cell: Cell) -> None:
        target = self._target()
        if target is None:
            self.pending = RowDraft(number=None, section=self.section, starts_mid_sentence=cell.starts_lowercase())
            self.pending.add(1 if cell.kind == FORM else 0, cell)
            self.pending.pass_has_name = cell.kind == TEXT
            return
        if cell.kind == FORM:
            target.add(1, cell)
        elif target.pointer == 0 and not target.pass_has_name:
            target.add(0, cell)
            target.pass_has_name = True
        elif target.pointer == 0:
            target.add(1, cell)
        elif target is self.current and target.pointer >= 2 and not cell.starts_lowercase():
            # A new name after a complete row: the upper part of the next row, before its number.
            self.pending = RowDraft(number=None, section=self.section)
            self.pending.add(0, cell)
            self.pending.pass_has_name = True
        elif cell.starts_lowercase():
            target.add(0, cell)
            target.pass_has_name = True
            target.warnings.append(
                f"name continued after the row's other cells (page break, line {cell.first_line}); joined"
            )
        else:
            target.add(1, cell)

    def _column(self, cell: Cell) -> None:
        target = self._target()
        if target is None:
            self._orphan(cell)
            return
        column = _COLUMN_OF[cell.kind]
        if column == 4 and target.text_of("amount").strip() == "-" and not target.has("source"):
            # 000 L900-908 (row 23): the dash of the source column came before the amount text
            # that the page break pushed to the next page.
            target.columns["source"] = target.columns["amount"]
            target.columns["amount"] = []
        target.add(column, cell)

    def _dash(self, cell: Cell) -> None:
        target = self._target()
        if target is None:
            self._orphan(cell)
            return
        target.add(4 if target.pointer < 4 and not target.has("amount") else 5, cell)

    def _orphan(self, cell: Cell) -> None:
        text = re.sub(r"\s+([;,])", r"\1", " ".join(piece.strip() for _, piece in cell.lines))
        last = cell.lines[-1][0] if cell.lines else cell.first_line
        self.warnings.append(
            f"{cell.kind} text {text!r} at lines {cell.first_line}-{last} belongs to no readable row; not attributed"
        )
