"""The text around the measure table of the 2023–2025 plan: the decree, the title, the indicators.

Seed 000 (the national text) and seed 001 (a school's copy) carry the same decree; only 000 has the
introduction with the nine target indicators.
"""

from __future__ import annotations

import re

from plans.parsing.plan2023_text import squash
from plans.parsing.types import ParsedAct, ParsedIndicator

# Kazakh month names in the locative-adjective form a decree date uses ("31 тамыздағы").
_MONTH_STEMS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip
_ACT_RE = re.compile(
    r"Үкіметінің\s+(?P<year>\d{4})\s+жылғы\s+(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+?)(?:дағы|дегі|тағы|тегі)\s+"
    r"№\s*(?P<number>\d+)\s+қаулы"
)
_PERIOD_RE = re.compile(r"(?P<start>\d{4})\s*[–-]\s*(?P<end>\d{4})\s+жылдарға")
PLAN_TITLE_RE = re.compile(
    r"Балаларды\s+зорлық-зомбылықтан\s+қорғау,.{0,200}?(?P<start>\d{4})\s*[–-]\s*(?P<end>\d{4})\s+жылдарға\s+"
    r"арналған\s+кешенді\s+жоспар",
    re.DOTALL,
)


def parse_act(text: str) -> ParsedAct | None:
    """The approving decree: "Үкіметінің 2023 жылғы 31 тамыздағы № 748 қаулысы"."""
    match = _ACT_RE.search(text)
    if match is None or match.group("month").casefold() not in _MONTH_STEMS:
        return None
    month = _MONTH_STEMS[match.group("month").casefold()]
    date = f"{match.group('year')}-{month:02d}-{int(match.group('day')):02d}"
    return ParsedAct(type="decree", number=match.group("number"), date=date)


def parse_period(text: str) -> tuple[int, int] | None:
    """The plan period from a title: "2023 – 2025 жылдарға" -> (2023, 2025)."""
    match = _PERIOD_RE.search(text)
    return (int(match.group("start")), int(match.group("end"))) if match else None


def reporting_rules(decree: str) -> list[dict[str, str]]:
    """The decree clauses that prescribe who reports what to whom and when, one line each.

    A numbered sub-item ("2) тоқсан сайын ... ақпарат беріп тұрсын") gets the lead-in of its
    paragraph ("Кешенді жоспарды орындауға жауапты ... органдары"), which names who reports.
    """
    text = squash(decree)
    paragraphs = re.split(r"\s(?=\d\.\s+[А-ЯӘҒҚҢӨҰҮҺІа-яәғқңөұүһі])", " " + text)
    rules: list[dict[str, str]] = []
    for paragraph in paragraphs:
        paragraph = paragraph.strip()
        items = re.split(r"\s(?=\d\)\s)", paragraph)
        lead, subitems = items[0], items[1:]
        for item in subitems or [lead]:
            if not re.search(r"ақпарат\s+беріп\s+тұрсын", item):
                continue
            clause = f"{lead.rstrip(':')}: {item}" if subitems else item
            rules.append({"text": squash(clause)})
    return rules


_INDICATOR_START_RE = re.compile(r"^\s*(?P<number>\d)\)\s")
_YEAR_VALUE_RE = re.compile(
    r"(?P<year>\d{4})\s+жылы\s*[–-]\s*(?:қосымша\s+)?(?P<value>\d[\d\s]*(?:,\d+)?)\s*(?P<unit>%|факт|бірлік)?"
)
_ANNUAL_RATE_RE = re.compile(r"жыл\s+сайын\s+(?P<rate>\d+(?:,\d+)?)\s*%-ға\s+(?P<verb>ұлғайту|төмендету|арттыру)")
_LEVEL_RE = re.compile(r"(?P<level>\d+(?:,\d+)?)\s*%(?:-ға\s+дейін)?\s+(?:ұлғайту|қамту)")


def split_indicators(lines: list[str], first: int) -> tuple[list[tuple[int, str]], int]:
    """Collect the numbered indicator items ("1) ...") starting at line index ``first``.

    Returns (start line index, text) pairs with wrapped lines joined, and the index after the list.
    """
    items: list[tuple[int, str]] = []
    index = first
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        if _INDICATOR_START_RE.match(line):
            items.append((index, line.strip()))
        elif items:
            start, text = items[-1]
            items[-1] = (start, text + " " + line.strip())
        index += 1
    return [(start, re.sub(r"\(\s+", "(", squash(text))) for start, text in items], index


def parse_indicator(text: str, period: tuple[int, int]) -> ParsedIndicator:
    """One target indicator: "1) ... (2023 жылы – 1648 факт, 2024 жылы – 1565 факт, ...);".

    The yearly values in the parentheses are the targets. An indicator with a second series
    ("әрекет жасау: ...", suicide attempts) keeps the first as targets and names the second in a
    warning. One stated only as a yearly rate or a level without years gets that value for the
    years it covers, with a warning that says so.
    """
    match = _INDICATOR_START_RE.match(text)
    number = match.group("number") if match else "?"
    body = text[match.end() :].strip() if match else text
    body = body.rstrip(";.").strip()
    indicator = ParsedIndicator(number=number, name=body)
    paren = re.search(r"\((?P<inner>[^()]*\d{4}\s+жылы[^()]*)\)\s*$", body)
    if paren:
        indicator.name = body[: paren.start()].strip()
        inner = paren.group("inner")
        series = re.split(r",\s*(?=[^\W\d_][^\d:]*:)", inner)
        for position, chunk in enumerate(series):
            values = {m.group("year"): m for m in _YEAR_VALUE_RE.finditer(chunk)}
            if position == 0:
                for year, value_match in values.items():
                    indicator.targets[year] = float(value_match.group("value").replace(" ", "").replace(",", "."))
                    indicator.unit = indicator.unit or (value_match.group("unit") or "")
                if "қосымша" in chunk:
                    indicator.warnings.append("the target is an addition ('қосымша') to the current number")
            else:
                label = chunk.split(":")[0].strip()
                listed = ", ".join(f"{y}: {m.group('value').strip()}" for y, m in values.items())
                indicator.warnings.append(f"second target series {label!r} ({listed}) is not stored as targets")
        return indicator
    rate = _ANNUAL_RATE_RE.search(body)
    level = _LEVEL_RE.search(body)
    if rate:
        value = float(rate.group("rate").replace(",", "."))
        indicator.unit = "%"
        for year in range(period[0], period[1] + 1):
            indicator.targets[str(year)] = value
        indicator.warnings.append(
            f"no yearly levels given: the target is a yearly change of {rate.group('rate')} % ({rate.group('verb')})"
        )
    elif level:
        indicator.unit = "%"
        indicator.targets[str(period[1])] = float(level.group("level").replace(",", "."))
        indicator.warnings.append(
            f"no year given: {level.group('level')} % taken as the target for {period[1]}, the end of the plan"
        )
    else:
        indicator.warnings.append("no target values could be read")
    return indicator
