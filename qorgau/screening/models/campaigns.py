"""Campaigns and their participants (one per child, with the one-time student code)."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import AuditedModel, VersionedModel

# Letters and digits that cannot be mistaken for one another on paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a student typed, as stored: upper case, without the spaces or dashes of the printed form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())[:20]


class Campaign(VersionedModel):
    """A screening of chosen classes with chosen instruments in a time window.

    Owned by the organisation that runs it (a school, or a ЦПП / region for a regional campaign); the
    schools whose classes take part see it too (``extra_scope``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", pgettext_lazy("campaign status", "open")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("run by")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    instruments = models.ManyToManyField(
        "screening.InstrumentVersion", through="CampaignInstrument", related_name="campaigns"
    )
    risk_rule = models.JSONField(_("risk rule"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("screening campaign")
        verbose_name_plural = _("screening campaigns")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        if action != "view":
            return None
        from core.models import Organisation
        from core.scope import organisation_q

        org_q = organisation_q(user, "participant.view")
        if org_q is None:
            return None
        return Q(pk__in=Participant.objects.filter(school__in=Organisation.objects.filter(org_q)).values("campaign"))

    def ordered_instruments(self) -> list[Any]:
        return [ci.instrument for ci in self.campaign_instruments.select_related("instrument").order_by("position")]

    def is_accepting(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.starts_on <= today <= self.ends_on


class CampaignInstrument(models.Model):
    """The instruments of a campaign, in the order students take them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="campaign_instruments")
    instrument = models.ForeignKey("screening.InstrumentVersion", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "instrument"], name="campaign_instrument_unique")]

    def __str__(self) -> str:
        return f"{self.position}: {self.instrument_id}"


class Participant(AuditedModel):
    """A child in a campaign: consent, the one-time code, progress and the overall risk level.

    ``school``, ``district`` and ``region`` are copied from the child's school when the campaign is
    set up, so that dashboards group millions of rows without joins (and a later transfer of the
    child does not move past results).
    """

    scope_path: ClassVar[str] = "school"

    class Status(models.TextChoices):
        AWAITING_CONSENT = "awaiting_consent", _("awaiting consent")
        REFUSED = "refused", _("consent refused")
        READY = "ready", _("code issued")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")

    class Consent(models.TextChoices):
        UNKNOWN = "unknown", _("not recorded")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    class Mode(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper")

    class RiskLevel(models.TextChoices):
        NONE = "none", _("none")
        LOW = "low", _("low")
        MODERATE = "moderate", _("moderate")
        HIGH = "high", _("high")
        ACUTE = "acute", _("acute")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    child = models.ForeignKey("core.Child", on_delete=models.PROTECT, related_name="screenings")
    school = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, null=True, related_name="+")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, related_name="+")
    class_name = models.CharField(_("class"), max_length=10, blank=True)
    code = models.CharField(_("student code"), max_length=12, unique=True, default=new_code)
    language = models.CharField(_("language"), max_length=2, default="kk")
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices, default=Consent.UNKNOWN)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_CONSENT, db_index=True
    )
    mode = models.CharField(_("answered on"), max_length=10, choices=Mode.choices, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    risk_rule = models.CharField(_("risk rule"), max_length=60, blank=True)
    risk_fired = models.JSONField(_("conditions that fired"), default=list, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)

    class Meta:
        ordering = ["class_name", "child__last_name", "child__first_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["campaign", "child"], name="participant_once_per_campaign")]
        indexes = [
            # The dashboards: index-only scans grouped by territory, status, consent and risk.
            models.Index(
                fields=["campaign", "region", "district", "school", "status", "consent", "risk_level"],
                name="participant_dashboard",
            ),
            models.Index(fields=["school", "risk_level"], name="participant_school_risk"),
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.campaign}"


RISK_ORDER = [level.value for level in Participant.RiskLevel]
