"""``manage.py wellbeing_index --data FILE --year YEAR [--methodology FILE] [--json]``: the child
well-being index of one year (SPEC §2.6, §3)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.index import index_document


class Command(BaseCommand):
    help = (
        "Compute the child well-being index of one year from a CSV of region,indicator,year,value rows. "
        'With --json, print one JSON object {"year", "national", "regions": {PCODE: {"score", "zone", '
        '"rank", "domains", "change"}}, "previous_year", "methodology", "normalisation", "warnings"}. '
        "Bad methodology or data: a message listing every problem (with line numbers) and exit status 1."
    )
    # Pure computation: no models or database, so skip the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, help="CSV file with the columns region,indicator,year,value")
        parser.add_argument("--year", required=True, type=int, help="the year to compute")
        parser.add_argument(
            "--methodology", help="methodology YAML file (default: indicators/data/methodology/default.yaml)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
        parser.add_argument(
            "--sensitivity",
            type=int,
            metavar="N",
            help="also run a Monte Carlo sensitivity analysis with N draws of weights and normalisation",
        )
        parser.add_argument("--seed", type=int, help="seed of the sensitivity analysis (default: the methodology's)")
        parser.add_argument("--gaps", action="store_true", help="add each region's gap to the best, by indicator")

    def handle(self, *args: Any, **options: Any) -> None:
        draws = options["sensitivity"]
        if draws is not None and draws < 1:
            raise CommandError(f"--sensitivity needs a number of draws >= 1, got {draws}")
        try:
            document = index_document(
                options["methodology"],
                options["data"],
                options["year"],
                sensitivity_draws=draws,
                seed=options["seed"],
                gaps=options["gaps"],
            )
        except ValueError as exc:  # MethodologyError, DataError, EngineError
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self._write_table(document)

    def _write_table(self, document: dict[str, Any]) -> None:
        def fmt(value: float | None) -> str:
            return "—" if value is None else f"{value:.2f}"

        national = document["national"]
        self.stdout.write(
            f"Child well-being index {document['year']} ({document['methodology']}, {document['normalisation']}); "
            f"national ({national['method']}): {fmt(national['score'])} {national['zone'] or ''}"
        )
        rows = sorted(document["regions"].items(), key=lambda item: (item[1]["rank"] or 10**6, item[0]))
        for code, region in rows:
            domains = "  ".join(f"{d} {fmt(v)}" for d, v in region["domains"].items())
            change = "" if region["change"] is None else f"  ({region['change']:+.2f})"
            self.stdout.write(
                f"{region['rank'] or '—':>3}  {code}  {fmt(region['score']):>6}  {region['zone'] or '—':<6}"
                f"{change}  {domains}"
            )
        sensitivity = document.get("sensitivity")
        if sensitivity:
            self.stdout.write(f"Sensitivity: {sensitivity['draws']} draws, seed {sensitivity['seed']}")
            for code, spread in sensitivity["regions"].items():
                if spread["median_rank"] is None:
                    self.stdout.write(f"  {code}: no score in any draw")
                    continue
                self.stdout.write(
                    f"  {code}: rank {spread['nominal_rank'] or '—'}, median {spread['median_rank']}, "
                    f"5–95 % {spread['rank_p05']}–{spread['rank_p95']}"
                )
        for warning in document["warnings"]:
            sys.stderr.write(f"warning: {warning}\n")
