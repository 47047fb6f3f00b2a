"""Reads of the by-name list, its matches and its monthly flow, limited to what the asking user may see (G1, G2)."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from ancrage.access.models import (
    MATCH_IN_PROGRESS,
    ByNameEntry,
    ByNameStatus,
    ByNameStatusChange,
    HomelessnessHistory,
    LivingSituationPeriod,
    Match,
    MatchStatus,
    Opening,
    PriorityPolicy,
    Referral,
)
from ancrage.core import clock
from ancrage.core.audit import record_read
from ancrage.core.permissions import Category
from ancrage.core.text import normalise
from ancrage.people.duplicates import given_name_variants
from ancrage.people.models import Participant
from ancrage.people.selectors import participants_visible_for_category, visible_for_category_condition

if TYPE_CHECKING:
    # Imported where used: assessments and housing import this module.
    from ancrage.assessments.models import Administration


def _visible_entries(user, *, walk: bool = False) -> QuerySet[ByNameEntry]:
    """Entries of participants whose coordinated-access information the user may read (G1, G2). Being named
    a person's reference worker opens nothing by itself: the hub worker sees their people through the
    coordinated-access consent that names the hub, as every other worker does."""
    if not user.is_authenticated or not user.has_ancrage_perm("access.view_by_name_list"):
        return ByNameEntry.objects.none()
    # `walk`: the lookup probed for each entry's participant, so a page can walk (priority_rank, id) and stop.
    condition = visible_for_category_condition(user, Category.COORDINATED_ACCESS, "participant__", walk=walk)
    if condition is None:
        return ByNameEntry.objects.none()
    return ByNameEntry.objects.filter(condition, participant__merged_into__isnull=True)


SORTS: dict[str, list] = {
    # People without a rank (not active, or no policy in force) come after everyone ranked.
    "rank": [F("priority_rank").asc(nulls_last=True)],
    "name": ["participant__legal_last_name", "participant__legal_first_name"],
    "entered_on": ["entered_on"],
    "-entered_on": ["-entered_on"],
    "last_contact_on": ["last_contact_on"],
    "-last_contact_on": ["-last_contact_on"],
    "status": ["status"],
    "reference_worker": ["reference_worker__last_name", "reference_worker__first_name"],
    "days_homeless": ["-homeless_days_past_three_years"],
    "chronic": ["-is_chronic"],
}


def _name_search(search: str) -> Q:
    """Every word typed must be in the person's names, aliases or identifiers: as typed (the start of a
    name is enough) or, with the registry's nickname rule, a whole name of which it is a nickname or
    the nickname of (Bob finds Robert, Robert finds Bob)."""
    condition = Q()
    for term in normalise(search).split():
        either = Q(participant__search_text__contains=term)
        for variant in sorted(given_name_variants(term) - {term}):
            # Whole names only: search_text is normalised names joined by spaces and " | ".
            either |= Q(participant__search_text__regex=rf"(^|[ |]){re.escape(variant)}([ |]|$)")
        condition &= either
    return condition


def by_name_list_for_user(
    user,
    *,
    search: str = "",
    born: datetime.date | None = None,
    status: str | None = None,
    reference_worker_id: int | None = None,
    chronic: bool | None = None,
    organisation_id: int | None = None,
    sort: str = "entered_on",
    walk: bool = False,
) -> QuerySet[ByNameEntry]:
    """The by-name list as `user` may see it, filtered and sorted; one query however long the list.

    `search` finds names with the registry's nickname rule; `born` is the date of birth;
    `organisation_id` filters on the participant's home organisation; an unknown `sort` falls back to
    the date of entry. Ties always break on the entry's id, so pages are stable. `walk=True` for a page of
    the list read in order (the same rows, planned to stop after the page: see people.selectors
    `_home_or_consent`); the default suits the list used whole (a count, a subquery).
    """
    # A linked file's entry is the same person's line held by another file (A4): listed once, there.
    qs = (
        _visible_entries(user, walk=walk)
        .filter(listed_via__isnull=True)
        .select_related("participant", "participant__organisation", "reference_worker", "priority_policy")
    )
    if search:
        qs = qs.filter(_name_search(search))
    if born:
        qs = qs.filter(participant__date_of_birth=born)
    if status:
        qs = qs.filter(status=status)
    if reference_worker_id:
        qs = qs.filter(reference_worker_id=reference_worker_id)
    if chronic is not None:
        qs = qs.filter(is_chronic=chronic)
    if organisation_id:
        qs = qs.filter(participant__organisation_id=organisation_id)
    return qs.order_by(*SORTS.get(sort, SORTS["entered_on"]), "id")


def matches_for_user(user) -> QuerySet[Match]:
    """Matches of people the user may see on the by-name list; anyone else's match is not there (404)."""
    entries = by_name_list_for_user(user).order_by().values("pk")
    return Match.objects.filter(entry__in=entries).select_related(
        "participant", "policy", "opening", "opening__program", "opening__unit"
    )


def stalled_matches_for_user(user) -> QuerySet[Match]:
    """Matches in progress with no step for MATCH_STALL_DAYS, about people `user` may see (home page)."""
    cutoff = clock.now() - datetime.timedelta(days=settings.ANCRAGE["MATCH_STALL_DAYS"])
    return (
        matches_for_user(user)
        .filter(status__in=MATCH_IN_PROGRESS, last_step_at__lt=cutoff)
        .order_by("last_step_at", "pk")
    )


@dataclass(frozen=True)
class MonthlyFlow:
    first_day: datetime.date
    last_day: datetime.date
    new: int
    returned_from_housing: int
    returned_from_inactive: int
    housed: int
    moved_away: int
    inactive: int
    institution: int
    deceased: int
    actively_homeless: int

    @property
    def inflow(self) -> int:
        return self.new + self.returned_from_housing + self.returned_from_inactive

    @property
    def outflow(self) -> int:
        return self.housed + self.moved_away + self.inactive + self.institution + self.deceased


_OFF_LIST_NOT_HOUSED = [
    ByNameStatus.INACTIVE,
    ByNameStatus.MOVED_AWAY,
    ByNameStatus.INSTITUTION,
    ByNameStatus.DECEASED,
]


# Each flow figure as the status changes it counts (see `monthly_flow`).
FLOW_CHANGES: dict[str, Q] = {
    "new": Q(from_status="", to_status=ByNameStatus.ACTIVE),
    "returned_from_housing": Q(from_status=ByNameStatus.HOUSED, to_status=ByNameStatus.ACTIVE),
    "returned_from_inactive": Q(from_status__in=_OFF_LIST_NOT_HOUSED, to_status=ByNameStatus.ACTIVE),
    "housed": Q(from_status=ByNameStatus.ACTIVE, to_status=ByNameStatus.HOUSED),
    "moved_away": Q(from_status=ByNameStatus.ACTIVE, to_status=ByNameStatus.MOVED_AWAY),
    "inactive": Q(from_status=ByNameStatus.ACTIVE, to_status=ByNameStatus.INACTIVE),
    "institution": Q(from_status=ByNameStatus.ACTIVE, to_status=ByNameStatus.INSTITUTION),
    "deceased": Q(from_status=ByNameStatus.ACTIVE, to_status=ByNameStatus.DECEASED),
}


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _status_at(day: datetime.date) -> Subquery:
    return Subquery(
        ByNameStatusChange.objects.filter(entry=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-id")
        .values("to_status")[:1]
    )


def _flow_of(entries: QuerySet[ByNameEntry], year: int, month: int) -> MonthlyFlow:
    first, last = month_bounds(year, month)
    figures = ByNameStatusChange.objects.filter(
        entry__in=entries.values("pk"), on__range=(first, last)
    ).aggregate(**{key: Count("pk", filter=q) for key, q in FLOW_CHANGES.items()})
    actively_homeless = (
        entries.annotate(status_at_end=_status_at(last)).filter(status_at_end=ByNameStatus.ACTIVE).count()
    )
    return MonthlyFlow(first_day=first, last_day=last, actively_homeless=actively_homeless, **figures)


def monthly_flow(user, year: int, month: int) -> MonthlyFlow:
    """Inflow, outflow and people actively homeless for one month, over the entries `user` may see.

    Every figure is counted from ByNameStatusChange rows dated (`on`) within the month, one per change,
    so a person who leaves and comes back in the same month counts once in each direction:

    - new: a person entering the list (the row with no previous status);
    - returned from housing: a change from housed back to active;
    - returned from inactive: a change back to active from inactive, moved away or in an institution
      (anyone who had left the list for another reason than housing);
    - outflow: a change from active to housed, moved away, inactive, in an institution (its own figure,
      so the sum is complete) or deceased. A change between two statuses off the list (say inactive to
      housed) moves nobody in or out, since the person had already left the active count;
    - actively homeless: people whose latest change on or before the month's last day is to active.
    """
    # Linked files of one person count once (A4): only the entry holding their line is counted.
    return _flow_of(_visible_entries(user).filter(listed_via__isnull=True), year, month)


def community_monthly_flow(year: int, month: int) -> MonthlyFlow:
    """The same figures over the whole community's list (every current file), whoever asks (A7): counts
    that name nobody, so the same for every role that may see reports. A page shows them only through
    `ancrage.access.disclosure.protect`, which hides small counts."""
    entries = ByNameEntry.objects.filter(participant__merged_into__isnull=True, listed_via__isnull=True)
    return _flow_of(entries, year, month)


def flow_people_for_user(user, year: int, month: int, figure: str) -> QuerySet[ByNameEntry, Any]:
    """The people behind one figure of a month that `user` may see on the by-name list, and only them; each
    annotated with `flow_on`, the day of the change counted (the month's last day for the stock)."""
    first, last = month_bounds(year, month)
    entries = by_name_list_for_user(user).order_by()
    rows: QuerySet[ByNameEntry, Any]
    if figure == "actively_homeless":
        rows = (
            entries.annotate(status_at_end=_status_at(last))
            .filter(status_at_end=ByNameStatus.ACTIVE)
            .annotate(flow_on=models.Value(last, output_field=models.DateField()))
        )
    else:
        changes = ByNameStatusChange.objects.filter(FLOW_CHANGES[figure], on__range=(first, last))
        rows = entries.filter(pk__in=changes.values("entry_id")).annotate(
            flow_on=Subquery(
                changes.filter(entry=OuterRef("pk")).order_by("-on", "-id").values("on")[:1],
                output_field=models.DateField(),
            )
        )
    return rows.order_by("participant__legal_last_name", "participant__legal_first_name", "pk")


def by_name_entry_get_for_user(
    user, participant_pk: int, *, what: str = "access.by_name_entry.viewed"
) -> ByNameEntry:
    """The by-name entry of participant `participant_pk` if `user` may see it on the list, else 404; the read
    is written to the audit trail as `what` (G2), once per request and only if the answer shows it."""
    try:
        entry = by_name_list_for_user(user).filter(participant_id=participant_pk).first()
    except (ValueError, TypeError):
        entry = None
    if entry is None:
        raise Http404
    record_read(actor=user, participant=entry.participant, what=what, obj=entry)
    return entry


def list_lines_for(user, participant_ids) -> dict[int, ByNameEntry]:
    """For each file, the by-name entry holding the person's one line (their own, or a linked file's: A4),
    for files whose coordinated-access information `user` may read; files not on the list are left out."""
    from ancrage.people.duplicates import linked_groups

    ids = list(
        participants_visible_for_category(user, Category.COORDINATED_ACCESS)
        .filter(pk__in=list(participant_ids))
        .values_list("pk", flat=True)
    )
    if not ids:
        return {}
    groups = linked_groups(ids)
    members = set().union(*groups.values())
    entries = {
        e.participant_id: e
        for e in ByNameEntry.objects.filter(
            participant_id__in=members, listed_via__isnull=True, participant__merged_into__isnull=True
        ).select_related("participant")
    }
    lines: dict[int, ByNameEntry] = {}
    for pk in ids:
        held = [entries[other] for other in sorted(groups[pk]) if other in entries]
        if pk in entries:
            lines[pk] = entries[pk]
        elif held:
            lines[pk] = held[0]
    return lines


def referrals_for_user(user) -> QuerySet[Referral]:
    """Referrals `user` may follow: those received by their organisations when they do intakes; otherwise
    (a partner agency) only the referrals they made themselves, whatever became of the person since."""
    if not user.is_authenticated or not user.has_ancrage_perm("access.submit_referrals"):
        return Referral.objects.none()
    if user.has_ancrage_perm("access.manage_referrals"):
        qs = Referral.objects.filter(organisation_id__in=user.organisation_ids)
    else:
        qs = Referral.objects.filter(referred_by=user)
    return qs.select_related("organisation", "participant", "intake")


def record_intake_read(user, intake) -> None:
    """An intake shows the person's coordinated-access information: its read is written (G2)."""
    record_read(actor=user, participant=intake.participant, what="access.intake.viewed", obj=intake)


def record_referral_read(user, referral) -> None:
    """A referral tied to a file shows that person's coordinated-access information: its read is written
    (G2). One with no file yet names someone the registry does not hold: there is no file to account to."""
    if referral.participant_id is not None:
        record_read(actor=user, participant=referral.participant, what="access.referral.viewed", obj=referral)


def latest_triage(participant: Participant) -> Administration | None:
    from ancrage.assessments.models import Administration

    completed = Administration.objects.filter(
        participant=participant, status=Administration.Status.COMPLETED, completed_at__isnull=False
    ).select_related("version")
    for administration in completed.order_by("-completed_at", "-pk")[:20]:
        if administration.version.definition.get("category") == "coordinated_access":
            return administration
    return None


def active_policy() -> PriorityPolicy | None:
    return PriorityPolicy.objects.filter(status=PriorityPolicy.Status.ACTIVE).first()


def _with_history(entries):
    """Whether a living situation is recorded: without one, chronic homelessness is unknown, not false."""
    return entries.annotate(
        has_history=models.Exists(
            LivingSituationPeriod.objects.filter(participant_id=models.OuterRef("participant_id"))
        )
        | models.Exists(HomelessnessHistory.objects.filter(participant_id=models.OuterRef("participant_id")))
    )


def _excluded_for(openings) -> dict[int, set[int]]:
    """People not to propose for these openings, while they stay on the list as they are now:

    - who declined, or was declined for, the same unit, or a slot of the same program (an opening of the
      same unit or program is the same offer again);
    - who was transferred to a Housing First program: they have their program, so its slots and other
      programs' are not for them; a unit still is. A person whose placement failed comes back onto the
      list with a new status date, and all of this no longer counts against them.
    """
    openings = list(openings)
    declined = Match.objects.filter(
        status__in=[MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED],
        last_step_at__date__gte=F("entry__status_since"),
        entry__status=ByNameStatus.ACTIVE,
    )
    by_unit: dict[int, set[int]] = {}
    by_program: dict[int, set[int]] = {}
    unit_ids = {o.unit_id for o in openings if o.unit_id}
    program_ids = {o.program_id for o in openings if o.program_id and not o.unit_id}
    for unit_id, entry_id in declined.filter(opening__unit_id__in=unit_ids).values_list(
        "opening__unit_id", "entry_id"
    ):
        by_unit.setdefault(unit_id, set()).add(entry_id)
    for program_id, entry_id in declined.filter(
        opening__program_id__in=program_ids, opening__unit__isnull=True
    ).values_list("opening__program_id", "entry_id"):
        by_program.setdefault(program_id, set()).add(entry_id)
    in_a_program = set(
        Match.objects.filter(
            status=MatchStatus.TRANSFERRED,
            opening__unit__isnull=True,
            transferred_at__date__gte=F("entry__status_since"),
            entry__status=ByNameStatus.ACTIVE,
        ).values_list("entry_id", flat=True)
    )
    excluded: dict[int, set[int]] = {}
    for opening in openings:
        if opening.unit_id:
            excluded[opening.pk] = set(by_unit.get(opening.unit_id, ()))
        else:
            excluded[opening.pk] = by_program.get(opening.program_id, set()) | in_a_program
    return excluded


def candidates(on: datetime.date):
    """Active people with no match in progress who were on the list on `on`, in rank order (unranked people
    last, by entry): a run dated `on` never proposes someone who entered the list after that day."""
    from ancrage.access.eligibility import FACT_FIELDS, facts_from_row

    busy = Match.objects.filter(status__in=MATCH_IN_PROGRESS).values("entry_id")
    rows = (
        _with_history(
            ByNameEntry.objects.filter(
                status=ByNameStatus.ACTIVE,
                participant__merged_into__isnull=True,
                listed_via__isnull=True,
                entered_on__lte=on,
            )
        )
        .exclude(pk__in=busy)
        .order_by(F("priority_rank").asc(nulls_last=True), "entered_on", "pk")
        .values(*FACT_FIELDS, "has_history")
    )
    for row in rows.iterator(chunk_size=2000):
        yield facts_from_row(row, on)


def open_openings():
    from ancrage.housing.models import Unit

    # A unit on hold is out of matching even if an opening was left open for it.
    return list(
        Opening.objects.filter(status=Opening.Status.OPEN)
        .exclude(unit__status=Unit.Status.ON_HOLD)
        .select_related("program", "program__organisation", "unit", "unit__area")
        .order_by("opened_on", "pk")
    )


def matching_plan(openings: list[Opening] | None = None, *, on: datetime.date | None = None):
    """What a run would propose now, with reasons; writes nothing."""
    from ancrage.access.eligibility import check_opening
    from ancrage.access.matching import plan_matches

    on = on or clock.today()
    openings = open_openings() if openings is None else list(openings)
    plan = plan_matches(
        openings, candidates(on), check_opening, excluded=_excluded_for(openings), signature=opening_signature
    )
    return openings, plan


def why_no_proposal(opening: Opening, *, on: datetime.date | None = None) -> dict[str, int]:
    """For an opening nobody can be proposed for: how many free active people were checked, and how many
    fail each kind of check (a person may fail several); "declined_before": who declined it already."""
    from ancrage.access.eligibility import check_opening

    on = on or clock.today()
    excluded = _excluded_for([opening]).get(opening.pk, set())
    counts: dict[str, int] = {"considered": 0}
    for facts in candidates(on):
        counts["considered"] += 1
        if facts.entry_id in excluded:
            counts["declined_before"] = counts.get("declined_before", 0) + 1
            continue
        for kind in sorted({c.kind for c in check_opening(opening, facts) if not c.passed}):
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def opening_signature(opening: Opening):
    """Openings with equal signatures ask the same of a person (same program rules, same kind of unit)."""
    import json

    program = json.dumps(opening.program.eligibility, sort_keys=True) if opening.program is not None else None
    unit = opening.unit
    if unit is None:
        return (program,)
    return (
        program,
        json.dumps(unit.requirements, sort_keys=True),
        tuple(sorted(unit.features or [])),
        unit.area_id,
        unit.neighbourhood.casefold(),
        unit.kind,
    )


# What the receiving program gets with an assisted transfer (A1), each only within consent.
TRANSFER_CATEGORIES = (Category.IDENTITY, Category.COORDINATED_ACCESS)


def transfer_consent_gaps(match: Match) -> list[str]:
    """Kinds of triage information the receiving organisation may not receive under the consents in force."""
    from ancrage.people.selectors import categories_for_organisation

    opening = match.opening
    # The program's organisation and the organisation holding the unit both receive the triage data.
    receiving = [holder.organisation for holder in (opening.program, opening.unit) if holder is not None]
    gaps: list[str] = []
    for organisation in receiving:
        allowed = categories_for_organisation(match.participant, organisation)
        gaps += [c for c in TRANSFER_CATEGORIES if c not in allowed and c not in gaps]
    return gaps


# --- Homelessness history (A4, A5): housing information that coordinated access ranks on -----------------


def homelessness_history_participant_for_user(user, participant_pk: int) -> Participant:
    """The person whose homelessness history `user` may read: their coordinated-access and their housing
    information both (the history is housing information that coordinated access ranks on); 404 otherwise,
    whatever the reason. The read is recorded."""
    coordinated = participants_visible_for_category(user, Category.COORDINATED_ACCESS)
    participant = (
        participants_visible_for_category(user, Category.HOUSING)
        .filter(pk=participant_pk, merged_into__isnull=True)
        .filter(pk__in=coordinated.values("pk"))
        .first()
    )
    if participant is None:
        raise Http404
    record_read(actor=user, participant=participant, what="access.homelessness_history.viewed")
    return participant


def homelessness_history_of(participant: Participant) -> tuple[list[HomelessnessHistory], list]:
    """The person's histories, latest first, and their stays and sightings."""
    histories = list(
        HomelessnessHistory.objects.filter(participant=participant)
        .select_related("recorded_by", "intake")
        .order_by("-reported_on", "-id")
    )
    stays = list(
        LivingSituationPeriod.objects.filter(participant=participant)
        .select_related("recorded_by")
        .order_by("starts_on", "id")
    )
    return histories, stays
