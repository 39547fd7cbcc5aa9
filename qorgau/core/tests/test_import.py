"""Class roster import: all rows or none, idempotent, errors per row in the user's language."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.iin import make_iin
from core.models import AuditEntry, Child
from core.roles import Role
from core.testing import ChildFactory, OrganisationFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganisationFactory()


@pytest.fixture
def psych_client(client, school):
    user = UserFactory(username="psy.import")
    assign(user, Role.PSYCHOLOGIST, school)
    client.force_login(user)
    return client


def roster(
    *extra_rows: list[str], header: str = "ЖСН;Тегі;Аты;Әкесінің аты;Туған күні;Жынысы;Сынып;Оқыту тілі"
) -> bytes:
    rows = [
        header,
        f"{make_iin(dt.date(2012, 3, 1), 'F', 11)};Бекова;Аружан;Маратқызы;01.03.2012;Ж;8А;қаз",
        f"{make_iin(dt.date(2013, 7, 9), 'M', 12)};Иванов;Павел;Сергеевич;09.07.2013;М;7Б;рус",
        ";Каримов;Азиз;;15.11.2012;M;8А;ru",  # a migrant child without an IIN
        *[";".join(r) for r in extra_rows],
    ]
    return "\n".join(rows).encode("utf-8")


def upload(client, school, content: bytes, name: str = "roster.csv", **headers):
    return client.post(
        reverse("core:child-import"), {"organisation": school.pk, "file": SimpleUploadedFile(name, content)}, **headers
    )


def test_a_good_roster_imports_and_is_audited(psych_client, school) -> None:
    response = upload(psych_client, school, roster())
    assert response.status_code == 302
    assert Child.objects.filter(organisation=school).count() == 3
    aruzhan = Child.objects.get(first_name="Аружан")
    assert (aruzhan.sex, aruzhan.language, aruzhan.class_name) == ("F", "kk", "8А")
    assert AuditEntry.objects.filter(action="create", model="core.child").count() >= 3


def test_the_same_file_twice_creates_nothing_new(psych_client, school) -> None:
    upload(psych_client, school, roster())
    before = AuditEntry.objects.filter(action="create").count()
    response = upload(psych_client, school, roster())
    assert response.status_code == 302
    assert Child.objects.count() == 3
    assert AuditEntry.objects.filter(action="create").count() == before


def test_one_bad_row_imports_nothing_and_says_which_and_why(psych_client, school) -> None:
    bad_iin = make_iin(dt.date(2012, 1, 2), "M", 5)[:11] + "0"  # type: ignore[index]
    if make_iin(dt.date(2012, 1, 2), "M", 5).endswith("0"):  # type: ignore[union-attr]
        bad_iin = bad_iin[:11] + "1"
    response = upload(
        psych_client,
        school,
        roster(
            [bad_iin, "Серіков", "Нұрлан", "", "02.01.2012", "М", "8А", "қаз"],
            ["", "", "Дана", "", "31.02.2012", "Ж", "8А", "қаз"],
        ),
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert Child.objects.count() == 0
    assert "<td>5</td>" in body and "<td>6</td>" in body  # spreadsheet row numbers (header = row 1)
    assert "контрольн" in body.lower()  # the bad check digit, explained in Russian


def test_an_iin_registered_at_another_school_is_refused(psych_client, school) -> None:
    other = ChildFactory()
    line = [other.iin, other.last_name, other.first_name, "", other.birth_date.strftime("%d.%m.%Y"), "M", "8А", "kk"]
    response = upload(psych_client, school, roster(line))
    assert response.status_code == 200 and Child.objects.count() == 1
    assert Child.objects.get(pk=other.pk).organisation_id == other.organisation_id


def test_duplicate_rows_in_one_file_are_refused(psych_client, school) -> None:
    iin = make_iin(dt.date(2012, 3, 1), "F", 11)
    response = upload(psych_client, school, roster([iin, "Бекова", "Аружан", "", "01.03.2012", "Ж", "8А", "kk"]))
    assert response.status_code == 200 and Child.objects.count() == 0


def test_xlsx_is_read(psych_client, school) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["IIN", "Last name", "First name", "Patronymic", "Date of birth", "Sex", "Class", "Language"])
    sheet.append(
        [make_iin(dt.date(2011, 5, 5), "F", 3), "Омарова", "Әйгерім", "", dt.datetime(2011, 5, 5), "F", "9В", "kk"]
    )
    buf = io.BytesIO()
    book.save(buf)
    response = upload(psych_client, school, buf.getvalue(), name="roster.xlsx")
    assert response.status_code == 302
    assert Child.objects.get().first_name == "Әйгерім"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really a workbook", "roster.xlsx", "XLSX"),
        ("ЖСН;Тегі\n1;2".encode("cp1251"), "roster.csv", "UTF-8"),
        (b"colour;shape\nred;round", "roster.csv", "colour"),
        (b"", "roster.csv", "empty"),
        (b"a,b", "roster.pdf", ".csv"),
    ],
)
def test_a_malformed_file_gets_a_clear_message(psych_client, school, content, name, message) -> None:
    response = upload(psych_client, school, content, name=name, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Child.objects.count() == 0


def test_an_organisation_outside_scope_cannot_be_chosen(psych_client) -> None:
    elsewhere = OrganisationFactory()
    response = upload(psych_client, elsewhere, roster())
    assert response.status_code == 200 and Child.objects.count() == 0


def test_the_template_downloads(psych_client) -> None:
    response = psych_client.get(reverse("core:child-import-template"))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("iin,last_name,first_name")


def test_the_api_imports_all_or_nothing(psych_client, school) -> None:
    url = reverse("child-import")
    bad = roster(["", "", "Дана", "", "31.02.2012", "Ж", "8А", "қаз"])
    response = psych_client.post(url, {"organisation": str(school.uuid), "file": SimpleUploadedFile("r.csv", bad)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 5 and Child.objects.count() == 0
    good = psych_client.post(url, {"organisation": str(school.uuid), "file": SimpleUploadedFile("r.csv", roster())})
    assert good.status_code == 201 and good.json()["created"] == 3
    again = psych_client.post(url, {"organisation": str(school.uuid), "file": SimpleUploadedFile("r.csv", roster())})
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3, "errors": []}
    elsewhere = OrganisationFactory()
    refused = psych_client.post(
        url, {"organisation": str(elsewhere.uuid), "file": SimpleUploadedFile("r.csv", roster())}
    )
    assert refused.status_code == 400 and "organisation" in refused.json()
