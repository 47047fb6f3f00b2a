"""Forms of the coordinated-access pages: the by-name list's filters and a status change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.access.models import (
    ByNameStatus,
    HistorySource,
    HouseholdType,
    IncomeSource,
    LengthOfStay,
    LivingSituation,
    PersonFlag,
    Referral,
    TimesHomeless,
    YesNoAnswer,
)
from ancrage.access.selectors import SORTS
from ancrage.accounts.models import User
from ancrage.core import clock
from ancrage.core.api_types import SEARCH_MAX
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.housing.models import AccessibilityFeature, UnitKind
from ancrage.organisations.models import Organisation, Program


class WorkerChoiceField(forms.ModelChoiceField):
    """A staff member, named as the pages name them."""

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ProgramChoiceField(forms.ModelChoiceField):
    """A program and its organisation: two organisations may run programs of the same name."""

    def label_from_instance(self, obj: Program) -> str:
        return f"{obj.display_name} · {obj.organisation.name}"


class ByNameFilterForm(BoundedTextMixin, forms.Form):
    """The list's filters, read from the query string. A choice that is not one is ignored; a birth date
    that is not a date is said in words (`errors`) and ignored.

    The list opens on the people it is for, active ones by rank (DEFAULTS): a filter absent from the
    query string takes its default; a filter sent empty ("All") is no filter."""

    DEFAULTS = {"status": ByNameStatus.ACTIVE.value, "sort": "rank"}

    search = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=SEARCH_MAX,
        help_text=_("First name, nickname or last name, as the registry finds them (Bob finds Robert)."),
    )
    born = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), required=False)
    worker = forms.TypedChoiceField(label=_("Reference worker"), required=False, coerce=int, empty_value=None)
    chronic = forms.ChoiceField(
        label=_("Chronic homelessness"),
        required=False,
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
    )
    organisation = forms.TypedChoiceField(
        label=_("Home organisation"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])

    def __init__(self, data, *, workers, organisations):
        data = data.copy()
        for name, default in self.DEFAULTS.items():
            if name not in data:
                data[name] = default
        super().__init__(data)
        status, worker, organisation = (
            self.fields["status"],
            self.fields["worker"],
            self.fields["organisation"],
        )
        assert isinstance(status, forms.ChoiceField)
        assert isinstance(worker, forms.ChoiceField)
        assert isinstance(organisation, forms.ChoiceField)
        status.choices = [("", _("All")), *ByNameStatus.choices]
        worker.choices = [("", _("All"))] + [(w.pk, w.display_name) for w in workers]
        organisation.choices = [("", _("All"))] + [(o.pk, o.name) for o in organisations]

    def selector_kwargs(self) -> dict:
        """Arguments for by_name_list_for_user: only the fields that are valid."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        chronic = {"yes": True, "no": False}.get(data.get("chronic") or "")
        return {
            "search": (data.get("search") or "").strip(),
            "born": data.get("born"),
            "status": data.get("status") or None,
            "reference_worker_id": data.get("worker"),
            "chronic": chronic,
            "organisation_id": data.get("organisation"),
            "sort": data.get("sort") or self.DEFAULTS["sort"],
        }


class StatusChangeForm(BoundedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ByNameStatus.choices)
    on = forms.DateField(
        label=_("Since"), initial=clock.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    reference_worker = WorkerChoiceField(
        label=_("Reference worker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Required while the person is active."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reference_worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("status") == ByNameStatus.ACTIVE and not data.get("reference_worker"):
            self.add_error("reference_worker", _("Name a reference worker for every active person."))
        return data


class ContactForm(BoundedTextMixin, forms.Form):
    on = forms.DateField(
        label=_("Date of the contact"),
        initial=clock.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReferralForm(BoundedTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Received by"), queryset=Organisation.objects.none())
    person_name = forms.CharField(label=_("Name of the person, as given"), max_length=200)
    person_description = forms.CharField(
        label=_("Description of the person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only what helps find them, for instance where they usually stay."),
    )
    source_kind = forms.ChoiceField(label=_("Access point"), choices=Referral.SourceKind.choices)
    source_name = forms.CharField(label=_("Referring organisation or person"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3}))
    program = ProgramChoiceField(
        label=_("Housing First program asked for"),
        queryset=Program.objects.none(),
        required=False,
        help_text=_("Optional. The intake will say which of its requirements the person meets or not."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        field.empty_label = None
        programs = self.fields["program"]
        assert isinstance(programs, forms.ModelChoiceField)
        programs.queryset = Program.objects.filter(
            is_active=True, kind__in=Program.HOUSING_FIRST_KINDS
        ).select_related("organisation")


class RegistrySearchForm(BoundedTextMixin, forms.Form):
    """Who to look for in the registry before an intake; starts from the name the referral gives."""

    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


# --- Prioritisation (A5) and what matching reads of a person (A2) -----------------------------------------


class PolicyForm(BoundedTextMixin, forms.Form):
    """A priority policy file, typed as YAML; the service checks it and names each problem's line and field."""

    # Not stripped: the problems name lines, which must be the lines the person sees in the box.
    definition_text = forms.CharField(
        label=_("Policy file (YAML)"),
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 22, "class": "font-monospace", "spellcheck": "false", "autocapitalize": "off"}
        ),
        help_text=_(
            "A title in French and English, weighted factors and tie-breakers. Each problem is reported "
            "with its line and field."
        ),
    )


class PolicyActivationForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why this policy replaces the one in force"),
        max_length=2000,
        error_messages={"required": _("Say why this policy replaces the one in force.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For instance the committee's decision and its date. Kept with the policy's history."),
    )


def _checkboxes(label, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ProfileForm(BoundedTextMixin, forms.Form):
    """Household, income, accessibility needs, flags and housing preferences of a person on the list."""

    household_type = forms.ChoiceField(
        label=_("Household"), choices=HouseholdType.choices, widget=forms.RadioSelect
    )
    income_sources = _checkboxes(_("Sources of income"), IncomeSource.choices)
    accessibility_needs = _checkboxes(_("Accessibility needs"), AccessibilityFeature.choices)
    flags = _checkboxes(_("Health and safety flags"), PersonFlag.choices)
    preferred_unit_kinds = _checkboxes(_("Preferred types of housing"), UnitKind.choices)
    preferred_areas = forms.TypedMultipleChoiceField(
        label=_("Preferred areas"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "A borough covers all its neighbourhoods. Hold Ctrl (or ⌘) to choose several; "
            "leave empty if any area suits the person."
        ),
    )
    # Shown only while the person has neighbourhoods typed before the list of areas, so they can be cleared.
    preferred_neighbourhoods = forms.CharField(
        label=_("Neighbourhoods typed before the list of areas"),
        required=False,
        max_length=1000,
        help_text=_(
            "These names match no area. Choose the areas they mean above, then clear this text; "
            "separate names with commas."
        ),
    )

    def __init__(self, *args, chosen_areas=(), typed_neighbourhoods=(), **kwargs):
        from ancrage.housing.areas import choices

        super().__init__(*args, **kwargs)
        field = self.fields["preferred_areas"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices(include=chosen_areas)
        if not typed_neighbourhoods:
            del self.fields["preferred_neighbourhoods"]

    def clean_preferred_neighbourhoods(self) -> list[str]:
        text = self.cleaned_data.get("preferred_neighbourhoods") or ""
        return [part.strip() for part in text.split(",") if part.strip()]


class ReferralWithdrawForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the referral is withdrawn"),
        max_length=500,
        help_text=_("For instance: a duplicate, the person was housed elsewhere, the person moved away."),
    )


class IntakeCompleteForm(BoundedTextMixin, forms.Form):
    """Closing an intake puts the person on the by-name list with a named reference worker (A4)."""

    reference_worker = WorkerChoiceField(
        label=_("Reference worker"),
        queryset=User.objects.none(),
        help_text=_("The worker who keeps in touch with the person while they are on the list."),
    )
    entered_on = forms.DateField(
        label=_("On the list since"),
        initial=clock.today,
        widget=DateInput(),
        help_text=_("Not in the future, nor before the person's birth or the first record of them."),
    )
    backdate_reason = forms.CharField(
        label=_("Why this earlier date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when the date is more than a few days ago, for instance a transfer from a paper list."
        ),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reference_worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers


# --- Homelessness history (A4, A5) ------------------------------------------------------------------------

_MONTHS_CHOICES = [
    ("", _("Not asked")),
    ("doesnt_know", _("The person doesn't know")),
    ("refused", _("The person prefers not to answer")),
    *[(str(n), str(n)) for n in range(37)],
]


class HomelessnessHistoryForm(BoundedTextMixin, forms.Form):
    """What the person's homelessness history is as of a date, with its source (HMIS 3.917)."""

    reported_on = forms.DateField(label=_("As of"), initial=clock.today, widget=DateInput())
    source = forms.ChoiceField(label=_("Source"), choices=HistorySource.choices)
    living_situation = forms.ChoiceField(
        label=_("Living situation at entry"),
        choices=[("", "—"), *LivingSituation.choices],
        help_text=_("Where the person stayed last night."),
    )
    prior_living_situation = forms.ChoiceField(
        label=_("Prior living situation"),
        choices=LivingSituation.choices,
        initial=LivingSituation.NOT_COLLECTED,
        help_text=_("Where the person lived before this episode of homelessness."),
    )
    prior_length_of_stay = forms.ChoiceField(
        label=_("Length of stay in the prior living situation"),
        choices=LengthOfStay.choices,
        initial=LengthOfStay.NOT_COLLECTED,
    )
    previous_street_or_shelter = forms.ChoiceField(
        label=_("On the street, in a shelter or a safe haven the night before"),
        choices=YesNoAnswer.choices,
        initial=YesNoAnswer.NOT_COLLECTED,
    )
    episode_started_on = forms.DateField(
        label=_("Approximate date the current episode started"),
        required=False,
        widget=DateInput(),
        help_text=_("The first night without housing this time; leave empty if unknown."),
    )
    times_homeless_past_three_years = forms.ChoiceField(
        label=_("Times homeless in the past three years"),
        choices=TimesHomeless.choices,
        initial=TimesHomeless.NOT_COLLECTED,
        help_text=_("This time included."),
    )
    months_homeless = forms.ChoiceField(
        label=_("Months homeless in the past three years"),
        choices=_MONTHS_CHOICES,
        required=False,
        help_text=_("In all, this time included."),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        months = data.pop("months_homeless", "") or ""
        data["months_homeless_past_three_years"] = int(months) if months.isdigit() else None
        data["months_homeless_missing"] = (
            months if months in {"doesnt_know", "refused"} else ("" if months.isdigit() else "not_collected")
        )
        return data


class StayForm(BoundedTextMixin, forms.Form):
    """One stay or sighting: a night in a shelter, a street outreach contact, a stay in hospital…"""

    situation = forms.ChoiceField(
        label=_("Where"),
        choices=[
            (value, label)
            for value, label in LivingSituation.choices
            if value not in {"doesnt_know", "refused", "not_collected"}
        ],
    )
    starts_on = forms.DateField(label=_("Night of (or from)"), initial=clock.today, widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until (included)"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for one night or one sighting."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=HistorySource.choices)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and not data.get("ends_on"):
            data["ends_on"] = data["starts_on"]
        return data
