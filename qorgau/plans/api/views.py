"""API of the plans module: plans (import, activation) and their measures (review corrections)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedReadOnlyViewSet
from plans import actions
from plans.api import serializers as s
from plans.forms import MAX_PLAN_BYTES
from plans.importers import decode, import_plan
from plans.models import Measure, MeasureExecutor, Plan


class PlanViewSet(ScopedReadOnlyViewSet):
    """State plans. POST a plan text (multipart ``document``) to import it as a draft; activate a reviewed draft."""

    queryset = Plan.objects.prefetch_related("indicators")
    serializer_class = s.PlanSerializer
    extra_scope_actions = {"activate": "activate", "import_plan": "add"}

    @extend_schema(request={"multipart/form-data": s.PlanImportSerializer}, responses={201: s.PlanSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_plan(self, request: Request) -> Response:
        form = s.PlanImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        files = [form.validated_data["document"], form.validated_data.get("national")]
        if any(f is not None and f.size > MAX_PLAN_BYTES for f in files):
            raise ValidationError({"document": _("The file is larger than 5 MB: upload the plan's text only.")})
        try:
            plan = import_plan(
                request.user,
                decode(files[0].read()),
                files[0].name,
                national_text=decode(files[1].read()) if files[1] is not None else None,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(s.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActivateSerializer, responses=s.PlanSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, uuid: str | None = None) -> Response:
        plan = self.get_object()
        form = s.ActivateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            actions.activate(request.user, plan, version=form.validated_data["version"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(s.PlanSerializer(plan).data)


class MeasureViewSet(ScopedReadOnlyViewSet):
    """Measures of the plans. Filters: plan (uuid), warnings=1. PATCH corrects a measure of a draft plan."""

    queryset = Measure.objects.select_related("plan", "section").prefetch_related(
        Prefetch("executors", queryset=MeasureExecutor.objects.select_related("agency")), "funding"
    )
    serializer_class = s.MeasureSerializer
    extra_scope_actions = {"correct": "change"}

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        p = self.request.query_params
        if p.get("plan"):
            qs = qs.filter(plan__uuid=p["plan"])
        if p.get("warnings"):
            qs = qs.exclude(warnings=[])
        return qs.order_by("plan", "position")

    @extend_schema(request=s.MeasureCorrectionSerializer, responses=s.MeasureSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, uuid: str | None = None) -> Response:
        measure = self.get_object()
        form = s.MeasureCorrectionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = dict(form.validated_data)
        measure.version = d.pop("version")
        executors = d.pop("executors", None)
        for name, value in d.items():
            setattr(measure, name, value)
        try:
            actions.correct_measure(request.user, measure, executors)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        measure = self.get_queryset().get(pk=measure.pk)
        return Response(s.MeasureSerializer(measure).data)
