"""Forms for participant files. Validation rules live in the services; forms parse and present."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.core.permissions import Category
from ancrage.organisations.models import Organisation
from ancrage.people.models import (
    Consent,
    Document,
    HouseholdMember,
    Identifier,
    IndigenousIdentity,
    Participant,
    SupportContact,
)
from ancrage.people.services import PARTICIPANT_FIELDS


class ParticipantForm(BoundedTextMixin, forms.ModelForm):
    aliases = forms.CharField(
        label=_("Aliases or street names"),
        required=False,
        help_text=_("Separate several with commas."),
    )

    class Meta:
        model = Participant
        # The fields the services accept, in the same order, plus the photo.
        fields = [*PARTICIPANT_FIELDS, "photo"]
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, with_aliases: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_aliases:
            del self.fields["aliases"]
        self.fields["photo"].help_text = _("Only with the participant's agreement. JPEG or PNG.")
        # Always has a value ("not collected" by default); asking it is optional, so no required mark.
        self.fields["indigenous_identity"].required = False

    def clean_indigenous_identity(self):
        return self.cleaned_data.get("indigenous_identity") or IndigenousIdentity.NOT_COLLECTED

    def alias_list(self) -> list[str]:
        raw = self.cleaned_data.get("aliases") or ""
        return [a.strip() for a in raw.split(",") if a.strip()]

    def participant_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"aliases", "photo"}}


class OrganisationChoiceForm(BoundedTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Home organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations if organisations is not None else Organisation.objects.none()


class ConsentForm(BoundedTextMixin, forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Share with these organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("These kinds of information"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Category.IDENTITY],
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for the default duration."),
    )
    method = forms.ChoiceField(label=_("How consent was given"), choices=Consent.Method.choices)
    witness_name = forms.CharField(label=_("Witness (for a verbal consent)"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        shared_with = self.fields["organisations"]
        assert isinstance(shared_with, forms.ModelMultipleChoiceField)
        shared_with.queryset = organisations if organisations is not None else Organisation.objects.none()
        self.fields["starts_on"].initial = clock.today()
        self.fields["expires_on"].help_text = _("Leave empty for the default: %(months)s months.") % {
            "months": settings.ANCRAGE["CONSENT_DEFAULT_MONTHS"]
        }


class TransferForm(BoundedTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("New home organisation"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Why"), max_length=300)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations if organisations is not None else Organisation.objects.none()


class RevokeConsentForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class DocumentForm(BoundedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    resign_on = forms.DateField(label=_("To be signed again on"), widget=DateInput(), required=False)
    consent = forms.ModelChoiceField(
        label=_("Consent it records"), queryset=Consent.objects.none(), required=False
    )

    def __init__(self, *args, consents=None, **kwargs):
        super().__init__(*args, **kwargs)
        consent = self.fields["consent"]
        assert isinstance(consent, forms.ModelChoiceField)
        consent.queryset = consents if consents is not None else Consent.objects.none()
        self.fields["signed_on"].initial = clock.today()


class AliasForm(BoundedTextMixin, forms.Form):
    name = forms.CharField(label=_("Alias or street name"), max_length=150)


class IdentifierForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Identifier
        fields = ["kind", "value", "issuer"]


class SupportContactForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = SupportContact
        fields = [
            "name",
            "relationship",
            "phone",
            "email",
            "is_emergency_contact",
            "is_natural_support",
            "notes",
        ]


class HouseholdMemberForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["first_name", "relationship", "date_of_birth"]
        widgets = {"date_of_birth": DateInput()}


class MergeForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(label=_("Why these files are the same person"), max_length=300)
