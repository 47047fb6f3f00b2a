"""Forms of the furniture bank, the budgets and the outcomes' filters. Dates are bounded (no year 1 or 9999),
quantities and amounts too; the services check the rest and answer in words."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.api_types import DATE_MAX, DATE_MIN
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.housing.models import BudgetLine, FurnitureDelivery, FurnitureItem, StockMovement
from ancrage.housing.services_furniture import MAX_QUANTITY


class BoundedDateField(forms.DateField):
    """A date from 1900 to 2199: outside, a form error rather than a database error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not DATE_MIN <= day <= DATE_MAX:
            raise forms.ValidationError(_("Enter a date from 1900 to 2199."))
        return day


class ItemForm(BoundedTextMixin, forms.Form):
    name_fr = forms.CharField(label=_("name (French)"), max_length=100)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("category"), choices=FurnitureItem.Category.choices)
    on_hand = forms.IntegerField(label=_("on hand"), min_value=0, max_value=MAX_QUANTITY, initial=0)


class StockForm(BoundedTextMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    kind = forms.ChoiceField(label=_("kind"), choices=StockMovement.Kind.choices)
    quantity = forms.IntegerField(label=_("quantity"), min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ReservationForm(BoundedTextMixin, forms.Form):
    """One quantity field per item of the bank, one box per kit; the participant comes from the query string."""

    participant = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, items=(), kits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.kits = list(kits)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.IntegerField(
                label=item.name,
                min_value=0,
                max_value=MAX_QUANTITY,
                required=False,
                initial=0,
                help_text=_("%(left)s left") % {"left": item.available},
            )
        for kit in self.kits:
            self.fields[f"kit_{kit.pk}"] = forms.BooleanField(label=kit.name, required=False)

    def item_fields(self):
        return [self[f"item_{item.pk}"] for item in self.items]

    def kit_fields(self):
        return [(kit, self[f"kit_{kit.pk}"]) for kit in self.kits]

    def chosen(self) -> tuple[dict, list]:
        data = self.cleaned_data
        items = {item: data.get(f"item_{item.pk}") or 0 for item in self.items}
        kits = [kit for kit in self.kits if data.get(f"kit_{kit.pk}")]
        return {i: q for i, q in items.items() if q}, kits


class DeliveryForm(BoundedTextMixin, forms.Form):
    scheduled_for = BoundedDateField(label=_("day"))
    window_start = forms.TimeField(label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}))
    window_end = forms.TimeField(label=_("to"), widget=forms.TimeInput(attrs={"type": "time"}))
    carrier = forms.ChoiceField(label=_("who carries it"), choices=FurnitureDelivery.Carrier.choices)
    carrier_name = forms.CharField(label=_("name of the mover or volunteer"), max_length=200, required=False)
    address = forms.CharField(
        label=_("address"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for the address of the participant's unit."),
    )


class DeliveryStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(FurnitureDelivery.Status.DELIVERED, ""), (FurnitureDelivery.Status.CANCELLED, "")]
    )


class BudgetFilterForm(forms.Form):
    program = forms.TypedChoiceField(label=_("program"), coerce=int, required=False, empty_value=None)
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2199, required=False)

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(p.pk, f"{p.organisation.short_name} — {p.display_name}") for p in programs]


class BudgetLineForm(forms.Form):
    program = forms.TypedChoiceField(label=_("program"), coerce=int)
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2199)
    kind = forms.ChoiceField(label=_("kind of spending"), choices=BudgetLine.Kind.choices)
    amount = forms.DecimalField(
        label=_("amount budgeted"), max_digits=10, decimal_places=2, min_value=Decimal("0")
    )
    warn_at_percent = forms.IntegerField(
        label=_("warn from (% spent)"), min_value=1, max_value=100, initial=85
    )

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(p.pk, f"{p.organisation.short_name} — {p.display_name}") for p in programs]


class ExpenseForm(BoundedTextMixin, forms.Form):
    line = forms.TypedChoiceField(label=_("budget line"), coerce=int)
    participant = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )
    tenancy = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1)
    spent_on = BoundedDateField(label=_("spent on"))
    amount = forms.DecimalField(label=_("amount"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    vendor = forms.CharField(label=_("paid to"), max_length=200, required=False)
    description = forms.CharField(label=_("what for"), max_length=300)
    confirm_over = forms.BooleanField(label=_("Record it even though it exceeds the line"), required=False)
    over_budget_reason = forms.CharField(label=_("why the line is exceeded"), max_length=300, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (
                line.pk,
                f"{line.program.organisation.short_name} — {line.program.display_name} {line.year} — {line.get_kind_display()}",
            )
            for line in lines
        ]


class OutcomesFilterForm(forms.Form):
    start = BoundedDateField(label=_("from"), required=False)
    end = BoundedDateField(label=_("to (reference day)"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("organisation"), coerce=int, required=False, empty_value=None
    )
    program = forms.TypedChoiceField(label=_("program"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, organisations=(), programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        prog_field = self.fields["program"]
        assert isinstance(org_field, forms.TypedChoiceField)
        assert isinstance(prog_field, forms.TypedChoiceField)
        org_field.choices = [("", _("All")), *((o.pk, o.short_name) for o in organisations)]
        prog_field.choices = [
            ("", _("All")),
            *((p.pk, f"{p.organisation.short_name} — {p.display_name}") for p in programs),
        ]

    def clean(self):
        data = super().clean()
        assert data is not None
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date comes before the start date."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = clock.today()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(days=365)
        return start, end
