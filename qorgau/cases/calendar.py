"""Kazakhstan's working-day calendar and the ISO-8601 durations of protocol deadlines.

A protocol step is due a duration after the case opened (or after the previous step), counted on
one of two calendars:

* ``"24x7"`` - elapsed time: a child at acute risk does not wait for Monday. ``PT1H`` is one
  hour later, ``P1D`` exactly 24 hours later.
* ``"working_days"`` - school and office work: ``P2D`` is the end of the working day (18:00 in
  Asia/Almaty) on the second working day after the start, skipping weekends, public holidays and
  transferred days off (``data/holidays_kz.yaml``). The start day itself never counts, so a report
  on Friday evening with ``P1D`` is due on Monday at 18:00.

Pure Python (no database), so the protocol loader, the engine and the tests share it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from django.utils.translation import gettext as _

__all__ = [
    "CALENDARS",
    "HOLIDAYS_FILE",
    "TZ",
    "WORKDAY_END",
    "WORKDAY_START",
    "Duration",
    "DurationError",
    "add_working_days",
    "due_at",
    "holidays",
    "is_working_day",
    "parse_duration",
]

TZ = ZoneInfo("Asia/Almaty")  # UTC+5 countrywide since 1 March 2024
WORKDAY_START = time(9, 0)
WORKDAY_END = time(18, 0)  # a working-days deadline falls due at the end of the working day
CALENDARS = ("24x7", "working_days")
HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays_kz.yaml"

# A deadline further away than this is a typing mistake, not a protocol (and would overflow datetime).
MAX_DAYS = 3660
WORKING_WEEK = 5  # working days in a week ("P1W" on the working-days calendar)

_DURATION_RE = re.compile(
    r"""P (?:(?P<weeks>\d+)W)? (?:(?P<days>\d+)D)?
        (?:T(?=\d) (?:(?P<hours>\d+)H)? (?:(?P<minutes>\d+)M)? (?:(?P<seconds>\d+)S)? )?""",
    re.VERBOSE,
)
# Years or months in the date part ("P1Y", "P1M", "P1Y2M3D"): refused with their own message.
_YEARS_MONTHS_RE = re.compile(r"P[^T]*[YM]")


class DurationError(ValueError):
    """A duration or deadline that cannot be used: the message says why (in the active language)."""


@dataclass(frozen=True)
class Duration:
    """A parsed ISO-8601 duration.

    ``days`` counts calendar days (a week is 7 of them, as in :class:`datetime.timedelta`) and
    ``seconds`` the time part; ``weeks`` is kept apart because on the working-days calendar a week
    is 5 working days.
    """

    text: str
    days: int
    seconds: int
    weeks: int = 0

    @property
    def timedelta(self) -> timedelta:
        """The elapsed time on the 24x7 calendar."""
        return timedelta(days=self.days, seconds=self.seconds)

    @property
    def working_days(self) -> int:
        """The number of working days (a week = 5); ``DurationError`` if the duration has a time part."""
        if self.seconds:
            raise DurationError(
                _(
                    "The duration “%(duration)s” has hours or minutes; a working-days deadline takes whole days "
                    "or weeks (P1D, P2W)."
                )
                % {"duration": self.text}
            )
        return self.weeks * WORKING_WEEK + (self.days - self.weeks * 7)


def parse_duration(text: str) -> Duration:
    """Parse an ISO-8601 duration such as ``PT1H``, ``P3D``, ``P2W`` or ``P1DT12H``.

    Years and months are refused (they have no fixed length; write days or weeks), as are
    fractions, negative and zero durations. ``DurationError`` says what is wrong.
    """
    if not isinstance(text, str):
        raise DurationError(
            _("A duration must be a text such as “PT1H” or “P3D”, not %(value)s.") % {"value": repr(text)}
        )
    clean = text.strip().upper()
    match = _DURATION_RE.fullmatch(clean)
    if match is None or clean == "P":
        if _YEARS_MONTHS_RE.match(clean):
            raise DurationError(
                _(
                    "The duration “%(duration)s” uses years or months, which have no fixed length; "
                    "write days or weeks instead (for example P30D or P4W)."
                )
                % {"duration": text}
            )
        raise DurationError(
            _(
                "“%(duration)s” is not an ISO-8601 duration; write for example PT1H (one hour), P3D (three days) "
                "or P2W (two weeks)."
            )
            % {"duration": text}
        )
    parts = {name: int(value) if value else 0 for name, value in match.groupdict().items()}
    days = parts["weeks"] * 7 + parts["days"]
    seconds = parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"]
    if days == 0 and seconds == 0:
        raise DurationError(
            _("The duration “%(duration)s” is zero; a deadline must be later than its start.") % {"duration": text}
        )
    if days + seconds // 86400 > MAX_DAYS:
        raise DurationError(
            _("The duration “%(duration)s” is longer than %(max)s days.") % {"duration": text, "max": MAX_DAYS}
        )
    return Duration(text=clean, days=days, seconds=seconds, weeks=parts["weeks"])


# --- holidays -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HolidayData:
    fixed: tuple[tuple[int, int, bool], ...]  # (month, day, moves)
    kurban_ait: dict[int, date]
    working_weekends: frozenset[date]  # weekend days made working by a transfer order
    ordered_days_off: dict[int, frozenset[date]]  # weekdays made days off by a transfer order


def _require_date(value: Any, where: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{HOLIDAYS_FILE.name}: {where}: {value!r} is not a date (YYYY-MM-DD)")
    return value


@functools.cache
def _data() -> _HolidayData:
    """Read and check ``holidays_kz.yaml`` once per process (a broken file raises ``ValueError``)."""
    raw = yaml.safe_load(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or set(raw) != {"fixed", "kurban_ait", "transfers"}:
        raise ValueError(f"{HOLIDAYS_FILE.name}: expected the keys fixed, kurban_ait and transfers")
    fixed: list[tuple[int, int, bool]] = []
    for entry in raw["fixed"]:
        if set(entry) != {"month", "day", "moves", "name_kk", "name_ru", "name_en"}:
            raise ValueError(f"{HOLIDAYS_FILE.name}: fixed holiday {entry!r} has the wrong keys")
        date(2024, entry["month"], entry["day"])  # a leap year: 29 February would be accepted
        if not isinstance(entry["moves"], bool):
            raise ValueError(f"{HOLIDAYS_FILE.name}: fixed holiday {entry!r}: moves must be true or false")
        fixed.append((entry["month"], entry["day"], entry["moves"]))
    kurban: dict[int, date] = {}
    for year, value in (raw["kurban_ait"] or {}).items():
        day = _require_date(value, f"kurban_ait {year}")
        if day.year != year:
            raise ValueError(f"{HOLIDAYS_FILE.name}: kurban_ait {year}: {day} is in another year")
        kurban[year] = day
    working_weekends: set[date] = set()
    ordered: dict[int, frozenset[date]] = {}
    for year, entries in (raw["transfers"] or {}).items():
        days_off: set[date] = set()
        for entry in entries or ():
            if not isinstance(entry, dict) or set(entry) != {"working_day", "day_off"}:
                raise ValueError(f"{HOLIDAYS_FILE.name}: transfers {year}: {entry!r} needs working_day and day_off")
            working = _require_date(entry["working_day"], f"transfers {year} working_day")
            off = _require_date(entry["day_off"], f"transfers {year} day_off")
            if working.year != year or off.year != year:
                raise ValueError(f"{HOLIDAYS_FILE.name}: transfers {year}: {entry!r} is not in {year}")
            if working.weekday() < 5:
                raise ValueError(f"{HOLIDAYS_FILE.name}: transfers {year}: working_day {working} is not a weekend day")
            if off.weekday() >= 5:
                raise ValueError(f"{HOLIDAYS_FILE.name}: transfers {year}: day_off {off} is a weekend day")
            working_weekends.add(working)
            days_off.add(off)
        ordered[year] = frozenset(days_off)
    return _HolidayData(tuple(fixed), kurban, frozenset(working_weekends), ordered)


@functools.cache
def _days_off(year: int) -> frozenset[date]:
    """The weekdays of ``year`` that are days off: holidays, their transfers, ordered transfers."""
    data = _data()
    off: set[date] = set()
    # The previous year is included so that a transfer running over New Year would land right.
    for y in (year - 1, year):
        statutory = [(date(y, month, day), moves) for month, day, moves in data.fixed]
        if y in data.kurban_ait:
            statutory.append((data.kurban_ait[y], False))
        holiday_days = {day for day, _moves in statutory}
        off.update(day for day in holiday_days if day.weekday() < 5)
        for day, moves in sorted(statutory):
            if moves and day.weekday() >= 5:
                # The next working day after the holiday that is not itself a holiday or an
                # already transferred day off (Nauryz on Sat-Sun-Mon gives Tue and Wed).
                moved = day + timedelta(days=1)
                while moved.weekday() >= 5 or moved in holiday_days or moved in off:
                    moved += timedelta(days=1)
                off.add(moved)
    off.update(data.ordered_days_off.get(year, frozenset()))
    return frozenset(day for day in off if day.year == year)


def holidays(year: int) -> set[date]:
    """The days off of ``year`` that fall on weekdays: public holidays, the weekdays their weekend
    occurrences moved to, and the transfers ordered for that year. Weekends are not listed."""
    return set(_days_off(year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a day off; a weekend day made working by a transfer order counts."""
    if isinstance(day, datetime):
        raise TypeError("is_working_day() takes a date, not a datetime")
    if day in _data().working_weekends:
        return True
    return day.weekday() < 5 and day not in _days_off(day.year)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (``day`` itself never counts; ``n`` = 0 returns ``day``)."""
    if n < 0:
        raise ValueError("add_working_days() needs n >= 0")
    current = day
    while n:
        current += timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def due_at(start: datetime, duration: str | Duration, calendar: str) -> datetime:
    """When a deadline of ``duration`` that starts at ``start`` falls due, in Asia/Almaty time.

    ``"24x7"``: exactly ``start + duration`` of elapsed time. ``"working_days"``: 18:00 on the
    n-th working day after the local date of ``start`` (weeks count 5 working days; a duration with
    hours is refused). ``start`` must be timezone-aware.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("due_at() needs a timezone-aware start")
    if not isinstance(duration, Duration):
        duration = parse_duration(duration)
    if calendar == "24x7":
        return (start.astimezone(UTC) + duration.timedelta).astimezone(TZ)
    if calendar == "working_days":
        day = add_working_days(start.astimezone(TZ).date(), duration.working_days)
        return datetime.combine(day, WORKDAY_END, tzinfo=TZ)
    raise DurationError(
        _("Unknown calendar “%(calendar)s” (known: %(known)s).") % {"calendar": calendar, "known": ", ".join(CALENDARS)}
    )
