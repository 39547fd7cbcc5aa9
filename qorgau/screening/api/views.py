"""API of the screening module: instruments, campaigns, participants, responses, alerts, groups."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedReadOnlyViewSet
from core import audit, scope
from core.forms import organisations_for
from core.models import Organisation
from core.tables import ImportFileError
from screening import actions, dashboards, paper
from screening.api import serializers as s
from screening.instruments import FormError, load_xlsform
from screening.models import Campaign, FollowUpGroup, InstrumentVersion, Participant, RiskAlert
from screening.models import Response as ScreeningResponse


class InstrumentVersionViewSet(ScopedReadOnlyViewSet):
    """Instrument versions; ``retrieve`` includes the full definition (items, options, scoring)."""

    queryset = InstrumentVersion.objects.all()
    serializer_class = s.InstrumentVersionSerializer

    def get_serializer_class(self) -> Any:
        return s.InstrumentDefinitionSerializer if self.action == "retrieve" else s.InstrumentVersionSerializer

    @extend_schema(
        request={"multipart/form-data": s.InstrumentImportSerializer}, responses=s.InstrumentVersionSerializer
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_form(self, request: Request) -> Response:
        """Import an XLSForm as a new instrument version (refused with the reasons if unsupported)."""
        if not scope.can(request.user, "instrumentversion.add"):
            raise PermissionDenied
        form = s.InstrumentImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            inst = load_xlsform(upload, filename=upload.name)
        except FormError as exc:
            raise ValidationError({"file": list(exc.messages)}) from exc
        if InstrumentVersion.objects.filter(code=inst.code, version=inst.version).exists():
            raise ValidationError({"file": [_("This version of the instrument already exists.")]})
        from screening.views import _store_instrument

        version = _store_instrument(request.user, inst, upload.name)
        return Response(s.InstrumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class CampaignViewSet(ScopedReadOnlyViewSet):
    """Screening campaigns. ``create`` selects the children by grades and/or classes."""

    queryset = Campaign.objects.select_related("organisation")
    serializer_class = s.CampaignSerializer
    extra_scope_actions = {"set_status": "change", "paper_import": "view", "dashboard": "view"}

    @extend_schema(request=s.CampaignCreateSerializer, responses=s.CampaignSerializer)
    def create(self, request: Request) -> Response:
        if not scope.can(request.user, "campaign.add"):
            raise PermissionDenied
        form = s.CampaignCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        org = organisations_for(request.user, "campaign.add").filter(uuid=d["organisation"]).first()
        if org is None:
            raise ValidationError({"organisation": _("You cannot run a campaign for this organisation.")})
        versions = list(InstrumentVersion.objects.restrict(request.user, "view").filter(uuid__in=d["instruments"]))
        order = {u: i for i, u in enumerate(d["instruments"])}
        versions.sort(key=lambda v: order[v.uuid])
        if len(versions) != len(d["instruments"]):
            raise ValidationError({"instruments": _("Unknown instrument.")})
        if d["ends_on"] < d["starts_on"]:
            raise ValidationError({"ends_on": _("The campaign cannot close before it opens.")})
        schools = {
            str(o.uuid): o.pk
            for o in Organisation.objects.filter(
                uuid__in=[c.get("school") for c in d.get("classes", []) if _uuid(c.get("school"))]
            )
        }
        classes = tuple(
            (schools[c["school"]], c.get("class", "")) for c in d.get("classes", []) if c.get("school") in schools
        )
        if not d.get("grades") and not classes:
            raise ValidationError({"grades": _("Choose the grades or the classes that take part.")})
        try:
            campaign = actions.create_campaign(
                request.user,
                title=d["title"],
                selection=actions.Selection(org, tuple(d.get("grades") or ()), classes),
                instruments=versions,
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
            )
        except ValueError as exc:
            raise ValidationError({"instruments": str(exc)}) from exc
        return Response(s.CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.StatusSerializer, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, uuid: str | None = None) -> Response:
        campaign = self.get_object()
        form = s.StatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            actions.set_status(request.user, campaign, form.validated_data["status"])
        except ValueError as exc:
            raise ValidationError({"status": str(exc)}) from exc
        return Response(s.CampaignSerializer(campaign).data)

    @extend_schema(parameters=[OpenApiParameter("at", str, description="organisation uuid (territory)")])
    @action(detail=True)
    def dashboard(self, request: Request, uuid: str | None = None) -> Response:
        """Completion, consent and risk one level below ``at``; counts under 5 suppressed (null) outside the school."""
        campaign = self.get_object()
        at = request.query_params.get("at")
        node = campaign.organisation
        if at:
            node = Organisation.objects.restrict(request.user, "view").filter(uuid=at).first() if _uuid(at) else None
            if node is None:
                raise NotFound
        return Response(dashboards.build(campaign, request.user, node).as_dict())

    @extend_schema(request={"multipart/form-data": s.InstrumentImportSerializer})
    @action(detail=True, methods=["post"], url_path="paper", parser_classes=[MultiPartParser])
    def paper_import(self, request: Request, uuid: str | None = None) -> Response:
        """Import filled paper forms (the campaign's template): every row or none."""
        campaign = self.get_object()
        if not Participant.objects.restrict(request.user, "change").filter(campaign=campaign).exists():
            raise NotFound
        form = s.InstrumentImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            result = paper.import_paper(request.user, campaign, upload, upload.name)
        except ImportFileError as exc:
            raise ValidationError({"file": str(exc)}) from exc
        return Response(s.result_body(result), status=status.HTTP_201_CREATED if result.ok else 400)


def _uuid(value: Any) -> bool:
    from screening.views import _is_uuid

    return isinstance(value, str) and _is_uuid(value)


class ParticipantViewSet(ScopedReadOnlyViewSet):
    """Children in campaigns. Filters: campaign (uuid), risk_level, status."""

    queryset = Participant.objects.select_related("campaign", "child", "school")
    serializer_class = s.ParticipantSerializer
    extra_scope_actions = {"consent": "change"}

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        p = self.request.query_params
        if p.get("campaign") and _uuid(p["campaign"]):
            qs = qs.filter(campaign__uuid=p["campaign"])
        if p.get("risk_level"):
            qs = qs.filter(risk_level=p["risk_level"])
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        return qs

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        audit.record_read(obj)
        return Response(self.get_serializer(obj).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        audit.record_list(Participant, [row["uuid"] for row in response.data["results"]])
        return response

    @extend_schema(request=s.ConsentDecisionSerializer, responses=s.ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, uuid: str | None = None) -> Response:
        """Record the legal representative's decision (a core Consent record; the participant's state)."""
        participant = self.get_object()
        form = s.ConsentDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            actions.record_consent(request.user, participant, **form.validated_data)
        except ValueError as exc:
            raise ValidationError({"granted": str(exc)}) from exc
        except DjangoPermissionDenied as exc:
            raise NotFound from exc
        return Response(s.ParticipantSerializer(participant).data)


class ResponseViewSet(ScopedReadOnlyViewSet):
    """Answers and scores (psychologists and the support centre only). Filter: participant (uuid)."""

    queryset = ScreeningResponse.objects.select_related("participant", "instrument")
    serializer_class = s.ResponseSerializer

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        participant = self.request.query_params.get("participant")
        return qs.filter(participant__uuid=participant) if participant and _uuid(participant) else qs

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        audit.record_list(ScreeningResponse, [row["uuid"] for row in response.data["results"]])
        return response


class RiskAlertViewSet(ScopedReadOnlyViewSet):
    """The ``risk_identified`` alerts. Filter: status."""

    queryset = RiskAlert.objects.select_related("participant", "handled_by")
    serializer_class = s.RiskAlertSerializer
    extra_scope_actions = {"acknowledge": "change"}

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        st = self.request.query_params.get("status")
        return qs.filter(status=st) if st else qs

    @extend_schema(request=s.AcknowledgeSerializer, responses=s.RiskAlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, uuid: str | None = None) -> Response:
        alert = self.get_object()
        form = s.AcknowledgeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.acknowledge_alert(request.user, alert, note=form.validated_data.get("note", ""))
        return Response(s.RiskAlertSerializer(alert).data)


class FollowUpGroupViewSet(ScopedReadOnlyViewSet):
    queryset = FollowUpGroup.objects.select_related("school").prefetch_related("members")
    serializer_class = s.FollowUpGroupSerializer

    @extend_schema(request=s.GroupCreateSerializer, responses=s.FollowUpGroupSerializer)
    def create(self, request: Request) -> Response:
        if not scope.can(request.user, "followupgroup.add"):
            raise PermissionDenied
        form = s.GroupCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        members = list(
            Participant.objects.restrict(request.user, "view").filter(uuid__in=form.validated_data["members"])
        )
        if len(members) != len(set(form.validated_data["members"])):
            raise ValidationError({"members": _("Unknown student.")})
        try:
            group = actions.create_group(
                request.user,
                name=form.validated_data["name"],
                purpose=form.validated_data.get("purpose", ""),
                members=members,
            )
        except ValueError as exc:
            raise ValidationError({"members": str(exc)}) from exc
        return Response(s.FollowUpGroupSerializer(group).data, status=status.HTTP_201_CREATED)
