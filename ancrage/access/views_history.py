"""A person's homelessness history (A4, A5): what they reported, the stays and sightings since, and the
chronic verdict computed from them with its evidence."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ancrage.access import selectors, services
from ancrage.access.chronic import chronic_from_history
from ancrage.access.forms import HomelessnessHistoryForm, StayForm
from ancrage.access.models import ByNameEntry, HistorySource, Intake, LivingSituation, LivingSituationPeriod
from ancrage.core import clock
from ancrage.core.permissions import check_record_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors


def _date(value: str | None) -> str:
    return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT") if value else ""


def _where(line: dict[str, Any]) -> str:
    if line.get("situation") in LivingSituation.values:
        return str(LivingSituation(line["situation"]).label)
    if line.get("kind") in LivingSituationPeriod.Kind.values:
        return str(LivingSituationPeriod.Kind(line["kind"]).label)
    return _("Homeless")


def _source(line: dict[str, Any]) -> str:
    if line.get("source") in HistorySource.values:
        return str(HistorySource(line["source"]).label)
    return _("source not recorded")


def evidence_in_words(lines: list[dict[str, Any]]) -> list[str]:
    """Each line of a verdict's evidence (ancrage.access.chronic.evidence_of), said in the reader's language."""
    words = []
    for line in lines or []:
        days = {"year": line.get("year", 0), "three": line.get("three", 0)}
        origin = line.get("origin")
        if origin == "more":
            words.append(
                _(
                    "%(count)s earlier stays or sightings: %(year)s days in the past year, "
                    "%(three)s in the past three years."
                )
                % {"count": line.get("count", 0), **days}
            )
            continue
        values = {
            "where": _where(line),
            "source": _source(line),
            "start": _date(line.get("from")),
            "end": _date(line.get("to")),
            "reported": _date(line.get("reported_on")),
            **days,
        }
        if origin == "undated":
            text = _(
                "Months homeless reported without dates (%(source)s, history as of %(reported)s), counted as "
                "early as possible in the three years before it: %(year)s days in the past year, "
                "%(three)s in the past three years."
            )
        elif origin == "episode" and not line.get("to"):
            text = _(
                "Current episode since %(start)s: %(where)s (%(source)s, history as of %(reported)s): "
                "%(year)s days in the past year, %(three)s in the past three years."
            )
        elif origin == "episode":
            text = _(
                "Episode from %(start)s to %(end)s: %(where)s (%(source)s, history as of %(reported)s): "
                "%(year)s days in the past year, %(three)s in the past three years."
            )
        elif not line.get("to"):
            text = _(
                "%(where)s since %(start)s (%(source)s): %(year)s days in the past year, "
                "%(three)s in the past three years."
            )
        elif line.get("to") == line.get("from"):
            text = _(
                "%(where)s on %(start)s (%(source)s): %(year)s days in the past year, "
                "%(three)s in the past three years."
            )
        else:
            text = _(
                "%(where)s from %(start)s to %(end)s (%(source)s): %(year)s days in the past year, "
                "%(three)s in the past three years."
            )
        words.append(text % values)
    return words


def _may_record(user) -> bool:
    return user.has_ancrage_perm("access.manage_referrals") or user.has_ancrage_perm(
        "access.manage_by_name_list"
    )


def _intake_of(request, participant) -> Intake | None:
    """The intake the history is recorded at, when the page was opened from one (`?intake=`)."""
    raw = request.GET.get("intake") or request.POST.get("intake") or ""
    if not raw.isdigit():
        return None
    return Intake.objects.filter(
        pk=int(raw),
        participant=participant,
        referral__organisation_id__in=request.user.organisation_ids,
    ).first()


def _history_initial(participant, latest) -> dict[str, Any]:
    """The form starts from the latest history, or else from the latest triage's housing answers (A3)."""
    if latest is not None:
        initial = {name: getattr(latest, name) for name in services.HISTORY_FIELDS}
        initial["reported_on"] = clock.today()
        months = latest.months_homeless_past_three_years
        initial["months_homeless"] = str(months) if months is not None else latest.months_homeless_missing
        return initial
    triage = selectors.latest_triage(participant)
    if triage is not None and triage.completed_at is not None:
        initial = services.history_from_screener(triage.answers or {}, clock.localdate(triage.completed_at))
        initial["reported_on"] = clock.today()
        initial["_from_triage"] = triage
        return initial
    return {}


@require_record_permission("access.view_by_name_list")
def homelessness_history(request, pk: int):
    participant = selectors.homelessness_history_participant_for_user(request.user, pk)
    histories, stays = selectors.homelessness_history_of(participant)
    intake = _intake_of(request, participant)
    latest = histories[0] if histories else None
    initial = _history_initial(participant, latest)
    from_triage = initial.pop("_from_triage", None)
    history_form = HomelessnessHistoryForm(initial=initial, prefix="history")
    stay_form = StayForm(prefix="stay")
    if request.method == "POST":
        if not _may_record(request.user):
            check_record_permission(request.user, "access.manage_by_name_list")
        which = request.POST.get("form")
        try:
            if which == "history":
                history_form = HomelessnessHistoryForm(request.POST, prefix="history")
                if history_form.is_valid():
                    services.homelessness_history_record(
                        actor=request.user,
                        participant=participant,
                        intake=intake,
                        **history_form.cleaned_data,
                    )
                    messages.success(request, _("Homelessness history recorded."))
                    return _back(participant, intake)
            elif which == "stay":
                stay_form = StayForm(request.POST, prefix="stay")
                if stay_form.is_valid():
                    services.living_situation_record(
                        actor=request.user, participant=participant, **stay_form.cleaned_data
                    )
                    messages.success(request, _("Stay or sighting recorded."))
                    return _back(participant, intake)
        except ValidationError as exc:
            if which == "history" and hasattr(exc, "error_dict"):
                # The form asks the months and why they are missing in one field.
                exc = ValidationError(
                    {
                        ("months_homeless" if name.startswith("months_homeless") else name): errors
                        for name, errors in exc.error_dict.items()
                    }
                )
            apply_service_errors(history_form if which == "history" else stay_form, exc)
    today = clock.today()
    verdict = chronic_from_history(stays, histories, on=today)
    entry = ByNameEntry.objects.filter(participant=participant).first()
    context = {
        "p": participant,
        "entry": entry,
        "intake": intake,
        "verdict": verdict,
        "evidence": evidence_in_words(list(verdict.evidence)),
        "histories": histories,
        "stays": sorted(stays, key=lambda s: (s.starts_on, s.pk), reverse=True),
        "history_form": history_form,
        "stay_form": stay_form,
        "from_triage": from_triage,
        "may_record": _may_record(request.user),
    }
    return render(request, "access/homelessness_history.html", context)


def _back(participant, intake):
    response = redirect("access:homelessness_history", pk=participant.pk)
    if intake is not None:
        response["Location"] += f"?intake={intake.pk}"
    return response
