"""``manage.py plan_parse PATH [--national PATH] [--json]`` (SPEC §3): read an official plan text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.parsing import UnknownDocument, national_text_beside, parse_plan


def read_text(path: Path) -> str:
    """The file's text, or a CommandError that says what is wrong with it."""
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 text (byte {exc.start}): give the extracted text of the plan") from exc


class Command(BaseCommand):
    help = (
        "Read one of the official plan documents (the 2023–2025 Comprehensive Plan or a school's copy of it, "
        "the 2007–2011 programme, the Concept 2026–2030) and print what was read. A school's copy is "
        "reconciled with the national text found beside it (or given with --national)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the plan's extracted text (UTF-8)")
        parser.add_argument("--national", type=Path, help="the national 2023–2025 plan, for a school's copy")
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        text = read_text(path)
        national = read_text(options["national"]) if options["national"] else national_text_beside(path)
        try:
            plan = parse_plan(text, national_text=national)
        except UnknownDocument as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(plan.to_json(), ensure_ascii=False))
            return
        warned = sum(1 for m in plan.measures if m.warnings)
        self.stdout.write(f"{plan.title}\n{plan.kind}, {plan.language}, {plan.period_start}–{plan.period_end}")
        self.stdout.write(f"{plan.act.type} №{plan.act.number} of {plan.act.date}")
        self.stdout.write(
            f"{len(plan.indicators)} target indicators, {len(plan.measures)} measures ({warned} with warnings)"
        )
        for warning in plan.warnings:
            self.stdout.write(f"  ! {warning}")
        for difference in plan.differences:
            self.stdout.write(f"  ≠ {difference}")
