"""Reader of the Concept "Дети Казахстана" 2026–2030 (Government Decree №56 of 29 January 2026; seed 004).

The document (Russian, markdown-ish text of the official publication) is: the decree (L1-27, with the
reporting clauses, paragraphs 2.3 and 3), the Concept (passport L59-64, analysis, section 6 with the
ten target indicators L1772-1794) and its annex, the Action Plan (L1828-2134: 158 tab-separated rows
grouped by four directions and the ten indicators), then the glossary of abbreviations (L2136-2205).

The pipeline: act, title and period from the decree and the passport; the indicators from section 6,
checked against the indicator headings of the plan; the plan table located and split into rows
(:mod:`plans.parsing.concept2026_table`), each row's cells joined and repaired
(:mod:`plans.parsing.concept2026_text`), executors and funding read
(:mod:`plans.parsing.concept2026_cells`); the reporting clauses taken from the decree.
"""

from __future__ import annotations

import re

from core.reference import normalize
from plans.parsing import concept2026_text as text_repair
from plans.parsing.concept2026_cells import read_executors, read_funding
from plans.parsing.concept2026_table import COLUMNS, RawRow, Table, split_rows
from plans.parsing.types import ParsedAct, ParsedIndicator, ParsedMeasure, ParsedPlan

KIND = "concept-2026-2030"

_LOOKS_LIKE_RE = re.compile(r"Концепци\w*\s+\"Дети Казахстана\"\s+на\s+2026\s*[–-]\s*2030")
_ACT_RE = re.compile(
    r"Постановление Правительства Республики Казахстан\s+от\s+(?P<day>\d{1,2})\s+(?P<month>[а-я]+)\s+"
    r"(?P<year>\d{4})\s+года\s+№\s*(?P<number>\d+)"
)
_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
_PASSPORT_NAME_RE = re.compile(r"^Наименование\t(?P<title>.+)$", re.MULTILINE)
_PASSPORT_TERM_RE = re.compile(r"^Сроки реализации\t(?P<start>\d{4})\s*[–-]\s*(?P<end>\d{4})", re.MULTILINE)
_INDICATORS_HEADING_RE = re.compile(r"Целевые индикаторы:")
_INDICATORS_END_RE = re.compile(r"ожидаемые результаты|^#|^Раздел", re.IGNORECASE)
_INDICATOR_ITEM_RE = re.compile(r"^(?P<number>\d{1,2})\)\s*(?P<body>.+?)[;.]?\s*$")
_TARGETS_START_RE = re.compile(r"\(\s*\d{4} год\s*[–-]")
_TARGET_RE = re.compile(
    r"(?P<year>\d{4}) год\s*[–-]\s*(?P<prefix>на\s+|не менее\s+|не более\s+)?(?P<value>\d+(?:,\d+)?)\s*"
    r"(?P<unit>%|балл\w*)?"
)
_DECREE_END_RE = re.compile(r"Премьер-Министр|^Утверждена", re.MULTILINE)
_PARAGRAPH_RE = re.compile(r"^(?P<number>\d+)\.\s+(?P<text>.+)$")
_SUBPARAGRAPH_RE = re.compile(r"^(?P<number>\d+)\)\s+(?P<text>.+)$")
_REPORTING_RE = re.compile(r"не позднее|представлять информацию|отчет\w* о ходе", re.IGNORECASE)
_MARKDOWN_RE = re.compile(r"\*\*|^#+\s*")
_COLUMN_LABELS = {"name": "name", "form": "form of completion", "deadline": "deadline"}


def looks_like(text: str) -> bool:
    """Whether ``text`` is the Concept "Дети Казахстана" 2026–2030 (with or without its decree)."""
    return bool(_LOOKS_LIKE_RE.search(text)) and "План действий" in text


def read(text: str) -> ParsedPlan:
    """Read the Concept 2026–2030 and its Action Plan into a :class:`ParsedPlan`."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    warnings: list[str] = []
    table = split_rows(lines)
    if table is None:
        warnings.append("Action Plan table not found (no '№ п/п' header line); no measures read")
        prose = lines
    else:
        warnings.extend(table.warnings)
        # The document's prose outside the table is the spelling list for repairing the table's words.
        prose = lines[: table.first_line - 1] + lines[table.last_line :]
    vocab = text_repair.vocabulary(prose)
    start, end = _period(text, warnings)
    plan = ParsedPlan(
        title=_title(text, warnings),
        language="ru",
        period_start=start,
        period_end=end,
        act=_act(text, warnings),
        kind=KIND,
        warnings=warnings,
    )
    plan.indicators = _indicators(lines, table, warnings)
    if table is not None:
        plan.sections = list(table.directions)
        plan.measures = [_measure(row, vocab) for row in table.rows]
        _check_numbers(plan.measures, warnings)
        if not any(measure.funding.amounts for measure in plan.measures):
            warnings.append(
                "the Action Plan states no funding amounts and no total: its funding columns hold only markers "
                "('не требуется', 'за счет и в пределах предусмотренных средств', …) and sources; amounts are empty"
            )
    plan.reporting_rules = _reporting_rules(text, warnings)
    return plan


# --- act, title, period ---------------------------------------------------------------------


def _act(text: str, warnings: list[str]) -> ParsedAct:
    match = _ACT_RE.search(text)
    if match is None or match["month"] not in _MONTHS:
        warnings.append("approving decree (number and date) not found")
        return ParsedAct(type="decree", number="", date="")
    date = f"{match['year']}-{_MONTHS[match['month']]:02d}-{int(match['day']):02d}"
    return ParsedAct(type="decree", number=match["number"], date=date)


def _title(text: str, warnings: list[str]) -> str:
    match = _PASSPORT_NAME_RE.search(text)
    if match is not None:
        return " ".join(match["title"].split())
    match = _LOOKS_LIKE_RE.search(text)
    warnings.append("the passport's 'Наименование' row not found; title taken from the first mention")
    return f"{match.group(0)} годы" if match else ""


def _period(text: str, warnings: list[str]) -> tuple[int, int]:
    match = _PASSPORT_TERM_RE.search(text) or re.search(r"на (?P<start>\d{4})\s*[–-]\s*(?P<end>\d{4}) годы", text)
    if match is None:
        warnings.append("period of implementation not found")
        return 0, 0
    return int(match["start"]), int(match["end"])


# --- indicators -----------------------------------------------------------------------------


def _indicators(lines: list[str], table: Table | None, warnings: list[str]) -> list[ParsedIndicator]:
    """The target indicators of section 6 (L1776-1794), checked against the plan's indicator headings."""
    start = next((i for i, line in enumerate(lines) if _INDICATORS_HEADING_RE.search(line)), None)
    if start is None:
        warnings.append("section 6 'Целевые индикаторы' not found; indicators read from the plan's headings")
    indicators: list[ParsedIndicator] = []
    for index in range(start + 1, len(lines)) if start is not None else ():
        line = _MARKDOWN_RE.sub("", lines[index]).strip()
        if _INDICATORS_END_RE.search(line):
            break
        if match := _INDICATOR_ITEM_RE.match(line):
            indicators.append(_indicator(match["number"], match["body"], index + 1))
    headings = table.indicators if table is not None else {}
    if not indicators:
        indicators = [_indicator(number, body, line) for number, (line, body) in headings.items()]
    if not indicators:
        warnings.append("no target indicators found")
    for indicator in indicators:
        heading = headings.get(indicator.number)
        if heading is None:
            indicator.warnings.append("no heading for this indicator in the Action Plan")
            continue
        in_plan = _indicator(indicator.number, heading[1], heading[0])
        if in_plan.targets != indicator.targets or normalize(in_plan.name) != normalize(indicator.name):
            indicator.warnings.append(f"the Action Plan's heading (L{heading[0]}) differs: {heading[1]!r}")
        indicator.name = in_plan.name  # the plan capitalises the name; section 6 lists it in lower case
    for number in sorted(set(headings) - {indicator.number for indicator in indicators}, key=int):
        warnings.append(f"indicator {number} is in the Action Plan but not in section 6")
    return indicators


def _indicator(number: str, body: str, lineno: int) -> ParsedIndicator:
    """One indicator from "name (2026 год – 61,5 балла, …, 2030 год – 68 баллов)"."""
    start = _TARGETS_START_RE.search(body)
    name = body[: start.start()] if start else body
    name = " ".join(name.split()).rstrip(" ;.")
    indicator = ParsedIndicator(number=number, name=name[:1].upper() + name[1:])
    if start is None:
        indicator.warnings.append(f"L{lineno}: no yearly targets found")
        return indicator
    units: set[str] = set()
    qualified: list[str] = []
    for match in _TARGET_RE.finditer(body, start.start()):
        indicator.targets[match["year"]] = float(match["value"].replace(",", "."))
        units.add("балл" if (match["unit"] or "").startswith("балл") else match["unit"] or "")
        if match["prefix"]:
            qualified.append(match.group(0).strip())
    if qualified:
        # Indicator 10 (L1794): "2026 год – на 5 %" is an increase, not a level; the number is kept.
        indicator.warnings.append(f"targets are qualified, read as the bare numbers: {'; '.join(qualified)}")
    if len(units) == 1:
        indicator.unit = units.pop()
    else:
        indicator.warnings.append(f"L{lineno}: targets have different units: {sorted(units)}")
    return indicator


# --- measures -------------------------------------------------------------------------------


def _column_text(row: RawRow, index: int, vocab: frozenset[str], notes: list[str]) -> str:
    """One column of a row: its pieces cleaned of markup, joined across lines, broken words repaired."""
    pieces = []
    for piece in row.column(index):
        piece, dropped = text_repair.strip_markup(piece)
        notes.extend(dropped)
        pieces.append(text_repair.tidy(piece))
    if COLUMNS[index] in ("volume", "source") and any(p not in ("", "-") for p in pieces):
        # "-" on the numbered line and "не требуется" on the fragment (row 23, L1872/L1874): one cell.
        pieces = [piece for piece in pieces if piece != "-"]
    joined = ""
    for piece in pieces:
        joined, repair = text_repair.join_pieces(joined, piece, vocab)
        if repair:
            notes.append(repair)
    joined, repairs = text_repair.repair_words(joined, vocab)
    notes.extend(repairs)
    if COLUMNS[index] in ("name", "form"):
        joined, repairs = text_repair.join_spaced_digits(joined)
        notes.extend(repairs)
    return text_repair.tidy(joined)


def _measure(row: RawRow, vocab: frozenset[str]) -> ParsedMeasure:
    warnings = list(row.warnings)
    if row.before or row.after:
        others = [str(n) for n, _ in row.before] + [str(n) for n, _ in row.after]
        warnings.append(f"row {row.number} continues on line(s) {', '.join(others)}; cell text joined")
    cells: dict[str, str] = {}
    for index, column in enumerate(COLUMNS[1:], start=1):
        notes: list[str] = []
        cells[column] = _column_text(row, index, vocab, notes)
        if notes:
            warnings.append(f"{column}: repaired extraction damage: {'; '.join(notes)}")
        warnings.extend(
            f"{column}: stray letters left as written: {context!r}"
            for context in text_repair.stray_letters(cells[column], vocab)
            if column in ("name", "form", "deadline")  # abbreviations ("МО", "МТ") are not residue
        )
    for column in ("name", "form", "deadline"):
        if not cells[column]:
            warnings.append(f"{_COLUMN_LABELS[column]} cell is empty")
    executors = read_executors(cells["executors"])
    funding, funding_warnings = read_funding(cells["volume"], cells["source"])
    if not row.direction:
        warnings.append("row is not under a direction heading")
    return ParsedMeasure(
        number=row.number,
        section=row.direction,
        name=cells["name"],
        completion_form=cells["form"],
        deadline=cells["deadline"],
        executors=executors.names,
        lead_executor=executors.names[0] if executors.names else None,
        by_agreement=executors.by_agreement,
        funding=funding,
        warnings=warnings + executors.warnings + funding_warnings,
        source_lines=(row.first_line, row.last_line),
    )


def _check_numbers(measures: list[ParsedMeasure], warnings: list[str]) -> None:
    """Row numbers must run 1, 2, 3 … without gaps or repeats; say where they do not."""
    expected = 1
    for measure in measures:
        number = int(measure.number)
        if number != expected:
            message = f"row number {number} where {expected} was expected"
            measure.warnings.append(message)
            warnings.append(message)
        expected = number + 1


# --- reporting ------------------------------------------------------------------------------


def _reporting_rules(text: str, warnings: list[str]) -> list[dict[str, str]]:
    """The decree's reporting clauses, one line each; a subparagraph carries its paragraph's lead-in.

    Decree №56 (L9-27): paragraph 2 names the executors and subparagraph 3) their deadline (1 April,
    to the Ministry of Education); paragraph 3 the Ministry's (1 May, to the state planning authority,
    published except restricted information).
    """
    end = _DECREE_END_RE.search(text)
    decree = text[: end.start()] if end else ""
    rules: list[dict[str, str]] = []
    lead_in = ""
    for raw in decree.split("\n"):
        line = " ".join(_MARKDOWN_RE.sub("", raw).split())
        if match := _PARAGRAPH_RE.match(line):
            lead_in = match["text"] if match["text"].endswith(":") else ""
            if _REPORTING_RE.search(match["text"]):
                rules.append({"text": match["text"]})
        elif (match := _SUBPARAGRAPH_RE.match(line)) and _REPORTING_RE.search(match["text"]):
            rules.append({"text": f"{lead_in} {match['text']}".strip()})
    if not rules:
        warnings.append("no reporting clause found in the decree")
    return rules
