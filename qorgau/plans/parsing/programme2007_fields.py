"""The fields of one row of the 2007 programme's action plan (seed 003): executors and funding.

A row arrives as the cleaned text of its columns (see ``programme2007_table``); this module reads
the executor list and the funding cells into the shape of :mod:`plans.parsing.types`, and says in a
warning whatever it could not read.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from core.reference import LOCAL_EXECUTIVE_CODE, agency_records, resolve_agency_code, resolve_region_code
from plans.parsing.programme2007_table import source_code
from plans.parsing.programme2007_text import parse_decimal
from plans.parsing.types import Amount, Funding

_LEAD_RE = re.compile(r"\(\s*жинақтау\s*\)")
_AGREEMENT_RE = re.compile(r"\(\s*(?:келісім|келісу) бойынша\s*\)")
# "... Балалар қоры (келісім бойынша) ҮЕҰ (келісім бойынша)" (L1876-1886): no comma between two
# executors after an annotation.
_AFTER_ANNOTATION_RE = re.compile(r"(?<=\))\s+(?=[^\W\d_\"]|\")")
# "облыстар, Астана және Алматы қалаларының әкімдіктері" (L2067-2076): the oblasts' akimats listed
# before a comma; the whole phrase is one executor, the local executive bodies.
_OBLASTS_WORD_RE = re.compile(r"^облыстар(?:дың)?$", re.IGNORECASE)


@dataclass
class Executors:
    """The executors of a row as read."""

    names: list[str] = field(default_factory=list)
    lead: str | None = None
    by_agreement: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _split_top_level(text: str) -> list[str]:
    """Split at commas outside parentheses and after an annotation's closing parenthesis."""
    items: list[str] = []
    depth = 0
    current = ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            items.append(current)
            current = ""
            continue
        current += char
    items.append(current)
    out: list[str] = []
    for item in items:
        out.extend(_AFTER_ANNOTATION_RE.split(item))
    return [item.strip() for item in out if item.strip()]


def _resolvable_parts(text: str) -> list[str] | None:
    """Cut ``text`` into executors that each resolve (longest first), or None.

    Two executors without a comma between them: "... әкімдіктері ҮЕҰ" (L2939-2945).
    """
    words = text.split()
    parts: list[str] = []
    while words:
        for cut in range(len(words), 0, -1):
            if resolve_agency_code(" ".join(words[:cut])) is not None:
                parts.append(" ".join(words[:cut]))
                words = words[cut:]
                break
        else:
            return None
    return parts


def read_executors(text: str) -> Executors:
    """Read an executors cell: names in order, the lead (the one marked "(жинақтау)", consolidating
    the reports, else the first), those marked "(келісім бойынша)", and warnings for names that are
    not in the agency reference (kept as written)."""
    result = Executors()
    entries: list[tuple[str, bool, bool]] = []  # (name, lead, by agreement)
    for item in _split_top_level(text):
        lead = bool(_LEAD_RE.search(item))
        agreed = bool(_AGREEMENT_RE.search(item))
        bare = " ".join(_AGREEMENT_RE.sub(" ", _LEAD_RE.sub(" ", item)).split())
        if not bare:
            result.warnings.append(f"executor annotation without a name: {item!r}")
            continue
        parts = [bare] if resolve_agency_code(bare) else (_resolvable_parts(bare) or [bare])
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            entries.append((part, lead and last, agreed and last))
    merged: list[tuple[str, bool, bool]] = []
    for name, lead, agreed in entries:
        if merged and _OBLASTS_WORD_RE.match(merged[-1][0]) and resolve_agency_code(name) == LOCAL_EXECUTIVE_CODE:
            previous = merged.pop()
            name, lead, agreed = f"{previous[0]}, {name}", lead or previous[1], agreed or previous[2]
        merged.append((name, lead, agreed))
    for name, lead, agreed in merged:
        result.names.append(name)
        if agreed:
            result.by_agreement.append(name)
        if lead and result.lead is None:
            result.lead = name
        if not _resolves(name):
            result.warnings.append(f"executor {name!r} is not in the agency reference")
    if result.lead is None and result.names:
        result.lead = result.names[0]
    return result


def _resolves(name: str) -> bool:
    if resolve_agency_code(name) is not None:
        return True
    head, _, rest = name.partition(", ")
    return bool(_OBLASTS_WORD_RE.match(head)) and resolve_agency_code(rest) == LOCAL_EXECUTIVE_CODE


# --- funding ----------------------------------------------------------------------------------

_CAPITAL = "А-ЯӘҒҚҢӨҰҮҺІ"
_REGION_RE = re.compile(rf"(?P<region>[{_CAPITAL}][\w-]*(?:\s+[{_CAPITAL}][\w-]*)*\s+(?:облысы|қ\.))\s*:")
_YEAR_AMOUNT_RE = re.compile(r"(?P<year>\d{4}) жыл\s*-\s*(?P<value>\d+(?:,\d+)?)")
_NOTE_RE = re.compile(r"\([^()]*\)")  # "(құрылыстың басталуы)" = "(start of construction)", L2587-2589


@functools.cache
def _source_labels() -> dict[str, str]:
    """Budget-source code -> the label the plan JSON uses: the Kazakh abbreviation (РБ, ЖБ) when the
    reference has one, else the Kazakh name ("Талап етілмейді", "Бюджеттен тыс қаражат")."""
    labels: dict[str, str] = {}
    for record in agency_records():
        if record["kind"] != "budget_source":
            continue
        abbreviations = [
            alias["text"] for alias in record["aliases"] if alias["lang"] == "kk" and alias["text"].isupper()
        ]
        labels[record["code"]] = abbreviations[0] if abbreviations else record["name_kk"]
    return labels


def source_label(code: str) -> str:
    """The label of a budget-source code (see :func:`_source_labels`)."""
    return _source_labels()[code]


def read_amounts(text: str) -> tuple[list[Amount], list[str]]:
    """Read an amounts cell: "2007 жыл - 5,075; ..." or regions with their years (mln KZT)."""
    amounts: list[Amount] = []
    warnings: list[str] = []
    region: str | None = None
    consumed = [False] * len(text)
    tokens = sorted(
        [(m.start(), m.end(), "region", m) for m in _REGION_RE.finditer(text)]
        + [(m.start(), m.end(), "amount", m) for m in _YEAR_AMOUNT_RE.finditer(text)]
        + [(m.start(), m.end(), "note", m) for m in _NOTE_RE.finditer(text)],
        key=lambda token: token[0],
    )
    for start, end, kind, match in tokens:
        consumed[start:end] = [True] * (end - start)
        if kind == "region":
            region = match.group("region")
            if resolve_region_code(region) is None:
                warnings.append(f"region {region!r} not recognised")
        elif kind == "amount":
            amounts.append(Amount(int(match.group("year")), parse_decimal(match.group("value")), region))
    leftover = "".join(char for char, used in zip(text, consumed, strict=True) if not used)
    if re.search(r"\d", leftover):
        warnings.append(f"amount text not read: {' '.join(leftover.split())!r}")
    warnings.extend(_missing_years(amounts))
    return amounts, warnings


def _missing_years(amounts: list[Amount]) -> list[str]:
    """Warn when most regions of a row share a set of years and a region lacks one of them: a line
    of the cell is probably lost (row 31, L2425-2431: Астана қ. has 2008 only, СҚО 2009 only)."""
    years_by_region: dict[str, set[int]] = {}
    for amount in amounts:
        if amount.region is not None and amount.year is not None:
            years_by_region.setdefault(amount.region, set()).add(amount.year)
    if len(years_by_region) < 3:
        return []
    counts = Counter(frozenset(years) for years in years_by_region.values())
    usual, count = counts.most_common(1)[0]
    if count < 0.8 * len(years_by_region):
        return []
    return [
        f"{region}: no amount for {', '.join(str(year) for year in sorted(usual - years))} "
        f"(the other regions have {', '.join(str(year) for year in sorted(usual))}); a line may be lost"
        for region, years in years_by_region.items()
        if years < usual
    ]


def read_funding(amounts_text: str, source_text: str) -> tuple[Funding, list[str]]:
    """Read a row's funding: the amounts cell (optional) and the funding-source cell."""
    warnings: list[str] = []
    funding = Funding(text="; ".join(part for part in (amounts_text, source_text) if part))
    if amounts_text:
        funding.amounts, amount_warnings = read_amounts(amounts_text)
        warnings.extend(amount_warnings)
    if source_text:
        code, _payer = source_code(source_text)
        if code is None:
            warnings.append(f"funding source {source_text!r} not recognised")
        else:
            funding.sources.append(source_label(code))
    elif amounts_text:
        warnings.append("funding source cell missing; amounts kept without a source")
    else:
        warnings.append("funding cells missing (no amounts, no source)")
    return funding, warnings
