"""``manage.py escalate_overdue``: escalate every overdue step once (run by cron or a worker, e.g. every minute)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.engine import escalate_overdue


class Command(BaseCommand):
    help = (
        "Escalate the protocol steps that are past their due time and not yet escalated: notify the "
        "supervisor, count the escalation on the case, write it on the timeline. Safe to run repeatedly "
        "and concurrently: each step is escalated exactly once. --loop N repeats every N seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help='print {"escalated": N, "seconds": S}')
        parser.add_argument("--batch", type=int, default=20000, help="tasks per transaction (default 20000)")
        parser.add_argument("--loop", type=int, default=0, help="run every N seconds until interrupted")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            started = time.perf_counter()
            count = escalate_overdue(batch=options["batch"])
            seconds = round(time.perf_counter() - started, 3)
            if options["json"]:
                self.stdout.write(json.dumps({"escalated": count, "seconds": seconds}))
            else:
                self.stdout.write(f"{count} overdue steps escalated in {seconds} s")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
