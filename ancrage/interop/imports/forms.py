"""The upload form of HMIS imports."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ancrage.organisations.models import Organisation


class ImportUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation that will hold the imported participants"), queryset=Organisation.objects.none()
    )
    source = forms.CharField(
        label=_("Name of the other system"),
        max_length=60,
        help_text=_(
            "Names the source of the HMIS identifiers; use the same name for every export of that system."
        ),
    )
    file = forms.FileField(label=_("HMIS CSV export (zip)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [
            o.pk for o in Organisation.objects.filter(pk__in=user.organisation_ids) if o.can_hold_participants
        ]
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=allowed).order_by("name")
        if len(allowed) == 1:
            self.fields["organisation"].initial = allowed[0]
        limit = filesizeformat(settings.HMIS_IMPORT_MAX_UPLOAD)
        self.fields["file"].help_text = _("A zip of the CSV files, at most %(limit)s.") % {"limit": limit}

    def clean_source(self):
        value = self.cleaned_data["source"].replace("\x00", "").strip()
        if not value:
            raise forms.ValidationError(_("This field is required."))
        return value

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.HMIS_IMPORT_MAX_UPLOAD:
            raise forms.ValidationError(
                _("This file is larger than the %(limit)s allowed.")
                % {"limit": filesizeformat(settings.HMIS_IMPORT_MAX_UPLOAD)}
            )
        return upload
