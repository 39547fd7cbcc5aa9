"""``manage.py screening_score INSTRUMENT --answers JSON [--json]``: score one response (SPEC §3)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from screening.instruments import AnswerError, Instrument, Score, get_instrument
from screening.risk import default_rule

EXIT_REJECTED = 1  # the answers were refused (AnswerError)
EXIT_USAGE = 2  # unknown instrument, malformed JSON, unreadable answers file


class UsageError(Exception):
    """Bad command-line input (not a problem with the answers themselves)."""


def read_answers(text: str) -> Any:
    """Parse ``--answers``: a JSON object, or ``@path`` of a file holding one."""
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(
                _("Cannot read the answers file %(path)s: %(error)s") % {"path": str(path), "error": exc}
            ) from exc
    try:
        answers = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(_("--answers is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(answers, dict):
        raise UsageError(_('--answers must be a JSON object such as {"phq1": 1, …}.'))
    return answers


def score_document(instrument: Instrument, score: Score) -> dict[str, Any]:
    """The SPEC §3 output: the score and the risk level from this instrument alone (default rule)."""
    risk = default_rule().evaluate({instrument.code: score})
    return {
        "instrument": instrument.code,
        "version": instrument.version,
        "total": score.total,
        "band": score.band,
        "flags": list(score.flags),
        "risk_level": risk.level,
    }


class Command(BaseCommand):
    help = (
        "Score one response to a shipped screening instrument (asq, phq_a, gad7, bullying, ucla3). "
        "--answers takes a JSON object of item codes to values, or @FILE holding one; null declines an "
        'item that offers "I prefer not to answer" (ASQ items 1–4). With --json, print exactly one JSON '
        'object {"instrument", "version", "total", "band", "flags", "risk_level"} on stdout (the risk level '
        "comes from this instrument alone, under the default risk rule). Exit status: 0 when scored, "
        "1 when the answers are refused, 2 for an unknown instrument or malformed input; the message goes "
        'to stderr and, with --json, {"error", "errors"} to stdout.'
    )
    # Pure computation on the shipped instruments: no models or database, so skip the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="the instrument code, e.g. phq_a")
        parser.add_argument(
            "--answers",
            required=True,
            help='the answers as a JSON object, e.g. \'{"phq1": 1, "phq2": 0}\', or @path/to/answers.json',
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print the result as one JSON object instead of a sentence",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_json: bool = options["json"]
        try:
            instrument = get_instrument(options["instrument"])
        except KeyError as exc:
            self.fail(exc.args[0], {}, EXIT_USAGE, as_json)
        try:
            answers = read_answers(options["answers"])
        except UsageError as exc:
            self.fail(str(exc), {}, EXIT_USAGE, as_json)
        try:
            score = instrument.score(answers)
        except AnswerError as exc:
            message = _("The answers to %(instrument)s were refused.") % {"instrument": instrument.code}
            self.fail(message, exc.errors, EXIT_REJECTED, as_json)
        document = score_document(instrument, score)
        if as_json:
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self.stdout.write(
            _("%(instrument)s %(version)s: total %(total)s, band %(band)s, flags: %(flags)s; risk level %(risk)s.")
            % {
                "instrument": document["instrument"],
                "version": document["version"],
                "total": "—" if document["total"] is None else document["total"],
                "band": document["band"] or "—",
                "flags": ", ".join(document["flags"]) or _("none"),
                "risk": document["risk_level"],
            }
        )

    def fail(self, message: str, errors: dict[str, str], status: int, as_json: bool) -> NoReturn:
        """Report bad input on stderr (and as JSON on stdout with --json), then exit with ``status``."""
        lines = [message, *(f"  {code}: {text}" if code else f"  {text}" for code, text in errors.items())]
        self.stderr.write("\n".join(lines))
        if as_json:
            self.stdout.write(json.dumps({"error": message, "errors": errors}, ensure_ascii=False))
        self.stdout.flush()
        self.stderr.flush()
        sys.exit(status)
