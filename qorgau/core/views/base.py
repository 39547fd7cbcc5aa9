"""Generic scoped views: every list, detail and edit page of every module derives from these.

They fetch objects only through ``Model.objects.restrict(user, action)`` (out of scope → 404), audit
reads of personal records, and save through :mod:`core.actions` (re-check inside the transaction,
optimistic locking). A module's view declares ``model`` and, where needed, ``action``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views import generic

from core import actions, audit, scope
from core.models import ConflictError


class CapabilityRequiredMixin(LoginRequiredMixin):
    """Refuse (403) a page whose capability the user holds nowhere; 302 to login if signed out."""

    capability: ClassVar[str | None] = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capability and not scope.can(request.user, self.capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return,return-value]


class ScopedObjectMixin(LoginRequiredMixin):
    """Look objects up by UUID inside the user's scope for ``action``."""

    model: type[Model]
    request: HttpRequest
    kwargs: dict[str, Any]
    action: ClassVar[str] = "view"
    slug_field = "uuid"
    slug_url_kwarg = "uuid"

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.restrict(self.request.user, self.action)  # type: ignore[attr-defined,no-any-return]

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        qs = queryset if queryset is not None else self.get_queryset()
        obj = get_object_or_404(qs, uuid=self.kwargs["uuid"])
        if getattr(obj, "audit_reads", False):
            audit.record_read(obj)
        return obj


class ScopedListView(LoginRequiredMixin, generic.ListView):
    """A paginated list of what the user may see."""

    action: ClassVar[str] = "view"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.restrict(self.request.user, self.action)  # type: ignore[union-attr,no-any-return]


class ScopedDetailView(ScopedObjectMixin, generic.DetailView):
    pass


def conflict_rows(form: Any, current: Model) -> list[tuple[str, Any]]:
    """Label and saved value of each visible field, to show beside the user's unsaved version."""
    rows = []
    for field in form.visible_fields():
        display = getattr(current, f"get_{field.name}_display", None)
        rows.append((str(field.label), display() if display else getattr(current, field.name, "")))
    return rows


class ScopedFormMixin:
    """Save through :mod:`core.actions`; turn a conflict or a scope refusal into a form error."""

    request: HttpRequest
    success_message: ClassVar[Any] = _("Saved.")

    def save_object(self, form: BaseForm, obj: Model) -> Model:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.save_object(form, form.instance)
        except ConflictError as exc:
            current = type(exc.obj)._default_manager.get(pk=exc.obj.pk)
            form.add_error(None, str(exc))
            if "version" in form.fields:  # the next save applies on top of what is saved now
                form.data = form.data.copy()
                form.data["version"] = getattr(current, "version", None)
            ctx = self.get_context_data(form=form, conflict_rows=conflict_rows(form, current))  # type: ignore[attr-defined]
            return self.render_to_response(ctx)  # type: ignore[attr-defined]
        except actions.OutOfScope as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)  # type: ignore[attr-defined,no-any-return]
        messages.success(self.request, self.success_message)
        return generic.edit.HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]


class ScopedUpdateView(ScopedFormMixin, ScopedObjectMixin, generic.UpdateView):  # type: ignore[misc]
    """Editing shows the record, so ScopedObjectMixin audits the read like a detail page."""

    action: ClassVar[str] = "change"

    def save_object(self, form: Any, obj: Model) -> Model:
        if hasattr(form, "apply_version"):
            form.apply_version()
        return actions.update_object(self.request.user, obj, action=self.action)


class ScopedCreateView(ScopedFormMixin, CapabilityRequiredMixin, generic.CreateView):  # type: ignore[misc]
    def save_object(self, form: Any, obj: Model) -> Model:
        return actions.create_object(self.request.user, obj)


def scoped_get(model: type[Model], request: HttpRequest, uuid: Any, action: str = "view") -> Any:
    """Fetch one object in scope or raise 404 (for function views and nested routes); audit the read."""
    try:
        obj = model.objects.restrict(request.user, action).get(uuid=uuid)  # type: ignore[attr-defined]
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc
    if getattr(obj, "audit_reads", False):
        audit.record_read(obj)
    return obj
