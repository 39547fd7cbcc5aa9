"""Import an official plan text as a draft plan: read it, then write the plan and all its parts at once.

All or nothing: a text that cannot be read, or is already imported, writes nothing. The draft keeps every
warning of the reading on the plan and on its measures, for the person who reviews it before activation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import reference, scope
from core.models import Agency
from plans.models import Measure, MeasureExecutor, MeasureFunding, Plan, PlanSection, TargetIndicator
from plans.parsing import UnknownDocument, parse_plan
from plans.parsing.types import ParsedMeasure, ParsedPlan


def decode(data: bytes) -> str:
    """The uploaded file's text; a file that is not UTF-8 text is refused with a clear message."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 text (byte %(pos)s). Upload the text extracted from the plan document.")
            % {"pos": exc.start}
        ) from exc


def import_plan(user: Any, text: str, source_name: str, national_text: str | None = None) -> Plan:
    """Read ``text`` and store it as a draft plan for review (``plan.add`` needed)."""
    if not scope.can(user, "plan.add"):
        raise PermissionDenied(_("You are not allowed to import plans."))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = Plan.objects.filter(source_sha256=digest).first()
    if existing is not None:
        raise ValidationError(_("This file has already been imported as the plan “%(title)s”.") % {"title": existing})
    try:
        parsed = parse_plan(text, national_text=national_text)
    except UnknownDocument as exc:
        raise ValidationError(
            _(
                "This text is not a plan document Qorgau can read (the 2023–2025 Comprehensive Plan or a "
                "school's copy of it, the 2007–2011 programme, the Concept 2026–2030)."
            )
        ) from exc
    with transaction.atomic():
        return _store(user, parsed, source_name, digest)


def _store(user: Any, parsed: ParsedPlan, source_name: str, digest: str) -> Plan:
    # The caller's audit context (the request's, or a command's system context) records every row.
    plan = Plan.objects.create(
        kind=parsed.kind,
        title=parsed.title,
        language=parsed.language,
        period_start=parsed.period_start,
        period_end=parsed.period_end,
        act_type=parsed.act.type,
        act_number=parsed.act.number,
        act_date=dt.date.fromisoformat(parsed.act.date) if parsed.act.date else None,
        source_name=source_name[:255],
        source_sha256=digest,
        reporting_rules=parsed.reporting_rules,
        warnings=parsed.warnings,
        differences=parsed.differences,
    )
    sections = {
        title: PlanSection.objects.create(plan=plan, position=n, title=title)
        for n, title in enumerate(dict.fromkeys([*parsed.sections, *(m.section for m in parsed.measures)]), 1)
        if title
    }
    for n, indicator in enumerate(parsed.indicators, 1):
        TargetIndicator.objects.create(
            plan=plan,
            number=indicator.number,
            position=n,
            name=indicator.name,
            unit=indicator.unit,
            targets=indicator.targets,
            warnings=indicator.warnings,
        )
    agencies = _AgencyLookup()
    for n, parsed_measure in enumerate(parsed.measures, 1):
        _store_measure(plan, n, parsed_measure, sections.get(parsed_measure.section), agencies)
    return plan


class _AgencyLookup:
    """Executor text → agency, looked up once per spelling."""

    def __init__(self) -> None:
        self.by_code = {a.code: a for a in Agency.objects.all()}
        self.seen: dict[str, Agency | None] = {}

    def __call__(self, text: str) -> Agency | None:
        if text not in self.seen:
            code = reference.resolve_agency_code(text)
            self.seen[text] = self.by_code.get(code) if code else None
        return self.seen[text]


def _store_measure(
    plan: Plan, position: int, parsed: ParsedMeasure, section: PlanSection | None, agencies: _AgencyLookup
) -> Measure:
    warnings = list(parsed.warnings)
    resolved = [(text, agencies(text)) for text in parsed.executors]
    warnings += [f"executor not recognised: {text}" for text, agency in resolved if agency is None]
    measure = Measure.objects.create(
        plan=plan,
        section=section,
        number=parsed.number,
        position=position,
        name=parsed.name,
        completion_form=parsed.completion_form,
        deadline=parsed.deadline,
        schedule=parsed.schedule,
        deadline_unparsed=bool(parsed.deadline) and not parsed.schedule,
        funding_text=parsed.funding.text,
        funding_sources=parsed.funding.sources,
        warnings=list(dict.fromkeys(warnings)),
        source_lines="–".join(str(n) for n in parsed.source_lines) if parsed.source_lines else "",
    )
    lead = parsed.lead_executor or (parsed.executors[0] if parsed.executors else None)
    for n, (text, agency) in enumerate(resolved, 1):
        MeasureExecutor.objects.create(
            measure=measure,
            position=n,
            text=text[:400],
            agency=agency,
            lead=text == lead,
            by_agreement=text in parsed.by_agreement,
        )
    for amount in parsed.funding.amounts:
        MeasureFunding.objects.create(
            measure=measure,
            year=amount.year,
            mln_kzt=Decimal(str(round(amount.mln_kzt, 3))),
            region_text=(amount.region or "")[:120],
        )
    return measure
