"""The audit context and the audit writer.

Every change of personal or case data and every read of a child's record is written to
:class:`core.models.AuditEntry`. The trail fails closed: a write without an audit context (a signed-in
user, or a system job that names its reason) is refused with :class:`AuditContextMissing`.

A request gets its context from :class:`qorgau.middleware.AuditContextMiddleware`; a management command
or background job wraps its work in ``with audit.system_context("reason"):``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import Model

    from core.models import User


class AuditContextMissing(PermissionError):
    """Raised when something tries to write without saying who and why."""

    def __init__(self) -> None:
        super().__init__(str(_("Refused: a change needs an audit context (a signed-in user or a named system job).")))


@dataclass
class AuditContext:
    """Who is acting, and from where. ``request`` is kept to resolve the user lazily.

    API token authentication happens inside the view, after the middleware ran, so the user is
    read from the request when an entry is written rather than when the context is opened.
    """

    reason: str = ""
    request: Any = None
    fixed_user: User | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None

    @property
    def user(self) -> User | None:
        if self.fixed_user is not None:
            return self.fixed_user
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user  # type: ignore[no-any-return]
        return None

    @property
    def is_valid(self) -> bool:
        """A context may write only when it names a user or a reason."""
        return self.user is not None or bool(self.reason)


_current: ContextVar[AuditContext | None] = ContextVar("qorgau_audit_context", default=None)


def current() -> AuditContext | None:
    return _current.get()


def require() -> AuditContext:
    """The active context, or :class:`AuditContextMissing` if there is none that may write."""
    ctx = _current.get()
    if ctx is None or not ctx.is_valid:
        raise AuditContextMissing()
    return ctx


@contextmanager
def use_context(ctx: AuditContext) -> Iterator[AuditContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def system_context(reason: str, user: User | None = None) -> Iterator[AuditContext]:
    """Context for management commands and jobs: ``reason`` says why the system writes."""
    if not reason:
        raise ValueError("a system audit context needs a reason")
    with use_context(AuditContext(reason=reason, fixed_user=user)) as ctx:
        yield ctx


@contextmanager
def user_context(user: User, reason: str = "") -> Iterator[AuditContext]:
    """Context for code that acts for a known user outside a request (tests, scripts)."""
    with use_context(AuditContext(reason=reason, fixed_user=user)) as ctx:
        yield ctx


def object_label(model: type[Model] | Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def record(
    action: str,
    *,
    model: type[Model] | Model,
    object_id: Any = "",
    changes: dict[str, Any] | None = None,
    count: int | None = None,
    detail: str = "",
) -> None:
    """Append one audit entry in the active context (refused without one)."""
    from core.models import AuditEntry

    ctx = require()
    user = ctx.user
    AuditEntry.objects.create(
        action=action,
        model=object_label(model),
        object_id=str(object_id or ""),
        actor=user,
        actor_username=user.get_username() if user else "",
        reason=ctx.reason[:200],
        request_id=ctx.request_id,
        ip=ctx.ip,
        changes=changes or {},
        count=count,
        detail=detail[:500],
    )


def record_read(obj: Model, action: str = "view") -> None:
    """A read of a personal record (detail page, API retrieve)."""
    record(action, model=obj, object_id=getattr(obj, "uuid", obj.pk))


def record_list(model: type[Model], object_ids: Iterable[Any], action: str = "list", detail: str = "") -> None:
    """A read of many personal records at once (list page, export): one entry with the ids shown."""
    ids = [str(i) for i in object_ids]
    record(action, model=model, changes={"ids": ids} if ids else {}, count=len(ids), detail=detail)
