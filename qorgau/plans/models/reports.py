"""The reporting cycle: an executor's report on a measure for a period, its documents, sent reminders."""

from __future__ import annotations

import uuid as uuidlib
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.work import attachment_storage
from core.models import AuditedModel, VersionedModel
from plans.models.plans import Measure, Plan


class MeasureReport(VersionedModel):
    """What one executor agency reports on one measure for one reporting period.

    Scoped by the executor's organisation; the lead executor of the measure also sees its
    co-executors' reports (to consolidate them), through ``extra_scope``.
    """

    scope_path: ClassVar[str] = "organisation"

    class Status(models.TextChoices):
        DONE = "done", _("completed")
        IN_PROGRESS = "in_progress", _("in progress")
        NOT_DONE = "not_done", _("not completed")
        NOT_DUE = "not_due", _("not due in this period")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="reports")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period = models.CharField(_("period"), max_length=10, help_text=_("YYYY-Qn, YYYY-Hn or YYYY"))
    due_date = models.DateField(_("due"))
    status = models.CharField(_("implementation"), max_length=12, choices=Status.choices, blank=True)
    narrative_kk = models.TextField(_("implementation information (Kazakh)"), blank=True)
    narrative_ru = models.TextField(_("implementation information (Russian)"), blank=True)
    spent_mln_kzt = models.DecimalField(_("spent, mln KZT"), max_digits=14, decimal_places=3, null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    consolidated = models.BooleanField(_("consolidates the co-executors"), default=False)
    consolidated_from = models.JSONField(
        _("co-executors' reports included"),
        default=list,
        blank=True,
        help_text=_("UUIDs of the co-executors' reports whose information the lead executor took in."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["measure__plan", "measure__position", "period", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "agency", "period"], name="plan_report_once_per_period")
        ]
        indexes = [models.Index(fields=["period", "agency"], name="plan_report_period_agency")]
        verbose_name = _("measure report")
        verbose_name_plural = _("measure reports")

    def __str__(self) -> str:
        return f"{self.measure.number} · {self.period}"

    @property
    def on_time(self) -> bool:
        """Submitted by the end of the due day, in the country's time zone (not UTC's)."""
        return self.submitted_at is not None and timezone.localdate(self.submitted_at) <= self.due_date

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        """The lead executor's people see the reports of the measures their agency leads."""
        if action != "view":
            return None
        from core.roles import role_allows
        from core.scope import grants

        # Only the organisations where the user reads reports at all (a police officer of an agency that
        # leads a measure is not its plan executor).
        orgs = [g.organisation_id for g in grants(user) if role_allows(g.role, "measurereport.view")]
        if not orgs:
            return None
        led = Measure.objects.filter(executors__lead=True, executors__agency__organisations__in=orgs)
        return Q(measure__in=led.values("pk"))


def _document_path(instance: Any, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"plans/{instance.report_id}/{uuidlib.uuid4().hex}{suffix}"


class ReportDocument(AuditedModel):
    """A document attached to a report (stored outside the database, served through a permission check)."""

    scope_path: ClassVar[str] = "report__organisation"

    report = models.ForeignKey(MeasureReport, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(storage=attachment_storage, upload_to=_document_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["report", "pk"]

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        inner = MeasureReport.extra_scope(user, action)
        return None if inner is None else Q(report__in=MeasureReport.objects.filter(inner).values("pk"))


class Reminder(models.Model):
    """A reminder sent (primary key = sent once): to an agency, about a plan's period, so many days ahead."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    kind = models.CharField(max_length=20)  # "before" (days ahead) or "overdue"
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "agency", "period", "kind"], name="plan_reminder_once")]

    def __str__(self) -> str:
        return f"{self.period} {self.kind}"
