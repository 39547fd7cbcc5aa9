"""The risk rule: from a child's instrument scores to one risk level (SPEC §2.2).

A rule is data (YAML, see ``data/risk_rules/default.yaml``): for each level from ``acute`` down to
``low`` a list of conditions on one instrument's band, flag or total. The first level with a matching
condition wins; the ids of all its matching conditions are kept with the result, so a stored result
always says which rule (``name@version``) and which conditions fired. Nothing matching gives ``none``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from screening.instruments.definition import Score

__all__ = [
    "DEFAULT_RULE_PATH",
    "RISK_LEVELS",
    "Condition",
    "RiskResult",
    "RiskRule",
    "RiskRuleError",
    "default_rule",
]

RISK_LEVELS = ("none", "low", "moderate", "high", "acute")  # from least to most severe
_RULE_LEVELS = RISK_LEVELS[:0:-1]  # acute, high, moderate, low: the levels a rule defines, tried in this order
DEFAULT_RULE_PATH = Path(__file__).resolve().parent / "data" / "risk_rules" / "default.yaml"
_CONDITION_KEYS = ("id", "instrument", "band", "flag", "total")
_TEST_KEYS = ("band", "flag", "total")


class RiskRuleError(ValueError):
    """A risk rule is malformed; ``messages`` lists every problem, each saying where it is."""

    def __init__(self, messages: str | Sequence[str]) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


def _format_bound(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Condition:
    """One test on one instrument's score; exactly one of ``band``, ``flag``, ``total`` is set."""

    id: str
    instrument: str
    band: tuple[str, ...] | None = None
    flag: str | None = None
    total: tuple[int | float | None, int | float | None] | None = None  # inclusive; None = open end

    @staticmethod
    def default_id(
        instrument: str,
        band: Sequence[str] | None = None,
        flag: str | None = None,
        total: Sequence[int | float | None] | None = None,
    ) -> str:
        """The id used when the YAML gives none, e.g. ``phq_a.total.20-`` or ``asq.band.acute_positive``."""
        if band is not None:
            return f"{instrument}.band.{'+'.join(band)}"
        if flag is not None:
            return f"{instrument}.flag.{flag}"
        assert total is not None
        return f"{instrument}.total.{_format_bound(total[0])}-{_format_bound(total[1])}"

    def matches(self, score: Score) -> bool:
        """Whether ``score`` (of this condition's instrument) meets the condition."""
        if self.band is not None:
            return score.band in self.band
        if self.flag is not None:
            return self.flag in score.flags
        assert self.total is not None
        total = score.total
        if total is None or (isinstance(total, float) and math.isnan(total)):
            return False
        low, high = self.total
        return (low is None or total >= low) and (high is None or total <= high)

    def describe(self) -> str:
        """A sentence for people, e.g. "phq_a: total 20 or more"."""
        if self.band is not None:
            test = _("band is %(bands)s") % {"bands": " | ".join(self.band)}
        elif self.flag is not None:
            test = _("flag %(flag)s is raised") % {"flag": self.flag}
        else:
            assert self.total is not None
            low, high = (_format_bound(bound) for bound in self.total)
            if not high:
                test = _("total %(min)s or more") % {"min": low}
            elif not low:
                test = _("total %(max)s or less") % {"max": high}
            else:
                test = _("total from %(min)s to %(max)s") % {"min": low, "max": high}
        return f"{self.instrument}: {test}"

    def to_dict(self) -> dict[str, Any]:
        """The YAML/JSON form of the condition."""
        data: dict[str, Any] = {"id": self.id, "instrument": self.instrument}
        if self.band is not None:
            data["band"] = list(self.band)
        elif self.flag is not None:
            data["flag"] = self.flag
        elif self.total is not None:
            data["total"] = list(self.total)
        return data


@dataclass(frozen=True)
class RiskResult:
    """A risk level, the ids of the conditions that fired (all those of the winning level) and the rule."""

    level: str
    fired: tuple[str, ...]
    rule: str  # "<name>@<version>"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for storing with the result."""
        return {"level": self.level, "fired": list(self.fired), "rule": self.rule}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _parse_condition(data: object, where: str, problems: list[str]) -> Condition | None:
    def problem(message: str) -> None:
        problems.append(f"{where}: {message}")

    if not isinstance(data, Mapping):
        problem(_("a condition must be a mapping with instrument and one of band, flag, total."))
        return None
    unknown = [str(key) for key in data if key not in _CONDITION_KEYS]
    if unknown:
        problem(
            _("unknown key(s) %(keys)s (allowed: %(allowed)s).")
            % {"keys": ", ".join(unknown), "allowed": ", ".join(_CONDITION_KEYS)}
        )
    instrument = data.get("instrument")
    if not isinstance(instrument, str) or not instrument.strip():
        problem(_("the instrument code is missing."))
        instrument = ""
    tests = [key for key in _TEST_KEYS if key in data]
    if len(tests) != 1:
        problem(_("give exactly one of band, flag, total (found: %(found)s).") % {"found": ", ".join(tests) or "—"})
        return None
    band: tuple[str, ...] | None = None
    flag: str | None = None
    total: tuple[int | float | None, int | float | None] | None = None
    raw = data[tests[0]]
    if tests[0] == "band":
        codes = [raw] if isinstance(raw, str) else raw
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c.strip() for c in codes):
            problem(_("band must be a band code or a non-empty list of band codes."))
            return None
        band = tuple(codes)
    elif tests[0] == "flag":
        if not isinstance(raw, str) or not raw.strip():
            problem(_("flag must be a flag code."))
            return None
        flag = raw
    else:
        if (
            not isinstance(raw, list)
            or len(raw) != 2
            or not all(bound is None or _is_number(bound) for bound in raw)
            or raw == [None, None]
        ):
            problem(_("total must be [min, max] with numbers (null for an open end, not both)."))
            return None
        if raw[0] is not None and raw[1] is not None and raw[0] > raw[1]:
            problem(_("total [%(min)s, %(max)s]: the minimum is above the maximum.") % {"min": raw[0], "max": raw[1]})
            return None
        total = (raw[0], raw[1])
    condition_id = data.get("id")
    if condition_id is None:
        condition_id = Condition.default_id(instrument, band, flag, total)
    elif not isinstance(condition_id, str) or not condition_id.strip():
        problem(_("id must be non-empty text."))
        return None
    if not instrument:
        return None
    return Condition(id=condition_id, instrument=instrument, band=band, flag=flag, total=total)


class RiskRule:
    """A named, versioned risk rule: conditions per level, evaluated from ``acute`` down to ``low``."""

    name: str
    version: str
    description: str
    levels: dict[str, tuple[Condition, ...]]  # acute, high, moderate, low (those given), most severe first

    def __init__(
        self, name: str, version: str, levels: Mapping[str, Sequence[Condition]], description: str = ""
    ) -> None:
        self.name = name
        self.version = version
        self.description = description
        self.levels = {level: tuple(levels[level]) for level in _RULE_LEVELS if level in levels}

    @property
    def id(self) -> str:
        """``name@version``, stored with every result."""
        return f"{self.name}@{self.version}"

    @classmethod
    def from_yaml(cls, text: str) -> RiskRule:
        """Parse a rule from YAML text; :class:`RiskRuleError` if it is not a valid rule."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise RiskRuleError(_("The risk rule is not valid YAML: %(error)s") % {"error": exc}) from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> RiskRule:
        """Build a rule from its dict form (the parsed YAML); :class:`RiskRuleError` lists every problem."""
        if not isinstance(data, Mapping):
            raise RiskRuleError(_("A risk rule must be a mapping with name, version and levels."))
        problems: list[str] = []
        unknown = [str(key) for key in data if key not in ("name", "version", "description", "levels")]
        if unknown:
            problems.append(
                _("Unknown key(s) %(keys)s (allowed: name, version, description, levels).")
                % {"keys": ", ".join(unknown)}
            )
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(_("name: the rule needs a name."))
        version = data.get("version")
        if not isinstance(version, str) or not version.strip():
            problems.append(_('version: the rule needs a version, as quoted text (e.g. "2026.1").'))
        description = data.get("description") or ""
        if not isinstance(description, str):
            problems.append(_("description must be text."))
            description = ""
        raw_levels = data.get("levels")
        levels: dict[str, list[Condition]] = {}
        if not isinstance(raw_levels, Mapping) or not raw_levels:
            problems.append(
                _("levels: give the conditions of at least one of %(levels)s.") % {"levels": ", ".join(_RULE_LEVELS)}
            )
            raw_levels = {}
        seen: set[str] = set()
        for level, conditions in raw_levels.items():
            if level == "none":
                problems.append(_("levels.none: “none” is what remains when nothing matches; it takes no conditions."))
                continue
            if level not in _RULE_LEVELS:
                problems.append(
                    _("levels.%(level)s: unknown level (levels: %(levels)s).")
                    % {"level": level, "levels": ", ".join(_RULE_LEVELS)}
                )
                continue
            if not isinstance(conditions, list):
                problems.append(_("levels.%(level)s must be a list of conditions.") % {"level": level})
                continue
            levels[level] = []
            for index, raw in enumerate(conditions):
                condition = _parse_condition(raw, f"levels.{level}[{index}]", problems)
                if condition is None:
                    continue
                if condition.id in seen:
                    problems.append(
                        _("levels.%(level)s[%(index)s]: the id “%(id)s” is used twice.")
                        % {"level": level, "index": index, "id": condition.id}
                    )
                seen.add(condition.id)
                levels[level].append(condition)
        if problems:
            raise RiskRuleError(problems)
        assert isinstance(name, str) and isinstance(version, str)
        return cls(name=name, version=version, levels=levels, description=description)

    def to_dict(self) -> dict[str, Any]:
        """The dict form; ``RiskRule.from_dict(rule.to_dict())`` gives the same rule."""
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "levels": {level: [c.to_dict() for c in conditions] for level, conditions in self.levels.items()},
        }

    def conditions(self) -> dict[str, Condition]:
        """Every condition by id (to show "the rule that fired" from stored ids)."""
        return {c.id: c for conditions in self.levels.values() for c in conditions}

    def evaluate(self, scores: Mapping[str, Score]) -> RiskResult:
        """The risk level from a child's scores by instrument code; absent instruments match nothing."""
        for level, conditions in self.levels.items():
            fired = tuple(
                c.id for c in conditions if (score := scores.get(c.instrument)) is not None and c.matches(score)
            )
            if fired:
                return RiskResult(level=level, fired=fired, rule=self.id)
        return RiskResult(level="none", fired=(), rule=self.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RiskRule) and other.to_dict() == self.to_dict()

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<RiskRule {self.id}>"


@functools.cache
def default_rule() -> RiskRule:
    """Qorgau's default rule (``data/risk_rules/default.yaml``), parsed once."""
    return RiskRule.from_yaml(DEFAULT_RULE_PATH.read_text(encoding="utf-8"))
