"""Instrument versions: the exact form a student answered, stored as data."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import AuditedModel

if TYPE_CHECKING:
    from screening.instruments import Instrument


class InstrumentVersion(AuditedModel):
    """One version of one instrument. Never edited once used: a change is a new version.

    ``definition`` is the parsed form (:meth:`screening.instruments.Instrument.to_json`), so scoring
    an old response uses exactly the items, options and rules the student saw.
    """

    scope_path: ClassVar[str] = "-"  # reference data: whoever may view instruments sees them all

    code = models.SlugField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    title = models.JSONField(_("title"), default=dict)
    source = models.TextField(_("source"))
    licence = models.TextField(_("licence"))
    translations = models.JSONField(_("translation status"), default=dict)
    definition = models.JSONField(_("definition"))
    origin_file = models.CharField(_("imported from"), max_length=255, blank=True)
    is_active = models.BooleanField(_("offered for new campaigns"), default=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code", "-created_at"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_version_unique")]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.code} {self.version})"

    @property
    def display_title(self) -> str:
        lang = (get_language() or "kk")[:2]
        return self.title.get(lang) or self.title.get("en") or next(iter(self.title.values()), self.code)

    @cached_property
    def instrument(self) -> Instrument:
        from screening.engine import instrument_for

        return instrument_for(self)
