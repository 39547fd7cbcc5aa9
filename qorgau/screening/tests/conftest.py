"""Fixtures of the screening tests: a school with a class, its staff and an open campaign."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from core.models import Child, Organisation, OrganisationKind, User
from core.roles import Role
from core.testing import ChildFactory, OrganisationFactory, UserFactory, assign, region_node
from screening.models import Campaign, Participant
from screening.testing import make_campaign, make_participant


@dataclass
class School:
    school: Organisation
    district: Organisation
    children: list[Child]
    psychologist: User
    director: User
    campaign: Campaign
    participants: list[Participant] = field(default_factory=list)

    def client(self, user: User) -> Any:
        from django.test import Client

        c = Client()
        c.force_login(user)
        return c


@pytest.fixture
def school(db: None) -> School:
    district = OrganisationFactory(kind=OrganisationKind.DISTRICT, parent=region_node("KAZ004"), name_ru="Алмалинский")
    org = OrganisationFactory(parent=district, name_ru="Школа №1", region_id=region_node("KAZ004").region_id)
    children = [ChildFactory(organisation=org, class_name="8А", language="ru") for _ in range(6)]
    children += [ChildFactory(organisation=org, class_name="8Б", language="kk") for _ in range(2)]
    psychologist = UserFactory(username="psy", email="psy@example.kz", preferred_language="ru")
    director = UserFactory(username="dir", email="dir@example.kz", preferred_language="kk")
    assign(psychologist, Role.PSYCHOLOGIST, org)
    assign(director, Role.DIRECTOR, org)
    campaign = make_campaign(org, ("asq", "phq_a", "gad7"))
    participants = [make_participant(campaign, c) for c in children]
    return School(org, district, children, psychologist, director, campaign, participants)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The code-guessing throttle counts in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
