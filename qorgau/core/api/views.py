"""API viewsets of the core app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core import agencies, audit, scope
from core.api import serializers as s
from core.forms import organisations_for
from core.models import (
    Agency,
    AuditEntry,
    Child,
    Consent,
    District,
    LegalRepresentative,
    Organisation,
    Region,
)


def _required_q(request: Request) -> str:
    q = request.query_params.get("q", "").strip()
    if not q:
        raise ValidationError({"q": _("Give the name to look up in the parameter q.")})
    return q


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The 20 regions (reference data, visible to every signed-in user)."""

    queryset = Region.objects.all()
    serializer_class = s.RegionSerializer
    lookup_field = "pcode"

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True, description="any spelling")])
    @action(detail=False)
    def resolve(self, request: Request) -> Response:
        region = agencies.resolve_region(_required_q(request))
        if region is None:
            raise NotFound(_("No region matches this name."))
        return Response(s.RegionSerializer(region).data)


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.select_related("region")
    serializer_class = s.DistrictSerializer


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """State bodies and budget sources with every abbreviation and former name."""

    queryset = Agency.objects.prefetch_related("aliases").select_related("successor")
    serializer_class = s.AgencySerializer
    lookup_field = "code"

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True, description="e.g. Еңбекмині")])
    @action(detail=False)
    def resolve(self, request: Request) -> Response:
        agency = agencies.resolve(_required_q(request))
        if agency is None:
            raise NotFound(_("No agency matches this name."))
        return Response(s.AgencySerializer(agency).data)


class OrganisationViewSet(ScopedReadOnlyViewSet):
    queryset = Organisation.objects.select_related("parent", "region", "district", "agency")
    serializer_class = s.OrganisationSerializer

    @action(detail=True)
    def branches(self, request: Request, uuid: str | None = None) -> Response:
        """The direct branches of an organisation (within scope)."""
        org = self.get_object()
        qs = self.get_queryset().filter(parent=org)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ChildViewSet(ScopedModelViewSet):
    """Children in scope. Analysts get de-identified rows from the list and nothing else."""

    queryset = Child.objects.select_related("organisation__region")
    serializer_class = s.ChildSerializer

    def identified(self) -> bool:
        return scope.can(self.request.user, "child.view")

    def scope_action(self) -> str:
        if self.action == "list" and not self.identified():
            return "view_deidentified"
        return super().scope_action()

    def get_serializer_class(self) -> Any:
        if self.action == "list" and not self.identified():
            return s.DeidentifiedChildSerializer
        return super().get_serializer_class()

    def get_queryset(self) -> QuerySet[Child]:
        qs = super().get_queryset().order_by("id")
        org = self.request.query_params.get("organisation")
        if org:
            node = Organisation.objects.restrict(self.request.user, "view").filter(uuid=org).first()
            qs = qs.filter(organisation__path__startswith=node.path) if node else qs.none()
        return qs

    @extend_schema(request={"multipart/form-data": s.ChildImportSerializer}, responses={201: dict, 400: dict})
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_roster(self, request: Request) -> Response:
        """Import a class roster: every row is checked, then all rows are imported or none."""
        return _import_children(self, request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        if self.identified():
            audit.record_list(Child, [row["uuid"] for row in response.data["results"]])
        return response


def _import_children(view: ChildViewSet, request: Request) -> Response:
    from core.importers import ImportFileError, import_children, read_table

    if not scope.can(request.user, "child.add"):
        raise PermissionDenied
    form = s.ChildImportSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    org = organisations_for(request.user, "child.add").filter(uuid=form.validated_data["organisation"]).first()
    if org is None:
        raise ValidationError({"organisation": _("You cannot add children to this organisation.")})
    upload = form.validated_data["file"]
    try:
        rows = read_table(upload, upload.name)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    result = import_children(request.user, org, rows)
    return Response(result.as_dict(), status=status.HTTP_201_CREATED if result.ok else status.HTTP_400_BAD_REQUEST)


class LegalRepresentativeViewSet(ScopedModelViewSet):
    queryset = LegalRepresentative.objects.select_related("child")
    serializer_class = s.LegalRepresentativeSerializer


class ConsentViewSet(ScopedModelViewSet):
    queryset = Consent.objects.select_related("child", "representative")
    serializer_class = s.ConsentSerializer
    http_method_names = ["get", "post", "head", "options"]  # consents are added, never edited

    def perform_create(self, serializer: Any) -> None:
        serializer.validated_data["recorded_by"] = self.request.user
        super().perform_create(serializer)


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """The audit trail, for administrators. Filters: user, action, model, object_id."""

    queryset = AuditEntry.objects.all()
    serializer_class = s.AuditEntrySerializer
    lookup_field = "id"

    def get_queryset(self) -> QuerySet[AuditEntry]:
        qs = super().get_queryset()
        params = self.request.query_params
        for param, lookup in (
            ("user", "actor_username"),
            ("action", "action"),
            ("model", "model"),
            ("object_id", "object_id"),
        ):
            if params.get(param):
                qs = qs.filter(**{lookup: params[param]})
        return qs.order_by("-at", "-id")


class MeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user, their roles and capabilities."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.MeSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            raise ValidationError("unauthenticated")
        return Response(s.MeSerializer(request.user).data)
