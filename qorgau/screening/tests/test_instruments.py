"""Tests of the instrument engine: the shipped instruments, answer validation, scoring and XLSForm import.

No database: instruments are plain data. Messages are checked in English (their source language).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from screening.instruments import (
    LIBRARY_DIR,
    AnswerError,
    Choice,
    FormError,
    Instrument,
    Score,
    get_instrument,
    load_library,
    load_xlsform,
)
from screening.instruments import library as instrument_library


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def errors_of(instrument: Instrument, answers: Any) -> dict[str, str]:
    with pytest.raises(AnswerError) as excinfo:
        instrument.score(answers)
    return excinfo.value.errors


def spread(total: int, codes: list[str], maximum: int) -> dict[str, int]:
    """Answers to ``codes`` (each 0..maximum) adding up to ``total``, filling the first items first."""
    answers = {}
    for code in codes:
        answers[code] = min(maximum, total)
        total -= answers[code]
    assert total == 0, "total too large for these items"
    return answers


PHQ = [f"phq{i}" for i in range(1, 10)]
GAD = [f"gad{i}" for i in range(1, 8)]
UCLA = ["ucla1", "ucla2", "ucla3"]
ASQ14 = ["asq1", "asq2", "asq3", "asq4"]


# --- the library ------------------------------------------------------------------------------------------


def test_library_holds_the_five_instruments() -> None:
    library = load_library()
    assert sorted(library) == ["asq", "bullying", "gad7", "phq_a", "ucla3"]
    assert load_library() is library  # parsed once
    assert sorted(p.name for p in LIBRARY_DIR.glob("*.md")) == [
        "asq.md",
        "bullying.md",
        "gad7.md",
        "phq_a.md",
        "ucla3.md",
    ]


def test_unknown_instrument_lists_the_known_codes() -> None:
    with pytest.raises(KeyError) as excinfo:
        instrument_library.get("sdq")
    assert excinfo.value.args[0] == "Unknown instrument “sdq” (known: asq, bullying, gad7, phq_a, ucla3)."


@pytest.mark.parametrize(
    ("code", "questions", "values", "ages", "source_mentions"),
    [
        ("asq", [*ASQ14, "asq5"], None, (10, 24), ["NIMH", "Horowitz"]),
        ("phq_a", PHQ, ["0", "1", "2", "3"], (11, 17), ["Johnson", "Pfizer"]),
        ("gad7", GAD, ["0", "1", "2", "3"], (11, 18), ["Spitzer", "Pfizer"]),
        (
            "bullying",
            ["victim", "cyber_victim", "perpetrator", "cyber_perpetrator"],
            ["0", "1", "2", "3", "4"],
            (10, 18),
            ["HBSC", "Olweus"],
        ),
        ("ucla3", UCLA, ["1", "2", "3"], (10, 18), ["Hughes"]),
    ],
)
def test_shipped_instrument_metadata(
    code: str, questions: list[str], values: list[str] | None, ages: tuple[int, int], source_mentions: list[str]
) -> None:
    instrument = get_instrument(code)
    assert instrument.code == code
    assert instrument.version == "2026.1"
    assert instrument.question_codes() == questions
    assert (instrument.age_min, instrument.age_max) == ages
    assert instrument.languages == ("kk", "ru", "en")
    assert instrument.default_language == "en"
    assert instrument.translations == {"kk": "unofficial", "ru": "unofficial", "en": "official"}
    assert all(word in instrument.source for word in source_mentions)
    assert instrument.licence.strip()
    assert set(instrument.title) == {"kk", "ru", "en"}
    assert len(set(instrument.title.values())) == 3  # really translated
    for item in instrument.items:
        assert set(item.label) == {"kk", "ru", "en"}, item.code
        assert len(set(item.label.values())) == 3, item.code
        assert all(item.required for item in instrument.items if item.is_question)
        for choice in item.choices:
            assert set(choice.label) == {"kk", "ru", "en"}, (item.code, choice.value)
        if values is not None and item.is_question:
            assert [c.value for c in item.choices] == values


def test_english_wording_is_the_original() -> None:
    asq = get_instrument("asq")
    assert [asq.item(c).label["en"] for c in ["asq1", "asq4", "asq5"]] == [
        "In the past few weeks, have you wished you were dead?",
        "Have you ever tried to kill yourself?",
        "Are you having thoughts of killing yourself right now?",
    ]
    assert get_instrument("phq_a").item("phq9").label["en"] == (
        "Thoughts that you would be better off dead, or of hurting yourself in some way?"
    )
    assert get_instrument("gad7").item("gad_intro").label["en"] == (
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    )
    assert [c.label["en"] for c in get_instrument("gad7").item("gad1").choices] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert [c.label["en"] for c in get_instrument("ucla3").item("ucla1").choices] == [
        "Hardly ever",
        "Some of the time",
        "Often",
    ]
    assert get_instrument("bullying").item("victim").choices[0] == Choice(
        value="0",
        label={
            "kk": "Соңғы екі айда мектепте мені ешкім қорлаған жоқ",
            "ru": "За последние пару месяцев меня не травили в школе",
            "en": "I have not been bullied at school in the past couple of months",
        },
    )


def test_asq_choices_offer_declining_except_asq5() -> None:
    asq = get_instrument("asq")
    for code in ASQ14:
        assert [c.value for c in asq.item(code).choices] == ["1", "0", "declined"]
        assert asq.item(code).declinable
    assert [c.value for c in asq.item("asq5").choices] == ["1", "0"]
    assert asq.item("asq5").relevant == "${positive} = 1"
    assert asq.item("asq1").choices[2].label == {
        "kk": "Жауап бергім келмейді",
        "ru": "Предпочитаю не отвечать",
        "en": "I prefer not to answer",
    }


def test_text_falls_back_to_default_then_any_language() -> None:
    phq = get_instrument("phq_a")
    label = phq.item("phq1").label
    assert phq.text(label, "ru") == "Плохое настроение, подавленность, раздражительность или чувство безнадёжности"
    assert phq.text(label, "de") == "Feeling down, depressed, irritable, or hopeless?"
    assert phq.text({"kk": "тек қазақша"}, "ru") == "тек қазақша"
    assert phq.text({}, "en") == ""


@pytest.mark.parametrize("code", ["asq", "phq_a", "gad7", "bullying", "ucla3"])
def test_library_instruments_round_trip_through_json(code: str) -> None:
    instrument = get_instrument(code)
    stored = json.loads(json.dumps(instrument.to_json()))  # as a JSONField keeps it
    again = Instrument.from_json(stored)
    assert again == instrument
    assert again.to_json() == instrument.to_json()
    assert again.items == instrument.items
    assert again.calculates == instrument.calculates
    assert again.title == instrument.title and again.translations == instrument.translations


# --- PHQ-A ------------------------------------------------------------------------------------------------

PHQ_BANDS = [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 19, "moderately_severe"), (20, 27, "severe")]


def phq_band(total: int) -> str:
    return next(band for low, high, band in PHQ_BANDS if low <= total <= high)


@pytest.mark.parametrize("total", range(28))
def test_phq_a_every_total_and_band(total: int) -> None:
    # phq9 stays 0 while possible, so the flag is raised only for totals above 24.
    answers = spread(min(total, 24), PHQ[:8], 3) | {"phq9": max(0, total - 24)}
    score = get_instrument("phq_a").score(answers)
    assert score == Score(
        total=total,
        band=phq_band(total),
        flags=("suicidal_ideation",) if total > 24 else (),
        subscales={},
    )


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
    ],
)
def test_phq_a_band_boundaries(total: int, band: str) -> None:
    score = get_instrument("phq_a").score(spread(total, PHQ[:8], 3) | {"phq9": 0})
    assert (score.total, score.band) == (total, band)


@pytest.mark.parametrize(("phq9", "flags"), [(0, ()), (1, ("suicidal_ideation",)), (3, ("suicidal_ideation",))])
def test_phq_a_item_9_raises_suicidal_ideation(phq9: int, flags: tuple[str, ...]) -> None:
    score = get_instrument("phq_a").score(dict.fromkeys(PHQ[:8], 0) | {"phq9": phq9})
    assert score == Score(total=phq9, band="minimal", flags=flags, subscales={})


def test_phq_a_accepts_choice_names_as_text_and_whole_floats() -> None:
    answers: dict[str, Any] = dict.fromkeys(PHQ, "2")
    answers["phq1"] = 2.0
    answers["phq2"] = " 2 "
    assert get_instrument("phq_a").score(answers).total == 18


# --- GAD-7 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_totals_and_bands(total: int, band: str) -> None:
    score = get_instrument("gad7").score(spread(total, GAD, 3))
    assert score == Score(total=total, band=band, flags=(), subscales={})


# --- UCLA-3 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ((1, 1, 1), 3, "not_lonely"),
        ((1, 1, 3), 5, "not_lonely"),
        ((2, 2, 1), 5, "not_lonely"),
        ((2, 2, 2), 6, "lonely"),
        ((3, 1, 2), 6, "lonely"),
        ((3, 3, 3), 9, "lonely"),
    ],
)
def test_ucla3_totals_and_bands(answers: tuple[int, int, int], total: int, band: str) -> None:
    score = get_instrument("ucla3").score(dict(zip(UCLA, answers, strict=True)))
    assert score == Score(total=total, band=band, flags=(), subscales={})


def test_ucla3_has_no_zero_option() -> None:
    assert errors_of(get_instrument("ucla3"), {"ucla1": 0, "ucla2": 1, "ucla3": 1}) == {
        "ucla1": "0 is not one of the options of “ucla1” (allowed: 1, 2, 3)."
    }


# --- bullying ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("victim", "cyber_victim", "perpetrator", "cyber_perpetrator", "band", "flags"),
    [
        (0, 0, 0, 0, "none", ()),
        (1, 1, 1, 1, "none", ()),
        (2, 0, 0, 0, "monthly", ("bullied",)),
        (0, 2, 0, 0, "monthly", ("cyberbullied",)),
        (2, 2, 0, 0, "monthly", ("bullied", "cyberbullied")),
        (3, 1, 0, 0, "weekly", ("bullied",)),
        (1, 3, 0, 0, "weekly", ("cyberbullied",)),
        (4, 4, 0, 0, "weekly", ("bullied", "cyberbullied")),
        (0, 0, 2, 0, "none", ("bullies_others",)),
        (0, 0, 0, 2, "none", ("bullies_others",)),
        (0, 0, 1, 1, "none", ()),
        (3, 0, 4, 4, "weekly", ("bullied", "bullies_others")),
    ],
)
def test_bullying_band_and_flags(
    victim: int, cyber_victim: int, perpetrator: int, cyber_perpetrator: int, band: str, flags: tuple[str, ...]
) -> None:
    score = get_instrument("bullying").score(
        {
            "victim": victim,
            "cyber_victim": cyber_victim,
            "perpetrator": perpetrator,
            "cyber_perpetrator": cyber_perpetrator,
        }
    )
    assert score == Score(
        total=None,
        band=band,
        flags=flags,
        subscales={
            "victimisation": max(victim, cyber_victim),
            "perpetration": max(perpetrator, cyber_perpetrator),
        },
    )


def test_bullying_refuses_out_of_range() -> None:
    answers = {"victim": 5, "cyber_victim": -1, "perpetrator": 0, "cyber_perpetrator": 0}
    assert errors_of(get_instrument("bullying"), answers) == {
        "victim": "5 is not one of the options of “victim” (allowed: 0, 1, 2, 3, 4).",
        "cyber_victim": "-1 is not one of the options of “cyber_victim” (allowed: 0, 1, 2, 3, 4).",
    }


# --- ASQ --------------------------------------------------------------------------------------------------


def test_asq_all_no_is_negative_and_asq5_is_not_asked() -> None:
    asq = get_instrument("asq")
    answers = dict.fromkeys(ASQ14, 0)
    assert asq.score(answers) == Score(total=None, band="negative", flags=(), subscales={})
    assert asq.relevant_codes(answers) == ASQ14
    assert asq.missing(answers) == []


@pytest.mark.parametrize("code", ASQ14)
@pytest.mark.parametrize("positive", [1, "1", None, "declined"])
@pytest.mark.parametrize(("asq5", "band"), [(1, "acute_positive"), (0, "non_acute_positive")])
def test_asq_any_yes_or_declined_is_positive(code: str, positive: Any, asq5: int, band: str) -> None:
    answers: dict[str, Any] = dict.fromkeys(ASQ14, 0) | {code: positive, "asq5": asq5}
    assert get_instrument("asq").score(answers) == Score(total=None, band=band, flags=(), subscales={})


def test_asq_all_declined_is_positive() -> None:
    answers: dict[str, Any] = dict.fromkeys(ASQ14) | {"asq5": 0}
    assert get_instrument("asq").score(answers).band == "non_acute_positive"


def test_asq_null_means_declined_and_is_stored_as_declined() -> None:
    asq = get_instrument("asq")
    assert asq.clean_answer("asq1", None) == "declined"
    assert asq.clean_answer("asq1", "declined") == "declined"
    assert asq.clean_answer("asq1", 1) == 1
    assert asq.clean_answer("asq1", "0") == 0
    assert asq.clean_answer("asq5", None) is None  # asq5 offers no "declined": null is no answer


def test_asq5_asked_only_when_positive() -> None:
    asq = get_instrument("asq")
    positive = dict.fromkeys(ASQ14, 0) | {"asq3": 1}
    assert asq.relevant_codes(positive) == [*ASQ14, "asq5"]
    assert asq.missing(positive) == ["asq5"]
    assert asq.missing(positive | {"asq5": 0}) == []
    assert asq.relevant_codes({}) == ASQ14
    assert asq.missing({}) == ASQ14
    assert asq.relevant_codes({"asq1": None}) == [*ASQ14, "asq5"]  # declined is positive


def test_asq5_missing_when_positive_is_an_error() -> None:
    asq = get_instrument("asq")
    errors = errors_of(asq, dict.fromkeys(ASQ14, 0) | {"asq2": 1})
    assert errors == {"asq5": "“asq5” is required but has no answer."}
    errors = errors_of(asq, dict.fromkeys(ASQ14, 0) | {"asq2": 1, "asq5": None})
    assert errors == {"asq5": "“asq5” is required but has no answer."}


def test_asq5_answered_when_negative_is_an_error() -> None:
    errors = errors_of(get_instrument("asq"), dict.fromkeys(ASQ14, 0) | {"asq5": 0})
    assert errors == {"asq5": "“asq5” must not be answered: it is not asked given the other answers."}


def test_asq5_cannot_be_declined() -> None:
    errors = errors_of(get_instrument("asq"), dict.fromkeys(ASQ14, 1) | {"asq5": "declined"})
    assert errors == {"asq5": '"declined" is not one of the options of “asq5” (allowed: 1, 0).'}


# --- validation of answers --------------------------------------------------------------------------------


def test_score_reports_every_problem_at_once() -> None:
    answers: dict[str, Any] = dict.fromkeys(PHQ[:5], 1)
    answers |= {"phq5": 4, "phq6": "often", "phq7": True, "phq8": [1], "depressed": 1, "phq_intro": "ok"}
    errors = errors_of(get_instrument("phq_a"), answers)
    assert errors == {
        "phq5": "4 is not one of the options of “phq5” (allowed: 0, 1, 2, 3).",
        "phq6": '"often" is not one of the options of “phq6” (allowed: 0, 1, 2, 3).',
        "phq7": "true is not one of the options of “phq7” (allowed: 0, 1, 2, 3).",
        "phq8": "[1] is not one of the options of “phq8” (allowed: 0, 1, 2, 3).",
        "depressed": "There is no question “depressed” in phq_a.",
        "phq_intro": "“phq_intro” is not a question of phq_a and takes no answer.",
        "phq9": "“phq9” is required but has no answer.",
    }


def test_null_for_an_item_without_declined_is_missing() -> None:
    errors = errors_of(get_instrument("gad7"), dict.fromkeys(GAD, 0) | {"gad3": None, "gad4": ""})
    assert errors == {
        "gad3": "“gad3” is required but has no answer.",
        "gad4": "“gad4” is required but has no answer.",
    }


def test_answers_must_be_a_mapping() -> None:
    assert errors_of(get_instrument("gad7"), [1, 2, 3]) == {
        "": "The answers must be an object mapping item codes to values."
    }


def test_answer_error_text_names_the_items() -> None:
    with pytest.raises(AnswerError) as excinfo:
        get_instrument("ucla3").score({"ucla1": 1, "ucla2": 1})
    assert str(excinfo.value) == "ucla3: “ucla3” is required but has no answer."
    assert isinstance(excinfo.value, ValueError)


def test_clean_answer_one_at_a_time() -> None:
    phq = get_instrument("phq_a")
    assert phq.clean_answer("phq1", 3) == 3
    assert phq.clean_answer("phq1", "3") == 3
    assert phq.clean_answer("phq1", 3.0) == 3
    assert phq.clean_answer("phq1", None) is None
    for raw, shown in [(4, "4"), (2.5, "2.5"), (False, "false"), ("three", '"three"'), ({"a": 1}, '{"a": 1}')]:
        with pytest.raises(AnswerError) as excinfo:
            phq.clean_answer("phq1", raw)
        assert excinfo.value.errors == {"phq1": f"{shown} is not one of the options of “phq1” (allowed: 0, 1, 2, 3)."}
    with pytest.raises(AnswerError) as excinfo:
        phq.clean_answer("phq10", 1)
    assert excinfo.value.errors == {"phq10": "There is no question “phq10” in phq_a."}


# --- XLSForm import ---------------------------------------------------------------------------------------

SURVEY_HEADER = [
    "type",
    "name",
    "label::Kazakh (kk)",
    "label::Russian (ru)",
    "label::English (en)",
    "hint::English (en)",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "constraint_message::Russian (ru)",
    "required",
    "calculation",
    "appearance",
]


def survey_row(
    kind: str, name: str = "", labels: tuple[str, str, str] | None = None, cells: dict[str, str] | None = None
) -> list[Any]:
    """One survey row in SURVEY_HEADER's column order: type, name, kk/ru/en labels and any other ``cells``."""
    by_column: dict[str, Any] = {"type": kind, "name": name or None, **(cells or {})}
    if labels:
        by_column |= dict(zip(SURVEY_HEADER[2:5], labels, strict=True))
    return [by_column.get(column) for column in SURVEY_HEADER]


HABITS_SURVEY = [
    SURVEY_HEADER,
    survey_row("begin group", "page1", ("Бірінші бет", "Первая страница", "First page"), {"appearance": "field-list"}),
    survey_row("select_one yn", "smokes", ("Темекі шегесің бе?", "Ты куришь?", "Do you smoke?"), {"required": "yes"}),
    survey_row(
        "integer",
        "cigarettes",
        ("Күніне неше шылым?", "Сколько сигарет в день?", "How many cigarettes a day?"),
        {
            "hint::English (en)": "A whole number",
            "relevant": "${smokes} = 1",
            "constraint": ". >= 1 and . <= 60",
            "constraint_message::English (en)": "Between 1 and 60",
            "constraint_message::Russian (ru)": "От 1 до 60",
            "required": "yes",
        },
    ),
    survey_row("end group"),
    survey_row(
        "decimal",
        "hours",
        ("Неше сағат ұйықтайсың?", "Сколько часов ты спишь?", "How many hours do you sleep?"),
        {"constraint": ". >= 0 and . <= 24", "required": "no"},
    ),
    survey_row("text", "comment", ("Тағы не айтқың келеді?", "Что ещё ты хочешь сказать?", "Anything else?")),
    survey_row("note", "thanks", ("Рақмет!", "Спасибо!", "Thank you!")),
    survey_row("calculate", "total", cells={"calculation": "if(${smokes} = 1, ${cigarettes}, 0)"}),
    survey_row(
        "calculate", "band", cells={"calculation": "if(${total} >= 20, 'heavy', if(${total} >= 1, 'light', 'none'))"}
    ),
    survey_row("calculate", "flag_smoker", cells={"calculation": "${smokes} = 1"}),
    survey_row("calculate", "subscale_sleep", cells={"calculation": "${hours}"}),
]
HABITS_CHOICES = [
    ["list_name", "name", "label::Kazakh (kk)", "label::Russian (ru)", "label::English (en)"],
    ["yn", 1, "Иә", "Да", "Yes"],
    ["yn", 0, "Жоқ", "Нет", "No"],
]
HABITS_SETTINGS = [
    [
        "form_id",
        "version",
        "form_title",
        "title::Kazakh (kk)",
        "default_language",
        "source",
        "licence",
        "age_min",
        "age_max",
        "translation_status::kk",
        "translation_status::ru",
        "translation_status::en",
    ],
    [
        "habits",
        "2026.2",
        "Habits",
        "Әдеттер",
        "English (en)",
        "Test source",
        "CC0",
        12,
        17,
        "unofficial",
        "official",
        "official",
    ],
]


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An .xlsx workbook with these sheets, built in memory with openpyxl."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def habits_xlsx() -> bytes:
    return xlsx({"survey": HABITS_SURVEY, "choices": HABITS_CHOICES, "settings": HABITS_SETTINGS})


@pytest.fixture
def habits(habits_xlsx: bytes) -> Instrument:
    return load_xlsform(io.BytesIO(habits_xlsx), filename="habits.xlsx")


def test_xlsx_three_languages_are_read(habits: Instrument) -> None:
    assert habits.code == "habits"
    assert habits.version == "2026.2"
    assert habits.title == {"kk": "Әдеттер", "ru": "Habits", "en": "Habits"}
    assert habits.languages == ("kk", "ru", "en")
    assert habits.default_language == "en"
    assert habits.translations == {"kk": "unofficial", "ru": "official", "en": "official"}
    assert (habits.source, habits.licence, habits.age_min, habits.age_max) == ("Test source", "CC0", 12, 17)
    assert [(i.code, i.kind, i.group) for i in habits.items] == [
        ("smokes", "select_one", "page1"),
        ("cigarettes", "integer", "page1"),
        ("hours", "decimal", ""),
        ("comment", "text", ""),
        ("thanks", "note", ""),
    ]
    assert [c.code for c in habits.calculates] == ["total", "band", "flag_smoker", "subscale_sleep"]
    assert habits.question_codes() == ["smokes", "cigarettes", "hours", "comment"]
    assert habits.groups == {"page1": {"kk": "Бірінші бет", "ru": "Первая страница", "en": "First page"}}
    smokes, cigarettes = habits.item("smokes"), habits.item("cigarettes")
    assert smokes.choices == (
        Choice("1", {"kk": "Иә", "ru": "Да", "en": "Yes"}),
        Choice("0", {"kk": "Жоқ", "ru": "Нет", "en": "No"}),
    )
    assert smokes.required is True and habits.item("hours").required is False
    assert cigarettes.label == {
        "kk": "Күніне неше шылым?",
        "ru": "Сколько сигарет в день?",
        "en": "How many cigarettes a day?",
    }
    assert cigarettes.hint == {"en": "A whole number"}
    assert cigarettes.relevant == "${smokes} = 1"
    assert cigarettes.constraint == ". >= 1 and . <= 60"
    assert cigarettes.constraint_message == {"en": "Between 1 and 60", "ru": "От 1 до 60"}


def test_xlsx_form_round_trips_through_json(habits: Instrument) -> None:
    stored = json.loads(json.dumps(habits.to_json()))
    again = Instrument.from_json(stored)
    assert again == habits
    assert again.to_json() == stored
    assert again.items == habits.items and again.groups == habits.groups
    answers = {"smokes": 1, "cigarettes": 25, "hours": 7.5, "comment": "ok"}
    assert again.score(answers) == habits.score(answers)


def test_xlsx_form_scores_with_total_band_flags_subscales(habits: Instrument) -> None:
    assert habits.score({"smokes": 1, "cigarettes": 25, "hours": "7.5", "comment": "ok"}) == Score(
        total=25, band="heavy", flags=("smoker",), subscales={"sleep": 7.5}
    )
    assert habits.score({"smokes": "1", "cigarettes": "3"}) == Score(
        total=3, band="light", flags=("smoker",), subscales={}
    )
    assert habits.score({"smokes": 0, "hours": 9}) == Score(total=0, band="none", flags=(), subscales={"sleep": 9})
    assert habits.relevant_codes({"smokes": 0}) == ["smokes", "hours", "comment"]
    assert [i.code for i in habits.relevant_items({"smokes": 1})] == [
        "smokes",
        "cigarettes",
        "hours",
        "comment",
        "thanks",
    ]


def test_xlsx_constraint_messages_in_the_users_language(habits: Instrument) -> None:
    answers = {"smokes": 1, "cigarettes": 0}
    assert errors_of(habits, answers) == {"cigarettes": "Between 1 and 60"}
    with translation.override("ru"):
        assert errors_of(habits, answers) == {"cigarettes": "От 1 до 60"}
    with translation.override("kk"):  # no Kazakh message: the default language
        assert errors_of(habits, answers) == {"cigarettes": "Between 1 and 60"}
    assert errors_of(habits, {"smokes": 0, "hours": 25}) == {
        "hours": "The answer 25.0 to “hours” is not allowed (constraint: . >= 0 and . <= 24)."
    }


def test_xlsx_types_are_checked(habits: Instrument) -> None:
    assert habits.clean_answer("cigarettes", "12") == 12
    assert habits.clean_answer("cigarettes", 12.0) == 12
    assert habits.clean_answer("hours", "7.25") == 7.25
    assert habits.clean_answer("hours", 8) == 8.0 and type(habits.clean_answer("hours", 8)) is float
    assert habits.clean_answer("comment", "fine") == "fine"
    assert habits.clean_answer("comment", "  ") is None
    errors = errors_of(habits, {"smokes": 1, "cigarettes": 1.5, "hours": "long", "comment": 5})
    assert errors == {
        "cigarettes": "“cigarettes” needs a whole number; 1.5 is not one.",
        "hours": '“hours” needs a number; "long" is not one.',
        "comment": "“comment” needs text; 5 is not text.",
    }
    with pytest.raises(AnswerError) as excinfo:
        habits.clean_answer("cigarettes", 99)
    assert excinfo.value.errors == {"cigarettes": "Between 1 and 60"}


def test_xlsx_from_path_bytes_and_file_object(habits_xlsx: bytes, habits: Instrument, tmp_path: Path) -> None:
    path = tmp_path / "habits.xlsx"
    path.write_bytes(habits_xlsx)
    assert load_xlsform(path) == habits
    assert load_xlsform(str(path)) == habits
    with path.open("rb") as handle:  # the file's own name tells the format
        assert load_xlsform(handle) == habits
    assert load_xlsform(io.BytesIO(habits_xlsx)) == habits  # no name: pyxform recognises the format


MD_SETTINGS = "| settings |\n| | form_id | version | source | licence |\n| | demo | 1 | Test source | Test licence |\n"
MD_YN = "| choices |\n| | list_name | name | label |\n| | yn | 1 | Yes |\n| | yn | 0 | No |\n"


def md_form(survey_rows: str, header: str = "| | type | name | label | relevant |", extra: str = "") -> str:
    return f"| survey |\n{header}\n{survey_rows}{MD_YN}{extra}{MD_SETTINGS}"


def load_md(text: str) -> Instrument:
    return load_xlsform(io.BytesIO(text.encode("utf-8")), filename="demo.md")


def form_errors(text: str) -> list[str]:
    with pytest.raises(FormError) as excinfo:
        load_md(text)
    assert str(excinfo.value) == "\n".join(excinfo.value.messages)
    return excinfo.value.messages


def test_constraint_on_another_item_is_checked_with_the_other_answers() -> None:
    header = "| | type | name | label | constraint |"
    rows = "| | integer | older | Age of your older sibling | |\n| | integer | age | Your age | . <= ${older} |\n"
    instrument = load_md(md_form(rows, header=header))
    assert instrument.clean_answer("age", 12) == 12  # no context: left to score()
    assert instrument.clean_answer("age", 12, answers={"older": 14}) == 12
    with pytest.raises(AnswerError) as excinfo:
        instrument.clean_answer("age", 15, answers={"older": 14})
    assert excinfo.value.errors == {"age": "The answer 15 to “age” is not allowed (constraint: . <= ${older})."}
    assert errors_of(instrument, {"older": 14, "age": 15}) == {
        "age": "The answer 15 to “age” is not allowed (constraint: . <= ${older})."
    }
    assert instrument.score({"older": 14, "age": 14}) == Score(total=None, band=None, flags=(), subscales={})


def test_form_title_per_language() -> None:
    survey = (
        "| survey |\n| | type | name | label::Russian (ru) | label::Kazakh (kk) |\n| | integer | a | Возраст | Жасы |\n"
    )
    settings = (
        "| settings |\n"
        "| | form_id | version | source | licence | form_title | form_title::Kazakh (kk) | default_language |\n"
        "| | demo | 1 | S | L | Анкета | Сауалнама | Russian (ru) |\n"
    )
    instrument = load_md(survey + settings)
    assert instrument.title == {"kk": "Сауалнама", "ru": "Анкета"}
    assert instrument.languages == ("kk", "ru")
    assert instrument.default_language == "ru"
    assert instrument.translations == {"kk": "unofficial", "ru": "unofficial"}


def test_markdown_and_csv_forms_without_languages() -> None:
    instrument = load_md(md_form("| | select_one yn | ok | Are you OK? | |\n"))
    assert instrument.languages == ("en",)
    assert instrument.item("ok").label == {"en": "Are you OK?"}
    assert instrument.title == {"en": "demo"}
    assert instrument.translations == {"en": "unofficial"}
    csv = (
        "survey,,,\n,type,name,label\n,integer,age,Age\n"
        "settings,,,,\n,form_id,version,source,licence,default_language\n,demo_csv,1,S,L,ru\n"
    )
    from_csv = load_xlsform(io.BytesIO(csv.encode()), filename="demo.csv")
    assert (from_csv.code, from_csv.question_codes(), from_csv.languages) == ("demo_csv", ["age"], ("ru",))
    assert from_csv.item("age").label == {"ru": "Age"}


TYPES = "select_one, integer, decimal, text, note, calculate, begin/end group"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "| | select_multiple yn | pets | Pets | |\n",
            "Item “pets”: multiple-choice questions (select_multiple) are not supported.",
        ),
        (
            "| | image | photo | Photo | |\n",
            f"Item “photo”: question type “image” is not supported (supported: {TYPES}).",
        ),
        (
            "| | geopoint | where | Where? | |\n",
            f"Item “where”: question type “geopoint” is not supported (supported: {TYPES}).",
        ),
        ("| | date | when | When? | |\n", f"Item “when”: question type “date” is not supported (supported: {TYPES})."),
        (
            "| | begin repeat | kids | Kids | |\n| | integer | age | Age | |\n| | end repeat | | | |\n",
            "Item “kids”: repeats are not supported.",
        ),
        ("| | select_one yn or_other | q | Q | |\n", "Item “q”: “or_other” is not supported."),
        (
            "| | select_one_from_file places.csv | place | Place | |\n",
            "Item “place”: choices from files or external sources are not supported.",
        ),
        (
            "| | integer | b | B | |\n| | integer | a | A | pulldata('f', 'c', 'k', ${b}) = 1 |\n",
            "Item “a”: relevant: Expression “pulldata('f', 'c', 'k', ${b}) = 1”: the function pulldata() is not "
            "supported (supported: if(), not(), true(), false(), coalesce(), number(), string(), int(), round(), "
            "max(), min(), string-length(), selected()).",
        ),
        (
            "| | integer | b | B | |\n| | integer | a | A | count-selected(${b}) > 1 |\n",
            "Item “a”: relevant: Expression “count-selected(${b}) > 1”: the function count-selected() is not supported",
        ),
    ],
)
def test_unsupported_features_are_refused_by_name(rows: str, message: str) -> None:
    messages = form_errors(md_form(rows))
    assert len(messages) == 1
    assert messages[0].startswith(message)


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (
            "| | type | name | label | default |",
            "| | integer | a | A | 3 |",
            "The survey column “default” (used by “a”) is not supported (supported: type, name, label, hint, "
            "relevant, constraint, constraint_message, required, calculation, read_only, appearance).",
        ),
        ("| | type | name | label | trigger |", "| | integer | a | A | ${a} |", "The survey column “trigger”"),
        (
            "| | type | name | label | choice_filter |",
            "| | select_one yn | a | A | name = 1 |",
            "The survey column “choice_filter”",
        ),
        (
            "| | type | name | label | media::image |",
            "| | integer | a | A | a.png |",
            "The survey column “media::image”",
        ),
        (
            "| | type | name | label | required |",
            "| | integer | a | A | ${a} > 1 |",
            "Item “a”: required must be yes or no (conditional required “${a} > 1” is not supported).",
        ),
        (
            "| | type | name | label | calculation |",
            "| | integer | a | A | 1 + 1 |",
            "Item “a”: a calculation is only supported on calculate rows (dynamic defaults are not).",
        ),
        (
            "| | type | name | label | appearance |",
            "| | select_one yn | a | A | search('list') |",
            "Item “a”: the appearance “search('list')” (search/pulldata) is not supported.",
        ),
    ],
)
def test_unsupported_columns_are_refused(header: str, row: str, message: str) -> None:
    messages = form_errors(md_form(row + "\n", header=header))
    assert messages[0].startswith(message)


def test_entities_sheet_is_refused() -> None:
    entities = "| entities |\n| | list_name | label |\n| | people | ${a} |\n"
    messages = form_errors(md_form("| | text | a | A | |\n", extra=entities))
    assert messages == ["The “entities” sheet is not supported."]


def test_all_problems_are_reported_together() -> None:
    rows = "| | select_multiple yn | pets | Pets | |\n| | image | photo | Photo | |\n"
    messages = form_errors(md_form(rows))
    assert [m.split(":")[0] for m in messages] == ["Item “pets”", "Item “photo”"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "| | select_one nolist | a | A | |\n",
            "The XLSForm is not valid: [row : 2] List name not in choices sheet: nolist",
        ),
        (
            "| | integer | a | A | ${nope} = 1 |\n",
            "The XLSForm is not valid: [row : 2] On the 'survey' sheet, the 'relevant'",
        ),
        (
            "| | begin group | g | G | |\n| | integer | a | A | |\n",
            "The XLSForm is not valid: [row : 2] Unmatched 'begin_group'.",
        ),
        ("| | calculate | c | | |\n", "The XLSForm is not valid: [row : 2] Missing calculation."),
    ],
)
def test_forms_pyxform_rejects_give_form_error(rows: str, message: str) -> None:
    messages = form_errors(md_form(rows))
    assert len(messages) == 1
    assert messages[0].startswith(message)


def test_pyxform_list_error_is_passed_on() -> None:
    survey = "| survey |\n| | type | name | label |\n| | select_one nolist | a | A |\n"
    messages = form_errors(survey + MD_SETTINGS)
    assert messages == [
        "The XLSForm is not valid: There should be a choices sheet in this xlsform. Please ensure that the "
        "choices sheet has the mandatory columns 'list_name', 'name', and 'label'."
    ]


def test_qorgau_checks_on_expressions() -> None:
    header = "| | type | name | label | relevant | calculation |"
    later = "| | integer | q | Q | | |\n| | calculate | a | | | ${b} + 1 |\n| | calculate | b | | | 1 |\n"
    assert form_errors(md_form(later, header=header)) == [
        "Item “a”: calculation refers to ${b}, which is calculated later in the form; calculates are evaluated "
        "in form order."
    ]
    dot = "| | integer | q | Q | | |\n| | calculate | a | | | . + 1 |\n"
    assert form_errors(md_form(dot, header=header)) == [
        "Item “a”: calculation: “.” (the current answer) can only be used in a constraint."
    ]
    note = "| | note | n | N | | |\n| | integer | a | A | ${n} = 1 | |\n"
    assert form_errors(md_form(note, header=header)) == [
        "Item “a”: relevant refers to ${n}, which is a note and has no value."
    ]
    twice = (
        "| | begin group | g | G | | |\n| | integer | a | A | | |\n| | end group | | | | |\n| | integer | a | B | | |\n"
    )
    assert form_errors(md_form(twice, header=header)) == ["Item “a” appears more than once."]


def test_settings_are_required_and_checked() -> None:
    survey = "| survey |\n| | type | name | label::Deutsch (de) |\n| | integer | a | A |\n"
    settings = (
        "| settings |\n| | form_id | version | translation_status::en | age_min |\n| | demo | 1 | draft | ten |\n"
    )
    messages = form_errors(survey + settings)
    assert messages == [
        "a: language “Deutsch (de)” is not one of kk, ru, en.",
        "The translation status of “en” is “draft”; it must be official or unofficial.",
        "age_min must be an age in years, not “ten”.",
    ]
    survey = "| survey |\n| | type | name | label |\n| | integer | a | A |\n"
    settings = "| settings |\n| | version |\n| | 1 |\n"
    assert form_errors(survey + settings) == ["The settings sheet must give the instrument code in form_id."]
    settings = "| settings |\n| | form_id | version |\n| | demo | 1 |\n"
    assert form_errors(survey + settings) == [
        "The instrument has no source (settings sheet, column source).",
        "The instrument has no licence (settings sheet, column licence).",
    ]
    settings = (
        "| settings |\n| | form_id | version | source | licence | submission_url |\n| | demo | 1 | S | L | http://x |\n"
    )
    assert form_errors(survey + settings)[0].startswith("The setting “submission_url” is not supported")


def test_unreadable_files_give_form_error(tmp_path: Path) -> None:
    assert form_errors_of(b"not a spreadsheet", "x.xlsx")[0].startswith("The file could not be read as an XLSForm: ")
    with pytest.raises(FormError) as excinfo:
        load_xlsform(tmp_path / "missing.xlsx")
    assert excinfo.value.messages == [f"There is no file {tmp_path / 'missing.xlsx'}."]


def form_errors_of(data: bytes, filename: str) -> list[str]:
    with pytest.raises(FormError) as excinfo:
        load_xlsform(io.BytesIO(data), filename=filename)
    return excinfo.value.messages


def test_from_json_refuses_malformed_data() -> None:
    data = get_instrument("ucla3").to_json()
    with pytest.raises(FormError) as excinfo:
        Instrument.from_json({**data, "format": 99})
    assert excinfo.value.messages == ["Unknown stored instrument format 99 (expected 1)."]
    with pytest.raises(FormError) as excinfo:
        Instrument.from_json({k: v for k, v in data.items() if k != "elements"})
    assert excinfo.value.messages == ["The stored instrument is incomplete or malformed ('elements')."]
    broken = json.loads(json.dumps(data))
    broken["elements"][-1]["calculation"] = "if(${total} >= 6, 'lonely')"
    with pytest.raises(FormError) as excinfo:
        Instrument.from_json(broken)
    assert excinfo.value.messages == [
        "Item “band”: calculation: Expression “if(${total} >= 6, 'lonely')”: if() takes 3 argument(s), not 2."
    ]
