"""Referrals and transfers of a case to another organisation."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import AuditedModel


class Referral(AuditedModel):
    """A request that another organisation takes part in (referral) or takes over (transfer) a case.

    The sender sees it through the case; the receiving organisation sees the pending request (to
    accept or decline) and, once accepted, that case — nothing else of the sender's.
    """

    scope_path: ClassVar[str] = "case__organisation"

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("referral (takes part)")
        TRANSFER = "transfer", _("transfer (takes over)")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REFERRAL)
    from_organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="incoming_referrals", verbose_name=_("to")
    )
    reason = models.TextField(_("reason"))
    consent = models.ForeignKey("core.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["to_organisation", "status"], name="referral_incoming")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_organisation}"

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        """The receiving organisation sees (and decides) the referrals addressed to it."""
        from core.models import Organisation
        from core.scope import organisation_q

        org_q = organisation_q(user, f"referral.{action}")
        if org_q is None:
            return None
        return Q(to_organisation__in=Organisation.objects.filter(org_q))
