"""Writes of openings and matching (A6): runs, matches, steps, transfers, stalls, and the list statuses they drive (a change of status withdraws or moves matches, a move-in houses the person)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.access.models import (
    MATCH_IN_PROGRESS,
    ByNameEntry,
    ByNameStatus,
    ByNameStatusChange,
    Match,
    MatchStatus,
    MatchStep,
    Opening,
)
from ancrage.access.selectors import (
    TRANSFER_CATEGORIES,
    active_policy,
    matching_plan,
    open_openings,
    transfer_consent_gaps,
)
from ancrage.access.services import policies
from ancrage.access.services.policies import _active_facts
from ancrage.accounts.models import User
from ancrage.core import audit, clock
from ancrage.core.permissions import Category
from ancrage.core.signals import ChangeKind, announce

if TYPE_CHECKING:
    # Imported where used: assessments and housing import this module.
    from ancrage.housing.models import Unit
    from ancrage.organisations.models import Program


@transaction.atomic
def by_name_status_change(
    *,
    actor: User,
    entry: ByNameEntry,
    status: str,
    reason: str,
    on: datetime.date | None = None,
    reference_worker: User | None = None,
) -> ByNameStatusChange:
    entry = ByNameEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    on = on or clock.today()
    errors: dict[str, list[str]] = {}
    if status not in ByNameStatus.values:
        errors["status"] = [_("Unknown status.")]
    elif status == entry.status:
        errors["status"] = [_("The person already has this status.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the status changes.")]
    if on > clock.today():
        errors["on"] = [_("This date cannot be in the future.")]
    elif on < entry.status_since:
        errors["on"] = [_("The change cannot come before the current status began.")]
    worker = reference_worker or entry.reference_worker
    if status == ByNameStatus.ACTIVE and worker is None:
        errors["reference_worker"] = [_("Name a reference worker for every active person.")]
    if errors:
        raise ValidationError(errors)
    before = entry.status
    change = ByNameStatusChange.objects.create(
        entry=entry, from_status=before, to_status=status, on=on, reason=reason.strip(), by=actor
    )
    entry.status = status
    entry.status_since = on
    fields = ["status", "status_since", "updated_at"]
    if reference_worker is not None and reference_worker.pk != entry.reference_worker_id:
        entry.reference_worker = reference_worker
        fields.append("reference_worker")
    if status == ByNameStatus.ACTIVE and (entry.last_contact_on is None or entry.last_contact_on < on):
        # Coming back onto the list is a contact: the inactivity clock starts again.
        entry.last_contact_on = on
        fields.append("last_contact_on")
    entry.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="access.by_name.status_changed",
        obj=entry,
        participant=entry.participant,
        data={"changes": {"status": [before, status]}, "on": on.isoformat(), "reason": reason.strip()},
    )
    if status == ByNameStatus.HOUSED:
        announce(
            sender="access",
            participant_id=entry.participant_id,
            kind=ChangeKind.HOUSED,
            happened_on=on,
            actor_id=getattr(actor, "pk", None),
        )
    if status != ByNameStatus.ACTIVE:
        # Someone who leaves the list no longer holds an opening: their match in progress is withdrawn.
        for match in Match.objects.filter(entry=entry, status__in=MATCH_IN_PROGRESS):
            match_step(
                actor=actor,
                match=match,
                to_status=MatchStatus.WITHDRAWN,
                expected_status=match.status,
                reason=_("The person left the by-name list: %(status)s.")
                % {"status": ByNameStatus(status).label},
            )
    policies.schedule_ranks_recompute()
    return change


@transaction.atomic
def by_name_mark_inactive_without_contact(
    *, on: datetime.date | None = None, actor: User | None = None
) -> int:
    """Active entries with no contact for INACTIVE_AFTER_DAYS become inactive on `on`; returns how many."""
    on = on or clock.today()
    days = settings.ANCRAGE["INACTIVE_AFTER_DAYS"]
    cutoff = on - datetime.timedelta(days=days)
    stale = list(
        ByNameEntry.objects.select_for_update()
        .annotate(last_seen=Coalesce(F("last_contact_on"), F("entered_on")))
        .filter(status=ByNameStatus.ACTIVE, last_seen__lt=cutoff, status_since__lte=on)
        .order_by("pk")
        .values_list("pk", "participant_id", "last_seen")
    )
    if not stale:
        return 0
    reason = _("No contact for %(days)s days") % {"days": days}
    ids = [pk for pk, _participant, _seen in stale]
    # In bulk: the status changes, the entries, the audit entries (one statement each, whatever the number).
    ByNameStatusChange.objects.bulk_create(
        [
            ByNameStatusChange(
                entry_id=pk,
                from_status=ByNameStatus.ACTIVE,
                to_status=ByNameStatus.INACTIVE,
                on=on,
                reason=reason,
                by=actor,
            )
            for pk in ids
        ],
        batch_size=2000,
    )
    now = clock.now()
    matched: list[Match] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        matched += Match.objects.filter(entry_id__in=chunk, status__in=MATCH_IN_PROGRESS)
        ByNameEntry.objects.filter(pk__in=chunk).update(
            status=ByNameStatus.INACTIVE, status_since=on, updated_at=now
        )
    audit.record_many(
        actor=actor,
        action="access.by_name.marked_inactive",
        items=[
            (
                ByNameEntry(pk=pk),
                participant_id,
                {
                    "changes": {"status": [ByNameStatus.ACTIVE, ByNameStatus.INACTIVE]},
                    "last_contact_on": seen.isoformat(),
                    "days": days,
                },
            )
            for pk, participant_id, seen in stale
        ],
    )
    # Their matches in progress are withdrawn step by step (few: a person matched is being contacted).
    for match in sorted(matched, key=lambda m: m.pk):
        match_step(
            actor=actor,
            match=match,
            to_status=MatchStatus.WITHDRAWN,
            expected_status=match.status,
            reason=_("The person left the by-name list: %(status)s.")
            % {"status": ByNameStatus(ByNameStatus.INACTIVE).label},
        )
    policies.schedule_ranks_recompute()
    return len(ids)


# --- Openings and matching (A6) ----------------------------------------------------------------------


@transaction.atomic
def openings_create(
    *,
    actor: User,
    program: Program | None = None,
    unit: Unit | None = None,
    count: int = 1,
    note: str = "",
    opened_on: datetime.date | None = None,
) -> list[Opening]:
    """Open `count` slots in a program, or one opening for a unit (with its program, if given)."""
    errors: dict[str, list[str]] = {}
    if program is None and unit is None:
        errors["program"] = [_("Choose a program, a housing unit, or both.")]
    if program is not None and (not program.is_active or program.kind not in program.HOUSING_FIRST_KINDS):
        errors["program"] = [_("Openings are for active Housing First programs (ICM or ACT).")]
    if unit is not None:
        if count != 1:
            errors["count"] = [_("A housing unit is one opening.")]
        from ancrage.housing.models import Unit

        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.status != Unit.Status.AVAILABLE:
            errors["unit"] = [_("This unit is not available: it is reserved, occupied or off the market.")]
        elif Opening.objects.filter(
            unit=unit, status__in=[Opening.Status.OPEN, Opening.Status.MATCHING]
        ).exists():
            errors["unit"] = [_("This unit already has an opening.")]
    if not 1 <= count <= 50:
        errors["count"] = [_("Open from 1 to 50 slots at a time.")]
    opened_on = opened_on or clock.today()
    if opened_on > clock.today():
        errors["opened_on"] = [_("This date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    openings = [
        Opening.objects.create(
            program=program, unit=unit, opened_on=opened_on, opened_by=actor, note=note.strip()
        )
        for _i in range(count)
    ]
    for opening in openings:
        audit.record(
            actor=actor,
            action="access.opening.created",
            obj=opening,
            organisation=program.organisation if program is not None else None,
            data={"program": program.pk if program else None, "unit": unit.pk if unit else None},
        )
    return openings


@transaction.atomic
def opening_cancel(*, actor: User, opening: Opening, reason: str) -> Opening:
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("Only an open opening with no match in progress can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the opening is cancelled.")]})
    opening.status = Opening.Status.CANCELLED
    opening.closed_at = clock.now()
    opening.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(actor=actor, action="access.opening.cancelled", obj=opening, data={"reason": reason.strip()})
    return opening


@transaction.atomic
def unit_openings_cancel(*, actor: User, unit: Unit, reason: str) -> list[Opening]:
    """Cancel the openings left open for a unit taken out of matching (put on hold), with its reason."""
    return [
        opening_cancel(actor=actor, opening=opening, reason=reason)
        for opening in Opening.objects.filter(unit=unit, status=Opening.Status.OPEN).order_by("pk")
    ]


# Each kind of failed check, as the part of the "nobody proposed" sentence that counts it.
_NOBODY_PARTS = {
    "declined_before": lambda n: ngettext(
        "%(count)s declined this unit before", "%(count)s declined this unit before", n
    ),
    "requirement": lambda n: ngettext(
        "%(count)s does not meet its requirements", "%(count)s do not meet its requirements", n
    ),
    "accessibility": lambda n: ngettext(
        "%(count)s needs a feature it lacks", "%(count)s need a feature it lacks", n
    ),
    "neighbourhood": lambda n: ngettext("%(count)s chose other areas", "%(count)s chose other areas", n),
    "unit_kind": lambda n: ngettext(
        "%(count)s chose another type of housing", "%(count)s chose another type of housing", n
    ),
}


def _nobody_sentence(counts: dict[str, int]) -> str:
    considered = counts.get("considered", 0)
    if not considered:
        return _(
            "Nobody could be proposed: no one active on the by-name list is free (each has a match in progress, or the list is empty)."
        )
    parts = [
        _NOBODY_PARTS[kind](counts[kind]) % {"count": counts[kind]}
        for kind in _NOBODY_PARTS
        if counts.get(kind)
    ]
    if not parts:
        return _("Nobody could be proposed.")
    return ngettext(
        "Nobody could be proposed: %(count)s person free on the by-name list was checked: %(why)s.",
        "Nobody could be proposed: %(count)s people free on the by-name list were checked: %(why)s.",
        considered,
    ) % {"count": considered, "why": "; ".join(parts)}


@transaction.atomic
def opening_propose_now(*, actor: User, opening: Opening) -> tuple[Match | None, str]:
    """Propose the best person for one opening at once (A6); returns the match, if any, and a sentence
    saying who was proposed (by rank) or why nobody could be."""
    created = matching_run(actor=actor, openings=[opening])
    if created:
        match = created[0]
        if match.rank_at_proposal:
            message = _("One person was proposed at once (rank %(rank)s).") % {"rank": match.rank_at_proposal}
        else:
            message = _("One person was proposed at once.")
        return match, message
    from ancrage.access.selectors import why_no_proposal

    return None, _nobody_sentence(why_no_proposal(opening))


@transaction.atomic
def unit_open_and_propose(*, actor: User, unit: Unit):
    """Open an available unit for matching (or take its opening already open) and propose the best person
    at once (A6); the outcome says who was proposed, in rank, or why nobody could be."""
    from ancrage.housing.signals import OfferOutcome

    opening = Opening.objects.filter(unit=unit, status=Opening.Status.OPEN).order_by("pk").first()
    if opening is None:
        opening = openings_create(actor=actor, unit=unit)[0]
    match, said = opening_propose_now(actor=actor, opening=opening)
    url = reverse("access:opening_detail", args=[opening.pk])
    message = _("The unit is open for matching. %(outcome)s") % {"outcome": said}
    return OfferOutcome(message=message, url=url, proposed=1 if match is not None else 0)


@transaction.atomic
def matching_run(
    *, actor: User, openings: list[Opening] | None = None, on: datetime.date | None = None
) -> list[Match]:
    """Propose the best people for the open openings (A6) and record each proposal with its reasons."""
    on = on or clock.today()
    ids = [o.pk for o in openings] if openings is not None else None
    locked = Opening.objects.select_for_update().filter(status=Opening.Status.OPEN)
    if ids is not None:
        locked = locked.filter(pk__in=ids)
    list(locked.values_list("pk", flat=True))  # lock them before reading
    openings_now = [o for o in open_openings() if ids is None or o.pk in ids]
    openings_now, plan = matching_plan(openings_now, on=on)
    by_id = {o.pk: o for o in openings_now}
    policy = active_policy()
    return _matches_create_bulk(actor=actor, openings=by_id, plan=plan, policy=policy)


def _matches_create_bulk(*, actor, openings: dict[int, Opening], plan, policy) -> list[Match]:
    """A run's proposals written as `_match_create` writes one, in a fixed number of statements whatever the
    number of openings: the matches, their first steps, the openings' and units' statuses, the audit entries."""
    if not plan.proposals:
        return []
    standing = {
        pk: (rank, score)
        for pk, rank, score in ByNameEntry.objects.filter(
            pk__in=[f.entry_id for f in plan.proposals.values()]
        ).values_list("pk", "priority_rank", "priority_score")
    }
    now = clock.now()
    matches = []
    for opening_id, facts in plan.proposals.items():
        rank, score = standing[facts.entry_id]
        reasons = [
            {"kind": "rank", "rank": rank, "score": score},
            *(c.as_data() for c in plan.checks.get(opening_id, [])),
        ]
        passed = [{"entry": f.entry_id, **why} for f, why in plan.passed_over.get(opening_id, [])]
        matches.append(
            Match(
                opening_id=opening_id,
                entry_id=facts.entry_id,
                participant_id=facts.participant_id,
                proposed_by=actor,
                proposed_at=now,
                last_step_at=now,
                policy=policy,
                rank_at_proposal=rank,
                score_at_proposal=score,
                reasons=[*reasons, {"kind": "passed_over", "people": passed}] if passed else reasons,
            )
        )
    try:
        with transaction.atomic():
            Match.objects.bulk_create(matches)
    except IntegrityError:
        raise ValidationError(
            _("This opening or this person already has a match in progress: reload the page to see it.")
        ) from None
    MatchStep.objects.bulk_create(
        [
            MatchStep(
                match=match,
                from_status="",
                to_status=MatchStatus.PROPOSED,
                at=now,
                by=actor,
                reason="",
                on=clock.localdate(now),
            )
            for match in matches
        ]
    )
    Opening.objects.filter(pk__in=[m.opening_id for m in matches]).update(
        status=Opening.Status.MATCHING, updated_at=now
    )
    units: list[int] = [unit_id for m in matches if (unit_id := openings[m.opening_id].unit_id) is not None]
    if units:
        from ancrage.housing.models import Unit

        Unit.objects.filter(pk__in=units).update(status=Unit.Status.RESERVED)
    for match in matches:
        # The caller's openings say what they are now, as `_match_create` leaves them.
        openings[match.opening_id].status = Opening.Status.MATCHING
        match.opening = openings[match.opening_id]
    audit.record_many(
        actor=actor,
        action="access.match.proposed",
        items=[
            (match, match.participant_id, {"opening": match.opening_id, "rank": match.rank_at_proposal})
            for match in matches
        ],
    )
    return matches


def _match_create(
    *,
    actor,
    opening: Opening,
    entry: ByNameEntry,
    policy,
    reasons: list,
    passed_over: list,
    step_reason: str = "",
    audit_data: dict | None = None,
) -> Match:
    now = clock.now()
    match = Match(
        opening=opening,
        entry=entry,
        participant_id=entry.participant_id,
        proposed_by=actor,
        proposed_at=now,
        last_step_at=now,
        policy=policy,
        rank_at_proposal=entry.priority_rank,
        score_at_proposal=entry.priority_score,
        reasons=[*reasons, {"kind": "passed_over", "people": passed_over}] if passed_over else reasons,
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise ValidationError(
            _("This opening or this person already has a match in progress: reload the page to see it.")
        ) from None
    MatchStep.objects.create(
        match=match,
        from_status="",
        to_status=MatchStatus.PROPOSED,
        at=now,
        by=actor,
        reason=step_reason,
        on=clock.localdate(now),
    )
    opening.status = Opening.Status.MATCHING
    opening.save(update_fields=["status", "updated_at"])
    if opening.unit_id is not None:
        from ancrage.housing.models import Unit

        Unit.objects.filter(pk=opening.unit_id).update(status=Unit.Status.RESERVED)
    audit.record(
        actor=actor,
        action="access.match.proposed",
        obj=match,
        participant=entry.participant,
        data={"opening": opening.pk, "rank": entry.priority_rank, **(audit_data or {})},
    )
    return match


# Higher-ranked people not eligible (or who declined the offer before) kept with a proposal by hand, at most;
# every eligible person passed over is always kept.
PASSED_OVER_EXPLAIN_LIMIT = 10


def _passed_over_by_hand(opening: Opening, entry: ByNameEntry, on: datetime.date) -> list[dict] | None:
    """The people the list puts before `entry` for `opening` on `on`, each with why they were not proposed,
    as a matching run records them; None if `entry` is not among the people who could be proposed that day."""
    from ancrage.access.eligibility import check_opening, is_eligible
    from ancrage.access.selectors import _excluded_for, candidates

    excluded = _excluded_for([opening]).get(opening.pk, set())
    passed: list[dict] = []
    others = 0
    for facts in candidates(on):
        if facts.entry_id == entry.pk:
            return passed
        if facts.entry_id in excluded:
            why: dict = {"why": "declined_before"}
        else:
            checks = check_opening(opening, facts)
            if is_eligible(checks):
                passed.append({"entry": facts.entry_id, "why": "passed_by_hand"})
                continue
            why = {"why": "not_eligible", "checks": [c.as_data() for c in checks if not c.passed]}
        if others < PASSED_OVER_EXPLAIN_LIMIT:
            passed.append({"entry": facts.entry_id, **why})
        others += 1
    return None


@transaction.atomic
def match_propose(
    *,
    actor: User,
    opening: Opening,
    entry: ByNameEntry,
    on: datetime.date | None = None,
    reason: str = "",
) -> Match:
    """Propose one person by hand; they must be active, on the list that day, free and eligible, and the
    opening open. Passing over anyone eligible and ranked higher needs a reason; those people are kept with
    the match, as a matching run keeps them."""
    from ancrage.access.eligibility import check_opening, facts_for_entry, is_eligible

    on = on or clock.today()
    reason = reason.strip()
    opening = (
        Opening.objects.select_for_update(of=("self",)).select_related("program", "unit").get(pk=opening.pk)
    )
    entry = ByNameEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("This opening is already taken or closed: reload the page to see its match."))
    if entry.status != ByNameStatus.ACTIVE:
        raise ValidationError(_("Only a person active on the by-name list can be proposed."))
    if entry.entered_on > on:
        raise ValidationError(
            _("This person was not on the by-name list yet on %(day)s.") % {"day": date_format(on)}
        )
    checks = check_opening(opening, facts_for_entry(entry, on))
    if not is_eligible(checks):
        failed = " ".join(c.sentence for c in checks if not c.passed)
        raise ValidationError(_("This person is not eligible for this opening. %(why)s") % {"why": failed})
    passed = _passed_over_by_hand(opening, entry, on)
    if passed is None:
        raise ValidationError(_("This person already has a match in progress: reload the page to see it."))
    skipped = sum(1 for p in passed if p["why"] == "passed_by_hand")
    if skipped and not reason:
        raise ValidationError(
            {
                "reason": [
                    ngettext(
                        "%(count)s eligible person ranked higher is passed over: say why. The reason and "
                        "the people passed over are kept with the match.",
                        "%(count)s eligible people ranked higher are passed over: say why. The reason and "
                        "the people passed over are kept with the match.",
                        skipped,
                    )
                    % {"count": skipped}
                ]
            }
        )
    by_hand: dict = {"kind": "by_hand"}
    if reason:
        by_hand["reason"] = reason
    return _match_create(
        actor=actor,
        opening=opening,
        entry=entry,
        policy=active_policy(),
        reasons=[
            {"kind": "rank", "rank": entry.priority_rank, "score": entry.priority_score},
            by_hand,
            *[c.as_data() for c in checks],
        ],
        passed_over=passed,
        step_reason=reason,
        audit_data={"by_hand": True, "reason": reason, "passed_over": len(passed), "skipped": skipped},
    )


# Each status, the steps that may follow it.
MATCH_NEXT: dict[str, tuple[str, ...]] = {
    MatchStatus.PROPOSED: (MatchStatus.CONTACTED, MatchStatus.PERSON_DECLINED, MatchStatus.WITHDRAWN),
    MatchStatus.CONTACTED: (MatchStatus.PERSON_ACCEPTED, MatchStatus.PERSON_DECLINED, MatchStatus.WITHDRAWN),
    MatchStatus.PERSON_ACCEPTED: (
        MatchStatus.PROVIDER_ACCEPTED,
        MatchStatus.PROVIDER_DECLINED,
        MatchStatus.WITHDRAWN,
    ),
    MatchStatus.PROVIDER_ACCEPTED: (MatchStatus.TRANSFERRED, MatchStatus.WITHDRAWN),
}
NEEDS_REASON = {MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED, MatchStatus.WITHDRAWN}


@transaction.atomic
def match_step(
    *,
    actor: User | None,
    match: Match,
    to_status: str,
    expected_status: str,
    reason: str = "",
    on: datetime.date | None = None,
    note: str = "",
) -> Match:
    """Move a match one step on. `expected_status` is the status the user saw: if someone else moved the
    match meanwhile, nothing changes and the user is told (two workers accepting at once). `on` is the day
    the step happened (today by default): not in the future, not before the match's previous step."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related(
            "opening", "opening__program__organisation", "opening__unit__organisation", "entry", "participant"
        )
        .get(pk=match.pk)
    )
    if match.status != expected_status:
        raise ValidationError(
            _("Someone else updated this match meanwhile: it is now “%(status)s”. Nothing was changed.")
            % {"status": match.get_status_display()}
        )
    if to_status not in MATCH_NEXT.get(match.status, ()):
        raise ValidationError(
            _("A match that is “%(status)s” cannot go to “%(next)s”.")
            % {
                "status": match.get_status_display(),
                "next": MatchStatus(to_status).label if to_status in MatchStatus.values else to_status,
            }
        )
    reason = reason.strip()
    if to_status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": [_("Give the reason: it is kept with the match.")]})
    on = on or clock.today()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if on > clock.today():
        errors["on"] = [_("This date cannot be in the future.")]
    else:
        previous = _last_step_day(match)
        if on < previous:
            errors["on"] = [
                _("The step cannot come before the match's previous step (%(date)s).")
                % {"date": date_format(previous, "SHORT_DATE_FORMAT")}
            ]
    if len(note) > MATCH_STEP_NOTE_MAX:
        errors["note"] = [
            _("Keep the note under %(max)s characters.") % {"max": MATCH_STEP_NOTE_MAX},
        ]
    if errors:
        raise ValidationError(errors)
    shared: list[str] = []
    if to_status == MatchStatus.TRANSFERRED:
        gaps = transfer_consent_gaps(match)
        if gaps:
            names = ", ".join(str(Category(c).label) for c in gaps)
            raise ValidationError(
                _(
                    "The participant's consent does not let the receiving organisation see: %(what)s. "
                    "Record that consent before the assisted transfer."
                )
                % {"what": names}
            )
        shared = list(TRANSFER_CATEGORIES)
    now = clock.now()
    before = match.status
    MatchStep.objects.create(
        match=match,
        from_status=before,
        to_status=to_status,
        at=now,
        by=actor,
        reason=reason,
        on=on,
        note=note,
    )
    match.status = to_status
    match.last_step_at = now
    match.stalled_alert_at = None
    fields = ["status", "last_step_at", "stalled_alert_at", "updated_at"]
    if to_status in NEEDS_REASON:
        match.decline_reason = reason
        fields.append("decline_reason")
    if to_status == MatchStatus.TRANSFERRED:
        match.transferred_at = now
        match.shared_categories = shared
        fields += ["transferred_at", "shared_categories"]
    match.save(update_fields=fields)
    _after_step(actor, match, to_status, reason)
    audit.record(
        actor=actor,
        action="access.match.step",
        obj=match,
        participant=match.participant,
        data={
            "changes": {"status": [before, to_status]},
            "reason": reason,
            "shared": shared,
            "on": on.isoformat(),
            "note": note,
        },
    )
    from ancrage.core.alerts import resolve

    resolve(kind="access.match.stalled", obj=match)
    return match


MATCH_STEP_NOTE_MAX = 2000


def _last_step_day(match: Match) -> datetime.date:
    """The day of the match's latest step (the day it was proposed when it has none since)."""
    step = match.steps.order_by("-at", "-pk").first()
    if step is not None and step.on is not None:
        return step.on
    return clock.localdate(step.at if step is not None else match.proposed_at)


def _after_step(actor, match: Match, to_status: str, reason: str) -> None:
    from ancrage.housing.models import Unit

    opening = match.opening
    if to_status in NEEDS_REASON:
        # The opening is free again; the person keeps their place on the list (their priority is intact).
        opening.status = Opening.Status.OPEN
        opening.save(update_fields=["status", "updated_at"])
        if opening.unit_id:
            Unit.objects.filter(pk=opening.unit_id).update(status=Unit.Status.AVAILABLE)
        if to_status != MatchStatus.WITHDRAWN:
            _flag_if_stuck(actor, match.entry)
    elif to_status == MatchStatus.TRANSFERRED:
        opening.status = Opening.Status.FILLED
        opening.closed_at = clock.now()
        opening.save(update_fields=["status", "closed_at", "updated_at"])
        if opening.unit_id:
            Unit.objects.filter(pk=opening.unit_id).update(status=Unit.Status.OCCUPIED)
            entry = match.entry
            if entry.status == ByNameStatus.ACTIVE:
                by_name_status_change(
                    actor=actor,
                    entry=entry,
                    status=ByNameStatus.HOUSED,
                    reason=_("Housed through a match: %(unit)s") % {"unit": opening.unit},
                    on=clock.today(),
                )
        if match.entry.needs_conference:
            ByNameEntry.objects.filter(pk=match.entry_id).update(
                needs_conference=False, needs_conference_reason="", needs_conference_since=None
            )
            audit.record(
                actor=actor,
                action="access.by_name.conference_cleared",
                obj=match.entry,
                participant=match.participant,
                data={"match": match.pk},
            )


def _flag_if_stuck(actor, entry: ByNameEntry) -> None:
    declines = Match.objects.filter(
        entry=entry, status__in=[MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED]
    ).count()
    limit = settings.ANCRAGE["MATCH_DECLINES_BEFORE_CONFERENCE"]
    if declines >= limit and not entry.needs_conference:
        _conference_flag(actor, [entry.pk], f"declines:{declines}", clock.today())


def _conference_flag(actor, entry_ids: list[int], reason: str, on: datetime.date) -> None:
    """Flag people for case conferencing (A6: a meeting is only for people who are stuck), each audited."""
    ByNameEntry.objects.filter(pk__in=entry_ids).update(
        needs_conference=True, needs_conference_reason=reason, needs_conference_since=on
    )
    audit.record_many(
        actor=actor,
        action="access.by_name.conference_flagged",
        items=[
            (ByNameEntry(pk=entry_id), participant_id, {"reason": reason, "on": on.isoformat()})
            for entry_id, participant_id in ByNameEntry.objects.filter(pk__in=entry_ids)
            .order_by("pk")
            .values_list("pk", "participant_id")
        ],
    )


def matches_alert_stalled(*, now: datetime.datetime | None = None) -> int:
    """Alert the proposer and the reference worker of each match with no step for MATCH_STALL_DAYS."""
    from ancrage.core.alerts import raise_alert

    now = now or clock.now()
    cutoff = now - datetime.timedelta(days=settings.ANCRAGE["MATCH_STALL_DAYS"])
    stalled = Match.objects.filter(
        status__in=MATCH_IN_PROGRESS, last_step_at__lt=cutoff, stalled_alert_at__isnull=True
    ).select_related("entry", "participant")
    count = 0
    for match in stalled:
        with transaction.atomic():
            recipients = {match.proposed_by_id, match.entry.reference_worker_id}
            # Only people who can open the match and move it on are told.
            users = User.objects.filter(pk__in=[r for r in recipients if r is not None], is_active=True)
            for user in sorted(users, key=lambda u: u.pk):
                if not user.has_ancrage_perm("access.manage_matches"):
                    continue
                raise_alert(
                    recipient_id=user.pk,
                    kind="access.match.stalled",
                    obj=match,
                    participant=match.participant,
                    params={"days": (now - match.last_step_at).days, "status": match.status},
                    url=reverse("access:match_detail", args=[match.pk]),
                )
            Match.objects.filter(pk=match.pk).update(stalled_alert_at=now)
            audit.record(
                actor=None,
                action="access.match.stalled",
                obj=match,
                participant=match.participant,
                data={"days": (now - match.last_step_at).days},
            )
        count += 1
    return count


def by_name_flag_stuck(*, on: datetime.date | None = None) -> int:
    """Flag for case conferencing active people eligible for no active Housing First program, or whose
    matches were declined MATCH_DECLINES_BEFORE_CONFERENCE times; returns how many are newly flagged."""
    from ancrage.access.eligibility import check_requirements, is_eligible
    from ancrage.organisations.models import Program

    on = on or clock.today()
    programs = list(Program.objects.filter(is_active=True, kind__in=Program.HOUSING_FIRST_KINDS))
    limit = settings.ANCRAGE["MATCH_DECLINES_BEFORE_CONFERENCE"]
    declines = dict(
        Match.objects.filter(status__in=[MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED])
        .values("entry_id")
        .annotate(n=models.Count("pk"))
        .values_list("entry_id", "n")
    )
    flagged = set(ByNameEntry.objects.filter(needs_conference=True).values_list("pk", flat=True))
    new: dict[str, list[int]] = {}
    for facts in _active_facts(on):
        if facts.entry_id in flagged:
            continue
        if declines.get(facts.entry_id, 0) >= limit:
            reason = f"declines:{declines[facts.entry_id]}"
        elif programs and not any(
            is_eligible(check_requirements(p.eligibility or [], facts)) for p in programs
        ):
            reason = "no_eligible_program"
        else:
            continue
        new.setdefault(reason, []).append(facts.entry_id)
    for reason, ids in new.items():
        for start in range(0, len(ids), 2000):
            _conference_flag(None, ids[start : start + 2000], reason, on)
    return sum(len(ids) for ids in new.values())
