"""The case engine: open a case with its protocol's tasks, complete tasks, escalate overdue ones.

Opening a case instantiates the protocol's steps that apply (category, risk level) as tasks with
stored due times. The escalation sweep (``manage.py escalate_overdue``, run by cron or a worker) finds
the overdue tasks once (a partial index) and claims them by id, in chunks, inserting one
:class:`~cases.models.TaskEscalation` row per task with ``ON CONFLICT DO NOTHING RETURNING``: the
primary key makes each task escalated exactly once however many sweeps run at the same time (a
concurrent insert of the same key waits, then does nothing), and the wide task rows are never
rewritten. The claim, the case's escalation count, the timeline entries and the supervisors'
notifications commit together, so an escalation cannot be lost.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import protocols
from cases.models import Case, CaseChild, CaseEvent, CaseTask, ProtocolVersion, TaskEscalation
from core import actions, audit
from core.ids import random_uuids
from core.models import Child, Organisation, RoleAssignment, User
from core.models.base import copy_unsaved
from core.notify import notify, notify_each
from core.roles import Role


def people_with_role(organisation: Organisation, role: str) -> list[User]:
    """Active users holding ``role`` at the organisation or above it with the subtree."""
    ancestors = [organisation.path[:i] for i in range(6, len(organisation.path), 6)]
    rows = RoleAssignment.objects.filter(
        Q(organisation=organisation) | Q(organisation__path__in=ancestors, include_subtree=True),
        role=role,
        user__is_active=True,
        organisation__is_active=True,
    ).select_related("user")
    return sorted({a.user for a in rows}, key=lambda u: u.pk)


def _assignee(organisation: Organisation, role: str) -> User | None:
    people = people_with_role(organisation, role) if role else []
    return people[0] if people else None


def _region_of(organisation: Organisation) -> Any:
    if organisation.region_id:
        return organisation.region_id
    node = Organisation.objects.filter(path=organisation.path[:12]).values_list("region_id", flat=True).first()
    return node


def case_number(organisation: Organisation, opened_at: dt.datetime, pk: int) -> str:
    """A case's number: its region's path segment, the year it was opened and its key, e.g. ``0004-2026-0000123``."""
    return f"{organisation.path[6:12] or 'KZ'}-{opened_at:%Y}-{pk:07d}".upper()


def open_case(
    user: Any,
    *,
    children: Iterable[Child],
    category: str,
    risk_level: str,
    source: str,
    organisation: Organisation,
    summary: str = "",
    case_manager: User | None = None,
    alert: Any = None,
    opened_at: dt.datetime | None = None,
) -> Case:
    """Open a case and create the tasks of its protocol (``user`` None: a system job, e.g. screening)."""
    opened_at = opened_at or timezone.now()
    protocol = protocols.protocol_for(category)
    children = list(children)
    if not children:
        raise ValueError(str(_("A case needs at least one child.")))
    case = Case(
        category=category,
        risk_level=risk_level,
        source=source,
        organisation=organisation,
        region_id=_region_of(organisation),
        case_manager=case_manager,
        summary=summary,
        opened_at=opened_at,
        protocol_code=protocol.code if protocol else "",
        protocol_version=protocol.version if protocol else "",
        protocol=ProtocolVersion.stored(protocol.to_json()) if protocol else None,
        screening_alert=alert,
    )
    with transaction.atomic():
        if user is None:
            case.save()
        else:
            actions.create_object(user, case)
        case.number = case_number(organisation, opened_at, case.pk)
        Case.objects.filter(pk=case.pk).update(number=case.number)
        case.refresh_from_db(fields=["version"])
        for child in children:
            CaseChild.objects.create(case=case, child=child)
        tasks = _create_tasks(case, protocol, opened_at) if protocol else []
        event(
            case,
            CaseEvent.Kind.OPENED,
            user,
            _("Case opened (%(source)s): %(category)s, %(level)s risk.")
            % {
                "source": case.get_source_display(),
                "category": case.get_category_display(),
                "level": case.get_risk_level_display(),
            },
        )
        _tell_assignees(case, tasks[:3])
    return case


def _create_tasks(case: Case, protocol: protocols.Protocol, opened_at: dt.datetime) -> list[CaseTask]:
    tasks = build_tasks(case, protocol, opened_at, lambda org, role: _assignee(org, role) if role else None)
    return CaseTask.objects.bulk_create(tasks)


def build_tasks(case: Case, protocol: protocols.Protocol, opened_at: dt.datetime, assignee: Any) -> list[CaseTask]:
    """The case's tasks (unsaved): the protocol's applicable steps with their due times chained."""
    tasks = []
    previous: dt.datetime | None = None
    for position, step in enumerate(protocol.steps_for(category=case.category, risk_level=case.risk_level)):
        due = protocols.step_due(step, opened_at=opened_at, previous_due=previous)
        previous = due
        role = step.responsible.role or ""
        tasks.append(
            CaseTask(
                case=case,
                position=position,
                step_code=step.code,
                title=dict(step.title),
                responsible_role=role,
                responsible_agency=step.responsible.agency or "",
                assignee=assignee(case.organisation, role),
                due_at=due,
                calendar=step.calendar,
                record_kind=step.record.kind,
                record_required=step.record.required,
                escalate_role=step.escalate_to.role or "",
                escalate_agency=step.escalate_to.agency or "",
            )
        )
    return tasks


def event(case: Case, kind: str, user: Any, text: Any = "", **data: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        kind=kind,
        actor=user if getattr(user, "pk", None) else None,
        text=str(text),
        data=data,
    )


def _tell_assignees(case: Case, tasks: list[CaseTask]) -> None:
    by_user: dict[int, tuple[User, list[CaseTask]]] = {}
    for task in tasks:
        if task.assignee is not None:
            by_user.setdefault(task.assignee.pk, (task.assignee, []))[1].append(task)
    for user, own in by_user.values():
        first = min(own, key=lambda t: t.due_at)
        notify(
            [user],
            kind="case_task",
            subject=_("Case %(number)s: a step is due by %(due)s"),
            body=_("You are responsible for a step of the response protocol. Open the case to see what to do."),
            params={"number": case.number, "due": timezone.localtime(first.due_at).strftime("%d.%m.%Y %H:%M")},
            link=reverse("cases:case-detail", kwargs={"uuid": case.uuid}),
            urgent=first.due_at - timezone.now() <= dt.timedelta(hours=24),
        )


class RecordMissing(ValueError):
    pass


def complete_task(user: Any, task: CaseTask, record: str, *, version: int | None = None) -> CaseTask:
    """Mark a step done with the record it requires; a stale ``version`` raises ConflictError."""
    if task.status != CaseTask.Status.OPEN:
        raise ValueError(str(_("This step is already closed.")))
    if task.record_required and not record.strip():
        raise RecordMissing(str(_("This step requires a record: %(what)s.")) % {"what": task.text(task.record_title)})
    if version is not None:
        task.version = version
    now = timezone.now()
    task.status = CaseTask.Status.DONE
    task.completed_at = now
    task.completed_by = user
    task.record = record.strip()
    with transaction.atomic():
        actions.update_object(user, task)
        case = task.case
        if case.first_action_at is None:
            # Not an edit of the case: its version (optimistic locking of editors) stays as it is.
            Case.objects.filter(pk=case.pk, first_action_at__isnull=True).update(
                first_action_at=now, version=F("version")
            )
        on_time = now <= task.due_at
        event(
            case,
            CaseEvent.Kind.TASK_DONE,
            user,
            _("Step done: %(step)s%(late)s.")
            % {"step": task.display_title, "late": "" if on_time else str(_(" (late)"))},
            task=task.pk,
            on_time=on_time,
        )
        if case.status == Case.Status.OPEN:
            Case.objects.filter(pk=case.pk, status=Case.Status.OPEN).update(status=Case.Status.ASSESSMENT)
    return task


# --- Escalation --------------------------------------------------------------------------------------


def escalate_overdue(now: dt.datetime | None = None, batch: int = 20000, attempts: int = 100) -> int:
    """Escalate every overdue open task that was not escalated yet; returns how many this run did.

    The whole sweep is one transaction: claims (in batches), case counts, timeline entries and one
    notification per supervisor commit together or not at all. Under SQLite, "database is locked"
    (another sweep is writing) is waited out and the sweep retried.
    """
    now = now or timezone.now()
    for attempt in range(attempts):
        try:
            with audit.system_context("escalation sweep"), transaction.atomic():
                return _sweep(now, batch)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    return 0


Claimed = list[tuple[int, int, str, str, str]]  # (task, case, step, escalation role, escalation agency)
# What the supervisors are told, one row per case: (case, owner organisation, case number, targets), a
# target being (escalation role, escalation agency) of one of the case's escalated steps.
Escalated = list[tuple[int, int, str, list[tuple[str, str]]]]


def _sweep(now: dt.datetime, batch: int) -> int:
    if connection.vendor == "postgresql":
        total, escalated = _sweep_postgresql(now)
    else:
        total, escalated = _sweep_chunks(now, batch)
    if total:
        audit.record("bulk_create", model=TaskEscalation, count=total, detail="escalation sweep")
        supervisors = _Supervisors()
        supervisors.collect(escalated)
        supervisors.notify()
    return total


# PostgreSQL: the sweep runs on the server in a few set-based statements over a temporary table of the
# claimed steps (analysed, so that the planner knows how many there are: one statement with CTEs made it
# guess one row and loop over a million). A concurrent sweep that claimed a step first holds its lock until
# it commits; ON CONFLICT then leaves that step alone, so each step is escalated exactly once.
SWEEP_POSTGRESQL = (
    # Left over only by an earlier sweep in the same transaction (a test's): ON COMMIT DROP never ran.
    "DROP TABLE IF EXISTS pg_temp.sweep_claimed, pg_temp.sweep_cases",
    "CREATE TEMPORARY TABLE sweep_claimed (task_id bigint NOT NULL) ON COMMIT DROP",
    """
    WITH claimed AS (
        INSERT INTO cases_taskescalation (task_id, escalated_at)
        SELECT t.id, %(now)s FROM cases_casetask t
        WHERE t.status = 'open' AND t.due_at < %(now)s
          AND NOT EXISTS (SELECT 1 FROM cases_taskescalation e WHERE e.task_id = t.id)
        ON CONFLICT (task_id) DO NOTHING
        RETURNING task_id
    )
    INSERT INTO sweep_claimed SELECT task_id FROM claimed
    """,
    "ANALYZE sweep_claimed",
    """
    CREATE TEMPORARY TABLE sweep_cases ON COMMIT DROP AS
    SELECT t.case_id, c.organisation_id, c.number, count(*) AS n,
           jsonb_agg(t.id ORDER BY t.id) AS tasks, jsonb_agg(t.step_code ORDER BY t.id) AS steps,
           array_agg(DISTINCT t.escalate_role || '|' || t.escalate_agency) AS targets
    FROM sweep_claimed s JOIN cases_casetask t ON t.id = s.task_id JOIN cases_case c ON c.id = t.case_id
    GROUP BY t.case_id, c.organisation_id, c.number
    """,
    "ANALYZE sweep_cases",
    """
    UPDATE cases_case c SET escalations = c.escalations + p.n, version = c.version + 1, updated_at = %(now)s
    FROM sweep_cases p WHERE c.id = p.case_id
    """,
    """
    INSERT INTO cases_caseevent (uuid, created_at, updated_at, case_id, at, kind, actor_id, text, data)
    SELECT gen_random_uuid(), %(now)s, %(now)s, case_id, %(now)s, 'escalated', NULL, %(text)s,
           jsonb_build_object('tasks', tasks, 'steps', steps)
    FROM sweep_cases
    """,
    "SELECT case_id, organisation_id, number, targets, n FROM sweep_cases",
)


def _sweep_postgresql(now: dt.datetime) -> tuple[int, Escalated]:
    text = str(_("Step overdue: escalated to the supervisor."))
    with connection.cursor() as cursor:
        # Sorting and hashing a million steps in memory rather than in temporary files (this transaction only).
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # No nested loops in this bulk job: with the escalations table empty (or its statistics stale) the
        # planner would re-scan that table, which the claim is filling, once per step (quadratic).
        cursor.execute("SET LOCAL enable_nestloop = off")
        for statement in SWEEP_POSTGRESQL:
            cursor.execute(statement, {"now": now, "text": text} if "%(" in statement else None)
        rows = cursor.fetchall()
    escalated: Escalated = [
        (case_id, org, number, [_split_target(t) for t in targets]) for case_id, org, number, targets, _n in rows
    ]
    if rows:  # what the statements wrote besides the escalations (recorded by the caller)
        audit.record(
            "bulk_update", model=Case, count=len(rows), changes={"fields": ["escalations"]}, detail="escalation sweep"
        )
        audit.record("bulk_create", model=CaseEvent, count=len(rows), detail="escalation sweep")
    return sum(row[4] for row in rows), escalated


def _split_target(target: str) -> tuple[str, str]:
    role, _bar, agency = target.partition("|")
    return role, agency


def _sweep_chunks(now: dt.datetime, batch: int) -> tuple[int, Escalated]:
    """SQLite: the overdue steps found once, then claimed chunk by chunk (a chunk never splits a case)."""
    total = 0
    escalated: Escalated = []
    candidates = (
        CaseTask.objects.filter(status=CaseTask.Status.OPEN, due_at__lt=now, escalation__isnull=True)
        .order_by("case_id", "pk")
        .values_list("case_id", "pk")
    )
    for ids in _chunks_by_case(list(candidates), batch):  # read fully before writing
        claimed = _claim(now, ids)
        if not claimed:
            continue
        _mark_cases(claimed, now)
        _timeline(claimed, now)
        targets: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for _task, case_id, _step, role, agency in claimed:
            targets[case_id].add((role, agency))
        for case_id, org, number in Case.objects.filter(pk__in=targets).values_list("pk", "organisation_id", "number"):
            escalated.append((case_id, org, number, sorted(targets[case_id])))
        total += len(claimed)
    return total, escalated


def _chunks_by_case(rows: Any, batch: int) -> Any:
    """Task ids in chunks of about ``batch`` that never split a case (one count and one timeline entry per
    case per sweep)."""
    chunk: list[int] = []
    last_case = None
    for case_id, task_id in rows:
        if len(chunk) >= batch and case_id != last_case:
            yield chunk
            chunk = []
        chunk.append(task_id)
        last_case = case_id
    if chunk:
        yield chunk


CLAIM_SQL = (
    "INSERT INTO cases_taskescalation (task_id, escalated_at)"
    " SELECT id, %s FROM cases_casetask WHERE id IN (__IDS__) AND status = 'open' AND due_at < %s"
    " ON CONFLICT (task_id) DO NOTHING RETURNING task_id"
)


def _claim(now: dt.datetime, ids: list[int]) -> Claimed:
    """Record these overdue tasks escalated unless a concurrent sweep did; returns (task, case, step, role, agency)."""
    sql = CLAIM_SQL.replace("__IDS__", ",".join(["%s"] * len(ids)))  # placeholders only
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, *ids, stamp])
        claimed = [row[0] for row in cursor.fetchall()]
    rows = CaseTask.objects.filter(pk__in=claimed).order_by("pk")
    return list(rows.values_list("pk", "case_id", "step_code", "escalate_role", "escalate_agency"))


def _mark_cases(claimed: Claimed, now: dt.datetime) -> None:
    """Count the escalations on the cases (SQLite; PostgreSQL does it inside SWEEP_POSTGRESQL)."""
    per_case: dict[int, int] = defaultdict(int)
    for _task, case_id, _step, _role, _agency in claimed:
        per_case[case_id] += 1
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE cases_case SET escalations = escalations + %s, version = version + 1, updated_at = %s "
            "WHERE id = %s",
            [(n, now, case_id) for case_id, n in per_case.items()],
        )
    audit.record(
        "bulk_update", model=Case, count=len(per_case), changes={"fields": ["escalations"]}, detail="escalation sweep"
    )


def _timeline(claimed: Claimed, now: dt.datetime) -> None:
    text = str(_("Step overdue: escalated to the supervisor."))
    per_case: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for task_id, case_id, step, _role, _agency in claimed:
        per_case[case_id].append((task_id, step))
    CaseEvent.objects.bulk_create(
        (
            CaseEvent(
                uuid=uuid.uuid4(),
                case_id=case_id,
                at=now,
                kind=CaseEvent.Kind.ESCALATED,
                text=text,
                data={"tasks": [t for t, _s in sorted(steps)], "steps": [s for _t, s in sorted(steps)]},
            )
            for case_id, steps in per_case.items()
        ),
        batch_size=2000,
    )


class _Supervisors:
    """Who is told about the escalated steps: the escalation target's role at or above the case's owner
    (the case manager for an agency, or when nobody holds the role); one notification per person."""

    def __init__(self) -> None:
        self.cases: dict[int, set[str]] = defaultdict(set)  # user id -> case numbers
        self.users: dict[int, User] = {}
        self.known: dict[tuple[int, str], list[User]] = {}  # (organisation, role) -> holders

    def collect(self, escalated: Escalated) -> None:
        """Find who is told about these cases: per case, each escalated step's target role (or agency)."""
        wanted: dict[tuple[int, str], set[str]] = defaultdict(set)  # (organisation, role) -> case numbers
        for _case, org, number, targets in escalated:
            for role, agency in targets:
                wanted[(org, role or (Role.CASE_MANAGER if agency else Role.DIRECTOR))].add(number)
        roles = {role for _, role in wanted} | {Role.CASE_MANAGER}
        self.known.update(self._holders({org for org, _ in wanted}, roles))
        for (org, role), numbers in wanted.items():
            people = self.known.get((org, role)) or self.known.get((org, Role.CASE_MANAGER)) or []
            for user in people:
                self.users[user.pk] = user
                self.cases[user.pk].update(numbers)

    @staticmethod
    def _holders(orgs: set[int], roles: set[str]) -> dict[tuple[int, str], list[User]]:
        """(organisation, role) -> active users holding the role there or above it with the subtree."""
        paths = dict(Organisation.objects.filter(pk__in=orgs).values_list("pk", "path"))
        ancestors = {p[:i] for p in paths.values() for i in range(6, len(p) + 1, 6)}
        rows = RoleAssignment.objects.filter(
            Q(organisation_id__in=orgs) | Q(organisation__path__in=ancestors, include_subtree=True),
            role__in=roles,
            user__is_active=True,
            organisation__is_active=True,
        ).select_related("user", "organisation")
        by_path: dict[tuple[str, str], list[tuple[User, bool]]] = defaultdict(list)
        for a in rows:
            by_path[(a.organisation.path, a.role)].append((a.user, a.include_subtree))
        found: dict[tuple[int, str], list[User]] = {}
        for org, path in paths.items():
            for role in roles:
                people = {u.pk: u for u, _ in by_path.get((path, role), [])}
                for i in range(6, len(path), 6):
                    people |= {u.pk: u for u, subtree in by_path.get((path[:i], role), []) if subtree}
                found[(org, role)] = list(people.values())
        return found

    def notify(self) -> None:
        entries = []
        for user_id, numbers in self.cases.items():
            shown = sorted(numbers)
            listed = ", ".join(shown[:20]) + (" …" if len(shown) > 20 else "")
            entries.append((self.users[user_id], {"n": len(shown), "cases": listed}))
        notify_each(
            entries,
            kind="case_escalation",
            subject=_("Overdue steps in %(n)s cases"),
            body=_("Steps of the response protocol are overdue in these cases: %(cases)s."),
            link=reverse("cases:task-list") + "?overdue=1",
            urgent=True,
        )


# --- Many cases at once (a paper import's alerts) -----------------------------------------------------


def open_cases_for_alerts(alerts: list[Any]) -> int:
    """Open one case per screening alert in bulk: the same cases and tasks as ``open_case``, written in a
    few statements per batch (a paper import can raise thousands of alerts in one transaction)."""
    from cases.receivers import category_for
    from screening.models import Campaign, Participant, RiskAlert

    linked = set(Case.objects.filter(screening_alert__in=alerts).values_list("screening_alert_id", flat=True))
    alerts = [a for a in alerts if a.pk not in linked]
    if not alerts:
        return 0
    now = timezone.now()
    # Plain values: a batch has thousands of participants but a handful of schools and one campaign.
    participants = {
        pk: (child, school, region, campaign)
        for pk, child, school, region, campaign in Participant.objects.filter(
            pk__in=[a.participant_id for a in alerts]
        ).values_list("pk", "child_id", "school_id", "region_id", "campaign_id")
    }
    schools = Organisation.objects.in_bulk({school for _c, school, _r, _p in participants.values()})
    titles = dict(Campaign.objects.filter(pk__in={c for *_rest, c in participants.values()}).values_list("pk", "title"))
    staff: dict[tuple[int, str], User | None] = {}

    def person(org: Organisation, role: str) -> User | None:
        if (org.pk, role) not in staff:
            staff[(org.pk, role)] = _assignee(org, role) if role else None
        return staff[(org.pk, role)]

    stored: dict[str, ProtocolVersion] = {}

    def version_of(protocol: protocols.Protocol) -> ProtocolVersion:
        if protocol.code not in stored:
            stored[protocol.code] = ProtocolVersion.stored(protocol.to_json())
        return stored[protocol.code]

    cases = []
    for alert in alerts:
        _child, school_id, region_id, campaign_id = participants[alert.participant_id]
        school = schools[school_id]
        category = category_for(alert.fired)
        protocol = protocols.protocol_for(category)
        cases.append(
            Case(
                category=category,
                risk_level=alert.level,
                source="screening",
                organisation=school,
                region_id=region_id,
                case_manager=person(school, Role.PSYCHOLOGIST),
                summary=f"{titles[campaign_id]}: {', '.join(alert.fired)}",
                opened_at=now,
                protocol_code=protocol.code if protocol else "",
                protocol_version=protocol.version if protocol else "",
                protocol=version_of(protocol) if protocol else None,
                screening_alert=alert,
            )
        )
    Case.objects.reserve_keys(cases)
    for case in cases:
        case.number = case_number(case.organisation, now, case.pk)
    Case.objects.bulk_insert(cases)
    CaseChild.objects.bulk_insert(
        CaseChild(case=case, child_id=participants[a.participant_id][0]) for case, a in zip(cases, alerts, strict=True)
    )
    # Cases opened together with the same category, risk level and school get the same steps, due times
    # and assignees: build them once and copy them (a paper import opens thousands of such cases).
    templates: dict[tuple[str, str, int], list[CaseTask]] = {}
    tasks = []
    for case in cases:
        key = (case.category, case.risk_level, case.organisation_id)
        if key not in templates:
            protocol = protocols.protocol_for(case.category)
            templates[key] = build_tasks(case, protocol, now, person) if protocol is not None else []
        tasks += [copy_unsaved(template, case_id=case.pk) for template in templates[key]]
    for task, new_uuid in zip(tasks, random_uuids(len(tasks)), strict=True):
        task.uuid = new_uuid
    CaseTask.objects.bulk_insert(tasks)
    text = str(_("Case opened from a screening (paper forms)."))
    CaseEvent.objects.bulk_insert(CaseEvent(case=case, at=now, kind=CaseEvent.Kind.OPENED, text=text) for case in cases)
    RiskAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(status=RiskAlert.Status.CASE_OPENED)
    return len(cases)
