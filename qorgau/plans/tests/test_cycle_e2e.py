"""Done means: a plan imported, reviewed, activated and reported on end to end in the UI and the API, with an
executor who reports late showing up as late.

The analyst uploads the Concept's text on the import page, corrects one measure on its review page, marks the
other measures with import warnings reviewed through the API, and activates the plan through the API.

The Concept 2026-2030 (seed 004) is reported on yearly by 1 April of the next year (004 L19). Its measure 4
(004 L1841: "Совершенствование показателей и методики расчета индекса благополучия детей", August 2026,
"МП, МВД, МЗ, …") is led by the Ministry of Enlightenment (МП); the Ministry of Health (МЗ) is a co-executor.
МП reports through the pages on 20 March 2027 (on time), МЗ through the API on 3 April 2027 (late).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from core.models import Notification
from core.seeds import seed_text
from plans.cycle.testing import PDF, agency_executor, almaty, set_clock
from plans.models import Measure, MeasureReport, Plan, ReportDocument

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _import_review_and_activate(analyst: Client) -> Plan:
    """The analyst's side: upload the text, review what the import could not read, activate."""
    upload = SimpleUploadedFile("004.txt", seed_text("004").encode(), content_type="text/plain")
    response = analyst.post(reverse("plans:plan-import"), {"document": upload})
    plan = Plan.objects.get(kind="concept-2026-2030")
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan-detail", args=[plan.uuid])
    assert plan.status == Plan.Status.DRAFT and plan.measures.count() == 158
    page = analyst.get(reverse("plans:plan-detail", args=[plan.uuid]), {"warnings": 1})
    assert page.status_code == 200 and page.context["problems"], "a draft with unreviewed warnings cannot be activated"
    refused = analyst.post(reverse("plan-activate", args=[plan.uuid]), {"version": plan.version})
    assert refused.status_code == 400
    # Measure 149's form-of-completion cell is missing in the document (004 L2116): the reviewer fills it in.
    m149 = Measure.objects.get(plan=plan, number="149")
    assert any("form of completion" in w for w in m149.warnings)
    form = analyst.get(reverse("plans:measure-review", args=[m149.uuid])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(completion_form="информация в МП", reviewed="on", version=m149.version)
    response = analyst.post(reverse("plans:measure-review", args=[m149.uuid]), data)
    assert response.status_code == 302
    m149.refresh_from_db()
    assert (m149.completion_form, m149.reviewed) == ("информация в МП", True)
    for measure in Measure.objects.filter(plan=plan, reviewed=False).exclude(warnings=[]):
        response = analyst.post(
            reverse("measure-correct", args=[measure.uuid]),
            {"version": measure.version, "reviewed": True},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    plan.refresh_from_db()
    response = analyst.post(
        reverse("plan-activate", args=[plan.uuid]), {"version": plan.version}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    return plan


def test_a_plan_is_reported_on_end_to_end_and_the_late_executor_shows_as_late(personas, monkeypatch) -> None:
    analyst = personas["analyst"]
    mp_user, mp_org = agency_executor("executor_mp", "edu")
    mz_user, _mz_org = agency_executor("executor_mz", "health")
    set_clock(monkeypatch, almaty(2026, 2, 2))
    plan = _import_review_and_activate(_client(analyst.user))
    # Activation tells the executors their first due date.
    opened = Notification.objects.get(recipient=mp_user, kind="plan_reporting_opened")
    assert "01.04.2027" in opened.body
    measure = Measure.objects.get(plan=plan, number="4")

    # --- МП, through the pages, on time --------------------------------------------------------------
    set_clock(monkeypatch, almaty(2027, 3, 20))
    mp = _client(mp_user)
    page = mp.get(reverse("plans:report-list"), {"plan": plan.uuid, "period": "2026"})
    assert page.status_code == 200
    assert page.context["rp"].due == date(2027, 4, 1)
    mine = {item.measure.number: item for item in page.context["items"]}
    assert mine["4"].lead and mine["4"].expected and mine["4"].report is None
    response = mp.post(
        reverse("plans:report-start"), {"measure": measure.uuid, "period": "2026", "organisation": mp_org.uuid}
    )
    report = MeasureReport.objects.get(measure=measure, agency__code="edu", period="2026")
    assert response.status_code == 302 and response["Location"] == reverse("plans:report-edit", args=[report.uuid])
    assert (report.due_date, report.organisation, report.state) == (date(2027, 4, 1), mp_org, "draft")
    response = mp.post(
        reverse("plans:report-edit", args=[report.uuid]),
        {
            "status": "done",
            "narrative_ru": "Методика расчета индекса благополучия детей обновлена.",
            "narrative_kk": "Балалардың саламаттығы индексін есептеу әдістемесі жаңартылды.",
            "spent_mln_kzt": "0",
            "version": report.version,
        },
    )
    assert response.status_code == 302
    response = mp.post(
        reverse("plans:report-document-add", args=[report.uuid]),
        {"file": SimpleUploadedFile("order.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302 and ReportDocument.objects.filter(report=report, name="order.pdf").exists()
    report.refresh_from_db()
    # The lead consolidates before МЗ reported: it is told who is still to report.
    response = mp.post(
        reverse("plans:report-consolidate", args=[report.uuid]),
        {"version": report.version},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Still to report" in response.content.decode() and "МЗ" in response.content.decode()
    report.refresh_from_db()
    response = mp.post(reverse("plans:report-submit", args=[report.uuid]), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted" and report.on_time and report.submitted_by == mp_user

    # --- МЗ, through the API, after the due date -----------------------------------------------------
    set_clock(monkeypatch, almaty(2027, 4, 3))
    mz = _client(mz_user)
    created = mz.post(
        "/api/v1/plans/reports/", {"measure": str(measure.uuid), "period": "2026"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["agency"], body["due_date"], body["state"]) == ("health", "2027-04-01", "draft")
    url = f"/api/v1/plans/reports/{body['uuid']}/"
    changed = mz.patch(
        url,
        {"status": "in_progress", "narrative_ru": "Предложения МЗ направлены в МП.", "version": body["version"]},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    uploaded = mz.post(url + "documents/add/", {"file": SimpleUploadedFile("letter.pdf", PDF)})
    assert uploaded.status_code == 201, uploaded.content
    submitted = mz.post(url + "submit/", {"version": changed.json()["version"]}, content_type="application/json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["on_time"] is False
    # The lead executor is told that its co-executor reported.
    assert Notification.objects.filter(recipient=mp_user, kind="plan_coexecutor_report").exists()

    # --- the Ministry sees completeness and timeliness -------------------------------------------------
    set_clock(monkeypatch, almaty(2027, 4, 5))
    ministry = analyst.client()
    page = ministry.get(reverse("plans:monitoring-plan", args=[plan.uuid]), {"period": "2026"})
    assert page.status_code == 200
    selected = page.context["selected"]
    rows = {r.agency.code: r for r in selected.rows}
    assert (rows["edu"].received, rows["edu"].on_time, rows["edu"].late) == (1, 1, 0)
    assert (rows["health"].received, rows["health"].on_time, rows["health"].late) == (1, 0, 1)
    assert rows["ecology"].expected == 2  # МЭПР: measures 4 (L1841) and 69 (L1963)
    assert (selected.total.received, selected.total.on_time) == (2, 1)
    assert [(r.measure.number, r.agency.code) for r in selected.late_reports] == [("4", "health")]
    html = page.content.decode()
    assert 'id="late"' in html and "03.04.2027" in html
    api = ministry.get(f"/api/v1/plans/monitoring/{plan.uuid}/", {"period": "2026"}).json()
    agencies = {a["agency"]: a for a in api["period"]["agencies"]}
    assert (agencies["health"]["received"], agencies["health"]["on_time"], agencies["health"]["late"]) == (1, 0, 1)
    assert (agencies["edu"]["on_time"], agencies["edu"]["on_time_rate"]) == (1, round(100 / rows["edu"].expected, 1))
    assert api["period"]["late"][0]["measure"] == "4" and api["period"]["late"][0]["agency"] == "health"
    overdue = {o["measure"] for o in api["overdue"]}
    # Measure 4 (August 2026) was reported completed by its lead; measure 1 (L1836, December 2026) was not.
    assert "4" not in overdue and "1" in overdue

    # --- the summary in the official layout: an English-speaking user gets the plan's language (Russian) --
    exported = ministry.get(
        reverse("plans:monitoring-docx", args=[plan.uuid]), {"period": "2026"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert exported.status_code == 200
    document = Document(io.BytesIO(exported.content))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    table = document.tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    row = next(r for r in table.rows if r.cells[0].text == "4")
    assert "Методика расчета индекса благополучия детей обновлена." in row.cells[5].text
    # МЗ reported after the lead's consolidation: its information follows under its abbreviation.
    assert "МЗ: Предложения МЗ направлены в МП." in row.cells[5].text
    assert row.cells[3].text == "Август 2026 года"
    # A Kazakh-speaking user gets the Kazakh texts (the Russian-only one marked with its language).
    kazakh = ministry.get(
        reverse("plans:monitoring-docx", args=[plan.uuid]), {"period": "2026"}, HTTP_ACCEPT_LANGUAGE="kk"
    )
    row = next(r for r in Document(io.BytesIO(kazakh.content)).tables[0].rows if r.cells[0].text == "4")
    assert "Балалардың саламаттығы индексін есептеу әдістемесі жаңартылды." in row.cells[5].text
    assert "МЗ: [ru] Предложения МЗ направлены в МП." in row.cells[5].text

    # The monitoring index shows the plan with the period being collected now (2027, due 1 April 2028).
    index = ministry.get(reverse("plans:monitoring"))
    current = {p.pk: m for p, m in index.context["rows"]}[plan.pk]
    assert (current.period.label, current.period.due) == ("2027", date(2028, 4, 1))


def test_the_menu_entries_lead_to_the_cycles_pages(personas) -> None:
    from core.context_processors import MENU
    from plans.cycle import register_menu

    register_menu()
    entries = {e.url_name: e.capability for e in MENU}
    assert entries["plans:report-list"] == "measurereport.add" and entries["plans:monitoring"] == "plan.monitor"
    home = personas["analyst"].client().get(reverse("home"))
    assert reverse("plans:monitoring") in home.content.decode()
    assert reverse("plans:report-list") not in home.content.decode()  # analysts do not write reports
