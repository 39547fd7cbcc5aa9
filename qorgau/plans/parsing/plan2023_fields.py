"""Reading the cells of one measure of the 2023–2025 plan: executors, funding, deadline.

Shared by the reader of the national text (seed 000) and of the school's copy (seed 001): once a
row's cells are found, both documents write them the same way.
"""

from __future__ import annotations

import functools
import re
import statistics
from dataclasses import dataclass, field

from core.reference import agency_records, resolve_agency_code
from plans.parsing.plan2023_text import MONTH_RE, squash
from plans.parsing.types import Amount, Funding

# "(келісу бойынша)" is how 000 and 001 write "by agreement"; "(келісім бойынша)" is the other
# Kazakh spelling used in the plans.
_BY_AGREEMENT_RE = re.compile(r"\(\s*келіс(?:у|ім)\s+бойынша\s*\)?")
_LATIN_LOOKALIKES = str.maketrans({
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
    "O": "О", "P": "Р", "T": "Т", "X": "Х", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
})  # fmt: skip
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_SOURCE_KIND = "budget_source"


@dataclass
class Executors:
    """The executor cell as read: abbreviations in order, the "by agreement" ones, and problems."""

    names: list[str] = field(default_factory=list)
    by_agreement: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def fix_lookalikes(token: str) -> str:
    """Latin letters inside a Cyrillic abbreviation (or an all-caps look-alike one) become Cyrillic."""
    if _CYRILLIC_RE.search(token) or (token.isupper() and token.translate(_LATIN_LOOKALIKES) != token):
        return token.translate(_LATIN_LOOKALIKES)
    return token


def _split_top_level(text: str) -> list[str]:
    """Split at commas that are not inside parentheses."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [squash(part) for part in parts if squash(part)]


def parse_executors(text: str) -> Executors:
    """Split an executor cell ("ОМ, ІІМ, БП (келісу бойынша), Еңбекмині") into abbreviations.

    Every name is checked against the Foundation's agency list; one that does not resolve is kept
    as written and reported.
    """
    result = Executors()
    for part in _split_top_level(text):
        agreed = bool(_BY_AGREEMENT_RE.search(part))
        name = squash(_BY_AGREEMENT_RE.sub("", part)).strip(" ,;(")
        name = " ".join(fix_lookalikes(token) for token in name.split())
        if not name:
            continue
        result.names.append(name)
        if agreed:
            result.by_agreement.append(name)
        code = resolve_agency_code(name)
        if code is None:
            result.warnings.append(f"executor {name!r} is not a known agency")
        elif _kind(code) == _SOURCE_KIND:
            result.warnings.append(f"executor {name!r} names a funding source, not an agency")
    return result


@functools.cache
def _records_by_code() -> dict[str, dict[str, str]]:
    return {record["code"]: record for record in agency_records()}


def _kind(code: str) -> str:
    return str(_records_by_code()[code]["kind"])


# A number as the plan prints it: "1 001 355,68", "37,5", and the extraction's "4, 442" (a space
# after the decimal comma).
_NUMBER = r"\d+(?:\s\d{3})*(?:,\s?\d+)?"
_YEAR_AMOUNT_RE = re.compile(rf"(?P<year>\d{{4}})\s*(?:жылы|ж\.)\s*[–-]\s*(?P<value>{_NUMBER})\s*млн")
_PLAIN_AMOUNT_RE = re.compile(rf"(?<![\d,])(?P<value>{_NUMBER})\s*млн")
_NOT_REQUIRED_RE = re.compile(r"^талап\s+етілмейді$", re.IGNORECASE)
_DASHES = {"-", "–", "—"}
# Only trust an outlier check when a row has enough years to compare.
_OUTLIER_FACTOR = 5.0


def _to_float(value: str) -> tuple[float, bool]:
    """Return the number and whether it had the extraction's space after the decimal comma."""
    spaced = ", " in value
    return float(value.replace(" ", "").replace(",", ".")), spaced


def _canonical_source(part: str) -> str | None:
    """The abbreviation as written (РБ, ЖБ) or the Kazakh name of a funding marker; None if unknown."""
    code = resolve_agency_code(part)
    if code is None or _kind(code) != _SOURCE_KIND:
        return None
    if part.isupper() and " " not in part:
        return part
    return str(_records_by_code()[code]["name_kk"])


def _source_parts(text: str) -> list[str]:
    """'РБ (көзделген бюджет қаражаты шегінде)' -> ['РБ', 'көзделген бюджет қаражаты шегінде']."""
    text = squash(text)
    match = re.match(r"^(?P<head>[^()]*?)\s*\((?P<inner>[^()]*)\)?\s*$", text)
    if match and match.group("head"):
        return [match.group("head"), squash(match.group("inner"))]
    return [text.strip("()")] if text else []


def parse_funding(amount_text: str, source_text: str) -> tuple[Funding, list[str]]:
    """Read the two funding cells (estimated expenses, source) of a row into a Funding."""
    amount_text, source_text = squash(amount_text), squash(source_text)
    warnings: list[str] = []
    funding = Funding(text=f"{amount_text or '?'} | {source_text or '?'}")
    if not amount_text:
        warnings.append("funding amount cell is empty")
    if not source_text:
        warnings.append("funding source cell is empty")

    if _NOT_REQUIRED_RE.match(amount_text):
        marker = _canonical_source(amount_text)
        if marker:
            funding.sources.append(marker)
    elif amount_text and amount_text not in _DASHES:
        for match in _YEAR_AMOUNT_RE.finditer(amount_text):
            value, spaced = _to_float(match.group("value"))
            funding.amounts.append(Amount(year=int(match.group("year")), mln_kzt=value))
            if spaced:
                warnings.append(f"amount {match.group('value')!r} read as {value} (space after the decimal comma)")
        if not funding.amounts:
            for match in _PLAIN_AMOUNT_RE.finditer(amount_text):
                value, spaced = _to_float(match.group("value"))
                funding.amounts.append(Amount(year=None, mln_kzt=value))
                if spaced:
                    warnings.append(f"amount {match.group('value')!r} read as {value} (space after the decimal comma)")
        if not funding.amounts:
            warnings.append(f"funding amount {amount_text!r} could not be read")
    warnings.extend(_outliers(funding.amounts))

    if source_text and source_text not in _DASHES:
        for part in _source_parts(source_text):
            canonical = _canonical_source(part)
            if canonical is None:
                warnings.append(f"funding source {part!r} is not a known budget source")
            elif canonical not in funding.sources:
                funding.sources.append(canonical)
    return funding, warnings


def _outliers(amounts: list[Amount]) -> list[str]:
    """Flag a yearly amount far above the row's other years: likely a typing error in the source."""
    yearly = [amount for amount in amounts if amount.year is not None]
    if len(yearly) < 3:
        return []
    warnings = []
    for amount in yearly:
        others = [other.mln_kzt for other in yearly if other is not amount]
        if amount.mln_kzt > _OUTLIER_FACTOR * statistics.median(others):
            warnings.append(
                f"{amount.year} amount {amount.mln_kzt:.2f} mln KZT is over {_OUTLIER_FACTOR:g} times the other years'"
                " (kept as printed; check the source)"
            )
    return warnings


_DEADLINE_START_RE = re.compile(rf"^(?:\d{{4}}\s*жылғы|жыл\s+сайын)\s*{MONTH_RE}\b", re.IGNORECASE)
_MONTHS_ONLY_RE = re.compile(rf"^{MONTH_RE}(?:\s*[,;–-]?\s*{MONTH_RE})*\s*[,;]?$", re.IGNORECASE)


def looks_like_deadline(text: str) -> bool:
    """A deadline cell starts with "2024 жылғы <month>" or "жыл сайын <month>"."""
    return bool(_DEADLINE_START_RE.match(squash(text)))


def is_months_only(text: str) -> bool:
    """A cell fragment that is only month names ("наурыз, маусым"): the rest of a deadline."""
    return bool(_MONTHS_ONLY_RE.match(squash(text)))


def clean_deadline(text: str) -> str:
    """One line; dates that the cell stacked without punctuation get a "; " between them."""
    text = squash(text)
    text = re.sub(rf"({MONTH_RE})\s+(?=\d{{4}}\s*жылғы)", r"\1; ", text)
    return re.sub(r"\s+([,;])", r"\1", text).strip(" ,;")
