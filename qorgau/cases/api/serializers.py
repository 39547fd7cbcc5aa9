"""Serializers of the cases API."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Attachment, Case, CaseEvent, CaseNote, CaseTask, Category, Referral, RiskLevel, Source


class CaseSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    case_manager = serializers.SlugRelatedField(slug_field="username", read_only=True)
    children = serializers.SlugRelatedField(slug_field="uuid", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "uuid",
            "number",
            "category",
            "risk_level",
            "source",
            "status",
            "organisation",
            "case_manager",
            "children",
            "summary",
            "protocol_code",
            "protocol_version",
            "opened_at",
            "first_action_at",
            "escalations",
            "outcome",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class CaseOpenSerializer(serializers.Serializer):
    children = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    category = serializers.ChoiceField(choices=Category.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    organisation = serializers.UUIDField()
    summary = serializers.CharField(allow_blank=True, required=False)


class CaseStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)
    version = serializers.IntegerField(help_text="the version you loaded (optimistic locking: 409 if stale)")


class ClosureSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    version = serializers.IntegerField()


class TaskSerializer(serializers.ModelSerializer):
    escalated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    description = serializers.DictField(child=serializers.CharField(), read_only=True)
    record_title = serializers.DictField(child=serializers.CharField(), read_only=True)
    case = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    completed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseTask
        fields = [
            "uuid",
            "case",
            "position",
            "step_code",
            "title",
            "description",
            "responsible_role",
            "responsible_agency",
            "assignee",
            "due_at",
            "calendar",
            "record_kind",
            "record_title",
            "record_required",
            "status",
            "completed_at",
            "completed_by",
            "record",
            "escalated_at",
            "version",
        ]
        read_only_fields = fields


class TaskCompleteSerializer(serializers.Serializer):
    record = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "actor", "text", "data"]


class NoteSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["uuid", "case", "author", "text", "confidential", "created_at"]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    confidential = serializers.BooleanField(default=False)


class AttachmentSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = Attachment
        fields = ["uuid", "case", "name", "content_type", "size", "sha256", "description", "created_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True)


class ReferralSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    from_organisation = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    to_organisation = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "uuid",
            "case",
            "kind",
            "from_organisation",
            "to_organisation",
            "reason",
            "status",
            "decided_at",
            "decline_reason",
            "created_at",
        ]
        read_only_fields = fields


class ReferSerializer(serializers.Serializer):
    to = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Referral.Kind.choices)
    reason = serializers.CharField()


class DecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True)
