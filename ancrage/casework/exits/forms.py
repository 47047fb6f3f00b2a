"""Forms of exits, assessment schedules and progress (F1..F4)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ancrage.casework.models import Exit
from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The reasons that fit each kind of exit (F1–F3); the service accepts any reason of the list.
REASONS_BY_KIND: dict[str, list[Exit.Reason]] = {
    Exit.Kind.GRADUATION: [Exit.Reason.GOALS_REACHED],
    Exit.Kind.PLANNED: [
        Exit.Reason.GOALS_REACHED,
        Exit.Reason.MORE_SUPPORT,
        Exit.Reason.LESS_SUPPORT,
        Exit.Reason.MOVED_AWAY,
        Exit.Reason.OTHER,
    ],
    Exit.Kind.UNPLANNED: [
        Exit.Reason.NEEDS_NOT_MET,
        Exit.Reason.PARTICIPANT_ENDED,
        Exit.Reason.DETENTION,
        Exit.Reason.MOVED_AWAY,
        Exit.Reason.DECEASED,
        Exit.Reason.OTHER,
    ],
}


class ExitForm(BoundedTextMixin, forms.Form):
    """The fields one kind of exit needs: graduation asks for the re-administered intake instrument,
    an unplanned exit for the housing-stability referrals or why fewer."""

    kind = forms.ChoiceField(choices=Exit.Kind.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=Exit.Reason.choices)
    exited_on = forms.DateField(label=_("Exit date"), widget=DATE)
    destination = forms.ChoiceField(label=_("Destination"), choices=Exit.Destination.choices)
    destination_detail = forms.CharField(label=_("Destination, in words"), max_length=300, required=False)
    shelter_justification = forms.CharField(
        label=_("Why a shelter: no reasonable alternative"),
        help_text=_("Only when the destination is an emergency shelter."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    graduation_assessment = forms.TypedChoiceField(
        label=_("Intake instrument re-administered"), coerce=int, required=False, widget=forms.RadioSelect
    )
    stable_housing = forms.BooleanField(label=_("Stable, affordable housing"), required=False)
    rent_supplement = forms.BooleanField(label=_("Rent supplement in place"), required=False)
    follow_up_care = forms.BooleanField(label=_("Follow-up care arranged"), required=False)
    readiness_note = forms.CharField(
        label=_("Why graduate without every indicator"),
        help_text=_("Only when an indicator is not in place."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lost_contact_reason = forms.CharField(
        label=_("Why the participant leaves while re-engagement is under way"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    referral_ids = forms.TypedMultipleChoiceField(
        label=_("Housing-stability referrals made"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    no_referrals_reason = forms.CharField(
        label=_("Why fewer referrals"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_organisation = forms.TypedChoiceField(
        label=_("Next provider's organisation"), coerce=int, required=False, empty_value=None
    )
    next_provider = forms.CharField(label=_("Next provider, in words"), max_length=200, required=False)
    information_sent = forms.BooleanField(label=_("Information sent to the next provider"), required=False)
    procedure_given_on = forms.DateField(
        label=_("Contact and complaint and appeal procedure given on"), required=False, widget=DATE
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args,
        kind: str,
        administrations=(),
        referrals=(),
        organisations=(),
        procedure_known: bool = True,
        lost_contact: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.exit_kind = kind
        self.initial.setdefault("kind", kind)
        today = clock.today()
        self.initial.setdefault("exited_on", today)
        # Today only when the organisation has given its procedure: otherwise nobody could have handed it over.
        if procedure_known:
            self.initial.setdefault("procedure_given_on", today)
        reasons = REASONS_BY_KIND.get(kind, list(Exit.Reason))
        self._choices("reason", [(r.value, r.label) for r in reasons])
        self._choices("graduation_assessment", [(a.pk, label) for a, label in administrations])
        self._choices("referral_ids", [(r.pk, label) for r, label in referrals])
        self._choices("next_organisation", [("", "—"), *[(o.pk, o.name) for o in organisations]])
        self.organisations = {o.pk: o for o in organisations}
        # Only the fields this kind of exit needs are on the page.
        if kind != Exit.Kind.GRADUATION:
            for name in ("graduation_assessment", "stable_housing", "rent_supplement", "follow_up_care"):
                del self.fields[name]
            del self.fields["readiness_note"]
        if kind != Exit.Kind.UNPLANNED or not lost_contact:
            del self.fields["lost_contact_reason"]
        if kind == Exit.Kind.PLANNED:
            days = settings.ANCRAGE["PLANNED_EXIT_DAYS_AHEAD"]
            self.fields["exited_on"].help_text = ngettext(
                "A planned exit may be dated up to %(days)s day ahead: the service goes on until then.",
                "A planned exit may be dated up to %(days)s days ahead: the service goes on until then.",
                days,
            ) % {"days": days}
        if kind != Exit.Kind.UNPLANNED:
            del self.fields["no_referrals_reason"]
            del self.fields["referral_ids"]
        else:
            # The number comes from the setting (UNPLANNED_EXIT_REFERRALS), never written in the label.
            count = settings.ANCRAGE["UNPLANNED_EXIT_REFERRALS"]
            self.fields["no_referrals_reason"].label = ngettext(
                "Why fewer than %(count)s referral", "Why fewer than %(count)s referrals", count
            ) % {"count": count}

    def _choices(self, name: str, choices: list) -> None:
        self.fields[name].choices = choices  # type: ignore[attr-defined]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("kind", None)
        data["next_organisation"] = self.organisations.get(data.get("next_organisation") or 0)
        return data


class ScheduleForm(BoundedTextMixin, forms.Form):
    """One instrument of a program's schedule: added, or changed when the program already has it."""

    instrument = forms.TypedChoiceField(label=_("Instrument"), coerce=int)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=99, initial=0)
    within_days_of_enrollment = forms.IntegerField(
        label=_("Within how many days of enrollment"), min_value=0, max_value=365, required=False
    )
    every_months = forms.IntegerField(
        label=_("Then every (months)"), min_value=1, max_value=60, required=False
    )
    at_exit = forms.BooleanField(label=_("At exit"), required=False)

    def __init__(self, *args, instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.instruments = {i.pk: i for i, _label in instruments}
        self.fields["instrument"].choices = [(i.pk, label) for i, label in instruments]  # type: ignore[attr-defined]
