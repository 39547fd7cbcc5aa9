"""``manage.py iin_check IIN [--json]``: validate one Kazakhstan IIN (SPEC §2.1)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from core.iin import check_iin


class Command(BaseCommand):
    help = (
        "Validate a Kazakhstan IIN and show its birth date and sex. "
        "With --json, print exactly one JSON object "
        '{"iin", "valid", "birth_date", "sex", "error"} on stdout. '
        "Exit status: 0 when the IIN is valid, 1 when it is invalid (the result is "
        "still printed), 2 for a usage error."
    )
    # Pure computation: no models or database, so skip the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("iin", help="the IIN to check (12 digits; surrounding spaces are ignored)")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print the result as one JSON object instead of a sentence",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        info = check_iin(options["iin"])
        if options["json"]:
            self.stdout.write(json.dumps(info.as_dict(), ensure_ascii=False))
        elif info.valid:
            self.stdout.write(
                _("IIN %(iin)s is valid: born %(birth_date)s, %(sex)s.")
                % {
                    "iin": info.iin,
                    "birth_date": info.birth_date.isoformat() if info.birth_date else "",
                    "sex": _("male") if info.sex == "M" else _("female"),
                }
            )
        else:
            self.stdout.write(_("IIN “%(iin)s” is invalid: %(error)s") % {"iin": info.iin, "error": info.error})
        if not info.valid:
            self.stdout.flush()
            sys.exit(1)
