"""Forms of a participant's housing: a search, an option offered, ranked and stepped, a lease, a renewal, an
end, an inspection with a photo, an eviction and a temporary stay."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.housing.models import (
    Eviction,
    LeaseKind,
    TemporaryStay,
    Tenancy,
    Unit,
    UnitInspection,
)
from ancrage.housing.services_tenancies import step_choices

MONEY: dict[str, Any] = {"max_digits": 8, "decimal_places": 2, "min_value": 0}


class SearchStartForm(BoundedTextMixin, forms.Form):
    started_on = forms.DateField(label=_("Search started on"), initial=clock.today, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OfferForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Available unit"), queryset=Unit.objects.none())
    offered_on = forms.DateField(label=_("Offered on"), initial=clock.today, widget=DateInput())

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Unit.objects.filter(status=Unit.Status.AVAILABLE)
            .exclude(pk__in=list(exclude))
            .select_related("area")
            .order_by("address", "pk")
        )


class RankForm(BoundedTextMixin, forms.Form):
    rank = forms.IntegerField(label=_("Rank (1: first choice)"), min_value=1, max_value=50, required=False)
    reasons = forms.CharField(
        label=_("Reasons, in the participant's words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StepForm(BoundedTextMixin, forms.Form):
    step = forms.ChoiceField(label=_("Step"))
    on = forms.DateField(label=_("On"), required=False, initial=clock.today, widget=DateInput())
    at = forms.DateTimeField(
        label=_("Viewing at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("For a viewing planned."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = step_choices()


class LeaseForm(BoundedTextMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    lease_kind = forms.ChoiceField(
        label=_("Kind of lease"), choices=LeaseKind.choices, widget=forms.RadioSelect
    )
    head_lease_holder = forms.CharField(label=_("Head lease held by"), required=False, max_length=200)
    lease_start = forms.DateField(label=_("Lease starts on"), widget=DateInput())
    lease_end = forms.DateField(label=_("Lease ends on"), required=False, widget=DateInput())
    moved_in_on = forms.DateField(label=_("Move-in day"), required=False, widget=DateInput())
    monthly_rent = forms.DecimalField(label=_("Monthly rent"), **MONEY)
    participant_share = forms.DecimalField(label=_("Participant's share"), **MONEY)
    participant_monthly_income = forms.DecimalField(
        label=_("Participant's monthly income"), required=False, **MONEY
    )
    rent_supplement = forms.DecimalField(label=_("Rent supplement"), required=False, initial=0, **MONEY)
    supplement_source = forms.CharField(label=_("Rent supplement paid by"), required=False, max_length=200)
    deposit = forms.DecimalField(label=_("Deposit"), required=False, initial=0, **MONEY)
    few_options_reason = forms.CharField(
        label=_("Why fewer options were offered"), required=False, max_length=300
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units if units is not None else Unit.objects.none()


class RenewForm(forms.Form):
    renewed_on = forms.DateField(label=_("Renewed on"), initial=clock.today, widget=DateInput())
    new_end = forms.DateField(label=_("New end of the lease"), required=False, widget=DateInput())
    new_rent = forms.DecimalField(label=_("New monthly rent"), **MONEY)
    new_share = forms.DecimalField(label=_("New participant's share"), **MONEY)


class EndForm(BoundedTextMixin, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), initial=clock.today, widget=DateInput())
    reason = forms.ChoiceField(
        label=_("Why it ended"),
        choices=[(v, label) for v, label in Tenancy.EndReason.choices if v != Tenancy.EndReason.EVICTION],
        help_text=_("An eviction is recorded with its own form, which says what led to it."),
    )
    note = forms.CharField(label=_("About the end"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    offer_for_matching = forms.BooleanField(label=_("Offer the unit for matching now"), required=False)


class InspectionForm(BoundedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=UnitInspection.Kind.choices)
    inspected_on = forms.DateField(label=_("Inspected on"), initial=clock.today, widget=DateInput())
    condition = forms.ChoiceField(label=_("Condition"), choices=UnitInspection.Condition.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP. More photos can be added on the inspection's page."),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class EvictionForm(BoundedTextMixin, forms.Form):
    notice_received_on = forms.DateField(label=_("Notice received on"), required=False, widget=DateInput())
    left_on = forms.DateField(label=_("Left on"), initial=clock.today, widget=DateInput())
    causes = forms.MultipleChoiceField(
        label=_("Causes"), choices=Eviction.Cause.choices, widget=forms.CheckboxSelectMultiple
    )
    what_led = forms.CharField(
        label=_("What led to it"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    learning_plan = forms.CharField(
        label=_("Learning plan, in the participant's words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan_agreed_on = forms.DateField(label=_("Plan agreed on"), required=False, widget=DateInput())


class StayForm(BoundedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of stay"), choices=TemporaryStay.Kind.choices)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    stay_from = forms.DateField(label=_("From"), initial=clock.today, widget=DateInput())
    stay_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
