"""Forms of the core app. Choices of organisations are always limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import scope
from core.iin import check_iin
from core.models import Child, Consent, LegalRepresentative, Organisation
from core.models.territory import EDUCATION_KINDS


def organisations_for(user: Any, cap: str) -> Any:
    """Organisations where ``user`` may use ``cap`` (empty queryset if nowhere)."""
    q = scope.organisation_q(user, cap)
    if q is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(q)


class VersionedForm(forms.ModelForm):
    """Carries the version the editor loaded, so a stale save is detected (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def apply_version(self) -> None:
        submitted = self.cleaned_data.get("version")
        if self.instance.pk and submitted:
            self.instance.version = submitted


class ChildForm(VersionedForm):
    class Meta:
        model = Child
        fields = [
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "sex",
            "organisation",
            "class_name",
            "language",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap = "child.change" if self.instance.pk else "child.add"
        self.fields["organisation"].queryset = organisations_for(user, cap).filter(  # type: ignore[attr-defined]
            kind__in=EDUCATION_KINDS
        )
        self.fields["iin"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": 12})

    def clean_iin(self) -> str | None:
        raw = (self.cleaned_data.get("iin") or "").strip()
        return raw or None  # an empty IIN is stored as NULL so that uniqueness ignores it

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        iin, birth_date, sex = data.get("iin"), data.get("birth_date"), data.get("sex")
        if iin:
            info = check_iin(iin)
            if info.valid and birth_date and info.birth_date != birth_date:
                self.add_error(
                    "birth_date", _("The date of birth does not match the IIN (%(date)s).") % {"date": info.birth_date}
                )
            if info.valid and sex and info.sex != sex:
                self.add_error("sex", _("The sex does not match the IIN."))
        return data


class LegalRepresentativeForm(forms.ModelForm):
    class Meta:
        model = LegalRepresentative
        fields = ["full_name", "relation", "iin", "phone", "email"]


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "granted", "given_on", "representative", "document"]
        widgets = {"given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = child.representatives.all()  # type: ignore[attr-defined]
        self.fields["representative"].required = True


class ChildFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Name, IIN or class")})
    )
    organisation = forms.UUIDField(required=False, widget=forms.HiddenInput)


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    model = forms.CharField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record id"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from core.models import AuditEntry

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "—"), *AuditEntry.Action.choices]  # type: ignore[attr-defined]


class ChildImportForm(forms.Form):
    """Upload a class roster into one organisation the user may add children to."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("File (.csv or .xlsx)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = organisations_for(user, "child.add").filter(kind__in=EDUCATION_KINDS)
        self.fields["organisation"].queryset = qs  # type: ignore[attr-defined]
        if qs.count() == 1:
            self.fields["organisation"].initial = qs.first()
