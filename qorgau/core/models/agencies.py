"""State bodies and budget sources, with every abbreviation and former name (SPEC §2.1)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.territory import Trilingual


class Agency(Trilingual):
    """A state body (or a budget source) that plans name as executor or funder.

    One agency, many aliases: ОМ = МП = ОАМ = БҒМ (former) all resolve to the Ministry of Education.
    Use :func:`core.agencies.resolve` to look one up from any spelling.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        AGENCY = "agency", _("agency or committee")
        LOCAL = "local", _("local executive body")
        OTHER = "other", _("other body")
        BUDGET_SOURCE = "budget_source", _("budget source")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    successor = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors")

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")


class AgencyAlias(models.Model):
    """One spelling of an agency: abbreviation or full name, current or former, in kk or ru."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(_("text"), max_length=400)
    normalized = models.CharField(max_length=400, db_index=True)
    lang = models.CharField(_("language"), max_length=2)
    former = models.BooleanField(_("former name"), default=False)

    class Meta:
        ordering = ["agency", "text"]
        constraints = [models.UniqueConstraint(fields=["normalized"], name="agency_alias_unique")]

    def __str__(self) -> str:
        return self.text
