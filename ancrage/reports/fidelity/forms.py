"""Forms of fidelity: the filters (program, quarter) and the self-assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.reports.fidelity import indicators as ind
from ancrage.reports.fidelity import periods
from ancrage.reports.fidelity.services import NOTE_MAX


class FilterForm(forms.Form):
    program = forms.TypedChoiceField(label=_("Program"), coerce=int)
    period = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, data=None, *, programs=(), **kwargs):
        super().__init__(data, **kwargs)
        program_field = self.fields["program"]
        period_field = self.fields["period"]
        assert isinstance(program_field, forms.TypedChoiceField)
        assert isinstance(period_field, forms.ChoiceField)
        program_field.choices = [(p.pk, f"{p.organisation.short_name} — {p.display_name}") for p in programs]
        period_field.choices = [(key, periods.label(key)) for key in periods.recent(12)]
        if programs:
            program_field.initial = programs[0].pk
        period_field.initial = periods.default()

    def values(self) -> tuple[int | None, str]:
        """The program id and quarter chosen, or the defaults when the filters are absent or invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["program"], self.cleaned_data["period"]
        return self.fields["program"].initial, str(self.fields["period"].initial)


class AssessmentForm(forms.Form):
    """One score (1–4, each with its anchor) and one note per self-assessed item."""

    def __init__(self, *args, initial_answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_answers = initial_answers or {}
        for item in ind.SELF:
            answer = initial_answers.get(item.key) or {}
            self.fields[f"{item.key}_score"] = forms.TypedChoiceField(
                label=str(item.title),
                choices=[
                    (score, f"{score} — {anchor}")
                    for score, anchor in zip(ind.SCORES, item.anchors, strict=False)
                ],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                initial=answer.get("score"),
            )
            self.fields[f"{item.key}_note"] = forms.CharField(
                label=_("What supports this score"),
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.get("note", ""),
            )

    def clean(self):
        data = super().clean()
        assert data is not None
        if not any(data.get(f"{item.key}_score") for item in ind.SELF):
            raise forms.ValidationError(_("Score at least one item."))
        return data

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            item.key: {"score": data.get(f"{item.key}_score"), "note": data.get(f"{item.key}_note", "")}
            for item in ind.SELF
            if data.get(f"{item.key}_score")
        }

    def rows(self):
        """(item, score field, note field) for the template, by domain."""
        return [(item, self[f"{item.key}_score"], self[f"{item.key}_note"]) for item in ind.SELF]
