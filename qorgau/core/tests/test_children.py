"""Children: forms and API with bad input, duplicates, optimistic locking, languages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from core import audit
from core.iin import make_iin
from core.models import Child, ConflictError
from core.roles import Role
from core.testing import ChildFactory, OrganisationFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganisationFactory()


@pytest.fixture
def psych(school):
    user = UserFactory(username="psy")
    assign(user, Role.PSYCHOLOGIST, school)
    return user


def form_data(school, **over):
    import datetime as dt

    birth = dt.date(2012, 4, 5)
    data = {
        "iin": make_iin(birth, "F", 7),
        "last_name": "Сәрсенова",
        "first_name": "Аружан",
        "middle_name": "",
        "birth_date": "2012-04-05",
        "sex": "F",
        "organisation": school.pk,
        "class_name": "8А",
        "language": "kk",
    }
    data.update(over)
    return data


def test_a_child_is_created_through_the_form_and_audited(client, psych, school) -> None:
    client.force_login(psych)
    response = client.post(reverse("core:child-create"), form_data(school))
    assert response.status_code == 302
    child = Child.objects.get(last_name="Сәрсенова")
    from core.models import AuditEntry

    assert AuditEntry.objects.filter(action="create", object_id=str(child.uuid), actor=psych).exists()


@pytest.mark.parametrize(
    ("iin", "fragment"),
    [("12345", "12"), ("12040540000A", "digit"), ("120405600070", "check digit")],
)
def test_a_bad_iin_is_refused_with_a_clear_message(client, psych, school, iin, fragment) -> None:
    client.force_login(psych)
    response = client.post(reverse("core:child-create"), form_data(school, iin=iin), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not Child.objects.exists()


def test_the_message_is_in_the_users_language(client, psych, school) -> None:
    client.force_login(psych)
    client.post(reverse("set_language"), {"language": "ru"})
    response = client.post(reverse("core:child-create"), form_data(school, last_name=""))
    assert "Обязательное поле" in response.content.decode()
    client.post(reverse("set_language"), {"language": "kk"})
    response = client.post(reverse("core:child-create"), form_data(school, last_name=""))
    assert "міндетті" in response.content.decode()  # Django's kk catalogue


def test_an_iin_that_disagrees_with_the_birth_date_is_refused(client, psych, school) -> None:
    client.force_login(psych)
    response = client.post(reverse("core:child-create"), form_data(school, birth_date="2012-04-06"))
    assert response.status_code == 200 and not Child.objects.exists()


def test_a_duplicate_iin_is_refused(client, psych, school) -> None:
    existing = ChildFactory(organisation=school)
    client.force_login(psych)
    response = client.post(
        reverse("core:child-create"),
        form_data(school, iin=existing.iin, birth_date=existing.birth_date, sex=existing.sex),
    )
    assert response.status_code == 200
    assert Child.objects.filter(iin=existing.iin).count() == 1
    api = client.post(
        reverse("child-list"),
        {
            **form_data(school, iin=existing.iin, birth_date=str(existing.birth_date), sex=existing.sex),
            "organisation": str(school.uuid),
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "iin" in api.json()


def test_a_migrant_child_without_iin_is_accepted(client, psych, school) -> None:
    client.force_login(psych)
    client.post(reverse("core:child-create"), form_data(school, iin=""))
    client.post(reverse("core:child-create"), form_data(school, iin="", first_name="Мадина"))
    assert Child.objects.filter(iin__isnull=True).count() == 2


def test_two_simultaneous_edits_one_wins_the_other_is_told(client, psych, school) -> None:
    child = ChildFactory(organisation=school)
    first = Child.objects.get(pk=child.pk)
    second = Child.objects.get(pk=child.pk)
    with audit.user_context(psych):
        first.class_name = "9А"
        first.save()
        second.class_name = "9Б"
        with pytest.raises(ConflictError):
            second.save()
    assert Child.objects.get(pk=child.pk).class_name == "9А"


def test_a_stale_form_keeps_the_users_input_and_shows_the_saved_version(client, psych, school) -> None:
    child = ChildFactory(organisation=school)
    client.force_login(psych)
    url = reverse("core:child-edit", args=[child.uuid])
    stale = form_data(
        school,
        iin=child.iin,
        birth_date=child.birth_date,
        sex=child.sex,
        last_name=child.last_name,
        first_name=child.first_name,
        version=child.version,
        class_name="10В",
    )
    with audit.user_context(psych):
        fresh = Child.objects.get(pk=child.pk)
        fresh.class_name = "10А"
        fresh.save()
    response = client.post(url, stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="10В"' in body  # the user's unsaved input is still in the form
    assert "10А" in body  # the saved version is shown beside it
    assert Child.objects.get(pk=child.pk).class_name == "10А"
    # Saving again now applies on top of the current version.
    again = dict(stale, version=Child.objects.get(pk=child.pk).version)
    assert client.post(url, again).status_code == 302
    assert Child.objects.get(pk=child.pk).class_name == "10В"


def test_the_api_answers_409_on_a_stale_version(client, psych, school) -> None:
    child = ChildFactory(organisation=school)
    client.force_login(psych)
    url = reverse("child-detail", args=[child.uuid])
    ok = client.patch(url, {"class_name": "5А", "version": child.version}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == child.version + 1
    stale = client.patch(url, {"class_name": "5Б", "version": child.version}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    missing = client.patch(url, {"class_name": "5Б"}, content_type="application/json")
    assert missing.status_code == 400
    assert Child.objects.get(pk=child.pk).class_name == "5А"


def test_api_errors_follow_the_accept_language(client, psych, school) -> None:
    client.force_login(psych)
    response = client.post(
        reverse("child-list"),
        {"organisation": str(school.uuid)},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    assert "Обязательное поле" in str(response.json())


def test_a_token_authenticates_the_api_with_the_same_scope(client, psych, school) -> None:
    from rest_framework.authtoken.models import Token

    mine, other = ChildFactory(organisation=school), ChildFactory()
    token = Token.objects.create(user=psych)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(reverse("child-detail", args=[mine.uuid]), **auth).status_code == 200
    assert client.get(reverse("child-detail", args=[other.uuid]), **auth).status_code == 404
    uuids = [row["uuid"] for row in client.get(reverse("child-list"), **auth).json()["results"]]
    assert uuids == [str(mine.uuid)]


def test_pages_render_in_three_languages(client, psych) -> None:
    client.force_login(psych)
    seen = {}
    for lang, word in (("kk", "Балалар"), ("ru", "Дети"), ("en", "Children")):
        client.post(reverse("set_language"), {"language": lang})
        body = client.get(reverse("core:child-list")).content.decode()
        seen[lang] = word in body
        assert f'lang="{lang}"' in body
    assert all(seen.values()), seen


def test_login_locks_out_after_five_failures(client) -> None:
    UserFactory(username="target")
    for _ in range(5):
        client.post(reverse("login"), {"username": "target", "password": "nope"})
    from core.testing import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": "target", "password": TEST_PASSWORD})
    assert response.status_code in (403, 429)
    with translation.override("en"):
        assert "_auth_user_id" not in client.session


def test_security_headers(client, psych) -> None:
    client.force_login(psych)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
