"""Imports of indicator values and what their validation found.

An :class:`ImportBatch` is one file (uploaded or an official document loaded by a command) or one
computation of derived values. A rejected batch wrote no value; its row errors are kept as findings so
that the uploader can see them again. An applied batch keeps the findings of the validation rules
(ranges, regions against the national total, year-on-year jumps) and, for a document, what its reader
found wrong in it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditedModel, ScopedModel


class ImportBatch(AuditedModel):
    """One import (or one computation) and its outcome."""

    class Kind(models.TextChoices):
        FILE = "file", _("file upload")
        DOCUMENT = "document", _("official document")
        DERIVED = "derived", _("computation of derived values")

    class State(models.TextChoices):
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected: nothing written")

    scope_path: ClassVar[str] = "-"

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.APPLIED)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    document = models.CharField(_("document"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.filename or self.document or str(self.get_kind_display())


class ValidationFinding(ScopedModel):
    """One problem found in an import: a row that cannot be read, or a rule the data breaks.

    ``code`` names the rule and ``params`` its figures, so the page says it in the reader's language
    (:func:`indicators.validation.finding_text`); ``message`` keeps the English text as written.
    """

    class Severity(models.TextChoices):
        ERROR = "error", _("error")
        WARNING = "warning", _("warning")

    scope_path: ClassVar[str] = "-"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    code = models.CharField(_("rule"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("message"))
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey("core.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    table = models.CharField(_("table"), max_length=20, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("validation finding")
        verbose_name_plural = _("validation findings")

    def __str__(self) -> str:
        return self.message

    def text(self) -> Any:
        """The finding in the active language."""
        from indicators.validation import finding_text

        return finding_text(self.code, self.params, self.message)
