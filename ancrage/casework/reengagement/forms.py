"""Forms of lost contact and re-engagement (B12)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.casework.models import OutreachTask, ReengagementPlan
from ancrage.casework.referrals.forms import DATE
from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin


class OutreachTaskForm(BoundedTextMixin, forms.Form):
    place_kind = forms.ChoiceField(label=_("Where to look"), choices=OutreachTask.Place.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    assigned_to = forms.TypedChoiceField(label=_("Who"), coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(label=_("By"), required=False, widget=DATE)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        assigned_to = self.fields["assigned_to"]
        assert isinstance(assigned_to, forms.ChoiceField)
        assigned_to.choices = [("", "—")] + [(w.pk, w.display_name) for w in workers]


class OutreachTaskDoneForm(BoundedTextMixin, forms.Form):
    outcome = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 2}))
    done_on = forms.DateField(label=_("Done on"), initial=clock.today, widget=DATE)


class ReengagementCloseForm(BoundedTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("How the plan ends"),
        choices=[
            (ReengagementPlan.Status.RECONNECTED.value, ReengagementPlan.Status.RECONNECTED.label),
            (ReengagementPlan.Status.CLOSED.value, ReengagementPlan.Status.CLOSED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
