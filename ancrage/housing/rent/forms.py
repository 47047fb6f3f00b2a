"""Forms of the rent payment service's pages. They check the shape of what is typed; the services check the
rules (a closed month, a month paid twice, an amount owed) and their messages go next to the fields."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.housing.models import PaymentMethod, ReceiptMethod


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """A month typed as YYYY-MM (the browser's month picker), cleaned to its first day, within 2000–2100."""

    widget = MonthInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "7")

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if len(str(value)) > 7:
            raise ValidationError(_("Give a month as year-month, for example 2026-01."))
        try:
            year, month = (int(part) for part in str(value).split("-"))
            day = datetime.date(year, month, 1)
        except (TypeError, ValueError):
            raise ValidationError(_("Give a month as year-month, for example 2026-01.")) from None
        if not 2000 <= day.year <= 2100:
            raise ValidationError(_("Give a month between 2000 and 2100."))
        return day


def _amount(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=8, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("999999.99")
    )


def _bounded_date(label, *, required: bool = True) -> forms.DateField:
    def check(value: datetime.date) -> None:
        if value and not 2000 <= value.year <= 2100:
            raise ValidationError(_("Give a date between 2000 and 2100."))

    return forms.DateField(label=label, required=required, widget=DateInput(), validators=[check])


class GenerateForm(forms.Form):
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Rent payment service"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=None,
    )
    month = MonthField(label=_("Month"))

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]


class PaymentForm(BoundedTextMixin, forms.Form):
    amount = _amount(_("Amount"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference (cheque number)"), max_length=60, required=False)
    paid_on = _bounded_date(_("Paid on"))


class ReconcileForm(forms.Form):
    reconciled_on = _bounded_date(_("Seen on the bank statement on"))


class CarryForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is carried over"), max_length=300)


class ReceiptForm(BoundedTextMixin, forms.Form):
    month = MonthField(label=_("Month of the share"))
    amount = _amount(_("Amount"))
    received_on = _bounded_date(_("Received on"))
    method = forms.ChoiceField(label=_("Method"), choices=ReceiptMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)


class PlanForm(BoundedTextMixin, forms.Form):
    monthly_amount = _amount(_("Monthly amount"))
    starts_on = MonthField(label=_("First month"))
    owed_at_start = forms.DecimalField(
        label=_("Amount owed (empty: the arrears today)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("999999.99"),
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StatementForm(forms.Form):
    start = MonthField(label=_("From the month"))
    end = MonthField(label=_("To the month"))

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                raise ValidationError(_("The last month comes after the first."))
            if (data["end"].year - data["start"].year) * 12 + data["end"].month - data["start"].month > 36:
                raise ValidationError(_("A statement covers three years at most."))
        return data
