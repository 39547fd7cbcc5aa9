"""The case engine: every shipped protocol from opening to closure, escalation exactly once, screening."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from cases import actions, engine, protocols
from cases.models import Case, CaseEvent, CaseTask, ProtocolVersion
from core import audit
from core.models import ConflictError, Notification
from core.testing import ChildFactory


def open_(world: Any, category: str, risk: str = "high", **kw: Any) -> Case:
    with audit.user_context(world.psychologist):
        return engine.open_case(
            world.psychologist,
            children=[world.child],
            category=category,
            risk_level=risk,
            source="staff",
            organisation=world.school,
            case_manager=world.psychologist,
            **kw,
        )


def complete_all(world: Any, case: Case, but: CaseTask | None = None) -> None:
    with audit.user_context(world.psychologist):
        for task in case.tasks.filter(status="open").order_by("position"):
            if but is not None and task.pk == but.pk:
                continue
            engine.complete_task(world.psychologist, task, "Done as the protocol says.")


def run_two_schedulers(now: dt.datetime) -> list[int]:
    """Two sweeps at the same time, each on its own database connection."""
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        try:
            barrier.wait()
            results.append(engine.escalate_overdue(now=now, batch=2))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


CATEGORY_OF = {code: p.categories[0] for code, p in protocols.load_protocols().items()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("code", sorted(CATEGORY_OF))
def test_each_protocol_from_opening_to_closure_with_one_step_escalated_once(world: Any, code: str) -> None:
    case = open_(world, CATEGORY_OF[code], risk="acute")
    assert (
        case.protocol_code == code
        and case.protocol.definition["version"] == case.protocol_version == case.protocol.version
    )
    tasks = list(case.tasks.order_by("position"))
    expected = protocols.get(code).steps_for(category=case.category, risk_level="acute")
    assert [t.step_code for t in tasks] == [s.code for s in expected]
    assert all(t.due_at > case.opened_at for t in tasks)
    late = tasks[min(1, len(tasks) - 1)]
    complete_all(world, case, but=late)
    # Time passes beyond the late step's deadline; two schedulers run at once, then one more time.
    later = late.due_at + dt.timedelta(minutes=1)
    concurrent = run_two_schedulers(later)
    assert sorted(concurrent) in ([0, 0], [0, 1])  # never twice
    # A sweep that lost the race to a lock leaves the step to the next sweep: escalated once in all.
    assert sum(concurrent) + engine.escalate_overdue(now=later + dt.timedelta(hours=1)) == 1
    assert engine.escalate_overdue(now=later + dt.timedelta(hours=2)) == 0
    late.refresh_from_db()
    case.refresh_from_db()
    assert late.escalated_at is not None and case.escalations == 1
    assert CaseEvent.objects.filter(case=case, kind="escalated").count() == 1
    assert Notification.objects.filter(kind="case_escalation").exists()
    # The late step is done after all; the case is closed with a supervisor's approval, then reopened.
    with audit.user_context(world.psychologist):
        engine.complete_task(world.psychologist, late, "Done late.")
        actions.request_closure(world.psychologist, case, "Safety plan in place; the child is supported.")
    with audit.user_context(world.director):
        actions.approve_closure(world.director, case)
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_approved_by == world.director
    with audit.user_context(world.psychologist):
        actions.reopen(world.psychologist, case, "A new incident.")
    case.refresh_from_db()
    assert case.status == "in_progress"
    kinds = list(case.events.order_by("id").values_list("kind", flat=True))
    assert kinds[0] == "opened" and "escalated" in kinds and "closed" in kinds and kinds[-1] == "reopened"


@pytest.mark.django_db
def test_closure_needs_all_steps_and_another_persons_approval(world: Any) -> None:
    case = open_(world, "bullying", risk="moderate")
    with audit.user_context(world.psychologist), pytest.raises(ValueError, match="still open"):
        actions.request_closure(world.psychologist, case, "Resolved")
    complete_all(world, case)
    case.refresh_from_db()
    with audit.user_context(world.psychologist):
        actions.request_closure(world.psychologist, case, "Resolved")
        with pytest.raises(Exception, match=r"supervisor|someone other"):
            actions.approve_closure(world.psychologist, case)


@pytest.mark.django_db
def test_a_step_needs_its_record_and_a_stale_edit_is_a_conflict(world: Any) -> None:
    case = open_(world, "bullying", risk="moderate")
    task = case.tasks.order_by("position").first()
    stale = task.version
    with audit.user_context(world.psychologist):
        with pytest.raises(engine.RecordMissing):
            engine.complete_task(world.psychologist, task, "  ")
        task.refresh_from_db()
        engine.complete_task(world.psychologist, task, "Talked to the child.", version=stale)
        again = CaseTask.objects.get(pk=task.pk)
        again.status = "open"
        with pytest.raises(ValueError):
            engine.complete_task(world.psychologist, task, "Twice")
    # Two people change the status from the same loaded version: the second is told, nothing is lost.
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    with audit.user_context(world.psychologist):
        actions.change_status(world.psychologist, first, "planning", version=first.version)
    with audit.user_context(world.director), pytest.raises(ConflictError):
        actions.change_status(world.director, second, "monitoring", version=second.version)
    assert Case.objects.get(pk=case.pk).status == "planning"


@pytest.mark.django_db
def test_acute_screening_opens_a_suicidal_intent_case_due_within_the_hour(world: Any) -> None:
    from screening.actions import complete_online, finish_response, save_answer, start_with_code
    from screening.testing import make_campaign, make_participant

    campaign = make_campaign(world.school, ("asq",))
    participant = make_participant(campaign, world.child)
    participant = start_with_code(participant.code)
    response = participant.responses.get()
    for item, value in {"asq1": "1", "asq2": "0", "asq3": "0", "asq4": "0", "asq5": "1"}.items():
        save_answer(participant.pk, response.pk, item, value)
    finish_response(response)
    complete_online(participant)
    case = Case.objects.get(children=world.child)
    assert (case.category, case.risk_level, case.source, case.protocol_code) == (
        "suicide_risk",
        "acute",
        "screening",
        "suicidal_intent",
    )
    first = case.tasks.order_by("due_at").first()
    assert first.due_at - case.opened_at <= dt.timedelta(hours=1)
    notified = set(Notification.objects.filter(kind="risk_identified").values_list("recipient__username", flat=True))
    assert notified == {"psy", "dir"}
    assert case.screening_alert.status == "case_opened"
    assert Notification.objects.filter(kind="case_task", recipient=world.psychologist).exists()


@pytest.mark.django_db
def test_escalation_command_is_safe_to_repeat(world: Any) -> None:
    from django.core.management import call_command

    case = open_(world, "cyberbullying", risk="high")
    with audit.system_context("test"):
        CaseTask.objects.filter(case=case).update(due_at=timezone.now() - dt.timedelta(hours=1))
    call_command("escalate_overdue")
    n = case.tasks.count()
    assert Case.objects.get(pk=case.pk).escalations == n
    call_command("escalate_overdue")
    assert Case.objects.get(pk=case.pk).escalations == n
    entry = CaseEvent.objects.get(case=case, kind="escalated")  # one timeline entry per case per sweep
    assert len(entry.data["tasks"]) == n == len(entry.data["steps"])


@pytest.mark.django_db
def test_a_paper_import_opens_the_cases_of_its_acute_and_high_rows_in_bulk(world: Any) -> None:
    import csv
    import io

    from screening import paper
    from screening.testing import make_campaign, make_participant

    campaign = make_campaign(world.school, ("asq", "phq_a"))
    make_participant(campaign, world.child)
    make_participant(campaign, world.sibling)
    classmate = ChildFactory(organisation=world.school)
    make_participant(campaign, classmate)
    with audit.user_context(world.psychologist):
        rows = list(csv.reader(io.StringIO(paper.template_csv(campaign, world.psychologist).decode("utf-8-sig"))))
    header = rows[0]
    lines = [header]
    answers_by_row = [{"asq3": "1", "asq5": "1"}, {"phq9": "2"}, {"asq2": "1", "asq5": "1"}]
    for row, answers in zip(rows[1:], answers_by_row, strict=True):
        values = {f"asq{i}": "0" for i in range(1, 5)} | {f"phq{i}": "0" for i in range(1, 10)} | answers
        lines.append(row[:3] + [values.get(h, "") for h in header[3:]])
    data = io.StringIO()
    csv.writer(data).writerows(lines)
    with audit.user_context(world.psychologist):
        result = paper.import_paper(world.psychologist, campaign, io.BytesIO(data.getvalue().encode()), "f.csv")
    assert result.ok and result.alerts == 3
    cases = list(Case.objects.filter(source="screening").order_by("risk_level", "pk"))
    assert [(c.category, c.risk_level) for c in cases] == [("suicide_risk", "acute")] * 2 + [("suicide_risk", "high")]
    acute, other = cases[0], cases[1]
    # Two cases of one school and level share their steps, each with its own rows.
    steps = list(acute.tasks.order_by("position").values_list("step_code", "due_at", "assignee"))
    assert steps and steps == list(other.tasks.order_by("position").values_list("step_code", "due_at", "assignee"))
    assert not set(acute.tasks.values_list("uuid", flat=True)) & set(other.tasks.values_list("uuid", flat=True))
    assert acute.tasks.order_by("due_at").first().due_at - acute.opened_at <= dt.timedelta(hours=1)
    assert acute.case_manager == world.psychologist
    # The protocol is stored once, not copied into each case.
    assert {c.protocol_id for c in cases} == {ProtocolVersion.objects.get(code=acute.protocol_code).pk}
    assert [c.number for c in cases] == [
        f"{c.organisation.path[6:12]}-{c.opened_at:%Y}-{c.pk:07d}".upper() for c in cases
    ]
    assert [list(c.case_children.values_list("child", flat=True)) for c in cases] == [
        [c.screening_alert.participant.child_id] for c in cases
    ]
    assert {c.screening_alert.participant.child_id for c in cases} == {world.child.pk, world.sibling.pk, classmate.pk}
    assert acute.events.filter(kind="opened").count() == 1
    assert {a.status for a in acute.screening_alert.__class__.objects.all()} == {"case_opened"}


@pytest.mark.django_db
def test_a_protocol_is_stored_once_per_exact_definition(world: Any) -> None:
    protocol = protocols.protocol_for("bullying")
    definition = protocol.to_json()
    with audit.system_context("test"):
        first = ProtocolVersion.stored(definition)
        assert ProtocolVersion.stored(protocol.to_json()) == first
        changed = definition | {"title": {**definition["title"], "en": "Bullying (edited, same version label)"}}
        second = ProtocolVersion.stored(changed)
    assert second != first and second.version == first.version == protocol.version
    assert ProtocolVersion.objects.count() == 2
