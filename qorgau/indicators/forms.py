"""Forms of the indicators module: the catalogue entry, one value, a correction, an upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VersionedForm
from core.models import Agency, Region
from indicators.importers import MAX_YEAR, MIN_YEAR
from indicators.models import Area, Domain, Indicator, Sex


class IndicatorForm(VersionedForm):
    """A catalogue entry; a derived one names its numerator, denominator and multiplier together."""

    class Meta:
        model = Indicator
        fields = list(Indicator.EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_agency"].queryset = Agency.objects.exclude(  # type: ignore[attr-defined]
            kind=Agency.Kind.BUDGET_SOURCE
        ).order_by("code")
        self.fields["domain"].queryset = Domain.objects.order_by("code")  # type: ignore[attr-defined]
        parts = Indicator.objects.filter(numerator__isnull=True).order_by("code")
        if self.instance.pk:
            parts = parts.exclude(pk=self.instance.pk)
        for name in ("numerator", "denominator"):
            self.fields[name].queryset = parts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        derived = [data.get("numerator"), data.get("denominator"), data.get("multiplier")]
        if any(x is not None for x in derived) and not all(x is not None for x in derived):
            raise forms.ValidationError(
                _("A derived indicator needs a numerator, a denominator and a multiplier (or none of them).")
            )
        low, high = data.get("valid_min"), data.get("valid_max")
        if low is not None and high is not None and low > high:
            self.add_error("valid_max", _("The highest valid value is below the lowest."))
        return data


class ValueForm(forms.Form):
    """One value typed by an analyst."""

    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.filter(numerator__isnull=True).order_by("code")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("Kazakhstan (national)")
    )
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("all")), *list(Sex.choices)], required=False)
    area = forms.ChoiceField(label=_("Urban / rural"), choices=[("", _("all")), *list(Area.choices)], required=False)
    age = forms.CharField(label=_("Age group"), max_length=20, required=False)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=6)
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ValueCorrectionForm(forms.Form):
    """A correction of one stored value; the reason is required (it stays with the value)."""

    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=6)
    note = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
