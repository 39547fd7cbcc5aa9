"""What a plan reader produces: plain data, independent of the database.

The shape follows the ``plan_parse --json`` contract (SPEC §3). Every field a reader could not read is
a warning on the measure (or on the plan), never a silent gap.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Amount:
    """One funding amount of a measure: a year, millions of tenge, and the region if the row names one."""

    year: int | None
    mln_kzt: float
    region: str | None = None


@dataclass
class Funding:
    """A measure's funding as written (``text``) and as read (amounts and source abbreviations)."""

    text: str = ""
    amounts: list[Amount] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class ParsedIndicator:
    """A target indicator of the plan with its yearly targets (year as a string, as in JSON)."""

    number: str
    name: str
    unit: str = ""
    targets: dict[str, float | str] = field(default_factory=dict)
    executors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedMeasure:
    """One row of the plan's action table.

    ``number`` is the row number as printed ("12"), or a reconstructed one with a warning when the
    extraction lost it. ``executors`` are agency abbreviations as written in the document (the
    importer resolves them to agencies through the Foundation's aliases); ``lead_executor`` is the one
    the decree makes responsible (the first named unless the text says otherwise) and
    ``by_agreement`` the ones marked "(по согласованию)" / "(келісім бойынша)".
    ``schedule`` is filled by the deadline parser from ``deadline``.
    """

    number: str
    section: str
    name: str
    completion_form: str = ""
    deadline: str = ""
    schedule: list[str] = field(default_factory=list)
    executors: list[str] = field(default_factory=list)
    lead_executor: str | None = None
    by_agreement: list[str] = field(default_factory=list)
    funding: Funding = field(default_factory=Funding)
    warnings: list[str] = field(default_factory=list)
    source_lines: tuple[int, int] | None = None  # first and last line of the row in the document (1-based)


@dataclass
class ParsedAct:
    """The approving act: type (e.g. "decree"), number and date (YYYY-MM-DD)."""

    type: str
    number: str
    date: str


@dataclass
class ParsedPlan:
    """A whole plan document as read."""

    title: str
    language: str  # "kk" or "ru"
    period_start: int
    period_end: int
    act: ParsedAct
    sections: list[str] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)
    reporting_rules: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)  # 001 only: where the copy differs from the national text
    kind: str = ""  # which document family the reader recognised, e.g. "plan-2023-2025"

    def to_json(self) -> dict[str, Any]:
        """The ``plan_parse --json`` document (SPEC §3)."""
        measures = []
        for m in self.measures:
            item = dataclasses.asdict(m)
            item.pop("source_lines")
            measures.append(item)
        return {
            "title": self.title,
            "language": self.language,
            "kind": self.kind,
            "period": {"start": self.period_start, "end": self.period_end},
            "act": dataclasses.asdict(self.act),
            "sections": self.sections,
            "indicators": [dataclasses.asdict(i) for i in self.indicators],
            "measures": measures,
            "reporting_rules": self.reporting_rules,
            "warnings": self.warnings,
            "differences": self.differences,
        }
