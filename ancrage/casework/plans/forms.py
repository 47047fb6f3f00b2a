"""Forms of recovery plans, goals, steps and reviews (B4, B5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.casework.models import Goal, LifeDomain, StageOfChange, Step
from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin


def _date(label, *, required: bool = False, initial=None, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label, help_text="", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class PlanForm(BoundedTextMixin, forms.Form):
    """The plan's text parts. `revision` is the one the editor opened: a save on an older one is refused."""

    strengths = _text(_("Strengths and talents"), _("What the participant is good at, in their words."))
    interests = _text(_("Interests"))
    aspirations = _text(_("Aspirations"), _("What the participant hopes for."))
    crisis_strategies = _text(
        _("Crisis strategies"), _("What helps in a crisis, who to call, what to avoid."), rows=4
    )
    after_hours_protocol = _text(
        _("After-hours protocol"),
        _("What the participant and the on-call worker do at night and on weekends."),
    )
    local_resources = _text(_("Local resources"), _("Places and people nearby the participant relies on."))
    revision = forms.IntegerField(widget=forms.HiddenInput)

    FIELDS = (
        "strengths",
        "interests",
        "aspirations",
        "crisis_strategies",
        "after_hours_protocol",
        "local_resources",
    )

    # Set on the form shown after a conflict: the save that follows is a merge, each part the other person
    # changed differently needing the editor's choice.
    merging = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, conflicts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = tuple(name for name in self.FIELDS if name in set(conflicts))
        for name in self.conflicts:
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=_("Which text to keep for “%(part)s”?") % {"part": self.fields[name].label},
                choices=KEEP_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose which text to keep: yours, or the one saved by the other person.")
                },
            )

    def values(self, saved=None) -> dict:
        """The text to save; on a merge, the saved text of each part where the editor chose theirs."""
        values = {name: self.cleaned_data.get(name) or "" for name in self.FIELDS}
        for name in self.conflicts:
            if saved is not None and self.cleaned_data.get(f"keep_{name}") == "theirs":
                values[name] = getattr(saved, name) or ""
        return values

    def keep_field(self, name):
        return self[f"keep_{name}"] if name in self.conflicts else None


KEEP_CHOICES = [("mine", _("Keep my text")), ("theirs", _("Keep the text saved by the other person"))]


def plan_differences(data, plan) -> list[str]:
    """The plan's text parts where what an editor typed differs from the plan as saved now."""
    return [
        name
        for name in PlanForm.FIELDS
        if (data.get(name) or "").replace("\r\n", "\n").strip() != (getattr(plan, name) or "").strip()
    ]


class GoalForm(BoundedTextMixin, forms.Form):
    words = forms.CharField(
        label=_("The goal, in the participant's words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Write it as the participant says it."),
    )
    stage = forms.ChoiceField(label=_("Stage of change"), choices=StageOfChange.choices)
    domain = forms.ChoiceField(label=_("Life domain"), choices=LifeDomain.choices, initial=LifeDomain.OTHER)
    starts_on = _date(_("Since"), required=True, initial=clock.today)
    review_on = _date(_("Review on"))


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)

    field_order = ["words", "stage", "status", "domain", "starts_on", "review_on"]


class StepForm(BoundedTextMixin, forms.Form):
    description = forms.CharField(label=_("Step"), widget=forms.Textarea(attrs={"rows": 2}))
    who = forms.ChoiceField(label=_("Who does it"), choices=Step.Who.choices, widget=forms.RadioSelect)
    target_on = _date(_("Target date"))
    review_on = _date(_("Review date"))


class StepEditForm(StepForm):
    done_on = _date(_("Done on"), help_text=_("Leave empty while the step is not done."))

    field_order = ["description", "who", "done_on", "target_on", "review_on"]


class ReviewForm(BoundedTextMixin, forms.Form):
    reviewed_on = _date(_("Reviewed on"), required=True, initial=clock.today)
    comment = _text(
        _("Comment"), _("What was looked at with the case manager, and what to follow up."), rows=4
    )
