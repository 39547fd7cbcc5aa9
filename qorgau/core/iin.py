"""Kazakhstan individual identification number (IIN, ЖСН/ИИН) — SPEC §2.1.

An IIN has 12 digits:

* digits 1–6: the birth date as ``YYMMDD``;
* digit 7: century and sex — 1/2 = 1800s male/female, 3/4 = 1900s, 5/6 = 2000s
  (0 and 7–9 are invalid);
* digits 8–11: a serial number;
* digit 12: a check digit. It is the sum of digits 1..11 weighted 1, 2, ..., 11,
  modulo 11. When that gives 10 it is recomputed with the weights
  3, 4, ..., 11, 1, 2; when the second round gives 10 as well, no valid IIN
  starts with those 11 digits.

This module is pure Python and can be imported before Django settings are
configured: the only Django imports at module level are ``gettext_lazy`` and
``lazy``, which do not touch settings until a message is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul
from typing import TYPE_CHECKING, Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

__all__ = ["IINInfo", "check_digit", "check_iin", "make_iin", "validate_iin"]

IIN_LENGTH = 12

# Check-digit weights of the two rounds, one per digit 1..11.
_WEIGHTS_1: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Both weight tuples sum to 66, and 66 * ord("0") = 3168 = 11 * 288. The weighted
# sum of the ASCII *codes* of the digits is therefore congruent, modulo 11, to the
# weighted sum of the digits themselves: the hot path can multiply the bytes of
# the ASCII string directly, without converting each character to an int.
# (tests/test_iin.py checks this identity.)

_DIGITS = "0123456789"
_ASCII_DIGITS = frozenset(_DIGITS)

# Digit 7 -> (first year of the century, sex).
_CENTURY_SEX: dict[str, tuple[int, str]] = {
    "1": (1800, "M"),
    "2": (1800, "F"),
    "3": (1900, "M"),
    "4": (1900, "F"),
    "5": (2000, "M"),
    "6": (2000, "F"),
}
# (century start, sex) -> digit 7, for make_iin().
_CENTURY_DIGIT: dict[tuple[int, str], str] = {key: digit for digit, key in _CENTURY_SEX.items()}


def _render(template: _StrOrPromise, params: dict[str, Any]) -> str:
    return str(template) % params


# ``gettext_lazy(...) % params`` would translate immediately (Django's lazy proxy
# casts itself to str for ``%``), freezing the message in the language active
# when the IIN was checked. This wrapper defers both translation and
# interpolation until the message is rendered.
_render_lazy = lazy(_render, str)


def _msg(template: _StrOrPromise, **params: Any) -> _StrOrPromise:
    """Return a lazy message: ``template % params`` in the language active at render time."""
    return _render_lazy(template, params)


@dataclass(frozen=True)
class IINInfo:
    """Result of :func:`check_iin`.

    ``error`` is a lazy translatable string (rendered in the language active when
    it is converted to ``str``); it is ``None`` exactly when ``valid`` is true.
    ``birth_date`` and ``sex`` are only filled for a valid IIN, so that nothing
    downstream trusts a number that failed validation.
    """

    iin: str
    valid: bool
    birth_date: date | None
    sex: str | None  # "M" or "F"
    error: _StrOrPromise | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; the error is rendered in the active language."""
        return {
            "iin": self.iin,
            "valid": self.valid,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "error": None if self.error is None else str(self.error),
        }


def _check_digit_ascii(first11: bytes) -> int | None:
    """Check digit of 11 ASCII digits (no input validation: the hot path)."""
    digit = sum(map(mul, _WEIGHTS_1, first11)) % 11
    if digit != 10:
        return digit
    digit = sum(map(mul, _WEIGHTS_2, first11)) % 11
    return None if digit == 10 else digit


def check_digit(first11: str) -> int | None:
    """Return the check digit (12th digit) for the first 11 digits of an IIN.

    Returns ``None`` when no check digit is valid for these digits (both rounds
    give 10). Raises ``ValueError`` unless ``first11`` is exactly 11 ASCII digits.
    """
    if len(first11) != IIN_LENGTH - 1 or not (first11.isascii() and first11.isdigit()):
        raise ValueError(f"expected 11 ASCII digits, got {first11!r}")
    return _check_digit_ascii(first11.encode("ascii"))


def _invalid(iin: str, error: _StrOrPromise) -> IINInfo:
    return IINInfo(iin=iin, valid=False, birth_date=None, sex=None, error=error)


def check_iin(raw: str) -> IINInfo:
    """Validate an IIN and decode its birth date and sex.

    Only surrounding whitespace is stripped; anything else that is not an ASCII
    digit (a space inside, a hyphen, a letter, a non-ASCII digit) is an error.
    The checks run in this order and the first failure is reported: empty,
    non-digit character, length, century/sex digit, birth date, check digit.
    """
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        # An int would have lost the leading zero of every 2000s birth year.
        raise TypeError(f"IIN must be given as a string, not {type(raw).__name__}")
    iin = raw.strip()

    if not iin:
        return _invalid(iin, _("The IIN is empty."))

    if not (iin.isascii() and iin.isdigit()):
        for position, char in enumerate(iin, start=1):
            if char not in _ASCII_DIGITS:
                if char.isspace():
                    return _invalid(
                        iin,
                        _msg(
                            _("The IIN contains a space at position %(position)d; use digits only."),
                            position=position,
                        ),
                    )
                return _invalid(
                    iin,
                    _msg(
                        _("Character “%(char)s” at position %(position)d is not a digit."),
                        # Show invisible characters (control, format) as their code point.
                        char=char if char.isprintable() else f"U+{ord(char):04X}",
                        position=position,
                    ),
                )

    if len(iin) != IIN_LENGTH:
        return _invalid(
            iin,
            _msg(_("An IIN has 12 digits; this one has %(count)d."), count=len(iin)),
        )

    century_sex = _CENTURY_SEX.get(iin[6])
    if century_sex is None:
        return _invalid(
            iin,
            _msg(
                _("Digit 7 (century and sex) is %(digit)s; it must be 1 to 6."),
                digit=iin[6],
            ),
        )
    century, sex = century_sex

    year = century + int(iin[0:2])
    month = int(iin[2:4])
    day = int(iin[4:6])
    try:
        birth_date = date(year, month, day)
    except ValueError:
        return _invalid(
            iin,
            _msg(
                _("The birth date %(date)s (digits 1–6) does not exist."),
                date=f"{year:04d}-{month:02d}-{day:02d}",
            ),
        )

    expected = _check_digit_ascii(iin[:11].encode("ascii"))
    if expected is None:
        return _invalid(iin, _("Digits 1–11 cannot form a valid IIN: no check digit exists for them."))
    found = ord(iin[11]) - 48
    if found != expected:
        return _invalid(
            iin,
            _msg(
                _("Wrong check digit: it is %(found)d but should be %(expected)d."),
                found=found,
                expected=expected,
            ),
        )

    return IINInfo(iin=iin, valid=True, birth_date=birth_date, sex=sex, error=None)


@lru_cache(maxsize=1)
def _serial_table() -> tuple[tuple[str, int, int], ...]:
    """For every serial 0..9999: its 4 digits and their weighted sums in rounds 1 and 2.

    Built on first use (about 10 ms) so that importing the module stays cheap.
    """
    table = []
    for serial in range(10000):
        a, b, c, d = serial // 1000, serial // 100 % 10, serial // 10 % 10, serial % 10
        table.append(
            (
                f"{serial:04d}",
                _WEIGHTS_1[7] * a + _WEIGHTS_1[8] * b + _WEIGHTS_1[9] * c + _WEIGHTS_1[10] * d,
                _WEIGHTS_2[7] * a + _WEIGHTS_2[8] * b + _WEIGHTS_2[9] * c + _WEIGHTS_2[10] * d,
            )
        )
    return tuple(table)


@lru_cache(maxsize=65536)
def _prefix(birth_date: date, sex: str) -> tuple[str, int, int]:
    """Digits 1–7 for a birth date and sex, and their weighted sums in rounds 1 and 2."""
    century = birth_date.year - birth_date.year % 100
    digit7 = _CENTURY_DIGIT.get((century, sex))
    if digit7 is None:
        raise ValueError(f"no IIN century/sex digit for year {birth_date.year} and sex {sex!r}")
    prefix = f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}{digit7}"
    digits = [ord(char) - 48 for char in prefix]
    return prefix, sum(map(mul, _WEIGHTS_1, digits)), sum(map(mul, _WEIGHTS_2, digits))


def make_iin(birth_date: date, sex: str, serial: int) -> str | None:
    """Build a valid IIN, or return ``None`` when ``serial`` yields no valid check digit.

    ``sex`` is ``"M"`` or ``"F"``; ``serial`` (0..9999) fills digits 8–11. The
    birth year must be within 1800–2099 (``ValueError`` otherwise). Roughly one
    serial in 121 gives ``None``; callers generating data should try the next one.

    Hot path of the demo data generator: the date part and the serial part of the
    weighted sums are precomputed, so a call is a few lookups and additions.
    """
    if not 0 <= serial <= 9999:
        raise ValueError(f"serial must be 0..9999, got {serial}")
    prefix, prefix_sum1, prefix_sum2 = _prefix(birth_date, sex)
    serial_digits, serial_sum1, serial_sum2 = _serial_table()[serial]
    digit = (prefix_sum1 + serial_sum1) % 11
    if digit == 10:
        digit = (prefix_sum2 + serial_sum2) % 11
        if digit == 10:
            return None
    return prefix + serial_digits + _DIGITS[digit]


def validate_iin(value: str) -> None:
    """Django validator: raise ``ValidationError`` (code ``invalid_iin``) unless ``value`` is a valid IIN."""
    from django.core.exceptions import ValidationError

    info = check_iin(value)
    if not info.valid:
        assert info.error is not None  # always set for an invalid IIN
        raise ValidationError(info.error, code="invalid_iin")
