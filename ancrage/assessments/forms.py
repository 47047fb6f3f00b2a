"""Forms for administering an instrument: one section's questions, built from the definition file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ancrage.assessments.definition import DOESNT_KNOW, REFUSED
from ancrage.assessments.engine import is_visible
from ancrage.assessments.models import InstrumentVersion
from ancrage.core.forms import BoundedTextMixin

FIELD_TEMPLATE = "assessments/field.html"
SPECIAL_SUFFIX = "__special"


def localized(text: dict[str, str] | str | None) -> str:
    """The definition's text in the current interface language (French unless English is chosen)."""
    if not text:
        return ""
    if isinstance(text, str):
        return text
    language = (translation.get_language() or "fr").lower()
    return text.get("en" if language.startswith("en") else "fr") or text.get("fr") or ""


def special_choices(question: dict[str, Any]) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    if question.get("allow_refused"):
        choices.append((REFUSED, _("Refused")))
    if question.get("allow_doesnt_know"):
        choices.append((DOESNT_KNOW, _("Doesn't know")))
    return choices


class ChoiceButtons(forms.RadioSelect):
    """Radio buttons as large, full-width buttons: easy to hit with a thumb."""

    template_name = "assessments/widgets/choices.html"
    option_template_name = "assessments/widgets/choice_option.html"
    scale = False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["scale"] = self.scale
        return context


class ScaleButtons(ChoiceButtons):
    scale = True


class CheckboxButtons(forms.CheckboxSelectMultiple):
    template_name = "assessments/widgets/choices.html"
    option_template_name = "assessments/widgets/choice_option.html"


class VersionChoiceField(forms.ModelChoiceField):
    """An instrument version, named by its title in the reader's language and its number."""

    def label_from_instance(self, obj: InstrumentVersion) -> str:
        return f"{localized(obj.definition['title'])} ({_('version')} {obj.version})"


class StartForm(BoundedTextMixin, forms.Form):
    version = VersionChoiceField(
        label=_("Instrument"),
        queryset=InstrumentVersion.objects.none(),
        widget=ChoiceButtons,
        empty_label=None,
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = InstrumentVersion.objects.filter(pk__in=[v.pk for v in versions])
        if len(versions) == 1:
            self.initial["version"] = versions[0].pk


class CloseForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In a few words; the participant may also give no reason."),
    )


class SectionForm(BoundedTextMixin, forms.Form):
    """The questions of one section that are asked, given the answers so far; every field is optional here.

    The service decides what is required and what is out of range, so a partial save always works.
    """

    template_name_div = "django/forms/div.html"

    def __init__(self, *args, definition, section: dict[str, Any], answers: dict[str, Any], **kwargs):
        self.definition = definition
        self.section = section
        self.questions = [q for q in section["questions"] if is_visible(definition, q, answers)]
        initial: dict[str, Any] = {}
        for q in self.questions:
            value = answers.get(q["key"])
            if value is None:
                continue
            if q["type"] in ("number", "count", "date", "text") and value in (REFUSED, DOESNT_KNOW):
                initial[q["key"] + SPECIAL_SUFFIX] = value
            elif q["type"] == "multiple_choice" and isinstance(value, str):
                initial[q["key"]] = [value]
            else:
                initial[q["key"]] = value
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for q in self.questions:
            self._add(q)

    def _add(self, q: dict[str, Any]) -> None:
        key, kind = q["key"], q["type"]
        label = localized(q["text"])
        help_text = localized(q.get("help"))
        specials = special_choices(q)
        field: forms.Field
        if kind in ("yes_no", "single_choice", "scale_1_10"):
            if kind == "yes_no":
                choices: list[tuple[str, Any]] = [("yes", _("Yes")), ("no", _("No"))]
            elif kind == "single_choice":
                choices = [(o["key"], localized(o["label"])) for o in q["options"]]
            else:
                choices = [(str(n), str(n)) for n in range(1, 11)]
            choices += specials
            widget = ScaleButtons(choices=choices) if kind == "scale_1_10" else ChoiceButtons(choices=choices)
            field = forms.ChoiceField(choices=choices, widget=widget)
        elif kind == "multiple_choice":
            choices = [(o["key"], localized(o["label"])) for o in q["options"]] + specials
            field = forms.MultipleChoiceField(choices=choices, widget=CheckboxButtons(choices=choices))
        elif kind in ("number", "count"):
            attrs = {"inputmode": "numeric" if kind == "count" else "decimal", "autocomplete": "off"}
            field = forms.CharField(max_length=40, widget=forms.TextInput(attrs=attrs))
        elif kind == "date":
            field = forms.CharField(max_length=10, widget=forms.DateInput(attrs={"type": "date"}))
        else:
            field = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
        field.required = False
        field.label = label
        field.help_text = help_text
        # Read by assessments/field.html: the page's own field layout and the "needed to complete" mark.
        setattr(field, "template_name", FIELD_TEMPLATE)  # noqa: B010
        setattr(field, "asked_required", q["required"])  # noqa: B010
        self.fields[key] = field
        if kind in ("number", "count", "date", "text") and specials:
            extra = forms.ChoiceField(
                label=_("Or, instead of an answer:"),
                choices=specials,
                required=False,
                widget=ScaleButtons(choices=specials),
            )
            setattr(extra, "template_name", FIELD_TEMPLATE)  # noqa: B010
            setattr(extra, "is_special_for", key)  # noqa: B010
            self.fields[key + SPECIAL_SUFFIX] = extra

    def add_error(self, field, error):
        # The service names questions; a question's "special" companion shares its messages.
        super().add_error(field if field is None or field in self.fields else None, error)

    def answers(self) -> dict[str, Any]:
        """The raw answers of this page, for the service to check (an empty answer clears a saved one)."""
        values: dict[str, Any] = {}
        for q in self.questions:
            key, kind = q["key"], q["type"]
            if kind == "multiple_choice":
                chosen = self.data.getlist(self.add_prefix(key)) if hasattr(self.data, "getlist") else []
                special = next((c for c in chosen if c in (REFUSED, DOESNT_KNOW)), None)
                values[key] = special or chosen
                continue
            value = (self.data.get(self.add_prefix(key)) or "").strip()
            special = self.data.get(self.add_prefix(key + SPECIAL_SUFFIX)) or ""
            if special in (REFUSED, DOESNT_KNOW) and not value:
                value = special
            values[key] = value
        return values
