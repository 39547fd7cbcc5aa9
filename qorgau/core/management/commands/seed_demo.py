"""``manage.py seed_demo --scale small|national``: load the demo data set and print the demo log-ins."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from core import demo
from core.roles import Role


class Command(BaseCommand):
    help = (
        "Create a synthetic demo data set: districts, schools and regional services in proportion to "
        "the 2022 annual report on children (tables 2.7 and 2.1), children with valid IINs and Kazakh "
        "or Russian names, and staff with roles. --scale small (default): about 60 schools and 3,000 "
        "children with legal representatives and consents, staff at every school; takes a few "
        "seconds. --scale national: about 7,700 schools and 3.7 million children, streamed in "
        "batches with a progress bar; children only (no representatives or consents, to stay fast) "
        "and school staff only at the first school of each district. Every demo user's password is "
        f"{demo.DEMO_PASSWORD!r}. Refuses to run when schools exist already (see --if-empty)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=demo.SCALES, default="small", help="small (default) or national")
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help=f"random seed (default {demo.DEFAULT_SEED})"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the demo log-ins) when the database already has schools",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (national scale)")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=demo.DEFAULT_BATCH_SIZE,
            help=f"children per database batch at national scale (default {demo.DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--fraction",
            type=float,
            default=1.0,
            help="national scale only: create this fraction of the schools and children (default 1.0)",
        )
        parser.add_argument(
            "--school-year",
            type=int,
            default=None,
            help="year the school year began, which fixes the children's ages (default: the current one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: demo.Scale = options["scale"]
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if not 0 < options["fraction"] <= 1:
            raise CommandError("--fraction must be greater than 0 and at most 1")
        if options["fraction"] != 1 and scale != "national":
            raise CommandError("--fraction applies to --scale national only")
        try:
            summary = demo.seed(
                scale,
                seed=options["seed"],
                fraction=options["fraction"],
                batch_size=options["batch_size"],
                if_empty=options["if_empty"],
                progress=scale == "national" and not options["no_progress"],
                school_year=options["school_year"],
                stderr=cast(TextIO, self.stderr._out),  # the raw stream: tqdm writes "\r" updates
            )
        except demo.DemoSeedError as exc:
            raise CommandError(str(exc)) from exc

        if summary["skipped"]:
            self.stdout.write("Demo data already present: nothing was created.")
        else:
            self.stdout.write(self.style.SUCCESS(self._summary(summary)))
            for name, counts in self._modules(scale, options["seed"]).items():
                if counts:
                    self.stdout.write(f"  {name}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
            for username in summary["existing_usernames_left_alone"]:
                self.stderr.write(f"Warning: user {username!r} existed already and was left unchanged.")
        self._logins(summary["logins"])

    @staticmethod
    def _modules(scale: str, seed: int) -> dict[str, dict[str, int]]:
        """Each module's own demo data (a ``<app>.demo`` module with ``seed_demo(scale, seed)``)."""
        import importlib
        import importlib.util

        from django.apps import apps

        done = {}
        for app in apps.get_app_configs():
            if app.name == "core" or importlib.util.find_spec(f"{app.name}.demo") is None:
                continue
            module = importlib.import_module(f"{app.name}.demo")
            if hasattr(module, "seed_demo"):
                done[app.name] = module.seed_demo(scale, seed)
        return done

    @staticmethod
    def _summary(s: dict[str, Any]) -> str:
        lines = [
            f"Demo data created ({s['scale']} scale, seed {s['seed']}, school year {s['school_year']}) "
            f"in {s['seconds']:.1f} s:",
            f"  {s['regions']} regions, {s['districts']} new districts, {s['schools']:,} schools, "
            f"{s['organisations']:,} organisations in all",
            f"  {s['children']:,} children, {s['representatives']:,} legal representatives, "
            f"{s['consents']:,} consents ({s['rows_per_second'] or 0:,} rows per second)",
            f"  {s['users']:,} staff users with roles",
        ]
        if s.get("batches"):
            lines.append(f"  children written in {s['batches']} batches (one audit entry each)")
        return "\n".join(lines)

    def _logins(self, logins: list[dict[str, str]]) -> None:
        if not logins:
            self.stdout.write("No demo log-ins found.")
            return
        with translation.override("en"):
            rows = [(x["username"], str(Role(x["role"]).label), x["organisation"]) for x in logins]
        widths = [max(len(r[i]) for r in [("username", "role", "organisation"), *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (password for all: {demo.DEMO_PASSWORD}):")
        for row in [("username", "role", "organisation"), tuple("-" * w for w in widths), *rows]:
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
