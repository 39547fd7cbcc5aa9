"""Reporting rules of the three plan decrees (plans.reporting) and their calendars.

The clause texts are the decrees' lines joined into one line each, as a plan reader extracts them
(``test_clauses_are_the_seed_lines`` checks them against the documents).

How the 2023–2025 Ministry summary is dated: 000 L20-22 says the Ministry reports "жартыжылдықта
бір рет, есепті айдан кейінгі айдың 10-ы күніне дейін" — once a half-year, by the 10th of the month
after the reported month, i.e. after the half-year's last month (June, December). So in 2024 it is
due on 10 January for the second half of 2023 and on 10 July for the first half of 2024 — the same
days as the executors' reports on Q4 and Q2, which the decree leaves no time to consolidate.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plans.reporting import FixedDue, ReportingRule, calendar, rules_from_clauses

SEEDS = Path("/work/shared/seeds")

# 000 L17-19 (and 001 L32): clause 2.2, the executors
C000_EXECUTORS = (
    "2) тоқсан сайын, есепті кезеңнен кейінгі айдың 10-ы күнінен кешіктірмей, Қазақстан Республикасының "
    "Оқу-ағарту министрлігіне Кешенді жоспардың іске асырылу барысы туралы ақпарат беріп тұрсын."
)
# 000 L20-22 (and 001 L34): clause 3, the Ministry
C000_MINISTRY = (
    "3. Қазақстан Республикасының Оқу-ағарту министрлігі жартыжылдықта бір рет, есепті айдан кейінгі айдың "
    "10-ы күніне дейін, Қазақстан Республикасы Үкіметінің Аппаратына Кешенді жоспардың орындалуы туралы "
    "жиынтық ақпарат беріп тұрсын."
)
# 000 L14-15: the parent of clause 2.2, which names the executors
C000_PARENT = (
    "2. Кешенді жоспарды орындауға жауапты Қазақстан Республикасының орталық және жергілікті атқарушы "
    "органдары, өзге де ұйымдары (келісу бойынша):"
)
# 003 L18-20: clause 2.2, the executors
C003_EXECUTORS = (
    "2) жыл сайын, 10 қаңтарға және 10 шілдеге Қазақстан Республикасы Білім және ғылым министрлігіне "
    "Бағдарламаның іске асырылу барысы туралы ақпарат берсін."
)
# 003 L15-16: its parent, letter-spaced by the PDF
C003_PARENT = (
    "2. Қазақстан Республикасының орталық және жергілікті атқарушы органдары ,  с о н д а й - а қ  "
    "м ү д д е л і  ұ й ы м д а р :"
)
# 003 L21-24: clause 3, the Ministry
C003_MINISTRY = (
    "3. Қазақстан Республикасы Білім және ғылым министрлігі жыл сайын, 20 қаңтарға және 20 шілдеге жарты "
    "жылдықтың қорытындылары бойынша Қазақстан Республикасының Үкіметіне Бағдарламаның іске асырылу барысы "
    "туралы жиынтық ақпарат берсін."
)
# 004 L19: clause 2.3, the executors
C004_EXECUTORS = (
    "3) не позднее 1 апреля года, следующего за отчетным годом, представлять информацию о ходе реализации "
    "Концепции в Министерство просвещения Республики Казахстан."
)
# 004 L13: its parent
C004_PARENT = (
    "2. Центральным государственным и местным исполнительным органам, заинтересованным организациям "
    "(по согласованию), ответственным за реализацию Концепции:"
)
# 004 L21: clause 3, the Ministry
C004_MINISTRY = (
    "3. Министерству просвещения Республики Казахстан не позднее 1 мая года, следующего за отчетным годом, "
    "представлять информацию о ходе реализации Концепции в уполномоченный орган по государственному "
    "планированию, а также размещать ее на своем интернет-ресурсе (за исключением информации ограниченного "
    "доступа)."
)


def _seed_clause(seed: str, first: int, last: int) -> str:
    lines = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8").split("\n")
    return " ".join(line.strip() for line in lines[first - 1 : last])


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
@pytest.mark.parametrize(
    ("clause", "seed", "first", "last"),
    [
        (C000_EXECUTORS, "000", 17, 19),
        (C000_MINISTRY, "000", 20, 22),
        (C000_PARENT, "000", 14, 15),
        (C000_EXECUTORS, "001", 32, 32),
        (C000_MINISTRY, "001", 34, 34),
        (C003_EXECUTORS, "003", 18, 20),
        (C003_PARENT, "003", 15, 16),
        (C003_MINISTRY, "003", 21, 24),
        (C004_EXECUTORS, "004", 19, 19),
        (C004_PARENT, "004", 13, 13),
        (C004_MINISTRY, "004", 21, 21),
    ],
)
def test_clauses_are_the_seed_lines(clause: str, seed: str, first: int, last: int) -> None:
    assert _seed_clause(seed, first, last) == clause


# --- 2023–2025 (000) ------------------------------------------------------------------------


def test_rules_2023_2025() -> None:
    rules, warnings = rules_from_clauses([C000_EXECUTORS, C000_MINISTRY], "kk")
    assert warnings == []
    executors, ministry = rules
    assert (executors.reporter, executors.recipient, executors.frequency) == ("executors", "ministry", "quarterly")
    assert (executors.due_day, executors.due_month_offset, executors.fixed_dues) == (10, 1, ())
    # the sub-clause does not name its subject; whoever reports to the ministry is an executor
    assert "reporter not named" in executors.note
    assert (ministry.reporter, ministry.recipient, ministry.frequency) == (
        "ministry",
        "government_apparatus",
        "half-yearly",
    )
    assert (ministry.due_day, ministry.due_month_offset) == (10, 1)
    assert not executors.publish and not ministry.publish


def test_parent_clause_names_the_executors() -> None:
    rules, warnings = rules_from_clauses([f"{C000_PARENT} {C000_EXECUTORS}"], "kk")
    assert warnings == []
    assert rules[0].reporter == "executors" and rules[0].note == ""


def test_calendar_2024_of_the_2023_2025_plan() -> None:
    rules, _ = rules_from_clauses([C000_EXECUTORS, C000_MINISTRY], "kk")
    assert calendar(rules, 2024, 2023, 2025) == [
        {"due": "2024-01-10", "from": "executors", "to": "ministry", "covers": "2023-Q4"},
        {"due": "2024-01-10", "from": "ministry", "to": "government_apparatus", "covers": "2023-H2"},
        {"due": "2024-04-10", "from": "executors", "to": "ministry", "covers": "2024-Q1"},
        {"due": "2024-07-10", "from": "executors", "to": "ministry", "covers": "2024-Q2"},
        {"due": "2024-07-10", "from": "ministry", "to": "government_apparatus", "covers": "2024-H1"},
        {"due": "2024-10-10", "from": "executors", "to": "ministry", "covers": "2024-Q3"},
    ]


def test_calendar_after_the_2023_2025_plan_holds_its_last_reports() -> None:
    rules, _ = rules_from_clauses([C000_EXECUTORS, C000_MINISTRY], "kk")
    assert calendar(rules, 2026, 2023, 2025) == [
        {"due": "2026-01-10", "from": "executors", "to": "ministry", "covers": "2025-Q4"},
        {"due": "2026-01-10", "from": "ministry", "to": "government_apparatus", "covers": "2025-H2"},
    ]
    assert calendar(rules, 2027, 2023, 2025) == []


def test_calendar_of_the_first_year_from_the_decree_date() -> None:
    # Decree №748 of 31 August 2023 (000 L5): the first report due after it is on Q3
    rules, _ = rules_from_clauses([C000_EXECUTORS, C000_MINISTRY], "kk")
    assert calendar(rules, 2023, 2023, 2025, in_force_from=date(2023, 8, 31)) == [
        {"due": "2023-10-10", "from": "executors", "to": "ministry", "covers": "2023-Q3"},
    ]


# --- 2007–2011 (003) ------------------------------------------------------------------------


def test_rules_2007_2011() -> None:
    rules, warnings = rules_from_clauses([C003_EXECUTORS, C003_MINISTRY], "kk")
    assert warnings == []
    executors, ministry = rules
    assert (executors.reporter, executors.recipient, executors.frequency) == ("executors", "ministry", "half-yearly")
    assert executors.fixed_dues == (FixedDue(1, 10, "H2", -1), FixedDue(7, 10, "H1", 0))
    assert executors.due_day is None and executors.due_month_offset is None
    # the Ministry reports to the Government itself, not to its Apparatus
    assert (ministry.reporter, ministry.recipient, ministry.frequency) == ("ministry", "government", "half-yearly")
    assert ministry.fixed_dues == (FixedDue(1, 20, "H2", -1), FixedDue(7, 20, "H1", 0))


def test_letter_spaced_parent_clause() -> None:
    rules, warnings = rules_from_clauses([f"{C003_PARENT} {C003_EXECUTORS}"], "kk")
    assert warnings == []
    assert rules[0].reporter == "executors" and "reporter not named" not in rules[0].note


def test_calendar_2008_of_the_2007_2011_programme() -> None:
    rules, _ = rules_from_clauses([C003_EXECUTORS, C003_MINISTRY], "kk")
    assert calendar(rules, 2008, 2007, 2011) == [
        {"due": "2008-01-10", "from": "executors", "to": "ministry", "covers": "2007-H2"},
        {"due": "2008-01-20", "from": "ministry", "to": "government", "covers": "2007-H2"},
        {"due": "2008-07-10", "from": "executors", "to": "ministry", "covers": "2008-H1"},
        {"due": "2008-07-20", "from": "ministry", "to": "government", "covers": "2008-H1"},
    ]


def test_calendar_of_the_2007_2011_programme_while_in_force() -> None:
    # Decree №1245 of 21 December 2007, repealed on 18 March 2011 (003 L6-8)
    rules, _ = rules_from_clauses([C003_EXECUTORS, C003_MINISTRY], "kk")
    in_force = {"in_force_from": date(2007, 12, 21), "in_force_until": date(2011, 3, 18)}
    assert calendar(rules, 2007, 2007, 2011, **in_force) == []
    assert calendar(rules, 2011, 2007, 2011, **in_force) == [
        {"due": "2011-01-10", "from": "executors", "to": "ministry", "covers": "2010-H2"},
        {"due": "2011-01-20", "from": "ministry", "to": "government", "covers": "2010-H2"},
    ]
    assert calendar(rules, 2012, 2007, 2011, **in_force) == []
    # without the repeal, the report on the programme's last half-year falls due in 2012
    assert [e["covers"] for e in calendar(rules, 2012, 2007, 2011)] == ["2011-H2", "2011-H2"]


# --- 2026–2030 (004) ------------------------------------------------------------------------


def test_rules_2026_2030() -> None:
    rules, warnings = rules_from_clauses([C004_EXECUTORS, C004_MINISTRY], "ru")
    assert warnings == []
    executors, ministry = rules
    assert (executors.reporter, executors.recipient, executors.frequency) == ("executors", "ministry", "yearly")
    assert executors.fixed_dues == (FixedDue(4, 1, "", -1),)
    assert not executors.publish
    assert (ministry.reporter, ministry.recipient, ministry.frequency) == ("ministry", "planning_authority", "yearly")
    assert ministry.fixed_dues == (FixedDue(5, 1, "", -1),)
    assert ministry.publish and ministry.note == "published except restricted information"


def test_russian_parent_clause_names_the_executors() -> None:
    rules, warnings = rules_from_clauses([f"{C004_PARENT} {C004_EXECUTORS}"], "ru")
    assert warnings == []
    assert (rules[0].reporter, rules[0].recipient, rules[0].note) == ("executors", "ministry", "")


def test_calendar_2027_of_the_2026_2030_concept() -> None:
    rules, _ = rules_from_clauses([C004_EXECUTORS, C004_MINISTRY], "ru")
    assert calendar(rules, 2027, 2026, 2030) == [
        {"due": "2027-04-01", "from": "executors", "to": "ministry", "covers": "2026"},
        {"due": "2027-05-01", "from": "ministry", "to": "planning_authority", "covers": "2026"},
        {"due": "2027-05-01", "from": "ministry", "to": "public", "covers": "2026"},
    ]
    # nothing is due in the first year; the report on 2030 falls due in 2031
    assert calendar(rules, 2026, 2026, 2030) == []
    assert [e["covers"] for e in calendar(rules, 2031, 2026, 2030)] == ["2030", "2030", "2030"]


def test_to_json() -> None:
    rules, _ = rules_from_clauses([C004_MINISTRY], "ru")
    assert rules[0].to_json() == {
        "text": C004_MINISTRY,
        "reporter": "ministry",
        "recipient": "planning_authority",
        "frequency": "yearly",
        "due_day": None,
        "due_month_offset": None,
        "fixed_dues": [{"month": 5, "day": 1, "covers": "", "year_offset": -1}],
        "publish": True,
        "note": "published except restricted information",
    }


# --- what cannot be read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "problem"),
    [
        # 000 L16: the other sub-clause of clause 2 is no reporting rule
        ("1) Кешенді жоспардың тиісінше және уақтылы орындалуын қамтамасыз етсін;", "names no recipient"),
        # 004 L23: control, not reporting
        (
            "4. Контроль за исполнением настоящего постановления возложить на Министерство просвещения "
            "Республики Казахстан.",
            "names no recipient",
        ),
        ("ежеквартально представлять информацию в Министерство просвещения", "gives no due date"),
        ("тоқсан сайын, 10 қаңтарға және 10 шілдеге министрлігіне ақпарат берсін", "says quarterly but gives 2 dates"),
        ("жыл сайын, 10 қаңтарға, 10 сәуірге және 10 шілдеге министрлігіне ақпарат берсін", "fits no frequency"),
        ("министрлігі тоқсан сайын, 10 қаңтарға министрлігіне", "reports to itself"),
        ("Үкіметіне және Үкіметінің Аппаратына ақпарат берсін", "several recipients"),
        ("", "names no recipient"),
    ],
)
def test_unreadable_clause_gives_a_warning(clause: str, problem: str) -> None:
    rules, warnings = rules_from_clauses([C000_EXECUTORS, clause], "kk")
    assert len(rules) == 1  # the readable clause still gives its rule
    assert len(warnings) == 1
    assert warnings[0].startswith("reporting clause 2 ") and problem in warnings[0]


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="language"):
        rules_from_clauses([C004_EXECUTORS], "en")


def test_rule_validation() -> None:
    with pytest.raises(ValueError, match="either"):
        ReportingRule("x", "executors", "ministry", "quarterly")
    with pytest.raises(ValueError, match="either"):
        ReportingRule("x", "executors", "ministry", "yearly", 1, 3, (FixedDue(4, 1, "", -1),))
    with pytest.raises(ValueError, match="recipient"):
        ReportingRule("x", "executors", "parliament", "yearly", 1, 3)  # type: ignore[arg-type]


def test_calendar_rejects_a_backward_period() -> None:
    with pytest.raises(ValueError, match="starts"):
        calendar([], 2024, 2025, 2023)
