"""A case: one or more children, the protocol it follows, its owner, its people and its state."""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import AuditedModel, VersionedModel


class Category(models.TextChoices):
    SUICIDE_RISK = "suicide_risk", _("suicide risk")
    SUICIDE_ATTEMPT = "suicide_attempt", _("suicide attempt")
    VIOLENCE_PHYSICAL = "violence_physical", _("physical violence")
    VIOLENCE_PSYCHOLOGICAL = "violence_psychological", _("psychological violence")
    VIOLENCE_SEXUAL = "violence_sexual", _("sexual violence")
    NEGLECT = "neglect", _("neglect")
    BULLYING = "bullying", _("bullying")
    CYBERBULLYING = "cyberbullying", _("cyberbullying")
    DIFFICULT_LIFE_SITUATION = "difficult_life_situation", _("difficult life situation")
    OFFENCE = "offence", _("offence")


class Source(models.TextChoices):
    SCREENING = "screening", _("screening")
    STAFF = "staff", _("report by staff")
    PARENT = "parent", _("report by a parent")
    CHILD = "child", _("report by the child")
    LINE_111 = "line_111", _("111 contact centre")
    POLICE = "police", _("police")
    HEALTH = "health", _("health organisation")
    INCIDENT = "incident", _("incident registry")


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MODERATE = "moderate", _("moderate")
    HIGH = "high", _("high")
    ACUTE = "acute", _("acute")


class ProtocolVersion(AuditedModel):
    """One protocol exactly as cases were opened with it, stored once and shared by all those cases.

    A protocol is some 40 KB of JSON: a copy in every case would make a paper import that opens a
    hundred thousand cases write gigabytes. ``digest`` (SHA-256 of the canonical JSON) tells two
    definitions apart even where a shipped file was changed without a new version label.
    """

    scope_path: ClassVar[str] = "-"  # reference data: the steps of a case's protocol are no secret

    code = models.SlugField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    definition = models.JSONField(_("definition"))

    class Meta:
        ordering = ["code", "-created_at"]
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    @property
    def title(self) -> dict[str, str]:
        return dict(self.definition.get("title") or {})

    @property
    def template(self) -> bool:
        return bool(self.definition.get("template"))

    def step(self, code: str) -> dict[str, Any]:
        """One step of the definition by its code ({} if there is none)."""
        if self._steps is None:
            self._steps = {step["code"]: step for step in self.definition.get("steps", [])}
        return self._steps.get(code, {})

    _steps: dict[str, dict[str, Any]] | None = None  # per instance, built on first use

    @staticmethod
    def digest_of(definition: dict[str, Any]) -> str:
        canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def stored(cls, definition: dict[str, Any]) -> ProtocolVersion:
        """The stored row of this exact definition, created on first use (safe against a concurrent first use)."""
        version, _created = cls.objects.get_or_create(
            digest=cls.digest_of(definition),
            defaults={
                "code": definition.get("code", ""),
                "version": definition.get("version", ""),
                "definition": definition,
            },
        )
        return version


class Case(VersionedModel):
    """A child's (or siblings') case, from identifying the situation to its resolution.

    The owner organisation and its supervisors see the case; an organisation that accepted a referral
    sees this case and nothing else of the owner's (``extra_scope``). ``protocol`` is the exact
    protocol version the case started with.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("case status", "open")
        ASSESSMENT = "assessment", _("assessment")
        PLANNING = "planning", _("planning")
        IN_PROGRESS = "in_progress", _("in progress")
        MONITORING = "monitoring", _("monitoring")
        CLOSING = "closing", _("closure awaiting approval")
        CLOSED = "closed", _("closed")

    number = models.CharField(_("number"), max_length=30, unique=True, null=True, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="cases", verbose_name=_("owner organisation")
    )
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, related_name="+")
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_cases",
        verbose_name=_("case manager"),
    )
    children = models.ManyToManyField("core.Child", through="CaseChild", related_name="cases")
    summary = models.TextField(_("summary"), blank=True)
    protocol_code = models.CharField(_("protocol"), max_length=40, blank=True)
    protocol_version = models.CharField(_("protocol version"), max_length=20, blank=True)
    protocol = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("protocol as started"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    first_action_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    escalations = models.PositiveIntegerField(_("escalations"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    screening_alert = models.OneToOneField(
        "screening.RiskAlert", on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["region", "status", "category", "risk_level"], name="case_region_stats"),
            models.Index(fields=["organisation", "status"], name="case_org_status"),
            # The case lists, newest first: the first page is read from this index, not sorted.
            models.Index(fields=["-opened_at"], name="case_opened_desc"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        """A case referred to (and accepted by) one of the user's organisations."""
        return referred_q(user, f"case.{action}", "")


def referred_q(user: Any, cap: str, prefix: str) -> Q | None:
    """Rows of cases referred to an organisation where ``user`` may use ``cap`` (the referral's scope)."""
    from core.models import Organisation
    from core.scope import organisation_q

    org_q = organisation_q(user, cap)
    if org_q is None:
        return None
    from cases.models.referrals import Referral

    cases = Referral.objects.filter(
        status=Referral.Status.ACCEPTED, to_organisation__in=Organisation.objects.filter(org_q)
    ).values("case_id")
    return Q(**{f"{prefix}id__in" if prefix else "pk__in": cases})


class CaseChild(AuditedModel):
    """A child in a case (siblings share one case)."""

    scope_path: ClassVar[str] = "case__organisation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_children")
    child = models.ForeignKey("core.Child", on_delete=models.PROTECT, related_name="case_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "child"], name="case_child_once")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.child_id}"


class CaseEvent(AuditedModel):
    """One line of the case's timeline: everything that happened, in order, never edited."""

    scope_path: ClassVar[str] = "case__organisation"

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        STATUS = "status", _("status changed")
        TASK_DONE = "task_done", _("step completed")
        ESCALATED = "escalated", _("step overdue, escalated")
        NOTE = "note", _("note added")
        ATTACHMENT = "attachment", _("document attached")
        REFERRAL = "referral", _("referral")
        COUNCIL = "council", _("council decision")
        PLAN = "plan", _("case plan")
        CLOSED = "closed", _("case closed")
        REOPENED = "reopened", _("case reopened")
        EDITED = "edited", _("case edited")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("what happened"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        return referred_q(user, f"caseevent.{action}", "case__")
