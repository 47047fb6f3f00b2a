"""Forms shared by every app's pages: the date widget, the search box, the length limit of free text, and
the audit screen's filters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ancrage.core.api_types import SEARCH_MAX
from ancrage.core.registry import ACTIONS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class SearchForm(forms.Form):
    """A page's search box, read from the query string: bounded, and a NUL byte is a form error (Django's
    CharField refuses it) rather than a query the database cannot run."""

    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX)

    def __init__(self, data, *, label=None, **kwargs):
        super().__init__(data, **kwargs)
        if label is not None:
            self.fields["q"].label = label

    @property
    def query(self) -> str:
        """What to search for: the cleaned words, or nothing while the box holds an error."""
        return self.cleaned_data["q"] if self.is_valid() else ""

    @property
    def error(self) -> str:
        """The box's error, with the box's name: 'Name, alias or identifier: Null characters are not allowed.'"""
        if self.is_valid():
            return ""
        return _("%(field)s: %(errors)s") % {
            "field": self.fields["q"].label,
            "errors": " ".join(str(e) for e in self.errors["q"]),
        }


class BoundedTextMixin:
    """For every page form: a text field with no length of its own (a note, a description, a reason typed in a
    textarea) takes the NOTE_MAX_LENGTH setting, so no page stores more than the API accepts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.ANCRAGE["NOTE_MAX_LENGTH"]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = limit
                field.validators.append(MaxLengthValidator(limit))
                field.widget.attrs.setdefault("maxlength", str(limit))


class AuditFilterForm(BoundedTextMixin, forms.Form):
    participant = forms.CharField(label=_("Participant (community identifier)"), required=False)
    user = forms.CharField(label=_("User name"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("All actions")), *((k, v) for k, v in ACTIONS.items())]

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The end date comes before the start date."))
        return data
