"""Every change screening makes: campaigns, consent, the student's answers, scoring and risk.

Staff actions take the acting user and go through :mod:`core.actions` (scope re-checked inside the
transaction, audited by the models). Student actions have no user: the one-time code is the student's
credential, and they run in a named system audit context (``student via one-time code``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import actions, audit, scope
from core.models import Child, Consent, Organisation, OrganisationKind
from screening import events
from screening.engine import instrument_for
from screening.instruments import Score
from screening.models import (
    Answer,
    Campaign,
    CampaignInstrument,
    FollowUpGroup,
    InstrumentVersion,
    Participant,
    Response,
    RiskAlert,
)
from screening.risk import RiskRule, default_rule

STUDENT_REASON = "student via one-time code"


class StudentError(Exception):
    """A student cannot go on; ``message`` says why in words a student understands."""

    def __init__(self, message: Any) -> None:
        self.message = message
        super().__init__(str(message))


# --- Campaigns -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which children a campaign covers: all classes of ``grades`` under ``organisation``, and/or
    explicit ``classes`` (pairs of school id and class name)."""

    organisation: Organisation
    grades: tuple[int, ...] = ()
    classes: tuple[tuple[int, str], ...] = ()


_GRADE = re.compile(r"^\s*(\d{1,2})")


def grade_of(class_name: str) -> int | None:
    match = _GRADE.match(class_name or "")
    return int(match.group(1)) if match else None


def selected_children(user: Any, selection: Selection) -> Any:
    """The children the selection covers, among those the user may see."""
    org = selection.organisation
    children = Child.objects.restrict(user, "view").filter(
        organisation__path__startswith=org.path, organisation__is_active=True
    )
    q = Q()
    for school_id, class_name in selection.classes:
        q |= Q(organisation_id=school_id, class_name=class_name)
    if selection.grades:
        grade_q = Q()
        for grade in selection.grades:
            grade_q |= Q(class_name__regex=rf"^\s*{grade}(\D|$)")
        q |= grade_q
    if not q:
        return children.none()
    return children.filter(q)


def _instruments_clash(instruments: Iterable[InstrumentVersion]) -> list[str]:
    """Instrument or question codes that appear twice (paper columns and answers are keyed by them)."""
    owners: dict[str, str] = {}
    clashes = []
    for version in instruments:
        for code in [f"instrument:{version.code}", *instrument_for(version).question_codes()]:
            if code in owners:
                clashes.append(code.removeprefix("instrument:"))
            owners[code] = version.code
    return clashes


def consent_states(child_ids: Iterable[int]) -> dict[int, str]:
    """The latest screening consent decision per child (withdrawn consent counts as refused)."""
    states: dict[int, str] = {}
    rows = (
        Consent.objects.filter(child_id__in=list(child_ids), purpose=Consent.Purpose.SCREENING)
        .order_by("child_id", "given_on", "created_at")
        .values_list("child_id", "granted", "withdrawn_at")
    )
    for child_id, granted, withdrawn_at in rows:
        states[child_id] = (
            Participant.Consent.GRANTED if granted and withdrawn_at is None else Participant.Consent.REFUSED
        )
    return states


def _status_for(consent: str) -> str:
    if consent == Participant.Consent.GRANTED:
        return Participant.Status.READY
    if consent == Participant.Consent.REFUSED:
        return Participant.Status.REFUSED
    return Participant.Status.AWAITING_CONSENT


def create_campaign(
    user: Any,
    *,
    title: str,
    selection: Selection,
    instruments: list[InstrumentVersion],
    starts_on: dt.date,
    ends_on: dt.date,
    rule: RiskRule | None = None,
) -> Campaign:
    """A draft campaign with one participant per selected child (consent taken from the records)."""
    clashes = _instruments_clash(instruments)
    if clashes:
        raise ValueError(
            str(_("These instruments share question codes and cannot run together: %(codes)s"))
            % {"codes": ", ".join(sorted(set(clashes)))}
        )
    rule = rule or default_rule()
    with transaction.atomic():
        campaign = actions.create_object(
            user,
            Campaign(
                organisation=selection.organisation,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
                risk_rule=rule.to_dict(),
                created_by=user if getattr(user, "pk", None) else None,
            ),
        )
        CampaignInstrument.objects.bulk_create(
            CampaignInstrument(campaign=campaign, instrument=v, position=i) for i, v in enumerate(instruments)
        )
        add_participants(campaign, selected_children(user, selection))
    return campaign


def territory_of(school: Organisation) -> tuple[int | None, int | None]:
    """The district node above a school (if any) and its region: what dashboards group by."""
    district = (
        Organisation.objects.filter(path__in=[school.path[:i] for i in range(6, len(school.path), 6)])
        .filter(kind=OrganisationKind.DISTRICT)
        .values_list("pk", flat=True)
        .first()
    )
    region = school.region_id
    if region is None:
        region = (
            Organisation.objects.filter(path=school.path[:12], kind=OrganisationKind.REGION)
            .values_list("region_id", flat=True)
            .first()
        )
    return district, region


def add_participants(campaign: Campaign, children: Any, batch: int = 5000) -> int:
    """Add the children not yet in the campaign, with their school, district, region and consent."""
    existing = set(campaign.participants.values_list("child_id", flat=True))
    schools: dict[int, tuple[int | None, int | None]] = {}
    added = 0
    rows = children.exclude(pk__in=existing).values_list("pk", "organisation_id", "class_name", "language")
    pending: list[tuple[int, int, str, str]] = []

    def flush() -> None:
        nonlocal added
        if not pending:
            return
        missing = {org_id for _, org_id, _, _ in pending if org_id not in schools}
        for org in Organisation.objects.filter(pk__in=missing).only("pk", "path", "region_id"):
            schools[org.pk] = territory_of(org)
        consent = consent_states(pk for pk, _, _, _ in pending)
        objs = []
        for pk, org_id, class_name, language in pending:
            state = consent.get(pk, Participant.Consent.UNKNOWN)
            district, region = schools[org_id]
            objs.append(
                Participant(
                    campaign=campaign,
                    child_id=pk,
                    school_id=org_id,
                    district_id=district,
                    region_id=region,
                    class_name=class_name,
                    language=language or "kk",
                    consent=state,
                    status=_status_for(state),
                )
            )
        Participant.objects.bulk_create(objs)
        added += len(objs)
        pending.clear()

    for row in rows.iterator(chunk_size=batch):
        pending.append(row)
        if len(pending) >= batch:
            flush()
    flush()
    return added


def set_status(user: Any, campaign: Campaign, status: str) -> Campaign:
    """Open or close a campaign (a closed one accepts no more answers; it can be reopened)."""
    if status == Campaign.Status.OPEN and not campaign.campaign_instruments.exists():
        raise ValueError(str(_("A campaign needs at least one instrument.")))
    campaign.status = status
    return actions.update_object(user, campaign)


def record_consent(
    user: Any,
    participant: Participant,
    *,
    granted: bool,
    given_on: dt.date | None = None,
    document: str = "",
) -> Participant:
    """The legal representative's decision for this child: a core Consent record and the participant's state."""
    if participant.status in (Participant.Status.IN_PROGRESS, Participant.Status.COMPLETED):
        raise ValueError(str(_("The student has already started; consent can no longer be changed here.")))
    if not scope.may(user, "change", participant):
        raise PermissionDenied
    with transaction.atomic():
        actions.create_object(
            user,
            Consent(
                child_id=participant.child_id,
                purpose=Consent.Purpose.SCREENING,
                granted=granted,
                given_on=given_on or timezone.localdate(),
                document=document,
                recorded_by=user if getattr(user, "pk", None) else None,
            ),
        )
        participant.consent = Participant.Consent.GRANTED if granted else Participant.Consent.REFUSED
        participant.status = _status_for(participant.consent)
        actions.update_object(user, participant)
    return participant


# --- The student's side ------------------------------------------------------------------------------


def start_with_code(raw_code: str) -> Participant:
    """The participant a code opens, started if new; refuses used, unknown, refused or closed codes."""
    from screening.models.campaigns import normalise_code

    code = normalise_code(raw_code)
    participant = Participant.objects.select_related("campaign").filter(code=code).first() if len(code) >= 6 else None
    if participant is None:
        raise StudentError(_("This code is not valid. Check it on your card and try again."))
    if participant.status == Participant.Status.COMPLETED:
        raise StudentError(_("This code has already been used to complete the questionnaire. Thank you!"))
    if participant.status in (Participant.Status.AWAITING_CONSENT, Participant.Status.REFUSED):
        raise StudentError(_("This code cannot be used. Please ask your school psychologist."))
    if not participant.campaign.is_accepting():
        raise StudentError(_("The questionnaire is not open at the moment."))
    if participant.status == Participant.Status.READY:
        with audit.system_context(STUDENT_REASON), transaction.atomic():
            locked = Participant.objects.select_for_update().get(pk=participant.pk)
            if locked.status == Participant.Status.READY:
                Response.objects.bulk_create(
                    [
                        Response(participant=locked, instrument_id=ci.instrument_id)
                        for ci in locked.campaign.campaign_instruments.all()
                    ],
                    ignore_conflicts=True,
                )
                locked.status = Participant.Status.IN_PROGRESS
                locked.mode = Participant.Mode.ONLINE
                locked.started_at = timezone.now()
                locked.save()
            participant = locked
    return participant


def open_responses(participant: Participant) -> list[Response]:
    """The participant's responses in the campaign's order of instruments."""
    order = dict(
        CampaignInstrument.objects.filter(campaign_id=participant.campaign_id).values_list("instrument_id", "position")
    )
    # Not select_related("instrument"): a version's definition is large, and instrument_for() caches it.
    responses = list(Response.objects.filter(participant_id=participant.pk))
    return sorted(responses, key=lambda r: (order.get(r.instrument_id, 0), r.pk))


def saved_answers(response_id: int) -> dict[str, Any]:
    return dict(Answer.objects.filter(response_id=response_id).values_list("item", "value"))


_RESPONSES: dict[int, tuple[int, int]] = {}  # response -> (participant, instrument): never changes


def _response_meta(response_id: int) -> tuple[int, int] | None:
    meta = _RESPONSES.get(response_id)
    if meta is None:
        row = Response.objects.filter(pk=response_id).order_by().values_list("participant_id", "instrument_id").first()
        if row is None:
            return None
        if len(_RESPONSES) > 200_000:
            _RESPONSES.clear()
        meta = _RESPONSES[response_id] = (row[0], row[1])
    return meta


# One statement in autocommit: the answer is written only while the response, the participant and the
# campaign are still open (checked in the same statement, so a concurrent completion cannot slip between).
_UPSERT = (
    "INSERT INTO screening_answer (response_id, item, value, answered_at) "
    "SELECT %s, %s, {json}, %s WHERE EXISTS ("
    " SELECT 1 FROM screening_response r"
    " JOIN screening_participant p ON p.id = r.participant_id"
    " JOIN screening_campaign c ON c.id = p.campaign_id"
    " WHERE r.id = %s AND r.participant_id = %s AND r.instrument_id = %s AND r.completed_at IS NULL"
    " AND p.status = 'in_progress' AND c.status = 'open')"
    " ON CONFLICT (response_id, item) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at"
)


def save_answer(participant_id: int, response_id: int, item: str, raw: Any) -> dict[str, Any]:
    """Validate and store one answer at once (the student's autosave). Returns what the page needs next.

    The hot path of a national campaign: the answer is checked in memory against the instrument version
    (cached per process) and written by one conditional upsert; the reasons for a refusal are looked up
    only when it is refused.
    """
    instrument = None
    answers: dict[str, Any] | None = None
    for attempt in (1, 2):
        meta = _response_meta(response_id)
        if meta is not None and meta[0] == participant_id:
            instrument = instrument_for(meta[1])
            with_answers = any(i.relevant for i in instrument.items)
            written, answers = _upsert(response_id, meta, item, instrument.clean_answer(item, raw), with_answers)
            if written:
                break
        if attempt == 1:
            _RESPONSES.pop(response_id, None)  # the statement re-checks what the cache said: look again once
            continue
        if meta is None or meta[0] != participant_id:
            raise StudentError(_("This questionnaire is no longer open."))
        _why_refused(response_id)
    assert instrument is not None
    result: dict[str, Any] = {"saved": item}
    if answers is not None:
        result["relevant"] = instrument.relevant_codes(answers)
    return result


# On PostgreSQL the same upsert also returns the response's other answers (needed to tell the page which
# questions are now relevant) in the same round trip: the answer endpoint is a national campaign's hot path.
_UPSERT_RETURNING = (
    "WITH saved AS (" + _UPSERT.format(json="CAST(%s AS jsonb)") + " RETURNING item, value)"  # noqa: S608 (constants)
    " SELECT item, value FROM saved"
    " UNION ALL SELECT a.item, a.value FROM screening_answer a"
    " WHERE a.response_id = %s AND a.item <> %s AND EXISTS (SELECT 1 FROM saved)"
)


def _upsert(
    response_id: int, meta: tuple[int, int], item: str, value: Any, with_answers: bool
) -> tuple[bool, dict[str, Any] | None]:
    """Write one answer if its response is still open; with ``with_answers``, also all the saved answers.

    Returns (written, answers): answers is None unless asked for and written.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params: list[Any] = [response_id, item, json.dumps(value), now, response_id, meta[0], meta[1]]
    with connection.cursor() as cursor:
        if with_answers and connection.vendor == "postgresql":
            cursor.execute(_UPSERT_RETURNING, [*params, response_id, item])
            rows = cursor.fetchall()
            if not rows:
                return False, None
            return True, {row[0]: json.loads(row[1]) for row in rows}  # Django reads jsonb as text
        cursor.execute(_UPSERT.format(json="%s"), params)
        written = bool(cursor.rowcount)
    return written, (saved_answers(response_id) if written and with_answers else None)


def _why_refused(response_id: int) -> None:
    row = (
        Response.objects.filter(pk=response_id)
        .order_by()
        .values("completed_at", "participant__status", "participant__campaign__status")
        .first()
    )
    if row is None or row["participant__status"] != Participant.Status.IN_PROGRESS:
        raise StudentError(_("This questionnaire is no longer open."))
    if row["participant__campaign__status"] != Campaign.Status.OPEN:
        raise StudentError(_("The questionnaire is not open at the moment."))
    raise StudentError(_("This part is already finished."))


def finish_response(response: Response) -> Response:
    """Score a response from its saved answers (raises AnswerError listing what is missing or wrong)."""
    instrument = instrument_for(response.instrument_id)
    answers = saved_answers(response.pk)
    relevant = set(instrument.relevant_codes(answers))
    answers = {k: v for k, v in answers.items() if k in relevant}  # a changed answer may hide a later item
    score = instrument.score(answers)
    with audit.system_context(STUDENT_REASON):
        _store_score(response, answers, score)
        response.save()
    return response


def _store_score(response: Response, answers: dict[str, Any], score: Score) -> None:
    response.answers = answers
    response.total = score.total
    response.band = score.band or ""
    response.flags = list(score.flags)
    response.subscales = dict(score.subscales)
    response.completed_at = response.completed_at or timezone.now()


def complete_online(participant: Participant) -> Participant:
    """All parts done: evaluate the risk level and mark the code as used (it cannot be opened again)."""
    with audit.system_context(STUDENT_REASON), transaction.atomic():
        locked = Participant.objects.select_for_update().select_related("campaign", "school").get(pk=participant.pk)
        if locked.status != Participant.Status.IN_PROGRESS:
            return locked
        if locked.responses.filter(completed_at__isnull=True).exists():
            raise StudentError(_("Some parts are not finished yet."))
        evaluate_risk(locked, list(locked.responses.all()))
        locked.status = Participant.Status.COMPLETED
        locked.completed_at = timezone.now()
        locked.save()
        raise_alert(locked)
    return locked


# --- Risk ---------------------------------------------------------------------------------------------


def score_of(response: Response) -> Score:
    return Score(
        total=response.total,
        band=response.band or None,
        flags=tuple(response.flags),
        subscales=dict(response.subscales),
    )


def rule_of(campaign: Campaign) -> RiskRule:
    return RiskRule.from_dict(campaign.risk_rule) if campaign.risk_rule else default_rule()


def evaluate_risk(participant: Participant, responses: list[Response], rule: RiskRule | None = None) -> None:
    """Set the participant's risk level, the conditions that fired and the flags (not saved here)."""
    scores = {instrument_for(r.instrument_id).code: score_of(r) for r in responses if r.completed_at}
    result = (rule or rule_of(participant.campaign)).evaluate(scores)
    participant.risk_level = result.level
    participant.risk_rule = result.rule
    participant.risk_fired = list(result.fired)
    participant.flags = sorted({flag for r in responses for flag in r.flags})


def raise_alert(participant: Participant) -> RiskAlert | None:
    """Fire ``risk_identified`` for a participant at moderate risk or above (once per participant)."""
    if participant.risk_level not in events.ALERT_LEVELS:
        return None
    try:
        with transaction.atomic():
            alert = RiskAlert.objects.create(
                participant=participant,
                level=participant.risk_level,
                fired=participant.risk_fired,
                flags=participant.flags,
            )
    except IntegrityError:
        return None  # already raised for this participant
    events.risk_identified.send(
        sender=Participant,
        participant=participant,
        alert=alert,
        level=participant.risk_level,
        fired=participant.risk_fired,
        flags=participant.flags,
    )
    return alert


def acknowledge_alert(user: Any, alert: RiskAlert, note: str = "") -> RiskAlert:
    alert.status = RiskAlert.Status.ACKNOWLEDGED
    alert.handled_by = user
    alert.handled_at = timezone.now()
    alert.note = note
    return actions.update_object(user, alert)


# --- Follow-up groups ------------------------------------------------------------------------------------


def create_group(user: Any, *, name: str, purpose: str, members: list[Participant]) -> FollowUpGroup:
    """A follow-up group of children of one school (a group is worked with in that school)."""
    schools = {p.school_id for p in members}
    if len(schools) != 1:
        raise ValueError(str(_("A follow-up group holds children of one school; choose students of one school.")))
    with transaction.atomic():
        group = actions.create_object(
            user,
            FollowUpGroup(
                school_id=schools.pop(),
                campaign_id=members[0].campaign_id,
                name=name,
                purpose=purpose,
                created_by=user if getattr(user, "pk", None) else None,
            ),
        )
        change_group_members(user, group, add=members)
    return group


def change_group_members(
    user: Any,
    group: FollowUpGroup,
    *,
    add: list[Participant] | None = None,
    remove: list[Participant] | None = None,
) -> None:
    """Add or remove members (same school only); the change is audited on the group."""
    if not scope.may(user, "change", group):
        raise PermissionDenied
    add = [p for p in add or [] if p.school_id == group.school_id]
    remove = remove or []
    with transaction.atomic():
        if add:
            group.members.add(*add)
        if remove:
            group.members.remove(*remove)
        audit.record(
            "update",
            model=group,
            object_id=group.uuid,
            changes={"members_added": [str(p.uuid) for p in add], "members_removed": [str(p.uuid) for p in remove]},
        )
