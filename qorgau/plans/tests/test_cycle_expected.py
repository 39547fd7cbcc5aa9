"""The reporting cycle computed from the imported seed plans: periods, due dates, expected reports, overdue.

Every expected value is read from the seed text (line numbers quoted).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from core.models import Agency
from plans.cycle import services
from plans.cycle.periods import Period, covering, deadline_periods
from plans.cycle.testing import activate, import_seed
from plans.models import Measure

pytestmark = pytest.mark.django_db


def test_periods_parse_to_their_first_and_last_day() -> None:
    assert (Period.parse("2026").start, Period.parse("2026").end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (Period.parse("2024-Q1").start, Period.parse("2024-Q1").end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert (Period.parse("2008-H2").start, Period.parse("2008-H2").end) == (date(2008, 7, 1), date(2008, 12, 31))
    assert Period.parse("2024-02").end == date(2024, 2, 29)  # a leap year
    for bad in ("2026-13", "2026-Q5", "26", "декабрь 2026"):
        with pytest.raises(ValueError):
            Period.parse(bad)
    periods, unread = deadline_periods(["2026-12", "2026-08", "постоянно"])
    assert [p.label for p in periods] == ["2026-08", "2026-12"] and unread == ["постоянно"]


def test_concept_2026_is_reported_yearly_by_1_april(personas) -> None:
    # 004 L7: decree of 29 January 2026; L19: "не позднее 1 апреля года, следующего за отчетным годом".
    plan = import_seed("004", personas["analyst"].user)
    cycle = services.reporting_cycle(plan)
    assert [(p.label, p.due) for p in cycle.periods] == [
        ("2026", date(2027, 4, 1)),
        ("2027", date(2028, 4, 1)),
        ("2028", date(2029, 4, 1)),
        ("2029", date(2030, 4, 1)),
        ("2030", date(2031, 4, 1)),
    ]
    assert cycle.current(date(2027, 3, 31)).label == "2026"
    assert cycle.current(date(2027, 4, 2)).label == "2027"


def test_plan_2023_is_reported_quarterly_from_its_approval(personas) -> None:
    # 000 L6: approved 31 August 2023; L16-18: every quarter, by the 10th of the month after the period.
    plan = import_seed("000", personas["analyst"].user)
    periods = services.reporting_cycle(plan).periods
    assert [p.label for p in periods] == [f"{y}-Q{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)][2:]
    assert (periods[0].label, periods[0].due) == ("2023-Q3", date(2023, 10, 10))
    assert (periods[-1].label, periods[-1].due) == ("2025-Q4", date(2026, 1, 10))
    # A deadline before the decree took effect (measure 23: "every January…") is reported in the first report.
    assert covering(periods, date(2023, 1, 31)).label == "2023-Q3"


def test_programme_2007_is_reported_on_10_january_and_10_july(personas) -> None:
    # 003 L6: decree of 21 December 2007; L18: "жыл сайын, 10 қаңтарға және 10 шілдеге".
    plan = import_seed("003", personas["analyst"].user)
    periods = services.reporting_cycle(plan).periods
    assert (periods[0].label, periods[0].due) == ("2007-H2", date(2008, 1, 10))
    assert (periods[1].label, periods[1].due) == ("2008-H1", date(2008, 7, 10))
    assert (periods[-1].label, periods[-1].due) == ("2011-H2", date(2012, 1, 10))
    assert len(periods) == 9


def _expectation(plan, number: str) -> services.MeasureExpectation:
    return next(e for e in services.measure_expectations(plan) if e.measure.number == number)


def test_by_agreement_executors_are_not_expected(personas) -> None:
    plan = import_seed("004", personas["analyst"].user)
    # 004 L1836, measure 1: "МИИЦР, МП, МКИ, МЗ, МТСЗН, МВД, МПС, МНВО, УПР (по согласованию)", December 2026.
    exp = _expectation(plan, "1")
    assert [a.code for a in exp.agencies] == [
        "digital",
        "edu",
        "culture_info",
        "health",
        "labour",
        "mvd",
        "industry_construction",
        "science",
    ]
    assert [a.code for a in exp.voluntary] == ["children_ombudsman"]
    assert exp.lead.code == "digital"
    assert exp.expected_in(Period.parse("2026")) and not exp.expected_in(Period.parse("2027"))


def test_reports_are_expected_up_to_the_period_of_the_last_deadline(personas) -> None:
    plan = import_seed("004", personas["analyst"].user)
    # 004 L1847, measure 8: January 2028, МП and МИИЦР: reported on 2026, 2027 and 2028, not 2029.
    exp = _expectation(plan, "8")
    assert [p for p in ("2026", "2027", "2028", "2029") if exp.expected_in(Period.parse(p))] == ["2026", "2027", "2028"]
    # 004 L1860, measure 16: "октябрь 2026-2030 годов": every year to the end.
    assert all(_expectation(plan, "16").expected_in(Period.parse(str(y))) for y in range(2026, 2031))


def test_expected_reports_of_one_agency_per_period(personas) -> None:
    plan = import_seed("004", personas["analyst"].user)
    activate(plan)
    ecology = Agency.objects.get(code="ecology")
    cycle = services.reporting_cycle(plan)
    # МЭПР is named twice in the action plan: measure 4 (L1841, August 2026) and measure 69 (L1963, April 2027).
    expected = {}
    for label in ("2026", "2027", "2028"):
        result = services.monitoring(plan, cycle.get(label), day=date(2026, 6, 1))
        row = next((r for r in result.rows if r.agency == ecology), None)
        expected[label] = row.expected if row else 0
    assert expected == {"2026": 2, "2027": 1, "2028": 0}


def test_plan_2023_measure_7_is_expected_once_from_five_agencies(personas) -> None:
    plan = import_seed("000", personas["analyst"].user)
    # 000 L167-205, measure 7: September 2023 (L193-194); "ОМ, АҚДМ, МСМ, ІІМ, Қорғанысмині, БП (келісу
    # бойынша)" (L197-202). Five agencies report on 2023-Q3; the Prosecutor's Office is by agreement.
    exp = _expectation(plan, "7")
    assert sorted(a.code for a in exp.agencies) == ["culture", "defence", "edu", "info", "mvd"]
    assert [a.code for a in exp.voluntary] == ["prosecutor"]
    cycle = services.reporting_cycle(plan)
    defence = Agency.objects.get(code="defence")  # named only in measure 7 (L201; L1951 is the glossary)
    by_period = {}
    for label in ("2023-Q3", "2023-Q4"):
        rows = services.monitoring(plan, cycle.get(label), day=date(2024, 1, 1)).rows
        by_period[label] = next((r.expected for r in rows if r.agency == defence), 0)
    assert by_period == {"2023-Q3": 1, "2023-Q4": 0}


def test_measures_without_executors_or_deadline_are_reported_not_guessed(personas) -> None:
    plan = import_seed("000", personas["analyst"].user)
    with translation.override("en"):
        cycle = activate(plan)
    # The reader keeps no executor and no deadline for measures 1-5 of this damaged text (the reviewer adds
    # them): activation says nobody reports on them, and the overdue check lists them as not checked.
    first = Measure.objects.get(plan=plan, number="1")
    assert not first.executors.exists() and not first.schedule
    assert "Measure 1 has no executor that can report; nobody is expected to report on it." in cycle.warnings
    _overdue, unchecked = services.overdue_measures(plan, day=date(2026, 6, 1))
    assert {"1", "2", "3", "4", "5"} <= {m.number for m in unchecked}


def test_overdue_measures_need_a_completed_report_of_the_lead(personas) -> None:
    plan = import_seed("004", personas["analyst"].user)
    activate(plan)
    overdue, _unchecked = services.overdue_measures(plan, day=date(2026, 9, 1))
    numbers = {o.measure.number for o in overdue}
    # 004 L1841 measure 4 (August 2026) has passed on 1 September; L1836 measure 1 (December 2026) has not.
    assert "4" in numbers and "1" not in numbers
    item = next(o for o in overdue if o.measure.number == "4")
    assert (item.deadline.label, item.report_period.label, item.lead.code) == ("2026-08", "2026", "edu")
    assert Measure.objects.get(plan=plan, number="4").schedule == ["2026-08"]
