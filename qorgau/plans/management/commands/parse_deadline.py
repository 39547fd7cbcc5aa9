"""``manage.py parse_deadline TEXT --start YEAR --end YEAR [--language kk|ru] [--json]`` (SPEC §3)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.deadlines import parse_deadline


class Command(BaseCommand):
    help = (
        "Read a plan measure's deadline (kk or ru) into a schedule of periods (YYYY-MM, YYYY-Qn, YYYY) "
        "for a plan running from --start to --end. With --json, print one JSON object "
        '{"text", "schedule", "recurring", "unparsed", "note"}. A deadline the parser cannot read is '
        "a result (unparsed: true, exit status 0); an empty text or --start after --end is an error."
    )
    # Pure computation: no models or database, so skip the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="the deadline as written in the plan, e.g. '2024 жылғы желтоқсан'")
        parser.add_argument("--start", type=int, required=True, help="first year of the plan period")
        parser.add_argument("--end", type=int, required=True, help="last year of the plan period")
        parser.add_argument(
            "--language",
            choices=("kk", "ru"),
            default=None,
            help="language of the text (detected when omitted)",
        )
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        text: str = options["text"]
        if not text.strip():
            raise CommandError("the deadline text is empty")
        if options["start"] > options["end"]:
            raise CommandError(f"--start {options['start']} is after --end {options['end']}")
        deadline = parse_deadline(text, options["start"], options["end"], options["language"])
        if options["json"]:
            self.stdout.write(json.dumps(deadline.to_json(), ensure_ascii=False))
            return
        if deadline.unparsed:
            self.stdout.write(f"Not read: {deadline.text!r} ({deadline.note})")
            return
        kind = "recurring" if deadline.recurring else "one-off"
        self.stdout.write(f"{', '.join(deadline.schedule)} ({kind})")
        if deadline.note:
            self.stdout.write(f"Note: {deadline.note}")
