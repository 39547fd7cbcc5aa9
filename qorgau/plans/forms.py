"""Forms of the plan pages: importing an official text and correcting a measure under review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VersionedForm
from plans.models import Measure

MAX_PLAN_BYTES = 5 * 1024 * 1024


class PlanImportForm(forms.Form):
    """The plan's text as extracted from the official document (UTF-8)."""

    document = forms.FileField(label=_("Plan text (UTF-8 .txt)"))
    national = forms.FileField(
        label=_("National text of the 2023–2025 plan"),
        required=False,
        help_text=_("Only for a school's copy of the plan: its rows are checked against the national text."),
    )

    def _check(self, name: str) -> Any:
        upload = self.cleaned_data.get(name)
        if upload is not None and upload.size > MAX_PLAN_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: upload the plan's text only."))
        return upload

    def clean_document(self) -> Any:
        return self._check("document")

    def clean_national(self) -> Any:
        return self._check("national")


class MeasureReviewForm(VersionedForm):
    """A reviewer's corrections of one measure; the executors as one comma-separated line."""

    executors_text = forms.CharField(
        label=_("Executors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Comma-separated, the lead executor first; mark the others as “(по согласованию)”."),
    )

    class Meta:
        model = Measure
        fields = ["number", "name", "completion_form", "deadline", "funding_text", "reviewed"]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 4}),
            "completion_form": forms.Textarea(attrs={"rows": 2}),
            "deadline": forms.TextInput(),
            "funding_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["executors_text"].initial = ", ".join(
                e.text + (" (по согласованию)" if e.by_agreement else "") for e in self.instance.executors.all()
            )
