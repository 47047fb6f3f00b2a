"""Pages of the team meeting and the caseload summary."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ancrage.casework.flags import (
    FLAG_KEYS,
    FLAG_LABELS,
    FLAG_TONES,
    Row,
    enrollment_rows,
    flag_counts,
    log_sensitive_reads,
    sort_rows,
)
from ancrage.casework.meeting import selectors as meeting_selectors
from ancrage.casework.meeting.forms import MeetingSettingsForm
from ancrage.casework.meeting.services import meeting_settings_set
from ancrage.core import clock
from ancrage.core.links import row_link
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors

# The flags the morning summary leads with, in the order a case manager reads them.
SUMMARY_FLAGS = (
    "visit_overdue",
    "new_incident",
    "visit_under_way",
    "not_seen",
    "risk_plan",
    "plan_overdue",
    "plan_review_due",
    "assessment_overdue",
    "assessment_due",
    "lost_contact",
    "tenancy_at_risk",
    "below_standard",
)


def _links(rows: list[Row]) -> list[Row]:
    """Each row's links: the participant's file, "log a contact" and "plan a visit"."""
    # Each link reversed once for the whole list (core/links.py), not once per row.
    file_url, log_url, visit_url = (
        row_link(name) for name in ("people:detail", "casework:contact_create", "casework:visit_plan")
    )
    for row in rows:
        row.file_url = file_url(row.participant.pk)  # type: ignore[attr-defined]
        row.log_url = log_url(row.participant.pk)  # type: ignore[attr-defined]
        row.visit_url = visit_url(row.participant.pk)  # type: ignore[attr-defined]
    return rows


def _meeting_lines(rows: list[Row], today) -> list[Row]:
    """What the team meeting's table shows of each row, worked out here once (issue 16): the names, the last
    contact's date and how long ago in words, and each flag's tone, label and detail, each label translated
    once a page rather than once a row; the template only writes them out."""
    labels = {key: str(label) for key, label in FLAG_LABELS.items()}
    for row in rows:
        row.name = row.participant.display_name  # type: ignore[attr-defined]
        worker = row.worker
        row.worker_name = worker.display_name if worker else "—"  # type: ignore[attr-defined]
        seen = row.last_seen_at
        if seen is None:
            row.seen_on = row.seen_ago = ""  # type: ignore[attr-defined]
        else:
            days = (today - clock.localdate(seen)).days
            row.seen_on = date_format(clock.localtime(seen), "SHORT_DATE_FORMAT")  # type: ignore[attr-defined]
            # "today" is the template's (translated once); any other day said here.
            row.seen_ago = (  # type: ignore[attr-defined]
                ""
                if days == 0
                else ngettext("%(counter)s day ago", "%(counter)s days ago", days) % {"counter": days}
            )
        row.flag_items = [(f.tone, labels[f.key], f.detail) for f in row.flags]  # type: ignore[attr-defined]
    return rows


def _flag_filter(request) -> str:
    flag = request.GET.get("flag", "")
    return flag if flag in FLAG_KEYS else ""


def _summary(counts: dict[str, int]) -> list[dict]:
    return [
        {"key": key, "label": FLAG_LABELS[key], "count": counts[key], "tone": FLAG_TONES[key]}
        for key in SUMMARY_FLAGS
    ]


# How many participants the home page names first ("who to see"), the weightiest flags first.
HOME_FIRST = 3


def caseload_summary(user) -> dict:
    """For the home page: how many participants the user follows, who to see first (flagged, weightiest
    first, with "log a contact"), how many carry each flag, and the overdue visits said in words (B9)."""
    rows = sort_rows(
        enrollment_rows(meeting_selectors.caseload_enrollments(user, user), clock.today(), user=user)
    )
    first = _links([r for r in rows if r.flags][:HOME_FIRST])
    log_sensitive_reads(user, first, where="home")
    return {
        "total": len(rows),
        "first": first,
        "summary": [item for item in _summary(flag_counts(rows)) if item["count"]],
        # Said in words on the home page, in red, with how late (B9).
        "overdue_visits": [
            {"participant": row.participant, "detail": flag.detail}
            for row in rows
            for flag in row.flags
            if flag.key == "visit_overdue"
        ],
    }


@require_permission("casework.view")
def caseload(request):
    """The signed-in worker's active caseload with what needs doing; a team lead may open a worker's."""
    user = request.user
    worker = meeting_selectors.caseload_worker(user, request.GET.get("worker"))
    today = clock.today()
    rows = sort_rows(enrollment_rows(meeting_selectors.caseload_enrollments(user, worker), today, user=user))
    flag = _flag_filter(request)
    shown = [r for r in rows if r.has(flag)] if flag else rows
    log_sensitive_reads(user, shown, where="caseload")
    context = {
        "worker": worker,
        "is_own": worker.pk == user.pk,
        "workers": meeting_selectors.caseload_workers(user),
        "rows": _links(shown),
        "total": len(rows),
        "summary": _summary(flag_counts(rows)),
        "flag": flag,
        "flag_label": FLAG_LABELS.get(flag, ""),
        "today": today,
    }
    return render(request, "casework/meeting_caseload.html", context)


def _meeting_context(request, team, teams, form=None) -> dict:
    user = request.user
    today = clock.today()
    meeting_settings = meeting_selectors.meeting_settings_for(team)
    rows = enrollment_rows(meeting_selectors.team_enrollments(user, team), today, user=user)
    rows = sort_rows(rows, meeting_settings.order, meeting_settings.flag_order)
    flag = _flag_filter(request)
    shown = [r for r in rows if r.has(flag)] if flag else rows
    log_sensitive_reads(user, shown, where="team_meeting")
    can_manage = meeting_selectors.can_manage_team(user, team)
    if can_manage and form is None:
        form = MeetingSettingsForm(initial=MeetingSettingsForm.initial_for(meeting_settings))
    return {
        "team": team,
        "teams": teams,
        "rows": _meeting_lines(_links(shown), today),
        "total": len(rows),
        "summary": _summary(flag_counts(rows)),
        "flag": flag,
        "flag_label": FLAG_LABELS.get(flag, ""),
        "flag_choices": [(key, FLAG_LABELS[key]) for key in FLAG_KEYS],
        "meeting_settings": meeting_settings,
        "form": form if can_manage else None,
        "today": today,
    }


@require_permission("casework.view")
def meeting(request):
    """The daily team meeting on one screen: every participant of the team, with their flags."""
    teams = meeting_selectors.meeting_teams(request.user)
    team = meeting_selectors.meeting_team(request.user, request.GET.get("team"), teams)
    if team is None:
        return render(request, "casework/meeting_team.html", {"team": None, "teams": [], "rows": []})
    return render(request, "casework/meeting_team.html", _meeting_context(request, team, teams))


@require_POST
@require_permission("casework.manage_team")
def meeting_settings(request, team_pk: int):
    """The team lead saves the order of the team's meeting screen."""
    teams = meeting_selectors.meeting_teams(request.user)
    team = meeting_selectors.meeting_team(request.user, team_pk, teams)
    if team is None:
        raise Http404
    form = MeetingSettingsForm(request.POST)
    if form.is_valid():
        try:
            meeting_settings_set(
                actor=request.user,
                team=team,
                order=form.cleaned_data["order"],
                flag_order=form.flag_order(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting order is saved for this team."))
            return redirect(f"{reverse('casework:meeting')}?team={team.pk}")
    return render(request, "casework/meeting_team.html", _meeting_context(request, team, teams, form))
