"""``manage.py load_instruments``: store new versions of the shipped instruments."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import audit
from screening.library_loader import load_instruments


class Command(BaseCommand):
    help = "Store the shipped instruments (screening/instruments/library) as new instrument versions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.system_context("load shipped instruments"):
            report = load_instruments()
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            for key, labels in report.items():
                self.stdout.write(f"{key}: {', '.join(labels) or '—'}")
        if report["conflicts"]:
            raise CommandError(
                "These versions changed on disk without a new version number: " + ", ".join(report["conflicts"])
            )
