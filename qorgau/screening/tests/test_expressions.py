"""Tests of the XLSForm/XPath expression evaluator (screening.instruments.expressions)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from screening.instruments.expressions import (
    ExpressionError,
    compile_expression,
    to_boolean,
    to_number,
    to_string,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def ev(source: str, values: dict[str, Any] | None = None, current: Any = "") -> Any:
    return compile_expression(source).evaluate(values or {}, current)


def error_of(source: str) -> str:
    with pytest.raises(ExpressionError) as excinfo:
        compile_expression(source)
    assert excinfo.value.expression == source
    return str(excinfo.value)


# --- arithmetic and precedence ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),  # left-associative
        ("2 * 3 div 4", 1.5),
        ("2 + 3 mod 2", 3),
        ("7 mod 3", 1),
        ("-7 mod 3", -1),  # sign of the dividend, like XPath/Java
        ("7 mod -3", 1),
        ("7.5 mod 2", 1.5),
        ("- 2 * 3", -6),
        ("--2", 2),
        ("1 - -1", 2),
        ("10 div 4", 2.5),
        ("8 div 4", 2.0),
        ("5 div-1", -5.0),  # "div" then "-1": names only take hyphens between letters
        (".5 + 1", 1.5),
        ("3 - 1 = 2", True),
        ("1 + 1 = 2 and 3 > 2", True),
        ("true() or false() and false()", True),  # "and" binds tighter than "or"
        ("(true() or false()) and false()", False),
        ("1 < 2 = true()", True),  # relational binds tighter than equality
        ("2 > 1 > 0", True),  # (2 > 1) is true, number(true) = 1 > 0
    ],
)
def test_arithmetic_and_precedence(source: str, expected: Any) -> None:
    result = ev(source)
    assert result == expected
    assert type(result) is type(expected)


def test_integer_arithmetic_stays_integer() -> None:
    assert ev("${a} + ${b} * 2 - 1", {"a": 3, "b": 4}) == 10
    assert type(ev("${a} + ${b}", {"a": 3, "b": 4})) is int
    assert type(ev("${a} + ${b}", {"a": 3, "b": 0.5})) is float


def test_division_by_zero_follows_ieee() -> None:
    assert ev("1 div 0") == math.inf
    assert ev("-1 div 0") == -math.inf
    assert math.isnan(ev("0 div 0"))
    assert math.isnan(ev("5 mod 0"))
    assert math.isnan(ev("5.5 mod 0"))


# --- missing values, NaN and comparisons -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${x} = 0", False),  # '' -> NaN when compared with a number
        ("${x} < 1", False),
        ("${x} >= 0", False),
        ("${x} != 0", True),  # NaN is unequal to everything (XPath 1.0 / IEEE)
        ("${x} = ''", True),  # string comparison: both empty
        ("${x} != ''", False),
        ("number('abc') = number('abc')", False),
        ("'abc' < 'abd'", False),  # relational operators compare numbers: NaN
        ("${a} = 1", True),  # "1" (text) compared with a number
        ("${a} = '1'", True),
        ("${a} = 'declined'", False),
        ("${d} = 'declined'", True),
        ("${d} = 1", False),
        ("${n} = 'declined'", False),  # 1 (number) vs 'declined' -> NaN
        ("${n} = 1.0", True),
        ("true() = 'x'", True),  # a boolean side compares booleans
        ("false() = ''", True),
        ("true() = 1", True),
        ("false() != 0", False),
    ],
)
def test_comparisons(source: str, expected: bool) -> None:
    assert ev(source, {"a": "1", "d": "declined", "n": 1}) is expected


def test_missing_reference_is_empty_string_and_spreads_nan() -> None:
    assert ev("${x}") == ""
    assert math.isnan(ev("${x} + 1"))
    assert math.isnan(ev("${a} + ${b}", {"a": "2"}))  # the fast sum path
    assert ev("${a} + ${b}", {"a": "2", "b": 3}) == 5
    assert math.isnan(ev("-${x}"))


# --- functions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [(20, "severe"), (25, "severe"), (19, "moderately_severe"), (15, "moderately_severe"), (14, "low"), ("", "low")],
)
def test_nested_if(total: Any, band: str) -> None:
    source = "if(${t} >= 20, 'severe', if(${t} >= 15, 'moderately_severe', 'low'))"
    assert ev(source, {"t": total}) == band


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("not(true())", False),
        ("not('')", True),
        ("not(0)", True),
        ("not(0 div 0)", True),
        ("coalesce(${x}, 5)", 5),
        ("coalesce(${z}, 5)", 0),  # 0 is a value, not empty
        ("coalesce('a', 'b')", "a"),
        ("number(' 12 ')", 12),
        ("number('-1.5')", -1.5),
        ("number(true())", 1),
        ("string(2.0)", "2"),
        ("string(0.5)", "0.5"),
        ("string(1 div 0)", "Infinity"),
        ("string(0 div 0)", "NaN"),
        ("string(true())", "true"),
        ("string(${z})", "0"),
        ("int(-2.7)", -2),
        ("int('3.9')", 3),
        ("int(7)", 7),
        ("round(2.5)", 3),
        ("round(-2.5)", -2),  # XPath: halves go towards +infinity
        ("round(2.4)", 2),
        ("round(1.2345, 2)", 1.23),
        ("round(1.235, 2)", 1.24),
        ("round(1234, -2)", 1200),
        ("round(7, 2)", 7),
        ("max(1, ${b}, 3)", 7),
        ("min(4, 2, 9)", 2),
        ("max(2)", 2),
        ("string-length('abc')", 3),
        ("string-length(${x})", 0),
        ("string-length(12.5)", 4),
        ("selected('a b', 'b')", True),
        ("selected('a b', 'c')", False),
        ("selected(${d}, 'declined')", True),
        ("selected(${b}, 7)", True),
    ],
)
def test_functions(source: str, expected: Any) -> None:
    result = ev(source, {"b": 7, "d": "declined", "z": 0})
    assert result == expected
    assert type(result) is type(expected)


def test_nan_in_functions() -> None:
    assert math.isnan(ev("max(1, ${x})"))
    assert math.isnan(ev("min(number('a'), 2)"))
    assert math.isnan(ev("int('abc')"))
    assert math.isnan(ev("round(${x})"))
    assert math.isnan(ev("round(1.5, 'a')"))
    assert math.isnan(ev("number('1e3')"))  # XPath 1.0 has no exponent notation


def test_if_evaluates_only_the_chosen_branch() -> None:
    calls: list[str] = []

    class Recording(dict):  # type: ignore[type-arg]
        def get(self, key: str, default: Any = None) -> Any:
            calls.append(key)
            return super().get(key, default)

    compile_expression("if(${c}, ${yes}, ${no})").evaluate(Recording(c=1, yes=2, no=3))
    assert calls == ["c", "yes"]


def test_current_value_in_constraints() -> None:
    constraint = compile_expression(". >= 0 and . <= 3")
    assert constraint.uses_current is True
    assert constraint.test({}, 3) is True
    assert constraint.test({}, 4) is False
    assert constraint.test({}, "") is False
    assert compile_expression(". <= ${max}").test({"max": 5}, 5) is True


def test_references_and_metadata() -> None:
    expression = compile_expression("${a} + ${b} + ${a} > ${c}")
    assert expression.references == ("a", "b", "c")
    assert expression.uses_current is False
    assert expression.source == "${a} + ${b} + ${a} > ${c}"
    assert compile_expression("${ spaced }").references == ("spaced",)
    assert compile_expression("1") == compile_expression("1")


def test_conversions() -> None:
    assert to_number("") != to_number("")  # NaN
    assert to_number("7") == 7 and type(to_number("7")) is int
    assert to_number("-.5") == -0.5
    assert math.isnan(to_number("-"))
    assert math.isnan(to_number(None))
    assert to_string(-0.0) == "0"
    assert to_string(3) == "3"
    assert to_boolean("false") is True  # non-empty text
    assert to_boolean(0.0) is False
    assert to_boolean(math.nan) is False


# --- errors -----------------------------------------------------------------------------------------------

SUPPORTED = (
    "if(), not(), true(), false(), coalesce(), number(), string(), int(), round(), max(), min(), "
    "string-length(), selected()"
)


def test_unknown_function_is_named() -> None:
    assert error_of("pulldata('f', 'c', 'k', ${a})") == (
        "Expression “pulldata('f', 'c', 'k', ${a})”: the function pulldata() is not supported "
        f"(supported: {SUPPORTED})."
    )
    assert "the function count() is not supported" in error_of("count(${a})")
    assert "the function jr:choice-name() is not supported" in error_of("jr:choice-name(${a}, '${a}')")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "/data/a = 1",
            "Expression “/data/a = 1”: “/” is not supported (XPath paths, predicates, attributes and unions are "
            "outside Qorgau’s subset; refer to items as ${name}).",
        ),
        ("../a", "Expression “../a”: “..” is not supported"),
        ("${a}[1]", "Expression “${a}[1]”: “[” is not supported"),
        ("a", "Expression “a”: “a” is not supported; refer to an item as ${a} and write text in quotes."),
        ("if(1, 2)", "Expression “if(1, 2)”: if() takes 3 argument(s), not 2."),
        ("round()", "Expression “round()”: round() takes 1 to 2 argument(s), not 0."),
        ("max()", "Expression “max()”: max() takes at least 1 argument(s), not 0."),
        ("true(1)", "Expression “true(1)”: true() takes 0 argument(s), not 1."),
        ("'abc", "Expression “'abc”: the text starting at position 1 is not closed."),
        ("${a} +", "Expression “${a} +” ends too early."),
        ("1 2", "Expression “1 2”: unexpected “2” at position 3."),
        ("and 1", "Expression “and 1”: unexpected “and” at position 1."),
        ("(1 + 2", "Expression “(1 + 2” ends too early."),
        ("1 ; 2", "Expression “1 ; 2”: unexpected “;” at position 3."),
        ("${}", "Expression “${}”: “${}” is not a valid reference to an item."),
        ("", "The expression is empty."),
        ("   ", "The expression is empty."),
    ],
)
def test_syntax_errors(source: str, message: str) -> None:
    assert error_of(source).startswith(message)


def test_expression_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not supported"):
        compile_expression("today()")
