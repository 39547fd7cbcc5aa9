"""``manage.py load_seed002 [PATH]``: load the numeric tables of seed 002 into the indicators."""

from __future__ import annotations

import json
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import audit
from indicators.seedload import SeedMissing, load_seed002, seed_path


class Command(BaseCommand):
    help = (
        "Read the 2022 report on the situation of children (seed 002) and store its indicators, their "
        "values by region and year with provenance (document, table, line) and what validation found "
        "(the report's known errors included) as one import. PATH defaults to the 002_*.txt file in "
        "QORGAU_SEEDS_DIR. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="the seed's text file (default: 002_*.txt in QORGAU_SEEDS_DIR)")
        parser.add_argument("--json", action="store_true", help="print the import's counts as JSON")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = seed_path(options["path"])
        except SeedMissing as exc:
            raise CommandError(str(exc)) from exc
        with audit.system_context("load_seed002"):
            batch = load_seed002(
                path,
                progress=not options["no_progress"] and not options["json"],
                stderr=cast(TextIO, self.stderr._out),  # the raw stream: tqdm writes "\r" updates
            )
        counts = {
            "import": str(batch.uuid),
            "file": batch.filename,
            "values": batch.rows,
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "errors": batch.errors,
            "warnings": batch.warnings,
        }
        if options["json"]:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(
            f"{path.name}: {batch.rows} values ({batch.created} new, {batch.updated} updated, "
            f"{batch.unchanged} unchanged); findings: {batch.errors} errors, {batch.warnings} warnings"
        )
