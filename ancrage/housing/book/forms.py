"""Forms of the landlords' book: a landlord, a representative, a building, a contact, a complaint and its
resolution, the book's filters and the availability list's."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.api_types import SEARCH_MAX
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.housing.models import (
    AccessibilityFeature,
    Area,
    Complaint,
    Landlord,
    LandlordContact,
    LandlordRepresentative,
    Tenancy,
    UnitKind,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


def _now_minute() -> datetime.datetime:
    return clock.localtime().replace(second=0, microsecond=0)


def _area_field(required: bool = True, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=_("Area"), coerce=int, required=required, empty_value=None, **kwargs)


class LandlordForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Landlord.Kind.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Mailing address"), max_length=300, required=False)
    preferred_channel = forms.ChoiceField(label=_("Preferred channel"), choices=Landlord.Channel.choices)
    language = forms.ChoiceField(label=_("Language"), choices=[("fr", "Français"), ("en", "English")])
    program_contact: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Program contact"), queryset=None, required=False
    )
    checkin_every_days = forms.IntegerField(
        label=_("Check-in every (days)"),
        required=False,
        min_value=7,
        max_value=365,
        help_text=_("Leave empty for the program's usual cadence."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation_ids, **kwargs):
        from ancrage.accounts.models import User

        super().__init__(*args, **kwargs)
        field: Any = self.fields["program_contact"]
        field.queryset = (
            User.objects.filter(is_active=True, memberships__organisation_id__in=list(organisation_ids))
            .filter(memberships__role__in=["housing_specialist"])
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class RepresentativeForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=LandlordRepresentative.Role.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class BuildingForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("If the building has one.")
    )
    address = forms.CharField(label=_("Address"), max_length=300)
    area = _area_field()
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, keep_area: int | None = None, **kwargs):
        from ancrage.housing.areas import choices

        super().__init__(*args, **kwargs)
        area: Any = self.fields["area"]
        area.choices = [("", "—"), *choices(include=[keep_area] if keep_area else [])]

    def clean_area(self) -> Area:
        area = Area.objects.filter(pk=self.cleaned_data["area"]).first()
        if area is None:
            raise forms.ValidationError(_("Choose the area."))
        return area


class ContactForm(BoundedTextMixin, forms.Form):
    contacted_on = forms.DateField(label=_("Date of the contact"), initial=clock.today, widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=Landlord.Channel.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=LandlordContact.Purpose.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintForm(BoundedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Complaint.Kind.choices)
    subject = forms.ChoiceField(label=_("Subject"), choices=Complaint.Subject.choices)
    tenancy = forms.TypedChoiceField(
        label=_("About a tenancy"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "A complaint about a tenancy puts it on watch; a notice or a TAL application puts it at risk."
        ),
    )
    received_at = forms.DateTimeField(label=_("Received at"), initial=_now_minute, widget=DateTimeInput())
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    answered = forms.BooleanField(label=_("Answered already (the first response is now)"), required=False)

    def __init__(self, *args, tenancies: list[Tenancy], **kwargs):
        super().__init__(*args, **kwargs)
        self.tenancies = {t.pk: t for t in tenancies}
        field: Any = self.fields["tenancy"]
        field.choices = [("", _("None (about the landlord or the building)"))] + [
            (t.pk, f"{t.unit} — {t.participant.display_name}") for t in tenancies
        ]

    def clean_tenancy(self) -> Tenancy | None:
        pk = self.cleaned_data.get("tenancy")
        if pk is None:
            return None
        if pk not in self.tenancies:
            raise forms.ValidationError(_("Choose a tenancy of the list."))
        return self.tenancies[pk]


class ResolveForm(BoundedTextMixin, forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}))


class RetireForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(label=_("Why the landlord leaves the book"), max_length=300)


class BookFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, address or area"), required=False, max_length=SEARCH_MAX)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    contact = forms.TypedChoiceField(label=_("Program contact"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Check-in due"), required=False)
    complaints = forms.BooleanField(label=_("Open complaints"), required=False)

    def __init__(self, *args, contacts: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = [("", _("All")), *Landlord.Kind.choices]
        contact: Any = self.fields["contact"]
        contact.choices = [("", _("All")), *contacts]


class AvailabilityFilterForm(forms.Form):
    area = forms.TypedChoiceField(
        label=_("Area"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select", "aria-describedby": "area-help"}),
        help_text=_("A borough shows the units of its neighbourhoods too."),
    )
    bedrooms = forms.IntegerField(label=_("Bedrooms (at least)"), required=False, min_value=0, max_value=10)
    max_rent = forms.DecimalField(
        label=_("Rent up to"), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    feature = forms.ChoiceField(label=_("Accessibility"), required=False)
    kind = forms.ChoiceField(label=_("Type of housing"), required=False)

    def __init__(self, *args, **kwargs):
        from ancrage.housing.areas import choices

        super().__init__(*args, **kwargs)
        area: Any = self.fields["area"]
        area.choices = [("", _("All")), *choices()]
        feature: Any = self.fields["feature"]
        feature.choices = [("", _("All")), *AccessibilityFeature.choices]
        kind: Any = self.fields["kind"]
        kind.choices = [("", _("All")), *UnitKind.choices]
