"""Readers of the official plan texts (the seeds): each turns one document's extracted text into a
:class:`~plans.parsing.types.ParsedPlan`; :func:`parse_plan` recognises the document and completes the
reading with what is common to all of them (deadline schedules, reporting rules).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from plans.parsing.types import ParsedPlan

# Order matters: the school's copy of the 2023–2025 plan is recognised before the national text.
READERS = (
    "plans.parsing.school_copy",
    "plans.parsing.plan2023",
    "plans.parsing.programme2007",
    "plans.parsing.concept2026",
)
NATIONAL_2023 = "plans.parsing.plan2023"


class UnknownDocument(ValueError):
    """The text is none of the plan documents Qorgau can read."""


def _readers() -> list[ModuleType]:
    return [importlib.import_module(name) for name in READERS]


def recognise(text: str) -> ModuleType:
    """The reader whose document family this text belongs to."""
    for reader in _readers():
        if reader.looks_like(text):
            return reader
    raise UnknownDocument("not a plan document Qorgau can read")


def parse_plan(text: str, national_text: str | None = None) -> ParsedPlan:
    """Read a plan document; a school's copy of the 2023–2025 plan is reconciled with ``national_text``."""
    from plans.deadlines import parse_deadline
    from plans.reporting import rules_from_clauses

    reader = recognise(text)
    if reader.__name__ == "plans.parsing.school_copy":
        national = importlib.import_module(NATIONAL_2023).read(national_text) if national_text else None
        plan: ParsedPlan = reader.read(text, national=national)
        if national is None:
            plan.warnings.append("the national text was not given: the copy was not reconciled with it")
    else:
        plan = reader.read(text)
    for measure in plan.measures:
        if not measure.deadline:
            continue
        deadline = parse_deadline(measure.deadline, plan.period_start, plan.period_end, plan.language)
        measure.schedule = list(deadline.schedule)
        if deadline.unparsed:
            measure.warnings.append(f"deadline not understood, kept as written: {deadline.note}".rstrip(": "))
    clauses = list(dict.fromkeys(rule["text"] for rule in plan.reporting_rules if rule.get("text")))
    rules, unread = rules_from_clauses(clauses, plan.language)
    plan.reporting_rules = [rule.to_json() for rule in rules]
    plan.warnings.extend(unread)
    return plan


def national_text_beside(path: Path) -> str | None:
    """The national 2023–2025 plan's text found in the same folder as ``path`` (for a school's copy)."""
    national = importlib.import_module(NATIONAL_2023)
    for candidate in sorted(path.parent.glob("*.txt")):
        if candidate == path:
            continue
        text = candidate.read_text(encoding="utf-8", errors="replace")
        if national.looks_like(text) and not importlib.import_module(READERS[0]).looks_like(text):
            return text
    return None
