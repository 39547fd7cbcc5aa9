"""In a real browser, on a phone-sized screen: sign in, switch language, find a child, edit, no CSP errors."""

from __future__ import annotations

import pytest

from core.roles import Role
from core.testing import TEST_PASSWORD, ChildFactory, OrganisationFactory, UserFactory, assign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("form button.primary").click()
    page.wait_for_url(f"{base_url}/")


def test_psychologist_signs_in_switches_language_and_edits_a_child(live_server, browser_page) -> None:
    school = OrganisationFactory()
    child = ChildFactory(organisation=school, last_name="Қасымова", first_name="Аяулым", sex="F")
    user = UserFactory(username="psy.browser")
    assign(user, Role.PSYCHOLOGIST, school)
    page = browser_page
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.fill("#id_username", "psy.browser")
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("form button.primary").click()
    page.wait_for_url(f"{live_server.url}/")

    page.locator("form.lang button[value=ru]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    page.goto(f"{live_server.url}/children/")
    assert "Дети" in page.content()
    page.fill("#id_q", "Қасымова")
    page.locator("form.search button").click()
    page.get_by_role("link", name="Қасымова Аяулым").click()
    assert child.iin in page.content()

    page.get_by_role("link", name="Изменить").click()
    page.fill("#id_class_name", "6Ә")
    page.locator("form.card button.primary").click()
    page.wait_for_load_state()
    errors = page.locator(".error").all_inner_texts()
    assert not errors, errors
    page.wait_for_url(f"{live_server.url}/children/{child.uuid}/")
    assert "6Ә" in page.content()
    child.refresh_from_db()
    assert child.class_name == "6Ә"
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_the_organisation_tree_opens_branches_with_htmx(live_server, browser_page) -> None:
    from core.models import OrganisationKind
    from core.testing import region_node

    region = region_node("KAZ008")
    district = OrganisationFactory(
        kind=OrganisationKind.DISTRICT, parent=region, name_kk="Глубокое ауданы", name_ru="Глубоковский район"
    )
    OrganisationFactory(parent=district, name_kk="Тестілік мектеп", name_ru="Тестовая школа")
    user = UserFactory(username="cm.browser")
    assign(user, Role.CASE_MANAGER, region, include_subtree=True)
    page = browser_page
    sign_in(page, live_server.url, "cm.browser")
    page.goto(f"{live_server.url}/organisations/")
    page.locator("details summary .tag").first.click()
    page.get_by_text("Глубокое ауданы").wait_for()
    page.locator("details details summary .tag").first.click()
    page.get_by_text("Тестілік мектеп").wait_for()


def test_the_interactive_api_docs_work_under_the_content_security_policy(live_server, browser_page) -> None:
    UserFactory(username="api.reader")
    page = browser_page
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server.url, "api.reader")
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".opblock-tag").first.wait_for()
    assert "children" in page.content()
    assert not blocked, blocked
