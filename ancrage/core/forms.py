"""Forms shared by every app's pages: the search box, and the length limit of free text."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ancrage.core.api_types import SEARCH_MAX


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
        return _("%(field)s: %(errors)s") % {"field": self.fields["q"].label, "errors": " ".join(self.errors["q"])}


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
