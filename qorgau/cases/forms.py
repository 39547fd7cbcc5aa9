"""Forms of the case pages; choices of children and organisations are limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Case, Category, Referral, RiskLevel, Source
from core.forms import organisations_for
from core.models import Child, Organisation, OrganisationKind


class CaseForm(forms.Form):
    children = forms.ModelMultipleChoiceField(
        label=_("Children"),
        queryset=Child.objects.none(),
        to_field_name="uuid",
        help_text=_("Siblings share one case."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.STAFF)
    organisation = forms.ModelChoiceField(label=_("Owner organisation"), queryset=Organisation.objects.none())
    summary = forms.CharField(label=_("What is known"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = Child.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations_for(user, "case.add").exclude(  # type: ignore[attr-defined]
            kind__in=[OrganisationKind.COUNTRY]
        )


class TaskForm(forms.Form):
    record = forms.CharField(label=_("Record"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Case.Status if s not in (Case.Status.CLOSING, Case.Status.CLOSED)]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    confidential = forms.BooleanField(label=_("confidential"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class CouncilForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanItemForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=300)
    responsible = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    due_on = forms.DateField(
        label=_("By"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReferralForm(forms.Form):
    to = forms.ModelChoiceField(
        label=pgettext_lazy("referral recipient", "To"), queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Referral.Kind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any active organisation of the case's region may receive it (it need not be in the sender's scope).
        region_path = case.organisation.path[:12]
        self.fields["to"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(is_active=True, path__startswith=region_path)
            .exclude(kind__in=[OrganisationKind.COUNTRY, OrganisationKind.REGION, OrganisationKind.DISTRICT])
            .exclude(pk=case.organisation_id)
            .order_by("kind", "name_ru")
        )


class ClosureForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
