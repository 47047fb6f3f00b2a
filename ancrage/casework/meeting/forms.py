"""Forms of the team meeting and the caseload summary."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.casework.flags import FLAG_KEYS, FLAG_LABELS
from ancrage.casework.models import MeetingOrder
from ancrage.core.forms import BoundedTextMixin

SELECT = forms.Select(attrs={"class": "form-select"})

# How many flags a team lead can place first when sorting by flags.
FLAG_SLOTS = 3


def _flag_choices():
    return [("", _("(default order)")), *[(key, FLAG_LABELS[key]) for key in FLAG_KEYS]]


class MeetingSettingsForm(BoundedTextMixin, forms.Form):
    order = forms.ChoiceField(label=_("Order the participants"), choices=MeetingOrder.choices, widget=SELECT)
    flag_1 = forms.ChoiceField(label=_("Weigh first"), choices=_flag_choices, required=False, widget=SELECT)
    flag_2 = forms.ChoiceField(label=_("Then"), choices=_flag_choices, required=False, widget=SELECT)
    flag_3 = forms.ChoiceField(label=_("Then"), choices=_flag_choices, required=False, widget=SELECT)

    @classmethod
    def initial_for(cls, meeting_settings) -> dict:
        initial = {"order": meeting_settings.order}
        for n, key in enumerate((meeting_settings.flag_order or [])[:FLAG_SLOTS], start=1):
            initial[f"flag_{n}"] = key
        return initial

    def flag_order(self) -> list[str]:
        return [
            self.cleaned_data[f"flag_{n}"]
            for n in range(1, FLAG_SLOTS + 1)
            if self.cleaned_data.get(f"flag_{n}")
        ]
