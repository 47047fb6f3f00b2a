"""Forms of housing: a unit, with its requirements as simple fields, and the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin
from ancrage.housing.models import AccessibilityFeature, Unit, UnitKind
from ancrage.organisations.models import Organisation
from ancrage.organisations.requirements import choices_of
from ancrage.people.models import Gender


class UnitForm(BoundedTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Held by"), queryset=Organisation.objects.none())
    address = forms.CharField(label=_("Address"), max_length=300)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), max_length=100)
    kind = forms.ChoiceField(label=_("Type of housing"), choices=UnitKind.choices)
    bedrooms = forms.IntegerField(label=_("Bedrooms"), initial=1, help_text=_("0 for a studio."))
    monthly_rent = forms.DecimalField(label=_("Monthly rent"), max_digits=8, decimal_places=2)
    available_from = forms.DateField(
        label=_("Available from"), initial=clock.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    features = forms.MultipleChoiceField(
        label=_("Accessibility and features"),
        choices=AccessibilityFeature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    household_types = forms.MultipleChoiceField(
        label=_("Households accepted"),
        # The households of the by-name list (coordinated access registers them), read when the form is built.
        choices=lambda: choices_of("household_type"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to accept every household."),
    )
    genders = forms.MultipleChoiceField(
        label=_("Reserved for (gender-specific housing)"),
        choices=[
            (v, label)
            for v, label in Gender.choices
            if v in {"woman", "man", "non_binary", "two_spirit", "transgender"}
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if the unit is open to everyone."),
    )
    open_for_matching = forms.BooleanField(label=_("Offer it for matching now"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=list(user.organisation_ids)).order_by("name")
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age is below the minimum age."))
        return data

    def requirements(self) -> list[dict[str, Any]]:
        """The simple fields as the requirement list read by ancrage.access.eligibility."""
        data = self.cleaned_data
        reqs: list[dict[str, Any]] = []
        if data.get("min_age") is not None or data.get("max_age") is not None:
            req: dict[str, Any] = {"criterion": "age", "rule": "must"}
            if data.get("min_age") is not None:
                req["min"] = data["min_age"]
            if data.get("max_age") is not None:
                req["max"] = data["max_age"]
            reqs.append(req)
        if data.get("household_types"):
            reqs.append(
                {"criterion": "household_type", "rule": "must", "values": list(data["household_types"])}
            )
        if data.get("genders"):
            reqs.append({"criterion": "gender", "rule": "must", "values": list(data["genders"])})
        return reqs


class UnitFilterForm(BoundedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All")), *Unit.Status.choices]
