"""Fixtures of the indicators tests: an analyst, a school psychologist, small catalogues and seed 002."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from core import audit
from core.models import User
from core.roles import Role
from core.testing import OrganisationFactory, UserFactory, assign, region_node
from indicators.models import ImportBatch, Indicator, Unit

SEED_NAME = "002_15c1bbca033d1547.txt"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are checked in English (the default language is Kazakh)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def analyst(db: None) -> User:
    user = UserFactory(username="analyst")
    assign(user, Role.ANALYST, region_node("KAZ004").parent, include_subtree=True)
    return user


@pytest.fixture
def psychologist(db: None) -> User:
    user = UserFactory(username="psy")
    assign(user, Role.PSYCHOLOGIST, OrganisationFactory(parent=region_node("KAZ004")))
    return user


def client_for(user: User | None) -> Client:
    """A browser asking for English pages (the default language is Kazakh)."""
    c = Client(headers={"accept-language": "en"})
    if user is not None:
        c.force_login(user)
    return c


def api_for(user: User) -> Any:
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_ACCEPT_LANGUAGE="en")  # answers in English (the default language is Kazakh)
    c.force_authenticate(user)
    return c


def make_indicator(code: str, unit: str = Unit.CASES, **kw: Any) -> Indicator:
    defaults: dict[str, Any] = {"name_kk": code, "name_ru": code, "name_en": code.replace("_", " ").capitalize()}
    with audit.system_context("test fixture"):
        return Indicator.objects.create(code=code, unit=unit, **(defaults | kw))


@pytest.fixture
def catalogue(db: None) -> dict[str, Indicator]:
    """Suicides (count, additive), children (persons, by sex), poverty (percent 0-100) and a rate."""
    suicides = make_indicator("suicides", Unit.CASES, additive=True, published=True)
    children = make_indicator("children", Unit.PERSONS, additive=True, by_sex=True, by_age=True)
    poverty = make_indicator(
        "poverty", Unit.PERCENT, valid_min=Decimal(0), valid_max=Decimal(100), by_area=True, published=True
    )
    rate = make_indicator(
        "suicide_rate",
        Unit.PER_100K,
        numerator=suicides,
        denominator=children,
        multiplier=Decimal(100000),
        denominator_year_offset=1,
    )
    return {"suicides": suicides, "children": children, "poverty": poverty, "rate": rate}


def csv_upload(text: str, name: str = "values.csv") -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = name  # type: ignore[attr-defined]
    return data


def import_csv(user: User, text: str, name: str = "values.csv") -> ImportBatch:
    from indicators.importers import import_file

    with audit.user_context(user):
        return import_file(user, csv_upload(text, name), name)


def seed_file() -> Path | None:
    """Seed 002 in QORGAU_SEEDS_DIR (by default ../shared/seeds beside the repository), or None."""
    path = Path(settings.QORGAU_SEEDS_DIR) / SEED_NAME
    return path if path.is_file() else None


@pytest.fixture
def seed002(db: None) -> ImportBatch:
    """Seed 002 loaded as the command does (skipped without the seed file)."""
    from indicators.seedload import load_seed002

    path = seed_file()
    if path is None:
        pytest.skip("seed 002 not found (set QORGAU_SEEDS_DIR)")
    with audit.system_context("test: load_seed002"):
        return load_seed002(path)
