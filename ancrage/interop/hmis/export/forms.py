"""The export's question: a period, the programs, hashed or not."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.api_types import DATE_MAX, DATE_MIN
from ancrage.core.forms import DateInput


class ExportForm(forms.Form):
    start = forms.DateField(label=_("first day of the period"), widget=DateInput())
    end = forms.DateField(label=_("last day of the period"), widget=DateInput())
    programs = forms.TypedMultipleChoiceField(
        label=_("programs"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one program.")},
    )
    hashed = forms.BooleanField(
        label=_("hash names and dates of birth (SHA-256)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "aria-describedby": "hashed-help"}),
        help_text=_("For a receiving system that matches people without seeing who they are."),
    )

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programs"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(p.pk, f"{p.organisation.short_name} — {p.display_name}") for p in programs]
        if not self.is_bound:
            today = clock.today()
            self.initial.setdefault("end", today)
            self.initial.setdefault("start", today - datetime.timedelta(days=365))
            self.initial.setdefault("programs", [p.pk for p in programs])

    def _bounded(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not DATE_MIN <= day <= DATE_MAX:
            raise forms.ValidationError(_("Enter a date from 1900 to 2199."))
        return day

    def clean_start(self):
        return self._bounded("start")

    def clean_end(self):
        return self._bounded("end")

    def clean(self):
        data = super().clean()
        assert data is not None
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date comes before the start date."))
        return data
