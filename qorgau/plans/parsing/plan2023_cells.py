"""Seed 000's measure table, step 1: cut the cell flow into typed cells.

The PDF extraction wrote the table one cell after another, each cell as a few short lines, cells
mostly separated by an empty line. It also glued neighbouring cells onto one line ("желтоқсан ІІМ,
ЖАО -" is the end of a deadline, the executors and the amount), and kept the cells that a page
break cut in two as separate pieces. This module finds the cells and says what each one is from
its content (a number, a section heading, a deadline, an executor list, an amount, a funding source,
a dash, or free text: a name or a completion form); ``plan2023_rows`` puts them into rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.reference import resolve_agency_code
from plans.parsing.plan2023_fields import is_months_only, looks_like_deadline
from plans.parsing.plan2023_text import fix_spacing

NUM, HEAD1, HEAD2 = "num", "head1", "head2"
TEXT, FORM, DEADLINE, EXEC, AMOUNT, SOURCE, DASH = "text", "form", "deadline", "exec", "amount", "source", "dash"
# Column order of a row; DASH is an amount or a source depending on where the row is.
COLUMN_ORDER = {TEXT: 0, FORM: 1, DEADLINE: 2, EXEC: 3, AMOUNT: 4, SOURCE: 5}

_NUM_RE = re.compile(r"^\s*(?P<number>\d{1,2})\.(?:\s+(?P<rest>\S.*)|\s*)$")
_HEAD2_RE = re.compile(r"^\s*(?P<number>\d\.\d)\.\s+(?P<title>\S.*)$")
_HEAD1_RE = re.compile(r"^\s*(?P<number>\d)\.\s+(?P<title>[А-ЯӘҒҚҢӨҰҮҺІ].{25,})$")
# "ОМ-ге ақпарат" (information to the Ministry) is a completion form, not an executor.
_FORM_RE = re.compile(r"^ОМ-ге\b")
_FORM_TAIL_RE = re.compile(r"^(?P<text>.*\S)\s+(?P<form>ОМ-ге)\s*$")
_AMOUNT_START_RE = re.compile(r"^(?:талап\b|\d{4}\s*(?:жылы|ж\.)\s*[–-]|\d[\d\s]*(?:,\s*\d+)?\s*млн)")
_AMOUNT_CONTINUATION_RE = re.compile(r"^(?:[\d\s,.;–-]*(?:млн)?\s*(?:теңге)?[\s;,.]*|етілмейді\b.*)$")
_SOURCE_START_RE = re.compile(r"^(?:РБ\b|ЖБ\b|бюджеттен\b|\(?көзделген\b|қаражаты\s+шегінде)")
_DISPLACED_TAIL_RE = re.compile(r"^\s*(?P<punct>[:(])\s*(?P<tail>[^\W\d_]+)\s*$")
_EXEC_WORDS = frozenset({"келісу", "бойынша"})


@dataclass
class Cell:
    """One cell (or the piece of a cell a page break left) with its kind and its lines."""

    kind: str
    lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line number, text)
    value: str = ""  # the number of a NUM cell, the title of a heading
    warnings: list[str] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        """The document line the cell starts on."""
        return self.lines[0][0] if self.lines else 0

    def starts_lowercase(self) -> bool:
        """True when the cell's text begins mid-sentence (a continuation)."""
        text = "".join(piece for _, piece in self.lines).lstrip(" \"'«(")
        return bool(text) and text[0].islower()


def _is_agency(token: str) -> bool:
    """True for an executing body; funding sources (РБ, ЖБ) resolve too but start the source cell."""
    if not token[:1].isupper():
        return False  # "талдау" (analysis) is also the name of an institute; executors are capitalised
    code = resolve_agency_code(token)
    return code is not None and not code.startswith("budget_")


def _exec_prefix(text: str) -> tuple[str, str] | None:
    """Split ``text`` into a leading executor list and the rest, or None if it does not start with one.

    The list must begin with an agency and the rest must be empty or the start of a funding cell.
    """
    tokens = re.findall(r"\S+", text)
    consumed = 0
    agencies = 0
    for token in tokens:
        bare = token.strip(",()")
        if bare and not _FORM_RE.match(bare) and _is_agency(bare):
            agencies += 1
        elif (bare and bare not in _EXEC_WORDS) or agencies == 0:
            break
        consumed += 1
    if agencies == 0:
        return None
    head_tokens = tokens[:consumed]
    position = 0
    for token in head_tokens:
        position = text.index(token, position) + len(token)
    rest = text[position:]
    if rest.strip() and not (_AMOUNT_START_RE.match(rest.strip()) or rest.strip() in {"-", "–"}):
        return None
    return text[:position], rest


def _starts(text: str, following: str) -> str | None:
    """The kind of cell that ``text`` (one line) begins, or None for free text."""
    stripped = text.strip()
    if _FORM_RE.match(stripped):
        return FORM
    if looks_like_deadline(f"{stripped} {following.strip()}") or is_months_only(stripped):
        return DEADLINE
    if _exec_prefix(stripped) is not None:
        return EXEC
    if stripped in {"-", "–"}:
        return DASH
    if _AMOUNT_START_RE.match(stripped):
        return AMOUNT
    if _SOURCE_START_RE.match(stripped) or _SOURCE_START_RE.match(f"{stripped} {following.strip()}"):
        return SOURCE
    return None


class CellSplitter:
    """Turns the table lines of seed 000 into a list of typed cells."""

    def __init__(self) -> None:
        """Start with no cells."""
        self.cells: list[Cell] = []
        self.warnings: list[str] = []

    def _new(self, kind: str, number: int, text: str, value: str = "") -> Cell:
        cell = Cell(kind=kind, value=value)
        if text:
            cell.lines.append((number, text))
        self.cells.append(cell)
        return cell

    def split(self, lines: list[tuple[int, str]]) -> list[Cell]:
        """Cut ``lines`` ((line number, raw text) pairs) into cells."""
        block: list[tuple[int, str]] = []
        for number, raw in [*lines, (0, "")]:
            if raw.rstrip("\n") == "":
                if block:
                    self._block(block)
                block = []
            else:
                block.append((number, raw.rstrip("\n")))
        return self.cells

    def _block(self, block: list[tuple[int, str]]) -> None:
        current: Cell | None = None
        heading_wraps = False
        for index, (number, raw) in enumerate(block):
            line = fix_spacing(raw)
            following = fix_spacing(block[index + 1][1]) if index + 1 < len(block) else ""
            if not line.strip():
                if current is not None:
                    current.lines.append((number, line))
                continue
            if index == 0:
                current = self._block_start(number, line, following)
                heading_wraps = current.kind == HEAD1 and raw.endswith(" ")
                continue
            assert current is not None
            if current.kind == HEAD1 and heading_wraps:
                current.value += " " + line.strip()
                current.lines.append((number, line))
                heading_wraps = False
                continue
            current = self._continue(current, number, line, following)

    def _block_start(self, number: int, line: str, following: str) -> Cell:
        head2 = _HEAD2_RE.match(line)
        if head2:
            return self._new(HEAD2, number, line, value=head2.group("title").strip())
        head1 = _HEAD1_RE.match(line)
        if head1:
            return self._new(HEAD1, number, line, value=head1.group("title").strip())
        num = _NUM_RE.match(line)
        if num:
            self._new(NUM, number, "", value=num.group("number"))
            rest = num.group("rest")
            if rest:
                return self._new(TEXT, number, line[line.index(rest) :])
            return self.cells[-1]
        tail = _DISPLACED_TAIL_RE.match(line)
        previous = self.cells[-1] if self.cells else None
        if tail and previous is not None and previous.kind == TEXT and previous.lines:
            # 000 L570-572 "№ 789 қаулыс" / ":  ы н а", L689-691 "№ 506 бұйр" / " (ығына": the PDF
            # moved the end of a word, with the punctuation after it, below an empty line.
            last_number, last_text = previous.lines[-1]
            head = last_text.rstrip()
            if head[-1:].isalpha():
                joined = f"{head}{tail.group('tail')}{tail.group('punct')}"
                if tail.group("punct") == "(":
                    joined = f"{head}{tail.group('tail')} ("
                previous.lines[-1] = (last_number, joined)
                word = head.split()[-1]
                previous.warnings.append(
                    f"word split by the page layout re-joined: {word!r} + {tail.group('tail')!r}"
                    f" (line {last_number}, {number})"
                )
                return previous
        return self._classified(number, line, following)

    def _classified(self, number: int, line: str, following: str) -> Cell:
        """Start the cell(s) that ``line`` begins; a line may hold the end of one cell and others."""
        kind = _starts(line, following) or TEXT
        if kind == EXEC:
            split = _exec_prefix(line.strip())
            assert split is not None
            head, rest = split
            cell = self._new(EXEC, number, head)
            return self._rest(number, rest, cell)
        if kind in (TEXT, FORM):
            form = _FORM_TAIL_RE.match(line)
            if kind == TEXT and form:
                # 000 L1522 "арттыруға, ОМ-ге": the end of a name and the start of the form.
                self._new(TEXT, number, form.group("text"))
                return self._new(FORM, number, form.group("form"))
        return self._with_trailing_dash(kind, number, line)

    def _with_trailing_dash(self, kind: str, number: int, line: str) -> Cell:
        """A line ending in " -" ("етілмейді -") holds a dash cell after its own text."""
        match = re.match(r"^(?P<text>.*\S)\s+-\s*$", line)
        if match and kind in (AMOUNT, EXEC, DEADLINE):
            cell = self._new(kind, number, match.group("text"))
            self._new(DASH, number, "-")
            return cell
        return self._new(kind, number, line)

    def _rest(self, number: int, rest: str, cell: Cell) -> Cell:
        rest = rest.lstrip()
        if not rest.strip():
            return cell
        if rest.strip() in {"-", "–"}:
            return self._new(DASH, number, "-")
        return self._with_trailing_dash(AMOUNT, number, rest)

    def _continue(self, current: Cell, number: int, line: str, following: str) -> Cell:
        """A line inside a block: more of the current cell, or the start of the next one."""
        stripped = line.strip()
        kind = _starts(line, following)
        order = COLUMN_ORDER.get(current.kind, -1)
        if current.kind == DEADLINE:
            # "желтоқсан ІІМ, ЖАО -", "қыркүйек ОМ, ЖАО": the executors follow on the deadline's line.
            for match in re.finditer(r"\s", stripped):
                split = _exec_prefix(stripped[match.end() :])
                if split is not None:
                    current.lines.append((number, stripped[: match.start()].rstrip()))
                    cell = self._new(EXEC, number, split[0])
                    return self._rest(number, split[1], cell)
        if kind == DASH:
            return self._new(DASH, number, "-")
        forward = kind is not None and kind != current.kind and COLUMN_ORDER.get(kind, 99) > order
        if forward and not (current.kind == EXEC and kind == DEADLINE):
            return self._classified(number, line, following)
        if current.kind == AMOUNT and kind != AMOUNT and not _AMOUNT_CONTINUATION_RE.match(stripped):
            # 000 L142-153: an amount fragment and the end of a name share a block.
            return self._classified(number, line, following)
        if current.kind in (AMOUNT, EXEC, DEADLINE, SOURCE):
            dash = re.match(r"^(?P<text>.*\S)\s+-\s*$", line)
            if dash:
                current.lines.append((number, dash.group("text")))
                return self._new(DASH, number, "-")
        if current.kind == TEXT:
            form = _FORM_TAIL_RE.match(line)
            if form:
                current.lines.append((number, form.group("text")))
                return self._new(FORM, number, form.group("form"))
        current.lines.append((number, line))
        return current
