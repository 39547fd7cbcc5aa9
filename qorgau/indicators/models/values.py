"""Indicator values: one figure per indicator, region (or the country), year and disaggregation.

Every value says where it comes from: a page of an official document (document, table, line and
column), a file import (the batch: who uploaded which file, when), an entry on the web page (who
entered it) or a computation (the numerator and denominator values it was computed from).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditedModel
from indicators.models.catalogue import Area, Indicator, Sex

NATIONAL = "KAZ"  # the country as a whole, as the seeds' tables and the index data name it


class IndicatorValue(AuditedModel):
    """One figure. ``region`` is empty for the national value; empty ``sex``/``area``/``age`` = all."""

    class Origin(models.TextChoices):
        DOCUMENT = "document", _("official document")
        IMPORT = "import", _("file import")
        ENTRY = "entry", _("entered by hand")
        DERIVED = "derived", _("computed")

    scope_path: ClassVar[str] = "-"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the whole country."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    area = models.CharField(_("urban / rural"), max_length=5, choices=Area.choices, blank=True)
    age = models.CharField(_("age group"), max_length=20, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    as_of = models.DateField(_("as of"), null=True, blank=True, help_text=_("For stocks such as a population."))
    doubtful = models.BooleanField(_("doubtful"), default=False, help_text=_("A validation finding questions it."))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    document = models.CharField(_("document"), max_length=40, blank=True)
    table = models.CharField(_("table"), max_length=20, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=40, blank=True)
    batch = models.ForeignKey(
        "indicators.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="values",
        verbose_name=_("import"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    numerator = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    denominator = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["indicator", "year", "region__pcode", "sex", "area", "age"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        # NULL (the national value) never equals NULL in a unique index, so the country gets its own.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "sex", "area", "age"],
                condition=models.Q(region__isnull=False),
                name="indicator_value_regional_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "sex", "area", "age"],
                condition=models.Q(region__isnull=True),
                name="indicator_value_national_unique",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="indicator_value_by_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region_code} {self.year}: {self.value}"

    @property
    def region_code(self) -> str:
        """The region's p-code, or "KAZ" for the national value."""
        return self.region.pcode if self.region_id and self.region else NATIONAL

    @property
    def disaggregation(self) -> str:
        """The breakdown as text ("male, urban, 0-17"), empty for the total."""
        parts = [str(self.get_sex_display()) if self.sex else "", str(self.get_area_display()) if self.area else ""]
        return ", ".join(p for p in [*parts, self.age] if p)

    @property
    def provenance(self) -> str:
        """Where the value comes from, in one line (document, table and line when known)."""
        if self.origin == self.Origin.DOCUMENT:
            return str(_("document %(doc)s, table %(table)s, line %(line)s")) % {
                "doc": self.document,
                "table": self.table,
                "line": self.line,
            }
        if self.origin == self.Origin.IMPORT and self.batch_id and self.batch:
            return str(_("file %(file)s")) % {"file": self.batch.filename}
        if self.origin == self.Origin.ENTRY:
            who = self.entered_by.get_username() if self.entered_by else "—"
            return str(_("entered by %(user)s")) % {"user": who}
        return str(self.get_origin_display())
