"""Reporting rules of the plan decrees and the calendar of reports they prescribe (SPEC §2.5).

A decree approving a plan says who reports on it, to whom and when. The three decrees of the seeds:

* 2023–2025 plan (000, and its copy 001): the executors report every quarter by the 10th of the month
  after it to the Ministry of Enlightenment; the Ministry sends a summary once a half-year, by the 10th
  of the month after the half-year's last month, to the Government Apparatus;
* 2007–2011 programme (003): the executors report every year by 10 January and 10 July to the
  Ministry of Education and Science; the Ministry reports the half-year's results to the Government
  by 20 January and 20 July;
* 2026–2030 Concept (004): the executors report by 1 April of the year after the reported one to the
  Ministry of Enlightenment; the Ministry reports by 1 May to the state planning authority and
  publishes the report on its website, except restricted information.

:func:`rules_from_clauses` reads such clauses (kk or ru, one cleaned line each) by their wording;
:func:`calendar` lists the reports falling due in a year.

Two kinds of due date occur. A *relative* one counts months from the end of the reported period
("by the 10th of the month after the quarter": ``due_month_offset`` 1, ``due_day`` 10). A *fixed*
one names calendar dates ("by 10 January and 10 July"); each date covers the last period of the
rule's frequency that ended before it (10 January: the second half of the year before; 10 July: the
first half of the same year), which :class:`FixedDue` records. The 2007 decree does not say which
half-year the executors' reports cover; two dates a year make them half-yearly, as the Ministry's
summary of "the half-year's results" that follows them ten days later confirms.

The Government (Үкімет, 003) and its Apparatus (Үкімет Аппараты, 000) are different recipients and
are kept apart: ``"government"`` and ``"government_apparatus"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from core.reference import normalize
from plans.deadlines import month_number

__all__ = ["FixedDue", "ReportingRule", "calendar", "rules_from_clauses"]

Reporter = Literal["executors", "ministry"]
Recipient = Literal["ministry", "government", "government_apparatus", "planning_authority", "public"]
Frequency = Literal["quarterly", "half-yearly", "yearly"]

REPORTERS = ("executors", "ministry")
RECIPIENTS = ("ministry", "government", "government_apparatus", "planning_authority", "public")
FREQUENCIES = ("quarterly", "half-yearly", "yearly")
# Periods of each frequency, by the last month of each.
_PERIOD_ENDS: dict[str, tuple[tuple[str, int], ...]] = {
    "quarterly": (("Q1", 3), ("Q2", 6), ("Q3", 9), ("Q4", 12)),
    "half-yearly": (("H1", 6), ("H2", 12)),
    "yearly": (("", 12),),
}
_PER_YEAR = {len(ends): frequency for frequency, ends in _PERIOD_ENDS.items()}


@dataclass(frozen=True)
class FixedDue:
    """A due date fixed in the calendar ("by 10 January") and the period it covers: ``covers`` is
    "Q1".."Q4", "H1", "H2" or "" (the whole year), of the due date's year plus ``year_offset``
    (-1: the year before)."""

    month: int
    day: int
    covers: str
    year_offset: int

    def covered(self, due_year: int) -> str:
        """The period ("YYYY-Qn", "YYYY-Hn" or "YYYY") this due date covers in ``due_year``."""
        year = due_year + self.year_offset
        return f"{year}-{self.covers}" if self.covers else str(year)


@dataclass(frozen=True)
class ReportingRule:
    """Who reports on the plan (``reporter``), to whom (``recipient``), how often and by when.

    The due date is either relative to the end of the covered period (``due_day`` of the month
    ``due_month_offset`` months after the period's last month) or a list of fixed dates
    (``fixed_dues``), never both. ``publish`` is true when the reporter must also publish the
    report; ``note`` keeps what the fields cannot hold (e.g. "except restricted information").
    """

    text: str
    reporter: Reporter
    recipient: Recipient
    frequency: Frequency
    due_day: int | None = None
    due_month_offset: int | None = None
    fixed_dues: tuple[FixedDue, ...] = ()
    publish: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if self.reporter not in REPORTERS:
            raise ValueError(f"unknown reporter {self.reporter!r}")
        if self.recipient not in RECIPIENTS:
            raise ValueError(f"unknown recipient {self.recipient!r}")
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        relative = self.due_day is not None and self.due_month_offset is not None
        if relative == bool(self.fixed_dues):
            raise ValueError("a rule needs either a relative due date (day and month offset) or fixed dates")
        if relative and not (1 <= self.due_day <= 31 and self.due_month_offset >= 0):  # type: ignore[operator]
            raise ValueError(f"bad relative due date: day {self.due_day}, offset {self.due_month_offset}")

    def to_json(self) -> dict[str, Any]:
        """The rule as plain JSON data (``plan_parse --json`` "reporting_rules")."""
        return {
            "text": self.text,
            "reporter": self.reporter,
            "recipient": self.recipient,
            "frequency": self.frequency,
            "due_day": self.due_day,
            "due_month_offset": self.due_month_offset,
            "fixed_dues": [
                {"month": d.month, "day": d.day, "covers": d.covers, "year_offset": d.year_offset}
                for d in self.fixed_dues
            ],
            "publish": self.publish,
            "note": self.note,
        }

    def reports(self, year: int) -> list[tuple[date, str]]:
        """(due date, covered period) of the reports this rule makes due in ``year``, whatever the
        plan period."""
        if self.fixed_dues:
            return [(date(year, d.month, d.day), d.covered(year)) for d in self.fixed_dues]
        assert self.due_day is not None and self.due_month_offset is not None
        out = []
        # A period ending up to offset months before January can fall due this year.
        for period_year in range(year - 1 - self.due_month_offset // 12, year + 1):
            for label, last_month in _PERIOD_ENDS[self.frequency]:
                months = period_year * 12 + (last_month - 1) + self.due_month_offset
                due_year, due_month = divmod(months, 12)
                if due_year == year:
                    covered = f"{period_year}-{label}" if label else str(period_year)
                    out.append((date(due_year, due_month + 1, self.due_day), covered))
        return out


def calendar(
    rules: list[ReportingRule],
    year: int,
    start: int,
    end: int,
    *,
    in_force_from: date | None = None,
    in_force_until: date | None = None,
) -> list[dict[str, str]]:
    """The reports falling due in ``year`` under ``rules`` for a plan running ``start``..``end``:
    ``[{"due": "YYYY-MM-DD", "from": reporter, "to": recipient, "covers": period}]`` in date order.

    Only reports on periods within the plan count; the report on its last period falls due after
    the plan ends and is included (``calendar(rules, end + 1, ...)``). A rule that publishes adds a
    report "to": "public" on the same date. ``in_force_from`` / ``in_force_until`` drop reports due
    before the decree took effect or after it was repealed (the 2023 plan was approved on 31 August
    2023, so nothing was due on its first two quarters).
    """
    if start > end:
        raise ValueError(f"the plan period starts ({start}) after it ends ({end})")
    entries: list[dict[str, str]] = []
    for rule in rules:
        for due, covered in rule.reports(year):
            if not start <= int(covered[:4]) <= end:
                continue
            if (in_force_from and due < in_force_from) or (in_force_until and due > in_force_until):
                continue
            recipients = [rule.recipient, "public"] if rule.publish and rule.recipient != "public" else [rule.recipient]
            for recipient in recipients:
                entries.append({"due": due.isoformat(), "from": rule.reporter, "to": recipient, "covers": covered})
    entries.sort(key=lambda e: (e["due"], REPORTERS.index(e["from"]), RECIPIENTS.index(e["to"]), e["covers"]))
    return entries


# --- reading the clauses --------------------------------------------------------------------


class _Unread(Exception):
    """A clause the patterns cannot turn into a rule; the message becomes a warning."""


# Recipients by their wording, most specific first ("Үкіметінің Аппаратына" before "Үкіметіне").
_RECIPIENT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("government_apparatus", r"үкіметінің аппаратына|үкімет аппаратына|в аппарат правительства"),
    (
        "planning_authority",
        r"уполномоченный орган по государственному планированию|мемлекеттік жоспарлау жөніндегі уәкілетті орган\w*",
    ),
    ("government", r"үкіметіне(?!\w)|в правительство(?!\w)"),
    ("ministry", r"министрлігіне(?!\w)|в министерство(?!\w)"),
)
# The reporter named as the clause's subject: kk nominative "министрлігі", ru dative "Министерству"
# (the subject of "представлять"); the executors by the bodies the decree addresses.
_MINISTRY_SUBJECT_RE = re.compile(r"министрлігі(?!\w)|министерству")
_EXECUTORS_SUBJECT_RE = re.compile(
    r"атқарушы органдары|орындаушылар\w*|исполнительным органам|ответственным за реализацию|исполнител\w+"
)
_PUBLISH_RE = re.compile(r"интернет-ресурс\w*|интернет ресурс\w*|сайт\w*|опубликов\w*|жариял\w*")
_RESTRICTED_RE = re.compile(r"ограниченного доступа|қолжетімділігі шектеулі")
_FREQUENCY_PATTERNS: tuple[tuple[str, str], ...] = (
    ("quarterly", r"тоқсан сайын|ежеквартальн\w*|раз в квартал"),
    ("half-yearly", r"жарты\s?жылдықта бір рет|жарты\s?жылдық\w*|раз в полугодие|полугоди\w*"),
    ("yearly", r"жыл сайын|ежегодн\w*"),
)
# "есепті кезеңнен / айдан кейінгі айдың 10-ы күні..." / "не позднее 10 числа месяца, следующего за
# отчетным ...": the n-th day of the month after the reported period.
_RELATIVE_RES = (
    re.compile(r"есепті (?:кезеңнен|айдан|тоқсаннан|жарты\s?жылдықтан) кейінгі айдың (\d{1,2})(?:-\w+)? күн"),
    re.compile(r"(\d{1,2}) числа месяца,? следующего за отчетным"),
)
# "не позднее 1 апреля года, следующего за отчетным годом" / "есепті жылдан кейінгі жылдың 1 сәуіріне".
_NEXT_YEAR_RES = (
    re.compile(r"(\d{1,2}) (\w+) года,? следующего за отчетным годом"),
    re.compile(r"есепті жылдан кейінгі жылдың (\d{1,2}) (\w+)"),
)
_DAY_MONTH_RE = re.compile(r"(?<!\d)(\d{1,2})(?:-\w+)? ([^\W\d_]+)")
_LEADING_NUMBER_RE = re.compile(r"^(?:\s*\d+[.)])+\s*")


def _recipient(clean: str) -> str:
    found = [name for name, pattern in _RECIPIENT_PATTERNS if re.search(pattern, clean)]
    if not found:
        raise _Unread("names no recipient")
    # "Үкіметінің Аппаратына" also holds no "үкіметіне", so a second match is a second recipient.
    if len(found) > 1:
        raise _Unread(f"names several recipients ({', '.join(found)})")
    return found[0]


def _reporter(clean: str, recipient: str, notes: list[str]) -> str:
    subject = clean.split(" представлять ")[0] if " представлять " in clean else clean
    if _MINISTRY_SUBJECT_RE.search(subject):
        if recipient == "ministry":
            raise _Unread("the ministry reports to itself")
        return "ministry"
    if _EXECUTORS_SUBJECT_RE.search(clean) or recipient == "ministry":
        if not _EXECUTORS_SUBJECT_RE.search(clean):
            # A sub-clause ("2) тоқсан сайын ...") whose subject is in its parent clause: whoever
            # reports to the ministry is an executor of the plan.
            notes.append("reporter not named in the clause: read as the executors, who report to the ministry")
        return "executors"
    raise _Unread("names no reporter")


def _fixed_dates(clean: str) -> list[tuple[int, int]]:
    dates = []
    for day, word in _DAY_MONTH_RE.findall(clean):
        month = month_number(word)
        if month is not None:
            if not 1 <= int(day) <= 31:
                raise _Unread(f"{day} is not a day of a month")
            dates.append((month, int(day)))
    return dates


def _covering(month: int, day: int, frequency: str) -> FixedDue:
    """The last period of ``frequency`` that ends before ``month``/``day``."""
    ends = _PERIOD_ENDS[frequency]
    before = [(label, last) for label, last in ends if last < month]
    if before:
        label, _ = before[-1]
        return FixedDue(month, day, label, 0)
    label, _ = ends[-1]
    return FixedDue(month, day, label, -1)


def _due(clean: str, frequency: str | None, notes: list[str]) -> tuple[str, dict[str, Any]]:
    """The frequency and the due-date fields of a clause."""
    for pattern in _RELATIVE_RES:
        match = pattern.search(clean)
        if match:
            if frequency is None:
                raise _Unread("gives a day after the reported period but no frequency")
            return frequency, {"due_day": int(match.group(1)), "due_month_offset": 1}
    for pattern in _NEXT_YEAR_RES:
        match = pattern.search(clean)
        if match:
            month = month_number(match.group(2))
            if month is None:
                raise _Unread(f"cannot read the month {match.group(2)!r}")
            if frequency not in (None, "yearly"):
                raise _Unread(f"says {frequency} but gives a date in the year after the reported one")
            return "yearly", {"fixed_dues": (FixedDue(month, int(match.group(1)), "", -1),)}
    dates = _fixed_dates(clean)
    if not dates:
        raise _Unread("gives no due date")
    implied = _PER_YEAR.get(len(dates))
    if implied is None:
        raise _Unread(f"gives {len(dates)} dates a year, which fits no frequency")
    if frequency is not None and frequency != implied and not (frequency == "yearly" and implied != "yearly"):
        # "жыл сайын, 10 қаңтарға және 10 шілдеге": "every year" on two dates a year is half-yearly.
        raise _Unread(f"says {frequency} but gives {len(dates)} dates a year")
    if frequency != implied:
        notes.append(f"{implied}: {len(dates)} dates a year")
    dues = tuple(_covering(month, day, implied) for month, day in sorted(dates))
    return implied, {"fixed_dues": dues}


def _rule(text: str) -> ReportingRule:
    clean = normalize(text)
    clean = _LEADING_NUMBER_RE.sub("", clean)
    notes: list[str] = []
    recipient = _recipient(clean)
    reporter = _reporter(clean, recipient, notes)
    frequencies = [name for name, pattern in _FREQUENCY_PATTERNS if re.search(pattern, clean)]
    # "жыл сайын ... жарты жылдықтың қорытындылары": the half-year is the precise word.
    frequency = frequencies[0] if frequencies else None
    frequency, due = _due(clean, frequency, notes)
    publish = bool(_PUBLISH_RE.search(clean))
    if publish and _RESTRICTED_RE.search(clean):
        notes.append("published except restricted information")
    return ReportingRule(
        text=text,
        reporter=reporter,  # type: ignore[arg-type]
        recipient=recipient,  # type: ignore[arg-type]
        frequency=frequency,  # type: ignore[arg-type]
        publish=publish,
        note="; ".join(notes),
        **due,
    )


def rules_from_clauses(clauses: list[str], language: str) -> tuple[list[ReportingRule], list[str]]:
    """Read the reporting clauses of a decree (kk or ru; one cleaned line each, as a plan reader
    extracts them, with or without the parent clause that names the bodies addressed) into rules.

    Returns the rules and a warning for each clause that gives no rule (no recipient, no reporter,
    no due date, or contradictory wording); a clause is never silently dropped, so pass only the
    clauses that may be about reporting. ``language`` must be "kk" or "ru"; as the two wordings do not
    overlap, the patterns of both are tried.
    """
    if language not in ("kk", "ru"):
        raise ValueError(f"unknown language {language!r}: expected 'kk' or 'ru'")
    rules: list[ReportingRule] = []
    warnings: list[str] = []
    for number, text in enumerate(clauses, start=1):
        excerpt = " ".join(text.split())[:60]
        try:
            rules.append(_rule(text))
        except _Unread as exc:
            warnings.append(f"reporting clause {number} ({excerpt!r}…) {exc}")
    return rules, warnings
