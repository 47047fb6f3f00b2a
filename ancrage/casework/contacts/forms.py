"""Forms of contacts and field visits (B2, B3, B9)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.models import User
from ancrage.casework.models import ContactKind
from ancrage.casework.widgets import _now_local
from ancrage.core.forms import BoundedTextMixin
from ancrage.core.permissions import Role

DURATION_PRESETS = (15, 30, 45, 60, 90)
DURATION_OTHER = "other"


def _duration_choice(value):
    """A preset in minutes (int), or DURATION_OTHER."""
    return value if value == DURATION_OTHER else int(value)


DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# Who may be named as staff present or as a companion on a visit.
FIELD_ROLES = (Role.CASE_MANAGER, Role.PEER_SUPPORT, Role.TEAM_LEAD, Role.PROGRAM_MANAGER)


def field_staff(organisation_id: int):
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=FIELD_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class _DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class _StaffChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class _GoalChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.words


class ContactForm(BoundedTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of contact"),
        choices=ContactKind.choices,
        initial=ContactKind.HOME,
        widget=forms.RadioSelect,
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=_DateTimeLocal(),
    )
    # A preset, or DURATION_OTHER: then the number in duration_other counts (and only then, so a preset the
    # worker taps wins over a duration prefilled from a field visit).
    duration_minutes = forms.TypedChoiceField(
        label=_("How long"),
        choices=[(m, str(m)) for m in DURATION_PRESETS],
        coerce=_duration_choice,
        required=False,
        empty_value=None,
        initial=30,
        widget=forms.RadioSelect,
    )
    duration_other = forms.IntegerField(
        label=_("Other duration (minutes)"), required=False, min_value=1, max_value=720
    )
    participant_present = forms.TypedChoiceField(
        label=_("Participant present"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )
    goals = _GoalChoice(
        label=_("Goals discussed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff = _StaffChoice(
        label=_("Staff present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared_note = forms.CharField(
        label=_("Note (shared within consent)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_note = forms.CharField(
        label=_("Private note (read only in your organisation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, goals, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["occurred_at"].initial = _now_local
        self.fields["duration_minutes"].choices = [  # type: ignore[attr-defined]
            *((m, gettext("%(minutes)s min") % {"minutes": m}) for m in DURATION_PRESETS),
            (DURATION_OTHER, gettext("Another duration")),
        ]

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        choice = data.get("duration_minutes")
        other = data.get("duration_other")
        if choice == DURATION_OTHER:
            if other:
                data["duration"] = other
            elif "duration_other" not in self.errors:
                self.add_error("duration_other", _("Give the duration in minutes."))
        elif choice:
            data["duration"] = choice  # the preset tapped wins over a number left in the other field
        elif other:
            data["duration"] = other  # no preset chosen: the number typed
        elif "duration_other" not in self.errors:
            self.add_error("duration_minutes", _("Choose how long the contact lasted."))
        return data


class VisitPlanForm(BoundedTextMixin, forms.Form):
    location = forms.CharField(
        label=_("Where"),
        max_length=300,
        help_text=_("An address or a place the team will recognise."),
    )
    planned_start = forms.DateTimeField(
        label=_("Planned start"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"], widget=_DateTimeLocal()
    )
    planned_end = forms.DateTimeField(
        label=_("Planned end"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"], widget=_DateTimeLocal()
    )
    companions = _StaffChoice(
        label=_("Colleagues who go with you"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companions"].queryset = staff  # type: ignore[attr-defined]
        start = _now_local() + datetime.timedelta(minutes=5)
        self.fields["planned_start"].initial = start
        self.fields["planned_end"].initial = start + datetime.timedelta(hours=1)


class VisitCancelForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(label=_("Why is the visit cancelled?"), max_length=300)


class VisitEndForm(BoundedTextMixin, forms.Form):
    """Ending a visit; a colleague who ends someone else's visit says why (the worker is told)."""

    reason = forms.CharField(label=_("Why do you end this visit for them?"), max_length=300, required=False)


def extend_choices() -> list[tuple[int, str]]:
    """How much longer a visit may be extended at a time, as the phone offers it."""
    from ancrage.casework.contacts.services import EXTEND_CHOICES_MINUTES

    return [(m, _("%(minutes)s min") % {"minutes": m}) for m in EXTEND_CHOICES_MINUTES]


class VisitExtendForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("How much longer?"),
        coerce=int,
        choices=extend_choices,
        error_messages={
            "required": _("Choose how much longer."),
            "invalid_choice": _("Choose how much longer."),
        },
    )
