"""Forms of the reporting pages: a measure report, a document, a target indicator's actual value."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import MeasureReport, Plan


class ReportStartForm(forms.Form):
    """Start the report of an organisation (agency) on a measure for a period."""

    measure = forms.UUIDField(widget=forms.HiddenInput)
    period = forms.CharField(max_length=10, widget=forms.HiddenInput)
    organisation = forms.UUIDField(widget=forms.HiddenInput, required=False)


class MeasureReportForm(forms.Form):
    """The executor's report: implementation status, information in both languages, money spent."""

    status = forms.ChoiceField(label=_("Implementation"), choices=[("", "—"), *MeasureReport.Status.choices])
    narrative_kk = forms.CharField(
        label=_("Implementation information (Kazakh)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    narrative_ru = forms.CharField(
        label=_("Implementation information (Russian)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    spent_mln_kzt = forms.DecimalField(
        label=_("Spent, mln KZT"), max_digits=14, decimal_places=3, min_value=0, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_report(cls, report: MeasureReport, data: Any = None) -> MeasureReportForm:
        """The form filled with the report as saved (or with ``data`` posted over it)."""
        initial = {
            "status": report.status,
            "narrative_kk": report.narrative_kk,
            "narrative_ru": report.narrative_ru,
            "spent_mln_kzt": report.spent_mln_kzt,
            "version": report.version,
        }
        return cls(data, initial=initial)


class VersionForm(forms.Form):
    """A POST-only action on a versioned report (submit, consolidate): the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportDocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))


class ActualValueForm(forms.Form):
    """An actual value of a target indicator for a year (empty value: clear it)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    value = forms.DecimalField(label=_("Actual value"), max_digits=16, decimal_places=4, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(plan.period_start - 1, plan.period_end + 1)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, _("%(year)s (baseline)") % {"year": y} if y == plan.period_start - 1 else str(y)) for y in years
        ]
