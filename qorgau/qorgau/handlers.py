"""The WSGI handler: Django's, with one short path for the student's answer autosave.

``POST /s/answer/`` is the hot path of a national campaign: every answer a student gives is saved at
once, a few hundred times a second across the country. It needs no session, no signed-in user, no
locale negotiation (the page sends its language), no messages, htmx, lockout or CSP (the reply is
JSON, never a document). So it skips those middleware and the URL resolver, and keeps:

- ``SecurityMiddleware`` and ``XFrameOptionsMiddleware`` (the same response headers as every page);
- ``AuditContextMiddleware`` (the request id, echoed back, and the audit context);
- ``CsrfViewMiddleware`` with its view check (a forged cross-site POST is refused as everywhere);
- the request signals (``request_started``/``request_finished``: database connections are managed the
  same way), the conversion of exceptions into error responses, and the logging of 4xx/5xx replies.

Everything else goes through Django's full chain. ``screening/tests/test_answer_handler.py`` holds both
paths to the same behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import reverse, set_urlconf
from django.utils.log import log_response

from qorgau.middleware import AuditContextMiddleware


def answer_chain() -> tuple[str, Callable[[HttpRequest], HttpResponse]]:
    """The answer endpoint's path and its short chain: security headers outermost, then X-Frame-Options and
    the audit context, and the CSRF check right before the view (where Django's ``process_view`` runs it)."""
    from screening.student import answer

    def view(request: HttpRequest) -> HttpResponse:
        refused = csrf.process_view(request, answer, (), {})
        return refused if refused is not None else answer(request)

    csrf = CsrfViewMiddleware(convert_exception_to_response(view))  # type: ignore[arg-type]
    chain: Any = convert_exception_to_response(csrf)
    for middleware in (AuditContextMiddleware, XFrameOptionsMiddleware, SecurityMiddleware):
        chain = convert_exception_to_response(middleware(chain))
    return reverse("screening:student-answer"), chain


class QorgauWSGIHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async)
        self._answer_path, self._answer_chain = answer_chain()

    def get_response(self, request: HttpRequest) -> Any:
        if request.method != "POST" or request.path_info != self._answer_path:
            return super().get_response(request)
        set_urlconf(settings.ROOT_URLCONF)
        response = self._answer_chain(request)
        response._resource_closers.append(request.close)  # type: ignore[attr-defined]
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response
