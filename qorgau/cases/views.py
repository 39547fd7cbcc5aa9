"""Pages of the cases module: lists, the case page with its timeline and actions, tasks, referrals, statistics.

Objects come only through the scoped base views (out of scope → 404); every change goes through
:mod:`cases.engine` or :mod:`cases.actions`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import actions, engine, stats
from cases.forms import (
    AttachmentForm,
    CaseForm,
    ClosureForm,
    CouncilForm,
    NoteForm,
    PlanItemForm,
    ReasonForm,
    ReferralForm,
    StatusForm,
    TaskForm,
)
from cases.models import Attachment, Case, CaseNote, CaseTask, Referral
from core import audit, scope
from core.models import ConflictError
from core.views.base import CapabilityRequiredMixin, ScopedDetailView, ScopedListView


class CaseListView(CapabilityRequiredMixin, ScopedListView):
    """Cases in the user's scope; ``?mine=1``: where I am the case manager or hold a step."""

    model = Case
    capability = "case.view"
    template_name = "cases/case_list.html"

    def get_queryset(self) -> QuerySet[Case]:
        qs = super().get_queryset().select_related("organisation", "case_manager")
        get = self.request.GET
        if get.get("mine"):
            me = self.request.user
            qs = qs.filter(Q(case_manager=me) | Q(tasks__assignee=me)).distinct()
        if get.get("status") == "open" or not get.get("status"):
            qs = qs.exclude(status=Case.Status.CLOSED)
        elif get.get("status") in Case.Status.values:
            qs = qs.filter(status=get["status"])
        for key in ("category", "risk_level"):
            if get.get(key):
                qs = qs.filter(**{key: get[key]})
        return qs.order_by("-opened_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        audit.record_list(Case, [c.uuid for c in ctx["object_list"]], detail="case list")
        return ctx | {"statuses": Case.Status.choices, "can_add": scope.can(self.request.user, "case.add")}


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not scope.can(request.user, "case.add"):
        raise PermissionDenied
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = engine.open_case(
                request.user,
                children=list(d["children"]),
                category=d["category"],
                risk_level=d["risk_level"],
                source=d["source"],
                organisation=d["organisation"],
                summary=d["summary"],
                case_manager=request.user,  # type: ignore[arg-type]
            )
        except (ValueError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return HttpResponseRedirect(reverse("cases:case-detail", args=[case.uuid]))
    return render(request, "cases/case_form.html", {"form": form})


class CaseDetailView(ScopedDetailView):
    """The case page: children, protocol steps, timeline, plan, notes, documents, council, referrals."""

    model = Case
    template_name = "cases/case_detail.html"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        case = super().get_object(queryset)
        audit.record_read(case)
        return case

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        case: Case = self.object
        notes = list(CaseNote.objects.restrict(user, "view").filter(case=case).select_related("author"))
        if notes:
            audit.record_list(CaseNote, [n.uuid for n in notes], detail=f"case {case.number}")
        now = timezone.now()
        tasks = list(case.tasks.select_related("assignee", "completed_by", "escalation"))
        for t in tasks:
            t.overdue = t.status == CaseTask.Status.OPEN and t.due_at < now  # type: ignore[attr-defined]
        return super().get_context_data(**kwargs) | {
            "children": [link.child for link in case.case_children.select_related("child")],
            "tasks": tasks,
            "events": case.events.select_related("actor").order_by("-at", "-id")[:200],
            "notes": notes,
            "attachments": Attachment.objects.restrict(user, "view").filter(case=case),
            "plan": case.plan_items.all(),
            "council": case.council_decisions.all(),
            "referrals": case.referrals.select_related("to_organisation"),
            "can_change": scope.may(user, "change", case),
            "can_approve": case.status == Case.Status.CLOSING and scope.may(user, "approve", case),
            "can_confidential": scope.can(user, "casenote.view_confidential"),
            "status_form": StatusForm(initial={"status": case.status, "version": case.version}),
            "closure_form": ClosureForm(initial={"version": case.version}),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
            "council_form": CouncilForm(initial={"held_on": timezone.localdate()}),
            "plan_form": PlanItemForm(),
            "referral_form": ReferralForm(case=case),
            "reason_form": ReasonForm(),
        }


class CaseActionView(ScopedDetailView):
    """Base of the POST-only actions on a case: errors become messages, the user returns to the case."""

    model = Case
    action: ClassVar[str] = "change"
    http_method_names = ["post"]

    def perform(self, request: HttpRequest, case: Case) -> Any:
        raise NotImplementedError

    def case_of(self, obj: Any) -> Case:
        return obj  # type: ignore[no-any-return]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        case = self.case_of(obj)
        try:
            done = self.perform(request, obj)
        except ConflictError as exc:
            messages.error(request, str(exc))
        except (ValueError, PermissionDenied) as exc:
            messages.error(request, str(exc) or str(_("Not allowed.")))
        else:
            if done:
                messages.success(request, done)
        return HttpResponseRedirect(reverse("cases:case-detail", args=[case.uuid]))


def _form(form_class: Any, request: HttpRequest, **kwargs: Any) -> Any:
    form = form_class(request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        raise ValueError(
            "; ".join(
                f"{form.fields[k].label or k}: {' '.join(v)}" if k in form.fields else " ".join(v)
                for k, v in form.errors.items()
            )
        )
    return form.cleaned_data


class StatusView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        d = _form(StatusForm, request)
        actions.change_status(request.user, case, d["status"], version=d.get("version"))
        return _("Status changed.")


class ClosureRequestView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        d = _form(ClosureForm, request)
        actions.request_closure(request.user, case, d["outcome"], version=d.get("version"))
        return _("Closure requested; a supervisor must approve it.")


class ClosureApproveView(CaseActionView):
    action = "approve"  # supervisors only: anyone else gets 404 like any out-of-scope object

    def perform(self, request: HttpRequest, case: Case) -> Any:
        approve = request.POST.get("decision") != "return"
        actions.approve_closure(request.user, case, approve=approve, comment=request.POST.get("reason", ""))
        return _("Case closed.") if approve else _("Case returned to monitoring.")


class ReopenView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        actions.reopen(request.user, case, _form(ReasonForm, request)["reason"])
        return _("Case reopened.")


class NoteView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        d = _form(NoteForm, request)
        actions.add_note(request.user, case, d["text"], confidential=d["confidential"])
        return _("Note added.")


class AttachmentUploadView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        d = _form(AttachmentForm, request)
        actions.add_attachment(request.user, case, d["file"], d["file"].name, d["description"])
        return _("Document attached.")


class CouncilView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        d = _form(CouncilForm, request)
        actions.add_council_decision(request.user, case, **d)
        return _("Council decision recorded.")


class PlanItemView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        actions.add_plan_item(request.user, case, **_form(PlanItemForm, request))
        return _("Plan updated.")


class ReferView(CaseActionView):
    def perform(self, request: HttpRequest, case: Case) -> Any:
        d = _form(ReferralForm, request, case=case)
        actions.refer(request.user, case, to=d["to"], kind=d["kind"], reason=d["reason"])
        return _("Referral sent.")


class TaskCompleteView(CaseActionView):
    model = CaseTask  # type: ignore[assignment]

    def case_of(self, obj: Any) -> Case:
        return obj.case  # type: ignore[no-any-return]

    def perform(self, request: HttpRequest, task: Any) -> Any:
        d = _form(TaskForm, request)
        engine.complete_task(request.user, task, d["record"], version=d.get("version"))
        return _("Step done.")


class AttachmentDownloadView(ScopedDetailView):
    """The document itself, only through the scope check (files are never served directly)."""

    model = Attachment

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:  # type: ignore[override]
        attachment = self.get_object()
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = f'attachment; filename="{attachment.uuid}{_suffix(attachment.name)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _suffix(name: str) -> str:
    from pathlib import Path

    return Path(name).suffix.lower()


class TaskListView(CapabilityRequiredMixin, ScopedListView):
    """My steps (``?all=1``: every step in scope), ``?overdue=1``: only overdue ones."""

    model = CaseTask
    capability = "casetask.view"
    template_name = "cases/task_list.html"

    def get_queryset(self) -> QuerySet[CaseTask]:
        qs = super().get_queryset().filter(status=CaseTask.Status.OPEN).select_related("case", "assignee")
        if not self.request.GET.get("all"):
            qs = qs.filter(Q(assignee=self.request.user) | Q(case__case_manager=self.request.user))
        if self.request.GET.get("overdue"):
            qs = qs.filter(due_at__lt=timezone.now())
        return qs.order_by("due_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"now": timezone.now()}


class ReferralListView(CapabilityRequiredMixin, ScopedListView):
    """Referrals to my organisations (to decide) and from them."""

    model = Referral
    capability = "referral.view"
    template_name = "cases/referral_list.html"

    def get_queryset(self) -> QuerySet[Referral]:
        return super().get_queryset().select_related("case", "from_organisation", "to_organisation")


class ReferralDecideView(CaseActionView):
    model = Referral  # type: ignore[assignment]

    def case_of(self, obj: Any) -> Case:
        return obj.case  # type: ignore[no-any-return]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        referral = self.get_object()
        accept = request.POST.get("decision") == "accept"
        try:
            actions.decide_referral(request.user, referral, accept=accept, reason=request.POST.get("reason", ""))
        except (ValueError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("cases:referral-list"))
        if accept:
            messages.success(request, _("Referral accepted: the case is now open to your organisation."))
            return HttpResponseRedirect(reverse("cases:case-detail", args=[referral.case.uuid]))
        messages.success(request, _("Referral declined."))
        return HttpResponseRedirect(reverse("cases:referral-list"))


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Open cases by category and risk, time to first action, share of steps done on time (per region)."""
    if not (scope.can(request.user, "case.view") or scope.can(request.user, "statistics.view")):
        raise PermissionDenied
    return render(request, "cases/statistics.html", {"board": stats.build(request.user)})
