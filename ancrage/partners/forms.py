"""Forms of the partners pages; every rule is the services', these only parse."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.organisations.models import Organisation
from ancrage.partners.models import PartnerAgreement, PartnerContactLog, PartnerKind


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of partner"), required=False, choices=[("", _("All")), *PartnerKind.choices]
    )


class PartnerForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of partner"), choices=PartnerKind.choices)
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    organisation = forms.ModelChoiceField(
        label=_("Organisation in Ancrage"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("When the partner also uses Ancrage: consents can name it and its people read notices."),
    )
    contact_every_days = forms.IntegerField(
        label=_("Contact every (days)"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("Leave empty for the program's cadence."),
    )
    notes = forms.CharField(
        label=pgettext_lazy("partners", "Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, consortium_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(consortium_id__in=consortium_ids).order_by("name")


class ContactPersonForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=pgettext_lazy("partners", "Role"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    receives_notices = forms.BooleanField(
        label=_("Receives significant-change notices by email"), required=False
    )


class AgreementForm(BoundedTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of agreement"), choices=PartnerAgreement.Kind.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    renewal_on = forms.DateField(label=_("Renewal date"), widget=DateInput(), required=False)
    file = forms.FileField(label=_("Document (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = clock.today()


class ContactLogForm(BoundedTextMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(
        label=pgettext_lazy("partners", "Channel"), choices=PartnerContactLog.Channel.choices
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PartnerContactLog.Purpose.choices)
    summary = forms.CharField(
        label=pgettext_lazy("partners", "Summary"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = clock.today()


class RiskPlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.participant.display_name} · {obj.assessed_on:%Y-%m-%d}"


class PoliceLinkForm(forms.Form):
    risk_plan = RiskPlanChoiceField(label=_("Risk plan"), queryset=Organisation.objects.none())

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["risk_plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plans
