"""Fixtures shared by every module's tests: two schools in two regions and their personas."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client

from core.models import Child, Consent, LegalRepresentative, OrganisationKind, User
from core.roles import Role
from core.testing import WALK_BUILDERS, OrganisationFactory, Site, UserFactory, assign, region_node

# Each module's test support registers its walk builders and public URLs when imported.
_TESTING = [
    importlib.import_module(f"{_app.name}.testing")
    for _app in apps.get_app_configs()
    if importlib.util.find_spec(f"{_app.name}.testing") is not None
]


@pytest.fixture(autouse=True)
def _reset_process_caches() -> None:
    """Modules cache rows that never change in production (instrument versions, a response's instrument);
    tests roll the database back and reuse ids, so each test starts with empty caches."""
    for module in _TESTING:
        if hasattr(module, "reset_caches"):
            module.reset_caches()


@dataclass
class Persona:
    name: str
    user: User
    site: Site | None  # the site whose data the persona should see (None: no site data)

    def client(self) -> Client:
        c = Client()
        c.force_login(self.user)
        return c


def _site(pcode: str, label: str) -> Site:
    region = region_node(pcode)
    district = OrganisationFactory(kind=OrganisationKind.DISTRICT, parent=region, name_ru=f"Район {label}")
    school = OrganisationFactory(parent=district, name_ru=f"Школа {label}")
    site = Site(region_pcode=pcode, school=school)
    # Build every registered model in dependency order (builders read earlier objects from the site).
    for model in [Child, LegalRepresentative, Consent, *WALK_BUILDERS]:
        if model not in site.objects and model in WALK_BUILDERS:
            site.objects[model] = WALK_BUILDERS[model](site)
    return site


@pytest.fixture
def sites(db: None) -> dict[str, Site]:
    """School A in Almaty city (KAZ004), school B in North Kazakhstan (KAZ015)."""
    return {"A": _site("KAZ004", "A"), "B": _site("KAZ015", "B")}


@pytest.fixture
def personas(sites: dict[str, Site]) -> dict[str, Persona]:
    a, b = sites["A"], sites["B"]
    country = region_node("KAZ004").parent
    people: dict[str, Persona] = {}

    def make(name: str, role: str, org, subtree: bool = False, site: Site | None = None) -> None:
        user = UserFactory(username=name)
        assign(user, role, org, subtree)
        people[name] = Persona(name, user, site)

    make("psychologist_a", Role.PSYCHOLOGIST, a.school, site=a)
    make("director_a", Role.DIRECTOR, a.school, site=a)
    make("case_manager_a", Role.CASE_MANAGER, region_node("KAZ004"), subtree=True, site=a)
    make("analyst", Role.ANALYST, country, subtree=True, site=None)
    make("outsider_b", Role.PSYCHOLOGIST, b.school, site=b)
    return people


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    """A headless Debian Chromium page driven by Playwright; skips (and says why) without a browser."""
    import os
    import shutil

    exe = os.environ.get("QORGAU_CHROMIUM", CHROMIUM)
    if not shutil.which(exe):
        pytest.skip(f"no Chromium at {exe}: install Debian's chromium to run browser tests")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="kk-KZ")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
