"""Children, their legal representatives and consent records."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.iin import validate_iin
from core.models.base import AuditedModel, VersionedModel


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Child(VersionedModel):
    """A child known to an organisation (usually a pupil of a school).

    The IIN is optional (migrant children may have none) and unique when present. Every read of a
    child's record is audited.
    """

    audit_reads: ClassVar[bool] = True
    audit_masked: ClassVar[frozenset[str]] = frozenset({"iin"})

    class Language(models.TextChoices):
        KAZAKH = "kk", _("Kazakh")
        RUSSIAN = "ru", _("Russian")
        ENGLISH = "en", _("English")

    iin = models.CharField(_("IIN"), max_length=12, null=True, blank=True, unique=True, validators=[validate_iin])
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="children_enrolled", verbose_name=_("organisation")
    )
    class_name = models.CharField(_("class"), max_length=10, blank=True, help_text=_("e.g. 7А"))
    language = models.CharField(
        _("language of schooling"), max_length=2, choices=Language.choices, default=Language.KAZAKH
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [models.Index(fields=["organisation", "class_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def pseudonym(self) -> str:
        """A stable code that identifies the row to an analyst without revealing who the child is."""
        digest = hmac.new(settings.SECRET_KEY.encode(), self.uuid.bytes, hashlib.sha256).hexdigest()
        return "C-" + digest[:10].upper()


class LegalRepresentative(AuditedModel):
    """A parent, guardian or other legal representative of a child."""

    scope_path: ClassVar[str] = "child__organisation"
    audit_reads: ClassVar[bool] = True
    audit_masked: ClassVar[frozenset[str]] = frozenset({"iin", "phone", "email"})

    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        GUARDIAN = "guardian", _("guardian")
        TRUSTEE = "trustee", _("trustee")
        OTHER = "other", _("other")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="representatives")
    full_name = models.CharField(_("full name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["child", "full_name"]
        verbose_name = _("legal representative")
        verbose_name_plural = _("legal representatives")

    def __str__(self) -> str:
        return self.full_name


class Consent(AuditedModel):
    """A legal representative's consent (or refusal) for a purpose, e.g. screening.

    A record is never edited into a different decision: a withdrawal sets ``withdrawn_at``.
    """

    scope_path: ClassVar[str] = "child__organisation"

    class Purpose(models.TextChoices):
        DATA_PROCESSING = "data_processing", _("processing of personal data")
        SCREENING = "screening", _("psychological screening")
        REFERRAL = "referral", _("referral to another organisation")
        SUPPORT = "support", _("psychological support")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consents")
    representative = models.ForeignKey(
        LegalRepresentative, on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"), help_text=_("Unticked means the representative refused."))
    given_on = models.DateField(_("date"))
    document = models.CharField(_("document"), max_length=200, blank=True, help_text=_("e.g. signed form №"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["child", "-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {_('granted') if self.granted else _('refused')}"

    @property
    def is_active(self) -> bool:
        return self.granted and self.withdrawn_at is None
