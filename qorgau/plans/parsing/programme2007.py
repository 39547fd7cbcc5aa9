"""Reader of the programme "Children of Kazakhstan" 2007-2011 (seed 003, Kazakh).

Government Decree N 1245 of 21 December 2007 approves the programme; its section 8 is an action
plan of 43 measures for 2007-2009 in seven columns (number, measure, form of completion, executors,
deadline, estimated cost in mln tenge, funding source). The PDF extraction is badly damaged: row
numbers are lost or glued to text, page breaks interleave the columns, words are letter-spaced and
hyphenated. The pipeline:

1. locate the decree's act, title and reporting clauses, and the table (:func:`_table_bounds`);
2. cut the table into pieces and rows (:mod:`plans.parsing.programme2007_table`);
3. read each row's fields (:mod:`plans.parsing.programme2007_fields`), restoring lost numbers;
4. check the rows' money against the stated totals (:mod:`plans.parsing.programme2007_funding`).
"""

from __future__ import annotations

import re

from plans.parsing.programme2007_fields import read_executors, read_funding
from plans.parsing.programme2007_funding import (
    FundingTotals,
    check_rows,
    check_warnings,
    read_passport_funding,
    read_plan_totals,
    read_section_funding,
    statement_warnings,
)
from plans.parsing.programme2007_table import Row, assemble_rows, split_pieces
from plans.parsing.programme2007_text import clean_lines
from plans.parsing.types import ParsedAct, ParsedMeasure, ParsedPlan

KIND = "programme-2007-2011"

_MONTHS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip
# "Қазақстан Республикасы Үкіметінің 2007 жылғы 21 желтоқсандағы N 1245 Қаулысы" (L6-7).
_ACT_RE = re.compile(
    r"Үкіметінің (?P<year>\d{4}) жылғы (?P<day>\d{1,2}) (?P<month>\w+?)(?:дағы|дегі|тағы|тегі) "
    r"N\s*(?P<number>\d+)\s+Қаулысы"
)
_REPEAL_RE = re.compile(
    r"Күші жойылды - Қазақстан Республикасы Үкіметінің (?P<year>\d{4}) жылғы (?P<day>\d{1,2}) "
    r"(?P<month>\w+?)(?:дағы|дегі|тағы|тегі) № (?P<number>\d+) Қаулысымен"
)
_TITLE_RE = re.compile(r"Қоса беріліп отырған (?P<title>(?P<start>\d{4})\s*-\s*(?P<end>\d{4}) .+?) \(бұдан әрі")
# "Ескерту. 1-бөлімге өзгерту енгізілді - ҚР Үкіметінің 2009.02.02. N 103 Қаулысымен." (L211-212)
_AMENDMENT_RE = re.compile(
    r"Ескерту\. (?P<section>\d+)-бөлімге өзгерту енгізілді - ҚР Үкіметінің "
    r"(?P<year>\d{4})\.(?P<month>\d{2})\.(?P<day>\d{2})\.? N (?P<number>\d+)"
)
_REPORTING_VERB_RE = re.compile(r"ақпарат берсін|есеп берсін")
_SUBITEM_RE = re.compile(r"(?<![\w.])\d+\)\s")
_PARAGRAPH_RE = re.compile(r"^\s+\d+\.\s")


def looks_like(text: str) -> bool:
    """True for the 2007-2011 "Қазақстан балалары" programme: the decree's head names the programme
    and its period, and the text carries an action plan ("іс-шаралар жоспары")."""
    head = " ".join(text[:3000].split())
    return (
        re.search(r"2007\s*-\s*2011 жылдарға арналған \"Қазақстан балалары\" бағдарлама", head) is not None
        and "іс-шаралар жоспары" in text
    )


def _date(year: str, day: str, month: str) -> str | None:
    number = next((value for stem, value in _MONTHS.items() if month.lower().startswith(stem)), None)
    return f"{int(year):04d}-{number:02d}-{int(day):02d}" if number else None


def _head(lines: list[str], count: int = 40) -> str:
    return " ".join(" ".join(lines[:count]).split())


def _read_act(lines: list[str], warnings: list[str]) -> ParsedAct:
    head = _head(lines)
    match = _ACT_RE.search(head)
    if match is None:
        warnings.append("approving decree (number and date) not found in the heading")
        return ParsedAct(type="decree", number="", date="")
    date = _date(match["year"], match["day"], match["month"])
    if date is None:
        warnings.append(f"decree date month {match['month']!r} not recognised")
    repeal = _REPEAL_RE.search(head)
    if repeal:
        # L5-9: the programme is no longer in force; the importer should know it is historical.
        warnings.append(
            f"the decree was repealed by Government Decree N {repeal['number']} of "
            f"{_date(repeal['year'], repeal['day'], repeal['month'])}; the programme is historical"
        )
    return ParsedAct(type="decree", number=match["number"], date=date or "")


def _read_title(lines: list[str], warnings: list[str]) -> tuple[str, int, int]:
    """The programme's name as paragraph 1 of the decree approves it (L13-14)."""
    match = _TITLE_RE.search(_head(lines))
    if match is None:
        warnings.append("programme title not found in paragraph 1 of the decree")
        return "", 0, 0
    return match["title"], int(match["start"]), int(match["end"])


def _read_reporting_rules(lines: list[str]) -> list[dict[str, str]]:
    """The decree's paragraphs that say who reports what to whom and when (L15-24).

    Paragraph 2 lists two duties of the executors; only its sub-item 2) is about reporting, so the
    rule is the paragraph's lead-in followed by that sub-item.
    """
    start = next((i for i, line in enumerate(lines) if "ҚАУЛЫ ЕТЕДІ" in line), None)
    stop = next((i for i, line in enumerate(lines) if "Премьер-Министрі" in line), None)
    if start is None or stop is None:
        return []
    paragraphs: list[list[str]] = []
    for line in lines[start + 1 : stop]:
        if _PARAGRAPH_RE.match(line) or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line)
    rules: list[dict[str, str]] = []
    for paragraph in paragraphs:
        text = clean_lines(paragraph)
        marks = list(_SUBITEM_RE.finditer(text))
        if not marks:
            if _REPORTING_VERB_RE.search(text):
                rules.append({"text": text})
            continue
        lead_in = text[: marks[0].start()].strip()
        for index, mark in enumerate(marks):
            end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
            item = text[mark.start() : end].strip().rstrip(";").strip()
            if _REPORTING_VERB_RE.search(item):
                rules.append({"text": f"{lead_in} {item}"})
    return rules


def _table_bounds(lines: list[str]) -> tuple[int, int]:
    """0-based first and end line of the action plan: after the column-number row "1 2 3 4 5 6 7"
    that follows the plan's heading (L1063-1090), up to the notes ("Ескертпелер", L3011)."""
    # L32 repeats the words in the decree's signature block ("арналған іс-шаралар жоспары"), a stray
    # fragment of the PDF; the plan's own heading comes after the passport and the programme's text.
    heading = next((i for i, line in enumerate(lines) if "іс-шаралар жоспары" in line and i > 100), None)
    if heading is None:
        raise ValueError("action plan heading ('іс-шаралар жоспары') not found")
    numbers = next((i for i in range(heading, len(lines)) if re.fullmatch(r"\s*1 2 3 4 5 6 7\s*", lines[i])), None)
    if numbers is None:
        raise ValueError("the action plan's column-number row not found")
    notes = next((i for i in range(numbers, len(lines)) if lines[i].strip().startswith("Ескертпелер")), len(lines))
    return numbers + 1, notes


def _missing_cells(row: Row) -> list[str]:
    labels = {"name": "measure name", "form": "form of completion", "executors": "executors", "deadline": "deadline"}
    return [f"{label} cell missing" for slot, label in labels.items() if not row.slots[slot].filled]


def _numbers(rows: list[Row]) -> tuple[list[str], list[list[str]]]:
    """The row numbers: printed ones as they are, lost ones counted on from the previous row and
    checked against the next printed number."""
    printed = [int(row.slots["number"].text) if row.slots["number"].filled else None for row in rows]
    numbers: list[str] = []
    notes: list[list[str]] = []
    previous = 0
    for index, value in enumerate(printed):
        if value is not None:
            numbers.append(str(value))
            notes.append([] if value == previous + 1 else [f"row number {value} follows {previous}"])
            previous = value
            continue
        guess = previous + 1
        following = next(((i, v) for i, v in enumerate(printed[index + 1 :], index + 1) if v is not None), None)
        if following is None:
            context = f"after {previous}; no later printed number to confirm it"
        elif following[1] - guess == following[0] - index:
            context = f"between {previous} and {following[1]}"
        else:
            context = f"after {previous}, but the next printed number is {following[1]}: the count does not fit"
        numbers.append(str(guess))
        notes.append([f"row number lost; reconstructed as {guess} ({context})"])
        previous = guess
    return numbers, notes


def _build_measures(rows: list[Row]) -> list[ParsedMeasure]:
    numbers, number_notes = _numbers(rows)
    measures: list[ParsedMeasure] = []
    for row, number, notes in zip(rows, numbers, number_notes, strict=True):
        slots = row.slots
        executors = read_executors(slots["executors"].text)
        funding, funding_warnings = read_funding(slots["amounts"].text, slots["source"].text)
        warnings = [*notes, *row.notes, *_missing_cells(row), *executors.warnings, *funding_warnings]
        measures.append(
            ParsedMeasure(
                number=number,
                section=row.section,
                name=slots["name"].text,
                completion_form=slots["form"].text,
                deadline=slots["deadline"].text,
                executors=executors.names,
                lead_executor=executors.lead,
                by_agreement=executors.by_agreement,
                funding=funding,
                warnings=warnings,
                source_lines=(row.first_line, row.last_line),
            )
        )
    return measures


def read_funding_totals(text: str) -> FundingTotals:
    """The programme's money as the passport, section 6 and the plan's foot state it."""
    lines = text.replace("\r\n", "\n").split("\n")
    start, end = _table_bounds(lines)
    pieces = split_pieces(lines, start, end)
    foot = next((i for i, piece in enumerate(pieces) if "барлық қаражаты" in piece.text), len(pieces))
    return FundingTotals(
        passport=read_passport_funding(lines),
        section=read_section_funding(lines),
        plan=read_plan_totals(pieces[foot:]),
    )


def read(text: str) -> ParsedPlan:
    """Read seed 003's text into a :class:`ParsedPlan` (see the module docstring).

    Raises ValueError when the text has no action plan table (not this document family).
    """
    # The layout signals are trailing and leading spaces of lines: keep them, drop only CR.
    lines = text.replace("\r\n", "\n").split("\n")
    warnings: list[str] = []
    act = _read_act(lines, warnings)
    title, period_start, period_end = _read_title(lines, warnings)
    amendment = _AMENDMENT_RE.search(" ".join(" ".join(lines[:260]).split()))
    if amendment:
        warnings.append(
            f"section {amendment['section']} was amended by decree N {amendment['number']} of "
            f"{amendment['year']}-{amendment['month']}-{amendment['day']}; the text read is the amended one"
        )
    if "күтілетін" in _head(lines, 260):
        # L109-210: results per stage in prose ("... 16,7 %-ға төмендейді"), not a table of
        # indicators with yearly targets, so none are read.
        warnings.append("no target indicators: the passport's expected results are prose per stage, not read")

    start, end = _table_bounds(lines)
    pieces = split_pieces(lines, start, end)
    foot = next((i for i, piece in enumerate(pieces) if "барлық қаражаты" in piece.text), len(pieces))
    if foot == len(pieces):
        warnings.append("the action plan's funding totals not found")
    table = assemble_rows(pieces[:foot])
    measures = _build_measures(table.rows)

    totals = FundingTotals(
        passport=read_passport_funding(lines), section=read_section_funding(lines), plan=read_plan_totals(pieces[foot:])
    )
    warnings.extend(statement_warnings(totals))
    if totals.plan is not None:
        warnings.extend(check_warnings(check_rows(measures, totals.plan)))

    return ParsedPlan(
        title=title,
        language="kk",
        period_start=period_start,
        period_end=period_end,
        act=act,
        sections=table.sections,
        indicators=[],
        measures=measures,
        reporting_rules=_read_reporting_rules(lines),
        warnings=warnings,
        kind=KIND,
    )
