"""The indicator catalogue: what an indicator means, how it is broken down and checked (SPEC §2.6).

Indicators are aggregates (no personal data), so they belong to no organisation (``scope_path = "-"``);
capabilities still decide who may see and change them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel
from core.models.territory import Trilingual


class Unit(models.TextChoices):
    PERSONS = "persons", _("persons")
    CASES = "cases", _("cases")
    UNITS = "units", _("units (organisations)")
    PERCENT = "percent", _("percent")
    PER_1000 = "per_1000", _("per 1,000")
    PER_100K = "per_100k", _("per 100,000")
    RATIO = "ratio", _("ratio")
    INDEX = "index", _("index score")
    OTHER = "other", _("other")


# Counts of people or of events that happen to people: small cells can identify someone, so the
# public page suppresses them. Counts of organisations (``units``) identify nobody.
PERSON_COUNT_UNITS = frozenset({Unit.PERSONS, Unit.CASES})
COUNT_UNITS = PERSON_COUNT_UNITS | {Unit.UNITS}


class Polarity(models.TextChoices):
    POSITIVE = "positive", _("higher is better")
    NEGATIVE = "negative", _("higher is worse")
    NEUTRAL = "neutral", _("neutral (a size or a denominator)")


class Periodicity(models.TextChoices):
    ANNUAL = "annual", _("annual")
    QUARTERLY = "quarterly", _("quarterly")
    MONTHLY = "monthly", _("monthly")
    IRREGULAR = "irregular", _("irregular")


class Sex(models.TextChoices):
    MALE = "male", _("boys / men")
    FEMALE = "female", _("girls / women")


class Area(models.TextChoices):
    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")


class Domain(Trilingual):
    """A domain of the child well-being index under which indicators are reported (e.g. "Child")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class Indicator(Trilingual, VersionedModel):
    """One catalogue entry.

    A *derived* indicator is ``numerator / denominator * multiplier`` of two other indicators, the
    denominator taken ``denominator_year_offset`` years later (a rate of year Y divides events of Y by
    the population at the start of Y + 1, i.e. the end of Y); see :mod:`indicators.rates`.
    """

    # What a catalogue editor sets, in the order the entry form and the API show it.
    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = (
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "description",
        "unit",
        "polarity",
        "domain",
        "source_agency",
        "periodicity",
        "by_sex",
        "by_area",
        "by_age",
        "additive",
        "valid_min",
        "valid_max",
        "jump_threshold",
        "published",
        "numerator",
        "denominator",
        "multiplier",
        "denominator_year_offset",
    )

    scope_path: ClassVar[str] = "-"

    code = models.SlugField(_("code"), max_length=80, unique=True)
    description = models.TextField(_("definition of the indicator"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL)
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators", verbose_name=_("domain")
    )
    source_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("source agency"),
    )
    periodicity = models.CharField(
        _("periodicity"), max_length=12, choices=Periodicity.choices, default=Periodicity.ANNUAL
    )
    by_sex = models.BooleanField(_("broken down by sex"), default=False)
    by_area = models.BooleanField(_("broken down by urban / rural"), default=False)
    by_age = models.BooleanField(_("broken down by age"), default=False)
    additive = models.BooleanField(
        _("regions add up to the national total"),
        default=False,
        help_text=_("True for counts; false for rates and shares."),
    )
    valid_min = models.DecimalField(_("lowest valid value"), max_digits=20, decimal_places=6, null=True, blank=True)
    valid_max = models.DecimalField(_("highest valid value"), max_digits=20, decimal_places=6, null=True, blank=True)
    jump_threshold = models.DecimalField(
        _("year-on-year change flagged above (%)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(50),
        validators=[MinValueValidator(Decimal(0))],
    )
    published = models.BooleanField(
        _("published as open data"), default=False, help_text=_("Regional totals are shown on the public page.")
    )
    numerator = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("numerator")
    )
    denominator = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("denominator")
    )
    multiplier = models.DecimalField(
        _("multiplier"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("e.g. 1000 or 100000")
    )
    denominator_year_offset = models.SmallIntegerField(
        _("denominator year offset"),
        default=0,
        validators=[MinValueValidator(-5), MaxValueValidator(5)],
        help_text=_("1: a rate of year Y divides by the population at the start of year Y + 1."),
    )

    class Meta:
        ordering = ["domain__code", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(numerator__isnull=True, denominator__isnull=True, multiplier__isnull=True)
                    | models.Q(numerator__isnull=False, denominator__isnull=False, multiplier__isnull=False)
                ),
                name="indicator_derived_complete",
            )
        ]

    @property
    def is_derived(self) -> bool:
        """Computed from two other indicators rather than reported."""
        return self.numerator_id is not None

    @property
    def counts_people(self) -> bool:
        """A count of people or events: small values are suppressed on the public page."""
        return self.unit in PERSON_COUNT_UNITS

    @property
    def is_count(self) -> bool:
        """A count (of people, events or organisations) rather than a rate or a share."""
        return self.unit in COUNT_UNITS
