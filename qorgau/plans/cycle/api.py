"""API of the reporting cycle: measure reports and their documents, plan monitoring, target indicators.

Registered on the shared router by ``api/urls.py`` (importing this module). Objects are scoped like the
pages (out of scope → 404); every change goes through :mod:`plans.cycle.actions`; a stale ``version``
answers 409.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.router import router
from api.viewsets import ScopedReadOnlyViewSet, ScopedViewSetMixin
from plans.cycle import actions, progress, services
from plans.models import Measure, MeasureReport, Plan, ReportDocument, TargetIndicator


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Domain refusals as 400/403 (conflicts become 409 through api.errors)."""
    try:
        return fn(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValueError as exc:
        raise ValidationError({"detail": str(exc)}) from exc


# --- serializers -----------------------------------------------------------------------------------------


class MeasureReportSerializer(serializers.ModelSerializer):
    measure = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    measure_number = serializers.CharField(source="measure.number", read_only=True)
    plan = serializers.UUIDField(source="measure.plan.uuid", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    on_time = serializers.SerializerMethodField()
    # A plain string here: the choice set is documented once, on the change request (one enum per schema).
    status = serializers.CharField(read_only=True, help_text="done, in_progress, not_done, not_due or empty")

    class Meta:
        model = MeasureReport
        fields = [
            "uuid",
            "plan",
            "measure",
            "measure_number",
            "agency",
            "organisation",
            "period",
            "due_date",
            "status",
            "narrative_kk",
            "narrative_ru",
            "spent_mln_kzt",
            "state",
            "consolidated",
            "consolidated_from",
            "submitted_at",
            "submitted_by",
            "on_time",
            "version",
        ]
        read_only_fields = fields

    def get_on_time(self, obj: MeasureReport) -> bool | None:
        return services.submitted_on_time(obj, obj.due_date) if obj.submitted_at else None


class ReportStartSerializer(serializers.Serializer):
    measure = serializers.UUIDField()
    period = serializers.CharField(max_length=10, help_text="a reporting period of the plan: YYYY, YYYY-Qn, YYYY-Hn")
    organisation = serializers.UUIDField(required=False, help_text="needed only if you report for several executors")


class ReportChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MeasureReport.Status.choices, allow_blank=True, required=False)
    narrative_kk = serializers.CharField(allow_blank=True, required=False)
    narrative_ru = serializers.CharField(allow_blank=True, required=False)
    spent_mln_kzt = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, allow_null=True, required=False
    )
    version = serializers.IntegerField(help_text="the version you loaded (optimistic locking: 409 if stale)")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="the version you loaded (409 if stale)")


class ConsolidationSerializer(serializers.Serializer):
    report = MeasureReportSerializer()
    still_to_report = serializers.ListField(child=serializers.CharField())


class ReportDocumentSerializer(serializers.ModelSerializer):
    report = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = ReportDocument
        fields = ["uuid", "report", "name", "content_type", "size", "sha256", "created_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class TargetProgressSerializer(serializers.Serializer):
    """A target indicator with its years: target, actual, trajectory, on track, target met."""

    uuid = serializers.UUIDField()
    number = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    version = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=["up", "down"])
    baseline = serializers.FloatField(allow_null=True)
    on_track = serializers.BooleanField(allow_null=True)
    years = serializers.ListField(child=serializers.DictField())
    notes = serializers.ListField(child=serializers.CharField())

    def to_representation(self, instance: TargetIndicator) -> dict[str, Any]:
        return progress.indicator_progress(instance).to_json()


class ActualValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    version = serializers.IntegerField(help_text="the version you loaded (optimistic locking: 409 if stale)")


# --- viewsets --------------------------------------------------------------------------------------------


class MeasureReportViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Measure reports in scope. Filters: plan (UUID), period, state, agency (code)."""

    queryset = MeasureReport.objects.select_related("measure__plan", "agency", "organisation", "submitted_by")
    serializer_class = MeasureReportSerializer
    extra_scope_actions = {
        "submit": "change",
        "consolidate": "change",
        "documents": "view",
        "add_document": "change",
    }

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        p = self.request.query_params
        if p.get("plan"):
            try:
                qs = qs.filter(measure__plan__uuid=p["plan"])
            except ValueError:  # Django refuses a malformed UUID here; an unknown plan has no reports
                return qs.none()
        for key in ("period", "state"):
            if p.get(key):
                qs = qs.filter(**{key: p[key]})
        if p.get("agency"):
            qs = qs.filter(agency__code=p["agency"])
        return qs.order_by("measure__plan", "measure__position", "period", "agency__code")

    @extend_schema(request=ReportStartSerializer, responses=MeasureReportSerializer)
    def create(self, request: Request) -> Response:
        """Start your agency's report on a measure for a period (or get the one already started)."""
        form = ReportStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        measure = Measure.objects.restrict(request.user, "view").filter(uuid=d["measure"]).first()
        if measure is None:
            raise ValidationError({"measure": _("Unknown measure.")})
        organisation = None
        if d.get("organisation"):
            organisation = services.reporting_organisations(request.user).filter(uuid=d["organisation"]).first()
            if organisation is None:
                raise ValidationError({"organisation": _("Unknown organisation.")})
        report = _run(actions.start_report, request.user, measure, d["period"], organisation)
        return Response(MeasureReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportChangeSerializer, responses=MeasureReportSerializer)
    def partial_update(self, request: Request, uuid: str | None = None) -> Response:
        """Change a draft report; send the ``version`` you loaded."""
        report = self.get_object()
        form = ReportChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        _run(
            actions.save_report,
            request.user,
            report,
            status=d.get("status", report.status),
            narrative_kk=d.get("narrative_kk", report.narrative_kk),
            narrative_ru=d.get("narrative_ru", report.narrative_ru),
            spent_mln_kzt=d.get("spent_mln_kzt", report.spent_mln_kzt),
            version=d["version"],
        )
        return Response(MeasureReportSerializer(report).data)

    @extend_schema(request=VersionSerializer, responses=MeasureReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, uuid: str | None = None) -> Response:
        """Send the report to the Ministry; the time of submission decides whether it is on time."""
        report = self.get_object()
        form = VersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _run(actions.submit_report, request.user, report, version=form.validated_data.get("version"))
        return Response(MeasureReportSerializer(report).data)

    @extend_schema(request=VersionSerializer, responses=ConsolidationSerializer)
    @action(detail=True, methods=["post"])
    def consolidate(self, request: Request, uuid: str | None = None) -> Response:
        """The lead executor takes the co-executors' submitted information into its draft report."""
        report = self.get_object()
        form = VersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report, missing = _run(
            actions.consolidate_report, request.user, report, version=form.validated_data.get("version")
        )
        return Response({"report": MeasureReportSerializer(report).data, "still_to_report": missing})

    @extend_schema(responses=ReportDocumentSerializer(many=True))
    @action(detail=True)
    def documents(self, request: Request, uuid: str | None = None) -> Response:
        report = self.get_object()
        documents = ReportDocument.objects.restrict(request.user, "view").filter(report=report)
        return Response(ReportDocumentSerializer(documents, many=True).data)

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses=ReportDocumentSerializer)
    @action(detail=True, methods=["post"], url_path="documents/add", parser_classes=[MultiPartParser])
    def add_document(self, request: Request, uuid: str | None = None) -> Response:
        report = self.get_object()
        form = DocumentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        document = _run(actions.add_document, request.user, report, upload, upload.name)
        return Response(ReportDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ReportDocumentViewSet(ScopedReadOnlyViewSet):
    """Documents of the reports in scope; ``download`` serves the file."""

    queryset = ReportDocument.objects.select_related("report")
    serializer_class = ReportDocumentSerializer

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True)
    def download(self, request: Request, uuid: str | None = None) -> FileResponse:
        document = self.get_object()
        response = FileResponse(document.file.open("rb"), content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.uuid}{Path(document.name).suffix.lower()}"'
        return response


class PlanMonitoringViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The completeness and timeliness of a plan's reports (the Ministry's monitoring)."""

    queryset = Plan.objects.all()
    serializer_class = serializers.Serializer  # the answer is built by the services, see ``retrieve``
    extra_scope_actions = {"retrieve": "monitor"}

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="a reporting period (default: the current one)")],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request: Request, uuid: str | None = None) -> Response:
        """Per period: expected / received / on-time reports per agency; the overdue measures."""
        plan = self.get_object()
        cycle = services.reporting_cycle(plan)
        day = services.today()
        label = request.query_params.get("period", "")
        rp = cycle.get(label) if label else cycle.current(day)
        if label and rp is None:
            raise NotFound
        expectations = services.measure_expectations(plan)
        overdue, unchecked = services.overdue_measures(plan, day=day, expectations=expectations)
        periods = [services.monitoring(plan, p, day=day, expectations=expectations) for p in cycle.periods]
        selected = next((m for m in periods if rp and m.period.label == rp.label), None)
        return Response(
            {
                "plan": str(plan.uuid),
                "status": plan.status,
                "today": day.isoformat(),
                "periods": [{**m.period.to_json(), "total": m.total.to_json()} for m in periods],
                "period": selected.to_json() if selected else None,
                "overdue": [o.to_json() for o in overdue],
                "not_checked": [m.number for m in unchecked],
                "warnings": cycle.warnings,
            }
        )


class TargetIndicatorViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Target indicators with their progress. Filter: plan (UUID). ``actual`` records an actual value."""

    queryset = TargetIndicator.objects.select_related("plan")
    serializer_class = TargetProgressSerializer
    extra_scope_actions = {"actual": "change"}

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if self.request.query_params.get("plan"):
            try:
                qs = qs.filter(plan__uuid=self.request.query_params["plan"])
            except ValueError:
                return qs.none()
        return qs.order_by("plan", "position")

    @extend_schema(request=ActualValueSerializer, responses=TargetProgressSerializer)
    @action(detail=True, methods=["post"])
    def actual(self, request: Request, uuid: str | None = None) -> Response:
        """Record (``value``: null clears it) the actual value of a year; the year before the plan is the baseline."""
        indicator = self.get_object()
        form = ActualValueSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        _run(actions.set_actual, request.user, indicator, d["year"], d["value"], version=d["version"])
        return Response(TargetProgressSerializer(indicator).data)


router.register("plans/reports", MeasureReportViewSet, basename="plan-report")
router.register("plans/report-documents", ReportDocumentViewSet, basename="plan-report-document")
router.register("plans/monitoring", PlanMonitoringViewSet, basename="plan-monitoring")
router.register("plans/target-indicators", TargetIndicatorViewSet, basename="plan-target-indicator")
