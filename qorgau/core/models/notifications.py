"""In-app notifications (with an e-mail copy): the one way any module tells a person something.

A notification is personal: only its recipient sees it (``extra_scope``), whatever their roles.
Modules create them with :func:`core.notify.notify`, which also sends the e-mail after the commit.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import AuditedModel


class Notification(AuditedModel):
    scope_path: ClassVar[str] = "-"

    class Priority(models.TextChoices):
        URGENT = "urgent", _("urgent")
        NORMAL = "normal", _("normal")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    kind = models.CharField(_("kind"), max_length=50, help_text=_("e.g. risk_identified"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> models.Q | None:
        return models.Q(recipient=user)
