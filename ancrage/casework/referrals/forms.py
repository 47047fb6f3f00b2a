"""Forms of the directory of services and referrals out (B7)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.casework.models import ServiceKind, ServiceReferralStatus
from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin
from ancrage.core.permissions import Category

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _now_local():
    return clock.localtime().replace(second=0, microsecond=0)


class ProviderSearchForm(BoundedTextMixin, forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of service"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, data=None):
        super().__init__(data)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All")), *ServiceKind.choices]

    def values(self) -> dict:
        self.is_valid()
        return {
            "q": self.cleaned_data.get("q", "") if "q" not in self.errors else "",
            "kind": self.cleaned_data.get("kind", "") if "kind" not in self.errors else "",
        }


class ProviderForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    organisation = forms.TypedChoiceField(
        label=_("Partner organisation"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "When the service is a partner organisation, a consent can name it and information can be shared."
        ),
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(
        label=_("Active (offered for new referrals)"), required=False, initial=True
    )

    def __init__(self, *args, organisations=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = [("", _("None: not a partner organisation"))] + [
            (o.pk, o.name) for o in organisations
        ]
        if not editing:
            del self.fields["is_active"]


class ReferralForm(BoundedTextMixin, forms.Form):
    provider = forms.TypedChoiceField(label=_("Service"), coerce=int)
    need = forms.CharField(
        label=_("The need, as identified with the participant"), widget=forms.Textarea(attrs={"rows": 3})
    )
    approved_on = forms.DateField(
        label=_("Approved by the participant on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty if the participant has not agreed yet: the referral stays proposed."),
    )
    shared_categories = forms.MultipleChoiceField(
        label=_("Information shared with the service"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what an in-force consent naming the service's organisation allows (see below)."),
    )

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ChoiceField)
        provider.choices = [("", "—")] + [
            (p.pk, f"{p.display_name} ({p.get_kind_display()})") for p in providers
        ]


class ReferralStepForm(BoundedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ServiceReferralStatus.choices)
    on = forms.DateField(label=_("Date"), initial=clock.today, widget=DATE)
    appointment_at = forms.DateTimeField(
        label=_("Appointment"),
        required=False,
        widget=DATETIME,
        help_text=_("Needed when an appointment is set."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("“Accompanied” records that you went with the participant."),
    )

    # The usual road of a referral (B7): the list offers the next step first, never a step backwards.
    FORWARD = (
        ServiceReferralStatus.PROPOSED,
        ServiceReferralStatus.APPROVED,
        ServiceReferralStatus.SENT,
        ServiceReferralStatus.APPOINTMENT_SET,
        ServiceReferralStatus.ACCOMPANIED,
        ServiceReferralStatus.LINKED,
    )

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if current in self.FORWARD:
            index = self.FORWARD.index(current)
            self.fields["status"].initial = self.FORWARD[min(index + 1, len(self.FORWARD) - 1)]
        elif current:
            self.fields["status"].initial = current
