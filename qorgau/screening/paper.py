"""Paper forms: the per-campaign template and its import.

The template has one row per student allowed to take part (consent granted), keyed by the student's
one-time code, and one column per question of each instrument, in the campaign's order. The import
checks every row (code, consent, every answer against the exact instrument version, required and
relevant items) and then either stores every row or nothing. Importing the same file again changes
nothing: a student already imported with the same answers counts as unchanged.

Rows are streamed and written in batches inside one transaction, so a million-row file needs little
memory; on PostgreSQL the batches go in with ``COPY`` (see ``bench/paper_import.py``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.ids import random_uuids
from core.tables import ImportFileError, ImportResult, RowError, cell, header_key, iter_rows
from screening import actions, events
from screening.engine import instrument_for
from screening.instruments import AnswerError, Instrument, Score
from screening.models import Campaign, Participant, Response, RiskAlert

MAX_BYTES = 512 * 1024 * 1024
MAX_ERRORS = 500  # reported; checking goes on to count them all
BATCH = 5000

CODE_HEADERS = {header_key(h) for h in ("code", "student code", "код", "код ученика", "оқушы коды", "коды")}
IGNORED_HEADERS = {
    header_key(h)
    for h in ("class", "сынып", "класс", "student", "оқушы", "ученик", "name", "аты-жөні", "фио", "note", "ескерту")
}
DECLINED = {"declined", "отказ", "отказался", "отказалась", "бас тартты", "бас тарту", "жауап бермеді"}


@dataclass
class _Column:
    index: int
    instrument: int  # position in the campaign's list
    item: str


@dataclass
class _Plan:
    code_index: int
    columns: list[_Column]
    versions: list[Any]  # InstrumentVersion, in campaign order
    instruments: list[Instrument]


@dataclass
class PaperResult(ImportResult):
    skipped: int = 0
    alerts: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


def template_rows(campaign: Campaign, user: Any) -> Iterator[list[str]]:
    """Header and one row per student who may take part (consent granted, not yet completed online)."""
    versions = campaign.ordered_instruments()
    header = ["code", "class", "student"]
    for version in versions:
        header += instrument_for(version).question_codes()
    yield header
    participants = (
        Participant.objects.restrict(user, "change")
        .filter(campaign=campaign, status=Participant.Status.READY)
        .select_related("child")
        .order_by("school_id", "class_name", "child__last_name", "child__first_name")
    )
    audit.record_list(Participant, [], action="export", detail=f"paper template of campaign {campaign.uuid}")
    for p in participants.iterator(chunk_size=2000):
        yield [p.code, p.class_name, f"{p.child.last_name} {p.child.first_name}"] + [""] * (len(header) - 3)


def template_csv(campaign: Campaign, user: Any) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(template_rows(campaign, user))
    return ("\ufeff" + buf.getvalue()).encode()


def template_xlsx(campaign: Campaign, user: Any) -> bytes:
    """The template as a workbook, with a second sheet explaining every column in the user's language."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Answers")))
    for row in template_rows(campaign, user):
        sheet.append(row)
    help_sheet = book.create_sheet(str(_("Questions")))
    lang = (translation.get_language() or "kk")[:2]
    help_sheet.append([str(_("Column")), str(_("Question")), str(_("Allowed values"))])
    help_sheet.append(["code", str(_("The student's one-time code (do not change)")), ""])
    for version in campaign.ordered_instruments():
        inst = instrument_for(version)
        for item in inst.items:
            if item.code not in inst.question_codes():
                continue
            allowed = "; ".join(f"{c.value} = {inst.text(c.label, lang)}" for c in item.choices) or item.kind
            help_sheet.append([item.code, inst.text(item.label, lang), allowed])
    help_sheet.append(
        [
            "",
            str(
                _(
                    "Leave a cell empty when the question was not asked; write “declined” when the "
                    "student chose not to answer (where the question allows it)"
                )
            ),
            "",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plan(campaign: Campaign, header: list[Any]) -> _Plan:
    versions = campaign.ordered_instruments()
    instruments = [instrument_for(v) for v in versions]
    owner = {header_key(code): (i, code) for i, inst in enumerate(instruments) for code in inst.question_codes()}
    code_index = -1
    columns: list[_Column] = []
    unknown: list[str] = []
    for index, name in enumerate(header):
        key = header_key(name)
        if not key or key in IGNORED_HEADERS:
            continue
        if key in CODE_HEADERS:
            code_index = index
        elif key in owner:
            columns.append(_Column(index, owner[key][0], owner[key][1]))
        else:
            unknown.append(str(name))
    if code_index < 0:
        raise ImportFileError(_("The file has no “code” column (the student's one-time code)."))
    if unknown:
        raise ImportFileError(
            _("Columns that are not questions of this campaign's instruments: %(cols)s.") % {"cols": ", ".join(unknown)}
        )
    present = {c.item for c in columns}
    missing = [code for inst in instruments for code in inst.question_codes() if code not in present]
    if missing:
        raise ImportFileError(_("Question columns are missing: %(cols)s.") % {"cols": ", ".join(missing)})
    return _Plan(code_index, columns, versions, instruments)


def _value(raw: Any) -> Any:
    text = cell(raw)
    if text.lower() in DECLINED:
        return "declined"
    return text


@dataclass
class _Row:
    participant_id: int
    school_id: int
    class_name: str
    answers: list[dict[str, Any]]
    scores: list[Score]
    level: str
    rule: str
    fired: list[str]
    flags: list[str]


class _Writer:
    """Writes batches of imported rows: COPY on PostgreSQL, bulk ORM statements elsewhere."""

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        self.now = timezone.now()
        self.responses = 0
        self.participants = 0

    def write(self, rows: list[_Row]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            self._copy(rows)
        else:
            self._orm(rows)
        self.responses += len(rows) * len(self.plan.versions)
        self.participants += len(rows)

    def _response_tuples(self, rows: list[_Row]) -> Iterator[tuple[Any, ...]]:
        uuids = iter(random_uuids(len(rows) * len(self.plan.versions)))
        for row in rows:
            for version, answers, score in zip(self.plan.versions, row.answers, row.scores, strict=True):
                yield (
                    next(uuids),
                    row.participant_id,
                    version.pk,
                    answers,
                    score.total,
                    score.band or "",
                    list(score.flags),
                    dict(score.subscales),
                )

    def _orm(self, rows: list[_Row]) -> None:
        Response.objects.bulk_create(
            Response(
                uuid=u,
                participant_id=pid,
                instrument_id=vid,
                answers=answers,
                total=total,
                band=band,
                flags=flags,
                subscales=subscales,
                completed_at=self.now,
            )
            for u, pid, vid, answers, total, band, flags, subscales in self._response_tuples(rows)
        )
        participants = []
        for row in rows:
            p = Participant(pk=row.participant_id)
            p.status, p.mode, p.started_at, p.completed_at = (
                Participant.Status.COMPLETED,
                Participant.Mode.PAPER,
                self.now,
                self.now,
            )
            p.risk_level, p.risk_rule, p.risk_fired, p.flags = row.level, row.rule, row.fired, row.flags
            participants.append(p)
        Participant.objects.bulk_update(participants, _PARTICIPANT_FIELDS)

    def _copy(self, rows: list[_Row]) -> None:
        now = self.now
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY screening_response (uuid, created_at, updated_at, participant_id, instrument_id, answers, "
                "total, band, flags, subscales, completed_at) FROM STDIN"
            ) as copy:
                for u, pid, vid, answers, total, band, flags, subscales in self._response_tuples(rows):
                    copy.write_row(
                        (
                            u,
                            now,
                            now,
                            pid,
                            vid,
                            json.dumps(answers),
                            total,
                            band,
                            json.dumps(flags),
                            json.dumps(subscales),
                            now,
                        )
                    )
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS screening_paper_batch "
                "(id bigint, risk_level text, risk_rule text, risk_fired jsonb, flags jsonb) ON COMMIT DROP"
            )
            cursor.execute("TRUNCATE screening_paper_batch")
            with cursor.copy("COPY screening_paper_batch FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        (row.participant_id, row.level, row.rule, json.dumps(row.fired), json.dumps(row.flags))
                    )
            cursor.execute(
                "UPDATE screening_participant p SET status = %s, mode = %s, started_at = %s, completed_at = %s, "
                "risk_level = b.risk_level, risk_rule = b.risk_rule, risk_fired = b.risk_fired, flags = b.flags, "
                "updated_at = %s FROM screening_paper_batch b WHERE p.id = b.id",
                [Participant.Status.COMPLETED, Participant.Mode.PAPER, now, now, now],
            )

    def finish(self) -> None:
        """One audit entry per table for the whole file (the rows are listed by the import's result)."""
        if connection.vendor == "postgresql" and self.participants:
            audit.record("bulk_create", model=Response, count=self.responses, detail="paper import")
            audit.record(
                "bulk_update",
                model=Participant,
                count=self.participants,
                changes={"fields": sorted(_PARTICIPANT_FIELDS)},
                detail="paper import",
            )


_PARTICIPANT_FIELDS = ["status", "mode", "started_at", "completed_at", "risk_level", "risk_rule", "risk_fired", "flags"]


def import_paper(user: Any, campaign: Campaign, upload: IO[bytes], filename: str) -> PaperResult:
    """Check every row and store all of them, or none; see the module docstring."""
    result = PaperResult()
    rows = iter_rows(upload, filename, max_bytes=MAX_BYTES)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    plan = _plan(campaign, header)
    rule = actions.rule_of(campaign)
    known = {
        code: (pk, status, school_id, class_name, mode)
        for code, pk, status, school_id, class_name, mode in Participant.objects.restrict(user, "change")
        .filter(campaign=campaign)
        .values_list("code", "pk", "status", "school_id", "class_name", "mode")
        .order_by()  # no default ordering: it joins the children and sorts every participant
        .iterator(chunk_size=20000)
    }
    writer = _Writer(plan)
    seen: dict[str, int] = {}
    batch: list[_Row] = []
    done: list[tuple[int, int, list[dict[str, Any]]]] = []  # (row number, participant, answers) to compare
    alerts: list[_Row] = []
    errors = 0

    def error(number: int, column: str, message: str) -> None:
        nonlocal errors
        errors += 1
        if len(result.errors) < MAX_ERRORS:
            result.errors.append(RowError(number, column, message))

    with transaction.atomic():
        for number, raw in enumerate(rows, start=2):
            if not any(cell(raw[col.index]) for col in plan.columns if col.index < len(raw)):
                result.skipped += 1  # a student of the template whose form was not filled (e.g. absent)
                continue
            code = "".join(
                ch for ch in cell(raw[plan.code_index] if plan.code_index < len(raw) else "").upper() if ch.isalnum()
            )
            entry = known.get(code)
            if entry is None:
                error(number, "code", _("No student with code “%(code)s” in this campaign.") % {"code": code})
                continue
            if code in seen:
                error(number, "code", _("The same code is already in row %(row)s.") % {"row": seen[code]})
                continue
            seen[code] = number
            pk, status, school_id, class_name, mode = entry
            answers: list[dict[str, Any]] = [{} for _ in plan.instruments]
            for col in plan.columns:
                value = _value(raw[col.index]) if col.index < len(raw) else ""
                if value != "":
                    answers[col.instrument][col.item] = value
            scores: list[Score] = []
            cleaned: list[dict[str, Any]] = []
            bad = False
            for inst, given in zip(plan.instruments, answers, strict=True):
                try:
                    scores.append(inst.score(given))
                    cleaned.append({k: inst.clean_answer(k, v) for k, v in given.items()})
                except AnswerError as exc:
                    bad = True
                    for item, message in exc.errors.items():
                        error(number, item or inst.code, str(message))
            if bad:
                continue
            if status == Participant.Status.COMPLETED and mode == Participant.Mode.PAPER:
                done.append((number, pk, cleaned))
                continue
            if status != Participant.Status.READY:
                error(number, "code", str(_STATUS_ERRORS.get(status, _STATUS_ERRORS["other"])))
                continue
            risk = rule.evaluate({inst.code: s for inst, s in zip(plan.instruments, scores, strict=True)})
            flags = sorted({f for s in scores for f in s.flags})
            row = _Row(pk, school_id, class_name, cleaned, scores, risk.level, risk.rule, list(risk.fired), flags)
            if errors:
                continue  # keep checking, stop writing: the transaction is rolled back at the end
            batch.append(row)
            if risk.level in events.ALERT_LEVELS:
                alerts.append(row)
            result.by_level[risk.level] = result.by_level.get(risk.level, 0) + 1
            if len(batch) >= BATCH:
                writer.write(batch)
                batch.clear()
        if not errors:
            writer.write(batch)
            result.unchanged = _compare_done(plan, done, error)
        if errors:
            transaction.set_rollback(True)
            result.created = 0
            result.by_level = {}
            if errors > len(result.errors):
                result.errors.append(RowError(0, "", _("…and %(n)s more errors.") % {"n": errors - len(result.errors)}))
            return result
        writer.finish()
        result.created = writer.participants
        result.alerts = _raise_alerts(campaign, alerts)
    return result


_STATUS_ERRORS: dict[str, Any] = {
    Participant.Status.AWAITING_CONSENT: gettext_lazy(
        "No consent of a legal representative is recorded for this student; record it before importing."
    ),
    Participant.Status.REFUSED: gettext_lazy(
        "The legal representative refused consent: this student must not be screened."
    ),
    Participant.Status.IN_PROGRESS: gettext_lazy("This student has started the questionnaire online."),
    Participant.Status.COMPLETED: gettext_lazy("This student has already completed the questionnaire online."),
    "other": gettext_lazy("This student cannot be imported in the current state."),
}


def _compare_done(plan: _Plan, done: list[tuple[int, int, list[dict[str, Any]]]], error: Any) -> int:
    """Students already imported: unchanged when the answers are the same, an error otherwise."""
    unchanged = 0
    for start in range(0, len(done), BATCH):
        chunk = done[start : start + BATCH]
        stored: dict[tuple[int, int], dict[str, Any]] = {
            (pid, vid): answers
            for pid, vid, answers in Response.objects.filter(participant_id__in=[pk for _, pk, _ in chunk])
            .values_list("participant_id", "instrument_id", "answers")
            .order_by()  # no default ordering: it joins participants and children to sort by name
        }
        for number, pk, cleaned in chunk:
            same = all(
                stored.get((pk, version.pk)) == answers for version, answers in zip(plan.versions, cleaned, strict=True)
            )
            if same:
                unchanged += 1
            else:
                error(
                    number, "code", _("This student was already imported with different answers; nothing was changed.")
                )
    return unchanged


def _raise_alerts(campaign: Campaign, rows: list[_Row]) -> int:
    """RiskAlerts for the imported students at moderate risk or worse (the staff are told once per school)."""
    if not rows:
        return 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        alerts = RiskAlert.objects.bulk_create(
            [RiskAlert(participant_id=r.participant_id, level=r.level, fired=r.fired, flags=r.flags) for r in chunk]
        )
        events.fire_batch(alerts)
    events.notify_batch(campaign, [(r.school_id, r.level) for r in rows])
    return len(rows)
