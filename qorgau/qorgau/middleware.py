"""Project middleware."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core import audit

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class AuditContextMiddleware:
    """Opens the audit context of a request: the user (read lazily), a request id and the client IP.

    An upstream proxy may pass ``X-Request-ID``; it is accepted only when it looks like an id.
    The id is echoed back so a user's report can be matched with the audit trail.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        ctx = audit.AuditContext(request=request, request_id=request_id, ip=request.META.get("REMOTE_ADDR"))
        request.request_id = request_id  # type: ignore[attr-defined]
        with audit.use_context(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
