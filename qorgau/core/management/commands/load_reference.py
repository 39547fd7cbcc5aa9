"""manage.py load_reference — reload regions, agencies and aliases after core/data/*.yaml changed."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core import audit
from core.reference_loader import load_reference_data


class Command(BaseCommand):
    help = "Load or refresh the regions, agencies (with aliases) and the top of the organisation tree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.system_context("load_reference"):
            counts = load_reference_data()
        self.stdout.write(json.dumps(counts) if options["json"] else ", ".join(f"{k}: {v}" for k, v in counts.items()))
