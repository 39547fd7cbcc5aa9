"""Screening instruments as data: the in-memory model, validation of answers, scoring, and XLSForm import.

An :class:`Instrument` is one version of a questionnaire. It is built from an XLSForm (``load_xlsform``)
or from the JSON stored with a campaign (``Instrument.from_json``), and both paths go through the same
constructor, so every check (names, expressions, references) applies to both.

Scoring uses standard XLSForm ``calculate`` rows, evaluated in form order:

- ``total`` — the total score (no such calculate: the total is ``None``);
- ``band`` — the band code, a string;
- ``flag_<code>`` — flag ``<code>`` is raised when the value is true or non-zero;
- ``subscale_<code>`` — optional subscale scores;
- any other calculate is an intermediate value that later expressions may use.

Answers are stored as ``int`` (integer items and integer-valued choices), ``float`` (decimal items)
or ``str`` (text items and other choices). For an item whose choice list has a choice named
``declined`` ("I prefer not to answer"), ``None`` means declined and is stored as ``"declined"``;
for any other item ``None`` (or ``""``) means "not answered".
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _

from .expressions import Expression, ExpressionError, compile_expression, to_boolean, to_number, to_string

__all__ = [
    "DECLINED",
    "ITEM_KINDS",
    "LANGUAGES",
    "AnswerError",
    "Calculate",
    "Choice",
    "FormError",
    "Instrument",
    "Item",
    "Score",
    "load_xlsform",
]

LANGUAGES = ("kk", "ru", "en")  # Qorgau's languages, in display order
DECLINED = "declined"  # choice name of "I prefer not to answer"
ITEM_KINDS = ("select_one", "integer", "decimal", "text", "note")
QUESTION_KINDS = ("select_one", "integer", "decimal", "text")
TRANSLATION_STATUSES = ("official", "unofficial")
JSON_FORMAT = 1  # bump when the stored JSON shape changes

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")
_INTEGER_RE = re.compile(r"-?\d+")
_DECIMAL_RE = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_LANGUAGE_IN_PARENTHESES_RE = re.compile(r"\(\s*([A-Za-z]{2,3})\s*\)\s*$")
_LANGUAGE_NAMES = {
    "kazakh": "kk",
    "қазақша": "kk",
    "қазақ тілі": "kk",
    "russian": "ru",
    "русский": "ru",
    "english": "en",
}


# --- errors ---------------------------------------------------------------------------------------------


class FormError(ValueError):
    """An instrument definition (XLSForm or stored JSON) was refused; ``messages`` says why, one per problem."""

    def __init__(self, messages: str | Iterable[str]) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        super().__init__("\n".join(self.messages))

    def __str__(self) -> str:
        return "\n".join(self.messages)


class AnswerError(ValueError):
    """Answers were refused. ``errors`` maps an item code (``""`` for the whole response) to a message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "; ".join(f"{code}: {message}" if code else message for code, message in self.errors.items())


# --- the model ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One answer option: ``value`` is the XLSForm choice name (e.g. ``"0"``, ``"declined"``)."""

    value: str
    label: dict[str, str]


@dataclass(frozen=True)
class Item:
    """A question or a note. ``relevant`` already includes the ``relevant`` of enclosing groups."""

    code: str
    kind: str  # one of ITEM_KINDS
    label: dict[str, str]
    hint: dict[str, str] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    group: str = ""  # the outermost XLSForm group (the page); "" outside groups

    @property
    def is_question(self) -> bool:
        """Whether the item takes an answer (notes do not)."""
        return self.kind != "note"

    @property
    def declinable(self) -> bool:
        """Whether the item offers "I prefer not to answer" (a choice named ``declined``)."""
        return any(choice.value == DECLINED for choice in self.choices)


@dataclass(frozen=True)
class Calculate:
    """An XLSForm ``calculate`` row: scoring (``total``, ``band``, ``flag_*``, ``subscale_*``) or intermediate."""

    code: str
    calculation: str
    relevant: str = ""
    group: str = ""


@dataclass(frozen=True)
class Score:
    """The result of scoring one response to one instrument."""

    total: float | int | None
    band: str | None
    flags: tuple[str, ...] = ()
    subscales: dict[str, float | int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for storing with the response)."""
        return {"total": self.total, "band": self.band, "flags": list(self.flags), "subscales": dict(self.subscales)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Score:
        """The inverse of :meth:`as_dict`."""
        return cls(
            total=data.get("total"),
            band=data.get("band"),
            flags=tuple(data.get("flags") or ()),
            subscales=dict(data.get("subscales") or {}),
        )


class _Rejected(Exception):
    """Internal: one answer failed its type or choice-list check."""


def _shown(value: object) -> str:
    """A raw answer as the user wrote it (JSON spelling where possible)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _stored_choice_value(name: str) -> int | str:
    # "3" is stored as 3 so scores can add it up; "03" or "declined" stay text.
    if _INTEGER_RE.fullmatch(name) and str(int(name)) == name:
        return int(name)
    return name


def _make_cleaner(item: Item) -> Callable[[Any], Any]:
    """A function turning a raw answer into its stored value (``None`` = unanswered) or raising ``_Rejected``."""
    code = item.code
    if item.kind == "select_one":
        lookup: dict[Any, int | str] = {}
        for choice in item.choices:
            stored = _stored_choice_value(choice.value)
            lookup[choice.value] = stored
            lookup[stored] = stored  # 1 and 1.0 also find the choice "1"
        declinable = item.declinable
        allowed = ", ".join(choice.value for choice in item.choices)

        def clean_choice(raw: Any) -> Any:
            if raw is None or (type(raw) is str and not raw.strip()):
                return DECLINED if declinable else None
            if type(raw) is not bool:
                try:
                    return lookup[raw.strip() if type(raw) is str else raw]
                except (KeyError, TypeError):
                    pass
            raise _Rejected(
                _("%(value)s is not one of the options of “%(code)s” (allowed: %(allowed)s).")
                % {"value": _shown(raw), "code": code, "allowed": allowed}
            )

        return clean_choice
    if item.kind == "integer":

        def clean_integer(raw: Any) -> Any:
            kind = type(raw)
            if raw is None or (kind is str and not raw.strip()):
                return None
            if kind is int:
                return raw
            if kind is float and raw.is_integer():
                return int(raw)
            if kind is str and _INTEGER_RE.fullmatch(raw.strip()):
                return int(raw.strip())
            raise _Rejected(
                _("“%(code)s” needs a whole number; %(value)s is not one.") % {"code": code, "value": _shown(raw)}
            )

        return clean_integer
    if item.kind == "decimal":

        def clean_decimal(raw: Any) -> Any:
            kind = type(raw)
            if raw is None or (kind is str and not raw.strip()):
                return None
            if (kind is int or kind is float) and math.isfinite(raw):
                return float(raw)
            if kind is str and _DECIMAL_RE.fullmatch(raw.strip()):
                return float(raw.strip())
            raise _Rejected(
                _("“%(code)s” needs a number; %(value)s is not one.") % {"code": code, "value": _shown(raw)}
            )

        return clean_decimal
    if item.kind == "text":

        def clean_text(raw: Any) -> Any:
            if raw is None or (type(raw) is str and not raw.strip()):
                return None
            if type(raw) is str:
                return raw
            raise _Rejected(_("“%(code)s” needs text; %(value)s is not text.") % {"code": code, "value": _shown(raw)})

        return clean_text
    raise AssertionError(f"{item.kind} items take no answer")


@dataclass(frozen=True, slots=True)
class _Step:
    """Internal, compiled form of an element, in form order (questions and calculates; notes for relevance)."""

    code: str
    kind: str  # an item kind, or "calculate"
    relevant: Expression | None
    constraint: Expression | None = None
    calculation: Expression | None = None
    required: bool = False
    item: Item | None = None


def _current_language(default: str) -> str:
    active = (translation.get_language() or "").split("-")[0].lower()
    return active if active in LANGUAGES else default


class Instrument:
    """One version of a screening instrument (immutable once built)."""

    code: str
    version: str
    title: dict[str, str]
    source: str
    licence: str
    translations: dict[str, str]  # language -> "official" | "unofficial"
    languages: tuple[str, ...]
    default_language: str
    age_min: int | None
    age_max: int | None
    items: tuple[Item, ...]  # questions and notes, in form order
    calculates: tuple[Calculate, ...]
    groups: dict[str, dict[str, str]]  # group name -> label

    def __init__(
        self,
        *,
        code: str,
        version: str,
        title: Mapping[str, str],
        source: str,
        licence: str,
        translations: Mapping[str, str],
        default_language: str,
        elements: Sequence[Item | Calculate],
        age_min: int | None = None,
        age_max: int | None = None,
        groups: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.code = code
        self.version = version
        self.title = dict(title)
        self.source = source
        self.licence = licence
        self.translations = {lang: translations[lang] for lang in LANGUAGES if lang in translations}
        self.languages = tuple(self.translations)
        self.default_language = default_language
        self.age_min = age_min
        self.age_max = age_max
        self._elements = tuple(elements)
        self.items = tuple(e for e in self._elements if isinstance(e, Item))
        self.calculates = tuple(e for e in self._elements if isinstance(e, Calculate))
        self.groups = {name: dict(label) for name, label in (groups or {}).items()}
        problems = self._check_settings(translations)
        self._steps, step_problems = self._compile()
        problems += step_problems
        if problems:
            raise FormError(problems)
        self._questions = {item.code: item for item in self.items if item.is_question}
        self._cleaners = {code: _make_cleaner(item) for code, item in self._questions.items()}
        self._step_by_code = {step.code: step for step in self._steps}
        # score() is the hot path: its steps as plain tuples of compiled functions.
        self._plan = tuple(
            (
                step.code,
                step.relevant.function if step.relevant else None,
                step.calculation.function if step.calculation else None,
                step.constraint.function if step.constraint else None,
                step.required,
                step,
            )
            for step in self._steps
            if step.kind != "note"
        )
        self._flags = tuple(
            (c.code, c.code.removeprefix("flag_")) for c in self.calculates if c.code.startswith("flag_")
        )
        self._subscales = tuple(
            (c.code, c.code.removeprefix("subscale_")) for c in self.calculates if c.code.startswith("subscale_")
        )
        self._has_total = any(c.code == "total" for c in self.calculates)
        self._has_band = any(c.code == "band" for c in self.calculates)

    # --- construction checks ---------------------------------------------------------------------------

    def _check_settings(self, translations: Mapping[str, str]) -> list[str]:
        problems: list[str] = []
        if not _CODE_RE.fullmatch(self.code or ""):
            problems.append(
                _(
                    "The instrument code (form_id) “%(code)s” must be lower-case letters, digits and _, "
                    "starting with a letter."
                )
                % {"code": self.code}
            )
        if not (self.version or "").strip():
            problems.append(_("The instrument has no version (settings sheet, column version)."))
        if not (self.source or "").strip():
            problems.append(_("The instrument has no source (settings sheet, column source)."))
        if not (self.licence or "").strip():
            problems.append(_("The instrument has no licence (settings sheet, column licence)."))
        for lang, status in translations.items():
            if lang not in LANGUAGES:
                problems.append(
                    _("Language “%(language)s” is not supported (supported: %(supported)s).")
                    % {"language": lang, "supported": ", ".join(LANGUAGES)}
                )
            elif status not in TRANSLATION_STATUSES:
                problems.append(
                    _("The translation status of “%(language)s” is “%(status)s”; it must be official or unofficial.")
                    % {"language": lang, "status": status}
                )
        if self.default_language not in self.languages:
            problems.append(
                _("The default language “%(language)s” is not one of the instrument’s languages (%(languages)s).")
                % {"language": self.default_language, "languages": ", ".join(self.languages) or "—"}
            )
        for name, value in (("age_min", self.age_min), ("age_max", self.age_max)):
            if value is not None and (type(value) is not int or not 0 <= value <= 120):
                problems.append(
                    _("%(setting)s must be an age in years, not %(value)s.") % {"setting": name, "value": value}
                )
        if type(self.age_min) is int and type(self.age_max) is int and self.age_min > self.age_max:
            problems.append(
                _("age_min (%(min)s) is greater than age_max (%(max)s).") % {"min": self.age_min, "max": self.age_max}
            )
        return problems

    def _compile(self) -> tuple[tuple[_Step, ...], list[str]]:
        problems: list[str] = []
        seen: dict[str, str] = {}  # code -> kind
        for element in self._elements:
            kind = element.kind if isinstance(element, Item) else "calculate"
            if not _NAME_RE.fullmatch(element.code or ""):
                problems.append(
                    _("“%(code)s” is not a valid item name (letters, digits and _, starting with a letter).")
                    % {"code": element.code}
                )
            if element.code in seen:
                problems.append(_("Item “%(code)s” appears more than once.") % {"code": element.code})
            seen[element.code] = kind

        def item_problem(code: str, problem: str) -> None:
            problems.append(_("Item “%(code)s”: %(problem)s") % {"code": code, "problem": problem})

        position = {element.code: index for index, element in enumerate(self._elements)}

        def expression(code: str, column: str, source: str, allow_current: bool = False) -> Expression | None:
            if not source.strip():
                return None
            try:
                compiled = compile_expression(source)
            except ExpressionError as exc:
                item_problem(code, _("%(column)s: %(error)s") % {"column": column, "error": exc.message})
                return None
            if compiled.uses_current and not allow_current:
                item_problem(
                    code,
                    _("%(column)s: “.” (the current answer) can only be used in a constraint.") % {"column": column},
                )
            for name in compiled.references:
                target = seen.get(name)
                if target is None:
                    item_problem(
                        code,
                        _("%(column)s refers to ${%(name)s}, which is not an item of this form.")
                        % {"column": column, "name": name},
                    )
                elif target == "note":
                    item_problem(
                        code,
                        _("%(column)s refers to ${%(name)s}, which is a note and has no value.")
                        % {"column": column, "name": name},
                    )
                elif target == "calculate" and position[name] >= position[code]:
                    item_problem(
                        code,
                        _(
                            "%(column)s refers to ${%(name)s}, which is calculated later in the form; "
                            "calculates are evaluated in form order."
                        )
                        % {"column": column, "name": name},
                    )
            return compiled

        steps: list[_Step] = []
        for element in self._elements:
            code = element.code
            if isinstance(element, Calculate):
                for prefix in ("flag_", "subscale_"):
                    if code.startswith(prefix) and not code.removeprefix(prefix):
                        item_problem(
                            code, _("a %(prefix)s calculate needs a code after the prefix.") % {"prefix": prefix}
                        )
                calculation = expression(code, "calculation", element.calculation)
                if not element.calculation.strip():
                    item_problem(code, _("a calculate needs a calculation."))
                steps.append(
                    _Step(
                        code=code,
                        kind="calculate",
                        relevant=expression(code, "relevant", element.relevant),
                        calculation=calculation,
                    )
                )
                continue
            if element.kind not in ITEM_KINDS:
                item_problem(
                    code,
                    _("question type “%(type)s” is not supported (supported: %(supported)s).")
                    % {"type": element.kind, "supported": _SUPPORTED_TYPES},
                )
                continue
            if not any(element.label.values()):
                item_problem(code, _("it has no label."))
            if element.kind == "select_one":
                values = [choice.value for choice in element.choices]
                if not values:
                    item_problem(code, _("a select_one question needs at least one choice."))
                for value in sorted({v for v in values if values.count(v) > 1}):
                    item_problem(code, _("the choice “%(value)s” appears more than once.") % {"value": value})
                for choice in element.choices:
                    if not choice.value.strip() or not any(choice.label.values()):
                        item_problem(
                            code, _("the choice “%(value)s” needs a name and a label.") % {"value": choice.value}
                        )
            elif element.choices:
                item_problem(code, _("only select_one questions have choices."))
            if element.kind == "note" and (element.required or element.constraint):
                item_problem(code, _("a note takes no answer, so it cannot be required or constrained."))
            steps.append(
                _Step(
                    code=code,
                    kind=element.kind,
                    relevant=expression(code, "relevant", element.relevant),
                    constraint=expression(code, "constraint", element.constraint, allow_current=True),
                    required=element.required,
                    item=element,
                )
            )
        return tuple(steps), problems

    # --- texts -----------------------------------------------------------------------------------------

    def text(self, mapping: Mapping[str, str], lang: str) -> str:
        """The text in ``lang``, else in the default language, else in any language ('' if none)."""
        if not mapping:
            return ""
        found = mapping.get(lang) or mapping.get(self.default_language)
        if found:
            return found
        return next((value for value in mapping.values() if value), "")

    def item(self, code: str) -> Item:
        """The item (question or note) named ``code``; ``KeyError`` if there is none."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def question_codes(self) -> list[str]:
        """Codes of the items that take an answer, in form order (notes and calculates excluded)."""
        return list(self._questions)

    # --- answers ---------------------------------------------------------------------------------------

    def _unknown(self, code: object) -> str:
        if isinstance(code, str) and any(element.code == code for element in self._elements):
            return _("“%(code)s” is not a question of %(instrument)s and takes no answer.") % {
                "code": code,
                "instrument": self.code,
            }
        return _("There is no question “%(code)s” in %(instrument)s.") % {"code": code, "instrument": self.code}

    def _constraint_failed(self, step: _Step, value: Any) -> str:
        assert step.item is not None
        message = self.text(step.item.constraint_message, _current_language(self.default_language))
        if message:
            return message
        return _("The answer %(value)s to “%(code)s” is not allowed (constraint: %(constraint)s).") % {
            "value": _shown(value),
            "code": step.code,
            "constraint": step.item.constraint,
        }

    def clean_answer(self, code: str, raw: object, answers: Mapping[str, Any] | None = None) -> object:
        """Validate one answer (type, choice list, constraint) and return the value to store.

        ``None`` comes back for "no answer" (``None`` or blank text) on items without a ``declined``
        choice; on items with one, ``None`` is stored as ``"declined"``. ``answers`` (the other stored
        answers) is only needed by constraints that refer to other items: without it such a constraint
        is left to :meth:`score`, which checks every constraint against the whole response.
        """
        cleaner = self._cleaners.get(code)
        if cleaner is None:
            raise AnswerError({code: self._unknown(code)})
        try:
            value = cleaner(raw)
        except _Rejected as exc:
            raise AnswerError({code: str(exc)}) from None
        if value is not None:
            step = self._step_by_code[code]
            constraint = step.constraint
            if (
                constraint is not None
                and (answers is not None or not constraint.references)
                and not constraint.test(answers or {}, value)
            ):
                raise AnswerError({code: self._constraint_failed(step, value)})
        return value

    def _normalised(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        # For relevance only: known questions, None/blank dropped (or "declined"), values taken as stored.
        values: dict[str, Any] = {}
        for code, raw in answers.items():
            cleaner = self._cleaners.get(code)
            if cleaner is None:
                continue
            try:
                value = cleaner(raw)
            except _Rejected:
                continue
            if value is not None:
                values[code] = value
        return values

    def _walk(self, answers: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Evaluate relevance and calculates in form order: (values, codes of relevant items incl. notes)."""
        env = self._normalised(answers)
        relevant: list[str] = []
        for step in self._steps:
            shown = step.relevant is None or step.relevant.test(env)
            if step.kind == "calculate":
                assert step.calculation is not None
                env[step.code] = step.calculation.evaluate(env) if shown else ""
                continue
            if shown:
                relevant.append(step.code)
            else:
                env.pop(step.code, None)  # a hidden question's answer counts as blank, as in ODK
        return env, relevant

    def relevant_items(self, answers: Mapping[str, Any]) -> list[Item]:
        """Items (questions and notes) shown given the answers so far, in form order."""
        _env, relevant = self._walk(answers)
        shown = set(relevant)
        return [item for item in self.items if item.code in shown]

    def relevant_codes(self, answers: Mapping[str, Any]) -> list[str]:
        """Codes of the questions asked given the answers so far, in form order."""
        _env, relevant = self._walk(answers)
        return [code for code in relevant if code in self._questions]

    def missing(self, answers: Mapping[str, Any]) -> list[str]:
        """Required questions that are relevant but not answered yet, in form order."""
        env, relevant = self._walk(answers)
        return [
            code for code in relevant if code in self._questions and self._questions[code].required and code not in env
        ]

    def score(self, answers: Mapping[str, Any]) -> Score:
        """Validate a complete response and score it.

        Every problem is reported at once in one :class:`AnswerError`: unknown codes, wrong types,
        values outside the choice list or the constraint, answers to questions that are not asked given
        the other answers, and required questions left unanswered.
        """
        if not isinstance(answers, Mapping):
            raise AnswerError({"": _("The answers must be an object mapping item codes to values.")})
        errors: dict[str, str] = {}
        env: dict[str, Any] = {}
        cleaners = self._cleaners
        for code, raw in answers.items():
            cleaner = cleaners.get(code)
            if cleaner is None:
                errors[str(code)] = self._unknown(code)
                continue
            try:
                value = cleaner(raw)
            except _Rejected as exc:
                errors[code] = str(exc)
                continue
            if value is not None:
                env[code] = value
        for code, relevant_test, calculation, constraint, required, step in self._plan:
            relevant = relevant_test is None or to_boolean(relevant_test(env, ""))
            if calculation is not None:
                env[code] = calculation(env, "") if relevant else ""
            elif code in env:
                if not relevant:
                    errors[code] = _("“%(code)s” must not be answered: it is not asked given the other answers.") % {
                        "code": code
                    }
                    del env[code]
                elif constraint is not None and not to_boolean(constraint(env, env[code])):
                    errors[code] = self._constraint_failed(step, env[code])
            elif relevant and required and code not in errors:
                errors[code] = _("“%(code)s” is required but has no answer.") % {"code": code}
        if errors:
            raise AnswerError(errors)
        return Score(
            total=_score_number(env["total"]) if self._has_total else None,
            band=(to_string(env["band"]) or None) if self._has_band else None,
            flags=tuple(flag for code, flag in self._flags if _flag_raised(env[code])),
            subscales={
                name: number for code, name in self._subscales if (number := _score_number(env[code])) is not None
            },
        )

    # --- storage ---------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict holding the whole definition; :meth:`from_json` rebuilds an equal instrument."""
        elements: list[dict[str, Any]] = []
        for element in self._elements:
            if isinstance(element, Calculate):
                elements.append(
                    {
                        "kind": "calculate",
                        "code": element.code,
                        "calculation": element.calculation,
                        "relevant": element.relevant,
                        "group": element.group,
                    }
                )
            else:
                elements.append(
                    {
                        "kind": element.kind,
                        "code": element.code,
                        "label": dict(element.label),
                        "hint": dict(element.hint),
                        "choices": [{"value": c.value, "label": dict(c.label)} for c in element.choices],
                        "required": element.required,
                        "relevant": element.relevant,
                        "constraint": element.constraint,
                        "constraint_message": dict(element.constraint_message),
                        "group": element.group,
                    }
                )
        return {
            "format": JSON_FORMAT,
            "code": self.code,
            "version": self.version,
            "title": dict(self.title),
            "source": self.source,
            "licence": self.licence,
            "translations": dict(self.translations),
            "default_language": self.default_language,
            "age_min": self.age_min,
            "age_max": self.age_max,
            "groups": {name: dict(label) for name, label in self.groups.items()},
            "elements": elements,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Instrument:
        """Rebuild an instrument stored with :meth:`to_json`; ``FormError`` if the data is not one."""
        try:
            if data.get("format") != JSON_FORMAT:
                raise FormError(
                    _("Unknown stored instrument format %(format)s (expected %(expected)s).")
                    % {"format": _shown(data.get("format")), "expected": JSON_FORMAT}
                )
            elements: list[Item | Calculate] = []
            for element in data["elements"]:
                if element["kind"] == "calculate":
                    elements.append(
                        Calculate(
                            code=element["code"],
                            calculation=element["calculation"],
                            relevant=element.get("relevant", ""),
                            group=element.get("group", ""),
                        )
                    )
                else:
                    elements.append(
                        Item(
                            code=element["code"],
                            kind=element["kind"],
                            label=dict(element["label"]),
                            hint=dict(element.get("hint") or {}),
                            choices=tuple(
                                Choice(value=c["value"], label=dict(c["label"])) for c in element.get("choices") or ()
                            ),
                            required=bool(element.get("required", False)),
                            relevant=element.get("relevant", ""),
                            constraint=element.get("constraint", ""),
                            constraint_message=dict(element.get("constraint_message") or {}),
                            group=element.get("group", ""),
                        )
                    )
            return cls(
                code=data["code"],
                version=data["version"],
                title=dict(data["title"]),
                source=data["source"],
                licence=data["licence"],
                translations=dict(data["translations"]),
                default_language=data["default_language"],
                age_min=data.get("age_min"),
                age_max=data.get("age_max"),
                groups=data.get("groups") or {},
                elements=elements,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise FormError(
                _("The stored instrument is incomplete or malformed (%(error)s).") % {"error": exc}
            ) from exc

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Instrument) and other.to_json() == self.to_json()

    def __hash__(self) -> int:
        return hash((self.code, self.version))

    def __repr__(self) -> str:
        return f"<Instrument {self.code}@{self.version}>"


def _score_number(value: Any) -> int | float | None:
    number = to_number(value)
    if number != number or math.isinf(number):
        return None
    if type(number) is float and number.is_integer():
        return int(number)
    return number


def _flag_raised(value: Any) -> bool:
    # Also accept ODK's string spelling of booleans, so forms tested in ODK Collect behave the same here.
    if type(value) is str and value.strip().lower() in ("false", "0", "false()"):
        return False
    return to_boolean(value)


# --- XLSForm import -------------------------------------------------------------------------------------

_SUPPORTED_TYPES = "select_one, integer, decimal, text, note, calculate, begin/end group"
_SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "relevant",
    "constraint",
    "constraint_message",
    "required",
    "calculation",
    "read_only",
    "appearance",
)
_TRANSLATABLE_SURVEY_COLUMNS = ("label", "hint", "constraint_message")
_SURVEY_COLUMN_ALIASES = {
    "relevance": "relevant",
    "caption": "label",
    "constraining_message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "calculate": "calculation",
    "readonly": "read_only",
}
_CHOICES_COLUMNS = ("list_name", "name", "label")
_SETTINGS_ALIASES = {
    "form_id": "form_id",
    "set_form_id": "form_id",
    "form_title": "title",
    "set_form_title": "title",
    "title": "title",
    "version": "version",
    "default_language": "default_language",
    "source": "source",
    "licence": "licence",
    "age_min": "age_min",
    "age_max": "age_max",
    "translation_status": "translation_status",
    "style": "style",
}
_TRANSLATABLE_SETTINGS = ("title", "translation_status")
_PYXFORM_KINDS = {
    "select one": "select_one",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "text": "text",
    "string": "text",
    "note": "note",
}
_SIMPLE_TYPES = {
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "text": "text",
    "string": "text",
    "note": "note",
    "calculate": "calculate",
}
_TRUE = {"yes", "true", "1", "true()"}
_FALSE = {"no", "false", "0", "false()", ""}


def _refusal(reason: str) -> str:
    # Built on demand: gettext needs the app registry, which is not ready while modules are imported.
    return {
        "select_multiple": _("multiple-choice questions (select_multiple) are not supported"),
        "repeat": _("repeats are not supported"),
        "or_other": _("“or_other” is not supported"),
        "external": _("choices from files or external sources are not supported"),
    }[reason]


def _split_column(header: str) -> tuple[str, str | None]:
    base, _sep, language = str(header).partition("::")
    return base.strip(), (language.strip() or None)


def _language_code(name: str) -> str | None:
    """kk/ru/en from "Kazakh (kk)", "kk" or "Kazakh"; ``None`` if it is none of Qorgau's languages."""
    text = name.strip()
    match = _LANGUAGE_IN_PARENTHESES_RE.search(text)
    code = match.group(1).lower() if match else _LANGUAGE_NAMES.get(text.lower(), text.lower())
    return code if code in LANGUAGES else None


def _classify_type(raw: str) -> tuple[str, str | None]:
    """(normalised type, reason it is refused or None) for a survey ``type`` cell."""
    words = raw.split()
    if len(words) >= 2 and words[0].lower() in ("begin", "end", "select"):
        words = [f"{words[0].lower()}_{words[1].lower()}", *words[2:]]
    head, rest = (words[0].lower(), words[1:]) if words else ("", [])
    if head in ("begin_group", "end_group") and not rest:
        return head.replace("_", " "), None
    if head in ("begin_repeat", "begin_loop"):
        return head.replace("_", " "), _refusal("repeat")
    if head in ("end_repeat", "end_loop"):
        return head.replace("_", " "), None  # reported once, at the "begin"
    if not rest and head in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[head], None
    if head == "select_one":
        if rest and rest[0].lower() in ("from", "external"):
            return "select_one", _refusal("external")
        if len(rest) == 2 and rest[1].lower() == "or_other":
            return "select_one", _refusal("or_other")
        if len(rest) == 1:
            return "select_one", None
    if head.startswith(("select_one_from_file", "select_one_external")):
        return "select_one", _refusal("external")
    if head.startswith(("select_multiple", "select_all")):
        return "select_multiple", _refusal("select_multiple")
    return head, _("question type “%(type)s” is not supported (supported: %(supported)s)") % {
        "type": raw.strip(),
        "supported": _SUPPORTED_TYPES,
    }


def _check_subset(definition: Any) -> list[str]:
    """Refuse, with one message per problem, everything outside Qorgau's XLSForm subset."""
    problems: list[str] = []
    for sheet in ("entities", "external_choices", "osm"):
        if getattr(definition, sheet, None):
            problems.append(_("The “%(sheet)s” sheet is not supported.") % {"sheet": sheet})
    rows: Sequence[Mapping[str, Any]] = definition.survey or []
    if not rows:
        problems.append(_("The form has no survey sheet or the survey sheet is empty."))
    refused_columns: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        raw_type = str(row.get("type") or "").strip()
        who = (
            _("Item “%(name)s”") % {"name": name}
            if name
            else _("Survey row %(number)s (%(type)s)") % {"number": number, "type": raw_type or "—"}
        )
        kind, refusal = _classify_type(raw_type) if raw_type else ("", None)
        if refusal:
            problems.append(_("%(who)s: %(problem)s.") % {"who": who, "problem": refusal})
        for header, value in row.items():
            if value is None or not str(value).strip():
                continue
            base, language = _split_column(header)
            base = _SURVEY_COLUMN_ALIASES.get(base.lower(), base)
            if base not in _SURVEY_COLUMNS or (language is not None and base not in _TRANSLATABLE_SURVEY_COLUMNS):
                refused_columns.setdefault(str(header), name or raw_type)
            elif base == "appearance" and re.search(r"\b(search|pulldata)\s*\(", str(value)):
                problems.append(
                    _("%(who)s: the appearance “%(appearance)s” (search/pulldata) is not supported.")
                    % {"who": who, "appearance": value}
                )
            elif base == "required" and str(value).strip().lower() not in _TRUE | _FALSE:
                problems.append(
                    _("%(who)s: required must be yes or no (conditional required “%(value)s” is not supported).")
                    % {"who": who, "value": value}
                )
            elif base == "calculation" and kind and kind != "calculate":
                problems.append(
                    _("%(who)s: a calculation is only supported on calculate rows (dynamic defaults are not).")
                    % {"who": who}
                )
            elif base == "constraint" and kind in ("calculate", "note", "begin group", "end group"):
                problems.append(_("%(who)s: a %(type)s row cannot have a constraint.") % {"who": who, "type": kind})
    for header, where in refused_columns.items():
        problems.append(
            _("The survey column “%(column)s” (used by “%(item)s”) is not supported (supported: %(supported)s).")
            % {"column": header, "item": where, "supported": ", ".join(_SURVEY_COLUMNS)}
        )
    choice_columns: set[str] = set()
    for row in definition.choices or []:
        for header, value in row.items():
            if value is not None and str(value).strip():
                base, language = _split_column(header)
                if base not in _CHOICES_COLUMNS or (language is not None and base != "label"):
                    choice_columns.add(str(header))
    for header in sorted(choice_columns):
        problems.append(
            _("The choices column “%(column)s” is not supported (supported: %(supported)s).")
            % {"column": header, "supported": ", ".join(_CHOICES_COLUMNS)}
        )
    for row in (definition.settings or [])[:1]:
        for header, value in row.items():
            if value is None or not str(value).strip():
                continue
            base, language = _split_column(header)
            setting = _SETTINGS_ALIASES.get(base)
            if setting is None or (language is not None and setting not in _TRANSLATABLE_SETTINGS):
                problems.append(
                    _("The setting “%(setting)s” is not supported (supported: %(supported)s).")
                    % {"setting": header, "supported": ", ".join(sorted(set(_SETTINGS_ALIASES.values())))}
                )
    return problems


def _read_source(source: str | Path | bytes | IO[bytes] | Any, filename: str | None) -> tuple[bytes | Path, str | None]:
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise FormError(_("There is no file %(path)s.") % {"path": str(path)})
        return path, filename or path.name
    if isinstance(source, bytes | bytearray):
        return bytes(source), filename
    read = getattr(source, "read", None)
    if read is None:
        raise FormError(_("An XLSForm must be given as a path or a file."))
    data = read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, filename or getattr(source, "name", None)


def _file_type(filename: str | None) -> str | None:
    suffix = Path(filename).suffix.lower() if filename else ""
    return suffix if suffix in (".xlsx", ".xlsm", ".xls", ".md", ".csv") else None


def load_xlsform(source: str | Path | IO[bytes], filename: str | None = None) -> Instrument:
    """Import an instrument from an XLSForm (.xlsx, .xls, .csv or pyxform's markdown .md).

    ``source`` is a path or a binary file object (e.g. an upload, with ``filename`` giving its name so
    the format is known). pyxform validates the form first; then everything outside Qorgau's subset is
    refused. Any problem raises :class:`FormError` with every message found.
    """
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    data, name = _read_source(source, filename)
    try:
        definition = get_xlsform(
            data if isinstance(data, bytes) else io.BytesIO(data.read_bytes()), file_type=_file_type(name)
        )
    except (PyXFormError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise FormError(_("The file could not be read as an XLSForm: %(error)s") % {"error": exc}) from exc
    raw_settings = dict((definition.settings or [{}])[0]) if definition.settings else {}
    problems = _check_subset(definition)
    if problems:
        raise FormError(problems)
    try:
        form = workbook_to_json(
            workbook_dict=definition,
            form_name="data",
            fallback_form_name=Path(name).stem if name else None,
            default_language="default",
            warnings=[],
        )
    except PyXFormError as exc:
        raise FormError(_("The XLSForm is not valid: %(error)s") % {"error": exc}) from exc
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise FormError(_("The XLSForm could not be processed: %(error)s") % {"error": exc}) from exc
    return _instrument_from_pyxform(form, raw_settings)


def _instrument_from_pyxform(form: Mapping[str, Any], raw_settings: Mapping[str, Any]) -> Instrument:
    problems: list[str] = []
    settings: dict[str, str] = {}
    titles: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for header, value in raw_settings.items():
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        base, language = _split_column(header)
        setting = _SETTINGS_ALIASES.get(base, base)
        if language is None:
            settings[setting] = text
            continue
        code = _language_code(language)
        if code is None:
            problems.append(
                _("Setting “%(setting)s”: language “%(language)s” is not one of %(supported)s.")
                % {"setting": header, "language": language, "supported": ", ".join(LANGUAGES)}
            )
        elif setting == "title":
            titles[code] = text
        else:
            statuses[code] = text.lower()

    default_language = "en"  # for unlabelled columns when the settings name no default language
    if settings.get("default_language"):
        found = _language_code(settings["default_language"])
        if found is None:
            problems.append(
                _("The default language “%(language)s” is not one of %(supported)s.")
                % {"language": settings["default_language"], "supported": ", ".join(LANGUAGES)}
            )
        else:
            default_language = found
    languages: set[str] = set()  # languages that have texts

    def texts(value: Any, where: str) -> dict[str, str]:
        if value is None or value == "":
            return {}
        if not isinstance(value, Mapping):
            languages.add(default_language)
            return {default_language: str(value)}
        result: dict[str, str] = {}
        for key, text in value.items():
            if text is None or not str(text).strip():
                continue
            if key == "default":
                result.setdefault(default_language, str(text))
                languages.add(default_language)
                continue
            code = _language_code(str(key))
            if code is None:
                problems.append(
                    _("%(where)s: language “%(language)s” is not one of %(supported)s.")
                    % {"where": where, "language": key, "supported": ", ".join(LANGUAGES)}
                )
                continue
            result[code] = str(text)  # an explicit language wins over an unlabelled column
            languages.add(code)
        return result

    elements: list[Item | Calculate] = []
    groups: dict[str, dict[str, str]] = {}

    def walk(children: Sequence[Mapping[str, Any]], page: str, group_relevant: str) -> None:
        for child in children:
            kind = child.get("type")
            name = str(child.get("name", ""))
            bind = child.get("bind") or {}
            relevant = str(bind.get("relevant") or "").strip()
            if group_relevant:
                relevant = f"({group_relevant}) and ({relevant})" if relevant else group_relevant
            if kind == "group":
                if name == "meta" and (child.get("control") or {}).get("bodyless"):
                    continue  # pyxform's own instanceID block
                groups[name] = texts(child.get("label"), name)
                walk(child.get("children") or (), page or name, relevant)
                continue
            if kind == "calculate":
                elements.append(
                    Calculate(
                        code=name,
                        calculation=str(bind.get("calculate") or "").strip(),
                        relevant=relevant,
                        group=page,
                    )
                )
                continue
            item_kind = _PYXFORM_KINDS.get(str(kind), str(kind))
            required = str(bind.get("required") or "").strip().lower()
            elements.append(
                Item(
                    code=name,
                    kind=item_kind,
                    label=texts(child.get("label"), name),
                    hint=texts(child.get("hint"), name),
                    choices=tuple(
                        Choice(value=str(choice.get("name", "")), label=texts(choice.get("label"), name))
                        for choice in child.get("choices") or ()
                    ),
                    required=required in _TRUE,
                    relevant=relevant,
                    constraint=str(bind.get("constraint") or "").strip(),
                    constraint_message=texts(bind.get("jr:constraintMsg"), name),
                    group=page,
                )
            )

    walk(form.get("children") or (), "", "")
    languages.update(titles)
    if not languages:
        languages.add(default_language)
    if not settings.get("default_language") and default_language not in languages:
        default_language = next(lang for lang in LANGUAGES if lang in languages)
    for lang, status in statuses.items():
        if lang not in languages:
            problems.append(
                _("translation_status::%(language)s is set but the form has no texts in that language.")
                % {"language": lang}
            )
        elif status not in TRANSLATION_STATUSES:
            problems.append(
                _("The translation status of “%(language)s” is “%(status)s”; it must be official or unofficial.")
                % {"language": lang, "status": status}
            )
    # A language without a stated status is treated as an unofficial translation, to be validated.
    translations = {lang: statuses.get(lang, "unofficial") for lang in LANGUAGES if lang in languages}

    code = settings.get("form_id", "")
    if not code:
        problems.append(_("The settings sheet must give the instrument code in form_id."))
    plain_title = settings.get("title") or code
    title = {lang: titles.get(lang, plain_title) for lang in translations}
    ages: dict[str, int | None] = {}
    for setting in ("age_min", "age_max"):
        text = settings.get(setting, "")
        if not text:
            ages[setting] = None
        elif re.fullmatch(r"\d+(\.0+)?", text):
            ages[setting] = int(float(text))
        else:
            ages[setting] = None
            problems.append(
                _("%(setting)s must be an age in years, not “%(value)s”.") % {"setting": setting, "value": text}
            )
    if problems:
        raise FormError(problems)
    return Instrument(
        code=code,
        version=settings.get("version", ""),
        title=title,
        source=settings.get("source", ""),
        licence=settings.get("licence", ""),
        translations=translations,
        default_language=default_language,
        age_min=ages["age_min"],
        age_max=ages["age_max"],
        groups=groups,
        elements=elements,
    )
