"""The audit trail: append-only (refused by the ORM, and by a trigger on PostgreSQL)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import ScopedQuerySet


class AppendOnlyError(PermissionError):
    pass


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")


class AuditEntry(models.Model):
    """Who did what to which record, when, from where and why."""

    scope_path: ClassVar[str] = "-"  # no organisation: only holders of auditentry.view see entries

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        VIEW = "view", _("viewed")
        LIST = "list", _("listed")
        EXPORT = "export", _("exported")
        BULK_CREATE = "bulk_create", _("created in bulk")
        BULK_UPDATE = "bulk_update", _("changed in bulk")
        BULK_DELETE = "bulk_delete", _("deleted in bulk")
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("failed sign-in")
        LOGOUT = "logout", _("signed out")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    model = models.CharField(_("record type"), max_length=100, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    changes = models.JSONField(_("fields"), default=dict, blank=True)
    count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = models.Manager.from_queryset(AuditQuerySet)()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or self.reason} {self.action} {self.model}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")
