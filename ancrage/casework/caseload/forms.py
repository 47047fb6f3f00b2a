"""Forms of enrollments, assignments and caseloads."""

from __future__ import annotations

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.casework.caseload.services import MAX_VISITS_PER_WEEK
from ancrage.casework.caseload.weights import WorkerLoad
from ancrage.core import clock
from ancrage.core.forms import BoundedTextMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def worker_label(user, load: WorkerLoad | None) -> str:
    """A case manager with their current load, e.g. "Marie Roy — 12.50 of 15 (83 %)"."""
    if load is None or load.ratio is None:
        return _("%(name)s — %(count)s participants") % {
            "name": user.display_name,
            "count": load.count if load else 0,
        }
    text = _("%(name)s — %(weight)s of %(ratio)s (%(percent)s %%)") % {
        "name": user.display_name,
        "weight": number_format(load.weight, decimal_pos=2),
        "ratio": load.ratio,
        "percent": load.percent_exact,
    }
    if load.at_or_over:
        text = _("%(worker)s, at or over the ratio") % {"worker": text}
    return text


class _OverRatioMixin:
    """The reason for an assignment over the ratio stays hidden until the service asks for it."""

    fields: dict

    def ask_over_ratio_reason(self) -> None:
        field = self.fields["over_ratio_reason"]
        field.widget = forms.Textarea(attrs={"rows": 2})
        field.label = gettext_lazy("Why assign over the ratio")


class EnrollForm(_OverRatioMixin, BoundedTextMixin, forms.Form):
    program = forms.TypedChoiceField(label=gettext_lazy("Program"), coerce=int)
    primary_worker = forms.TypedChoiceField(label=gettext_lazy("Primary case manager"), coerce=int)
    team = forms.TypedChoiceField(label=gettext_lazy("Team"), coerce=int, required=False, empty_value=None)
    enrolled_on = forms.DateField(label=gettext_lazy("Enrolled on"), initial=clock.today, widget=DATE_WIDGET)
    match = forms.TypedChoiceField(
        label=gettext_lazy("From the match"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy(
            "The accepted match this enrollment comes from, if any (assisted transfer done)."
        ),
    )
    over_ratio_reason = forms.CharField(
        label=gettext_lazy("Why assign over the ratio"),
        required=False,
        widget=forms.HiddenInput,
        max_length=2000,
    )

    def __init__(self, *args, programs, workers, loads, teams, matches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.pk, p.display_name) for p in programs]
        self.fields["primary_worker"].choices = [("", "—")] + [
            (w.pk, worker_label(w, loads.get(w.pk))) for w in workers
        ]
        self.fields["team"].choices = [("", "—")] + [
            (t.pk, f"{t.display_name} · {t.program.display_name}" if t.program else t.display_name)
            for t in teams
        ]
        self.fields["match"].choices = [("", _("None: direct enrollment"))] + [
            (
                m.pk,
                _("Match no. %(number)s — %(program)s — %(status)s")
                % {
                    "number": m.pk,
                    "program": m.opening.program.display_name,
                    "status": m.get_status_display(),
                },
            )
            for m in matches
        ]
        if not matches:
            self.fields["match"].widget = forms.HiddenInput()


class AssignForm(_OverRatioMixin, BoundedTextMixin, forms.Form):
    enrollment = forms.TypedChoiceField(label=gettext_lazy("Enrollment"), coerce=int)
    worker = forms.TypedChoiceField(label=gettext_lazy("New primary case manager"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Why the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy(
            "Changing case manager breaks trust: the reason is kept and shown on the file."
        ),
    )
    on = forms.DateField(label=gettext_lazy("From"), initial=clock.today, widget=DATE_WIDGET)
    over_ratio_reason = forms.CharField(
        label=gettext_lazy("Why assign over the ratio"),
        required=False,
        widget=forms.HiddenInput,
        max_length=2000,
    )

    def __init__(self, *args, enrollments, workers, loads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].choices = [(e.pk, e.program.display_name) for e in enrollments]
        if len(enrollments) == 1:
            self.fields["enrollment"].widget = forms.HiddenInput()
            self.fields["enrollment"].initial = enrollments[0].pk
        self.fields["worker"].choices = [("", "—")] + [
            (w.pk, worker_label(w, loads.get(w.pk))) for w in workers
        ]


class EnrollmentSettingsForm(BoundedTextMixin, forms.Form):
    visits_per_week = forms.IntegerField(
        label=gettext_lazy("Visits a week"),
        min_value=1,
        max_value=MAX_VISITS_PER_WEEK,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tenancy_at_risk = forms.BooleanField(label=gettext_lazy("The tenancy is at risk"), required=False)
    since = forms.DateField(
        label=gettext_lazy("At risk since"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy("Today if left empty."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
