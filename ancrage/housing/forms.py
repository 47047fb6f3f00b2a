"""Forms of housing: a unit (added or corrected), with its requirements as simple fields, a hold, and the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.housing.models import AccessibilityFeature, Area, Building, Unit, UnitKind, Utility
from ancrage.organisations.models import Organisation
from ancrage.organisations.requirements import choices_of
from ancrage.people.models import Gender


class UnitForm(BoundedTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Held by"), queryset=Organisation.objects.none())
    address = forms.CharField(label=_("Address"), max_length=300)
    area = forms.TypedChoiceField(
        label=_("Area"),
        coerce=int,
        help_text=_("The neighbourhood, or the borough when no neighbourhood of the list fits."),
    )
    kind = forms.ChoiceField(label=_("Type of housing"), choices=UnitKind.choices)
    bedrooms = forms.IntegerField(label=_("Bedrooms"), initial=1, help_text=_("0 for a studio."))
    monthly_rent = forms.DecimalField(label=_("Monthly rent"), max_digits=8, decimal_places=2)
    available_from = forms.DateField(label=_("Available from"), initial=clock.today, widget=DateInput())
    features = forms.MultipleChoiceField(
        label=_("Accessibility and features"),
        choices=AccessibilityFeature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The book's details (C2).
    building = forms.TypedChoiceField(
        label=_("Building"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The building, and so the landlord, in the landlords' book."),
    )
    unit_number = forms.CharField(label=_("Apartment"), max_length=20, required=False)
    utilities = forms.MultipleChoiceField(
        label=_("Included in the rent"),
        choices=Utility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    smoking_allowed = forms.BooleanField(label=_("Smoking allowed"), required=False)
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Unit.Condition.choices, initial="good", required=False
    )
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DateInput())
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

    def __init__(self, *args, user, unit: Unit | None = None, **kwargs):
        from ancrage.housing.areas import choices

        super().__init__(*args, **kwargs)
        area: Any = self.fields["area"]
        area.choices = [("", "—"), *choices(include=[unit.area_id] if unit and unit.area_id else [])]
        building: Any = self.fields["building"]
        orgs = list(user.organisation_ids)
        rows = Building.objects.filter(
            models.Q(landlord__organisation_id__in=orgs, is_active=True, landlord__is_active=True)
            | models.Q(pk=unit.building_id if unit else None)
        ).select_related("landlord")
        building.choices = [("", "—")] + [
            (b.pk, f"{b.landlord.name} — {b}") for b in rows.order_by("landlord__name", "address", "pk")
        ]
        self._buildings = {b.pk: b for b in rows}
        if unit is not None:
            # Correcting a unit: who holds it and whether it is offered are not changed here.
            del self.fields["organisation"], self.fields["open_for_matching"]
            return
        field: Any = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=list(user.organisation_ids)).order_by("name")
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()

    @staticmethod
    def initial_for(unit: Unit) -> dict[str, Any]:
        """The form's values for a unit, its requirements read back into the simple fields."""
        initial: dict[str, Any] = {
            "address": unit.address,
            "area": unit.area_id,
            "kind": unit.kind,
            "bedrooms": unit.bedrooms,
            "monthly_rent": unit.monthly_rent,
            "available_from": unit.available_from,
            "features": list(unit.features or []),
            "building": unit.building_id,
            "unit_number": unit.unit_number,
            "utilities": list(unit.utilities or []),
            "smoking_allowed": unit.smoking_allowed,
            "condition": unit.condition,
            "available_until": unit.available_until,
        }
        for req in unit.requirements or []:
            if req.get("criterion") == "age" and req.get("rule", "must") == "must":
                initial["min_age"], initial["max_age"] = req.get("min"), req.get("max")
            elif req.get("criterion") == "household_type" and req.get("rule", "must") == "must":
                initial["household_types"] = list(req.get("values", []))
            elif req.get("criterion") == "gender" and req.get("rule", "must") == "must":
                initial["genders"] = list(req.get("values", []))
        return initial

    def clean_area(self) -> Area:
        area = Area.objects.filter(pk=self.cleaned_data["area"]).first()
        if area is None:
            raise forms.ValidationError(_("Choose the area."))
        return area

    def clean_building(self) -> Building | None:
        pk = self.cleaned_data.get("building")
        if pk is None:
            return None
        if pk not in self._buildings:
            raise forms.ValidationError(_("Choose a building of your landlords' book."))
        return self._buildings[pk]

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age is below the minimum age."))
        return data

    def requirements(self, kept: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """The simple fields as the requirement list read by ancrage.access.eligibility; `kept`: the unit's
        other requirements (set in the administration), which this form does not show and keeps as they are."""
        data = self.cleaned_data
        shown = {"age", "household_type", "gender"}
        reqs: list[dict[str, Any]] = [
            r for r in kept or [] if r.get("criterion") not in shown or r.get("rule", "must") != "must"
        ]
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


class HoldForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why it is on hold"),
        max_length=300,
        help_text=_("For instance: repairs until the 15th, the landlord is not ready."),
    )


class UnitFilterForm(BoundedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    area = forms.TypedChoiceField(
        label=_("Area"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("A borough shows the units of its neighbourhoods too."),
    )

    def __init__(self, *args, **kwargs):
        from ancrage.housing.areas import choices

        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All")), *Unit.Status.choices]
        area = self.fields["area"]
        assert isinstance(area, forms.TypedChoiceField)
        area.choices = [("", _("All")), *choices()]
