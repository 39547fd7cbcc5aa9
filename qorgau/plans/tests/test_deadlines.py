"""The deadline parser (plans.deadlines) and the ``parse_deadline`` command.

``data/seed_deadlines.tsv`` holds every distinct deadline cell of the four plan documents in
``/work/shared/seeds``: seed, the lines where the cell starts (comma-separated when the same text
recurs), the cell text as a reader of that table gets it (cells split across a page break joined; in
000 the executors that the extraction glued onto the deadline's last line cut off: lines 372, 814,
1477, 1513, 1849, 1922), its language and the schedule read by hand from the document, or UNPARSED.
The plan periods: 000 and 001 run 2023-2025; 004 runs 2026-2030; the action plan of 003 is the one
"for 2007-2009" (003 line 1063-1064), although the programme itself runs to 2011.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from plans.deadlines import Deadline, detect_language, parse_deadline, period_sort_key

DATA = Path(__file__).parent / "data" / "seed_deadlines.tsv"
SEEDS = Path(settings.QORGAU_SEEDS_DIR)  # the repository's seeds/
PLAN_PERIODS = {"000": (2023, 2025), "001": (2023, 2025), "003": (2007, 2009), "004": (2026, 2030)}


def _fixture_rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _fixture_rows()


def every(years: range, *months: int) -> list[str]:
    """The month periods of each year, in time order."""
    return [f"{year}-{month:02d}" for year in years for month in sorted(months)]


# --- every deadline of the seeds ------------------------------------------------------------


def test_fixture_covers_the_four_plans() -> None:
    counts = {seed: sum(len(row["line"].split(",")) for row in ROWS if row["seed"] == seed) for seed in PLAN_PERIODS}
    # 000: measures 6-53 (the first page of the table, measures 1-5, is missing from the extraction);
    # 001: the 30 deadline cells left in its shifted table (the rows of L69-80 lost theirs); 003: all
    # 43 measures; 004: all 158 measures.
    assert counts == {"000": 48, "001": 30, "003": 43, "004": 158}


@pytest.mark.parametrize("row", ROWS, ids=[f"{row['seed']}:{row['line'].split(',')[0]}" for row in ROWS])
def test_seed_deadline(row: dict[str, str]) -> None:
    start, end = PLAN_PERIODS[row["seed"]]
    deadline = parse_deadline(row["text"], start, end, row["language"])
    if row["expected"] == "UNPARSED":
        assert deadline.unparsed and deadline.schedule == [] and deadline.note
    else:
        assert not deadline.unparsed, deadline.note
        assert deadline.schedule == row["expected"].split(",")
    assert deadline.text == row["text"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
@pytest.mark.parametrize("seed", sorted(PLAN_PERIODS))
def test_fixture_lines_are_where_the_cells_start(seed: str) -> None:
    """Each cited line of the seed holds the first word of the cell, so the fixture can be checked
    against the documents."""
    lines = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8").split("\n")
    for row in (row for row in ROWS if row["seed"] == seed):
        first_word = row["text"].removeprefix("<p>").split()[0].removesuffix("</p>")
        for number in row["line"].split(","):
            assert first_word in lines[int(number) - 1], (seed, number, first_word)


# --- the forms of SPEC §2.5 -----------------------------------------------------------------


def test_month_of_a_year_kk() -> None:
    deadline = parse_deadline("2024 жылғы желтоқсан", 2023, 2025, "kk")
    assert deadline == Deadline("2024 жылғы желтоқсан", ["2024-12"], recurring=False, unparsed=False, note="")


def test_month_of_a_year_ru() -> None:
    assert parse_deadline("Декабрь 2026 года", 2026, 2030, "ru").schedule == ["2026-12"]
    # the genitive after "not later than", with a day, which only the note keeps
    deadline = parse_deadline("не позднее 1 июля 2027 года", 2026, 2030, "ru")
    assert deadline.schedule == ["2027-07"]
    assert "day 1" in deadline.note


def test_every_year_with_months_kk() -> None:
    # 000 L1068-1070 (measure 28)
    deadline = parse_deadline("жыл сайын маусым, желтоқсан", 2023, 2025, "kk")
    assert deadline.schedule == every(range(2023, 2026), 6, 12)
    assert deadline.recurring


def test_month_over_a_year_range_ru() -> None:
    # 004 L1856 (measure 13) and L1865, where the range is broken after its dash
    for text in ("август 2026-2030 годов", "август 2026- 2030 годов"):
        deadline = parse_deadline(text, 2026, 2030, "ru")
        assert deadline.schedule == every(range(2026, 2031), 8)
        assert deadline.recurring


def test_twice_a_year_with_months_ru() -> None:
    # 004 L1867 (measure 21)
    deadline = parse_deadline("два раза в год (май, октябрь)", 2026, 2030, "ru")
    assert deadline.schedule == every(range(2026, 2031), 5, 10)
    assert deadline.recurring


def test_twice_a_year_needs_two_months() -> None:
    deadline = parse_deadline("два раза в год (май, июль, октябрь)", 2026, 2030, "ru")
    assert deadline.unparsed and "3 months" in deadline.note


def test_quarter_of_a_year_kk() -> None:
    # 003 L1138-1141 (measure 1), with its letter-spaced numeral
    assert parse_deadline("2008 жылғы I I I тоқсан", 2007, 2011, "kk").schedule == ["2008-Q3"]
    assert parse_deadline("2008 жылғы III тоқсан", 2007, 2011, "kk").schedule == ["2008-Q3"]
    assert parse_deadline("2024 жылғы 3-ші тоқсан", 2023, 2025, "kk").schedule == ["2024-Q3"]


def test_quarter_of_a_year_ru() -> None:
    assert parse_deadline("IV квартал 2026 года", 2026, 2030, "ru").schedule == ["2026-Q4"]
    assert parse_deadline("в первом квартале 2027 года", 2026, 2030, "ru").schedule == ["2027-Q1"]


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("2008 жылғы I V тоқсан", "2008-Q4"),  # 003 L1287-1290: Latin I and V, spaced
        ("2007 жылғы І V тоқсан", "2007-Q4"),  # 003 L2030-2033: Cyrillic І, Latin V
        ("2008 жылғы IІ тоқсан", "2008-Q2"),  # Latin I then Cyrillic І
        ("2008 жылдың I I I т о қ - саны", "2008-Q3"),  # 003 L2950-2954: the word spaced and hyphenated
    ],
)
def test_roman_numerals_with_look_alikes(text: str, quarter: str) -> None:
    assert parse_deadline(text, 2007, 2011, "kk").schedule == [quarter]


def test_a_numeral_that_is_not_a_quarter() -> None:
    deadline = parse_deadline("2008 жылғы V тоқсан", 2007, 2011, "kk")
    assert deadline.unparsed and "numeral" in deadline.note


@pytest.mark.parametrize("text", ["ежегодно", "жыл сайын", "Ж ы л сайын"])
def test_every_year(text: str) -> None:
    deadline = parse_deadline(text, 2023, 2025)
    assert deadline.schedule == ["2023", "2024", "2025"]
    assert deadline.recurring and not deadline.unparsed


@pytest.mark.parametrize(("text", "language"), [("ежеквартально", "ru"), ("тоқсан сайын", "kk")])
def test_every_quarter(text: str, language: str) -> None:
    deadline = parse_deadline(text, 2024, 2025, language)
    assert deadline.schedule == [f"{y}-Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
    assert deadline.recurring


def test_every_month() -> None:
    assert parse_deadline("ай сайын", 2024, 2024, "kk").schedule == every(range(2024, 2025), *range(1, 13))


@pytest.mark.parametrize(
    ("text", "language", "schedule"),
    [
        ("2026 жылғы 1-ші жартыжылдық", "kk", ["2026-Q2"]),
        ("2026 жылғы II жартыжылдық", "kk", ["2026-Q4"]),
        ("2026 жылдың бірінші жартысы", "kk", ["2026-Q2"]),
        ("I полугодие 2027 года", "ru", ["2027-Q2"]),
        ("второе полугодие 2027 года", "ru", ["2027-Q4"]),
    ],
)
def test_half_year_is_its_last_quarter(text: str, language: str, schedule: list[str]) -> None:
    deadline = parse_deadline(text, 2026, 2030, language)
    assert deadline.schedule == schedule
    assert "half-year" in deadline.note and "last quarter" in deadline.note


@pytest.mark.parametrize("text", ["жартыжылдықта бір рет", "раз в полугодие", "два раза в год"])
def test_every_half_year(text: str) -> None:
    deadline = parse_deadline(text, 2026, 2027)
    assert deadline.schedule == ["2026-Q2", "2026-Q4", "2027-Q2", "2027-Q4"]
    assert deadline.recurring


def test_draft_law_timeline_with_names_before_the_dates() -> None:
    text = "в Администрацию Президента – сентябрь 2026 года; в Мажилис – декабрь 2026 года"
    deadline = parse_deadline(text, 2026, 2030, "ru")
    assert deadline.schedule == ["2026-09", "2026-12"]
    assert not deadline.recurring
    assert deadline.note == "2026-09: администрацию президента; 2026-12: мажилис"


def test_draft_law_timeline_with_names_after_the_dates() -> None:
    # 004 L1966 (measure 70): each date and step in its own paragraph, and a stray "а"
    text = (
        "<p>октябрь 2028 года</p> <p>разработка проекта Закона</p> <p>февраль 2029 года</p> "
        "<p>внесение в Аппарат Правительства</p> <p>а</p> <p>май 2029 года</p> <p>внесение в Мажилис Парламента</p>"
    )
    deadline = parse_deadline(text, 2026, 2030, "ru")
    assert deadline.schedule == ["2028-10", "2029-02", "2029-05"]
    assert deadline.note.split("; ") == [
        "2028-10: разработка проекта закона",
        "2029-02: внесение в аппарат правительства а",
        "2029-05: внесение в мажилис парламента",
    ]


def test_plan_then_yearly_reports() -> None:
    # 004 L2075 (measure 129)
    text = "июль 2026 года (утверждение плана) далее март 2027-2030 годов предоставлен и е информации в МП"
    deadline = parse_deadline(text, 2026, 2030, "ru")
    assert deadline.schedule == ["2026-07", *every(range(2027, 2031), 3)]
    assert deadline.recurring
    assert deadline.note == "2026-07: утверждение плана; 2027-03..2030-03: предоставлен и е информации в мп"


def test_steps_with_a_month_range_kk() -> None:
    # 000 L747-760 and L780-782 (measure 19, split by a page break); the pilot runs April-December
    text = (
        "2024 жылғы наурыз – әзірлеу; 2024 жылғы сәу ір  – желтоқсан – сынақтан өткізу; 2025 жылғы қаңтар – "
        "сынақтан ө т к і з у қорытындысы н қарау; 2025 жылғы ақпан – ендіру"
    )
    deadline = parse_deadline(text, 2023, 2025, "kk")
    assert deadline.schedule == ["2024-03", "2024-12", "2025-01", "2025-02"]
    assert "2024-12: сынақтан өткізу" in deadline.note
    assert "2024-04..2024-12 read as due at its end" in deadline.note


def test_year_range() -> None:
    deadline = parse_deadline("2023-2025 жылдар", 2023, 2025, "kk")
    assert deadline.schedule == ["2023", "2024", "2025"]
    assert deadline.recurring


def test_year_range_with_days_and_months() -> None:
    # 003 L2247-2254 (measure 30): spaced digits "1 0"
    deadline = parse_deadline("2008 - 2009 жылдар 1 0 қаңтар және 1 0 шілде", 2007, 2011, "kk")
    assert deadline.schedule == ["2008-01", "2008-07", "2009-01", "2009-07"]
    assert "day 10" in deadline.note


def test_hyphenated_month() -> None:
    # 003 L1915-1918: "жел- тоқсан" is December, not a quarter
    assert parse_deadline("2008 жылғы жел- тоқсан", 2007, 2011, "kk").schedule == ["2008-12"]
    # 003 L2171-2176: every year by 20 January, the month spaced and hyphenated
    deadline = parse_deadline("Ж ы л сайын 2 0 қ а ң - тарға дейін", 2007, 2009, "kk")
    assert deadline.schedule == ["2007-01", "2008-01", "2009-01"]


def test_two_dates_in_one_cell() -> None:
    # 000 L525-535 (measure 14): two dates separated by blank lines
    assert parse_deadline("2025 жылғы қаңтар 2025 жылғы қыркүйек", 2023, 2025, "kk").schedule == ["2025-01", "2025-09"]


def test_russian_month_range() -> None:
    deadline = parse_deadline("с января по март 2026 года", 2026, 2030, "ru")
    assert deadline.schedule == ["2026-03"]
    assert "2026-01..2026-03" in deadline.note


# --- what is not read, and why --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("по мере необходимости", "cannot read"),
        ("постоянно", "cannot read"),
        ("в течение года", "without a year"),
        ("до 10 числа месяца, следующего за отчетным", "cannot read"),
        ("жыл сайын 5 жаңа орталық құру", "number"),  # 000 L1273: a completion form, not a deadline
        ("2024 жылдан бастап", "cannot read"),  # a start, not a deadline
        ("2024 жылғы қараша – 2025 жылғы ақпан", "range"),
        ("желтоқсан", "without a year"),
        ("талап етілмейді", "no date"),
    ],
)
def test_unreadable_text_is_kept_and_flagged(text: str, reason: str) -> None:
    deadline = parse_deadline(text, 2023, 2025)
    assert deadline.unparsed
    assert deadline.schedule == []
    assert deadline.text == text
    assert reason in deadline.note


def test_year_outside_the_plan_is_kept_and_noted() -> None:
    deadline = parse_deadline("2022 жылғы желтоқсан", 2023, 2025, "kk")
    assert deadline.schedule == ["2022-12"]
    assert deadline.note == "2022 outside the plan period 2023-2025"


def test_executors_glued_to_the_deadline_are_noted() -> None:
    # 000 L371-372: the executors' cell ran onto the deadline's last line
    deadline = parse_deadline("жыл сайын желтоқсан ІІМ, ЖАО -", 2023, 2025, "kk")
    assert deadline.schedule == every(range(2023, 2026), 12)
    assert "names agencies" in deadline.note


def test_empty_text() -> None:
    deadline = parse_deadline("  ", 2023, 2025)
    assert deadline.unparsed and deadline.note == "empty deadline"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="starts"):
        parse_deadline("2024 жылғы желтоқсан", 2025, 2023)
    with pytest.raises(ValueError, match="language"):
        parse_deadline("2024 жылғы желтоқсан", 2023, 2025, "en")


def test_detect_language() -> None:
    assert detect_language("2024 жылғы желтоқсан") == "kk"
    assert detect_language("Декабрь 2026 года") == "ru"


def test_period_order() -> None:
    periods = ["2025", "2024-Q4", "2024-12", "2024-01", "2024-Q1"]
    assert sorted(periods, key=period_sort_key) == ["2024-01", "2024-Q1", "2024-12", "2024-Q4", "2025"]


def test_to_json() -> None:
    document = parse_deadline("2008 жылғы III тоқсан", 2007, 2011, "kk").to_json()
    assert document == {
        "text": "2008 жылғы III тоқсан",
        "schedule": ["2008-Q3"],
        "recurring": False,
        "unparsed": False,
        "note": "",
    }


# --- the command ----------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("parse_deadline", *args, stdout=out)
    return out.getvalue()


def test_command_json() -> None:
    output = _run("август 2026-2030 годов", "--start", "2026", "--end", "2030", "--json")
    assert json.loads(output) == {
        "text": "август 2026-2030 годов",
        "schedule": every(range(2026, 2031), 8),
        "recurring": True,
        "unparsed": False,
        "note": "",
    }


def test_command_human_text() -> None:
    output = _run("2024 жылғы желтоқсан", "--start", "2023", "--end", "2025", "--language", "kk")
    assert output.strip() == "2024-12 (one-off)"
    output = _run("по мере необходимости", "--start", "2026", "--end", "2030")
    assert output.startswith("Not read: 'по мере необходимости'")


def test_command_unparsed_json() -> None:
    document = json.loads(_run("постоянно", "--start", "2026", "--end", "2030", "--json"))
    assert document["unparsed"] is True and document["schedule"] == []


def test_command_rejects_bad_input() -> None:
    with pytest.raises(CommandError, match="after --end"):
        _run("2024 жылғы желтоқсан", "--start", "2025", "--end", "2023")
    with pytest.raises(CommandError, match="empty"):
        _run(" ", "--start", "2023", "--end", "2025")
