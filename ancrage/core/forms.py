"""Forms core's own pages use, and the date widget every app's forms share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core.registry import ACTIONS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class AuditFilterForm(forms.Form):
    participant = forms.CharField(label=_("Participant (community identifier)"), required=False)
    user = forms.CharField(label=_("User name"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("All actions")), *((k, v) for k, v in ACTIONS.items())]

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The end date comes before the start date."))
        return data
