"""Forms of the case-conference pages."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ancrage.conferences.models import ActionItem, Attendance, ParkingLotIssue
from ancrage.core.forms import BoundedTextMixin, DateInput


def _members_choices(table, members=None) -> list[tuple[str, str]]:
    """The table's active members as choices; `members`: those the page already read (no query then)."""
    rows = (
        members
        if members is not None
        else table.members.filter(is_active=True).select_related("user", "organisation")
    )
    return [("", "—")] + [
        (str(m.user_id), f"{m.user.display_name} · {m.organisation.short_name}") for m in rows
    ]


class MemberForm(forms.Form):
    user = forms.CharField(label=_("User name"), max_length=150)
    can_decide_housing = forms.BooleanField(label=_("Can decide on housing options"), required=False)


class RolesForm(forms.Form):
    facilitator = forms.ChoiceField(label=_("Facilitator"), required=False)
    timekeeper = forms.ChoiceField(label=_("Timekeeper"), required=False)
    note_taker = forms.ChoiceField(label=_("Note-taker"), required=False)

    def __init__(self, *args, table, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _members_choices(table, members)
        for name in ("facilitator", "timekeeper", "note_taker"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]


class ProposalForm(BoundedTextMixin, forms.Form):
    participant = forms.IntegerField(
        label=_("Participant"), widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )
    reason = forms.CharField(label=_("Why the person is stuck"), widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(BoundedTextMixin, forms.Form):
    confidential = forms.CharField(
        label=_("What stays confidential"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resources = forms.CharField(
        label=_("Resources"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_plan = forms.CharField(
        label=_("Action plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = forms.ChoiceField(label=_("Lead"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    seconds_spent = forms.IntegerField(
        label=_("Time spent (seconds)"),
        required=False,
        min_value=0,
        max_value=6 * 3600,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, table, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = _members_choices(table)  # type: ignore[attr-defined]
        self.organisations = organisations
        limit = settings.ANCRAGE["NOTE_MAX_LENGTH"]
        for org in organisations:
            self.fields[f"strengths_{org.pk}"] = forms.CharField(
                label=_("Strengths (%(org)s)") % {"org": org.short_name},
                required=False,
                max_length=limit,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"barriers_{org.pk}"] = forms.CharField(
                label=_("Barriers (%(org)s)") % {"org": org.short_name},
                required=False,
                max_length=limit,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class ActionForm(BoundedTextMixin, forms.Form):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.ChoiceField(label=_("Responsible"))
    accountable = forms.ChoiceField(label=_("Accountable"), required=False)
    consulted = forms.MultipleChoiceField(
        label=_("Consulted"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    informed = forms.MultipleChoiceField(
        label=_("Informed"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        members = _members_choices(table)
        self.fields["responsible"].choices = members  # type: ignore[attr-defined]
        self.fields["accountable"].choices = members  # type: ignore[attr-defined]
        orgs = {m.organisation for m in table.members.filter(is_active=True).select_related("organisation")}
        parties = [(f"u{v}", label) for v, label in members if v] + [
            (f"o{o.pk}", o.name) for o in sorted(orgs, key=lambda o: o.name)
        ]
        self.fields["consulted"].choices = parties  # type: ignore[attr-defined]
        self.fields["informed"].choices = parties  # type: ignore[attr-defined]

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value and not datetime.date(2000, 1, 1) <= value <= datetime.date(2100, 1, 1):
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return value


class ActionUpdateForm(BoundedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    note = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ParkingForm(BoundedTextMixin, forms.Form):
    title = forms.CharField(label=_("Issue"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(label=_("Owner"))

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _members_choices(table)  # type: ignore[attr-defined]


class ParkingUpdateForm(BoundedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ParkingLotIssue.Status.choices)
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class EvaluationForm(BoundedTextMixin, forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("Usefulness (1 to 5)"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    time_use = forms.TypedChoiceField(
        label=_("Use of time (1 to 5)"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    preparation = forms.TypedChoiceField(
        label=_("Preparation (1 to 5)"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttendanceForm(forms.Form):
    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            self.fields[f"m{m.pk}"] = forms.ChoiceField(
                label=f"{m.user.display_name} · {m.organisation.short_name}",
                choices=[("", "—"), *Attendance.Status.choices],
                required=False,
            )
