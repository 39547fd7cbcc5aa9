"""Serializers of the indicators API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import Agency
from indicators.models import Area, Domain, ImportBatch, Indicator, IndicatorValue, Sex, ValidationFinding


def _inline_choices(choices: list[tuple[str, Any]], blank: bool) -> dict[str, Any]:
    """The allowed values as a pattern, not an enum: drf-spectacular would turn an enum into a component
    named after the field, and core's ``sex`` (M/F) and ``kind`` fields already own those names."""
    values = "|".join(value for value, _label in choices)
    return {"type": "string", "pattern": f"^({values}){'?' if blank else ''}$"}


@extend_schema_field(_inline_choices(Sex.choices, blank=True))
class SexField(serializers.ChoiceField):
    """male, female, or empty for both."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Sex.choices, allow_blank=True, **kwargs)


@extend_schema_field(_inline_choices(ImportBatch.Kind.choices, blank=False))
class ImportKindField(serializers.ChoiceField):
    """file, document or derived."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ImportBatch.Kind.choices, **kwargs)


class IndicatorSerializer(serializers.ModelSerializer):
    """A catalogue entry; related entries are named by their codes."""

    domain = serializers.SlugRelatedField(
        slug_field="code", queryset=Domain.objects.all(), required=False, allow_null=True
    )
    source_agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    numerator = serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.filter(numerator__isnull=True), required=False, allow_null=True
    )
    denominator = serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.filter(numerator__isnull=True), required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False, help_text="on update: the version you loaded (optimistic locking: 409 if stale)"
    )

    class Meta:
        model = Indicator
        fields = ["uuid", *Indicator.EDITABLE_FIELDS, "version"]
        read_only_fields = ["uuid"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        merged = {
            name: attrs.get(name, getattr(self.instance, name, None))
            for name in ("numerator", "denominator", "multiplier")
        }
        given = [v is not None for v in merged.values()]
        if any(given) and not all(given):
            raise serializers.ValidationError(
                _("A derived indicator needs a numerator, a denominator and a multiplier (or none of them).")
            )
        return attrs


class IndicatorValueSerializer(serializers.ModelSerializer):
    """One value with its breakdown and provenance; ``region`` is the p-code, "KAZ" for the country."""

    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.CharField(source="region_code", read_only=True)
    sex = SexField(read_only=True)
    batch = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    numerator = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    denominator = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "uuid",
            "indicator",
            "region",
            "year",
            "sex",
            "area",
            "age",
            "value",
            "as_of",
            "doubtful",
            "origin",
            "document",
            "table",
            "line",
            "column",
            "batch",
            "entered_by",
            "numerator",
            "denominator",
            "note",
        ]
        read_only_fields = fields


class ValueEntrySerializer(serializers.Serializer):
    """One value to enter; ``region`` is a p-code, any known spelling, or "KAZ" / empty for the country."""

    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    region = serializers.CharField(allow_blank=True, required=False, default="")
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    sex = SexField(required=False, default="")
    area = serializers.ChoiceField(choices=Area.choices, allow_blank=True, required=False, default="")
    age = serializers.CharField(max_length=20, allow_blank=True, required=False, default="")
    value = serializers.DecimalField(max_digits=20, decimal_places=6)
    as_of = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(allow_blank=True, required=False, default="")


class FindingSerializer(serializers.ModelSerializer):
    """A finding: ``message`` in English as stored, ``text`` in the language of the request."""

    text = serializers.SerializerMethodField()
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="pcode", read_only=True)

    class Meta:
        model = ValidationFinding
        fields = [
            "severity",
            "code",
            "params",
            "message",
            "text",
            "row",
            "indicator",
            "region",
            "year",
            "table",
            "line",
        ]
        read_only_fields = fields

    def get_text(self, obj: ValidationFinding) -> str:
        return str(obj.text())


class ImportBatchSerializer(serializers.ModelSerializer):
    kind = ImportKindField(read_only=True)
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "uuid",
            "kind",
            "state",
            "filename",
            "sha256",
            "document",
            "uploaded_by",
            "created_at",
            "rows",
            "created",
            "updated",
            "unchanged",
            "errors",
            "warnings",
        ]
        read_only_fields = fields


class ImportBatchDetailSerializer(ImportBatchSerializer):
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "findings"]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="a .csv (UTF-8) or .xlsx file; columns as the web page's template")


# --- The child well-being index (the ``wellbeing_index --json`` document, SPEC §3) ---------------------


class IndexQuerySerializer(serializers.Serializer):
    """The parameters of ``GET /api/v1/indicators/index/``."""

    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="Default: the latest year with values."
    )
    methodology = serializers.CharField(
        required=False,
        help_text="A methodology file of indicators/data/methodology/ without .yaml (default: catalogue-2022).",
    )
    gaps = serializers.BooleanField(
        required=False, default=False, help_text="Add each region's gap to the best region, by indicator."
    )
    sensitivity = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=10000,
        help_text="Add a Monte Carlo sensitivity analysis of the ranks with this many draws.",
    )


def _domain_scores() -> serializers.DictField:
    return serializers.DictField(child=serializers.FloatField(allow_null=True), help_text="domain code -> score")


class IndexNationalSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    zone = serializers.CharField(allow_null=True)
    domains = _domain_scores()
    change = serializers.FloatField(allow_null=True)
    method = serializers.CharField(help_text="mean, weighted or national_row")


class IndexGapSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="p-code of the best region")
    total = serializers.FloatField(help_text="points between the best region's score and this one's")
    indicators = serializers.DictField(
        child=serializers.FloatField(), help_text="indicator code -> points of the gap; they add up to total"
    )


class IndexRegionSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    zone = serializers.CharField(allow_null=True, help_text="high, medium or low")
    rank = serializers.IntegerField(allow_null=True)
    domains = _domain_scores()
    change = serializers.FloatField(allow_null=True, help_text="score minus the previous year's")
    gap = IndexGapSerializer(required=False, allow_null=True, help_text="only with gaps=true")


class IndexRegionSpreadSerializer(serializers.Serializer):
    nominal_rank = serializers.IntegerField(allow_null=True)
    median_rank = serializers.IntegerField(allow_null=True)
    rank_p05 = serializers.IntegerField(allow_null=True)
    rank_p95 = serializers.IntegerField(allow_null=True)
    score_p05 = serializers.FloatField(allow_null=True)
    score_median = serializers.FloatField(allow_null=True)
    score_p95 = serializers.FloatField(allow_null=True)
    draws_with_score = serializers.IntegerField()


class IndexSensitivitySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    draws = serializers.IntegerField()
    seed = serializers.IntegerField()
    concentration = serializers.FloatField()
    normalisations = serializers.DictField(child=serializers.IntegerField(), help_text="normalisation -> draws")
    regions = serializers.DictField(child=IndexRegionSpreadSerializer())


class IndexDocumentSerializer(serializers.Serializer):
    """The index of one year: the ``wellbeing_index --json`` document. A year without an index (no
    values, not enough data) comes back with no regions and the reason in ``warnings``."""

    year = serializers.IntegerField(allow_null=True, help_text="null only when no year has values at all")
    national = IndexNationalSerializer()
    regions = serializers.DictField(child=IndexRegionSerializer(), help_text="p-code (KAZ001...KAZ020) -> result")
    previous_year = serializers.IntegerField(allow_null=True)
    methodology = serializers.CharField()
    normalisation = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())
    sensitivity = IndexSensitivitySerializer(required=False, help_text="only with sensitivity=N")
