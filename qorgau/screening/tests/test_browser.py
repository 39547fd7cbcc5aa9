"""End to end in Debian's Chromium: an XLSForm in three languages imported and taken by a student on a phone,
with the connection dropping in the middle of the questionnaire."""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import openpyxl
import pytest

from core import audit
from core.roles import Role
from core.testing import ChildFactory, OrganisationFactory, UserFactory, assign
from screening import actions
from screening.models import Answer, InstrumentVersion, Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGS = ("label::Kazakh (kk)", "label::Russian (ru)", "label::English (en)")
SURVEY = [
    ["type", "name", *LANGS, "relevant", "required"],
    ["select_one often", "sleep", "Жақсы ұйықтайсың ба?", "Хорошо ли ты спишь?", "Do you sleep well?", None, "yes"],
    ["select_one often", "friends", "Достарың бар ма?", "Есть ли у тебя друзья?", "Do you have friends?", None, "yes"],
    [
        "select_one yn",
        "worry",
        "Бір нәрсе мазалай ма?",
        "Тебя что-то тревожит?",
        "Is something worrying you?",
        None,
        "yes",
    ],
    [
        "select_one yn",
        "talk",
        "Психологпен сөйлескің келе ме?",
        "Хочешь поговорить с психологом?",
        "Would you like to talk to the psychologist?",
        "${worry} = 1",
        "yes",
    ],
    ["calculate", "total", None, None, None, None, None],
    ["calculate", "band", None, None, None, None, None],
    ["calculate", "flag_wants_talk", None, None, None, None, None],
]
CALCS = {
    "total": "${sleep} + ${friends}",
    "band": "if(${total} >= 3, 'concern', 'ok')",
    "flag_wants_talk": "${talk} = 1",
}
CHOICES = [
    ["list_name", "name", *LANGS],
    ["often", 0, "Әрқашан", "Всегда", "Always"],
    ["often", 1, "Кейде", "Иногда", "Sometimes"],
    ["often", 2, "Ешқашан", "Никогда", "Never"],
    ["yn", 1, "Иә", "Да", "Yes"],
    ["yn", 0, "Жоқ", "Нет", "No"],
]
SETTINGS = [
    [
        "form_id",
        "version",
        "form_title",
        "title::Kazakh (kk)",
        "title::Russian (ru)",
        "default_language",
        "source",
        "licence",
        "translation_status::kk",
        "translation_status::ru",
        "translation_status::en",
    ],
    [
        "climate",
        "2026.1",
        "School climate",
        "Мектеп ахуалы",
        "Школьный климат",
        "Kazakh (kk)",
        "Qorgau test form",
        "CC0",
        "unofficial",
        "unofficial",
        "official",
    ],
]


def xlsform(survey: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    rows = [list(r) for r in survey]
    header = rows[0]
    if "calculation" not in header:
        header.append("calculation")
        for row in rows[1:]:
            row.append(CALCS.get(row[1]))
    for name, data in (("survey", rows), ("choices", CHOICES), ("settings", SETTINGS)):
        sheet = book.create_sheet(name)
        for row in data:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sign_in(page: Any, base: str, username: str) -> None:
    from core.tests.test_browser import sign_in as core_sign_in

    core_sign_in(page, base, username)


def wait_until(check: Any, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_an_xlsform_is_imported_and_taken_by_a_student_whose_connection_drops(
    live_server: Any, browser_page: Any, tmp_path: Any
) -> None:
    school = OrganisationFactory()
    ChildFactory(organisation=school, class_name="9А", language="ru")
    cpp = UserFactory(username="cpp.browser")
    assign(cpp, Role.CPP_SPECIALIST, school)
    psychologist = UserFactory(username="psy.school")
    assign(psychologist, Role.PSYCHOLOGIST, school)
    page = browser_page
    base = live_server.url
    sign_in(page, base, "cpp.browser")

    # A form with an unsupported feature is refused with a clear message.
    bad = [list(r) for r in SURVEY]
    bad[1][0] = "select_multiple often"
    (tmp_path / "bad.xlsx").write_bytes(xlsform(bad))
    page.goto(f"{base}/screening/instruments/import/")
    page.set_input_files("#id_file", str(tmp_path / "bad.xlsx"))
    page.locator("form button.primary").click()
    page.wait_for_load_state()
    assert "select_multiple" in page.locator(".conflict").inner_text()
    assert not InstrumentVersion.objects.filter(code="climate").exists()

    # The good one imports with its three languages.
    (tmp_path / "climate.xlsx").write_bytes(xlsform(SURVEY))
    page.set_input_files("#id_file", str(tmp_path / "climate.xlsx"))
    page.locator("form button.primary").click()
    page.wait_for_url(f"{base}/screening/instruments/*/")
    assert "Мектеп ахуалы" in page.content()
    version = InstrumentVersion.objects.get(code="climate")
    assert version.translations == {"kk": "unofficial", "ru": "unofficial", "en": "official"}

    with audit.user_context(cpp):
        campaign = actions.create_campaign(
            cpp,
            title="Climate",
            selection=actions.Selection(school, classes=((school.pk, "9А"),)),
            instruments=[version],
            starts_on=dt.date.today(),
            ends_on=dt.date.today() + dt.timedelta(days=7),
        )
        participant = campaign.participants.get()
        actions.set_status(cpp, campaign, "open")
    with audit.user_context(psychologist):  # the school records the parents' consent
        actions.record_consent(psychologist, participant, granted=True)
    participant.refresh_from_db()

    # The student, on a phone, in Russian (the language of schooling).
    page.goto(f"{base}/s/")
    page.fill("#code", participant.code[:4] + " " + participant.code[4:].lower())
    page.locator("form button.primary").click()
    page.wait_for_url(f"{base}/s/survey/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Хорошо ли ты спишь?" in page.content()
    assert page.locator("fieldset[data-item=talk]").is_hidden()

    page.locator("input[name=sleep][value='2']").check()
    wait_until(lambda: Answer.objects.filter(item="sleep").exists())

    # The connection drops: answers are kept on the phone and sent when it is back.
    page.context.set_offline(True)
    page.locator("input[name=friends][value='1']").check()
    page.locator("input[name=worry][value='1']").check()
    page.wait_for_selector("#save-status.offline")
    assert not Answer.objects.filter(item__in=["friends", "worry"]).exists()
    page.context.set_offline(False)
    wait_until(lambda: Answer.objects.filter(item__in=["friends", "worry"]).count() == 2)
    page.wait_for_selector("#save-status.saved")
    # The follow-up question appeared once the server had the answer it depends on.
    page.wait_for_selector("fieldset[data-item=talk]:not([hidden])")
    page.locator("input[name=talk][value='1']").check()
    wait_until(lambda: Answer.objects.filter(item="talk").exists())

    # A reload resumes with every answer in place.
    page.reload()
    assert page.locator("input[name=friends][value='1']").is_checked()
    page.locator("#survey button.primary").click()
    page.wait_for_url(f"{base}/s/done/*")
    assert "Спасибо" in page.content() or "Thank you" in page.content()
    for word in ("concern", "total", "3"):
        assert word not in page.locator("main").inner_text()

    participant.refresh_from_db()
    assert participant.status == Participant.Status.COMPLETED
    response = participant.responses.get()
    assert (response.total, response.band, response.flags) == (3, "concern", ["wants_talk"])
    assert response.answers == {"sleep": 2, "friends": 1, "worry": 1, "talk": 1}

    # The code cannot be opened again.
    page.goto(f"{base}/s/")
    page.fill("#code", participant.code)
    page.locator("form button.primary").click()
    assert page.locator("#code-error").is_visible()
