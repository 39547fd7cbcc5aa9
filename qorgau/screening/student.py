"""The student's pages: a one-time code, the questionnaire in the student's language, saved answer by answer.

No account: the code opens the questionnaire and a signed, HTTP-only cookie (path ``/s/``) keeps the
student's place. Every answer is saved as it is given (``student.js`` queues answers in the browser
while the connection is down and sends them when it is back), so a dropped connection or a reload
resumes where the student stopped. Scores are never shown. Once finished, the code cannot be used again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import audit
from screening import actions
from screening.engine import instrument_for
from screening.instruments import AnswerError
from screening.models import Participant, Response

COOKIE = "qorgau_student"
SALT = "screening.student"
MAX_AGE = 12 * 3600
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _participant(request: HttpRequest) -> Participant | None:
    pk = _cookie_id(request)
    return Participant.objects.select_related("campaign").filter(pk=pk).first() if pk is not None else None


def _language(request: HttpRequest, participant: Participant | None) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked in LANGUAGES:
        return asked
    if participant is not None:
        return participant.language
    return translation.get_language_from_request(request)[:2]


def _forget(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE, path="/s/")
    return response


MAX_FAILURES = 20  # wrong codes per address and window before the form refuses for a while
FAILURE_WINDOW = 15 * 60


def _failures_key(request: HttpRequest) -> str:
    return f"screening:code-failures:{request.META.get('REMOTE_ADDR', '')}"


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """Enter the one-time code (guessing codes is throttled per address)."""
    from django.core.cache import cache
    from django.utils.translation import gettext as _

    lang = _language(request, None)
    error = None
    if request.method == "POST" and cache.get(_failures_key(request), 0) >= MAX_FAILURES:
        with translation.override(lang):
            error = _("Too many wrong codes. Wait a few minutes, or ask your school psychologist.")
            return render(request, "screening/student_start.html", {"lang": lang, "error": error}, status=429)
    if request.method == "POST":
        try:
            participant = actions.start_with_code(request.POST.get("code", ""))
        except actions.StudentError as exc:
            with translation.override(lang):
                error = str(exc.message)
            cache.add(_failures_key(request), 0, FAILURE_WINDOW)
            cache.incr(_failures_key(request))
        else:
            response = HttpResponseRedirect(reverse("screening:student-survey"))
            response.set_signed_cookie(
                COOKIE,
                str(participant.pk),
                salt=SALT,
                max_age=MAX_AGE,
                path="/s/",
                httponly=True,
                samesite="Strict",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    with translation.override(lang):
        return render(
            request, "screening/student_start.html", {"lang": lang, "error": error}, status=400 if error else 200
        )


def _current(participant: Participant) -> tuple[list[Response], Response | None]:
    responses = actions.open_responses(participant)
    return responses, next((r for r in responses if r.completed_at is None), None)


@never_cache
def survey(request: HttpRequest, errors: dict[str, str] | None = None) -> HttpResponse:
    participant = _participant(request)
    if participant is None or participant.status != Participant.Status.IN_PROGRESS:
        return _forget(HttpResponseRedirect(reverse("screening:student-start")))
    lang = _language(request, participant)
    if lang != participant.language:
        with audit.system_context(actions.STUDENT_REASON):
            Participant.objects.filter(pk=participant.pk).update(language=lang)
    responses, current = _current(participant)
    if current is None:
        return _finish(request, participant)
    inst = instrument_for(current.instrument_id)
    answers = actions.saved_answers(current.pk)
    relevant = set(inst.relevant_codes(answers))
    from screening.views import _items

    items = _items(inst, lang if lang in inst.languages else inst.default_language, answers)
    for item in items:
        item["hidden"] = item["question"] and item["code"] not in relevant
        item["error"] = (errors or {}).get(item["code"], "")
    with translation.override(lang):
        return render(
            request,
            "screening/student_survey.html",
            {
                "lang": lang,
                "response": current,
                "items": items,
                "step": responses.index(current) + 1,
                "steps": len(responses),
                "title": inst.text(inst.title, lang),
                "form_error": (errors or {}).get("", ""),
            },
            status=422 if errors else 200,
        )


@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    """Save one answer (called by student.js for every change); JSON in, JSON out."""
    participant_id = _cookie_id(request)
    lang = request.POST.get("lang") if request.POST.get("lang") in LANGUAGES else "kk"
    with translation.override(lang):
        if participant_id is None:
            return JsonResponse({"error": str(_gone())}, status=410)
        try:
            result = actions.save_answer(
                participant_id,
                int(request.POST.get("response", "0")),
                request.POST.get("item", ""),
                request.POST.get("value"),
            )
        except ValueError as exc:
            if isinstance(exc, AnswerError):
                return JsonResponse({"error": "; ".join(str(m) for m in exc.errors.values())}, status=400)
            return JsonResponse({"error": str(_gone())}, status=400)
        except actions.StudentError as exc:
            return JsonResponse({"error": str(exc.message)}, status=409)
    return JsonResponse(result)


def _gone() -> Any:
    from django.utils.translation import gettext_lazy as _

    return _("Your session has ended. Enter your code again to continue.")


def _cookie_id(request: HttpRequest) -> int | None:
    try:
        return int(request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE) or "")
    except (KeyError, ValueError, signing.BadSignature):
        return None


@require_POST
def next_part(request: HttpRequest) -> HttpResponse:
    """Finish the current part: every required question answered, then on to the next one."""
    participant = _participant(request)
    if participant is None or participant.status != Participant.Status.IN_PROGRESS:
        return _forget(HttpResponseRedirect(reverse("screening:student-start")))
    _responses, current = _current(participant)
    if current is not None and str(current.pk) == request.POST.get("response"):
        with translation.override(participant.language):
            try:
                actions.finish_response(current)
            except AnswerError as exc:
                return survey(request, errors={k: str(v) for k, v in exc.errors.items()})
    return HttpResponseRedirect(reverse("screening:student-survey"))


def _finish(request: HttpRequest, participant: Participant) -> HttpResponse:
    actions.complete_online(participant)
    response = HttpResponseRedirect(reverse("screening:student-done") + f"?lang={participant.language}")
    return _forget(response)


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    lang = _language(request, None)
    with translation.override(lang):
        return render(request, "screening/student_done.html", {"lang": lang})
