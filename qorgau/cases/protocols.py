"""Response protocols as data: the sources' response algorithms as ordered, versioned steps.

A protocol (``data/protocols/<code>.yaml``) lists the steps of the response to one kind of case:
who is responsible (a role of :mod:`core.roles` or a state agency of ``core/data/agencies.yaml``),
the deadline (an ISO-8601 duration from the case's opening or from the previous step, on the
24/7 or the working-days calendar of :mod:`cases.calendar`), the record the step must produce,
the conditions under which it applies (risk level, category) and whom to alert when it is
missed. Opening a case turns the applicable steps into tasks with stored due times; the case
keeps the protocol as JSON (:meth:`Protocol.to_json`), so a later version of the file never
changes a running case.

The shipped protocols are TEMPLATES: each is to be aligned with the joint orders that approve the
response algorithms (004 Action Plan row 11; 000 measures 18, 25, 26) once they are published.

Loading collects every problem of a file into :class:`ProtocolError` ``.messages`` instead of
stopping at the first, so an author fixes a file in one pass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from django.utils import translation
from django.utils.translation import gettext as _

from cases.calendar import CALENDARS, DurationError, due_at, parse_duration
from core.reference import agency_records
from core.roles import Role

__all__ = [
    "CATEGORIES",
    "DUE_FROM",
    "LANGUAGES",
    "PROTOCOLS_DIR",
    "RECORD_KINDS",
    "RISK_LEVELS",
    "ROLES",
    "Protocol",
    "ProtocolError",
    "RecordSpec",
    "Responsible",
    "Step",
    "get",
    "load_protocol",
    "load_protocols",
    "protocol_for",
    "step_due",
]

CATEGORIES = (
    "suicide_risk",
    "suicide_attempt",
    "violence_physical",
    "violence_psychological",
    "violence_sexual",
    "neglect",
    "bullying",
    "cyberbullying",
    "difficult_life_situation",
    "offence",
)
RISK_LEVELS = ("low", "moderate", "high", "acute")
ROLES = tuple(str(value) for value in Role.values)
LANGUAGES = ("kk", "ru", "en")  # every text of a protocol is required in all three
TEXT_FALLBACK = ("en", "ru", "kk")  # when the wanted language is missing (stored older protocols)
RECORD_KINDS = ("note", "form", "document", "decision", "referral", "notification")
DUE_FROM = ("opening", "previous")
WHEN_KEYS = ("risk_level", "category")
JSON_FORMAT = 1  # bump when the stored JSON shape changes
PROTOCOLS_DIR = Path(__file__).resolve().parent / "data" / "protocols"

_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")
_CODE_MAX = 40  # Case.protocol_code
_STEP_CODE_MAX = 60  # CaseTask.step_code
_VERSION_MAX = 20  # Case.protocol_version

_TOP_KEYS = ("code", "version", "template", "title", "description", "source", "categories", "steps")
_TOP_REQUIRED = _TOP_KEYS
_STEP_KEYS = (
    "code",
    "title",
    "description",
    "responsible",
    "due",
    "due_from",
    "calendar",
    "record",
    "when",
    "escalate_to",
)
_STEP_REQUIRED = ("code", "title", "description", "responsible", "due", "calendar", "record", "escalate_to")
_RECORD_KEYS = ("kind", "title", "required")
_RESPONSIBLE_KEYS = ("role", "agency")


class ProtocolError(ValueError):
    """A protocol definition (YAML or stored JSON) was refused; ``messages`` lists every problem."""

    def __init__(self, messages: str | Iterable[str]) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        super().__init__("\n".join(self.messages))

    def __str__(self) -> str:
        return "\n".join(self.messages)


def _language(lang: str | None) -> str:
    lang = (lang or translation.get_language() or "kk").split("-")[0].lower()
    return lang if lang in LANGUAGES else "kk"


def text(mapping: Mapping[str, str], lang: str | None = None) -> str:
    """``mapping[lang]`` (default: the active language), else the first of en, ru, kk that exists."""
    wanted = _language(lang)
    for candidate in (wanted, *TEXT_FALLBACK):
        if mapping.get(candidate):
            return mapping[candidate]
    return ""


@functools.cache
def _agencies() -> dict[str, dict[str, Any]]:
    return {record["code"]: record for record in agency_records()}


@dataclass(frozen=True)
class Responsible:
    """Who does a step (or is alerted when it is missed): a Qorgau role or a state agency, exactly one."""

    role: str | None = None
    agency: str | None = None  # a code of core/data/agencies.yaml

    def __post_init__(self) -> None:
        if (self.role is None) == (self.agency is None):
            raise ValueError("Responsible needs exactly one of role and agency")

    def label(self, lang: str | None = None) -> str:
        """The role's label or the agency's name in ``lang`` (default: the active language)."""
        lang = _language(lang)
        if self.role is not None:
            if self.role not in ROLES:
                return self.role  # a role retired since this protocol was stored
            with translation.override(lang):
                return str(Role(self.role).label)
        record = _agencies().get(str(self.agency))
        if record is None:
            return str(self.agency)
        return str(record.get(f"name_{lang}") or record["name_en"])

    def to_json(self) -> dict[str, str]:
        return {"role": self.role} if self.role is not None else {"agency": str(self.agency)}


@dataclass(frozen=True)
class RecordSpec:
    """The record a step must produce to count as done (a note, a form, a council decision…)."""

    kind: str  # one of RECORD_KINDS
    title: dict[str, str]
    required: bool = True


@dataclass(frozen=True)
class Step:
    """One step of a protocol."""

    code: str
    title: dict[str, str]
    description: dict[str, str]
    responsible: Responsible
    due: str  # ISO-8601 duration text
    due_from: str  # "opening" | "previous" (the due time of the previous applicable step)
    calendar: str  # "24x7" | "working_days"
    record: RecordSpec
    when: dict[str, list[str]]  # {"risk_level": [...], "category": [...]}: all given keys must match; {} = always
    escalate_to: Responsible

    def applies(self, *, category: str, risk_level: str | None) -> bool:
        """Whether the step applies to a case of this category and risk level (``None``: not known)."""
        values = {"category": category, "risk_level": risk_level}
        return all(values[key] in allowed for key, allowed in self.when.items())

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": dict(self.title),
            "description": dict(self.description),
            "responsible": self.responsible.to_json(),
            "due": self.due,
            "due_from": self.due_from,
            "calendar": self.calendar,
            "record": {"kind": self.record.kind, "title": dict(self.record.title), "required": self.record.required},
            "when": {key: list(values) for key, values in self.when.items()},
            "escalate_to": self.escalate_to.to_json(),
        }


@dataclass(frozen=True)
class Protocol:
    """One version of a response protocol (immutable; a case stores it with :meth:`to_json`)."""

    code: str
    version: str
    template: bool  # True: a template to be aligned with the approved joint orders
    title: dict[str, str]
    description: dict[str, str]
    source: str  # the source documents' rows and measures it implements
    categories: tuple[str, ...]  # the case categories it applies to
    steps: tuple[Step, ...] = field(default=())

    def text(self, mapping: Mapping[str, str], lang: str | None = None) -> str:
        """A text of this protocol in ``lang`` (default: the active language), falling back en → ru → kk."""
        return text(mapping, lang)

    def step(self, code: str) -> Step:
        """The step ``code``; ``KeyError`` if the protocol has none."""
        for step in self.steps:
            if step.code == code:
                return step
        raise KeyError(_("Protocol “%(protocol)s” has no step “%(step)s”.") % {"protocol": self.code, "step": code})

    def steps_for(self, *, category: str, risk_level: str | None) -> list[Step]:
        """The steps that apply to a case of ``category`` and ``risk_level``, in protocol order.

        A step conditioned on the risk level does not apply while the level is unknown (``None``).
        """
        if category not in CATEGORIES:
            raise ValueError(_("Unknown case category “%(category)s”.") % {"category": category})
        if risk_level == "":
            risk_level = None
        if risk_level is not None and risk_level not in RISK_LEVELS:
            raise ValueError(_("Unknown risk level “%(level)s”.") % {"level": risk_level})
        return [step for step in self.steps if step.applies(category=category, risk_level=risk_level)]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the whole protocol; :meth:`from_json` rebuilds an equal one."""
        return {
            "format": JSON_FORMAT,
            "code": self.code,
            "version": self.version,
            "template": self.template,
            "title": dict(self.title),
            "description": dict(self.description),
            "source": self.source,
            "categories": list(self.categories),
            "steps": [step.to_json() for step in self.steps],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Protocol:
        """Rebuild a protocol stored with :meth:`to_json`; ``ProtocolError`` if the data is not one.

        Roles and agencies are not checked against today's reference data: a case keeps the
        protocol it started with even if a role or an agency has been retired since.
        """
        if not isinstance(data, Mapping):
            raise ProtocolError(_("A stored protocol must be a JSON object."))
        if data.get("format") != JSON_FORMAT:
            raise ProtocolError(
                _("Unknown stored protocol format %(format)s (expected %(expected)s).")
                % {"format": repr(data.get("format")), "expected": JSON_FORMAT}
            )
        return _build({key: value for key, value in data.items() if key != "format"}, check_references=False)


# --- loading and validation -----------------------------------------------------------------


def load_protocol(text_or_path: str | Path) -> Protocol:
    """Load and validate one protocol from a YAML file (a ``Path``, or a ``str`` ending in .yaml/.yml
    without line breaks) or from YAML text; ``ProtocolError`` lists every problem found."""
    source = text_or_path
    if isinstance(text_or_path, Path) or (
        "\n" not in text_or_path and text_or_path.strip().endswith((".yaml", ".yml"))
    ):
        path = Path(text_or_path)
        try:
            source = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ProtocolError(
                _("Cannot read the protocol file %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
    try:
        data = yaml.safe_load(str(source))
    except yaml.YAMLError as exc:
        raise ProtocolError(_("The protocol is not valid YAML: %(error)s") % {"error": exc}) from exc
    return _build(data, check_references=True)


def _build(data: Any, *, check_references: bool) -> Protocol:
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise ProtocolError(
            _("A protocol must be a mapping of keys (code, version, steps…), not %(kind)s.")
            % {"kind": type(data).__name__}
        )
    where = _("protocol")
    _check_keys(data, _TOP_KEYS, _TOP_REQUIRED, where, problems)

    code = data.get("code")
    if "code" in data and not _is_code(code, _CODE_MAX):
        problems.append(
            _("%(where)s: the code %(code)s must be lowercase letters, digits and “_” (at most %(max)s).")
            % {"where": where, "code": repr(code), "max": _CODE_MAX}
        )
    version = data.get("version")
    if "version" in data and not (isinstance(version, str) and version.strip() and len(version) <= _VERSION_MAX):
        problems.append(
            _(
                "%(where)s: the version must be a quoted text such as “2026.1” (at most %(max)s characters), "
                "not %(value)s."
            )
            % {"where": where, "max": _VERSION_MAX, "value": repr(version)}
        )
    template = data.get("template")
    if "template" in data and not isinstance(template, bool):
        problems.append(
            _("%(where)s: “template” must be true or false, not %(value)s.") % {"where": where, "value": repr(template)}
        )
    title = _texts(data.get("title"), where, "title", problems) if "title" in data else {}
    description = _texts(data.get("description"), where, "description", problems) if "description" in data else {}
    source = data.get("source")
    if "source" in data and not (isinstance(source, str) and source.strip()):
        problems.append(
            _("%(where)s: “source” must name the source rows or measures the protocol implements.") % {"where": where}
        )

    categories: list[str] = []
    raw_categories = data.get("categories")
    if "categories" in data:
        if not isinstance(raw_categories, list) or not raw_categories:
            problems.append(
                _("%(where)s: “categories” must be a non-empty list of case categories.") % {"where": where}
            )
        else:
            for category in raw_categories:
                if category not in CATEGORIES:
                    problems.append(
                        _("%(where)s: unknown case category %(category)s (known: %(known)s).")
                        % {"where": where, "category": repr(category), "known": ", ".join(CATEGORIES)}
                    )
                elif category in categories:
                    problems.append(
                        _("%(where)s: the category “%(category)s” is listed twice.")
                        % {"where": where, "category": category}
                    )
                else:
                    categories.append(category)

    steps: list[Step] = []
    raw_steps = data.get("steps")
    if "steps" in data:
        if not isinstance(raw_steps, list) or not raw_steps:
            problems.append(_("%(where)s: “steps” must be a non-empty list of steps.") % {"where": where})
        else:
            seen: set[str] = set()
            for index, raw in enumerate(raw_steps, start=1):
                step = _step(raw, index, categories, seen, problems, check_references=check_references)
                if step is not None:
                    steps.append(step)

    if problems:
        raise ProtocolError(problems)
    return Protocol(
        code=str(code),
        version=str(version),
        template=bool(template),
        title=title,
        description=description,
        source=str(source).strip(),
        categories=tuple(categories),
        steps=tuple(steps),
    )


def _step(
    raw: Any,
    index: int,
    categories: list[str],
    seen: set[str],
    problems: list[str],
    *,
    check_references: bool,
) -> Step | None:
    """Validate one step, adding its problems to ``problems``; the step, or None if it has any."""
    before = len(problems)
    code = raw.get("code") if isinstance(raw, Mapping) else None
    where = _("step %(n)s “%(code)s”") % {"n": index, "code": code} if code else _("step %(n)s") % {"n": index}
    if not isinstance(raw, Mapping):
        problems.append(_("%(where)s must be a mapping of keys to values.") % {"where": where})
        return None
    _check_keys(raw, _STEP_KEYS, _STEP_REQUIRED, where, problems)

    if "code" in raw:
        if not _is_code(code, _STEP_CODE_MAX):
            problems.append(
                _("%(where)s: the step code must be lowercase letters, digits and “_” (at most %(max)s).")
                % {"where": where, "max": _STEP_CODE_MAX}
            )
        elif code in seen:
            problems.append(_("%(where)s: the step code “%(code)s” is used twice.") % {"where": where, "code": code})
        else:
            seen.add(str(code))
    title = _texts(raw.get("title"), where, "title", problems) if "title" in raw else {}
    description = _texts(raw.get("description"), where, "description", problems) if "description" in raw else {}
    responsible = (
        _responsible(raw.get("responsible"), where, "responsible", problems, check_references)
        if "responsible" in raw
        else None
    )
    escalate_to = (
        _responsible(raw.get("escalate_to"), where, "escalate_to", problems, check_references)
        if "escalate_to" in raw
        else None
    )
    if responsible is not None and escalate_to is not None and responsible == escalate_to:
        problems.append(
            _("%(where)s: “escalate_to” is the responsible itself; name the supervisor to alert.") % {"where": where}
        )

    due = raw.get("due")
    duration = None
    if "due" in raw:
        try:
            duration = parse_duration(due if isinstance(due, str) else repr(due))
        except DurationError as exc:
            problems.append(_("%(where)s: %(error)s") % {"where": where, "error": exc})
    calendar = raw.get("calendar")
    if "calendar" in raw:
        if calendar not in CALENDARS:
            problems.append(
                _("%(where)s: unknown calendar %(calendar)s (known: %(known)s).")
                % {"where": where, "calendar": repr(calendar), "known": ", ".join(CALENDARS)}
            )
        elif calendar == "working_days" and duration is not None and duration.seconds:
            problems.append(
                _(
                    "%(where)s: the deadline “%(due)s” has hours or minutes, but the working-days calendar counts "
                    "whole days or weeks; use P1D… or the 24x7 calendar."
                )
                % {"where": where, "due": due}
            )
    due_from = raw.get("due_from", "opening")
    if due_from not in DUE_FROM:
        problems.append(
            _("%(where)s: “due_from” must be one of %(known)s, not %(value)s.")
            % {"where": where, "known": ", ".join(DUE_FROM), "value": repr(due_from)}
        )
    elif due_from == "previous" and index == 1:
        problems.append(
            _("%(where)s: the first step cannot be due from the previous step; use “opening”.") % {"where": where}
        )
    record = _record(raw.get("record"), where, problems) if "record" in raw else None
    when = _when(raw.get("when", {}), where, categories, problems)

    if len(problems) > before:
        return None
    assert responsible is not None and escalate_to is not None and record is not None
    return Step(
        code=str(code),
        title=title,
        description=description,
        responsible=responsible,
        due=str(due).strip(),
        due_from=str(due_from),
        calendar=str(calendar),
        record=record,
        when=when,
        escalate_to=escalate_to,
    )


def _is_code(value: Any, max_length: int) -> bool:
    return isinstance(value, str) and len(value) <= max_length and _CODE_RE.fullmatch(value) is not None


def _check_keys(
    data: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str], where: str, problems: list[str]
) -> None:
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            problems.append(
                _("%(where)s: unknown key %(key)s (allowed: %(allowed)s).")
                % {"where": where, "key": repr(key), "allowed": ", ".join(allowed)}
            )
    for key in required:
        if key not in data:
            problems.append(_("%(where)s: the key “%(key)s” is missing.") % {"where": where, "key": key})


def _texts(value: Any, where: str, name: str, problems: list[str]) -> dict[str, str]:
    """A {kk, ru, en} mapping of non-empty texts; every missing or unknown language is a problem."""
    if not isinstance(value, Mapping):
        problems.append(
            _("%(where)s: “%(name)s” must give the text in %(languages)s.")
            % {"where": where, "name": name, "languages": ", ".join(LANGUAGES)}
        )
        return {}
    texts: dict[str, str] = {}
    for lang in value:
        if lang not in LANGUAGES:
            problems.append(
                _("%(where)s: “%(name)s” has the unknown language %(lang)s (languages: %(languages)s).")
                % {"where": where, "name": name, "lang": repr(lang), "languages": ", ".join(LANGUAGES)}
            )
    for lang in LANGUAGES:
        item = value.get(lang)
        if not isinstance(item, str) or not item.strip():
            problems.append(
                _("%(where)s: “%(name)s” has no %(lang)s text.") % {"where": where, "name": name, "lang": lang}
            )
        else:
            texts[lang] = " ".join(item.split())
    return texts


def _responsible(value: Any, where: str, name: str, problems: list[str], check_references: bool) -> Responsible | None:
    if not isinstance(value, Mapping) or len(value) != 1 or not set(value) <= set(_RESPONSIBLE_KEYS):
        problems.append(
            _("%(where)s: “%(name)s” must be either {role: …} or {agency: …}, not %(value)s.")
            % {"where": where, "name": name, "value": repr(value)}
        )
        return None
    role, agency = value.get("role"), value.get("agency")
    if "role" in value:
        if not isinstance(role, str) or (check_references and role not in ROLES):
            problems.append(
                _("%(where)s: “%(name)s” names the unknown role %(role)s (roles: %(known)s).")
                % {"where": where, "name": name, "role": repr(role), "known": ", ".join(ROLES)}
            )
            return None
        return Responsible(role=role)
    if not isinstance(agency, str) or (check_references and agency not in _agencies()):
        problems.append(
            _("%(where)s: “%(name)s” names the unknown agency %(agency)s (a code of core/data/agencies.yaml).")
            % {"where": where, "name": name, "agency": repr(agency)}
        )
        return None
    return Responsible(agency=agency)


def _record(value: Any, where: str, problems: list[str]) -> RecordSpec | None:
    if not isinstance(value, Mapping):
        problems.append(_("%(where)s: “record” must be a mapping with kind, title and required.") % {"where": where})
        return None
    before = len(problems)
    _check_keys(value, _RECORD_KEYS, ("kind", "title"), _("%(where)s, record") % {"where": where}, problems)
    kind = value.get("kind")
    if "kind" in value and kind not in RECORD_KINDS:
        problems.append(
            _("%(where)s: unknown record kind %(kind)s (known: %(known)s).")
            % {"where": where, "kind": repr(kind), "known": ", ".join(RECORD_KINDS)}
        )
    title = _texts(value.get("title"), where, "record.title", problems) if "title" in value else {}
    required = value.get("required", True)
    if not isinstance(required, bool):
        problems.append(_("%(where)s: “record.required” must be true or false.") % {"where": where})
    if len(problems) > before:
        return None
    return RecordSpec(kind=str(kind), title=title, required=bool(required))


def _when(value: Any, where: str, categories: list[str], problems: list[str]) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(_("%(where)s: “when” must be a mapping such as {risk_level: [acute]}.") % {"where": where})
        return {}
    when: dict[str, list[str]] = {}
    for key, values in value.items():
        if key not in WHEN_KEYS:
            problems.append(
                _("%(where)s: unknown condition %(key)s in “when” (allowed: %(allowed)s).")
                % {"where": where, "key": repr(key), "allowed": ", ".join(WHEN_KEYS)}
            )
            continue
        if not isinstance(values, list) or not values:
            problems.append(
                _("%(where)s: the condition “%(key)s” must be a non-empty list.") % {"where": where, "key": key}
            )
            continue
        known = RISK_LEVELS if key == "risk_level" else CATEGORIES
        for item in values:
            if item not in known:
                problems.append(
                    _("%(where)s: unknown %(key)s %(value)s in “when” (known: %(known)s).")
                    % {"where": where, "key": key, "value": repr(item), "known": ", ".join(known)}
                )
            elif key == "category" and categories and item not in categories:
                problems.append(
                    _("%(where)s: the condition category “%(value)s” is not one of the protocol's categories.")
                    % {"where": where, "value": item}
                )
        when[key] = [str(item) for item in values]
    return when


# --- the shipped protocols ------------------------------------------------------------------


@functools.cache
def _shipped() -> dict[str, Protocol]:
    protocols: dict[str, Protocol] = {}
    owner: dict[str, str] = {}
    for path in sorted(PROTOCOLS_DIR.glob("*.yaml")):
        try:
            protocol = load_protocol(path)
        except ProtocolError as exc:
            raise ProtocolError([f"{path.name}: {message}" for message in exc.messages]) from exc
        if protocol.code != path.stem:
            raise ProtocolError(f"{path.name}: the code “{protocol.code}” differs from the file name")
        if protocol.code in protocols:
            raise ProtocolError(f"{path.name}: protocol code “{protocol.code}” is used twice")
        for category in protocol.categories:
            if category in owner:
                raise ProtocolError(
                    f"{path.name}: category “{category}” is already covered by the protocol “{owner[category]}”"
                )
            owner[category] = protocol.code
        protocols[protocol.code] = protocol
    return protocols


def load_protocols() -> dict[str, Protocol]:
    """Every shipped protocol by code (read once per process; a broken file raises ``ProtocolError``)."""
    return dict(_shipped())


def get(code: str) -> Protocol:
    """The shipped protocol ``code``; ``KeyError`` naming the known codes if there is none."""
    protocols = _shipped()
    try:
        return protocols[code]
    except KeyError:
        raise KeyError(
            _("Unknown protocol “%(code)s” (known: %(known)s).") % {"code": code, "known": ", ".join(sorted(protocols))}
        ) from None


def protocol_for(category: str) -> Protocol | None:
    """The shipped protocol for a case category, or None if no shipped protocol covers it.

    Each category belongs to at most one protocol (checked when loading): suicide_risk →
    suicidal_intent; violence_* and neglect → violence; offence → difficult_life_situation (a child
    who committed an offence gets the family and school support of that protocol plus its
    offence-only steps: the juvenile police inspector and the juvenile affairs commission).
    """
    if category not in CATEGORIES:
        raise ValueError(_("Unknown case category “%(category)s”.") % {"category": category})
    for protocol in _shipped().values():
        if category in protocol.categories:
            return protocol
    return None


def step_due(step: Step, *, opened_at: datetime, previous_due: datetime | None) -> datetime:
    """When ``step`` falls due: its duration from the case's opening, or from the previous applicable
    step's due time when ``due_from`` is "previous" (the opening if no step applied before it)."""
    start = previous_due if step.due_from == "previous" and previous_due is not None else opened_at
    return due_at(start, step.due, step.calendar)
