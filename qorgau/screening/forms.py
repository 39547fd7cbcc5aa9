"""Forms of the screening pages; organisation and class choices are limited to the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import organisations_for
from core.models import Child, OrganisationKind
from core.models.territory import EDUCATION_KINDS
from screening.models import InstrumentVersion, Participant

CAMPAIGN_KINDS = {*EDUCATION_KINDS, OrganisationKind.DISTRICT, OrganisationKind.REGION, OrganisationKind.CPP}
MAX_CLASS_CHOICES = 300


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Run by"), queryset=None)  # type: ignore[arg-type]
    instruments = forms.ModelMultipleChoiceField(
        label=_("Instruments"),
        queryset=InstrumentVersion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Students take them in this order."),
    )
    starts_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    grades = forms.TypedMultipleChoiceField(
        label=_("All classes of these grades"),
        choices=[(g, str(g)) for g in range(1, 12)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    classes = forms.MultipleChoiceField(
        label=_("Or these classes"), choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = organisations_for(user, "campaign.add").filter(kind__in=CAMPAIGN_KINDS, is_active=True)
        self.fields["organisation"].queryset = orgs.order_by("path")  # type: ignore[attr-defined]
        self.fields["instruments"].queryset = InstrumentVersion.objects.restrict(  # type: ignore[attr-defined]
            user, "view"
        ).filter(is_active=True)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(days=14)
        classes = (
            Child.objects.restrict(user, "view")
            .filter(organisation__in=orgs.filter(kind__in=EDUCATION_KINDS))
            .exclude(class_name="")
            .values_list("organisation_id", "organisation__name_ru", "class_name")
            .distinct()
            .order_by("organisation__name_ru", "class_name")[: MAX_CLASS_CHOICES + 1]
        )
        rows = list(classes)
        if len(rows) <= MAX_CLASS_CHOICES:
            self.fields["classes"].choices = [  # type: ignore[attr-defined]
                (f"{o}|{c}", f"{name} — {c}") for o, name, c in rows
            ]
        else:
            del self.fields["classes"]  # too many to list: choose by grade

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The campaign cannot close before it opens."))
        if not data.get("grades") and not data.get("classes"):
            raise forms.ValidationError(_("Choose the grades or the classes that take part."))
        return data

    def class_pairs(self) -> tuple[tuple[int, str], ...]:
        pairs = []
        for value in self.cleaned_data.get("classes") or []:
            org, _sep, name = value.partition("|")
            pairs.append((int(org), name))
        return tuple(pairs)


class ConsentRowForm(forms.Form):
    """The decision of one child's representative on the consent register."""

    decision = forms.ChoiceField(
        choices=[("", "—"), ("granted", _("granted")), ("refused", _("refused"))], required=False
    )
    document = forms.CharField(max_length=200, required=False)


class PaperImportForm(forms.Form):
    file = forms.FileField(label=_("Filled template (.csv or .xlsx)"))


class InstrumentImportForm(forms.Form):
    file = forms.FileField(label=_("XLSForm (.xlsx, .xls, .csv or .md)"))


class GroupForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("group", "Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    members = forms.ModelMultipleChoiceField(queryset=Participant.objects.none(), required=False, to_field_name="uuid")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Participant.objects.restrict(  # type: ignore[attr-defined]
            user, "view"
        ).filter(status=Participant.Status.COMPLETED)


class RiskFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, required=False, label=_("Campaign"))  # type: ignore[arg-type]
    level = forms.ChoiceField(
        choices=[("", _("low and above")), *Participant.RiskLevel.choices], required=False, label=_("Risk level")
    )
    flag = forms.CharField(required=False, label=_("Flag"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from screening.models import Campaign

        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.restrict(user, "view")  # type: ignore[attr-defined]
