"""Reminders before and after the due date (each once), and the XLSX summary.

The Concept 2026-2030 (seed 004) is reported on by 1 April of the next year (004 L19). МЭПР (ecology)
executes two measures reported on for 2026: 4 (004 L1841) and 69 (004 L1963).
"""

from __future__ import annotations

import io
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from core import audit
from core.models import Notification
from plans.cycle import actions
from plans.cycle.testing import activate, agency_executor, almaty, import_seed, set_clock
from plans.models import Measure, Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(personas, monkeypatch) -> dict[str, Any]:
    plan = import_seed("004", personas["analyst"].user)
    set_clock(monkeypatch, almaty(2027, 3, 1))
    activate(plan)
    return {
        "plan": plan,
        "edu": agency_executor("executor_edu", "edu")[0],
        "eco": agency_executor("executor_eco", "ecology")[0],
    }


def _report(user: Any, plan: Any, number: str, text: str) -> None:
    with audit.user_context(user):
        report = actions.start_report(user, Measure.objects.get(plan=plan, number=number), "2026")
        report = actions.save_report(
            user, report, status="done", narrative_kk="", narrative_ru=text, spent_mln_kzt=None, version=report.version
        )
        actions.submit_report(user, report)


def _run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("plan_reminders", *args, "--json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _notes(user: Any, plan: Any, kind: str) -> Any:
    return Notification.objects.filter(recipient=user, kind=kind, link__contains=str(plan.uuid))


def test_reminders_go_once_and_only_to_agencies_with_reports_missing(concept) -> None:
    plan = concept["plan"]
    # МЭПР submits both of its 2026 reports; МП has many still to write.
    _report(concept["eco"], plan, "4", "МЭПР участвовало.")
    _report(concept["eco"], plan, "69", "Положение согласовано.")
    first = _run("--days", "7", "--today", "2027-03-27")
    sent = [(s["agency"], s["period"], s["kind"]) for s in first["sent"] if s["plan"] == str(plan.uuid)]
    assert sent == [("edu", "2026", "before:7")]
    assert _notes(concept["edu"], plan, "plan_report_reminder").count() == 1
    assert not _notes(concept["eco"], plan, "plan_report_reminder").exists()
    # Cron runs again the same day and the next: nothing more is sent.
    assert _run("--days", "7", "--today", "2027-03-27")["count"] == 0
    assert _run("--days", "7", "--today", "2027-03-28")["count"] == 0  # nothing, for any active plan
    assert _notes(concept["edu"], plan, "plan_report_reminder").count() == 1
    # Too early for a 7-day reminder of the next period; after the due date, one overdue reminder (urgent).
    overdue = _run("--days", "7", "--today", "2027-04-02")
    assert [(s["agency"], s["kind"]) for s in overdue["sent"] if s["plan"] == str(plan.uuid)] == [("edu", "overdue")]
    note = _notes(concept["edu"], plan, "plan_report_overdue").get()
    assert note.priority == Notification.Priority.URGENT and "01.04.2027" in note.subject
    assert _run("--days", "7", "--today", "2027-04-03")["count"] == 0
    assert Reminder.objects.filter(plan=plan).count() == 2


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(CommandError, match="not a date"):
        call_command("plan_reminders", "--today", "1 April", stdout=StringIO())
    with pytest.raises(CommandError, match="zero or more"):
        call_command("plan_reminders", "--days", "-1", stdout=StringIO())


def test_the_xlsx_summary_holds_the_table_the_rates_and_the_overdue_measures(concept, personas, monkeypatch) -> None:
    plan = concept["plan"]
    set_clock(monkeypatch, almaty(2027, 3, 20))
    _report(concept["eco"], plan, "4", "МЭПР участвовало.")
    set_clock(monkeypatch, almaty(2027, 4, 5))
    _report(concept["eco"], plan, "69", "Положение согласовано.")
    response = (
        personas["analyst"]
        .client()
        .get(reverse("plans:monitoring-xlsx", args=[plan.uuid]), {"period": "2026"}, HTTP_ACCEPT_LANGUAGE="ru")
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    summary, completeness, overdue = workbook.worksheets
    rows = {r[0]: r for r in summary.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["69"][5] == "МЭПР: Положение согласовано."  # a co-executor's text, under its abbreviation
    assert rows["69"][3] == "апрель 2027 года"  # 004 L1963
    agencies = {r[0]: r for r in completeness.iter_rows(min_row=2, values_only=True)}
    ecology = next(r for name, r in agencies.items() if "экологии" in str(name))
    assert ecology[2:8] == (2, 2, 1, 1, 0, 0)  # expected, received, on time, late, missing, voluntary
    numbers = {r[0] for r in overdue.iter_rows(min_row=2, values_only=True)}
    assert "4" in numbers  # August 2026, nobody of МП reported it completed (004 L1841)
    assert "69" not in numbers  # April 2027 has not ended on 5 April 2027
