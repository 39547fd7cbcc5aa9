"""What students answered: one response per participant and instrument, saved answer by answer."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditedModel


class Response(AuditedModel):
    """A participant's answers to one instrument version, and its score once complete.

    Students never see this row's scores. ``answers`` is filled when the response is completed
    (online, from the saved :class:`Answer` rows) or imported (paper).
    """

    scope_path: ClassVar[str] = "participant__school"
    audit_reads: ClassVar[bool] = True

    participant = models.ForeignKey("screening.Participant", on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey("screening.InstrumentVersion", on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(_("answers"), default=dict)
    total = models.FloatField(_("total"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=40, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    subscales = models.JSONField(_("subscales"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["participant", "instrument"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["participant", "instrument"], name="response_once_per_instrument")
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code}: {self.band or '—'}"


class Answer(models.Model):
    """One answer as the student gave it: the autosave journal of an online response.

    Written only through the student's own one-time code (never by staff), so it is not an audited
    model itself; starting and completing the response are audited on the participant.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="saved_answers")
    item = models.CharField(max_length=60)
    value: Any = models.JSONField(null=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item")]

    def __str__(self) -> str:
        return f"{self.item}={self.value}"


class RiskAlert(AuditedModel):
    """The ``risk_identified`` event as a record: written in the same transaction as the result.

    Until the cases module consumes these, the alert list is where psychologists pick them up.
    """

    scope_path: ClassVar[str] = "participant__school"

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        CASE_OPENED = "case_opened", _("case opened")

    participant = models.OneToOneField("screening.Participant", on_delete=models.CASCADE, related_name="alert")
    level = models.CharField(_("risk level"), max_length=10)
    fired = models.JSONField(_("conditions that fired"), default=list)
    flags = models.JSONField(_("flags"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("risk alert")
        verbose_name_plural = _("risk alerts")

    def __str__(self) -> str:
        return f"{self.level}: {self.participant_id}"


class FollowUpGroup(AuditedModel):
    """A group of children a psychologist follows up together (e.g. a loneliness group)."""

    scope_path: ClassVar[str] = "school"

    school = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        "screening.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    members = models.ManyToManyField("screening.Participant", related_name="groups", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("follow-up group")
        verbose_name_plural = _("follow-up groups")

    def __str__(self) -> str:
        return self.name
