"""Tests of core.iin (SPEC §2.1) and the ``iin_check`` management command.

The pure-function tests need neither a database nor Django settings: they run
with ``pytest -p no:django``. The command tests (names containing "command")
need the project's settings and are skipped without them.
"""

from __future__ import annotations

import io
import json
import os
import random
from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.functional import Promise

from core.iin import _WEIGHTS_1, _WEIGHTS_2, IINInfo, check_digit, check_iin, make_iin, validate_iin

# Hand-verified IINs. Round 1 weights 1..11; round 2 weights 3,4,5,6,7,8,9,10,11,1,2.
#
# 900101300017 — 1990-01-01, digit 7 = 3 (1900s, male), serial 0001
#   digits 9 0 0 1 0 1 3 0 0 0 1
#   round 1: 1*9 + 2*0 + 3*0 + 4*1 + 5*0 + 6*1 + 7*3 + 8*0 + 9*0 + 10*0 + 11*1
#          = 9 + 4 + 6 + 21 + 11 = 51;  51 mod 11 = 7  -> check digit 7
#
# 150308612344 — 2015-03-08, digit 7 = 6 (2000s, female), serial 1234
#   digits 1 5 0 3 0 8 6 1 2 3 4
#   round 1: 1*1 + 2*5 + 3*0 + 4*3 + 5*0 + 6*8 + 7*6 + 8*1 + 9*2 + 10*3 + 11*4
#          = 1 + 10 + 12 + 48 + 42 + 8 + 18 + 30 + 44 = 213;  213 mod 11 = 4  -> check digit 4
#
# 951231100073 — 1895-12-31, digit 7 = 1 (1800s, male), serial 0007
#   digits 9 5 1 2 3 1 1 0 0 0 7
#   round 1: 1*9 + 2*5 + 3*1 + 4*2 + 5*3 + 6*1 + 7*1 + 8*0 + 9*0 + 10*0 + 11*7
#          = 9 + 10 + 3 + 8 + 15 + 6 + 7 + 77 = 135;  135 mod 11 = 3  -> check digit 3
#
# 900101300811 — 1990-01-01, male, serial 0081: second round needed
#   digits 9 0 0 1 0 1 3 0 0 8 1
#   round 1: 9 + 4 + 6 + 21 + 10*8 + 11*1 = 131;  131 mod 11 = 10  -> recompute
#   round 2: 3*9 + 4*0 + 5*0 + 6*1 + 7*0 + 8*1 + 9*3 + 10*0 + 11*0 + 1*8 + 2*1
#          = 27 + 6 + 8 + 27 + 8 + 2 = 78;  78 mod 11 = 1  -> check digit 1
#
# 90010130080? — 1990-01-01, male, serial 0080: no check digit exists
#   digits 9 0 0 1 0 1 3 0 0 8 0
#   round 1: 9 + 4 + 6 + 21 + 10*8 = 120;  120 mod 11 = 10  -> recompute
#   round 2: 27 + 6 + 8 + 27 + 1*8 + 2*0 = 76;  76 mod 11 = 10  -> invalid
HAND_VERIFIED = [
    ("900101300017", date(1990, 1, 1), "M"),
    ("150308612344", date(2015, 3, 8), "F"),
    ("951231100073", date(1895, 12, 31), "M"),
    ("900101300811", date(1990, 1, 1), "M"),
]
SECOND_ROUND_FIRST11 = "90010130081"
IMPOSSIBLE_FIRST11 = "90010130080"

HAS_SETTINGS = bool(os.environ.get("DJANGO_SETTINGS_MODULE"))


def render(message: object) -> str:
    """Render a lazy message in English (configuring bare settings under ``-p no:django``)."""
    from django.conf import settings

    if not HAS_SETTINGS and not settings.configured:
        settings.configure(USE_I18N=False)
    with translation.override("en"):
        return str(message)


def reference_check_digit(first11: str) -> int | None:
    """Independent, deliberately naive implementation of the SPEC §2.1 rule."""
    digits = [int(c) for c in first11]
    r1 = sum((i + 1) * d for i, d in enumerate(digits)) % 11
    if r1 != 10:
        return r1
    weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    r2 = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
    return None if r2 == 10 else r2


def digit7_for(born: date, sex: str) -> str:
    """Digit 7 written independently of iin.py: 1/2 for the 1800s, 3/4 for the 1900s, 5/6 for the 2000s."""
    return {"M": "135", "F": "246"}[sex][born.year // 100 - 18]


def with_check(first11: str) -> str:
    """Complete 11 digits with their correct check digit (they must have one)."""
    digit = check_digit(first11)
    assert digit is not None
    return first11 + str(digit)


def checksummed(yymmdd: str, digit7: str) -> str:
    """12 digits starting with these digits 1–7, with a right check digit (only they can be wrong)."""
    for serial in range(10000):
        first11 = yymmdd + digit7 + f"{serial:04d}"
        if check_digit(first11) is not None:
            return with_check(first11)
    raise AssertionError("unreachable")


# --- valid IINs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("iin", "born", "sex"), HAND_VERIFIED)
def test_hand_verified_iins_are_valid(iin: str, born: date, sex: str) -> None:
    info = check_iin(iin)
    assert info == IINInfo(iin=iin, valid=True, birth_date=born, sex=sex, error=None)
    assert make_iin(born, sex, int(iin[7:11])) == iin


@pytest.mark.parametrize(
    ("born", "sex", "digit7"),
    [
        (date(1801, 5, 17), "M", "1"),
        (date(1899, 12, 31), "F", "2"),
        (date(1900, 1, 1), "M", "3"),
        (date(1985, 7, 4), "F", "4"),
        (date(2000, 2, 29), "M", "5"),
        (date(2023, 11, 30), "F", "6"),
    ],
)
def test_make_iin_round_trips_in_every_century_and_sex(born: date, sex: str, digit7: str) -> None:
    made = [make_iin(born, sex, serial) for serial in (0, 1, 42, 5000, 9999)]
    for iin in filter(None, made):
        assert len(iin) == 12
        assert iin[:6] == born.strftime("%y%m%d")
        assert iin[6] == digit7
        info = check_iin(iin)
        assert info.valid, render(info.error)
        assert (info.birth_date, info.sex, info.error) == (born, sex, None)


def test_surrounding_whitespace_is_stripped() -> None:
    info = check_iin("  900101300017\t\n")
    assert info.valid
    assert info.iin == "900101300017"


def test_random_make_iin_agrees_with_check_iin() -> None:
    rng = random.Random(20240601)
    start = date(1800, 1, 1).toordinal()
    end = date(2099, 12, 31).toordinal()
    for _ in range(3000):
        born = date.fromordinal(rng.randint(start, end))
        sex = rng.choice("MF")
        serial = rng.randint(0, 9999)
        iin = make_iin(born, sex, serial)
        first11 = born.strftime("%y%m%d") + digit7_for(born, sex) + f"{serial:04d}"
        expected = reference_check_digit(first11)
        if expected is None:
            assert iin is None
        else:
            assert iin == first11 + str(expected)
            info = check_iin(iin)
            assert (info.valid, info.birth_date, info.sex) == (True, born, sex)


# --- check digit ------------------------------------------------------------------------------------


def test_ascii_offset_identity_used_by_fast_path() -> None:
    # iin.py multiplies ASCII codes instead of digit values; this is exact modulo 11
    # only because each weight tuple sums to 66 and 66 * 48 is a multiple of 11.
    assert sum(_WEIGHTS_1) * ord("0") % 11 == 0
    assert sum(_WEIGHTS_2) * ord("0") % 11 == 0


def test_check_digit_matches_reference_implementation() -> None:
    rng = random.Random(7)
    for _ in range(5000):
        first11 = "".join(rng.choice("0123456789") for _ in range(11))
        assert check_digit(first11) == reference_check_digit(first11), first11


def test_second_round_weights() -> None:
    digits = [int(c) for c in SECOND_ROUND_FIRST11]
    assert sum(w * d for w, d in zip(range(1, 12), digits, strict=True)) % 11 == 10
    assert check_digit(SECOND_ROUND_FIRST11) == 1
    info = check_iin(SECOND_ROUND_FIRST11 + "1")
    assert info.valid
    # The round-1 result (10) is never a valid digit, and "0" is just wrong.
    assert not check_iin(SECOND_ROUND_FIRST11 + "0").valid


def test_impossible_second_round() -> None:
    assert check_digit(IMPOSSIBLE_FIRST11) is None
    for last in "0123456789":
        info = check_iin(IMPOSSIBLE_FIRST11 + last)
        assert not info.valid
        assert (info.birth_date, info.sex) == (None, None)
        assert "no check digit exists" in render(info.error)
    assert make_iin(date(1990, 1, 1), "M", 80) is None


@pytest.mark.parametrize("bad", ["0123456789", "0123456789012", "1234567890a", "", "١٢٣٤٥٦٧٨٩٠١"])
def test_check_digit_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


@pytest.mark.parametrize("iin", [iin for iin, _born, _sex in HAND_VERIFIED])
def test_every_wrong_check_digit_is_rejected(iin: str) -> None:
    for last in "0123456789":
        if last == iin[11]:
            continue
        info = check_iin(iin[:11] + last)
        assert not info.valid
        # Date and sex are readable, but an invalid IIN must not be trusted.
        assert (info.birth_date, info.sex) == (None, None)
        assert render(info.error) == f"Wrong check digit: it is {last} but should be {iin[11]}."


def test_make_iin_is_none_exactly_when_no_check_digit_exists() -> None:
    for born, sex in [(date(1990, 1, 1), "M"), (date(2011, 6, 15), "F"), (date(1856, 3, 3), "F")]:
        digit7 = digit7_for(born, sex)
        nones = 0
        for serial in range(10000):
            first11 = born.strftime("%y%m%d") + digit7 + f"{serial:04d}"
            made = make_iin(born, sex, serial)
            # Brute force: does any 12th digit make a valid IIN?
            valid = [first11 + d for d in "0123456789" if check_iin(first11 + d).valid]
            if made is None:
                nones += 1
                assert valid == []
                assert check_digit(first11) is None
            else:
                assert valid == [made]
        # About 1 serial in 121 has no check digit; never none, never most.
        assert 0 < nones < 300


@pytest.mark.parametrize(
    ("born", "sex", "serial"),
    [
        (date(1799, 12, 31), "M", 1),
        (date(2100, 1, 1), "F", 1),
        (date(1990, 1, 1), "X", 1),
        (date(1990, 1, 1), "m", 1),
        (date(1990, 1, 1), "M", -1),
        (date(1990, 1, 1), "M", 10000),
    ],
)
def test_make_iin_rejects_bad_arguments(born: date, sex: str, serial: int) -> None:
    with pytest.raises(ValueError):
        make_iin(born, sex, serial)


# --- malformed input --------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_empty(raw: str) -> None:
    info = check_iin(raw)
    assert not info.valid
    assert info.iin == ""
    assert render(info.error) == "The IIN is empty."


def test_none_is_empty_and_int_is_refused() -> None:
    assert render(check_iin(None).error) == "The IIN is empty."  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        check_iin(900101300017)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("90010130001A", "Character “A” at position 12 is not a digit."),
        ("a00101300017", "Character “a” at position 1 is not a digit."),
        ("900101-300017", "Character “-” at position 7 is not a digit."),
        ("900101 300017", "The IIN contains a space at position 7; use digits only."),
        ("9001013\u00a000017", "The IIN contains a space at position 8; use digits only."),
        ("ИИН900101300017", "Character “И” at position 1 is not a digit."),
        # Non-ASCII digits pass str.isdigit() but are not IIN digits.
        ("９00101300017", "Character “９” at position 1 is not a digit."),
        ("90010\u200b1300017", "Character “U+200B” at position 6 is not a digit."),
    ],
)
def test_non_digits(raw: str, message: str) -> None:
    info = check_iin(raw)
    assert not info.valid
    assert (info.birth_date, info.sex) == (None, None)
    assert render(info.error) == message


@pytest.mark.parametrize(
    ("raw", "count"),
    [("90010130001", 11), ("9001013000170", 13), ("1", 1), ("9" * 40, 40)],
)
def test_wrong_length(raw: str, count: int) -> None:
    info = check_iin(raw)
    assert not info.valid
    assert render(info.error) == f"An IIN has 12 digits; this one has {count}."


@pytest.mark.parametrize("digit7", ["0", "7", "8", "9"])
def test_invalid_century_digit(digit7: str) -> None:
    # The check digit is right, so only digit 7 is wrong.
    info = check_iin(checksummed("900101", digit7))
    assert not info.valid
    assert (info.birth_date, info.sex) == (None, None)
    assert render(info.error) == f"Digit 7 (century and sex) is {digit7}; it must be 1 to 6."


# --- impossible dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yymmdd", "digit7", "shown"),
    [
        ("900230", "3", "1990-02-30"),  # 30 February
        ("901301", "4", "1990-13-01"),  # month 13
        ("900001", "3", "1990-00-01"),  # month 0
        ("900100", "5", "2090-01-00"),  # day 0
        ("900431", "6", "2090-04-31"),  # 31 April
        ("000229", "3", "1900-02-29"),  # 1900 is not a leap year
        ("000229", "1", "1800-02-29"),  # neither is 1800
        ("230229", "6", "2023-02-29"),
    ],
)
def test_impossible_dates(yymmdd: str, digit7: str, shown: str) -> None:
    iin = checksummed(yymmdd, digit7)
    info = check_iin(iin)
    assert not info.valid
    assert (info.birth_date, info.sex) == (None, None)
    assert render(info.error) == f"The birth date {shown} (digits 1–6) does not exist."


def test_29_february_2000_is_valid() -> None:
    iin = checksummed("000229", "5")
    info = check_iin(iin)
    assert (info.valid, info.birth_date, info.sex) == (True, date(2000, 2, 29), "M")
    assert make_iin(date(2000, 2, 29), "F", 3) is not None


def test_every_day_of_a_leap_and_a_common_year() -> None:
    for year in (1896, 1900, 2000, 2023, 2024):
        day = date(year, 1, 1)
        while day.year == year:
            iin = make_iin(day, "F", 17) or make_iin(day, "F", 18)
            assert iin is not None
            assert check_iin(iin).birth_date == day
            day += timedelta(days=1)


# --- messages, dict form and validator ---------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "90010130001A",
        "900101 300017",
        "90010130001",
        "900101000017",
        "900230300017",
        "900101300018",
        IMPOSSIBLE_FIRST11 + "0",
    ],
)
def test_errors_are_lazy_translatable_strings(raw: str) -> None:
    info = check_iin(raw)
    assert not info.valid
    # Rendered only when converted to str, so in the language active at that moment.
    assert isinstance(info.error, Promise)
    assert render(info.error)


def test_as_dict() -> None:
    assert check_iin(" 150308612344 ").as_dict() == {
        "iin": "150308612344",
        "valid": True,
        "birth_date": "2015-03-08",
        "sex": "F",
        "error": None,
    }
    render("")  # make sure settings exist for the rendering below
    with translation.override("en"):
        bad = check_iin("150308612345").as_dict()
    assert bad == {
        "iin": "150308612345",
        "valid": False,
        "birth_date": None,
        "sex": None,
        "error": "Wrong check digit: it is 5 but should be 4.",
    }
    assert type(bad["error"]) is str
    json.dumps(bad)


def test_validate_iin() -> None:
    from django.core.exceptions import ValidationError

    render("")
    validate_iin("900101300017")
    with pytest.raises(ValidationError) as excinfo:
        validate_iin("900101300018")
    assert excinfo.value.code == "invalid_iin"
    with translation.override("en"):
        assert excinfo.value.messages == ["Wrong check digit: it is 8 but should be 7."]


# --- management command (needs the project's settings) -----------------------------------------------

needs_settings = pytest.mark.skipif(not HAS_SETTINGS, reason="needs DJANGO_SETTINGS_MODULE (pytest-django)")


def run_command(*args: str) -> tuple[int, str]:
    """Run iin_check in English; return (exit status, stdout)."""
    from django.core.management import call_command

    out = io.StringIO()
    status = 0
    with translation.override("en"):
        try:
            call_command("iin_check", *args, stdout=out)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return status, out.getvalue()


@needs_settings
def test_command_json_valid() -> None:
    status, out = run_command("150308612344", "--json")
    assert status == 0
    assert json.loads(out) == {
        "iin": "150308612344",
        "valid": True,
        "birth_date": "2015-03-08",
        "sex": "F",
        "error": None,
    }


@needs_settings
def test_command_json_invalid_prints_json_and_exits_non_zero() -> None:
    from django.core.management import call_command

    out = io.StringIO()
    with translation.override("en"), pytest.raises(SystemExit) as excinfo:
        call_command("iin_check", "900230300017", "--json", stdout=out)
    assert excinfo.value.code not in (0, None)
    document = json.loads(out.getvalue())  # exactly one JSON document
    assert document == {
        "iin": "900230300017",
        "valid": False,
        "birth_date": None,
        "sex": None,
        "error": "The birth date 1990-02-30 (digits 1–6) does not exist.",
    }


@needs_settings
def test_command_json_keeps_non_ascii() -> None:
    status, out = run_command("ИИН", "--json")
    assert status == 1
    assert "ИИН" in out  # ensure_ascii=False
    assert json.loads(out)["error"] == "Character “И” at position 1 is not a digit."


@needs_settings
def test_command_human_output() -> None:
    status, out = run_command("951231100073")
    assert status == 0
    assert out.strip() == "IIN 951231100073 is valid: born 1895-12-31, male."
    status, out = run_command("90010130001")
    assert status == 1
    assert out.strip() == "IIN “90010130001” is invalid: An IIN has 12 digits; this one has 11."


@needs_settings
def test_command_usage_error() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("iin_check", stdout=io.StringIO())
