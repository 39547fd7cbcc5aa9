"""Pages of the core app: home, organisation tree, children, representatives, consents, audit, profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from core import audit, scope
from core.forms import AuditFilterForm, ChildFilterForm, ChildForm, ConsentForm, LegalRepresentativeForm
from core.models import AuditEntry, Child, Consent, LegalRepresentative, Notification, Organisation
from core.views.base import (
    CapabilityRequiredMixin,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    scoped_get,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the user's roles and what is in their scope."""
    user: Any = request.user
    context: dict[str, Any] = {
        "assignments": user.assignments.select_related("organisation").all(),
        "organisation_count": Organisation.objects.restrict(user, "view").count(),
    }
    if scope.can(user, "child.view"):
        context["child_count"] = Child.objects.restrict(user, "view").count()
    elif scope.can(user, "child.view_deidentified"):
        context["child_count"] = Child.objects.restrict(user, "view_deidentified").count()
    return render(request, "core/home.html", context)


# --- Organisations -----------------------------------------------------------------------------------


def _tree_roots(user: Any) -> QuerySet[Organisation]:
    """The top of the part of the tree the user may see: their assignments' organisations."""
    visible = Organisation.objects.restrict(user, "view")
    paths = sorted(visible.filter(assignments__user=user).values_list("path", flat=True).distinct())
    if getattr(user, "is_superuser", False) or not paths:
        return visible.filter(parent__isnull=True) if not paths else visible.filter(path__in=paths)
    # Drop roots nested under another root.
    roots: list[str] = []
    for p in paths:
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    return visible.filter(path__in=roots)


def _with_counts(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.annotate(child_nodes=Count("children", distinct=True)).order_by("kind", "name_ru")


class OrganisationTreeView(ScopedListView):
    model = Organisation
    template_name = "core/organisation_tree.html"
    paginate_by = None  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Organisation]:
        return _with_counts(_tree_roots(self.request.user))


class OrganisationDetailView(ScopedDetailView):
    model = Organisation
    template_name = "core/organisation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org: Organisation = self.object
        ctx["branches"] = _with_counts(Organisation.objects.restrict(user, "view").filter(parent=org))
        ctx["ancestors"] = org.ancestors()
        if scope.can(user, "child.view") or scope.can(user, "child.view_deidentified"):
            action = "view" if scope.can(user, "child.view") else "view_deidentified"
            ctx["subtree_children"] = (
                Child.objects.restrict(user, action).filter(organisation__path__startswith=org.path).count()
            )
        return ctx


class OrganisationBranchesView(OrganisationDetailView):
    """HTMX partial: the direct branches of one node, loaded when the node is opened."""

    template_name = "core/partials/organisation_branches.html"


# --- Children ------------------------------------------------------------------------------------------


class ChildListView(CapabilityRequiredMixin, ScopedListView):
    """Children in scope. Analysts get the de-identified list: pseudonym, birth year, sex, region."""

    model = Child
    template_name = "core/child_list.html"
    capability = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.identified = scope.can(request.user, "child.view")
        if (
            request.user.is_authenticated
            and not self.identified
            and not scope.can(request.user, "child.view_deidentified")
        ):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Child]:
        action = "view" if self.identified else "view_deidentified"
        qs = Child.objects.restrict(self.request.user, action).select_related("organisation__region")
        self.filter_form = ChildFilterForm(self.request.GET or None)
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["organisation"]:
                org = Organisation.objects.restrict(self.request.user, "view").filter(uuid=data["organisation"]).first()
                qs = qs.filter(organisation__path__startswith=org.path) if org else qs.none()
            term = data["q"].strip()
            if term and self.identified:  # analysts cannot search by name or IIN
                if term.isdigit():
                    qs = qs.filter(iin__startswith=term)
                else:
                    words = term.split()
                    for w in words:
                        qs = qs.filter(Q(last_name__icontains=w) | Q(first_name__icontains=w) | Q(class_name__iexact=w))
        return qs.order_by("last_name", "first_name", "id") if self.identified else qs.order_by("id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["filter_form"] = self.filter_form
        ctx["identified"] = self.identified
        ctx["can_add"] = scope.can(self.request.user, "child.add")
        if self.identified:
            audit.record_list(Child, [c.uuid for c in ctx["object_list"]])
        return ctx


class ChildDetailView(ScopedDetailView):
    model = Child
    template_name = "core/child_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["representatives"] = LegalRepresentative.objects.restrict(user, "view").filter(child=self.object)
        ctx["consents"] = (
            Consent.objects.restrict(user, "view").filter(child=self.object).select_related("representative")
        )
        ctx["can_change"] = scope.may(user, "change", self.object)
        return ctx


class ChildCreateView(ScopedCreateView):
    model = Child
    form_class = ChildForm
    template_name = "core/child_form.html"
    capability = "child.add"
    success_message = _("The child's record was created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_success_url(self) -> str:
        return reverse("core:child-detail", args=[self.object.uuid])  # type: ignore[attr-defined]


class ChildUpdateView(ScopedUpdateView):
    model = Child
    form_class = ChildForm
    template_name = "core/child_form.html"
    success_message = _("The child's record was saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_success_url(self) -> str:
        return reverse("core:child-detail", args=[self.object.uuid])  # type: ignore[attr-defined]


class ChildPartCreateView(ScopedCreateView):
    """Add a representative or a consent to a child the user may change."""

    template_name = "core/child_part_form.html"
    url_model = Child  # the UUID in the URL is the child's
    url_action = "change"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.child = scoped_get(Child, request, kwargs["uuid"], "change")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"child": self.child, "part_title": self.model._meta.verbose_name}

    def form_valid(self, form: Any) -> HttpResponse:
        form.instance.child = self.child
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("core:child-detail", args=[self.child.uuid])


class RepresentativeCreateView(ChildPartCreateView):
    model = LegalRepresentative
    form_class = LegalRepresentativeForm
    capability = "legalrepresentative.add"
    success_message = _("The legal representative was added.")


class ConsentCreateView(ChildPartCreateView):
    model = Consent
    form_class = ConsentForm
    capability = "consent.add"
    success_message = _("The consent record was added.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"child": self.child}

    def form_valid(self, form: Any) -> HttpResponse:
        form.instance.recorded_by = self.request.user
        return super().form_valid(form)


class RepresentativeUpdateView(ScopedUpdateView):
    model = LegalRepresentative
    form_class = LegalRepresentativeForm
    template_name = "core/child_part_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "child": self.object.child,  # type: ignore[attr-defined]
            "part_title": self.model._meta.verbose_name,
        }

    def get_success_url(self) -> str:
        return reverse("core:child-detail", args=[self.object.child.uuid])  # type: ignore[attr-defined]


@login_required
def child_import(request: HttpRequest) -> HttpResponse:
    """Upload a class roster: every row checked, then all imported or none (errors listed by row)."""
    from django.core.exceptions import PermissionDenied

    from core.forms import ChildImportForm
    from core.importers import IMPORT_HELP, ImportFileError, import_children, read_table

    if not scope.can(request.user, "child.add"):
        raise PermissionDenied
    result = None
    form = ChildImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload, upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            result = import_children(request.user, form.cleaned_data["organisation"], rows)
            if result.ok:
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(unchanged)s already registered.")
                    % {"created": result.created, "unchanged": result.unchanged},
                )
                return HttpResponseRedirect(reverse("core:child-list"))
    return render(request, "core/child_import.html", {"form": form, "result": result, "help": IMPORT_HELP})


@login_required
def child_import_template(request: HttpRequest) -> HttpResponse:
    from core.importers import template_csv

    response = HttpResponse(template_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qorgau-children-template.csv"'
    return response


# --- Audit ---------------------------------------------------------------------------------------------


class AuditListView(CapabilityRequiredMixin, ScopedListView):
    """Administrators search the audit trail."""

    model = AuditEntry
    capability = "auditentry.view"
    template_name = "core/audit_list.html"

    def get_queryset(self) -> QuerySet[AuditEntry]:
        qs = AuditEntry.objects.restrict(self.request.user, "view")
        self.filter_form = AuditFilterForm(self.request.GET or None)
        if self.filter_form.is_valid():
            d = self.filter_form.cleaned_data
            if d["user"]:
                qs = qs.filter(actor_username__icontains=d["user"])
            if d["action"]:
                qs = qs.filter(action=d["action"])
            if d["model"]:
                qs = qs.filter(model__icontains=d["model"])
            if d["object_id"]:
                qs = qs.filter(object_id=d["object_id"].strip())
            if d["date_from"]:
                qs = qs.filter(at__date__gte=d["date_from"])
            if d["date_to"]:
                qs = qs.filter(at__date__lte=d["date_to"])
        return qs.order_by("-at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"filter_form": self.filter_form}


# --- Profile ---------------------------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    token = Token.objects.filter(user=user).first()
    return render(
        request,
        "core/profile.html",
        {
            "assignments": user.assignments.select_related("organisation"),
            "token": token,
        },
    )


@login_required
@require_POST
def profile_token(request: HttpRequest) -> HttpResponse:
    """Issue (or replace) the user's API token; shown once on the profile page."""
    user: Any = request.user
    with audit.user_context(user, "API token issued"):
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        audit.record("create", model=Token, object_id=user.uuid, detail="API token")
    messages.success(
        request, _("Your new API token: %(key)s — keep it secret; it is shown only once.") % {"key": token.key}
    )
    return HttpResponseRedirect(reverse("core:profile"))


# --- Notifications ------------------------------------------------------------------------------------


class NotificationListView(ScopedListView):
    """The user's own notifications, newest first (``Notification.extra_scope`` limits them to the recipient)."""

    model = Notification
    template_name = "core/notification_list.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().filter(recipient=self.request.user)


class NotificationOpenView(ScopedDetailView):
    """POST: mark as read and go to what the notification is about."""

    model = Notification
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from django.utils import timezone
        from django.utils.http import url_has_allowed_host_and_scheme

        from core import actions

        note = self.get_object()
        if note.read_at is None:
            note.read_at = timezone.now()
            actions.update_object(request.user, note, action="view")
        target = note.link if url_has_allowed_host_and_scheme(note.link, allowed_hosts={request.get_host()}) else ""
        return HttpResponseRedirect(target or reverse("core:notification-list"))
