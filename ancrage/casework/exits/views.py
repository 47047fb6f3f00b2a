"""Pages of exits, assessment schedules and progress (F1..F4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.assessments import selectors as assessment_selectors
from ancrage.assessments.forms import localized
from ancrage.casework.exits import selectors as exits_selectors
from ancrage.casework.exits import services as exits_services
from ancrage.casework.exits.forms import ExitForm, ScheduleForm
from ancrage.casework.models import AssessmentSchedule, Enrollment, Exit
from ancrage.casework.schedules import exit_assessments
from ancrage.casework.selectors import participant_for_casework_write
from ancrage.core import clock
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors
from ancrage.organisations.models import Organisation
from ancrage.people.models import Consent

# --- assessment schedules ---------------------------------------------------------------------------------


def _instrument_choices() -> list[tuple[Any, str]]:
    """(instrument, title) of every loaded instrument, newest version's title; one query."""
    return [
        (v.instrument, localized(v.definition.get("title")) or v.instrument.display_name)
        for v in assessment_selectors.latest_instrument_versions()
    ]


def _schedule_page(request, *, bound: dict[int, ScheduleForm] | None = None, status: int = 200):
    instruments = _instrument_choices()
    titles = {i.pk: label for i, label in instruments}
    programs = []
    for program in exits_selectors.schedule_programs(request.user):
        form = (bound or {}).get(program.pk) or ScheduleForm(
            prefix=f"p{program.pk}",
            instruments=instruments,
            initial={"position": len(program.assessment_schedules.all())},
        )
        programs.append(
            {
                "program": program,
                "rows": [
                    {"schedule": s, "title": titles.get(s.instrument_id, s.instrument.display_name)}
                    for s in program.assessment_schedules.all()
                ],
                "form": form,
            }
        )
    return render(request, "casework/exits_schedule_list.html", {"programs": programs}, status=status)


@require_permission("casework.manage_team")
def schedule_list(request):
    return _schedule_page(request)


@require_POST
@require_permission("casework.manage_team")
def schedule_edit(request, program_pk: int):
    """Add, change (the same instrument again) or remove one instrument of a program's schedule."""
    program = exits_selectors.schedule_program_for_user(request.user, program_pk)
    if request.POST.get("action") == "remove":
        wanted = str(request.POST.get("schedule", ""))
        schedule = (
            AssessmentSchedule.objects.filter(program=program, pk=int(wanted))
            .select_related("program", "instrument")
            .first()
            if wanted.isdigit()
            else None
        )
        if schedule is None:
            raise Http404
        exits_services.schedule_remove(actor=request.user, schedule=schedule)
        messages.success(request, _("The instrument is no longer scheduled in this program."))
        return redirect("casework:schedule_list")
    instruments = _instrument_choices()
    form = ScheduleForm(request.POST, prefix=f"p{program.pk}", instruments=instruments)
    if form.is_valid():
        data = form.cleaned_data
        try:
            exits_services.schedule_set(
                actor=request.user,
                program=program,
                instrument=form.instruments[data["instrument"]],
                position=data["position"],
                within_days_of_enrollment=data["within_days_of_enrollment"],
                every_months=data["every_months"],
                at_exit=data["at_exit"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Schedule saved."))
            return redirect("casework:schedule_list")
    return _schedule_page(request, bound={program.pk: form})


# --- due assessments --------------------------------------------------------------------------------------


@require_permission("casework.view")
def assessments_due(request):
    can_team = request.user.has_ancrage_perm("casework.manage_team")
    default = exits_selectors.SCOPE_TEAM if can_team else exits_selectors.SCOPE_MINE
    scope = request.GET.get("scope", default)
    if scope not in (exits_selectors.SCOPE_MINE, exits_selectors.SCOPE_TEAM) or not can_team:
        scope = exits_selectors.SCOPE_MINE if not can_team else default
    today = clock.today()
    rows = exits_selectors.due_rows(request.user, scope, today)
    return render(
        request,
        "casework/exits_assessments_due.html",
        {
            "rows": rows,
            "scope": scope,
            "can_team": can_team,
            "today": today,
            "overdue_count": sum(1 for r in rows if r.due.overdue),
        },
    )


# --- progress over time -----------------------------------------------------------------------------------


def _chart_data(progress: list[exits_selectors.InstrumentProgress]) -> dict[str, Any]:
    """What static/casework/exits_progress.js draws: one entry a canvas, by its id."""
    charts: dict[str, Any] = {}
    for i, p in enumerate(progress):
        charts[f"progress-total-{i}"] = {
            "type": "line",
            "labels": [date_format(pt["date"], "SHORT_DATE_FORMAT") for pt in p.points],
            "max": p.max_total,
            "datasets": [{"label": _("Total"), "data": [pt["total"] for pt in p.points]}],
        }
        if p.has_radar:
            charts[f"progress-radar-{i}"] = {
                "type": "radar",
                "labels": [label for _key, label in p.domains],
                "max": p.domain_max,
                "datasets": [
                    {"label": date_format(pt["date"], "SHORT_DATE_FORMAT"), "data": pt["domains"]}
                    for pt in p.radar_points
                ],
            }
    return charts


@require_record_permission("assessments.view")
def progress(request, pk: int):
    access = assessment_selectors.participant_access_for_assessments(request.user, pk, log_read=True)
    items = exits_selectors.progress_for_access(access)
    return render(
        request,
        "casework/exits_progress.html",
        {"p": access.participant, "access": access, "items": items, "charts": _chart_data(items)},
    )


# --- exits ------------------------------------------------------------------------------------------------


def _referral_create_url(participant, back: str) -> str:
    """The referral form, which comes back to `back` (this exit form) once the referral is recorded."""
    try:
        url = reverse("casework:referral_create", kwargs={"pk": participant.pk})
    except NoReverseMatch:
        return ""
    return url + "?" + urlencode({"next": back})


def _exit_enrollment(request, participant) -> Enrollment | None:
    """The enrollment the exit closes: the one chosen (?enrollment=) among the active ones, else the latest."""
    active = list(
        Enrollment.objects.filter(participant=participant, status=Enrollment.Status.ACTIVE)
        .select_related("program__organisation")
        .order_by("-enrolled_on", "-id")
    )
    # Outside the home organisation, only the enrollments in the user's own programs.
    own = request.user.organisation_ids
    if participant.organisation_id not in own:
        active = [e for e in active if e.program.organisation_id in own]
    wanted = request.POST.get("enrollment") or request.GET.get("enrollment")
    for enrollment in active:
        if str(enrollment.pk) == str(wanted):
            return enrollment
    return active[0] if active else None


def _consents(participant) -> list[Consent]:
    return list(
        Consent.objects.in_force()
        .filter(participant=participant)
        .prefetch_related("organisations")
        .order_by("-starts_on")
    )


@require_record_permission("casework.record_exits")
def exit_create(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    enrollment = _exit_enrollment(request, p)
    past = list(exits_selectors.exits_for_participant(p))
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    context: dict[str, Any] = {"p": p, "enrollment": enrollment, "past": past, "kinds": Exit.Kind.choices}
    pending = exits_selectors.pending_exit(enrollment) if enrollment is not None else None
    if pending is not None:
        # A planned exit already recorded ahead: the service ends on its date, nothing more to record.
        context["pending"] = pending
        kind = ""
    if enrollment is None or kind not in Exit.Kind.values:
        # First the kind of exit, then only the fields that kind needs.
        active = Enrollment.objects.filter(participant=p, status=Enrollment.Status.ACTIVE).select_related(
            "program"
        )
        if not access.is_home_organisation:
            active = active.filter(program__organisation_id__in=request.user.organisation_ids)
        context["active"] = list(active)
        return render(request, "casework/exits_kind.html", context)

    instrument = exits_selectors.intake_instrument(enrollment) if kind == Exit.Kind.GRADUATION else None
    administrations = [
        (
            a,
            date_format(clock.localtime(a.completed_at or a.started_at).date(), "SHORT_DATE_FORMAT")
            + " — "
            + localized(a.version.definition.get("title")),
        )
        for a in exits_selectors.graduation_candidates(enrollment, instrument)
    ]
    referrals = (
        [
            (r, f"{r.provider.display_name} — {r.get_status_display()}")
            for r in exits_selectors.open_exit_referrals(p)
        ]
        if kind == Exit.Kind.UNPLANNED
        else []
    )
    organisations = list(
        Organisation.objects.filter(consortium_id=p.organisation.consortium_id, is_active=True).exclude(
            pk=p.organisation_id
        )
    )
    reengagement = exits_selectors.open_reengagement(enrollment) if kind == Exit.Kind.UNPLANNED else None
    complaint_procedure_url = enrollment.program.organisation.complaint_procedure_url
    form = ExitForm(
        request.POST or None,
        kind=kind,
        administrations=administrations,
        referrals=referrals,
        organisations=organisations,
        procedure_known=bool(complaint_procedure_url),
        lost_contact=reengagement is not None,
    )
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        if values.get("graduation_assessment"):
            values["graduation_assessment"] = next(
                (a for a, _label in administrations if a.pk == values["graduation_assessment"]), None
            )
        else:
            values["graduation_assessment"] = None
        try:
            exit_ = exits_services.exit_record(actor=request.user, enrollment=enrollment, kind=kind, **values)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if exit_.is_pending:
                messages.success(
                    request,
                    _("Exit planned for %(date)s: the service goes on until then.")
                    % {"date": date_format(exit_.exited_on, "j F Y")},
                )
            else:
                messages.success(
                    request, _("Exit recorded. The participant can be enrolled again at any time.")
                )
            return redirect("casework:exit_detail", pk=p.pk, exit_pk=exit_.pk)
    context.update(
        kind=kind,
        kind_label=Exit.Kind(kind).label,
        form=form,
        instrument=instrument,
        start_url=reverse("assessments:start", kwargs={"pk": p.pk}),
        referral_create_url=_referral_create_url(
            p,
            reverse("casework:exit_create", kwargs={"pk": p.pk})
            + "?"
            + urlencode({"kind": kind, "enrollment": enrollment.pk}),
        ),
        reengagement=reengagement,
        days_ahead=exits_services.planned_exit_days_ahead(),
        required_referrals=exits_services._required_referrals(),
        shelter_value=Exit.Destination.SHELTER.value,
        consents=_consents(p),
        at_exit=exit_assessments(enrollment),
        complaint_procedure_url=complaint_procedure_url,
    )
    return render(request, "casework/exits_form.html", context)


@require_record_permission("casework.view")
def exit_detail(request, pk: int, exit_pk: int):
    access, exit_ = exits_selectors.exit_for_user(request.user, pk, exit_pk)
    referrals = list(exit_.referrals.select_related("provider"))
    consent_orgs = list(exit_.consent.organisations.all()) if exit_.consent else []
    return render(
        request,
        "casework/exits_detail.html",
        {
            "p": access.participant,
            "exit": exit_,
            "referrals": referrals,
            "consent_orgs": consent_orgs,
            "complaint_procedure_url": exit_.enrollment.program.organisation.complaint_procedure_url,
            "can_record": request.user.has_ancrage_perm("casework.record_exits")
            and access.is_home_organisation,
        },
    )
