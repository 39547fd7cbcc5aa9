"""The OpenAPI 3 schema is valid, complete and served to signed-in users only."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings() -> None:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/v1/children/",
        "/api/v1/children/{uuid}/",
        "/api/v1/children/import/",
        "/api/v1/organisations/{uuid}/branches/",
        "/api/v1/agencies/resolve/",
        "/api/v1/audit/",
    ):
        assert path in schema


def test_docs_need_a_signed_in_user(client, django_user_model) -> None:
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    user = django_user_model.objects.create(username="reader")
    client.force_login(user)
    assert client.get(reverse("api-docs")).status_code == 200
    assert client.get(reverse("api-schema")).status_code == 200
