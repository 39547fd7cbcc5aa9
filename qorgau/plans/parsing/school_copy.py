"""Reader of seed 001: a school's copy of the 2023–2025 Comprehensive Plan (School №96).

The school pasted the decree and part of the plan's table into a document of its own; the table came
out as tab-separated rows in which some columns slid by one row. Pipeline:

1. recognise the plan (decree №748, its title, the period) and read the decree clauses;
2. split the table lines into rows and cells; classify each cell by its content;
3. repair the numbering (the copy restarted it at 38: "9", "10", "1" ... "7" for 39-47);
4. re-align the shifted columns (``_realign``) and place the stray cells of a page break;
5. build the measures; with the national reading (seed 000) given, reconcile every row with its
   national measure (``plan2023_reconcile``), fixing its fields and listing the differences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plans.parsing import plan2023_reconcile
from plans.parsing.plan2023 import KIND
from plans.parsing.plan2023_fields import clean_deadline, looks_like_deadline, parse_executors, parse_funding
from plans.parsing.plan2023_intro import PLAN_TITLE_RE, parse_act, parse_period, reporting_rules
from plans.parsing.plan2023_text import squash
from plans.parsing.types import ParsedAct, ParsedMeasure, ParsedPlan

_HEADING_RE = re.compile(r"^(?P<number>\d)\.(?:(?P<sub>\d)\.)?\s+(?P<title>\S.*)$")
_NUMBER_RE = re.compile(r"^(?P<number>\d{1,2})\.?$")
_NUMBER_IN_NAME_RE = re.compile(r"^(?P<number>\d{1,2})\s+(?P<name>[^\d\s].*)$")
_GLOSSARY_RE = re.compile(r"^\s*Ескертпе:\s*аббревиатуралардың")
_AMOUNT_RE = re.compile(r"^талап\s+етілмейді$|млн")
_SOURCE_RE = re.compile(r"^(?:РБ|ЖБ)\b|^бюджеттен\b|^\(?к[өо]зделген\b")
# 001 L100: the web page's "Жүктеу" (Download) button stuck to the last cell.
_DASH_WITH_JUNK_RE = re.compile(r"^-\s*(?P<junk>[^\W\d_]+)$")
FIELDS = ("form", "deadline", "exec", "amount", "source")


@dataclass
class CopyRow:
    """One line of the copy's table, as cells and as the fields they were found to hold."""

    line: int
    kind: str  # "row" (numbered), "tail" (the end of a name, no number), "fragment" (cells only)
    printed: str = ""
    number: str = ""
    name: str = ""
    cells: list[str] = field(default_factory=list)  # the non-empty cells after the name, in order
    fields: dict[str, str] = field(default_factory=dict)
    section: str = ""
    section_line: int = 0  # the line of the last heading above the row
    run: int = 0  # rows of one run are contiguous lines (no empty line or heading between them)
    warnings: list[str] = field(default_factory=list)


def looks_like(text: str) -> bool:
    """A copy of the 2023–2025 plan: its decree and title, with the table as tab-separated rows."""
    head = text[:8000]
    title = PLAN_TITLE_RE.search(head) or re.search(
        r"2023\s*[–-]\s*2025\s+жылдарға\s+арналған\s+кешенді\s+жоспар", head
    )
    tab_rows = sum(1 for line in text.splitlines() if line.count("\t") >= 3)
    return bool(title) and bool(re.search(r"№\s*748\s+қаулы", head)) and tab_rows >= 10


def read(text: str, national: ParsedPlan | None = None) -> ParsedPlan:
    """Read the school's copy; with ``national`` (seed 000 as read) reconcile it with the national text."""
    lines = text.splitlines()
    warnings: list[str] = []
    heading = _copy_heading(lines)
    period = parse_period(heading) or (0, 0)
    act = parse_act(squash(text[:6000])) or ParsedAct(type="decree", number="", date="")
    if not act.number:
        warnings.append("approving decree (number and date) not found in the copy")
    decree = re.search(r"ҚАУЛЫ\s+ЕТЕДІ(?P<body>.*?)Премьер-Министрі", text, re.DOTALL)
    rules = reporting_rules(decree.group("body").replace("*", "")) if decree else []
    if not rules:
        warnings.append("no reporting clause found in the copy's decree text")

    rows, sections = _rows(lines, warnings)
    _renumber(rows)
    _drop_uncertain_sections(rows)
    _realign(rows)
    _place_fragments(rows)
    measures = [_build(row) for row in rows if row.kind != "fragment"]
    plan = ParsedPlan(
        title=heading,
        language="kk",
        period_start=period[0],
        period_end=period[1],
        act=act,
        sections=sections,
        measures=measures,
        reporting_rules=rules,
        warnings=warnings,
        kind=KIND,
    )
    if national is not None:
        plan2023_reconcile.reconcile(plan, national)
    else:
        plan.warnings.append("title is the copy's heading of the decree (read without the national text)")
    return plan


def _copy_heading(lines: list[str]) -> str:
    """The bold heading that names the decree and the plan (001 L19-20), without markdown."""
    text = "\n".join(lines[:60]).replace("*", "")
    match = re.search(r"Балаларды\s+зорлық-зомбылықтан.*?кешенді\s+жоспар\w*(?:\s+бекіту\s+туралы)?", text, re.DOTALL)
    return squash(match.group(0)) if match else ""


def _rows(lines: list[str], warnings: list[str]) -> tuple[list[CopyRow], list[str]]:
    """Split the table (from its first tab-separated line to the glossary) into rows."""
    first = next((i for i, line in enumerate(lines) if line.count("\t") >= 3), None)
    if first is None:
        warnings.append("no tab-separated table found")
        return [], []
    rows: list[CopyRow] = []
    sections: list[str] = []
    section, section_number, section_line = "", "", 0
    run = 0
    for index in range(first, len(lines)):
        raw = lines[index]
        if _GLOSSARY_RE.match(raw):
            break
        cells = [squash(cell.replace("*", "")) for cell in raw.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            run += 1
            continue
        heading = _HEADING_RE.match(cells[0]) if len(cells) == 1 else None
        if heading:
            run += 1
            section_line = index + 1
            if heading.group("sub") is None:
                section, section_number = heading.group("title"), heading.group("number")
                sections.append(section)
            elif heading.group("number") != section_number:
                # 001 L93 "3.2. ...": a subsection of a section whose heading the copy lost.
                section, section_number = "", heading.group("number")
            continue
        row = _row(index + 1, cells, section, run)
        row.section_line = section_line
        rows.append(row)
    return rows, sections


def _drop_uncertain_sections(rows: list[CopyRow]) -> None:
    """A row after a gap in the numbering may lie under a heading the copy lost with the missing
    rows (001: rows 38-47 follow section 2's rows after the gap 31-37): its section is unknown."""
    previous: CopyRow | None = None
    uncertain = False
    for row in rows:
        if row.kind == "fragment" or not row.number.isdigit():
            continue
        if previous is None or previous.section_line != row.section_line:
            uncertain = False
        elif previous.number.isdigit() and int(row.number) != int(previous.number) + 1:
            uncertain = True
        if uncertain:
            row.section = ""
        previous = row


def _row(line: int, cells: list[str], section: str, run: int) -> CopyRow:
    number = _NUMBER_RE.match(cells[0])
    in_name = _NUMBER_IN_NAME_RE.match(cells[0])
    if number and len(cells) > 1:
        row = CopyRow(line=line, kind="row", printed=number.group("number"), name=cells[1], cells=cells[2:])
    elif in_name:
        # 001 L83-91: "9 Қазақстан Республикасында ..." (number and name in one cell)
        row = CopyRow(line=line, kind="row", printed=in_name.group("number"), name=in_name.group("name"))
        row.cells = cells[1:]
    else:
        rest = [cell for cell in cells if cell]
        is_tail = bool(rest) and _classify(rest[0]) == "text" and rest[0][:1].islower() and len(rest[0].split()) >= 4
        if is_tail:
            row = CopyRow(line=line, kind="tail", name=rest[0], cells=rest[1:])
        else:
            row = CopyRow(line=line, kind="fragment", cells=rest)
    row.cells = [cell for cell in row.cells if cell]
    row.section, row.run = section, run
    return row


def _classify(cell: str) -> str:
    """What a cell holds: deadline, exec, amount, source, dash or text (a completion form)."""
    if looks_like_deadline(cell):
        return "deadline"
    if cell in {"-", "–"} or _DASH_WITH_JUNK_RE.match(cell):
        return "dash"
    if _AMOUNT_RE.search(cell):
        return "amount"
    if _SOURCE_RE.match(cell):
        return "source"
    executors = parse_executors(cell)
    # An executor cell starts with a capitalised agency that resolves ("ОМ-ге ақпарат" is a form).
    first_known = bool(executors.names) and not any(
        w.startswith(f"executor {executors.names[0]!r}") for w in executors.warnings
    )
    if first_known and cell[:1].isupper() and not executors.names[0].startswith("ОМ-ге"):
        return "exec"
    return "text"


def _assign(row: CopyRow, cells: list[str]) -> dict[str, str]:
    """Put a row's cells into the five columns by content, keeping their order."""
    fields: dict[str, str] = {}
    kinds = [_classify(cell) for cell in cells]
    for position, (cell, kind) in enumerate(zip(cells, kinds, strict=True)):
        if kind == "dash":
            junk = _DASH_WITH_JUNK_RE.match(cell)
            if junk:
                row.warnings.append(f"text {junk.group('junk')!r} after the last cell removed (web page residue)")
                cell = "-"
            following = kinds[position + 1] if position + 1 < len(kinds) else None
            kind = "amount" if "amount" not in fields and following in ("source", "dash") else "source"
            if "amount" not in fields and following is None and "source" in fields:
                kind = "amount"
        elif kind == "text":
            if "form" not in fields and "deadline" not in fields and "exec" not in fields:
                kind = "form"
            elif "exec" not in fields and "amount" not in fields:
                kind = "exec"  # 001 L68 "әкімдігі": the end of an executor list
            else:
                row.warnings.append(f"cell {cell!r} could not be placed in a column")
                continue
        column = {"deadline": "deadline", "exec": "exec", "amount": "amount", "source": "source"}.get(kind, "form")
        if column in fields:
            row.warnings.append(f"two cells for the {column} column; {cell!r} appended")
            fields[column] = f"{fields[column]} {cell}"
        else:
            fields[column] = cell
    return fields


def _renumber(rows: list[CopyRow]) -> None:
    """Trust printed numbers that keep rising; count the others back from the next trusted one.

    001 L83-91 print "9", "10", "1" ... "7" for rows 39-47: the copy's list numbering restarted. A
    row without a number (the end of a name whose start is not in the copy) takes the next row's
    number minus one.
    """
    last = 0
    trusted: list[bool] = []
    for row in rows:
        ok = row.kind == "row" and int(row.printed) > last
        trusted.append(ok)
        if ok:
            last = int(row.printed)
            row.number = row.printed
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        if row.number or row.kind == "fragment":
            continue
        following = next((r.number for r in rows[index + 1 :] if r.number and r.kind != "fragment"), None)
        if following is None:
            row.warnings.append("row number lost and not reconstructable")
            continue
        row.number = str(int(following) - 1)
        if row.kind == "row":
            row.warnings.append(
                f"row number printed as {row.printed!r} (the copy's numbering restarted); reconstructed as {row.number}"
            )
        else:
            row.warnings.append(f"row number lost in the copy; reconstructed as {row.number}")
            row.warnings.append("only the end of the name is in the copy")


def _realign(rows: list[CopyRow]) -> None:
    """Undo a column shift: in a run that starts with a name-end line carrying cells and ends with
    a numbered row without cells, each row's cells are on the line above it (001 L50-58 for rows
    4-11, L82-91 for rows 39-47), so they move down one row."""
    for run in sorted({row.run for row in rows}):
        members = [row for row in rows if row.run == run and row.kind != "fragment"]
        if len(members) < 2:
            continue
        head, last = members[0], members[-1]
        if head.kind == "tail" and head.cells and last.kind == "row" and not last.cells:
            for upper, lower in zip(reversed(members[:-1]), reversed(members[1:]), strict=True):
                lower.cells = upper.cells
                lower.warnings.append(
                    f"columns shifted by one row in the copy: cells taken from line {upper.line} (lines"
                    f" {head.line}-{last.line} re-aligned)"
                )
            head.cells = []
            head.warnings.append(
                f"its own cells are not in the copy (those on its line belong to row {members[1].number})"
            )
    for row in rows:
        row.fields = _assign(row, row.cells)


def _place_fragments(rows: list[CopyRow]) -> None:
    """Give the cells of a line without number or name to the neighbouring rows.

    001 L68 holds "ОМ-ге ақпарат | 2024 жылғы қаңтар | әкімдігі | талап етілмейді | -": "әкімдігі"
    ends the executor list of row 21 (L66 "... Астана қаласының"), the deadline belongs to row 22,
    whose line (L69) has none, and the rest repeats cells row 22 has.
    """
    for index, row in enumerate(rows):
        if row.kind != "fragment":
            continue
        before = next((r for r in reversed(rows[:index]) if r.kind != "fragment"), None)
        after = next((r for r in rows[index + 1 :] if r.kind != "fragment"), None)
        for column, value in row.fields.items():
            if column == "exec" and value[:1].islower() and before is not None and "exec" in before.fields:
                before.fields["exec"] = f"{before.fields['exec']} {value}"
                before.warnings.append(f"executor list continued on line {row.line} ({value!r}); joined")
            elif after is not None and column not in after.fields:
                after.fields[column] = value
                after.warnings.append(f"{column} taken from line {row.line} (shifted up by one row in the copy)")
            elif after is not None and squash(after.fields[column]) == squash(value):
                continue  # the same cell repeated on the split line
            else:
                target = after or before
                if target is not None:
                    target.warnings.append(f"stray {column} cell {value!r} on line {row.line} not placed")


def _build(row: CopyRow) -> ParsedMeasure:
    """Turn a copy row into a measure; every empty field is a warning."""
    warnings = list(row.warnings)
    fields = row.fields
    executors = parse_executors(fields.get("exec", ""))
    has_cells = any(fields.values())
    funding, funding_warnings = parse_funding(fields.get("amount", ""), fields.get("source", ""))
    labels = (("form", "completion form"), ("deadline", "deadline"), ("exec", "executors"))
    if has_cells:
        for column, label in labels:
            if not fields.get(column):
                warnings.append(f"{label} missing in the copy")
        warnings.extend(executors.warnings + funding_warnings)
    else:
        warnings.append("no cells besides the name in the copy: completion form, deadline, executors, funding missing")
        funding.text = ""
    if not row.section:
        warnings.append("the copy has no section heading above this row")
    return ParsedMeasure(
        number=row.number,
        section=row.section,
        name=row.name,
        completion_form=fields.get("form", ""),
        deadline=clean_deadline(fields.get("deadline", "")),
        executors=executors.names,
        lead_executor=executors.names[0] if executors.names else None,
        by_agreement=executors.by_agreement,
        funding=funding,
        warnings=warnings,
        source_lines=(row.line, row.line),
    )
