"""``manage.py plan_calendar PATH --year YEAR [--json]`` (SPEC §3): the reporting due dates of a year."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.management.commands.plan_parse import read_text
from plans.parsing import UnknownDocument, parse_plan
from plans.reporting import rules_from_clauses


class Command(BaseCommand):
    help = (
        "The reporting due dates that a plan's approving decree prescribes for one year: "
        '[{"due", "from", "to", "covers"}] with --json.'
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the plan's extracted text (UTF-8)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        from plans.reporting import calendar

        path: Path = options["path"]
        try:
            plan = parse_plan(read_text(path))
        except UnknownDocument as exc:
            raise CommandError(f"{path}: {exc}") from exc
        year: int = options["year"]
        if not plan.period_start <= year <= plan.period_end + 1:
            raise CommandError(
                f"{year} is outside the plan's period {plan.period_start}–{plan.period_end} "
                "(and the year after it, when the last reports fall due)"
            )
        rules, _unread = rules_from_clauses([r["text"] for r in plan.reporting_rules], plan.language)
        if not rules:
            raise CommandError(f"{path}: the decree's reporting clauses could not be read")
        in_force = dt.date.fromisoformat(plan.act.date) if plan.act.date else None
        dates = calendar(rules, year, plan.period_start, plan.period_end, in_force_from=in_force)
        if options["json"]:
            self.stdout.write(json.dumps(dates, ensure_ascii=False))
            return
        for item in dates:
            self.stdout.write(f"{item['due']}  {item['from']} → {item['to']}  ({item['covers']})")
