"""The student's questionnaire through the HTTP interface: code, autosave, resume, completion, reuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import Notification
from screening.models import Answer, Participant, Response, RiskAlert

pytestmark = pytest.mark.django_db(transaction=False)

PHQ_LOW = {f"phq{i}": "0" for i in range(1, 10)}
GAD_LOW = {f"gad{i}": "0" for i in range(1, 8)}
ASQ_NO = {f"asq{i}": "0" for i in range(1, 5)}


def start(client: Client, code: str) -> Any:
    return client.post(reverse("screening:student-start"), {"code": code})


def answer(client: Client, response: Response, item: str, value: str) -> Any:
    return client.post(reverse("screening:student-answer"), {"response": response.pk, "item": item, "value": value})


def current(participant: Participant) -> Response:
    from screening.actions import open_responses

    return next(r for r in open_responses(participant) if r.completed_at is None)


def take_part(client: Client, participant: Participant, answers: dict[str, str]) -> Any:
    response = current(participant)
    for item, value in answers.items():
        r = answer(client, response, item, value)
        assert r.status_code == 200, r.content
    return client.post(reverse("screening:student-next"), {"response": response.pk})


def test_a_student_takes_the_whole_questionnaire_and_never_sees_a_score(school: Any) -> None:
    p = school.participants[0]
    client = Client()
    r = start(client, p.code.lower()[:4] + "-" + p.code.lower()[4:])  # as typed from the card
    assert r.status_code == 302 and r["Location"] == reverse("screening:student-survey")
    p.refresh_from_db()
    assert p.status == Participant.Status.IN_PROGRESS and p.mode == "online"
    page = client.get(reverse("screening:student-survey")).content.decode()
    assert "asq1" in page and 'lang="ru"' in page  # the child's language of schooling
    assert take_part(client, p, ASQ_NO).status_code == 302
    assert take_part(client, p, PHQ_LOW | {"phq2": "2", "phq3": "3"}).status_code == 302
    last = take_part(client, p, GAD_LOW | {"gad1": "3", "gad2": "3"})
    assert last.status_code == 302
    done = client.get(last["Location"])
    assert done.status_code == 302 or done.status_code == 200
    final = client.get(reverse("screening:student-done") + "?lang=ru").content.decode()
    for secret in ("total", "band", "mild", "minimal", "risk"):
        assert secret not in final.lower()
    p.refresh_from_db()
    assert p.status == Participant.Status.COMPLETED
    assert p.risk_level == "low" and p.risk_fired == ["phq_a.total.5-9", "gad7.total.5-14"]
    phq = p.responses.get(instrument__code="phq_a")
    assert phq.total == 5 and phq.band == "mild" and phq.answers["phq3"] == 3
    # The code cannot be used again.
    again = start(Client(HTTP_ACCEPT_LANGUAGE="en"), p.code)
    assert again.status_code == 400 and "already been used" in again.content.decode()
    kazakh = start(Client(HTTP_ACCEPT_LANGUAGE="kk"), p.code).content.decode()
    assert "already been used" not in kazakh and 'lang="kk"' in kazakh


def test_every_answer_is_saved_as_given_and_a_new_device_resumes(school: Any) -> None:
    p = school.participants[1]
    first = Client()
    start(first, p.code)
    response = current(p)
    for item in ("asq1", "asq2"):
        assert answer(first, response, item, "0").json() == {
            "saved": item,
            "relevant": ["asq1", "asq2", "asq3", "asq4"],
        }
    # The connection drops; the student opens the code on another phone and sees both answers.
    second = Client()
    assert start(second, p.code).status_code == 302
    page = second.get(reverse("screening:student-survey")).content.decode()
    assert page.count("checked") == 2
    assert dict(Answer.objects.filter(response=response).values_list("item", "value")) == {"asq1": 0, "asq2": 0}


def test_asq_acuity_question_appears_only_after_a_positive_answer(school: Any) -> None:
    p = school.participants[2]
    client = Client()
    start(client, p.code)
    response = current(p)
    assert "asq5" not in answer(client, response, "asq1", "0").json()["relevant"]
    assert "asq5" in answer(client, response, "asq2", "declined").json()["relevant"]
    page = client.get(reverse("screening:student-survey")).content.decode()
    assert 'data-item="asq5" hidden' not in page
    # Finishing without the acuity answer is refused and names the question.
    for item in ("asq1", "asq3", "asq4"):
        answer(client, response, item, "0")
    refused = client.post(reverse("screening:student-next"), {"response": response.pk})
    assert refused.status_code == 422
    response.refresh_from_db()
    assert response.completed_at is None


def test_acute_result_alerts_and_notifies_psychologist_and_director_at_once(school: Any) -> None:
    p = school.participants[3]
    client = Client()
    start(client, p.code)
    assert take_part(client, p, ASQ_NO | {"asq3": "1", "asq5": "1"}).status_code == 302
    take_part(client, p, PHQ_LOW)
    with_commit = take_part(client, p, GAD_LOW)
    client.get(with_commit["Location"])
    p.refresh_from_db()
    assert p.risk_level == "acute" and p.risk_fired == ["asq.band.acute_positive"]
    alert = RiskAlert.objects.get(participant=p)
    assert alert.level == "acute" and alert.status in ("new", "case_opened")  # the cases module opens a case
    notes = Notification.objects.filter(kind="risk_identified")
    assert sorted(n.recipient.username for n in notes) == ["dir", "psy"]
    assert all(n.priority == "urgent" and str(alert.uuid) in n.link for n in notes)
    subjects = {n.recipient.username: n.subject for n in notes}
    assert "8А" in subjects["psy"] and "риск" in subjects["psy"].lower()  # Russian for the psychologist
    assert p.child.last_name not in subjects["psy"]  # no names in a notification (it is e-mailed)


def test_bad_answers_are_refused_with_a_message_in_the_students_language(school: Any) -> None:
    p = school.participants[4]
    client = Client()
    start(client, p.code)
    response = current(p)
    r = answer(client, response, "asq1", "7")
    assert r.status_code == 400 and r.json()["error"]
    assert answer(client, response, "nope", "1").status_code == 400
    other = school.participants[5]
    start(Client(), other.code)
    # Another student's response cannot be written with this student's cookie.
    r = client.post(reverse("screening:student-answer"), {"response": current(other).pk, "item": "asq1", "value": "0"})
    assert r.status_code == 409
    assert not Answer.objects.filter(response__participant=other).exists()


def test_codes_without_consent_or_outside_the_window_do_not_open(school: Any) -> None:
    from core import audit

    p = school.participants[6]
    with audit.system_context("test"):
        Participant.objects.filter(pk=p.pk).update(status="refused", consent="refused")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be used" in start(english, p.code).content.decode()
    assert "not valid" in start(english, "ZZZZZZZZ").content.decode()
    with audit.system_context("test"):
        type(school.campaign).objects.filter(pk=school.campaign.pk).update(status="closed")
    assert "not open" in start(english, school.participants[7].code).content.decode()


def test_email_copies_go_out_after_the_commit(school: Any, django_capture_on_commit_callbacks: Any) -> None:
    p = school.participants[0]
    client = Client()
    start(client, p.code)
    with django_capture_on_commit_callbacks(execute=True):
        take_part(client, p, ASQ_NO | {"asq1": "1", "asq5": "0"})
        take_part(client, p, PHQ_LOW)
        last = take_part(client, p, GAD_LOW)
        client.get(last["Location"])
    risk_mails = [m for m in mail.outbox if "8А" in m.subject]
    assert sorted(m.to[0] for m in risk_mails) == ["dir@example.kz", "psy@example.kz"]
    assert all(Notification.objects.filter(emailed_at__isnull=False).values_list("pk", flat=True))


def test_guessing_codes_is_throttled(school: Any) -> None:
    from django.core.cache import cache

    from screening.student import MAX_FAILURES

    cache.clear()
    client = Client()
    for _ in range(MAX_FAILURES):
        assert start(client, "WRONGCODE").status_code == 400
    assert start(client, school.participants[0].code).status_code == 429  # even a right one, for a while
    cache.clear()
    assert start(client, school.participants[0].code).status_code == 302
