"""Serializers of the screening API. Students' answers appear only in ResponseSerializer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from screening.models import Campaign, FollowUpGroup, InstrumentVersion, Participant, Response, RiskAlert


class InstrumentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstrumentVersion
        fields = ["uuid", "code", "version", "title", "source", "licence", "translations", "is_active", "created_at"]


class InstrumentDefinitionSerializer(InstrumentVersionSerializer):
    class Meta(InstrumentVersionSerializer.Meta):
        fields = [*InstrumentVersionSerializer.Meta.fields, "definition"]


class InstrumentImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="XLSForm: .xlsx, .xls, .csv or .md")


class CampaignSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    instruments = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "uuid",
            "title",
            "organisation",
            "starts_on",
            "ends_on",
            "status",
            "instruments",
            "risk_rule",
            "version",
            "created_at",
        ]

    def get_instruments(self, obj: Campaign) -> list[dict[str, str]]:
        return [{"uuid": str(v.uuid), "code": v.code, "version": v.version} for v in obj.ordered_instruments()]


class CampaignCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    organisation = serializers.UUIDField()
    instruments = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    grades = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=12), required=False)
    classes = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text='[{"school": "<organisation uuid>", "class": "7А"}, …]',
    )


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Campaign.Status.OPEN, Campaign.Status.CLOSED])


class ParticipantSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    child = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    school = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = Participant
        fields = [
            "uuid",
            "campaign",
            "child",
            "child_name",
            "school",
            "class_name",
            "language",
            "consent",
            "status",
            "mode",
            "started_at",
            "completed_at",
            "risk_level",
            "risk_rule",
            "risk_fired",
            "flags",
        ]


class ConsentDecisionSerializer(serializers.Serializer):
    granted = serializers.BooleanField()
    given_on = serializers.DateField(required=False)
    document = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ResponseSerializer(serializers.ModelSerializer):
    participant = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    instrument = InstrumentVersionSerializer(read_only=True)

    class Meta:
        model = Response
        fields = ["uuid", "participant", "instrument", "answers", "total", "band", "flags", "subscales", "completed_at"]


class RiskAlertSerializer(serializers.ModelSerializer):
    participant = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    handled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RiskAlert
        fields = [
            "uuid",
            "participant",
            "level",
            "fired",
            "flags",
            "status",
            "handled_by",
            "handled_at",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FollowUpGroupSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    members = serializers.SlugRelatedField(slug_field="uuid", many=True, read_only=True)

    class Meta:
        model = FollowUpGroup
        fields = ["uuid", "name", "purpose", "school", "members", "created_at"]


class GroupCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    purpose = serializers.CharField(required=False, allow_blank=True)
    members = serializers.ListField(child=serializers.UUIDField(), min_length=1)


def result_body(result: Any) -> dict[str, Any]:
    body: dict[str, Any] = result.as_dict()
    body["alerts"] = getattr(result, "alerts", 0)
    body["skipped"] = getattr(result, "skipped", 0)
    body["by_level"] = getattr(result, "by_level", {})
    return body
