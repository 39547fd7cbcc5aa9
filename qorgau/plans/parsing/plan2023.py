"""Reader of seed 000: Government Decree №748 of 31 August 2023, the Comprehensive Plan 2023–2025.

Kazakh; 3 sections, 53 measures, 9 target indicators. The PDF extraction wrote the measure table one
cell after another (see ``plan2023_cells``), so the reader is a pipeline:

1. locate the parts: the decree, the plan title, the indicator list, the table, the glossary;
2. cut the table lines into typed cells (``plan2023_cells``);
3. put the cells into rows (``plan2023_rows``);
4. clean each column (``plan2023_text``) and read executors, funding, deadline (``plan2023_fields``);
5. number the rows, reporting the numbers and rows the extraction lost.
"""

from __future__ import annotations

import re

from plans.parsing.plan2023_cells import CellSplitter
from plans.parsing.plan2023_fields import clean_deadline, parse_executors, parse_funding
from plans.parsing.plan2023_intro import (
    PLAN_TITLE_RE,
    parse_act,
    parse_indicator,
    parse_period,
    reporting_rules,
    split_indicators,
)
from plans.parsing.plan2023_rows import RowAssembler, RowDraft
from plans.parsing.plan2023_text import Lexicon, compact, join_cell_lines, squash
from plans.parsing.types import ParsedAct, ParsedMeasure, ParsedPlan

KIND = "plan-2023-2025"
_GLOSSARY_RE = re.compile(r"^\s*Ескертпе:\s*аббревиатуралардың")
_APPROVED_RE = re.compile(r"^\s*бекітілген\s*$")
_TABLE_START_RE = re.compile(r"^\s*1\.\s+[А-ЯӘҒҚҢӨҰҮҺІ]")


def looks_like(text: str) -> bool:
    """The national text of the 2023–2025 plan: decree №748 and its title, the table not tabulated.

    A school's copy carries the same decree and title but writes the table as tab-separated rows
    (``school_copy.looks_like``).
    """
    head = text[:6000]
    is_plan = bool(PLAN_TITLE_RE.search(head)) and bool(re.search(r"№\s*748\s+қаулы", head))
    tab_rows = sum(1 for line in text.splitlines() if line.count("\t") >= 3)
    return is_plan and tab_rows < 5


def read(text: str) -> ParsedPlan:
    """Read seed 000 into a ParsedPlan (53 measures, 9 indicators, with the extraction's losses as warnings)."""
    lines = text.splitlines()
    warnings: list[str] = []
    lexicon = Lexicon(lines)

    approved = next((i for i, line in enumerate(lines) if _APPROVED_RE.match(line)), 0)
    title_match = PLAN_TITLE_RE.search("\n".join(lines[approved:]))
    title = squash(title_match.group(0)) if title_match else ""
    if not title:
        warnings.append("plan title not found after the approval stamp")
    period = parse_period(title) or (0, 0)
    act = parse_act(squash("\n".join(lines[:40]))) or ParsedAct(type="decree", number="", date="")
    if not act.number:
        warnings.append("approving decree (number and date) not found")

    decree = _between(lines, r"ҚАУЛЫ\s+ЕТЕДІ", r"Премьер-Министрі")
    rules = reporting_rules(decree)
    if not rules:
        warnings.append("no reporting clause found in the decree")

    first_indicator = next(
        (i for i in range(approved, len(lines)) if re.match(r"^\s*1\)\s", lines[i])),
        None,
    )
    indicators = []
    table_from = approved
    if first_indicator is None:
        warnings.append("target indicator list not found")
    else:
        items, table_from = split_indicators(lines, first_indicator)
        indicators = [parse_indicator(item, period) for _, item in items]

    table_start = next((i for i in range(table_from, len(lines)) if _TABLE_START_RE.match(lines[i])), None)
    glossary = next((i for i, line in enumerate(lines) if _GLOSSARY_RE.match(line)), len(lines))
    if table_start is None:
        warnings.append("measure table not found")
        table_start = glossary
    numbered = [(index + 1, lines[index]) for index in range(table_start, glossary)]

    splitter = CellSplitter()
    cells = splitter.split(numbered)
    assembler = RowAssembler()
    drafts = assembler.assemble(cells)
    warnings.extend(splitter.warnings + assembler.warnings)
    warnings.extend(_check_sections(lines, assembler.sections))

    measures = _number_rows([_build(draft, lexicon) for draft in drafts], drafts)
    return ParsedPlan(
        title=title,
        language="kk",
        period_start=period[0],
        period_end=period[1],
        act=act,
        sections=assembler.sections,
        indicators=indicators,
        measures=measures,
        reporting_rules=rules,
        warnings=warnings,
        kind=KIND,
    )


def _between(lines: list[str], start: str, end: str) -> str:
    """The text from the line matching ``start`` (after the match) to the line matching ``end``."""
    text = "\n".join(lines)
    match = re.search(rf"{start}(?P<body>.*?){end}", text, re.DOTALL)
    return match.group("body") if match else ""


def _check_sections(lines: list[str], table_sections: list[str]) -> list[str]:
    """Compare the table's section headings with the list in the introduction (000 L61-65)."""
    intro = squash("\n".join(lines[:140]))
    listed = re.findall(r'(\d)\.\s+"([^"]+)"', intro)
    warnings = []
    for number, title in listed:
        position = int(number) - 1
        if position >= len(table_sections):
            warnings.append(f"section {number} heading missing from the table")
        elif compact(title.rstrip(".")).casefold() != compact(table_sections[position]).casefold():
            warnings.append(
                f"section {number} heading in the table ({table_sections[position]!r}) differs from the"
                f" introduction ({title!r})"
            )
    return warnings


def _column(draft: RowDraft, column: str, lexicon: Lexicon) -> str:
    """A column's cells cleaned and joined: lines of a cell by the cell rules, cells by a space."""
    whole_words = column in ("exec", "amount", "source")
    parts = [
        join_cell_lines([piece for _, piece in cell.lines], lexicon, whole_words=whole_words)
        for cell in draft.columns[column]
    ]
    return squash(" ".join(part for part in parts if part))


def _build(draft: RowDraft, lexicon: Lexicon) -> ParsedMeasure:
    """Turn a row's cells into a measure; every empty field is a warning."""
    warnings = list(draft.warnings)
    name = _column(draft, "name", lexicon)
    form = _column(draft, "form", lexicon)
    deadline = clean_deadline(_column(draft, "deadline", lexicon))
    executors = parse_executors(_column(draft, "exec", lexicon))
    funding, funding_warnings = parse_funding(_column(draft, "amount", lexicon), _column(draft, "source", lexicon))
    if draft.starts_mid_sentence:
        warnings.append("the start of the row (its number and the beginning of the name) is lost")
    for label, value in (("name", name), ("completion form", form), ("deadline", deadline)):
        if not value:
            warnings.append(f"{label} missing")
    if not executors.names:
        warnings.append("executors missing")
    warnings.extend(executors.warnings + funding_warnings)
    return ParsedMeasure(
        number=draft.number or "",
        section=draft.section,
        name=name,
        completion_form=form,
        deadline=deadline,
        executors=executors.names,
        lead_executor=executors.names[0] if executors.names else None,
        by_agreement=executors.by_agreement,
        funding=funding,
        warnings=warnings,
        source_lines=draft.line_span,
    )


def _number_rows(measures: list[ParsedMeasure], drafts: list[RowDraft]) -> list[ParsedMeasure]:
    """Give the rows that lost their number one from their neighbours, and add the lost rows.

    A row without a number gets the next printed number minus one. Numbers the table skips (000
    starts inside row 6: rows 1-5 are not in the extracted text at all) become empty measures whose
    warnings say so, so that the count matches the document and nothing is silently missing.
    """
    for index, measure in enumerate(measures):
        if measure.number:
            continue
        following = next((m.number for m in measures[index + 1 :] if m.number.isdigit()), None)
        if following is not None:
            measure.number = str(int(following) - 1)
            measure.warnings.insert(0, f"row number lost in the extraction; reconstructed as {measure.number}")
        else:
            measure.warnings.insert(0, "row number lost in the extraction; could not be reconstructed")
    result: list[ParsedMeasure] = []
    expected = 1
    first_number = next((int(m.number) for m in measures if m.number.isdigit()), 1)
    for measure in measures:
        if measure.number.isdigit():
            while expected < int(measure.number):
                where = "before the table as extracted begins" if expected < first_number else "in the extracted text"
                result.append(
                    ParsedMeasure(
                        number=str(expected),
                        section=measure.section if expected >= first_number else (drafts[0].section if drafts else ""),
                        name="",
                        warnings=[f"row {expected} is lost {where}: no field could be read"],
                    )
                )
                expected += 1
            expected = int(measure.number) + 1
        result.append(measure)
    return result
