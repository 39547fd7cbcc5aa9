"""Pages of the plans module: the plans, importing an official text, reviewing and activating a draft.

Objects come only through the scoped base views; every change goes through :mod:`plans.importers` or
:mod:`plans.actions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from core import scope
from core.models import ConflictError
from core.views.base import (
    CapabilityRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ScopedUpdateView,
)
from plans import actions
from plans.forms import MeasureReviewForm, PlanImportForm
from plans.importers import decode, import_plan
from plans.models import Measure, MeasureExecutor, Plan


class PlanListView(CapabilityRequiredMixin, ScopedListView):
    model = Plan
    capability = "plan.view"
    template_name = "plans/plan_list.html"

    def get_queryset(self) -> QuerySet[Plan]:
        return (
            super()
            .get_queryset()
            .annotate(
                measure_count=Count("measures", distinct=True),
                warned=Count("measures", filter=~Q(measures__warnings=[]), distinct=True),
            )
            .order_by("-period_start", "title", "pk")  # Meta.ordering does not apply to a GROUP BY query
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(can_import=scope.can(self.request.user, "plan.add"), **kwargs)


class PlanDetailView(ScopedDetailView):
    """The plan as read: act, indicators, and the measures by section, with what the import could not read."""

    model = Plan
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan: Plan = self.object
        measures = plan.measures.select_related("section").prefetch_related(
            Prefetch("executors", queryset=MeasureExecutor.objects.select_related("agency")), "funding"
        )
        if self.request.GET.get("warnings"):
            measures = measures.exclude(warnings=[])
        user = self.request.user
        return super().get_context_data(
            measures=measures,
            indicators=plan.indicators.all(),
            can_review=plan.status == Plan.Status.DRAFT and scope.can(user, "measure.change"),
            can_activate=plan.status == Plan.Status.DRAFT and scope.can(user, "plan.activate"),
            problems=actions.activation_problems(plan) if plan.status == Plan.Status.DRAFT else [],
            **kwargs,
        )


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    """Upload an official plan text; it becomes a draft to review (or nothing is written, and the page says why)."""
    if not scope.can(request.user, "plan.add"):
        raise PermissionDenied
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["document"]
            national = form.cleaned_data.get("national")
            plan = import_plan(
                request.user,
                decode(upload.read()),
                upload.name,
                national_text=decode(national.read()) if national else None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Imported as a draft: %(n)s measures. Review what the import could not read, then activate the plan.")
                % {"n": plan.measures.count()},
            )
            return HttpResponseRedirect(reverse("plans:plan-detail", args=[plan.uuid]))
    return render(request, "plans/plan_import.html", {"form": form}, status=400 if form.errors else 200)


class MeasureReviewView(ScopedUpdateView):
    """Correct a measure of a draft plan (optimistic locking: a stale edit is shown beside what is saved)."""

    model = Measure
    form_class = MeasureReviewForm
    template_name = "plans/measure_form.html"
    success_message = _("Measure saved.")

    def get_queryset(self) -> QuerySet[Measure]:
        return super().get_queryset().select_related("plan")

    def save_object(self, form: Any, obj: Any) -> Any:
        form.apply_version()
        return actions.correct_measure(self.request.user, obj, form.cleaned_data.get("executors_text"))

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError as exc:  # e.g. the plan was activated meanwhile: nothing was written
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        measure: Measure = self.object  # type: ignore[assignment]
        return super().get_context_data(editable=measure.plan.status == Plan.Status.DRAFT, **kwargs)

    def get_success_url(self) -> str:
        measure: Measure = self.object  # type: ignore[assignment]
        return reverse("plans:plan-detail", args=[measure.plan.uuid]) + f"#m-{measure.number}"


class PlanActivateView(ScopedObjectMixin, View):
    """POST: activate a reviewed draft (who may not activate this plan gets 404, as for any object)."""

    model = Plan
    action = "activate"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        plan: Plan = self.get_object()
        version = request.POST.get("version", "")
        try:
            actions.activate(request.user, plan, version=int(version) if version.isdigit() else None)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except ConflictError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The plan is active: its executors can report on it."))
        return HttpResponseRedirect(reverse("plans:plan-detail", args=[plan.uuid]))
