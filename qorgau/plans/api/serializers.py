"""Serializers of the plans API: plans, their indicators and measures as imported and reviewed."""

from __future__ import annotations

from rest_framework import serializers

from plans.models import Measure, MeasureExecutor, MeasureFunding, Plan, TargetIndicator


class ExecutorSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MeasureExecutor
        fields = ["text", "agency", "lead", "by_agreement"]


class FundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureFunding
        fields = ["year", "mln_kzt", "region_text"]


class MeasureSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    section = serializers.SerializerMethodField()
    executors = ExecutorSerializer(many=True, read_only=True)
    funding = FundingSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "uuid",
            "plan",
            "number",
            "section",
            "name",
            "completion_form",
            "deadline",
            "schedule",
            "deadline_unparsed",
            "executors",
            "funding_text",
            "funding_sources",
            "funding",
            "warnings",
            "reviewed",
            "source_lines",
            "version",
        ]
        read_only_fields = fields

    def get_section(self, measure: Measure) -> str:
        return measure.section.title if measure.section else ""


class MeasureCorrectionSerializer(serializers.Serializer):
    """A reviewer's correction of a draft measure; ``version`` is the one the reviewer loaded."""

    version = serializers.IntegerField()
    number = serializers.CharField(max_length=10, required=False)
    name = serializers.CharField(required=False)
    completion_form = serializers.CharField(required=False, allow_blank=True)
    deadline = serializers.CharField(required=False, allow_blank=True)
    funding_text = serializers.CharField(required=False, allow_blank=True)
    reviewed = serializers.BooleanField(required=False)
    executors = serializers.CharField(
        required=False, allow_blank=True, help_text="Comma-separated, the lead executor first."
    )


class TargetIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetIndicator
        fields = ["uuid", "number", "name", "unit", "targets", "actuals", "indicator_code", "warnings", "version"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    indicators = TargetIndicatorSerializer(many=True, read_only=True)
    measure_count = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "uuid",
            "kind",
            "title",
            "language",
            "period_start",
            "period_end",
            "act_type",
            "act_number",
            "act_date",
            "status",
            "source_name",
            "reporting_rules",
            "warnings",
            "differences",
            "activated_at",
            "indicators",
            "measure_count",
            "version",
        ]
        read_only_fields = fields

    def get_measure_count(self, plan: Plan) -> int:
        return plan.measures.count()


class PlanImportSerializer(serializers.Serializer):
    document = serializers.FileField()
    national = serializers.FileField(required=False)


class ActivateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
