"""Pages of matching (A6): openings, the matching run and its preview, matches step by step, eligibility (A2)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ancrage.access import selectors, services
from ancrage.access.eligibility import (
    check_opening,
    check_requirements,
    describe_check,
    describe_reason,
    describe_requirement,
    facts_for_entry,
    feature_label,
    is_eligible,
    opening_requirements,
)
from ancrage.access.models import MATCH_IN_PROGRESS, ByNameEntry, ByNameStatus, Match, MatchStatus, Opening
from ancrage.core import audit, clock
from ancrage.core.forms import BoundedTextMixin, DateInput
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.housing.models import Unit
from ancrage.organisations.models import Program

# Status badges carry their text; the colour only repeats it (ux.md).
MATCH_BADGES = {
    MatchStatus.PROPOSED: "text-bg-light border",
    MatchStatus.CONTACTED: "text-bg-info",
    MatchStatus.PERSON_ACCEPTED: "text-bg-primary",
    MatchStatus.PROVIDER_ACCEPTED: "text-bg-primary",
    MatchStatus.TRANSFERRED: "text-bg-success",
    MatchStatus.PERSON_DECLINED: "text-bg-secondary",
    MatchStatus.PROVIDER_DECLINED: "text-bg-secondary",
    MatchStatus.WITHDRAWN: "text-bg-secondary",
}

# Each step as the button that takes it: what the user does, where the status says what happened.
STEP_ACTIONS: dict[str, Any] = {
    MatchStatus.CONTACTED: gettext_lazy("The person was contacted"),
    MatchStatus.PERSON_ACCEPTED: gettext_lazy("The person accepts"),
    MatchStatus.PERSON_DECLINED: gettext_lazy("The person declines"),
    MatchStatus.PROVIDER_ACCEPTED: gettext_lazy("The program or landlord accepts"),
    MatchStatus.PROVIDER_DECLINED: gettext_lazy("The program or landlord declines"),
    MatchStatus.TRANSFERRED: gettext_lazy("Record the assisted transfer"),
    MatchStatus.WITHDRAWN: gettext_lazy("Withdraw the match"),
}


def _visible_entry_ids(user):
    """Subquery of the by-name entries `user` may see; people outside it are never named."""
    return selectors.by_name_list_for_user(user).order_by().values("pk")


_matches_for = selectors.matches_for_user


def _stall_cutoff() -> datetime.datetime:
    return clock.now() - datetime.timedelta(days=settings.ANCRAGE["MATCH_STALL_DAYS"])


def _decorate(matches) -> list[Match]:
    now = clock.now()
    cutoff = _stall_cutoff()
    matches = list(matches)
    for m in matches:
        m.days_since_step = (now - m.last_step_at).days  # type: ignore[attr-defined]
        m.is_stalled = m.in_progress and m.last_step_at < cutoff  # type: ignore[attr-defined]
        m.badge = MATCH_BADGES.get(m.status, "text-bg-light border")  # type: ignore[attr-defined]
    return matches


# --- Openings -----------------------------------------------------------------------------------------


@require_permission("access.manage_matches")
def opening_list(request):
    openings = list(
        Opening.objects.filter(status=Opening.Status.OPEN)
        .select_related("program", "program__organisation", "unit", "unit__area")
        .order_by("opened_on", "pk")
    )
    today = clock.today()
    for o in openings:
        o.days_open = (today - o.opened_on).days  # type: ignore[attr-defined]
    in_progress = Match.objects.filter(status__in=MATCH_IN_PROGRESS)
    matches = _decorate(
        _matches_for(request.user).filter(status__in=MATCH_IN_PROGRESS).order_by("last_step_at", "pk")
    )
    hidden = in_progress.exclude(entry__in=_visible_entry_ids(request.user)).count()
    groups = []
    for status in MATCH_IN_PROGRESS:
        rows = [m for m in matches if m.status == status]
        groups.append({"status": status, "label": MatchStatus(status).label, "matches": rows})
    context = {
        "openings": openings,
        "groups": groups,
        "match_count": len(matches),
        "stalled_count": len([m for m in matches if m.is_stalled]),  # type: ignore[attr-defined]
        "hidden_count": hidden,
        "stall_days": settings.ANCRAGE["MATCH_STALL_DAYS"],
    }
    return render(request, "access/opening_list.html", context)


class OpeningForm(forms.Form):
    program = forms.ModelChoiceField(
        label=gettext_lazy("Housing First program"),
        queryset=Program.objects.none(),
        required=False,
        help_text=gettext_lazy("Open slots in a program, or choose a unit below (with its program, if any)."),
    )
    count = forms.IntegerField(label=gettext_lazy("Number of slots"), min_value=1, max_value=50, initial=1)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Available housing unit"), queryset=Unit.objects.none(), required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program_field: Any = self.fields["program"]
        program_field.queryset = Program.objects.filter(
            is_active=True, kind__in=Program.HOUSING_FIRST_KINDS
        ).select_related("organisation")
        program_field.label_from_instance = lambda p: f"{p.display_name} · {p.organisation.name}"
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = (
            Unit.objects.filter(status=Unit.Status.AVAILABLE)
            .exclude(openings__status__in=[Opening.Status.OPEN, Opening.Status.MATCHING])
            .select_related("area")
        )


@require_permission("access.manage_matches")
def opening_create(request):
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            openings = services.openings_create(
                actor=request.user,
                program=data["program"],
                unit=data["unit"],
                count=data["count"],
                note=data["note"] or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s opening open for matching.",
                    "%(count)s openings open for matching.",
                    len(openings),
                )
                % {"count": len(openings)},
            )
            if data["unit"] is not None:
                # A unit opened is matched at once (A6): the page says who was proposed, or why nobody.
                match, said = services.opening_propose_now(actor=request.user, opening=openings[0])
                (messages.success if match is not None else messages.warning)(request, said)
                return redirect("access:opening_detail", pk=openings[0].pk)
            return redirect("access:opening_list")
    return render(request, "access/opening_form.html", {"form": form, "subnav": "matching"})


class OpeningCancelForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the opening is cancelled"),
        max_length=300,
        help_text=gettext_lazy("For instance: the program closed the slot, the unit was rented elsewhere."),
    )


@require_POST
@require_permission("access.manage_matches")
def opening_cancel(request, pk: int):
    opening = get_object_or_404(Opening, pk=pk)
    form = OpeningCancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.opening_cancel(actor=request.user, opening=opening, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The opening is cancelled."))
            return redirect("access:opening_list")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("access:opening_detail", pk=opening.pk)


@require_POST
@require_permission("access.manage_matches")
def matching_run(request):
    try:
        created = services.matching_run(actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext("%(count)s proposal", "%(count)s proposals", len(created)) % {"count": len(created)},
        )
    return redirect("access:opening_list")


def _why_passed(why: dict[str, Any]) -> str:
    kind = why.get("why")
    if kind == "declined_before":
        return _("Declined this opening before, or was declined for it.")
    if kind == "passed_by_hand":
        return _("Eligible, passed over by the person who proposed by hand (their reason is with the match).")
    if kind == "proposed_elsewhere":
        return _("Proposed for another opening (no. %(opening)s) in the same run.") % {
            "opening": why.get("opening")
        }
    failed = " ".join(describe_check(c) for c in why.get("checks", []))
    return _("Not eligible. %(why)s") % {"why": failed} if failed else _("Not eligible.")


def _people(user, items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Passed-over people in rank order: those `user` may see by name, and how many others there are."""
    ids = [item["entry"] for item in items]
    visible = selectors.by_name_list_for_user(user).filter(pk__in=ids).in_bulk()
    shown, hidden = [], 0
    for item in items:
        entry = visible.get(item["entry"])
        if entry is None:
            hidden += 1
            continue
        shown.append({"entry": entry, "why": _why_passed(item)})
    return shown, hidden


class ProposeForm(BoundedTextMixin, forms.Form):
    entry = forms.ModelChoiceField(
        label=gettext_lazy("Person to propose"), queryset=ByNameEntry.objects.none()
    )
    reason = forms.CharField(
        label=gettext_lazy("Why this person rather than the people ranked higher"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required when an eligible person ranked higher is passed over: kept with the match, with "
            "the people passed over."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["entry"]
        field.queryset = (
            selectors.by_name_list_for_user(user, status=ByNameStatus.ACTIVE)
            .exclude(matches__status__in=MATCH_IN_PROGRESS)
            .order_by(F("priority_rank").asc(nulls_last=True), "entered_on", "pk")
        )
        field.label_from_instance = _entry_label


def _entry_label(entry: ByNameEntry) -> str:
    if entry.priority_rank:
        return _("%(name)s (rank %(rank)s)") % {
            "name": entry.participant.display_name,
            "rank": entry.priority_rank,
        }
    return entry.participant.display_name


@require_permission("access.manage_matches")
def opening_detail(request, pk: int):
    opening = get_object_or_404(
        Opening.objects.select_related("program", "program__organisation", "unit", "unit__area", "opened_by"),
        pk=pk,
    )
    form = ProposeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_propose(
                actor=request.user,
                opening=opening,
                entry=form.cleaned_data["entry"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                # The opening may have been taken meanwhile: say so above the page as it now is.
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("access:opening_detail", pk=opening.pk)
            # A missing reason: said next to the field, with the person chosen kept.
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The person is proposed for this opening."))
            return redirect("access:match_detail", pk=match.pk)
    all_matches = opening.matches.order_by("-proposed_at", "-pk")
    matches = _decorate(_matches_for(request.user).filter(opening=opening).order_by("-proposed_at", "-pk"))
    hidden_matches = all_matches.count() - len(matches)
    preview: dict[str, Any] | None = None
    if opening.is_open:
        # The engine assigns every open opening at once, so the preview for one comes from the whole plan.
        _openings, plan = selectors.matching_plan()
        proposal = plan.proposals.get(opening.pk)
        items = [{"entry": f.entry_id, **why} for f, why in plan.passed_over.get(opening.pk, [])]
        passed, passed_hidden = _people(request.user, items)
        proposed = None
        proposed_hidden = False
        if proposal is not None:
            proposed = selectors.by_name_list_for_user(request.user).filter(pk=proposal.entry_id).first()
            proposed_hidden = proposed is None
        preview = {
            "proposed": proposed,
            "proposed_hidden": proposed_hidden,
            "checks": [c.sentence for c in plan.checks.get(opening.pk, [])] if proposed else [],
            "passed": passed,
            "passed_hidden": passed_hidden,
        }
    context = {
        "opening": opening,
        "requirements": [describe_requirement(r) for r in opening_requirements(opening)],
        "features": [feature_label(f) for f in (opening.unit.features if opening.unit else [])],
        "matches": matches,
        "hidden_matches": hidden_matches,
        "preview": preview,
        "form": form,
        "cancel_form": OpeningCancelForm(prefix="cancel"),
    }
    return render(request, "access/opening_detail.html", context)


# --- Matches ------------------------------------------------------------------------------------------


@require_permission("access.manage_matches")
def match_list(request):
    status = request.GET.get("status") or ""
    qs = _matches_for(request.user).order_by("-last_step_at", "-pk")
    if status in MatchStatus.values:
        qs = qs.filter(status=status)
    elif status == "in_progress":
        qs = qs.filter(status__in=MATCH_IN_PROGRESS)
    else:
        status = ""
    page = paginate(request, qs)
    page.object_list = _decorate(page.object_list)
    statuses = [("in_progress", _("In progress")), *MatchStatus.choices]
    return render(request, "access/match_list.html", {"page": page, "status": status, "statuses": statuses})


def _reason_rows(user, match: Match) -> tuple[list[str], list[dict[str, Any]], int]:
    sentences: list[str] = []
    passed: list[dict[str, Any]] = []
    hidden = 0
    for reason in match.reasons or []:
        if reason.get("kind") == "passed_over":
            passed, hidden = _people(user, reason.get("people", []))
        else:
            sentences.append(describe_reason(reason))
    return sentences, passed, hidden


def _score(score: float | None) -> str:
    """A score as people write it, in the user's language: 16, 16,5 (French) or 16.5 (English)."""
    return "—" if score is None else floatformat(score, "-2")


class MatchStepForm(BoundedTextMixin, forms.Form):
    """One step of a match: the day it happened, a note, and the reason when the step needs one."""

    on = forms.DateField(
        label=gettext_lazy("Date of the step"), initial=clock.today, required=False, widget=DateInput()
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(required=False, max_length=2000)


@require_record_permission("access.manage_matches")
def match_detail(request, pk: int):
    match = get_object_or_404(_matches_for(request.user), pk=pk)
    return render(request, "access/match_detail.html", _match_context(request, match, None))


def _match_context(request, match: Match, step_form: MatchStepForm | None, failed_status: str = "") -> dict:
    match = get_object_or_404(
        _matches_for(request.user).select_related(
            "entry", "proposed_by", "opening__program__organisation", "opening__unit__organisation"
        ),
        pk=match.pk,
    )
    audit.record_read(
        actor=request.user, participant=match.participant, what="access.match.viewed", obj=match
    )
    sentences, passed, passed_hidden = _reason_rows(request.user, match)
    steps = list(match.steps.select_related("by").order_by("at", "pk"))
    actions = []
    for to_status in services.MATCH_NEXT.get(match.status, ()):
        # The step that was refused keeps what was typed, with the errors next to the fields.
        form = step_form if step_form is not None and to_status == failed_status else MatchStepForm()
        actions.append(
            {
                "status": to_status,
                "label": STEP_ACTIONS[to_status],
                "needs_reason": to_status in services.NEEDS_REASON,
                "is_transfer": to_status == MatchStatus.TRANSFERRED,
                "form": form,
                "open": form is step_form,
            }
        )
    transfer: dict[str, Any] | None = None
    if any(a["is_transfer"] for a in actions):
        gaps = selectors.transfer_consent_gaps(match)
        transfer = {
            "shared": [Category(c).label for c in selectors.TRANSFER_CATEGORIES],
            "gaps": [Category(c).label for c in gaps],
        }
    _decorate([match])
    return {
        "match": match,
        "sentences": sentences,
        "passed": passed,
        "passed_hidden": passed_hidden,
        "steps": steps,
        "actions": actions,
        "transfer": transfer,
        "score": _score(match.score_at_proposal),
        "shared": [Category(c).label for c in match.shared_categories if c in Category.values],
        "today": clock.today(),
    }


@require_POST
@require_record_permission("access.manage_matches")
def match_step(request, pk: int):
    match = get_object_or_404(_matches_for(request.user), pk=pk)
    to_status = request.POST.get("to_status", "")
    form = MatchStepForm(request.POST)
    if not form.is_valid():
        context = _match_context(request, match, form, to_status)
        return render(request, "access/match_detail.html", context, status=400)
    try:
        services.match_step(
            actor=request.user,
            match=match,
            to_status=to_status,
            expected_status=request.POST.get("expected_status", ""),
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) & {"on", "note", "reason"}:
            apply_service_errors(form, exc)
            context = _match_context(request, match, form, to_status)
            return render(request, "access/match_detail.html", context, status=400)
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The match is now “%(status)s”.") % {"status": MatchStatus(to_status).label},
        )
    return redirect("access:match_detail", pk=match.pk)


# --- Eligibility of one person (A2) -------------------------------------------------------------------


@require_record_permission("access.view_by_name_list")
def eligibility_for_person(request, pk: int):
    entry = selectors.by_name_entry_get_for_user(request.user, pk, what="access.eligibility.viewed")
    facts = facts_for_entry(entry, clock.today())
    programs = Program.objects.filter(is_active=True, kind__in=Program.HOUSING_FIRST_KINDS).select_related(
        "organisation"
    )
    program_rows = []
    for program in programs:
        checks = check_requirements(program.eligibility or [], facts)
        program_rows.append({"program": program, "eligible": is_eligible(checks), "checks": checks})
    unit_rows = []
    openings = (
        Opening.objects.filter(status=Opening.Status.OPEN, unit__isnull=False)
        .select_related("program", "program__organisation", "unit", "unit__area")
        .order_by("opened_on", "pk")
    )
    for opening in openings:
        checks = check_opening(opening, facts)
        unit_rows.append({"opening": opening, "eligible": is_eligible(checks), "checks": checks})
    context = {"entry": entry, "participant": entry.participant, "programs": program_rows, "units": unit_rows}
    return render(request, "access/eligibility.html", context)
