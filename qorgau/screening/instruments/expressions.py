"""A safe evaluator for the subset of XLSForm/XPath expressions that Qorgau instruments use.

Expressions come from ``relevant``, ``constraint`` and ``calculation`` cells written by instrument
authors. They are parsed once into a small AST and compiled into nested Python closures (never
``eval``), so scoring millions of responses costs a few function calls per operator.

Semantics follow XPath 1.0 as ODK Collect applies it, closely enough for scoring:

- ``${name}`` is the value of an answer or an earlier calculate; an unanswered item is ``''``.
- ``.`` is the value being checked (in constraints).
- Values are ``str``, ``int``, ``float`` or ``bool``. Arithmetic converts both sides with
  ``number()``: ``''`` and non-numeric text become NaN, which spreads through arithmetic.
- ``=`` / ``!=``: if either side is a boolean both are compared as booleans; else if either side is
  a number both are compared as numbers; else as strings. ``<``, ``<=``, ``>``, ``>=`` always compare
  numbers. NaN is unequal to everything, so ``'' = 0`` and ``'' < 1`` are false and ``'' != 0`` is true.
- ``boolean()``: a non-empty string, or a number other than 0 and NaN, is true.

One deliberate difference from ODK: calculate results keep their type (ODK stores every value as a
string, so there ``false()`` in a calculate later reads back as the true-ish string ``"false"``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

__all__ = [
    "FUNCTIONS",
    "Expression",
    "ExpressionError",
    "Value",
    "compile_expression",
    "to_boolean",
    "to_number",
    "to_string",
]

Value = str | int | float | bool
Env = Mapping[str, Any]
Compiled = Callable[[Env, Any], Any]

NAN = math.nan


class ExpressionError(ValueError):
    """An expression uses syntax or a function outside the supported subset; the message says which."""

    def __init__(self, expression: str, message: str) -> None:
        super().__init__(message)
        self.expression = expression
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- XPath conversions --------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"\s*(-?)(\d+)?(?:\.(\d*))?\s*")


def to_number(value: Any) -> int | float:
    """XPath ``number()``: ints stay ints; text that is not a plain decimal number is NaN."""
    kind = type(value)
    if kind is int or kind is float:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return 1 if value else 0
    if kind is str:
        match = _NUMBER_RE.fullmatch(value)
        if match is None:
            return NAN
        sign, whole, fraction = match.groups()
        if whole is None and not fraction:
            return NAN  # '', '-', '.', '-.'
        if fraction is None:
            number = int(whole)
            return -number if sign else number
        return float(f"{sign}{whole or '0'}.{fraction or '0'}")
    return NAN


def to_string(value: Any) -> str:
    """XPath ``string()``: integral numbers print without a decimal point, NaN as ``NaN``."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return ""


def to_boolean(value: Any) -> bool:
    """XPath ``boolean()``: non-empty text, or a number other than 0 and NaN."""
    kind = type(value)
    if kind is bool:
        return value  # type: ignore[no-any-return]
    if kind is str:
        return value != ""
    if kind is int:
        return value != 0
    if kind is float:
        return value == value and value != 0  # NaN != NaN
    return False


def _is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float


def _equals(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return to_boolean(a) == to_boolean(b)
    if ta is int or ta is float or tb is int or tb is float:
        return to_number(a) == to_number(b)
    return to_string(a) == to_string(b)


def _divide(a: int | float, b: int | float) -> float:
    if b == 0:
        if a == 0 or a != a:
            return NAN
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _modulo(a: int | float, b: int | float) -> int | float:
    # XPath mod truncates like Java's %: the result has the sign of the dividend.
    if type(a) is int and type(b) is int:
        if b == 0:
            return NAN
        remainder = abs(a) % abs(b)
        return remainder if a >= 0 else -remainder
    if b == 0 or a != a or b != b or math.isinf(a):
        return NAN
    return math.fmod(a, b)


def _to_int(value: Any) -> int | float:
    number = to_number(value)
    if type(number) is int:
        return number
    if number != number or math.isinf(number):
        return number
    return int(number)  # truncates toward zero, like ODK's int()


def _round(value: Any, digits: Any = 0) -> int | float:
    number = to_number(value)
    places = _to_int(digits)
    if type(places) is not int:  # NaN or infinite number of places
        return NAN
    if number != number or math.isinf(number):
        return number
    if type(number) is int and places >= 0:
        return number
    if places == 0:
        return math.floor(number + 0.5)  # XPath round(): halves go up
    exact = Decimal(number) if type(number) is int else Decimal(repr(number))
    try:
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        return number
    return int(rounded) if places < 0 else float(rounded)


def _extreme(values: list[Any], pick: Callable[..., Any]) -> int | float:
    numbers = [to_number(v) for v in values]
    if any(n != n for n in numbers):
        return NAN
    return pick(numbers)  # type: ignore[no-any-return]


def _selected(value: Any, choice: Any) -> bool:
    return to_string(choice) in to_string(value).split()


# --- functions ------------------------------------------------------------------------------------------

# name -> (minimum arguments, maximum arguments or None for "any number")
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "if": (3, 3),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "coalesce": (2, 2),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "max": (1, None),
    "min": (1, None),
    "string-length": (1, 1),
    "selected": (2, 2),
}


# --- tokenizer ------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
    |(?P<ref>\$\{(?P<refname>[^}]*)\})
    |(?P<number>\d+(?:\.\d*)?|\.\d+)
    |(?P<string>'[^']*'|"[^"]*")
    |(?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    |(?P<path>\.\.|//|/|\[|\]|@|\||::|\$)
    |(?P<dot>\.)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*(?::[A-Za-z_][A-Za-z0-9_-]*)?)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_REF_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_KEYWORD_OPERATORS = {"and", "or", "div", "mod"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ref, number, string, op, dot, name, end
    text: str
    position: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN_RE.match(source, position)
        assert match is not None  # the "other" branch matches any character
        kind = match.lastgroup
        text = match.group(0)
        if kind == "refname":  # the inner group of "ref" can be reported as lastgroup
            kind = "ref"
        if kind == "space":
            pass
        elif kind == "ref":
            name = match.group("refname").strip()
            if not _REF_NAME_RE.fullmatch(name):
                raise ExpressionError(
                    source,
                    _("Expression “%(expression)s”: “%(token)s” is not a valid reference to an item.")
                    % {"expression": source, "token": text},
                )
            tokens.append(_Token("ref", name, position))
        elif kind == "path":
            raise ExpressionError(
                source,
                _(
                    "Expression “%(expression)s”: “%(token)s” is not supported (XPath paths, predicates, "
                    "attributes and unions are outside Qorgau’s subset; refer to items as ${name})."
                )
                % {"expression": source, "token": text},
            )
        elif kind == "other":
            if text in "'\"":
                raise ExpressionError(
                    source,
                    _("Expression “%(expression)s”: the text starting at position %(position)s is not closed.")
                    % {"expression": source, "position": position + 1},
                )
            raise ExpressionError(
                source,
                _("Expression “%(expression)s”: unexpected “%(token)s” at position %(position)s.")
                % {"expression": source, "token": text, "position": position + 1},
            )
        else:
            tokens.append(_Token(kind or "other", text, position))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# --- parser (recursive descent, XPath precedence) -------------------------------------------------------
#
# AST nodes are tuples: ("num", value), ("str", value), ("ref", name), ("cur",), ("neg", node),
# ("sum", ((sign, node), ...)), ("bin", op, left, right), ("and", left, right), ("or", left, right),
# ("call", name, (args...)).


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.index = 0
        self.references: list[str] = []
        self.uses_current = False

    # helpers
    def peek(self) -> _Token:
        return self.tokens[self.index]

    def next(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at_operator(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind in ("op", "name") and token.text in texts

    def unexpected(self, token: _Token) -> ExpressionError:
        if token.kind == "end":
            return ExpressionError(
                self.source,
                _("Expression “%(expression)s” ends too early.") % {"expression": self.source},
            )
        return ExpressionError(
            self.source,
            _("Expression “%(expression)s”: unexpected “%(token)s” at position %(position)s.")
            % {"expression": self.source, "token": token.text, "position": token.position + 1},
        )

    def expect(self, text: str) -> None:
        token = self.next()
        if token.kind != "op" or token.text != text:
            raise self.unexpected(token)

    # grammar
    def parse(self) -> tuple[Any, ...]:
        if self.peek().kind == "end":
            raise ExpressionError(self.source, _("The expression is empty."))
        node = self.parse_or()
        if self.peek().kind != "end":
            raise self.unexpected(self.peek())
        return node

    def parse_or(self) -> tuple[Any, ...]:
        node = self.parse_and()
        while self.at_operator("or"):
            self.next()
            node = ("or", node, self.parse_and())
        return node

    def parse_and(self) -> tuple[Any, ...]:
        node = self.parse_equality()
        while self.at_operator("and"):
            self.next()
            node = ("and", node, self.parse_equality())
        return node

    def parse_equality(self) -> tuple[Any, ...]:
        node = self.parse_relational()
        while self.at_operator("=", "!="):
            op = self.next().text
            node = ("bin", op, node, self.parse_relational())
        return node

    def parse_relational(self) -> tuple[Any, ...]:
        node = self.parse_additive()
        while self.at_operator("<", "<=", ">", ">="):
            op = self.next().text
            node = ("bin", op, node, self.parse_additive())
        return node

    def parse_additive(self) -> tuple[Any, ...]:
        terms: list[tuple[int, tuple[Any, ...]]] = [(1, self.parse_multiplicative())]
        while self.at_operator("+", "-"):
            sign = 1 if self.next().text == "+" else -1
            terms.append((sign, self.parse_multiplicative()))
        if len(terms) == 1:
            return terms[0][1]
        return ("sum", tuple(terms))

    def parse_multiplicative(self) -> tuple[Any, ...]:
        node = self.parse_unary()
        while self.at_operator("*", "div", "mod"):
            op = self.next().text
            node = ("bin", op, node, self.parse_unary())
        return node

    def parse_unary(self) -> tuple[Any, ...]:
        if self.at_operator("-"):
            self.next()
            return ("neg", self.parse_unary())
        return self.parse_primary()

    def parse_primary(self) -> tuple[Any, ...]:
        token = self.next()
        if token.kind == "number":
            return ("num", to_number(token.text))
        if token.kind == "string":
            return ("str", token.text[1:-1])
        if token.kind == "ref":
            self.references.append(token.text)
            return ("ref", token.text)
        if token.kind == "dot":
            self.uses_current = True
            return ("cur",)
        if token.kind == "op" and token.text == "(":
            node = self.parse_or()
            self.expect(")")
            return node
        if token.kind == "name":
            if self.peek().kind == "op" and self.peek().text == "(":
                return self.parse_call(token)
            if token.text in _KEYWORD_OPERATORS:
                raise self.unexpected(token)
            raise ExpressionError(
                self.source,
                _(
                    "Expression “%(expression)s”: “%(token)s” is not supported; refer to an item as "
                    "${%(token)s} and write text in quotes."
                )
                % {"expression": self.source, "token": token.text},
            )
        raise self.unexpected(token)

    def parse_call(self, name_token: _Token) -> tuple[Any, ...]:
        name = name_token.text
        if name not in FUNCTIONS:
            raise ExpressionError(
                self.source,
                _(
                    "Expression “%(expression)s”: the function %(function)s() is not supported "
                    "(supported: %(supported)s)."
                )
                % {
                    "expression": self.source,
                    "function": name,
                    "supported": ", ".join(f"{f}()" for f in FUNCTIONS),
                },
            )
        self.expect("(")
        args: list[tuple[Any, ...]] = []
        if not (self.peek().kind == "op" and self.peek().text == ")"):
            args.append(self.parse_or())
            while self.peek().kind == "op" and self.peek().text == ",":
                self.next()
                args.append(self.parse_or())
        self.expect(")")
        least, most = FUNCTIONS[name]
        if len(args) < least or (most is not None and len(args) > most):
            if most is None:
                expected = _("at least %(count)s") % {"count": least}
            elif least == most:
                expected = str(least)
            else:
                expected = _("%(least)s to %(most)s") % {"least": least, "most": most}
            raise ExpressionError(
                self.source,
                _("Expression “%(expression)s”: %(function)s() takes %(expected)s argument(s), not %(given)s.")
                % {"expression": self.source, "function": name, "expected": expected, "given": len(args)},
            )
        return ("call", name, tuple(args))


# --- compiler: AST -> closures --------------------------------------------------------------------------


def _const(value: Any) -> Compiled:
    return lambda env, current: value


def _compile(node: tuple[Any, ...]) -> Compiled:
    kind = node[0]
    if kind in ("num", "str"):
        return _const(node[1])
    if kind == "ref":
        name = node[1]
        return lambda env, current: env.get(name, "")
    if kind == "cur":
        return lambda env, current: current
    if kind == "neg":
        operand = _compile(node[1])
        return lambda env, current: -to_number(operand(env, current))
    if kind == "sum":
        return _compile_sum(node[1])
    if kind == "and":
        left, right = _compile(node[1]), _compile(node[2])
        return lambda env, current: to_boolean(left(env, current)) and to_boolean(right(env, current))
    if kind == "or":
        left, right = _compile(node[1]), _compile(node[2])
        return lambda env, current: to_boolean(left(env, current)) or to_boolean(right(env, current))
    if kind == "bin":
        if node[3][0] in ("num", "str"):
            fast = _compile_against_constant(node[1], _compile(node[2]), node[3][1])
            if fast is not None:
                return fast
        return _compile_binary(node[1], _compile(node[2]), _compile(node[3]))
    if kind == "call":
        return _compile_call(node[1], [_compile(arg) for arg in node[2]])
    raise AssertionError(f"unknown node {node!r}")


def _compile_sum(terms: tuple[tuple[int, tuple[Any, ...]], ...]) -> Compiled:
    # Sums of many item scores are the hot path of scoring: add plain references in one loop.
    if all(sign == 1 and term[0] == "ref" for sign, term in terms):
        names = tuple(term[1] for _sign, term in terms)

        def sum_references(env: Env, current: Any) -> Any:
            total: int | float = 0
            for name in names:
                value = env.get(name, "")
                total += value if type(value) is int else to_number(value)
            return total

        return sum_references
    parts = tuple((sign, _compile(term)) for sign, term in terms)

    def sum_terms(env: Env, current: Any) -> Any:
        total: int | float = 0
        for sign, part in parts:
            value = part(env, current)
            number = value if type(value) is int else to_number(value)
            total = total + number if sign == 1 else total - number
        return total

    return sum_terms


def _compile_against_constant(op: str, left: Compiled, constant: Any) -> Compiled | None:
    """Faster closures for the commonest tests, ``${item} >= 10`` or ``${item} = 'declined'``."""
    if op == "=":
        if type(constant) is str:

            def equals_text(env: Env, current: Any) -> bool:
                value = left(env, current)
                return value == constant if type(value) is str else _equals(value, constant)

            return equals_text

        def equals_number(env: Env, current: Any) -> bool:
            value = left(env, current)
            return value == constant if type(value) is int else _equals(value, constant)

        return equals_number
    if type(constant) is str:
        return None
    if op == ">=":

        def at_least(env: Env, current: Any) -> bool:
            value = left(env, current)
            return (value if type(value) is int else to_number(value)) >= constant

        return at_least
    if op == ">":

        def above(env: Env, current: Any) -> bool:
            value = left(env, current)
            return (value if type(value) is int else to_number(value)) > constant

        return above
    if op == "<=":

        def at_most(env: Env, current: Any) -> bool:
            value = left(env, current)
            return (value if type(value) is int else to_number(value)) <= constant

        return at_most
    if op == "<":

        def below(env: Env, current: Any) -> bool:
            value = left(env, current)
            return (value if type(value) is int else to_number(value)) < constant

        return below
    return None


def _compile_binary(op: str, left: Compiled, right: Compiled) -> Compiled:
    if op == "=":
        return lambda env, current: _equals(left(env, current), right(env, current))
    if op == "!=":
        return lambda env, current: not _equals(left(env, current), right(env, current))
    if op == "<":
        return lambda env, current: to_number(left(env, current)) < to_number(right(env, current))
    if op == "<=":
        return lambda env, current: to_number(left(env, current)) <= to_number(right(env, current))
    if op == ">":
        return lambda env, current: to_number(left(env, current)) > to_number(right(env, current))
    if op == ">=":
        return lambda env, current: to_number(left(env, current)) >= to_number(right(env, current))
    if op == "*":
        return lambda env, current: to_number(left(env, current)) * to_number(right(env, current))
    if op == "div":
        return lambda env, current: _divide(to_number(left(env, current)), to_number(right(env, current)))
    if op == "mod":
        return lambda env, current: _modulo(to_number(left(env, current)), to_number(right(env, current)))
    raise AssertionError(f"unknown operator {op!r}")


def _compile_call(name: str, args: list[Compiled]) -> Compiled:
    if name == "if":
        test, then, otherwise = args
        return lambda env, current: then(env, current) if to_boolean(test(env, current)) else otherwise(env, current)
    if name == "true":
        return _const(True)
    if name == "false":
        return _const(False)
    if name == "not":
        (arg,) = args
        return lambda env, current: not to_boolean(arg(env, current))
    if name == "coalesce":
        first, second = args

        def coalesce(env: Env, current: Any) -> Any:
            value = first(env, current)
            return second(env, current) if value == "" and type(value) is str else value

        return coalesce
    if name == "number":
        (arg,) = args
        return lambda env, current: to_number(arg(env, current))
    if name == "string":
        (arg,) = args
        return lambda env, current: to_string(arg(env, current))
    if name == "int":
        (arg,) = args
        return lambda env, current: _to_int(arg(env, current))
    if name == "round":
        if len(args) == 1:
            (arg,) = args
            return lambda env, current: _round(arg(env, current))
        value, digits = args
        return lambda env, current: _round(value(env, current), digits(env, current))
    if name == "max":
        return lambda env, current: _extreme([arg(env, current) for arg in args], max)
    if name == "min":
        return lambda env, current: _extreme([arg(env, current) for arg in args], min)
    if name == "string-length":
        (arg,) = args
        return lambda env, current: len(to_string(arg(env, current)))
    if name == "selected":
        value, choice = args
        return lambda env, current: _selected(value(env, current), choice(env, current))
    raise AssertionError(f"unknown function {name!r}")


# --- public API -----------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Expression:
    """A compiled expression. ``evaluate(values, current)`` never raises: bad values give NaN or ''."""

    source: str
    references: tuple[str, ...]  # the ${names} used, in order of first use
    uses_current: bool  # whether ``.`` appears
    function: Compiled = field(repr=False)  # function(values, current) -> value: evaluate() without the call

    def evaluate(self, values: Env, current: Any = "") -> Any:
        """The value of the expression; ``values`` maps item codes to answers (absent = unanswered)."""
        return self.function(values, current)

    def test(self, values: Env, current: Any = "") -> bool:
        """The value as an XPath boolean (for ``relevant`` and ``constraint``)."""
        return to_boolean(self.function(values, current))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)


def compile_expression(source: str) -> Expression:
    """Parse and compile ``source``; raise :class:`ExpressionError` naming what is not supported."""
    parser = _Parser(source)
    tree = parser.parse()
    return Expression(
        source=source,
        references=tuple(dict.fromkeys(parser.references)),
        uses_current=parser.uses_current,
        function=_compile(tree),
    )
