"""Campaigns from the psychologist's side: creation, consent, codes, dashboards, groups, alerts, API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from core.models import Consent, OrganisationKind
from core.roles import Role
from core.testing import ChildFactory, ConsentFactory, OrganisationFactory, UserFactory, assign, region_node
from screening import dashboards
from screening.models import Campaign, FollowUpGroup, Participant, RiskAlert
from screening.testing import instrument, make_campaign, make_participant

pytestmark = pytest.mark.django_db


def test_a_psychologist_creates_a_campaign_for_chosen_classes_with_consent_from_the_records(school: Any) -> None:
    ConsentFactory(child=school.children[0], granted=True)
    ConsentFactory(child=school.children[1], granted=False)
    client = school.client(school.psychologist)
    form = client.get(reverse("screening:campaign-create")).content.decode()
    assert "8А" in form and "8Б" in form
    r = client.post(
        reverse("screening:campaign-create"),
        {
            "title": "Spring",
            "organisation": school.school.pk,
            "instruments": [instrument("phq_a").pk, instrument("ucla3").pk],
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-14",
            "classes": [f"{school.school.pk}|8А"],
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    campaign = Campaign.objects.get(title="Spring")
    assert [v.code for v in campaign.ordered_instruments()] == ["phq_a", "ucla3"]
    states = dict(campaign.participants.values_list("child_id", "status"))
    assert len(states) == 6  # class 8А only
    assert states[school.children[0].pk] == "ready"
    assert states[school.children[1].pk] == "refused"
    assert list(states.values()).count("awaiting_consent") == 4
    p = campaign.participants.first()
    assert p.district_id == school.district.pk and p.school_id == school.school.pk


def test_campaigns_are_refused_for_clashing_or_empty_selections(school: Any) -> None:
    client = school.client(school.psychologist)
    base = {
        "title": "X",
        "organisation": school.school.pk,
        "starts_on": "2026-12-01",
        "ends_on": "2026-11-01",
        "instruments": [instrument("phq_a").pk],
    }
    page = client.post(reverse("screening:campaign-create"), base).content.decode()
    assert "cannot close before it opens" in page or "ашылғанға дейін" in page
    assert not Campaign.objects.filter(title="X").exists()


def test_grades_select_classes_across_the_schools_of_a_region(school: Any) -> None:
    from core import audit
    from screening import actions

    other = OrganisationFactory(parent=school.district)
    ChildFactory(organisation=other, class_name="8 В")
    ChildFactory(organisation=other, class_name="10А")
    cpp = UserFactory(username="cpp")
    assign(cpp, Role.CPP_SPECIALIST, region_node("KAZ004"), include_subtree=True)
    with audit.user_context(cpp):
        campaign = actions.create_campaign(
            cpp,
            title="Region",
            selection=actions.Selection(region_node("KAZ004"), grades=(8,)),
            instruments=[instrument("bullying")],
            starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2026, 12, 2),
        )
    assert campaign.participants.count() == 9  # 8 in the first school, "8 В" in the second; not 10А


def test_consent_register_records_decisions_as_consent_records(school: Any) -> None:
    campaign = make_campaign(school.school, ("ucla3",), status="draft")
    waiting = make_participant(campaign, school.children[0], status="awaiting_consent")
    refusing = make_participant(campaign, school.children[1], status="awaiting_consent")
    client = school.client(school.psychologist)
    url = reverse("screening:campaign-consent", args=[campaign.uuid])
    assert school.children[0].last_name in client.get(url).content.decode()
    r = client.post(
        url, {f"d-{waiting.uuid}": "granted", f"doc-{waiting.uuid}": "№12", f"d-{refusing.uuid}": "refused"}
    )
    assert r.status_code == 302
    waiting.refresh_from_db()
    refusing.refresh_from_db()
    assert (waiting.status, waiting.consent) == ("ready", "granted")
    assert (refusing.status, refusing.consent) == ("refused", "refused")
    consent = Consent.objects.get(child=school.children[0], purpose="screening")
    assert consent.granted and consent.document == "№12" and consent.recorded_by == school.psychologist
    # Codes are printed for the consenting student only.
    codes = client.get(reverse("screening:campaign-codes", args=[campaign.uuid])).content.decode()
    assert waiting.code[:4] in codes and refusing.code[:4] not in codes


def test_dashboard_counts_and_suppression(school: Any) -> None:
    campaign = school.campaign
    from core import audit

    with audit.system_context("test"):
        for p in school.participants[:6]:
            Participant.objects.filter(pk=p.pk).update(status="completed", risk_level="low")
        Participant.objects.filter(pk=school.participants[0].pk).update(risk_level="high")
        Participant.objects.filter(pk=school.participants[7].pk).update(status="refused", consent="refused")
    mine = dashboards.build(campaign, school.psychologist, school.school)
    assert mine.suppressed is False
    by_class = {r.label: r.cells for r in mine.rows}
    assert by_class["8А"]["risk_high"] == 1 and by_class["8А"]["risk_low"] == 5 and by_class["8А"]["completed"] == 6
    assert by_class["8Б"]["consent_refused"] == 1
    assert mine.total.completion == round(100 * 6 / 7, 1)
    # A regional case manager sees the district broken down by school, small cells hidden.
    manager = UserFactory(username="manager")
    assign(manager, Role.CASE_MANAGER, region_node("KAZ004"), include_subtree=True)
    theirs = dashboards.build(campaign, manager, school.district)
    cells = theirs.rows[0].cells
    assert theirs.suppressed and cells["risk_high"] is None
    # The one hidden risk cell would follow from the total: the next smallest shown one is hidden too.
    assert cells["risk_low"] is None
    assert cells["risk_none"] == 0 and cells["participants"] == 8 and cells["completed"] == 6
    region = dashboards.build(campaign, manager, region_node("KAZ004"))
    assert region.rows[0].label == school.district.name and region.rows[0].cells["consent_refused"] is None
    page = school.client(manager).get(
        reverse("screening:campaign-detail", args=[campaign.uuid]) + f"?at={school.district.uuid}"
    )
    assert page.status_code == 200 and "&lt;5" in page.content.decode()
    assert school.children[0].last_name not in page.content.decode()


def test_suppression_hides_a_second_cell_when_one_could_be_derived() -> None:
    out = dashboards.suppress(
        {
            "consent_granted": 20,
            "consent_refused": 3,
            "consent_unknown": 7,
            "risk_none": 0,
            "risk_low": 2,
            "risk_moderate": 0,
            "risk_high": 0,
            "risk_acute": 0,
            "participants": 30,
            "completed": 20,
        }
    )
    assert out["consent_refused"] is None and out["consent_unknown"] is None and out["consent_granted"] == 20
    assert out["risk_low"] is None and out["participants"] == 30


def test_risk_list_and_follow_up_group(school: Any) -> None:
    from core import audit

    with audit.system_context("test"):
        for p, level, flags in zip(
            school.participants[:3], ["moderate", "low", "none"], [["bullied"], ["lonely"], []], strict=True
        ):
            Participant.objects.filter(pk=p.pk).update(status="completed", risk_level=level, flags=flags)
    client = school.client(school.psychologist)
    page = client.get(reverse("screening:risk-list")).content.decode()
    first, second, third = (p.child.last_name for p in school.participants[:3])
    assert first in page and second in page and third not in page
    assert page.index(first) < page.index(second)  # moderate before low
    r = client.post(
        reverse("screening:group-create"),
        {"name": "Bullying group", "members": [str(school.participants[0].uuid), str(school.participants[1].uuid)]},
    )
    assert r.status_code == 302
    group = FollowUpGroup.objects.get(name="Bullying group")
    assert group.members.count() == 2 and group.school == school.school
    detail = client.get(r["Location"]).content.decode()
    assert first in detail
    client.post(r["Location"], {"remove": [str(school.participants[1].uuid)]})
    assert group.members.count() == 1


def test_alert_acknowledged_by_the_psychologist_not_the_director(school: Any) -> None:
    from core import audit

    p = school.participants[0]
    with audit.system_context("test"):
        alert = RiskAlert.objects.create(participant=p, level="high", fired=["phq_a.total.20-"])
    url = reverse("screening:alert-detail", args=[alert.uuid])
    director = school.client(school.director)
    assert director.get(url).status_code == 200
    assert director.post(url, {"note": "x"}).status_code == 404
    psy = school.client(school.psychologist)
    assert psy.post(url, {"note": "Talked with the student and parents"}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.handled_by == school.psychologist


def test_api_campaign_lifecycle(school: Any) -> None:
    from rest_framework.test import APIClient

    ChildFactory(organisation=school.school, class_name="9А")
    api = APIClient()
    api.force_authenticate(school.psychologist)
    r = api.post(
        "/api/v1/screening/campaigns/",
        {
            "title": "API campaign",
            "organisation": str(school.school.uuid),
            "instruments": [str(instrument("asq").uuid), str(instrument("gad7").uuid)],
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-10",
            "classes": [{"school": str(school.school.uuid), "class": "9А"}],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    uuid = r.json()["uuid"]
    assert [i["code"] for i in r.json()["instruments"]] == ["asq", "gad7"]
    participants = api.get("/api/v1/screening/participants/", {"campaign": uuid}).json()["results"]
    assert len(participants) == 1 and participants[0]["status"] == "awaiting_consent"
    pid = participants[0]["uuid"]
    r = api.post(f"/api/v1/screening/participants/{pid}/consent/", {"granted": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "ready"
    assert (
        api.post(f"/api/v1/screening/campaigns/{uuid}/status/", {"status": "open"}, format="json").json()["status"]
        == "open"
    )
    board = api.get(f"/api/v1/screening/campaigns/{uuid}/dashboard/").json()
    assert board["total"]["consent_granted"] == 1 and board["group_by"]
    # Another school's psychologist gets 404 on all of it.
    other = UserFactory(username="other-psy")
    assign(other, Role.PSYCHOLOGIST, OrganisationFactory(kind=OrganisationKind.SCHOOL, parent=region_node("KAZ015")))
    api.force_authenticate(other)
    assert api.get(f"/api/v1/screening/campaigns/{uuid}/").status_code == 404
    assert (
        api.post(f"/api/v1/screening/participants/{pid}/consent/", {"granted": False}, format="json").status_code == 404
    )
