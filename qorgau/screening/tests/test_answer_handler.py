"""The answer autosave through the real WSGI entry point (``qorgau.wsgi``), whose short path skips most
middleware: it must behave as the full chain does (CSRF, the student cookie, headers, errors)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import reverse

from screening.actions import open_responses
from screening.models import Answer, Participant
from screening.student import COOKIE

pytestmark = pytest.mark.django_db(transaction=False)

ANSWER = "/s/answer/"


def call_wsgi(environ: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    """One request through ``qorgau.wsgi.application`` as a WSGI server makes it."""
    from qorgau.wsgi import application

    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)
        return None

    # As Django's test client does: the test's open transaction must not be closed as "obsolete" when the
    # request starts or when the server closes the reply (request_finished).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        reply = application(environ, start_response)
        body = b"".join(reply)
        reply.close()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return seen["status"], seen["headers"], body


def started(participant: Participant) -> tuple[Client, int]:
    """A student who entered the code (cookies set), and the id of their first open questionnaire."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("screening:student-start"))
    token = client.cookies["csrftoken"].value
    reply = client.post(reverse("screening:student-start"), {"code": participant.code}, HTTP_X_CSRFTOKEN=token)
    assert reply.status_code == 302
    return client, next(r.pk for r in open_responses(participant) if r.completed_at is None)


def answer_environ(client: Client, data: dict[str, Any], token: str | None = "") -> dict[str, Any]:
    cookies = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
    headers: dict[str, Any] = {"HTTP_COOKIE": cookies}
    if token is not None:
        headers["HTTP_X_CSRFTOKEN"] = token or client.cookies["csrftoken"].value
    return RequestFactory().post(ANSWER, data, **headers).environ


def test_the_real_entry_point_saves_an_answer_as_the_full_chain_does(school: Any) -> None:
    p = school.participants[0]
    client, response = started(p)
    status, headers, body = call_wsgi(answer_environ(client, {"response": response, "item": "asq1", "value": "1"}))
    assert status == 200 and json.loads(body)["saved"] == "asq1"
    assert Answer.objects.get(response_id=response, item="asq1").value == 1
    # The same headers as every page, and the request id of the audit trail.
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert len(headers["X-Request-ID"]) == 32 and "Set-Cookie" not in headers
    # The full chain (Django's test client) gives the same reply for the next answer.
    full = client.post(
        ANSWER, {"response": response, "item": "asq2", "value": "0"}, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )
    _s, _h, short = call_wsgi(answer_environ(client, {"response": response, "item": "asq2", "value": "0"}))
    assert full.status_code == 200 and full.json() == json.loads(short)


def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(school: Any) -> None:
    p = school.participants[1]
    client, response = started(p)
    status, _headers, _body = call_wsgi(
        answer_environ(client, {"response": response, "item": "asq1", "value": "1"}, token=None)
    )
    assert status == 403
    status, _headers, _body = call_wsgi(
        answer_environ(client, {"response": response, "item": "asq1", "value": "1"}, token="x" * 32)
    )
    assert status == 403
    assert not Answer.objects.filter(response_id=response).exists()


def test_without_the_student_cookie_or_with_a_wrong_answer_the_reply_says_why(school: Any) -> None:
    p = school.participants[2]
    client, response = started(p)
    client.cookies.pop(COOKIE)
    status, _h, body = call_wsgi(
        answer_environ(client, {"response": response, "item": "asq1", "value": "1", "lang": "ru"})
    )
    assert status == 410 and "код" in json.loads(body)["error"]
    client, response = started(school.participants[3])
    status, _h, body = call_wsgi(answer_environ(client, {"response": response, "item": "asq1", "value": "7"}))
    assert status == 400 and json.loads(body)["error"]
    assert not Answer.objects.filter(response_id=response).exists()


def test_every_other_request_takes_the_full_chain(school: Any) -> None:
    environ = RequestFactory().get(ANSWER).environ
    status, _h, _b = call_wsgi(environ)
    assert status == 405  # require_POST, reached through the URL resolver
    status, headers, body = call_wsgi(
        RequestFactory().get(reverse("screening:student-start"), HTTP_ACCEPT_LANGUAGE="kk").environ
    )
    assert status == 200 and "Content-Security-Policy" in headers and b'lang="kk"' in body
