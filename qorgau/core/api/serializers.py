"""Serializers of the core API. Foreign keys are exposed and accepted as UUIDs or codes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core import scope
from core.forms import organisations_for
from core.iin import check_iin
from core.models import (
    Agency,
    AuditEntry,
    Child,
    Consent,
    District,
    LegalRepresentative,
    Organisation,
    Region,
    RoleAssignment,
    User,
)
from core.models.territory import EDUCATION_KINDS


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["pcode", "kind", "name", "name_kk", "name_ru", "name_en", "aliases"]


class DistrictSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="pcode", read_only=True)

    class Meta:
        model = District
        fields = ["id", "region", "name", "name_kk", "name_ru", "name_en"]


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[assignment]
    region = serializers.SlugRelatedField(slug_field="pcode", read_only=True)
    district = serializers.StringRelatedField()
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "uuid",
            "parent",
            "kind",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "code",
            "region",
            "district",
            "agency",
            "is_active",
            "path",
        ]


class AgencyAliasSerializer(serializers.Serializer):
    text = serializers.CharField()
    lang = serializers.CharField()
    former = serializers.BooleanField()


class AgencySerializer(serializers.ModelSerializer):
    aliases = AgencyAliasSerializer(many=True, read_only=True)
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = ["code", "kind", "name", "name_kk", "name_ru", "name_en", "successor", "aliases"]


class ScopedOrganisationField(serializers.SlugRelatedField):
    """An organisation given by UUID, chosen among those where the caller may use ``capability``."""

    def __init__(self, capability: str, **kwargs: Any) -> None:
        self.capability = capability
        super().__init__(slug_field="uuid", **kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return organisations_for(getattr(request, "user", None), self.capability).filter(kind__in=EDUCATION_KINDS)


class ChildSerializer(serializers.ModelSerializer):
    organisation = ScopedOrganisationField("child.add")
    version = serializers.IntegerField(required=False, help_text=_("The version you loaded; required on update."))

    class Meta:
        model = Child
        fields = [
            "uuid",
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "sex",
            "organisation",
            "class_name",
            "language",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "created_at", "updated_at"]
        extra_kwargs = {"iin": {"validators": []}}  # uniqueness is checked below with a clear message

    def validate_iin(self, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is None:
            return None
        info = check_iin(value)
        if not info.valid:
            raise serializers.ValidationError(str(info.error))
        clash = Child.objects.filter(iin=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(_("A child with this IIN is already registered."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": _("Send the version you loaded.")})
        iin = attrs.get("iin", getattr(self.instance, "iin", None))
        if iin:
            info = check_iin(iin)
            birth = attrs.get("birth_date", getattr(self.instance, "birth_date", None))
            sex = attrs.get("sex", getattr(self.instance, "sex", None))
            if birth and info.birth_date != birth:
                raise serializers.ValidationError({"birth_date": _("The date of birth does not match the IIN.")})
            if sex and info.sex != sex:
                raise serializers.ValidationError({"sex": _("The sex does not match the IIN.")})
        return attrs


class DeidentifiedChildSerializer(serializers.ModelSerializer):
    """What an analyst sees of a child: no name, no IIN, no exact birth date, no school."""

    pseudonym = serializers.CharField(read_only=True)
    birth_year = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    organisation_kind = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = ["pseudonym", "birth_year", "sex", "region", "organisation_kind", "language"]

    def get_birth_year(self, obj: Child) -> int:
        return obj.birth_date.year

    def get_region(self, obj: Child) -> str | None:
        return obj.organisation.region.pcode if obj.organisation.region_id else None  # type: ignore[union-attr]

    def get_organisation_kind(self, obj: Child) -> str:
        return obj.organisation.kind


class ScopedRelatedField(serializers.SlugRelatedField):
    """A related object given by UUID, among those the caller may ``action`` (others: "does not exist")."""

    def __init__(self, model: Any, action: str = "change", **kwargs: Any) -> None:
        self.scoped_model, self.scoped_action = model, action
        super().__init__(slug_field="uuid", **kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return self.scoped_model.objects.restrict(getattr(request, "user", None), self.scoped_action)


class LegalRepresentativeSerializer(serializers.ModelSerializer):
    child = ScopedRelatedField(Child)

    class Meta:
        model = LegalRepresentative
        fields = ["uuid", "child", "full_name", "relation", "iin", "phone", "email", "created_at"]
        read_only_fields = ["uuid", "created_at"]


class ConsentSerializer(serializers.ModelSerializer):
    child = ScopedRelatedField(Child)
    representative = ScopedRelatedField(LegalRepresentative, "view", allow_null=True, required=False)

    class Meta:
        model = Consent
        fields = [
            "uuid",
            "child",
            "representative",
            "purpose",
            "granted",
            "given_on",
            "document",
            "withdrawn_at",
            "created_at",
        ]
        read_only_fields = ["uuid", "created_at", "withdrawn_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        rep = attrs.get("representative")
        if rep is not None and rep.child_id != attrs["child"].pk:
            raise serializers.ValidationError(
                {"representative": _("This person is not a representative of the child.")}
            )
        return attrs


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor_username",
            "action",
            "model",
            "object_id",
            "changes",
            "count",
            "reason",
            "detail",
            "request_id",
            "ip",
        ]


class RoleAssignmentSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "organisation", "organisation_name", "include_subtree"]


class MeSerializer(serializers.ModelSerializer):
    assignments = RoleAssignmentSerializer(many=True, read_only=True)
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "uuid",
            "username",
            "first_name",
            "last_name",
            "email",
            "preferred_language",
            "assignments",
            "capabilities",
        ]

    def get_capabilities(self, obj: User) -> list[str]:
        from core.roles import CAPABILITIES

        caps: set[str] = set()
        for role in scope.roles(obj):
            caps |= CAPABILITIES.get(role, set())
        return sorted(caps)


class ChildImportSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()
    file = serializers.FileField(help_text=_("CSV (UTF-8) or XLSX class roster; see the template on the web page"))
