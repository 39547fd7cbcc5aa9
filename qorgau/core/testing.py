"""Test support shared by every module: factories, personas and the endpoint-walk registry.

Factories write inside a system audit context (fixtures are a system action); the code under test
gets no context unless the test opens one, so the fail-closed audit gate is exercised for real.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import factory
from django.db.models import Model

from core import audit
from core.iin import make_iin
from core.models import (
    Child,
    Consent,
    District,
    LegalRepresentative,
    Notification,
    Organisation,
    OrganisationKind,
    Region,
    RoleAssignment,
    User,
)

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test fixture)
_serials = itertools.count(1)


class AuditedFactory(factory.django.DjangoModelFactory):
    """Saves inside a system audit context."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type[Model], *args: Any, **kwargs: Any) -> Model:
        with audit.system_context("test fixture"):
            return super()._create(model_class, *args, **kwargs)  # type: ignore[no-any-return]


def region_node(pcode: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.REGION, region__pcode=pcode)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("region", "name_ru")

    region = factory.LazyFunction(lambda: Region.objects.get(pcode="KAZ004"))
    name_kk = factory.Sequence(lambda n: f"{n}-аудан")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class OrganisationFactory(AuditedFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SCHOOL
    parent = factory.LazyFunction(lambda: region_node("KAZ004"))
    name_kk = factory.Sequence(lambda n: f"№{n} мектеп")
    name_ru = factory.Sequence(lambda n: f"Школа №{n}")
    name_en = factory.Sequence(lambda n: f"School No. {n}")


def _iin_for(birth_date: dt.date, sex: str) -> str:
    while True:
        iin = make_iin(birth_date, sex, next(_serials) % 10000)
        if iin and not Child.objects.filter(iin=iin).exists():
            return iin


class ChildFactory(AuditedFactory):
    class Meta:
        model = Child

    # Unique, so that a test can tell whose name leaked into a page.
    last_name = factory.Sequence(lambda n: f"Ахметов{n:05d}")
    first_name = factory.Sequence(lambda n: f"Әлихан{n:05d}")
    middle_name = "Серікұлы"
    birth_date = factory.Sequence(lambda n: dt.date(2011, 1, 1) + dt.timedelta(days=n * 37 % 2000))
    sex = "M"
    organisation = factory.SubFactory(OrganisationFactory)
    class_name = "7А"
    iin = factory.LazyAttribute(lambda o: _iin_for(o.birth_date, o.sex))


class LegalRepresentativeFactory(AuditedFactory):
    class Meta:
        model = LegalRepresentative

    child = factory.SubFactory(ChildFactory)
    full_name = factory.Sequence(lambda n: f"Гүлнар Ахметова{n:05d}")
    relation = LegalRepresentative.Relation.MOTHER
    phone = "+7 701 000 00 00"


class ConsentFactory(AuditedFactory):
    class Meta:
        model = Consent

    child = factory.SubFactory(ChildFactory)
    purpose = Consent.Purpose.SCREENING
    granted = True
    given_on = dt.date(2026, 9, 1)


_HASH: list[str] = []


def _hashed_password() -> str:
    """Hash the test password once: Argon2 is deliberately slow."""
    if not _HASH:
        from django.contrib.auth.hashers import make_password

        _HASH.append(make_password(TEST_PASSWORD))
    return _HASH[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    password = factory.LazyFunction(lambda: _hashed_password())


def assign(user: User, role: str, organisation: Organisation, include_subtree: bool = False) -> RoleAssignment:
    with audit.system_context("test fixture"):
        return RoleAssignment.objects.create(
            user=user, role=role, organisation=organisation, include_subtree=include_subtree
        )


# --- The endpoint walk ----------------------------------------------------------------------------------


@dataclass
class Site:
    """One school with its region, its children and representatives: the objects a walk addresses."""

    region_pcode: str
    school: Organisation
    objects: dict[type[Model], Model] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)  # strings that identify children of this site


# How to build one object of a model inside a site. Modules register their models here (from their
# tests' conftest) so that the walk test covers their pages and endpoints without being edited.
WALK_BUILDERS: dict[type[Model], Callable[[Site], Model]] = {}


def walk_builder(model: type[Model]) -> Callable[[Callable[[Site], Model]], Callable[[Site], Model]]:
    def register(fn: Callable[[Site], Model]) -> Callable[[Site], Model]:
        WALK_BUILDERS[model] = fn
        return fn

    return register


# URL names anyone may open signed out (e.g. the student's questionnaire, opened with a one-time code).
PUBLIC_URLS: set[str] = set()

# Query parameters an endpoint needs to answer 200 (by URL name); modules add theirs.
WALK_QUERIES: dict[str, dict[str, str]] = {
    "region-resolve": {"q": "ШҚО"},
    "agency-resolve": {"q": "Еңбекмині"},
}


@walk_builder(Organisation)
def _build_organisation(site: Site) -> Model:
    return site.school


@walk_builder(Child)
def _build_child(site: Site) -> Model:
    child = ChildFactory(organisation=site.school)
    site.secrets += [child.last_name, child.first_name, child.iin or ""]
    return child


@walk_builder(LegalRepresentative)
def _build_representative(site: Site) -> Model:
    rep = LegalRepresentativeFactory(child=site.objects[Child])
    site.secrets.append(rep.full_name)
    return rep


@walk_builder(Notification)
def _build_notification(site: Site) -> Model:
    """A notification for someone who is none of the personas: nobody else may open it."""
    recipient = UserFactory(username=f"recipient-{site.region_pcode}")
    with audit.system_context("test fixture"):
        return Notification.objects.create(recipient=recipient, kind="test", subject="Private", link="/")


@walk_builder(Consent)
def _build_consent(site: Site) -> Model:
    return ConsentFactory(child=site.objects[Child], representative=site.objects[LegalRepresentative])
