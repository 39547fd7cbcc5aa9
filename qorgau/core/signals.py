"""Sign-in and sign-out go to the audit trail too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core import audit
from core.models import AuditEntry, User


def _record(action: str, user: Any, request: Any, detail: str = "") -> None:
    ctx = audit.current()
    reason = "authentication"
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    request_id = ctx.request_id if ctx else ""
    AuditEntry.objects.create(
        action=action,
        model="core.user",
        object_id=str(user.uuid) if user is not None else "",
        actor=user,
        actor_username=user.get_username() if user is not None else detail[:150],
        reason=reason,
        request_id=request_id,
        ip=ip,
    )


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(AuditEntry.Action.LOGIN, user, request)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        _record(AuditEntry.Action.LOGOUT, user, request)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    _record(AuditEntry.Action.LOGIN_FAILED, None, request, detail=str(credentials.get("username", "")))
