"""Periods as the plans write them, and the reporting periods a plan's decree prescribes.

Two kinds of period meet here. A *deadline period* is an entry of a measure's schedule ("2026-12",
"2008-Q3", "2027"); a *reporting period* is what an executors' report covers ("2023-Q4", "2008-H1",
"2026"). Both become a :class:`Period` with first and last day, so they can be compared.
"""

from __future__ import annotations

import calendar as cal
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from plans.reporting import ReportingRule, calendar, rules_from_clauses

_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: a month, a quarter, a half-year or a year, with its first and last day."""

    end: date
    start: date
    label: str

    @classmethod
    def parse(cls, label: str) -> Period:
        """``"2026"``, ``"2026-Q4"``, ``"2026-H1"`` or ``"2026-05"``; anything else is a ValueError."""
        match = _PERIOD_RE.match(label.strip())
        if not match:
            raise ValueError(f"not a period: {label!r}")
        year = int(match.group(1))
        month, quarter, half = match.group(2), match.group(3), match.group(4)
        if month:
            first = last = int(month)
        elif quarter:
            first, last = 3 * int(quarter) - 2, 3 * int(quarter)
        elif half:
            first, last = 6 * int(half) - 5, 6 * int(half)
        else:
            first, last = 1, 12
        return cls(date(year, last, cal.monthrange(year, last)[1]), date(year, first, 1), label.strip())

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class ReportingPeriod:
    """A period the executors report on, and the day their reports are due (from the decree's rules)."""

    period: Period
    due: date

    @property
    def label(self) -> str:
        return self.period.label

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.label,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "due": self.due.isoformat(),
        }


def executor_rules(rules_json: list[dict[str, Any]], language: str) -> list[ReportingRule]:
    """The plan's stored rules rebuilt from their clause text, keeping those where executors report to the
    Ministry (the Ministry's own summary to the Government is not an executor's report)."""
    texts = [r["text"] for r in rules_json if r.get("text")]
    rules, _warnings = rules_from_clauses(texts, language if language in ("kk", "ru") else "ru")
    return [r for r in rules if r.reporter == "executors" and r.recipient == "ministry"]


def reporting_periods(
    rules: list[ReportingRule], start: int, end: int, in_force_from: date | None = None
) -> list[ReportingPeriod]:
    """Every executors' reporting period of a plan running ``start``..``end``, in order.

    The report on the plan's last period falls due after the plan ends, so the calendar runs one year
    further. Reports due before the decree took effect are not expected. Two rules covering the same
    period keep the earlier due date.
    """
    due_by_label: dict[str, date] = {}
    for year in range(start, end + 2):
        for entry in calendar(rules, year, start, end, in_force_from=in_force_from):
            if entry["from"] != "executors" or entry["to"] != "ministry":
                continue
            due = date.fromisoformat(entry["due"])
            label = entry["covers"]
            if label not in due_by_label or due < due_by_label[label]:
                due_by_label[label] = due
    periods = [ReportingPeriod(Period.parse(label), due) for label, due in due_by_label.items()]
    return sorted(periods, key=lambda p: (p.period.end, p.period.start))


def deadline_periods(schedule: list[str]) -> tuple[list[Period], list[str]]:
    """A measure's schedule as periods (sorted by end), and the entries that are not periods."""
    periods, unread = [], []
    for entry in schedule:
        try:
            periods.append(Period.parse(str(entry)))
        except ValueError:
            unread.append(str(entry))
    return sorted(set(periods)), unread


def covering(periods: list[ReportingPeriod], day: date) -> ReportingPeriod | None:
    """The reporting period containing ``day``; a day before the first period belongs to the first one
    (a deadline that passed before the decree took effect is reported in its first report)."""
    if not periods:
        return None
    if day < periods[0].period.start:
        return periods[0]
    for rp in periods:
        if rp.period.contains(day):
            return rp
    return None
