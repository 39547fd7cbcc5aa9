"""``manage.py plan_reminders [--days N]``: remind plan executors of reports falling due (run daily by cron)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import audit
from plans.cycle.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Notify the executors of active plans whose reports are due within N days (default 7), and once "
        "more when a due date passed without their reports. Each reminder is sent once, however often "
        "the command runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="remind this many days ahead (default 7)")
        parser.add_argument("--today", help="the date to act on, YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help='print {"sent": [...], "count": N}')

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError("--days must be zero or more")
        try:
            day = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError(f"--today: not a date (YYYY-MM-DD): {options['today']}") from exc
        with audit.system_context("plan reminders"):
            sent = send_reminders(days=options["days"], day=day)
        if options["json"]:
            self.stdout.write(json.dumps({"sent": [s.to_json() for s in sent], "count": len(sent)}, ensure_ascii=False))
        else:
            for s in sent:
                self.stdout.write(
                    f"{s.kind} {s.period} {s.agency.code}: {len(s.measures)} measures, {s.recipients} users"
                )
            self.stdout.write(f"{len(sent)} reminders sent")
