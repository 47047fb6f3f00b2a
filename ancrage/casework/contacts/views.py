"""Pages of contacts and field visits (B2, B3, B9)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.casework.contacts import selectors as contacts_selectors
from ancrage.casework.contacts import services as contacts_services
from ancrage.casework.contacts.forms import (
    DURATION_OTHER,
    DURATION_PRESETS,
    ContactForm,
    VisitCancelForm,
    VisitEndForm,
    VisitExtendForm,
    VisitPlanForm,
    extend_choices,
    field_staff,
)
from ancrage.casework.models import FieldVisit, Goal
from ancrage.casework.risk import selectors as risk_selectors
from ancrage.casework.selectors import (
    access_can_write,
    active_enrollment,
    participant_for_casework,
    participant_for_casework_write,
    writing_organisation_id,
)
from ancrage.core import clock
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate


def _can_read_assessments(user, access) -> bool:
    return user.has_ancrage_perm("assessments.view") and bool(
        {Category.HEALTH, Category.COORDINATED_ACCESS} & access.categories
    )


# --- contacts ---------------------------------------------------------------------------------------


@require_record_permission("casework.view")
def contact_list(request, pk: int):
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    page = paginate(request, contacts_selectors.contacts_of(access))
    page.object_list = contacts_selectors.contacts_with_notes(request.user, access, page.object_list)
    enrollment = active_enrollment(p)
    standard = contacts_selectors.weekly_standard(p, enrollment, clock.today())
    can_record = request.user.has_ancrage_perm("casework.record") and access_can_write(access)
    context = {
        "p": p,
        "access": access,
        "page": page,
        "enrollment": enrollment,
        "standard": standard,
        "can_record": can_record,
        "can_read_assessments": _can_read_assessments(request.user, access),
        "can_read_risk": access.can(Category.RISK),
    }
    return render(request, "casework/contacts_list.html", context)


def _visit_initial(visit: FieldVisit, user) -> dict:
    """What an ended (or under way) field visit already says about the contact."""
    start = visit.started_at or visit.planned_start
    end = visit.ended_at or clock.now()
    minutes = max(1, min(720, round((end - start).total_seconds() / 60)))
    initial: dict = {
        "kind": "home",
        "occurred_at": clock.localtime(start).replace(second=0, microsecond=0),
        "staff": [user.pk, visit.worker_id, *(u.pk for u in visit.companions.all())],
        "visit": visit.pk,
    }
    if minutes in DURATION_PRESETS:
        initial["duration_minutes"] = minutes
    else:
        initial["duration_minutes"] = DURATION_OTHER
        initial["duration_other"] = minutes
    return initial


def _to_logged_contact(request, contact):
    """A field visit is one contact: a second save (or reopening the form) opens the one logged."""
    messages.info(
        request,
        _("The contact of this field visit was already logged: here it is. Nothing was logged twice."),
    )
    url = reverse("casework:contact_list", args=[contact.participant_id])
    return redirect(f"{url}#contact-{contact.pk}")


@require_record_permission("casework.record")
def contact_create(request, pk: int):
    access = participant_for_casework_write(request.user, pk)
    p = access.participant
    enrollment = active_enrollment(p)
    goals = (
        Goal.objects.filter(plan__enrollment=enrollment, status=Goal.Status.ACTIVE).order_by("position", "id")
        if enrollment is not None
        else Goal.objects.none()
    )
    staff = field_staff(writing_organisation_id(request.user, p) or p.organisation_id)
    visit = None
    visit_id = request.POST.get("visit") or request.GET.get("visit")
    if visit_id:
        visit = contacts_selectors.visit_for_user(request.user, visit_id)
        if visit.participant_id != p.pk:
            raise Http404
        logged = contacts_services.visit_contact(visit)
        if logged is not None:
            return _to_logged_contact(request, logged)
    initial = _visit_initial(visit, request.user) if visit is not None else {"staff": [request.user.pk]}
    form = ContactForm(request.POST or None, initial=initial, goals=goals, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contacts_services.contact_log(
                actor=request.user,
                participant=p,
                occurred_at=data["occurred_at"],
                duration_minutes=data["duration"],
                kind=data["kind"],
                participant_present=data["participant_present"],
                staff=list(data["staff"]),
                goals=list(data["goals"]),
                shared_note=data["shared_note"],
                private_note=data["private_note"],
                visit=visit,
            )
        except contacts_services.VisitAlreadyLoggedError as exc:
            return _to_logged_contact(request, exc.contact)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Contact logged."))
            return redirect("casework:contact_list", pk=p.pk)
    private_open = bool(form["private_note"].value()) or "private_note" in form.errors
    context = {"p": p, "form": form, "visit": visit, "enrollment": enrollment, "private_open": private_open}
    return render(request, "casework/contacts_form.html", context)


# --- field visits -----------------------------------------------------------------------------------


@require_permission("casework.view")
def visit_list(request):
    board = contacts_selectors.visit_board(request.user)
    context = {
        "board": board,
        "can_record": request.user.has_ancrage_perm("casework.record"),
        "cancel_form": VisitCancelForm(),
        "extend_choices": extend_choices(),
    }
    return render(request, "casework/contacts_visits.html", context)


@require_record_permission("casework.record")
def visit_plan(request, pk: int):
    access = participant_for_casework_write(request.user, pk)
    p = access.participant
    form = VisitPlanForm(
        request.POST or None,
        staff=field_staff(writing_organisation_id(request.user, p) or p.organisation_id).exclude(
            pk=request.user.pk
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contacts_services.visit_plan(
                actor=request.user,
                participant=p,
                location=data["location"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                companions=list(data["companions"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Visit planned. Start it from your visits when you arrive."))
            return redirect("casework:visit_list")
    start = form.cleaned_data.get("planned_start") if form.is_bound and form.is_valid() else None
    risk = risk_selectors.current_risk([p.pk]).get(p.pk) if access.can(Category.RISK) else None
    context = {
        "p": p,
        "form": form,
        "risk": risk,
        "warnings": contacts_services.visit_warnings(p, start) if access.can(Category.RISK) else [],
    }
    return render(request, "casework/contacts_visit_form.html", context)


def _back_to_visits(request):
    return redirect("casework:visit_list")


@require_record_permission("casework.record")
@require_POST
def visit_start(request, visit_pk: int):
    return _visit_step(
        request,
        visit_pk,
        contacts_services.visit_start,
        _("Visit started. The team knows where you are until its planned end."),
    )


def _visit_step(request, visit_pk: int, service, done: str):
    """One tap on a visit the user may act on (start it, say they are safe): the service, then its message."""
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    try:
        service(actor=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return _back_to_visits(request)


@require_record_permission("casework.record")
@require_POST
def visit_end(request, visit_pk: int):
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    form = VisitEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_visits(request)
    try:
        contacts_services.visit_end(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_visits(request)
    if visit.worker_id != request.user.pk:
        messages.success(
            request,
            _("Visit ended for %(worker)s: they are told.") % {"worker": visit.worker.display_name},
        )
        return _back_to_visits(request)
    messages.success(request, _("Visit ended. Log the contact in a few taps."))
    url = reverse("casework:contact_create", args=[visit.participant_id])
    return redirect(f"{url}?visit={visit.pk}")


@require_record_permission("casework.record")
@require_POST
def visit_extend(request, visit_pk: int):
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    form = VisitExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how much longer."))
        return _back_to_visits(request)
    try:
        visit = contacts_services.visit_extend(
            actor=request.user, visit=visit, minutes=form.cleaned_data["minutes"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Visit extended until %(end)s.")
            % {"end": date_format(clock.localtime(visit.planned_end), "TIME_FORMAT")},
        )
    return _back_to_visits(request)


@require_record_permission("casework.record")
@require_POST
def visit_safe(request, visit_pk: int):
    return _visit_step(
        request,
        visit_pk,
        contacts_services.visit_safe,
        _("Thank you: the team knows you are safe. End the visit when you leave."),
    )


@require_record_permission("casework.record")
@require_POST
def visit_cancel(request, visit_pk: int):
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    form = VisitCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the visit is cancelled."))
        return _back_to_visits(request)
    try:
        contacts_services.visit_cancel(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Visit cancelled."))
    return _back_to_visits(request)
