"""Forms of risk assessments and plans, incidents and on-call (B8, B9, B10)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.casework.models import Incident, RiskAssessment
from ancrage.casework.referrals.forms import DATETIME
from ancrage.casework.widgets import _Date, _now_local
from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin


class RiskForm(BoundedTextMixin, forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), initial=clock.today, widget=_Date())
    level = forms.TypedChoiceField(
        label=_("Level"), choices=RiskAssessment.Level.choices, coerce=int, widget=forms.RadioSelect
    )
    rating = forms.ChoiceField(
        label=_("Risk rating"), choices=RiskAssessment.Rating.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(label=_("What was observed"), widget=forms.Textarea(attrs={"rows": 4}))
    paired_visits = forms.BooleanField(label=_("Visits in pairs only"), required=False)
    office_only_until = forms.DateField(
        label=_("Meetings at the office only until"), required=False, widget=_Date()
    )
    psychiatric_assessment_requested = forms.BooleanField(
        label=_("Psychiatric assessment requested"), required=False
    )
    notify_team_on_police = forms.BooleanField(
        label=_("Tell the team when police are called"), required=False, initial=True
    )
    other_measures = forms.CharField(
        label=_("Other measures"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participant_told_on = forms.DateField(
        label=_("Participant told of the plan on"), required=False, widget=_Date()
    )
    review_on = forms.DateField(label=_("Review on"), required=False, widget=_Date())


class IncidentForm(BoundedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of incident"), choices=Incident.Kind.choices)
    occurred_at = forms.DateTimeField(label=_("When"), initial=_now_local, widget=DATETIME)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(
        label=_("Reported by"),
        choices=Incident.Source.choices,
        initial=Incident.Source.STAFF,
        widget=forms.RadioSelect,
    )
    source_name = forms.CharField(
        label=_("Partner or person who gave notice"), max_length=200, required=False
    )


class OnCallEntryForm(BoundedTextMixin, forms.Form):
    called_at = forms.DateTimeField(label=_("Call received at"), initial=_now_local, widget=DATETIME)
    caller = forms.CharField(label=_("Who called"), max_length=200)
    summary = forms.CharField(label=_("What it was about"), widget=forms.Textarea(attrs={"rows": 3}))
    action_taken = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    participant = forms.CharField(
        label=_("Participant (name or community identifier, optional)"), max_length=200, required=False
    )
    follow_up = forms.BooleanField(label=_("Needs follow-up by the team"), required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = [(o.pk, o.name) for o in organisations]
        if len(organisation.choices) == 1:
            organisation.initial = organisation.choices[0][0]
            organisation.widget = forms.HiddenInput()


class OnCallShiftForm(BoundedTextMixin, forms.Form):
    worker = forms.TypedChoiceField(label=_("On call"), coerce=int)
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)
    phone = forms.CharField(
        label=_("Number to reach them"),
        max_length=40,
        required=False,
        help_text=_("The on-call phone: shown on the on-call page as a call link."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)

    def __init__(self, *args, organisations=(), workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = [(o.pk, o.name) for o in organisations]
        if len(organisation.choices) == 1:
            organisation.initial = organisation.choices[0][0]
            organisation.widget = forms.HiddenInput()
        worker = self.fields["worker"]
        assert isinstance(worker, forms.ChoiceField)
        worker.choices = [("", "—")] + [(w.pk, w.display_name) for w in workers]
