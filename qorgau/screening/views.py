"""Staff pages of screening: campaigns, consent, codes, paper forms, results, alerts, groups, dashboards.

Every object is fetched through the scoped base views or ``scoped_get`` (out of scope → 404) and every
change goes through :mod:`screening.actions` / :mod:`core.actions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from core import audit, scope
from core.models import Organisation
from core.tables import ImportFileError
from core.views.base import CapabilityRequiredMixin, ScopedDetailView, ScopedListView, scoped_get
from screening import actions, dashboards, paper
from screening.forms import (
    CampaignForm,
    ConsentRowForm,
    GroupForm,
    InstrumentImportForm,
    PaperImportForm,
    RiskFilterForm,
)
from screening.instruments import FormError, load_xlsform
from screening.models import Campaign, FollowUpGroup, InstrumentVersion, Participant, Response, RiskAlert

# --- Instruments ---------------------------------------------------------------------------------------


class InstrumentListView(CapabilityRequiredMixin, ScopedListView):
    model = InstrumentVersion
    capability = "instrumentversion.view"
    template_name = "screening/instrument_list.html"


class InstrumentDetailView(ScopedDetailView):
    model = InstrumentVersion
    template_name = "screening/instrument_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lang = self.request.GET.get("lang") or (self.request.LANGUAGE_CODE or "kk")[:2]
        inst = self.object.instrument
        if lang not in inst.languages:
            lang = inst.default_language
        return super().get_context_data(**kwargs) | {"inst": inst, "lang": lang, "items": _items(inst, lang)}


def _items(inst: Any, lang: str, answers: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """What a template needs to show the questions in one language (and the answers given so far)."""
    answers = answers or {}
    questions = set(inst.question_codes())
    out = []
    for item in inst.items:
        out.append(
            {
                "code": item.code,
                "kind": item.kind,
                "question": item.code in questions,
                "label": inst.text(item.label, lang),
                "hint": inst.text(item.hint, lang) if item.hint else "",
                "required": item.required,
                "relevant": item.relevant,
                "choices": [(c.value, inst.text(c.label, lang)) for c in item.choices],
                "answer": answers.get(item.code),
            }
        )
    return out


@login_required
def instrument_import(request: HttpRequest) -> HttpResponse:
    """Upload an XLSForm: parsed and checked with pyxform, refused with the reasons, or stored as a version."""
    if not scope.can(request.user, "instrumentversion.add"):
        raise PermissionDenied
    form = InstrumentImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            inst = load_xlsform(upload, filename=upload.name)
        except FormError as exc:
            problems = list(exc.messages)
        else:
            if InstrumentVersion.objects.filter(code=inst.code, version=inst.version).exists():
                problems = [
                    str(_("Version %(version)s of “%(code)s” already exists; give the form a new version."))
                    % {"version": inst.version, "code": inst.code}
                ]
            else:
                version = _store_instrument(request.user, inst, upload.name)
                messages.success(request, _("Instrument imported."))
                return HttpResponseRedirect(reverse("screening:instrument-detail", args=[version.uuid]))
    return render(request, "screening/instrument_import.html", {"form": form, "problems": problems})


def _store_instrument(user: Any, inst: Any, filename: str) -> InstrumentVersion:
    from core import actions as core_actions

    return core_actions.create_object(
        user,
        InstrumentVersion(
            code=inst.code,
            version=inst.version,
            title=inst.title,
            source=inst.source,
            licence=inst.licence,
            translations=inst.translations,
            definition=inst.to_json(),
            origin_file=filename[:255],
            imported_by=user,
        ),
    )


# --- Campaigns -----------------------------------------------------------------------------------------


class CampaignListView(CapabilityRequiredMixin, ScopedListView):
    model = Campaign
    capability = "campaign.view"
    template_name = "screening/campaign_list.html"

    def get_queryset(self) -> QuerySet[Campaign]:
        return (
            super()
            .get_queryset()
            .select_related("organisation")
            .annotate(
                n=Count("participants"),
                done=Count("participants", filter=Q(participants__status=Participant.Status.COMPLETED)),
            )
            .order_by("-starts_on", "title")
        )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not scope.can(request.user, "campaign.add"):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        selection = actions.Selection(d["organisation"], tuple(d.get("grades") or ()), form.class_pairs())
        try:
            campaign = actions.create_campaign(
                request.user,
                title=d["title"],
                selection=selection,
                instruments=list(d["instruments"]),
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Campaign created with %(n)s students. Record consent, then open it.")
                % {"n": campaign.participants.count()},
            )
            return HttpResponseRedirect(reverse("screening:campaign-detail", args=[campaign.uuid]))
    return render(request, "screening/campaign_form.html", {"form": form})


class CampaignDetailView(ScopedDetailView):
    model = Campaign
    template_name = "screening/campaign_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        campaign: Campaign = self.object
        node = _dashboard_node(self.request, campaign)
        return super().get_context_data(**kwargs) | {
            "instruments": campaign.ordered_instruments(),
            "board": dashboards.build(campaign, user, node),
            "columns": dashboards.COLUMNS,
            "nodes": dashboards.territory_nodes(user),
            "node": node,
            "can_change": scope.may(user, "change", campaign),
            "can_participants": Participant.objects.restrict(user, "change").filter(campaign=campaign).exists(),
        }


def _dashboard_node(request: HttpRequest, campaign: Campaign) -> Organisation | None:
    """The territory to look at: ?at=<uuid> among the user's organisations, else the campaign's own."""
    at = request.GET.get("at")
    if at:
        node = Organisation.objects.restrict(request.user, "view").filter(uuid=at).first() if _is_uuid(at) else None
        if node is None:
            raise Http404
        return node
    return campaign.organisation


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class CampaignStatusView(CapabilityRequiredMixin, ScopedDetailView):
    """POST status=open|closed."""

    model = Campaign
    action = "change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        campaign = self.get_object()
        status = request.POST.get("status")
        if status not in (Campaign.Status.OPEN, Campaign.Status.CLOSED):
            messages.error(request, _("Unknown status."))
        else:
            try:
                actions.set_status(request.user, campaign, status)
            except ValueError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Campaign status: %(s)s.") % {"s": campaign.get_status_display()})
        return HttpResponseRedirect(reverse("screening:campaign-detail", args=[campaign.uuid]))


def _participants(request: HttpRequest, campaign: Campaign, action: str = "view") -> QuerySet[Participant]:
    return Participant.objects.restrict(request.user, action).filter(campaign=campaign)


class CampaignConsentView(ScopedDetailView):
    """The consent register: one line per student, the representative's decision recorded in bulk."""

    model = Campaign
    template_name = "screening/campaign_consent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = _participants(self.request, self.object, "change").select_related("child")
        rows = rows.filter(class_name=self.request.GET["class"]) if self.request.GET.get("class") else rows
        rows_list = list(rows[:400])
        audit.record_list(Participant, [p.uuid for p in rows_list], detail="consent register")
        classes = _participants(self.request, self.object, "change").values_list("class_name", flat=True).distinct()
        return super().get_context_data(**kwargs) | {"rows": rows_list, "classes": sorted(set(classes))}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = campaign = self.get_object()
        participants = {str(p.uuid): p for p in _participants(request, campaign, "change")}
        changed, problems = 0, []
        with transaction.atomic():
            for key, participant in participants.items():
                form = ConsentRowForm(
                    {"decision": request.POST.get(f"d-{key}", ""), "document": request.POST.get(f"doc-{key}", "")}
                )
                if not form.is_valid() or not form.cleaned_data["decision"]:
                    continue
                granted = form.cleaned_data["decision"] == "granted"
                if participant.consent == (Participant.Consent.GRANTED if granted else Participant.Consent.REFUSED):
                    continue
                try:
                    actions.record_consent(
                        request.user, participant, granted=granted, document=form.cleaned_data["document"]
                    )
                    changed += 1
                except ValueError as exc:
                    problems.append(f"{participant.child}: {exc}")
        for p in problems:
            messages.error(request, p)
        messages.success(request, _("Consent recorded for %(n)s students.") % {"n": changed})
        return HttpResponseRedirect(request.get_full_path())


class CampaignCodesView(ScopedDetailView):
    """Printable cards with the one-time codes, one page per class."""

    model = Campaign
    template_name = "screening/campaign_codes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = list(
            _participants(self.request, self.object, "change")
            .filter(status=Participant.Status.READY)
            .select_related("child", "school")
            .order_by("school__name_ru", "class_name", "child__last_name", "child__first_name")
        )
        audit.record_list(Participant, [p.uuid for p in rows], action="export", detail="student codes printed")
        classes: dict[tuple[str, str], list[Participant]] = {}
        for p in rows:
            classes.setdefault((p.school.name, p.class_name), []).append(p)
        return super().get_context_data(**kwargs) | {
            "classes": classes,
            "student_url": self.request.build_absolute_uri(reverse("screening:student-start")),
        }


class PaperImportView(ScopedDetailView):
    model = Campaign
    template_name = "screening/paper_import.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"form": kwargs.get("form") or PaperImportForm()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = campaign = self.get_object()
        form = PaperImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = paper.import_paper(request.user, campaign, upload, upload.name)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if result.ok:
                    messages.success(
                        request,
                        _(
                            "Imported: %(created)s students, %(unchanged)s already imported, %(skipped)s empty rows "
                            "skipped, %(alerts)s risk alerts."
                        )
                        % {
                            "created": result.created,
                            "unchanged": result.unchanged,
                            "skipped": result.skipped,
                            "alerts": result.alerts,
                        },
                    )
                    return HttpResponseRedirect(reverse("screening:campaign-detail", args=[campaign.uuid]))
        return self.render_to_response(self.get_context_data(form=form, result=result))


class PaperTemplateView(ScopedDetailView):
    model = Campaign

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        campaign = self.get_object()
        if request.GET.get("format") == "xlsx":
            body = paper.template_xlsx(campaign, request.user)
            ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
        else:
            body, ctype, ext = paper.template_csv(campaign, request.user), "text/csv; charset=utf-8", "csv"
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="qorgau-paper-{campaign.uuid}.{ext}"'
        return response


# --- Results ---------------------------------------------------------------------------------------------


class RiskListView(CapabilityRequiredMixin, ScopedListView):
    """Children by risk level with their flags; the psychologist selects some to form a follow-up group."""

    model = Participant
    capability = "participant.view"
    template_name = "screening/risk_list.html"

    def get_queryset(self) -> QuerySet[Participant]:
        qs = (
            super()
            .get_queryset()
            .filter(status=Participant.Status.COMPLETED)
            .exclude(risk_level__in=["", "none"])
            .select_related("child", "campaign", "school")
        )
        self.filter_form = RiskFilterForm(self.request.GET or None, user=self.request.user)
        if self.filter_form.is_valid():
            d = self.filter_form.cleaned_data
            if d["campaign"]:
                qs = qs.filter(campaign=d["campaign"])
            if d["level"]:
                qs = qs.filter(risk_level=d["level"])
            if d["flag"]:
                qs = (
                    qs.filter(flags__contains=[d["flag"]])
                    if _json_contains()
                    else qs.filter(flags__icontains=d["flag"])
                )
        order = {level: i for i, level in enumerate(["acute", "high", "moderate", "low"])}
        rows = sorted(qs[:1000], key=lambda p: (order.get(p.risk_level, 9), p.class_name, p.child.last_name))
        return rows  # type: ignore[return-value]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        audit.record_list(Participant, [p.uuid for p in ctx["object_list"]], detail="risk list")
        return ctx | {
            "filter_form": self.filter_form,
            "groups": FollowUpGroup.objects.restrict(self.request.user, "change"),
            "can_group": scope.can(self.request.user, "followupgroup.add"),
        }


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


class ParticipantDetailView(ScopedDetailView):
    model = Participant
    template_name = "screening/participant_detail.html"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        obj = super().get_object(queryset)
        audit.record_read(obj)
        return obj

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        responses = Response.objects.restrict(user, "view").filter(participant=self.object).select_related("instrument")
        shown = list(responses)
        for r in shown:
            audit.record_read(r)
        lang = (self.request.LANGUAGE_CODE or "kk")[:2]
        details = []
        for r in shown:
            inst = r.instrument.instrument
            details.append({"response": r, "items": _items(inst, lang, r.answers)})
        return super().get_context_data(**kwargs) | {
            "responses": details,
            "may_see_answers": scope.can(user, "response.view"),
        }


class AlertListView(CapabilityRequiredMixin, ScopedListView):
    model = RiskAlert
    capability = "riskalert.view"
    template_name = "screening/alert_list.html"

    def get_queryset(self) -> QuerySet[RiskAlert]:
        qs = super().get_queryset().select_related("participant__child", "participant__school", "participant__campaign")
        if self.request.GET.get("status"):
            qs = qs.filter(status=self.request.GET["status"])
        return qs.order_by("status", "-created_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        audit.record_list(RiskAlert, [a.uuid for a in ctx["object_list"]], detail="alert list")
        return ctx


class AlertDetailView(ScopedDetailView):
    model = RiskAlert
    template_name = "screening/alert_detail.html"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        obj = super().get_object(queryset)
        audit.record_read(obj)
        return obj

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"can_change": scope.may(self.request.user, "change", self.object)}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        alert = scoped_get(RiskAlert, request, kwargs["uuid"], "change")
        actions.acknowledge_alert(request.user, alert, note=request.POST.get("note", "")[:2000])
        messages.success(request, _("Alert acknowledged."))
        return HttpResponseRedirect(reverse("screening:alert-detail", args=[alert.uuid]))


# --- Follow-up groups --------------------------------------------------------------------------------------


class GroupListView(CapabilityRequiredMixin, ScopedListView):
    model = FollowUpGroup
    capability = "followupgroup.view"
    template_name = "screening/group_list.html"

    def get_queryset(self) -> QuerySet[FollowUpGroup]:
        return super().get_queryset().select_related("school").annotate(n=Count("members")).order_by("name")


class GroupDetailView(ScopedDetailView):
    model = FollowUpGroup
    template_name = "screening/group_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        members = list(
            Participant.objects.restrict(self.request.user, "view").filter(groups=self.object).select_related("child")
        )
        audit.record_list(Participant, [p.uuid for p in members], detail="follow-up group")
        return super().get_context_data(**kwargs) | {
            "members": members,
            "can_change": scope.may(self.request.user, "change", self.object),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        group = scoped_get(FollowUpGroup, request, kwargs["uuid"], "change")
        remove = request.POST.getlist("remove")
        gone = list(Participant.objects.restrict(request.user, "view").filter(uuid__in=remove, groups=group))
        actions.change_group_members(request.user, group, remove=gone)
        messages.success(request, _("Group updated."))
        return HttpResponseRedirect(reverse("screening:group-detail", args=[group.uuid]))


class GroupCreateView(CapabilityRequiredMixin, View):
    """POST from the risk list: a new group of the selected children, or the selection added to an existing one."""

    capability = "followupgroup.add"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        return _group_create(request)


def _group_create(request: HttpRequest) -> HttpResponse:
    selected = request.POST.getlist("members")
    form = GroupForm(
        {"name": request.POST.get("name", ""), "purpose": request.POST.get("purpose", ""), "members": selected},
        user=request.user,
    )
    existing = request.POST.get("group")
    if existing:
        group = scoped_get(FollowUpGroup, request, existing, "change") if _is_uuid(existing) else None
        if group is None:
            raise Http404
        members = list(Participant.objects.restrict(request.user, "view").filter(uuid__in=selected))
        actions.change_group_members(request.user, group, add=members)
    elif form.is_valid():
        try:
            group = actions.create_group(
                request.user,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                members=list(form.cleaned_data["members"]),
            )
        except ValueError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("screening:risk-list"))
    else:
        messages.error(request, _("Give the group a name and choose at least one student."))
        return HttpResponseRedirect(reverse("screening:risk-list"))
    messages.success(request, _("Group saved."))
    return HttpResponseRedirect(reverse("screening:group-detail", args=[group.uuid]))
