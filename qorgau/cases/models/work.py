"""The work on a case: plan, notes (some confidential), attachments and council decisions."""

from __future__ import annotations

import uuid as uuidlib
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case, referred_q
from core.models import AuditedModel
from core.uploads import ALLOWED_TYPES, MAX_ATTACHMENT_BYTES  # noqa: F401  (re-exported: the shared upload rules)


def attachment_storage() -> FileSystemStorage:
    """Files outside the database and outside any served directory: ``<var>/attachments`` (a callable, so
    that migrations do not record a machine's path)."""
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "attachments", base_url=None)


def _attachment_path(instance: Any, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"{instance.case_id}/{uuidlib.uuid4().hex}{suffix}"


class _CaseScoped(AuditedModel):
    scope_path: ClassVar[str] = "case__organisation"

    class Meta:
        abstract = True

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        return referred_q(user, f"{cls._meta.model_name}.{action}", "case__")


class CasePlanItem(_CaseScoped):
    """One action of the case plan: what, who, by when, done or not."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_items")
    action = models.CharField(_("action"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("by"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["case", "due_on", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.action


class CaseNote(_CaseScoped):
    """A note; a confidential one is read only by roles with ``casenote.view_confidential`` there."""

    audit_reads: ClassVar[bool] = True

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Only psychologists and case managers can read it.")
    )

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.text[:60]

    @classmethod
    def row_filter(cls, user: Any, action: str) -> Q | None:
        """Confidential notes only where the user may read them (on top of the case's scope)."""
        from core.models import Organisation
        from core.scope import organisation_q

        org_q = organisation_q(user, "casenote.view_confidential")
        if org_q is None:
            return Q(confidential=False)
        if not org_q:
            return None
        return Q(confidential=False) | Q(case__organisation__in=Organisation.objects.filter(org_q))


class Attachment(_CaseScoped):
    """A document of the case, stored on disk outside the database, served only through a scope check."""

    audit_reads: ClassVar[bool] = True

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        storage=attachment_storage,
        upload_to=_attachment_path,
        max_length=200,
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class CouncilDecision(_CaseScoped):
    """A decision of the case council (консилиум): who took part, what was decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="council_decisions")
    held_on = models.DateField(_("held on"))
    participants = models.TextField(_("participants"))
    decision = models.TextField(_("decision"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "held_on"]
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")

    def __str__(self) -> str:
        return f"{self.held_on}: {self.decision[:50]}"
