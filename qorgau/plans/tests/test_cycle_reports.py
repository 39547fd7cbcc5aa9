"""Executors' reports: who may start, edit, submit and consolidate them, who sees them, and when they are late.

Measure 4 of the Concept 2026-2030 (004 L1841: August 2026; "МП, МВД, МЗ, МПС, МКИ, МНВО, МНЭ, МТИ, МТ, МФ,
МТСЗН, МИИЦР, МЭПР, МЧС, МИО") is led by МП (edu); МЗ (health) and МВД (mvd) are co-executors.
Measure 1 (004 L1836) names УПР "по согласованию". Measure 17 (004 L1861) is executed by МИО alone.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import audit
from core.models import ConflictError, OrganisationKind
from core.roles import Role
from core.testing import OrganisationFactory, UserFactory, assign, region_node
from core.uploads import UploadRefused
from plans.cycle import actions, services
from plans.cycle.testing import PDF, activate, agency_executor, almaty, import_seed, set_clock
from plans.models import Measure, MeasureReport, Plan, ReportDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(personas, monkeypatch) -> dict[str, Any]:
    plan = import_seed("004", personas["analyst"].user)
    set_clock(monkeypatch, almaty(2027, 3, 1))
    activate(plan)
    people = {
        code: agency_executor(f"executor_{code}", code) for code in ("edu", "health", "mvd", "children_ombudsman")
    }
    return {"plan": plan, "m4": Measure.objects.get(plan=plan, number="4"), "people": people}


def _user(world: dict[str, Any], code: str) -> Any:
    return world["people"][code][0]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _filled(world: dict[str, Any], code: str, text: str, status: str = "done") -> MeasureReport:
    user = _user(world, code)
    with audit.user_context(user):
        report = actions.start_report(user, world["m4"], "2026")
        return actions.save_report(
            user, report, status=status, narrative_kk="", narrative_ru=text, spent_mln_kzt=None, version=report.version
        )


def _submit(world: dict[str, Any], code: str, text: str) -> MeasureReport:
    report = _filled(world, code, text)
    with audit.user_context(_user(world, code)):
        return actions.submit_report(_user(world, code), report)


def test_only_executors_of_an_active_plan_start_reports(concept, personas) -> None:
    edu = _user(concept, "edu")
    plan = concept["plan"]
    with translation.override("en"), audit.user_context(edu):
        # Measure 17 is executed by МИО alone (004 L1861).
        with pytest.raises(PermissionDenied, match="not an executor"):
            actions.start_report(edu, Measure.objects.get(plan=plan, number="17"), "2026")
        with pytest.raises(ValueError, match="not a reporting period"):
            actions.start_report(edu, concept["m4"], "2025")
        with pytest.raises(PermissionDenied):
            actions.start_report(personas["analyst"].user, concept["m4"], "2026")
        first = actions.start_report(edu, concept["m4"], "2026")
        assert actions.start_report(edu, concept["m4"], "2026") == first  # started once
        with audit.system_context("test"):
            Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ARCHIVED)
        with pytest.raises(ValueError, match="active plans only"):
            actions.start_report(edu, Measure.objects.get(plan=plan, number="1"), "2026")
    assert MeasureReport.objects.filter(measure__plan=plan).count() == 1


def test_a_stale_edit_is_a_conflict_on_the_page_and_in_the_api(concept) -> None:
    report = _filled(concept, "edu", "Первая версия.")
    stale = report.version
    edu = _user(concept, "edu")
    with audit.user_context(edu):
        actions.save_report(
            edu,
            report,
            status="done",
            narrative_kk="",
            narrative_ru="Вторая версия.",
            spent_mln_kzt=None,
            version=stale,
        )
        with pytest.raises(ConflictError):
            actions.save_report(
                edu, report, status="done", narrative_kk="", narrative_ru="Старая.", spent_mln_kzt=None, version=stale
            )
    page = _client(edu).post(
        reverse("plans:report-edit", args=[report.uuid]),
        {"status": "not_done", "narrative_ru": "Моя правка.", "narrative_kk": "", "version": stale},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = page.content.decode()
    assert page.status_code == 200 and "The current saved version" in html and "Вторая версия." in html
    api = _client(edu).patch(
        f"/api/v1/plans/reports/{report.uuid}/",
        {"narrative_ru": "Из API.", "version": stale},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert MeasureReport.objects.get(pk=report.pk).narrative_ru == "Вторая версия."


def test_a_report_needs_a_status_and_information_and_is_final_once_submitted(concept) -> None:
    edu = _user(concept, "edu")
    with translation.override("en"), audit.user_context(edu):
        report = actions.start_report(edu, concept["m4"], "2026")
        with pytest.raises(ValueError, match="how far the measure is implemented"):
            actions.submit_report(edu, report)
        report = actions.save_report(
            edu, report, status="done", narrative_kk="", narrative_ru="", spent_mln_kzt=None, version=report.version
        )
        with pytest.raises(ValueError, match="implementation information"):
            actions.submit_report(edu, report)
    report = _filled(concept, "edu", "Сделано.")
    with translation.override("en"), audit.user_context(edu):
        actions.submit_report(edu, report)
        with pytest.raises(ValueError, match="can no longer be changed"):
            actions.save_report(edu, report, status="not_done", narrative_kk="", narrative_ru="x", spent_mln_kzt=None)
        with pytest.raises(ValueError, match="can no longer be changed"):
            actions.add_document(edu, report, io.BytesIO(PDF), "late.pdf")


def test_on_time_is_judged_on_the_due_day_in_the_countrys_time_zone(concept, monkeypatch) -> None:
    # Due 1 April 2027 (004 L19). 23:30 in Almaty on 1 April is on time; 03:00 on 2 April is late, although
    # it is still 1 April in UTC.
    set_clock(monkeypatch, almaty(2027, 4, 1, 23, 30))
    edu = _submit(concept, "edu", "Сделано.")
    set_clock(monkeypatch, almaty(2027, 4, 2, 3, 0))
    health = _submit(concept, "health", "Сделано.")
    assert health.submitted_at.utctimetuple()[:3] == (2027, 4, 1)
    assert edu.on_time and not health.on_time
    plan = concept["plan"]
    result = services.monitoring(plan, services.reporting_cycle(plan).get("2026"), day=almaty(2027, 4, 5).date())
    rows = {r.agency.code: r for r in result.rows}
    assert (rows["edu"].on_time, rows["health"].on_time, rows["health"].late) == (1, 0, 1)


def test_the_lead_takes_in_each_co_executors_information_once(concept) -> None:
    _submit(concept, "health", "Минздрав подготовил предложения.")
    lead = _filled(concept, "edu", "Методика обновлена.")
    edu = _user(concept, "edu")
    with translation.override("en"), audit.user_context(edu):
        lead, missing = actions.consolidate_report(edu, lead, version=lead.version)
        # МВД and the other co-executors of 004 L1841 have not reported; МЗ has.
        assert "МВД" in missing and "МЗ" not in missing
        lead, _missing = actions.consolidate_report(edu, lead, version=lead.version)
    assert lead.narrative_ru == "Методика обновлена.\n\nМЗ: Минздрав подготовил предложения."
    assert lead.consolidated and len(lead.consolidated_from) == 1
    mvd = _filled(concept, "mvd", "МВД участвовало.")
    mvd_user = _user(concept, "mvd")
    with translation.override("en"), audit.user_context(mvd_user), pytest.raises(PermissionDenied, match="lead"):
        actions.consolidate_report(mvd_user, mvd)


def test_the_lead_reads_its_co_executors_reports_and_nobody_else_does(concept) -> None:
    health_report = _submit(concept, "health", "Минздрав.")
    edu_report = _filled(concept, "edu", "МП.")
    detail = reverse("plans:report-detail", args=[health_report.uuid])
    assert _client(_user(concept, "edu")).get(detail).status_code == 200  # the lead executor
    assert (
        _client(_user(concept, "edu")).get(reverse("plans:report-edit", args=[health_report.uuid])).status_code == 404
    )
    assert _client(_user(concept, "mvd")).get(detail).status_code == 404  # another co-executor
    assert (
        _client(_user(concept, "health")).get(reverse("plans:report-detail", args=[edu_report.uuid])).status_code == 404
    )
    # A police officer at an organisation of the lead agency is no plan executor: the lead's grant is not theirs.
    police_unit = OrganisationFactory(
        kind=OrganisationKind.POLICE, parent=region_node("KAZ004"), agency=concept["people"]["edu"][1].agency
    )
    officer = UserFactory(username="officer")
    assign(officer, Role.POLICE, police_unit)
    assert not MeasureReport.objects.restrict(officer, "view").exists()
    api = _client(_user(concept, "edu")).get("/api/v1/plans/reports/", {"plan": concept["plan"].uuid}).json()
    assert {r["agency"] for r in api["results"]} == {"edu", "health"}


def test_documents_follow_the_upload_rules_and_the_reports_scope(concept) -> None:
    report = _filled(concept, "health", "Минздрав.")
    health = _user(concept, "health")
    with translation.override("en"), audit.user_context(health):
        with pytest.raises(UploadRefused, match="cannot be attached"):
            actions.add_document(health, report, io.BytesIO(b"MZ\x90"), "tool.exe")
        with pytest.raises(UploadRefused, match="does not match its type"):
            actions.add_document(health, report, io.BytesIO(b"not a pdf"), "fake.pdf")
    assert not ReportDocument.objects.filter(report=report).exists()
    response = _client(health).post(
        reverse("plans:report-document-add", args=[report.uuid]),
        {"file": SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    document = ReportDocument.objects.get(report=report)
    assert document.size == len(PDF) and "attachments" in document.file.path
    url = reverse("plans:report-document", args=[document.uuid])
    download = _client(health).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert _client(_user(concept, "mvd")).get(url).status_code == 404
    # An executor outside the report's organisation cannot attach either.
    response = _client(_user(concept, "mvd")).post(
        reverse("plans:report-document-add", args=[report.uuid]), {"file": SimpleUploadedFile("x.pdf", PDF)}
    )
    assert response.status_code == 404 and ReportDocument.objects.filter(report=report).count() == 1


def test_a_by_agreement_executor_reports_voluntarily(concept) -> None:
    # 004 L1836: "УПР (по согласованию)" on measure 1: not expected, but its report is received.
    ombudsman = _user(concept, "children_ombudsman")
    measure = Measure.objects.get(plan=concept["plan"], number="1")
    with audit.user_context(ombudsman):
        report = actions.start_report(ombudsman, measure, "2026")
        report = actions.save_report(
            ombudsman, report, status="in_progress", narrative_kk="", narrative_ru="УПР.", spent_mln_kzt=None
        )
        actions.submit_report(ombudsman, report)
    plan = concept["plan"]
    result = services.monitoring(plan, services.reporting_cycle(plan).get("2026"))
    row = next(r for r in result.rows if r.agency.code == "children_ombudsman")
    assert (row.expected, row.received, row.voluntary) == (0, 0, 1)
    assert result.total.voluntary == 1


def test_report_list_and_pages_answer_in_the_users_scope(concept) -> None:
    health_report = _submit(concept, "health", "Минздрав.")
    page = _client(_user(concept, "health")).get(
        reverse("plans:report-list"), {"plan": concept["plan"].uuid, "period": "2026"}
    )
    assert page.status_code == 200 and page.context["organisation"].agency.code == "health"
    items = {i.measure.number: i for i in page.context["items"]}
    assert items["4"].report == health_report and not items["4"].lead
    assert (
        _client(_user(concept, "health")).get(reverse("plans:report-detail", args=[health_report.uuid])).status_code
        == 200
    )
