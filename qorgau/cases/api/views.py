"""API of the cases module: cases with their tasks, timeline, notes, documents and referrals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.viewsets import ScopedReadOnlyViewSet
from cases import actions, engine
from cases.api import serializers as s
from cases.models import Attachment, Case, CaseNote, CaseTask, Referral
from core import audit, scope
from core.forms import organisations_for
from core.models import Child, Organisation


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Domain refusals as 400 (conflicts become 409 through api.errors, scope refusals 404)."""
    try:
        return fn(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValueError as exc:
        raise ValidationError({"detail": str(exc)}) from exc


class CaseViewSet(ScopedReadOnlyViewSet):
    """Cases in scope. Filters: status, category, risk_level, mine=1."""

    queryset = Case.objects.select_related("organisation", "case_manager").prefetch_related("children")
    serializer_class = s.CaseSerializer
    extra_scope_actions = {
        "set_status": "change",
        "closure": "change",
        "approve": "view",
        "notes": "view",
        "add_note": "change",
        "documents": "view",
        "add_document": "change",
        "refer": "change",
        "timeline": "view",
        "tasks": "view",
    }

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        p = self.request.query_params
        for key in ("status", "category", "risk_level"):
            if p.get(key):
                qs = qs.filter(**{key: p[key]})
        if p.get("mine"):
            qs = qs.filter(case_manager=self.request.user)
        return qs.order_by("-opened_at")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        audit.record_read(case)
        return Response(self.get_serializer(case).data)

    @extend_schema(request=s.CaseOpenSerializer, responses=s.CaseSerializer)
    def create(self, request: Request) -> Response:
        if not scope.can(request.user, "case.add"):
            raise PermissionDenied
        form = s.CaseOpenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        org = organisations_for(request.user, "case.add").filter(uuid=d["organisation"]).first()
        children = list(Child.objects.restrict(request.user, "view").filter(uuid__in=d["children"]))
        if org is None or len(children) != len(set(d["children"])):
            raise ValidationError({"detail": _("Unknown organisation or child.")})
        case = _run(
            engine.open_case,
            request.user,
            children=children,
            category=d["category"],
            risk_level=d["risk_level"],
            source=d["source"],
            organisation=org,
            summary=d.get("summary", ""),
            case_manager=request.user,
        )
        return Response(s.CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.TaskSerializer(many=True))
    @action(detail=True)
    def tasks(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        return Response(
            s.TaskSerializer(
                CaseTask.objects.restrict(request.user, "view")
                .filter(case=case)
                .select_related("case", "assignee", "completed_by", "escalation")
                .prefetch_related("case__protocol"),  # the steps' texts: one protocol row, shared
                many=True,
            ).data
        )

    @extend_schema(responses=s.EventSerializer(many=True))
    @action(detail=True)
    def timeline(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        return Response(s.EventSerializer(case.events.order_by("at", "id"), many=True).data)

    @extend_schema(request=s.CaseStatusSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        form = s.CaseStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _run(
            actions.change_status,
            request.user,
            case,
            form.validated_data["status"],
            version=form.validated_data["version"],
        )
        return Response(s.CaseSerializer(case).data)

    @extend_schema(request=s.ClosureSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def closure(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        form = s.ClosureSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _run(
            actions.request_closure,
            request.user,
            case,
            form.validated_data["outcome"],
            version=form.validated_data["version"],
        )
        return Response(s.CaseSerializer(case).data)

    @extend_schema(request=s.DecideSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        form = s.DecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _run(
            actions.approve_closure,
            request.user,
            case,
            approve=form.validated_data["accept"],
            comment=form.validated_data.get("reason", ""),
        )
        return Response(s.CaseSerializer(case).data)

    @extend_schema(responses=s.NoteSerializer(many=True))
    @action(detail=True)
    def notes(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        notes = list(CaseNote.objects.restrict(request.user, "view").filter(case=case))
        audit.record_list(CaseNote, [n.uuid for n in notes])
        return Response(s.NoteSerializer(notes, many=True).data)

    @extend_schema(request=s.NoteCreateSerializer, responses=s.NoteSerializer)
    @action(detail=True, methods=["post"], url_path="notes/add")
    def add_note(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        form = s.NoteCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        note = _run(
            actions.add_note,
            request.user,
            case,
            form.validated_data["text"],
            confidential=form.validated_data["confidential"],
        )
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.AttachmentSerializer(many=True))
    @action(detail=True)
    def documents(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        return Response(
            s.AttachmentSerializer(Attachment.objects.restrict(request.user, "view").filter(case=case), many=True).data
        )

    @extend_schema(request={"multipart/form-data": s.AttachmentUploadSerializer}, responses=s.AttachmentSerializer)
    @action(detail=True, methods=["post"], url_path="documents/add", parser_classes=[MultiPartParser])
    def add_document(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        form = s.AttachmentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        attachment = _run(
            actions.add_attachment, request.user, case, upload, upload.name, form.validated_data.get("description", "")
        )
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReferSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, uuid: str | None = None) -> Response:
        case = self.get_object()
        form = s.ReferSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        to = Organisation.objects.filter(uuid=form.validated_data["to"], is_active=True).first()
        if to is None:
            raise ValidationError({"to": _("Unknown organisation.")})
        referral = _run(
            actions.refer,
            request.user,
            case,
            to=to,
            kind=form.validated_data["kind"],
            reason=form.validated_data["reason"],
        )
        return Response(s.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class TaskViewSet(ScopedReadOnlyViewSet):
    """Steps in scope. Filters: mine=1, overdue=1."""

    queryset = CaseTask.objects.select_related("case", "assignee", "completed_by", "escalation").prefetch_related(
        "case__protocol"  # the steps' texts: each protocol version read once per page, shared by its tasks
    )
    serializer_class = s.TaskSerializer
    extra_scope_actions = {"complete": "change"}

    def get_queryset(self) -> Any:
        from django.utils import timezone

        qs = super().get_queryset()
        p = self.request.query_params
        if p.get("mine"):
            qs = qs.filter(assignee=self.request.user)
        if p.get("overdue"):
            qs = qs.filter(status="open", due_at__lt=timezone.now())
        return qs.order_by("due_at")

    @extend_schema(request=s.TaskCompleteSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, uuid: str | None = None) -> Response:
        task = self.get_object()
        form = s.TaskCompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _run(
            engine.complete_task,
            request.user,
            task,
            form.validated_data["record"],
            version=form.validated_data["version"],
        )
        return Response(s.TaskSerializer(task).data)


class AttachmentViewSet(ScopedReadOnlyViewSet):
    queryset = Attachment.objects.select_related("case")
    serializer_class = s.AttachmentSerializer

    @action(detail=True)
    def download(self, request: Request, uuid: str | None = None) -> FileResponse:
        attachment = self.get_object()
        audit.record_read(attachment)
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = f'attachment; filename="{attachment.uuid}"'
        return response


class ReferralViewSet(ScopedReadOnlyViewSet):
    """Referrals sent from or addressed to the user's organisations."""

    queryset = Referral.objects.select_related("case", "from_organisation", "to_organisation")
    serializer_class = s.ReferralSerializer
    extra_scope_actions = {"decide": "change"}

    @extend_schema(request=s.DecideSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, uuid: str | None = None) -> Response:
        referral = self.get_object()
        form = s.DecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            actions.decide_referral(
                request.user,
                referral,
                accept=form.validated_data["accept"],
                reason=form.validated_data.get("reason", ""),
            )
        except DjangoPermissionDenied as exc:
            raise NotFound from exc
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(s.ReferralSerializer(referral).data)
