"""Users and their role assignments."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import AuditedModel
from core.roles import Role


class User(AbstractUser):
    """A person who signs in to Qorgau. What they may do comes from :class:`RoleAssignment`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="kk",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    telegram_chat_id = models.CharField(
        _("Telegram chat id"), max_length=40, blank=True, help_text=_("For urgent notifications by Telegram.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleAssignment(AuditedModel):
    """``user`` holds ``role`` at ``organisation`` (and, if ``include_subtree``, everything below it)."""

    scope_path: ClassVar[str] = "organisation"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="assignments")
    include_subtree = models.BooleanField(_("includes subordinate organisations"), default=False)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "organisation"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.organisation}"
