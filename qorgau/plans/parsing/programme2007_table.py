"""The action-plan table of the 2007 programme (seed 003): pieces, their kinds, and rows.

The PDF extraction prints one table cell after another, separated by blank lines, with three blank
lines at a page break. Three layout signals of the extraction are used, all checked on the seed:

* a line that ends with a space continues in the next text block of its column; the last line of a
  cell has no trailing space. A cell still "open" at a page break continues on the next page;
* a line that starts with a space starts a new text block glued to the previous one without a blank
  line: ``Т а л а п етілмейді`` + `` Жетім балаларға ...`` (L2548-2555), the next row's name
  starting inside the previous row's funding cell;
* after a page break every column of the row that was cut resumes in column order (row 3,
  L1179-1215: name, form and executors are cut, then continue after the break).

The pipeline is: :func:`split_pieces` (blank lines, leading-space blocks, row numbers glued to a
name) -> :func:`classify` (number, section, executors, deadline, amounts, funding source or plain
text) -> :func:`assemble_rows` (a small state machine that fills the seven columns of each row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.reference import agency_records, resolve_agency_code, resolve_region_code
from plans.parsing.programme2007_text import MONTH_RE, clean_lines, join_fragments

SLOTS = ("number", "name", "form", "executors", "deadline", "amounts", "source")

# Piece kinds.
NUMBER, SECTION, EXEC, DEADLINE, AMOUNTS, SOURCE, TEXT = (
    "number", "section", "executors", "deadline", "amounts", "source", "text",
)  # fmt: skip
_SLOT_OF_KIND = {EXEC: "executors", DEADLINE: "deadline", AMOUNTS: "amounts", SOURCE: "source"}

_BARE_NUMBER_RE = re.compile(r"^(\d{1,2})\s*$")
_NUMBER_GLUED_RE = re.compile(r"^(\d{1,2}) (?=[^\W\d_])")  # "3 меттік зерттеу-" (L1194)
_SECTION_RE = re.compile(r"^(\d)\.\s+(?=[^\W\d_])")
# "2007 жыл - 230,967" (L1446-1451), "- 0,061" (L2256), "Ақтөбе облысы:" (L1613); not the deadline
# "2008 жыл" (L2797-2798).
_AMOUNTS_RE = re.compile(r"\b\d{4} жыл\s*-|^-\s*\d|(?:облысы|қ\.):")
_DEADLINE_RE = re.compile(rf"^(?:20\d\d\b|жыл\s+сайын|\d{{1,2}}\s+(?:{MONTH_RE.pattern}))", re.IGNORECASE)
_ANNOTATION_RE = re.compile(r"\((?:жинақтау|келісім|келісу)|^\(?келісім|^бойынша\)")


@dataclass
class Piece:
    """A block of consecutive lines that belongs to one table cell (or to part of one)."""

    lines: list[tuple[int, str]]  # (1-based line number, raw line)
    page_break_before: bool = False
    kind: str = TEXT
    text: str = ""

    @property
    def first(self) -> int:
        """The first line number."""
        return self.lines[0][0]

    @property
    def last(self) -> int:
        """The last line number."""
        return self.lines[-1][0]

    @property
    def open(self) -> bool:
        """True when the block's last line ends with a space: its cell continues elsewhere."""
        return self.lines[-1][1].endswith(" ")

    @property
    def continues(self) -> bool:
        """True when the text can only be the rest of a cell begun earlier (it starts in lowercase)."""
        first = self.text.lstrip("(")
        return first[:1].islower()


@dataclass
class Slot:
    """One column of a row: its cleaned text and whether the cell is still open."""

    text: str = ""
    open: bool = False
    filled: bool = False
    displaced: bool = False  # printed before the row's name (row 30, L2217-2219)

    def put(self, piece: Piece) -> None:
        """Add a piece's text to this column."""
        self.text = join_fragments(self.text, piece.text) if self.filled else piece.text
        self.filled = True
        self.open = piece.open or self.text.endswith("-") or self.text.count("(") > self.text.count(")")


@dataclass
class Row:
    """A row of the action plan as assembled from pieces."""

    section: str
    slots: dict[str, Slot] = field(default_factory=lambda: {name: Slot() for name in SLOTS})
    first_line: int = 0
    last_line: int = 0
    continuing: bool = False  # a page break cut this row; its open columns resume in order
    notes: list[str] = field(default_factory=list)  # layout repairs worth a warning

    def touch(self, piece: Piece) -> None:
        """Extend the row's line range to the piece."""
        self.first_line = min(self.first_line or piece.first, piece.first)
        self.last_line = max(self.last_line, piece.last)

    def complete(self) -> bool:
        """True when the funding source is in and closed: the next name starts a new row."""
        source = self.slots["source"]
        return source.filled and not source.open

    def later_filled(self, slot: str) -> bool:
        """True when a column right of ``slot`` is filled (displaced text does not count)."""
        index = SLOTS.index(slot)
        return any(self.slots[name].filled and not self.slots[name].displaced for name in SLOTS[index + 1 :])

    def accepts(self, slot: str) -> bool:
        """Can this row take a new cell (not a continuation) in ``slot``?"""
        target = self.slots[slot]
        if self.continuing:
            return not target.filled or target.open
        if target.filled:
            # On the same page a cell continues only when it was printed out of place (row 30's
            # "Ақмола облысы: 2009 жыл", L2217-2219) or cut inside a word.
            return target.open and (target.displaced or target.text.endswith("-")) and not self.later_filled(slot)
        return not self.later_filled(slot)


# --- pieces -----------------------------------------------------------------------------------


def split_pieces(lines: list[str], start: int, end: int) -> list[Piece]:
    """Cut lines ``start``..``end`` (0-based, end exclusive) into pieces."""
    pieces: list[Piece] = []
    current: list[tuple[int, str]] = []
    blank_run = 0
    page_break = False

    def flush() -> None:
        nonlocal current, page_break
        if current:
            pieces.append(Piece(current, page_break_before=page_break))
            page_break = False
        current = []

    for index in range(start, end):
        raw = lines[index].rstrip("\n")
        if not raw.strip():
            flush()
            blank_run += 1
            continue
        if blank_run >= 3:
            page_break = True
        blank_run = 0
        if raw.startswith(" ") and current:
            flush()  # a new text block glued to the previous one (L1839, L2220, L2550, ...)
        if not current and _BARE_NUMBER_RE.match(raw):
            current = [(index + 1, raw)]
            flush()  # "14" then the name on the next line (L1596-1597)
            continue
        glued = _NUMBER_GLUED_RE.match(raw) if not current else None
        if glued and _is_row_number_glued(raw[glued.end() :]):
            current = [(index + 1, glued.group(1))]
            flush()  # "3 меттік зерттеу-" (L1194): the number and the rest of a cut name
            current = [(index + 1, raw[glued.end() :])]
            continue
        current.append((index + 1, raw))
    flush()
    for piece in pieces:
        piece.text = clean_lines(raw for _, raw in piece.lines)
        piece.kind = classify(piece.text)
    return pieces


def _is_row_number_glued(rest: str) -> bool:
    """A row number glued to a lowercase word is the number and the rest of a cut name."""
    return rest[:1].islower() and not MONTH_RE.match(rest)


# --- kinds ------------------------------------------------------------------------------------


def _budget_spellings() -> list[str]:
    spellings: list[str] = []
    for record in agency_records():
        if record["kind"] == "budget_source":
            spellings.extend([record["name_kk"], *(alias["text"] for alias in record["aliases"])])
    return [spelling.lower() for spelling in spellings]


def source_code(text: str) -> tuple[str | None, str]:
    """Return (budget-source code, what follows it) for a funding-source cell, or (None, "").

    "Бюджеттен тыс қаражат есебінен ХЕҰ" (L1863-1867) names the source and then the organisation
    that pays; the trailing words are returned so the caller can keep them.
    """
    words = text.split()
    for cut in range(len(words), 0, -1):
        code = resolve_agency_code(" ".join(words[:cut]))
        if code is not None and code.startswith("budget_"):
            return code, " ".join(words[cut:])
    return None, ""


def _is_source_fragment(text: str) -> bool:
    """A source cell cut by a page break: "Жергі-" (L2334), completed by "лікті бюджет" (L2338)."""
    if not text.endswith("-") or " " in text:
        return False
    stem = text[:-1].lower()
    return any(spelling.startswith(stem) for spelling in _budget_spellings())


def _is_region_list(text: str) -> bool:
    """Region names joined by "және" and cut before "облыстарының": an executor fragment of row 20
    ("Алматы және Оңтүстік Қазақстан облыста-", L1834-1838)."""
    words = [word for word in re.split(r"\s+", text.rstrip("-")) if word and word != "және"]
    if not words or not re.match(r"облыс", words[-1]):
        return False
    words = words[:-1]
    while words:
        for size in (3, 2, 1):
            if len(words) >= size and resolve_region_code(" ".join(words[:size])):
                words = words[size:]
                break
        else:
            return False
    return True


def _looks_like_executors(text: str) -> bool:
    if _ANNOTATION_RE.search(text):
        return True
    items = [item.strip() for item in re.split(r",", text) if item.strip()]
    if any(len(item.split()) > 8 for item in items):
        return False  # prose, not a list of bodies
    resolved = [resolve_agency_code(item) for item in items]
    if any(code is not None and not code.startswith("budget_") for code in resolved):
        return True
    return _is_region_list(text)


def classify(text: str) -> str:
    """Return the kind of a cleaned piece of the table."""
    if _BARE_NUMBER_RE.match(text):
        return NUMBER
    if _SECTION_RE.match(text):
        return SECTION
    if source_code(text)[0] is not None or _is_source_fragment(text):
        return SOURCE
    if _AMOUNTS_RE.search(text):
        return AMOUNTS
    if _DEADLINE_RE.match(text):
        return DEADLINE
    if _looks_like_executors(text):
        return EXEC
    return TEXT


# --- rows -------------------------------------------------------------------------------------


@dataclass
class Table:
    """What the table holds: rows (each with its section) and the section titles in order."""

    rows: list[Row]
    sections: list[str]


def _continuation_target(row: Row, kind: str) -> str | None:
    """The column a lowercase piece continues: its own column when the piece's kind names one and
    that column is open ("(келісім бойынша)" after a break, L2046-2047); else the first open column
    ending in a hyphen, else the first open one. Columns resume in order after a page break or an
    interleaving (row 20, L1829-1856)."""
    own = _SLOT_OF_KIND.get(kind)
    if own is not None and row.slots[own].filled and row.slots[own].open:
        return own
    open_slots = [name for name in SLOTS[1:] if row.slots[name].filled and row.slots[name].open]
    for name in open_slots:
        if row.slots[name].text.endswith("-"):
            return name
    return open_slots[0] if open_slots else None


def _slot_for(row: Row, kind: str) -> str | None:
    """The column a new (not continuing) piece of ``kind`` goes to in ``row``, or None."""
    if kind == TEXT:
        name = row.slots["name"]
        if not name.filled or (row.continuing and name.open):
            return "name" if row.accepts("name") else None
        return "form" if row.accepts("form") else None
    slot = _SLOT_OF_KIND.get(kind)
    return slot if slot and row.accepts(slot) else None


def assemble_rows(pieces: list[Piece]) -> Table:
    """Fill rows from the pieces in reading order (see the module docstring)."""
    rows: list[Row] = []
    sections: list[str] = []
    section_text = ""
    section_open = False  # a heading can continue in a following lowercase piece (L1638, L2730)
    row: Row | None = None

    def new_row() -> Row:
        nonlocal row
        row = Row(section=section_text)
        rows.append(row)
        return row

    for piece in pieces:
        if piece.page_break_before and row is not None:
            row.continuing = True
        if piece.kind == SECTION:
            row = None
            section_text = _SECTION_RE.sub("", piece.text)
            sections.append(section_text)
            section_open = True
            continue
        if row is None and section_open and piece.continues:
            section_text = join_fragments(section_text, piece.text)
            sections[-1] = section_text
            continue
        section_open = False
        if piece.kind == NUMBER:
            if row is not None and not row.slots["number"].filled and not row.complete():
                row.notes.append(f"row number printed after the start of the row (L{piece.first})")
            else:
                row = new_row()
            row.slots["number"].put(piece)
            row.touch(piece)
            continue
        if row is not None and piece.continues:
            target = _continuation_target(row, piece.kind)
            if target is not None:
                row.slots[target].put(piece)
                row.touch(piece)
                continue
        target = _slot_for(row, piece.kind) if row is not None else None
        if row is None or target is None:
            row = new_row()
            target = _slot_for(row, piece.kind) or "name"
            if target != "name":
                row.slots[target].displaced = True
                row.notes.append(f"{target} text printed before the row's name (L{piece.first}-{piece.last})")
        if piece.kind == EXEC and target == "executors" and _is_region_list(piece.text) and row.slots["name"].open:
            row.notes.append(f"executors printed inside the name cell (L{piece.first}-{piece.last}); moved")
            row.slots[target].displaced = True
        row.slots[target].put(piece)
        row.touch(piece)
    return Table(rows=rows, sections=sections)
