"""Funding totals of the 2007 programme (seed 003) and their check against the plan's rows.

The document states its money three times: in the passport (L80-96, two columns, partly
letter-spaced), in section 6 (L963-981, the same figures as prose), both for 2007-2011, and at the
foot of the action plan (L2959-3009) for the years the plan covers, 2007-2009. :class:`ParsedPlan`
has no field for totals, so :func:`read_funding_totals` returns them separately; the reader turns
every disagreement into a plan warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from plans.parsing.programme2007_fields import source_label
from plans.parsing.programme2007_table import AMOUNTS, SOURCE, Piece, source_code
from plans.parsing.programme2007_text import clean_lines, parse_decimal
from plans.parsing.types import ParsedMeasure

_NUMBER = r"\d+(?: \d{3})*(?:,\d+)?"  # "10295,445", "2 425,219" (L83: a space between thousands)
_TOTAL_RE = re.compile(rf"көлемі\s+(?P<value>{_NUMBER})\s*млн")
# The statements name the two budgets in prose: "республикалық бюджет қаражаты есебінен" and
# "жергілікті бюджеттердің қаражаты есебінен" (L83, L90; L967, L973).
_SOURCE_PHRASES = (
    (re.compile(r"республикалық бюджет\w* қаражаты есебінен"), "budget_republican"),
    (re.compile(r"жергілікті бюджет\w* қаражаты есебінен"), "budget_local"),
)
_SOURCE_TOTAL_RE = re.compile(rf"^\s*-?\s*(?P<value>{_NUMBER})\s*млн")
_YEAR_RE = re.compile(rf"(?P<year>\d{{4}}) жыл\w*\s*-\s*(?P<value>{_NUMBER})")
_STATED_SUM_RE = re.compile(rf"Жиыны:\s*(?P<value>{_NUMBER})")
ALL_BUDGETS = "all budgets"  # the plan's "Республикалық және жергілікті бюджеттердің барлық қаражаты"


@dataclass
class FundingStatement:
    """Money as one part of the document states it: a grand total, per source a total and per year."""

    first_line: int
    last_line: int
    total: float | None = None
    source_totals: dict[str, float] = field(default_factory=dict)
    by_year: dict[str, dict[int, float]] = field(default_factory=dict)


@dataclass
class FundingTotals:
    """The three statements of the programme's money."""

    passport: FundingStatement | None
    section: FundingStatement | None
    plan: FundingStatement | None


def _read_statement(text: str, first_line: int, last_line: int) -> FundingStatement:
    statement = FundingStatement(first_line, last_line)
    total = _TOTAL_RE.search(text)
    if total:
        statement.total = parse_decimal(total.group("value"))
    found = sorted(
        ((match.start(), match.end(), code) for pattern, code in _SOURCE_PHRASES for match in pattern.finditer(text)),
    )
    for index, (_, end, code) in enumerate(found):
        stop = found[index + 1][0] if index + 1 < len(found) else len(text)
        part = text[end:stop]
        label = source_label(code)
        source_total = _SOURCE_TOTAL_RE.match(part)
        if source_total:
            statement.source_totals[label] = parse_decimal(source_total.group("value"))
        statement.by_year[label] = {
            int(m.group("year")): parse_decimal(m.group("value")) for m in _YEAR_RE.finditer(part)
        }
    return statement


def _find(lines: list[str], pattern: str, start: int = 0, stop: int | None = None) -> int | None:
    regex = re.compile(pattern)
    for index in range(start, len(lines) if stop is None else stop):
        if regex.search(lines[index]):
            return index
    return None


def read_passport_funding(lines: list[str]) -> FundingStatement | None:
    """The passport's "Қажетті ресурстар және оларды қаржыландыру көздері" row (L80-96).

    The passport is two columns: a label on the left ("ресурстар және", "к ө з д е р і") and the
    value on the right after three or more spaces; lines of the value alone start indented.
    """
    start = _find(lines, r"^Қажетті\s{3,}")
    if start is None:
        return None
    stop = _find(lines, r"қаржыландыру көлемі", start) or start + 20
    right: list[str] = []
    for line in lines[start:stop]:
        if line.startswith("   "):
            right.append(line.strip())
        else:
            parts = re.split(r"\s{3,}", line.strip(), maxsplit=1)
            right.append(parts[1] if len(parts) == 2 else "")
    return _read_statement(clean_lines(right), start + 1, stop)


def read_section_funding(lines: list[str]) -> FundingStatement | None:
    """Section 6, "Қажетті ресурстар және оларды қаржыландыру көздері" (L963-981)."""
    start = _find(lines, r"^\s*6\.\s+Қажетті ресурстар")
    if start is None:
        return None
    stop = _find(lines, r"қаржыландыру көлемі", start) or start + 20
    return _read_statement(clean_lines(lines[start:stop]), start + 1, stop)


def read_plan_totals(pieces: list[Piece]) -> FundingStatement | None:
    """The totals at the foot of the action plan (L2959-3009): each amounts cell is followed by
    the source it belongs to; the first one, before "Соның ішінде" (of which), is for all budgets."""
    if not pieces:
        return None
    statement = FundingStatement(pieces[0].first, pieces[-1].last)
    for index, piece in enumerate(pieces):
        if piece.kind != AMOUNTS:
            continue
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        code = source_code(following.text)[0] if following is not None and following.kind == SOURCE else None
        label = source_label(code) if code else ALL_BUDGETS
        statement.by_year[label] = {
            int(m.group("year")): parse_decimal(m.group("value")) for m in _YEAR_RE.finditer(piece.text)
        }
        stated = _STATED_SUM_RE.search(piece.text)
        if stated:
            statement.source_totals[label] = parse_decimal(stated.group("value"))
        statement.last_line = max(statement.last_line, following.last if following else piece.last)
    return statement


# --- checks -----------------------------------------------------------------------------------


@dataclass
class FundingCheck:
    """The plan's stated amount for a source and year against the sum of its rows."""

    source: str
    year: int
    stated: float
    rows: float
    unattributed: float  # amounts of that year in rows without a source cell

    @property
    def difference(self) -> float:
        """Rows minus stated, rounded to the document's precision (thousands of tenge)."""
        return round(self.rows - self.stated, 3)


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def _signed(value: float) -> str:
    return "0.000" if abs(value) < 0.0005 else f"{value:+.3f}"


def _budget_labels() -> tuple[str, str]:
    return source_label("budget_republican"), source_label("budget_local")


def check_rows(measures: list[ParsedMeasure], plan: FundingStatement) -> list[FundingCheck]:
    """Compare the plan's per-source, per-year totals with the sums of the rows' amounts."""
    sums: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    unattributed: dict[int, float] = defaultdict(float)
    for measure in measures:
        for amount in measure.funding.amounts:
            if amount.year is None:
                continue
            if len(measure.funding.sources) == 1:
                sums[measure.funding.sources[0]][amount.year] += amount.mln_kzt
            else:
                unattributed[amount.year] += amount.mln_kzt
    checks: list[FundingCheck] = []
    for label, years in plan.by_year.items():
        if label == ALL_BUDGETS:
            continue
        for year, stated in sorted(years.items()):
            rows = round(sums[label][year], 3)
            checks.append(FundingCheck(label, year, stated, rows, round(unattributed[year], 3)))
    return checks


def statement_warnings(totals: FundingTotals) -> list[str]:
    """Disagreements inside and between the three statements."""
    warnings: list[str] = []
    named = [("passport", totals.passport), ("section 6", totals.section), ("plan totals", totals.plan)]
    for name, statement in named:
        if statement is None:
            warnings.append(f"funding: {name} not found")
            continue
        where = f"{name} (L{statement.first_line}-{statement.last_line})"
        for label, years in statement.by_year.items():
            stated = statement.source_totals.get(label)
            if stated is not None and round(sum(years.values()), 3) != stated:
                warnings.append(
                    f"funding: {where} {label}: years sum to {_fmt(sum(years.values()))}, stated {_fmt(stated)}"
                )
        # The grand total is "республикалық және жергілікті бюджеттердің барлық қаражаты" (L2959-2963):
        # the two budgets only; extra-budgetary money is stated beside it.
        budgets = _budget_labels()
        parts = [value for label, value in statement.source_totals.items() if label in budgets]
        grand = statement.total if statement.total is not None else statement.source_totals.get(ALL_BUDGETS)
        if grand is not None and parts and round(sum(parts), 3) != grand:
            warnings.append(f"funding: {where}: budgets sum to {_fmt(sum(parts))}, stated total {_fmt(grand)}")
        for year, value in sorted(statement.by_year.get(ALL_BUDGETS, {}).items()):
            year_sum = sum(statement.by_year.get(label, {}).get(year, 0.0) for label in budgets)
            if round(year_sum, 3) != value:
                warnings.append(f"funding: {where} {year}: budgets sum to {_fmt(year_sum)}, stated {_fmt(value)}")
    if totals.passport and totals.section and totals.passport.by_year != totals.section.by_year:
        warnings.append("funding: the passport and section 6 state different yearly amounts")
    if totals.passport and totals.plan:
        covered = {year for years in totals.plan.by_year.values() for year in years}
        for label, years in totals.passport.by_year.items():
            plan_years = totals.plan.by_year.get(label, {})
            for year, value in sorted(years.items()):
                if year in plan_years and plan_years[year] != value:
                    warnings.append(
                        f"funding: {label} {year}: passport {_fmt(value)}, plan totals {_fmt(plan_years[year])}"
                    )
            outside = {year: value for year, value in years.items() if year not in covered}
            if outside:
                years_text = ", ".join(str(year) for year in sorted(outside))
                warnings.append(
                    f"funding: passport {label} for {years_text} ({_fmt(sum(outside.values()))} mln) "
                    f"has no measures: the action plan covers {min(covered)}-{max(covered)} only"
                )
    return warnings


def check_warnings(checks: list[FundingCheck]) -> list[str]:
    """One warning per source and year whose rows do not add up to the plan's total."""
    warnings: list[str] = []
    for check in checks:
        if check.difference == 0:
            continue
        text = (
            f"funding: {check.source} {check.year}: rows sum to {_fmt(check.rows)}, "
            f"plan total {_fmt(check.stated)} (difference {_signed(check.difference)})"
        )
        closed = round(check.rows + check.unattributed - check.stated, 3)
        if check.unattributed and abs(closed) < 0.01:
            # Row 9 (L1446-1451) has amounts and no source cell; say so when they close the gap.
            text += f"; with the {_fmt(check.unattributed)} of rows without a source: {_signed(closed)}"
        warnings.append(text)
    return warnings
