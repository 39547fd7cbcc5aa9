"""Who sees a case: the owner, supervisors, a referred organisation (that case only); nobody else."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cases import actions, engine
from cases.models import Attachment, Case, CaseNote, Referral
from core import audit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% test\n"


def open_(world: Any, category: str = "violence_physical", child: Any = None) -> Case:
    with audit.user_context(world.psychologist):
        return engine.open_case(
            world.psychologist,
            children=[child or world.child],
            category=category,
            risk_level="high",
            source="staff",
            organisation=world.school,
        )


def test_a_referred_police_unit_sees_that_case_and_nothing_else(world: Any) -> None:
    case = open_(world)
    other = open_(world, "bullying", child=world.sibling)
    police = world.client(world.officer)
    assert police.get(reverse("cases:case-detail", args=[case.uuid])).status_code == 404
    with audit.user_context(world.psychologist):
        referral = actions.refer(
            world.psychologist,
            case,
            to=world.police,
            kind="referral",
            reason="Report of physical violence (mandatory report)",
        )
    # The sender cannot accept its own referral.
    with (
        translation.override("en"),
        audit.user_context(world.psychologist),
        pytest.raises(Exception, match="receiving"),
    ):
        actions.decide_referral(world.psychologist, referral, accept=True)
    listed = police.get(reverse("cases:referral-list")).content.decode()
    assert "Report of physical violence" in listed
    r = police.post(reverse("cases:referral-decide", args=[referral.uuid]), {"decision": "accept"})
    assert r.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    page = police.get(reverse("cases:case-detail", args=[case.uuid]))
    assert page.status_code == 200 and world.child.last_name in page.content.decode()
    assert police.get(reverse("cases:case-detail", args=[other.uuid])).status_code == 404
    api = world.api(world.officer)
    assert [c["uuid"] for c in api.get("/api/v1/cases/cases/").json()["results"]] == [str(case.uuid)]
    # The police officer completes the police step of the case.
    task = case.tasks.filter(responsible_role="police").first() or case.tasks.first()
    r = police.post(
        reverse("cases:task-complete", args=[task.uuid]), {"record": "Report registered №12", "version": task.version}
    )
    assert r.status_code == 302
    assert case.tasks.get(pk=task.pk).status == "done"


def test_referral_without_consent_is_refused_unless_the_law_requires_the_report(world: Any) -> None:
    case = open_(world, "bullying")
    with audit.user_context(world.psychologist), pytest.raises(ValueError, match="consent"):
        actions.refer(world.psychologist, case, to=world.other_school, kind="transfer", reason="Moved")
    from core.testing import ConsentFactory

    ConsentFactory(child=world.child, purpose="referral", granted=True)
    with audit.user_context(world.psychologist):
        referral = actions.refer(world.psychologist, case, to=world.other_school, kind="transfer", reason="Moved")
    assert referral.consent is not None
    with audit.user_context(world.outsider):
        actions.decide_referral(world.outsider, referral, accept=True)
    assert Case.objects.get(pk=case.pk).organisation == world.other_school  # a transfer moves the owner


def test_outsider_gets_404_on_the_case_and_everything_in_it(world: Any) -> None:
    case = open_(world)
    with audit.user_context(world.psychologist):
        actions.add_note(world.psychologist, case, "Private", confidential=True)
        actions.add_attachment(world.psychologist, case, io.BytesIO(PDF), "act.pdf")
    task = case.tasks.first()
    attachment = Attachment.objects.get(case=case)
    web, api = world.client(world.outsider), world.api(world.outsider)
    for url in [
        reverse("cases:case-detail", args=[case.uuid]),
        reverse("cases:attachment-download", args=[attachment.uuid]),
    ]:
        assert web.get(url).status_code == 404
    for url in [
        f"/api/v1/cases/cases/{case.uuid}/",
        f"/api/v1/cases/cases/{case.uuid}/notes/",
        f"/api/v1/cases/tasks/{task.uuid}/",
        f"/api/v1/cases/documents/{attachment.uuid}/download/",
    ]:
        assert api.get(url).status_code == 404, url
    r = web.post(reverse("cases:task-complete", args=[task.uuid]), {"record": "x"})
    assert r.status_code == 404 and case.tasks.get(pk=task.pk).status == "open"


def test_confidential_notes_are_for_psychologists_and_case_managers(world: Any) -> None:
    case = open_(world)
    with audit.user_context(world.psychologist):
        actions.add_note(world.psychologist, case, "Open note")
        actions.add_note(world.psychologist, case, "What the child told in confidence", confidential=True)
    for user, sees in [(world.psychologist, True), (world.manager, True), (world.director, False)]:
        texts = set(CaseNote.objects.restrict(user, "view").filter(case=case).values_list("text", flat=True))
        assert ("What the child told in confidence" in texts) is sees, user.username
        assert "Open note" in texts
        page = world.client(user).get(reverse("cases:case-detail", args=[case.uuid])).content.decode()
        assert ("What the child told in confidence" in page) is sees
    with translation.override("en"), audit.user_context(world.director), pytest.raises(Exception, match="confidential"):
        actions.add_note(world.director, case, "x", confidential=True)


def test_attachments_are_checked_stored_outside_the_database_and_served_through_scope(world: Any) -> None:
    case = open_(world)
    client = world.client(world.psychologist)
    url = reverse("cases:case-attachment", args=[case.uuid])
    client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ...")})
    client.post(url, {"file": SimpleUploadedFile("fake.pdf", b"not a pdf")})
    client.post(url, {"file": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))})
    assert not Attachment.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("act.pdf", PDF), "description": "Medical act"})
    attachment = Attachment.objects.get()
    assert attachment.size == len(PDF) and attachment.file.path.endswith(".pdf")
    assert "attachments" in attachment.file.path
    response = client.get(reverse("cases:attachment-download", args=[attachment.uuid]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")


def test_api_conflict_is_409_and_nothing_is_lost(world: Any) -> None:
    case = open_(world)
    api = world.api(world.psychologist)
    url = f"/api/v1/cases/cases/{case.uuid}/status/"
    assert api.post(url, {"status": "planning", "version": case.version}, format="json").status_code == 200
    r = world.api(world.director).post(url, {"status": "monitoring", "version": case.version}, format="json")
    assert r.status_code == 409
    assert Case.objects.get(pk=case.pk).status == "planning"


def test_urgent_notifications_also_go_through_the_configured_channels(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from core.channels import FakeChannel

    settings.QORGAU_CHANNELS = ["fake"]
    FakeChannel.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        open_(world, "suicide_risk")  # the first step is due within the hour: urgent
    assert FakeChannel.sent and all(name in {"psy", "dir", "mgr"} for name, _ in FakeChannel.sent)
    assert any("Case" in text or "Кейс" in text or "кейс" in text for _, text in FakeChannel.sent)


def test_a_steps_texts_come_from_the_cases_protocol_in_a_fixed_number_of_queries(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.html import escape

    from cases import protocols

    api = world.api(world.psychologist)
    first = open_(world, "violence_physical")
    step = protocols.protocol_for("violence_physical").steps_for(category="violence_physical", risk_level="high")[0]
    rows = api.get(f"/api/v1/cases/cases/{first.uuid}/tasks/").json()
    assert rows[0]["step_code"] == step.code
    assert rows[0]["description"] == dict(step.description) and rows[0]["record_title"] == dict(step.record.title)
    with CaptureQueriesContext(connection) as one_case:
        assert api.get("/api/v1/cases/tasks/").status_code == 200
    for category in ("bullying", "suicide_risk", "violence_physical"):
        open_(world, category)
    with CaptureQueriesContext(connection) as four_cases:
        listed = api.get("/api/v1/cases/tasks/").json()["results"]
    assert len(listed) > len(rows) and all(t["description"] for t in listed)
    assert len(four_cases) <= len(one_case) + 2  # not one query per task or per case
    page = world.client(world.psychologist).get(reverse("cases:case-detail", kwargs={"uuid": first.uuid}))
    shown = page.content.decode()
    assert escape(dict(step.description)["kk"]) in shown and escape(dict(step.record.title)["kk"]) in shown


def test_words_that_mean_different_things_are_translated_in_their_context() -> None:
    from cases.forms import ReferralForm
    from core.forms import AuditFilterForm
    from screening.models import Campaign

    with translation.override("ru"):
        assert str(ReferralForm.base_fields["to"].label) == "Кому"  # the organisation a case is referred to
        assert str(Case.Status.OPEN.label) == "открыто" and str(Campaign.Status.OPEN.label) == "открыта"
        assert str(AuditFilterForm.base_fields["date_to"].label) == "По"  # the end of a date range
