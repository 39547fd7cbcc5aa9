"""Fixtures of the case tests: a school with staff, a regional case manager, a police unit, children."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from core.models import Child, Organisation, OrganisationKind, User
from core.roles import Role
from core.testing import ChildFactory, OrganisationFactory, UserFactory, assign, region_node


@dataclass
class World:
    school: Organisation
    other_school: Organisation
    police: Organisation
    child: Child
    sibling: Child
    psychologist: User
    director: User
    manager: User
    officer: User
    outsider: User

    def client(self, user: User) -> Any:
        from django.test import Client

        c = Client()
        c.force_login(user)
        return c

    def api(self, user: User) -> Any:
        from rest_framework.test import APIClient

        c = APIClient()
        c.force_authenticate(user)
        return c


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Error messages are checked in English (the default language is Kazakh)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> World:
    region = region_node("KAZ004")
    district = OrganisationFactory(kind=OrganisationKind.DISTRICT, parent=region)
    school = OrganisationFactory(parent=district)
    other = OrganisationFactory(parent=district)
    police = OrganisationFactory(kind=OrganisationKind.POLICE, parent=district, name_ru="ОП Алмалинского района")
    people = {}
    for name, role, org, subtree in [
        ("psy", Role.PSYCHOLOGIST, school, False),
        ("dir", Role.DIRECTOR, school, False),
        ("mgr", Role.CASE_MANAGER, region, True),
        ("cop", Role.POLICE, police, False),
        ("out", Role.PSYCHOLOGIST, other, False),
    ]:
        people[name] = UserFactory(username=name, email=f"{name}@example.kz")
        assign(people[name], role, org, subtree)
    return World(
        school=school,
        other_school=other,
        police=police,
        child=ChildFactory(organisation=school),
        sibling=ChildFactory(organisation=school),
        psychologist=people["psy"],
        director=people["dir"],
        manager=people["mgr"],
        officer=people["cop"],
        outsider=people["out"],
    )
