"""Test support of screening: factories and the endpoint-walk builders (imported by the root conftest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model

from core import audit
from core.testing import PUBLIC_URLS, WALK_QUERIES, Site, walk_builder
from screening.models import (
    Campaign,
    CampaignInstrument,
    FollowUpGroup,
    InstrumentVersion,
    Participant,
    Response,
    RiskAlert,
)

PUBLIC_URLS.update(
    {
        "screening:student-start",
        "screening:student-survey",
        "screening:student-answer",
        "screening:student-next",
        "screening:student-done",
    }
)
WALK_QUERIES["screening:risk-list"] = {"level": "high"}


def reset_caches() -> None:
    """Empty the per-process caches keyed by ids (see the root conftest)."""
    from screening import actions, engine

    engine._by_pk.cache_clear()
    actions._RESPONSES.clear()


def instrument(code: str) -> InstrumentVersion:
    """The shipped instrument stored by the data migration."""
    return InstrumentVersion.objects.filter(code=code).order_by("-created_at").first()  # type: ignore[return-value]


def make_campaign(school: Any, codes: tuple[str, ...] = ("asq", "phq_a"), status: str = "open", **kw: Any) -> Campaign:
    from screening.risk import default_rule

    today = dt.date.today()
    with audit.system_context("test fixture"):
        campaign = Campaign.objects.create(
            organisation=school,
            title=kw.pop("title", "Autumn screening"),
            starts_on=kw.pop("starts_on", today - dt.timedelta(days=1)),
            ends_on=kw.pop("ends_on", today + dt.timedelta(days=13)),
            status=status,
            risk_rule=default_rule().to_dict(),
            **kw,
        )
        for i, code in enumerate(codes):
            CampaignInstrument.objects.create(campaign=campaign, instrument=instrument(code), position=i)
    return campaign


def make_participant(campaign: Campaign, child: Any, status: str = "ready", **kw: Any) -> Participant:
    from screening.actions import territory_of

    consent = {"ready": "granted", "refused": "refused", "awaiting_consent": "unknown"}.get(status, "granted")
    district, region = territory_of(child.organisation)
    with audit.system_context("test fixture"):
        return Participant.objects.create(
            campaign=campaign,
            child=child,
            school=child.organisation,
            district_id=district,
            region_id=region,
            class_name=child.class_name,
            language=child.language,
            consent=kw.pop("consent", consent),
            status=status,
            **kw,
        )


@walk_builder(InstrumentVersion)
def _build_instrument(site: Site) -> Model:
    return instrument("phq_a")


@walk_builder(Campaign)
def _build_campaign(site: Site) -> Model:
    return make_campaign(site.school)


@walk_builder(Participant)
def _build_participant(site: Site) -> Model:
    from core.models import Child

    return make_participant(
        site.objects[Campaign],  # type: ignore[arg-type]
        site.objects[Child],
        status="completed",
        risk_level="high",
        risk_fired=["phq_a.flag.suicidal_ideation"],
        flags=["suicidal_ideation"],
    )


@walk_builder(Response)
def _build_response(site: Site) -> Model:
    with audit.system_context("test fixture"):
        return Response.objects.create(
            participant=site.objects[Participant],
            instrument=instrument("phq_a"),
            answers={f"phq{i}": 1 for i in range(1, 10)},
            total=9,
            band="mild",
            flags=["suicidal_ideation"],
            completed_at=dt.datetime.now(dt.UTC),
        )


@walk_builder(RiskAlert)
def _build_alert(site: Site) -> Model:
    with audit.system_context("test fixture"):
        return RiskAlert.objects.create(
            participant=site.objects[Participant], level="high", fired=["phq_a.flag.suicidal_ideation"]
        )


@walk_builder(FollowUpGroup)
def _build_group(site: Site) -> Model:
    participant = site.objects[Participant]
    with audit.system_context("test fixture"):
        group = FollowUpGroup.objects.create(school=site.school, name="Group", campaign=site.objects[Campaign])
        group.members.add(participant)
    return group
