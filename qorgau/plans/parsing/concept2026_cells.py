"""The executors and funding cells of the 2026–2030 Concept's Action Plan (seed 004).

Executors (column 5) are comma-separated abbreviations with annotations, written in several ways
(seed 004 lines in brackets):

* "УПР (по согласованию)", "ГП ( по согласованию )" — by agreement (L1836, L1914);
* "МИО по согласованию с МП, МКИ, МПС, УПР (по согласованию)" — МИО leads, in agreement with the
  ministries that follow (L1930); not "by agreement" in the decree's sense;
* "акиматы областей Абай, Ұлытау, …, городов Астаны и Алматы" — one executor whose region list the
  comma split would scatter (L2038, L2040, L2107);
* a comma lost: "МТСЗН, МП МИО" (L1925), "МИИЦР МП" (L2086);
* the whole cell in parentheses: "(МИО по согласованию с МП, …)" (L2128).

Funding is two cells: the volume ("не требуется", "за счет и в пределах предусмотренных средств",
"за счет внебюджетных средств" — the Concept states no amounts at all) and the source ("РБ", "МБ",
"ВБС", "ОСМС", "-").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from core.reference import agency_records, normalize, resolve_agency_code
from plans.parsing.types import Funding

_BY_AGREEMENT_RE = re.compile(r"\s*\(\s*по согласованию\s*\)\s*$", re.IGNORECASE)
_IN_AGREEMENT_WITH_RE = re.compile(r"^(?P<lead>.+?)\s+по согласованию с\s+(?P<other>.+)$", re.IGNORECASE)
_AKIMAT_RE = re.compile(r"^акимат", re.IGNORECASE)
NOT_REQUIRED = "не требуется"
# The volume column's markers (normalised); none of them is an amount.
_VOLUME_MARKERS = frozenset({
    "не требуется",
    "за счет и в пределах предусмотренных средств",
    "за счет внебюджетных средств",
    "внебюджетных средств",
})  # fmt: skip


@dataclass
class Executors:
    """The executors of one row as written, the by-agreement ones, and what could not be read."""

    names: list[str] = field(default_factory=list)
    by_agreement: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@functools.cache
def _agency_kinds() -> dict[str, str]:
    return {record["code"]: record["kind"] for record in agency_records()}


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside parentheses ("МИО по согласованию с МП, …" keeps its commas apart)."""
    pieces, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            pieces.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    pieces.append("".join(current).strip())
    return [piece for piece in pieces if piece]


def _wrapped(text: str) -> bool:
    """Whether the whole text is one parenthesised group: "(МИО по согласованию с МП, УПР (…))"."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for position, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and position < len(text) - 1:
            return False
    return depth == 0


def _resolves(name: str) -> bool:
    if resolve_agency_code(name) is not None:
        return True
    # A merged akimat entry with its region list: the part before the first comma names the body.
    return bool(_AKIMAT_RE.match(name)) and resolve_agency_code(name.split(",")[0]) is not None


def read_executors(text: str) -> Executors:
    """Read the executors cell: names in order (the first is the lead), by-agreement ones, warnings."""
    result = Executors()
    text = text.strip().rstrip(",").strip()
    if not text:
        result.warnings.append("executors cell is empty")
        return result
    if _wrapped(text):
        result.warnings.append("executors cell is wrapped in parentheses; read without them")
        text = text[1:-1].strip()
    for piece in _split_top_level(text):
        agreed = bool(_BY_AGREEMENT_RE.search(piece))
        name = _BY_AGREEMENT_RE.sub("", piece).strip()
        names = [name]
        if match := _IN_AGREEMENT_WITH_RE.match(name):
            names = [match["lead"].strip(), match["other"].strip()]
        for name in names:
            _add_executor(result, name, agreed)
    return result


def _add_executor(result: Executors, name: str, agreed: bool) -> None:
    if not _resolves(name) and result.names and _AKIMAT_RE.match(result.names[-1]):
        # "акиматы областей Абай, Ұлытау, …": a region of the akimat entry before it.
        result.names[-1] = f"{result.names[-1]}, {name}"
        return
    if not _resolves(name) and " " in name and all(resolve_agency_code(token) for token in name.split()):
        result.warnings.append(f"comma missing between executors {name!r}; read as {', '.join(name.split())}")
        for token in name.split():
            _add_executor(result, token, agreed)
        return
    if name in result.names:
        result.warnings.append(f"executor {name!r} is named twice")
        return
    if not _resolves(name):
        result.warnings.append(f"executor {name!r} is not a known agency")
    result.names.append(name)
    if agreed:
        result.by_agreement.append(name)


def read_funding(volume: str, source: str) -> tuple[Funding, list[str]]:
    """Read the volume and source cells into a :class:`Funding` and the warnings on them.

    ``text`` keeps both cells ("за счет и в пределах предусмотренных средств; РБ"; a "-" source is
    left out). ``sources`` are the source abbreviations, or "не требуется" when the row needs no money.
    ``amounts`` stay empty: the Concept's plan gives no sums, only these markers.
    """
    warnings: list[str] = []
    volume, source = volume.strip(), source.strip()
    parts = [part for part in (volume, source) if part and part != "-"]
    funding = Funding(text="; ".join(parts) or volume or source)
    for name in _split_top_level(source) if source != "-" else []:
        code = resolve_agency_code(name)
        if code is None or _agency_kinds().get(code) != "budget_source":
            warnings.append(f"funding source {name!r} is not a known budget source")
        funding.sources.append(name)
    volume_key = normalize(volume)
    if volume_key == normalize(NOT_REQUIRED):
        if funding.sources:
            warnings.append(f"funding 'не требуется' but a source is named: {', '.join(funding.sources)}")
        else:
            funding.sources.append(NOT_REQUIRED)
    elif volume_key in ("", "-"):
        if not funding.sources:
            warnings.append("funding volume and source are both empty")
    else:
        _check_volume(volume, funding.sources, warnings)
    if not funding.sources and volume_key not in ("", "-") and volume_key != normalize(NOT_REQUIRED):
        warnings.append("funding source is not named")
    return funding, warnings


def _check_volume(volume: str, sources: list[str], warnings: list[str]) -> None:
    """Warn when the volume text is not one of the known markers or contradicts the sources."""
    if re.search(r"\d", volume):
        warnings.append(f"funding volume has figures the reader does not read as yearly amounts: {volume!r}")
    for part in _split_top_level(volume):
        key = normalize(part)
        if key not in _VOLUME_MARKERS and resolve_agency_code(part) is None:
            warnings.append(f"funding volume {part!r} is not a known marker")
    extra = "внебюджетн" in normalize(volume)
    codes = {resolve_agency_code(name) for name in sources}
    if extra and "budget_extra" not in codes:
        warnings.append("funding volume names extra-budgetary funds but the source column does not (ВБС)")
    if not extra and "budget_extra" in codes:
        warnings.append("funding source ВБС but the volume does not name extra-budgetary funds")
