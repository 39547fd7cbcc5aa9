"""API of the indicators module: the catalogue (read, and write for analysts), values (read; entry and
import through :mod:`indicators.actions`), and imports with their findings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core import scope
from core.reference import resolve_region_code
from indicators import actions, importers, wellbeing
from indicators.api import serializers as s
from indicators.models import ImportBatch, Indicator, IndicatorValue

NATIONAL = {"", "KAZ"}


class IndicatorViewSet(ScopedModelViewSet):
    """The indicator catalogue. Filters: domain (code), published (1). Indicators are never deleted."""

    queryset = Indicator.objects.select_related("domain", "source_agency", "numerator", "denominator")
    serializer_class = s.IndicatorSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        p = self.request.query_params
        if p.get("domain"):
            qs = qs.filter(domain__code=p["domain"])
        if p.get("published"):
            qs = qs.filter(published=True)
        return qs

    @extend_schema(parameters=[OpenApiParameter("domain", str), OpenApiParameter("published", bool)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        serializer.validated_data.pop("version", None)
        try:
            super().perform_create(serializer)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc


class IndicatorValueViewSet(ScopedReadOnlyViewSet):
    """Values by region and year with their provenance. Filters: indicator (code), region (p-code or
    KAZ), year. POST enters one value (analysts)."""

    queryset = IndicatorValue.objects.select_related(
        "indicator", "region", "batch", "entered_by", "numerator", "denominator"
    )
    serializer_class = s.IndicatorValueSerializer

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        p = self.request.query_params
        if p.get("indicator"):
            qs = qs.filter(indicator__code=p["indicator"])
        if p.get("region"):
            qs = qs.filter(region__isnull=True) if p["region"] == "KAZ" else qs.filter(region__pcode=p["region"])
        if p.get("year", "").isdigit():
            qs = qs.filter(year=int(p["year"]))
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", str),
            OpenApiParameter("region", str, description="p-code, or KAZ for the national values"),
            OpenApiParameter("year", int),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.ValueEntrySerializer, responses=s.IndicatorValueSerializer)
    def create(self, request: Request) -> Response:
        form = s.ValueEntrySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        region_id = None
        if d["region"].strip().upper() not in NATIONAL:
            from core.models import Region

            code = d["region"].strip().upper() if d["region"].strip().upper().startswith("KAZ0") else None
            code = code or resolve_region_code(d["region"])
            region = Region.objects.filter(pcode=code).first() if code else None
            if region is None:
                raise ValidationError({"region": str(importers.MESSAGES["unknown-region"] % {"value": d["region"]})})
            region_id = region.pk
        item = actions.Incoming(
            indicator_id=d["indicator"].pk,
            region_id=region_id,
            year=d["year"],
            value=d["value"],
            sex=d["sex"],
            area=d["area"],
            age=d["age"],
            as_of=d["as_of"],
            note=d["note"],
        )
        try:
            value, _findings = actions.enter_value(request.user, item)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(s.IndicatorValueSerializer(value).data, status=status.HTTP_201_CREATED)


class ImportBatchViewSet(ScopedReadOnlyViewSet):
    """Imports and their findings. POST a file (multipart) to import it: 201 when applied, 400 with the
    import's findings when rejected (nothing written)."""

    queryset = ImportBatch.objects.select_related("uploaded_by")
    serializer_class = s.ImportBatchSerializer

    def get_serializer_class(self) -> Any:
        return s.ImportBatchDetailSerializer if self.action == "retrieve" else s.ImportBatchSerializer

    @extend_schema(
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses={201: s.ImportBatchDetailSerializer, 400: s.ImportBatchDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        form = s.ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            batch = importers.import_file(request.user, upload, upload.name)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        code = status.HTTP_201_CREATED if batch.state == ImportBatch.State.APPLIED else status.HTTP_400_BAD_REQUEST
        return Response(s.ImportBatchDetailSerializer(batch).data, status=code)


class CanViewIndicators(BasePermission):
    """Signed in and holding ``indicator.view`` somewhere (every staff role; not the system administrator)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and scope.can(request.user, "indicator.view"))


class WellbeingIndexViewSet(viewsets.ViewSet):
    """The child well-being index of a year computed from the stored values (SPEC §2.6, §3).

    The document is the ``wellbeing_index --json`` one. Unknown methodology or bad parameters: 400. A
    year without an index: 200 with no regions and the reason in ``warnings``.
    """

    permission_classes = [IsAuthenticated, CanViewIndicators]

    @extend_schema(
        parameters=[s.IndexQuerySerializer],
        responses={200: s.IndexDocumentSerializer},
        operation_id="indicators_index_retrieve",
    )
    def list(self, request: Request) -> Response:
        form = s.IndexQuerySerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        params = form.validated_data
        try:
            option = wellbeing.methodology_option(params.get("methodology"))
        except wellbeing.IndexUnavailable as exc:
            raise ValidationError({"methodology": str(exc)}) from exc
        year = params.get("year") or wellbeing.latest_year(option)
        if year is None:
            return Response(wellbeing.empty_document(None, option, wellbeing.no_data_reason(option.methodology)))
        try:
            index = wellbeing.compute_wellbeing(year, option.key)
        except wellbeing.IndexUnavailable as exc:
            return Response(wellbeing.empty_document(year, option, str(exc)))
        document = index.document(gaps=params["gaps"])
        if params.get("sensitivity"):
            document["sensitivity"] = index.sensitivity(draws=params["sensitivity"]).as_dict()
        return Response(document)
