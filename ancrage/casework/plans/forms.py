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

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.FIELDS}


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
