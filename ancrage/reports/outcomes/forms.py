"""The outcomes page's filters: period, program, organisation and self-identified group (the equity view)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.housing.forms_support import BoundedDateField
from ancrage.reports.outcomes import labels
from ancrage.reports.outcomes.selectors import Filters

MAX_YEARS = 10


def _choices(dimension: str):
    return [("", _("All")), *labels.VALUE_LABELS[dimension].items()]


class OutcomesFilterForm(forms.Form):
    start = BoundedDateField(label=_("from"), required=False)
    end = BoundedDateField(label=_("to (reference day)"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("organisation"), coerce=int, required=False, empty_value=None
    )
    program = forms.TypedChoiceField(label=_("program"), coerce=int, required=False, empty_value=None)
    indigenous = forms.ChoiceField(
        label=_("Indigenous identity"), required=False, choices=_choices("indigenous")
    )
    gender = forms.ChoiceField(label=_("gender"), required=False, choices=_choices("gender"))
    age = forms.ChoiceField(label=_("age band"), required=False, choices=_choices("age"))
    breakdown = forms.ChoiceField(
        label=_("equity view by"), required=False, choices=list(labels.DIMENSION_LABELS.items())
    )

    def __init__(self, *args, organisations=(), programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        prog_field = self.fields["program"]
        assert isinstance(org_field, forms.TypedChoiceField)
        assert isinstance(prog_field, forms.TypedChoiceField)
        org_field.choices = [("", _("All")), *((o.pk, o.short_name) for o in organisations)]
        prog_field.choices = [
            ("", _("All")),
            *((p.pk, f"{p.organisation.short_name} — {p.display_name}") for p in programs),
        ]

    def clean(self):
        data = super().clean()
        assert data is not None
        end = data.get("end") or clock.today()
        start = data.get("start") or end
        if end < start:
            raise forms.ValidationError(_("The end date comes before the start date."))
        if start + relativedelta(years=MAX_YEARS) < end:
            raise forms.ValidationError(
                _("Choose a period of at most %(years)s years.") % {"years": MAX_YEARS}
            )
        return data

    def filters(self) -> Filters:
        """The filters the page applies: the valid ones, the last twelve months when none are given."""
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or clock.today()
        start = data.get("start") or (end - relativedelta(years=1) + datetime.timedelta(days=1))
        return Filters(
            start=start,
            end=end,
            organisation_id=data.get("organisation"),
            program_id=data.get("program"),
            indigenous=data.get("indigenous") or None,
            gender=data.get("gender") or None,
            age=data.get("age") or None,
            breakdown=data.get("breakdown") or "indigenous",
        )
