"""A state plan as imported from its official text: act, period, sections, target indicators, measures."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditedModel, VersionedModel


class Plan(VersionedModel):
    """One state plan (the 2023–2025 Comprehensive Plan, the Concept 2026–2030 …).

    Imported as a draft from the official text; a person reviews and corrects it, then activates it,
    which opens its reporting cycle. Plans are public government documents, so any role with
    ``plan.view`` reads every plan (``scope_path = "-"``); the reports on them are scoped by organisation.
    """

    scope_path: ClassVar[str] = "-"

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft (under review)")
        ACTIVE = "active", _("active")
        ARCHIVED = "archived", _("archived")

    kind = models.CharField(_("document family"), max_length=40, blank=True)
    title = models.TextField(_("title"))
    language = models.CharField(_("language"), max_length=2)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    act_type = models.CharField(_("approving act"), max_length=40, blank=True)
    act_number = models.CharField(_("act number"), max_length=40, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    reporting_rules = models.JSONField(_("reporting rules"), default=list, blank=True)
    warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    differences = models.JSONField(_("differences from the national text"), default=list, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class PlanSection(AuditedModel):
    """A section / direction of the plan's action table."""

    scope_path: ClassVar[str] = "-"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.TextField(_("title"))

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="plan_section_position")]

    def __str__(self) -> str:
        return self.title


class TargetIndicator(VersionedModel):
    """A target indicator of the plan with its yearly targets ({"2026": 61.5, …}) and actual values."""

    scope_path: ClassVar[str] = "-"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    number = models.CharField(_("number"), max_length=10)
    position = models.PositiveSmallIntegerField()
    name = models.TextField(_("name"))
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    targets = models.JSONField(_("targets by year"), default=dict)
    actuals = models.JSONField(_("actual values by year"), default=dict, blank=True)
    indicator_code = models.CharField(
        _("indicator in the catalogue"),
        max_length=60,
        blank=True,
        help_text=_("Code of the indicator whose national value is the actual value (Indicators module)."),
    )
    warnings = models.JSONField(_("import warnings"), default=list, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_indicator_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Measure(VersionedModel):
    """A row of the plan's action table, with every column of the official table."""

    scope_path: ClassVar[str] = "-"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    section = models.ForeignKey(PlanSection, on_delete=models.PROTECT, null=True, blank=True, related_name="measures")
    number = models.CharField(_("number"), max_length=10)
    position = models.PositiveSmallIntegerField()
    name = models.TextField(_("measure"))
    completion_form = models.TextField(_("form of completion"), blank=True)
    deadline = models.TextField(_("deadline (as written)"), blank=True)
    schedule = models.JSONField(_("deadline periods"), default=list, blank=True)
    deadline_unparsed = models.BooleanField(_("deadline not understood"), default=False)
    funding_text = models.TextField(_("funding (as written)"), blank=True)
    funding_sources = models.JSONField(_("funding sources"), default=list, blank=True)
    target_indicator = models.CharField(_("target indicator"), max_length=10, blank=True)
    warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    reviewed = models.BooleanField(_("reviewed"), default=False)
    source_lines = models.CharField(_("lines in the source"), max_length=20, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_measure_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name[:80]}"


class MeasureExecutor(AuditedModel):
    """An executor of a measure as written in the plan, resolved to an agency when the text names one."""

    scope_path: ClassVar[str] = "-"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="executors")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("as written"), max_length=400)
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lead = models.BooleanField(_("lead executor"), default=False)
    by_agreement = models.BooleanField(_("by agreement"), default=False)

    class Meta:
        ordering = ["measure", "position"]

    def __str__(self) -> str:
        return self.text


class MeasureFunding(AuditedModel):
    """One funding amount of a measure: a year, millions of tenge, optionally a region."""

    scope_path: ClassVar[str] = "-"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="funding")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    mln_kzt = models.DecimalField(_("mln KZT"), max_digits=14, decimal_places=3)
    region_text = models.CharField(_("region"), max_length=120, blank=True)

    class Meta:
        ordering = ["measure", "year", "pk"]
