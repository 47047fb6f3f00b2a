"""API v1 for coordinated access: referrals and intake, the by-name list with its ranks, matches.

The same selectors, services and permissions as the pages. A record the caller may not see is a 404
before any permission is checked, so an id never tells an outsider that something exists; a caller who
sees the record but whose role does not allow the action gets a 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ancrage.access import selectors, services
from ancrage.access.chronic import chronic_from_history
from ancrage.access.eligibility import describe_reason
from ancrage.access.models import (
    ByNameEntry,
    ByNameStatus,
    HomelessnessHistory,
    Intake,
    LivingSituationPeriod,
    Match,
    MatchStatus,
    MatchStep,
    Opening,
    Referral,
)
from ancrage.access.priority import describe_factor, describe_value, rank_explanations
from ancrage.access.views_history import evidence_in_words
from ancrage.core import audit, clock
from ancrage.core.api_types import Date, DateTime, Id, Pagination, Text, errors, text_field
from ancrage.core.counting import count_for_a_while
from ancrage.core.permissions import check_permission, check_record_permission
from ancrage.organisations.models import Organisation
from ancrage.people.selectors import participants_visible_to

router = Router(tags=["coordinated access"])


class Mapped:
    """A queryset seen through a function, for @paginate: only the page's rows are built, one query."""

    def __init__(self, queryset: QuerySet, fn: Callable[[Any], Any]):
        self.queryset, self.fn = queryset, fn

    def all(self) -> Mapped:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, key: slice) -> list[Any]:
        return [self.fn(row) for row in self.queryset[key]]


def _visible_participant(user, pk: int):
    """The participant's file, if the user may open it; 404 otherwise."""
    participant = participants_visible_to(user).filter(pk=pk).first()
    if participant is None:
        raise Http404
    return participant


# --- schemas ---------------------------------------------------------------------------------------------


class ReferralOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    participant_id: int | None
    program_id: int | None
    person_name: str
    person_description: str
    source_kind: str
    source_name: str
    reason: str
    referred_at: datetime.datetime
    status: str
    status_label: str

    @staticmethod
    def of(r: Referral) -> ReferralOut:
        return ReferralOut(
            id=r.pk,
            organisation_id=r.organisation_id,
            organisation_name=r.organisation.name,
            participant_id=r.participant_id,
            program_id=r.program_id,
            person_name=r.person_name,
            person_description=r.person_description,
            source_kind=r.source_kind,
            source_name=r.source_name,
            reason=r.reason,
            referred_at=r.referred_at,
            status=r.status,
            status_label=str(r.get_status_display()),
        )


class ReferralIn(Schema):
    organisation_id: Id | None = Field(None, description="Defaults to the caller's main organisation.")
    person_name: Text = text_field(Referral, "person_name", "")
    person_description: Text = text_field(Referral, "person_description", "")
    source_kind: Text = text_field(Referral, "source_kind")
    source_name: Text = text_field(Referral, "source_name", "")
    reason: Text = text_field(Referral, "reason")
    participant_id: Id | None = None
    referred_at: DateTime | None = None
    program_id: Id | None = Field(None, description="The Housing First program asked for, if any.")


class IntakeIn(Schema):
    participant_id: Id


class IntakeOut(Schema):
    id: int
    referral_id: int
    participant_id: int
    consent_id: int
    started_at: datetime.datetime
    done_at: datetime.datetime | None
    referral_status: str

    @staticmethod
    def of(i: Intake) -> IntakeOut:
        return IntakeOut(
            id=i.pk,
            referral_id=i.referral_id,
            participant_id=i.participant_id,
            consent_id=i.consent_id,
            started_at=i.started_at,
            done_at=i.done_at,
            referral_status=i.referral.status,
        )


class FactorOut(Schema):
    factor: str
    label: str
    value: Any = None
    value_text: str
    weight: float
    points: float


class EntryOut(Schema):
    participant_id: int
    community_id: str
    display_name: str
    organisation_id: int
    status: str
    status_label: str
    entered_on: datetime.date
    last_contact_on: datetime.date | None
    reference_worker_id: int | None
    reference_worker_name: str
    needs_conference_reason: str
    is_chronic: bool
    homeless_days_past_year: int
    homeless_days_past_three_years: int
    # What the days and the chronic status were counted from, in the caller's language.
    chronic_evidence: list[str]
    acuity_score: float | None
    acuity_band: str
    needs_conference: bool
    rank: int | None
    score: float | None
    policy_version: int | None
    explanation: list[FactorOut]

    @staticmethod
    def of(e: ByNameEntry) -> EntryOut:
        p = e.participant
        return EntryOut(
            participant_id=p.pk,
            community_id=p.community_id,
            display_name=p.display_name,
            organisation_id=p.organisation_id,
            status=e.status,
            status_label=str(e.get_status_display()),
            entered_on=e.entered_on,
            last_contact_on=e.last_contact_on,
            reference_worker_id=e.reference_worker_id,
            reference_worker_name=e.reference_worker.display_name if e.reference_worker is not None else "",
            needs_conference_reason=e.conference_reason_display,
            is_chronic=e.is_chronic,
            homeless_days_past_year=e.homeless_days_past_year,
            homeless_days_past_three_years=e.homeless_days_past_three_years,
            chronic_evidence=evidence_in_words(e.chronic_evidence),
            acuity_score=e.acuity_score,
            acuity_band=e.acuity_band,
            needs_conference=e.needs_conference,
            rank=e.priority_rank,
            score=e.priority_score,
            policy_version=e.priority_policy.version if e.priority_policy is not None else None,
            explanation=[
                FactorOut(
                    factor=item["factor"],
                    label=describe_factor(item),
                    value=item.get("value"),
                    value_text=describe_value(item),
                    weight=item.get("weight", 0),
                    points=item.get("points", 0),
                )
                for item in (
                    e.rank_explanation
                    if hasattr(e, "rank_explanation")
                    else rank_explanations([e]).get(e.pk, [])
                )
            ],
        )


class MatchStepOut(Schema):
    from_status: str
    to_status: str
    at: datetime.datetime
    by: str
    reason: str


class MatchOut(Schema):
    id: int
    opening_id: int
    opening: str
    program_id: int | None
    unit_id: int | None
    participant_id: int
    display_name: str
    status: str
    status_label: str
    proposed_at: datetime.datetime
    last_step_at: datetime.datetime
    rank_at_proposal: int | None
    score_at_proposal: float | None
    policy_version: int | None

    @staticmethod
    def fields_of(m: Match) -> dict[str, Any]:
        return {
            "id": m.pk,
            "opening_id": m.opening_id,
            "opening": str(m.opening),
            "program_id": m.opening.program_id,
            "unit_id": m.opening.unit_id,
            "participant_id": m.participant_id,
            "display_name": m.participant.display_name,
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "proposed_at": m.proposed_at,
            "last_step_at": m.last_step_at,
            "rank_at_proposal": m.rank_at_proposal,
            "score_at_proposal": m.score_at_proposal,
            "policy_version": m.policy.version if m.policy is not None else None,
        }

    @staticmethod
    def of(m: Match) -> MatchOut:
        return MatchOut(**MatchOut.fields_of(m))


class MatchDetailOut(MatchOut):
    reasons: list[str]
    decline_reason: str
    transferred_at: datetime.datetime | None
    shared_categories: list[str]
    next_statuses: list[str]
    steps: list[MatchStepOut]


class MatchStepIn(Schema):
    to_status: Text = text_field(MatchStep, "to_status")
    expected_status: Text = text_field(MatchStep, "to_status", description="The status the caller last saw.")
    reason: Text = text_field(MatchStep, "reason", "")


class ProposeIn(Schema):
    participant_id: Id
    reason: Text = text_field(
        MatchStep,
        "reason",
        "",
        description="Required when an eligible person ranked higher is passed over; kept with the match.",
    )


class RunOut(Schema):
    proposed: int = Field(..., description="Every match the run proposed, including files you may not open.")
    matches: list[MatchOut]


# --- reasons in words ------------------------------------------------------------------------------------


def reason_sentence(reason: dict[str, Any]) -> str:
    """One stored reason of a match, in a sentence in the caller's language."""
    if reason.get("kind") == "passed_over":
        return _("%(count)s people ranked higher were passed over for this opening.") % {
            "count": len(reason.get("people") or [])
        }
    try:
        return describe_reason(reason)
    except (KeyError, TypeError):
        return ""


# --- referrals and intake --------------------------------------------------------------------------------


def _referrals(user) -> QuerySet[Referral]:
    return Referral.objects.filter(organisation_id__in=user.organisation_ids).select_related("organisation")


def _referral(request, referral_pk: int) -> Referral:
    referral = _referrals(request.user).filter(pk=referral_pk).first()
    if referral is None:
        raise Http404
    check_record_permission(request.user, "access.manage_referrals")
    return referral


@router.get(
    "referrals",
    response={200: list[ReferralOut], **errors(401, 403, 422)},
    summary="Referrals received by your organisations",
)
@paginate(Pagination, page_size=25)
def list_referrals(request, status: str = ""):
    check_permission(request.user, "access.manage_referrals")
    qs = _referrals(request.user).order_by("-referred_at", "-id")
    if status in Referral.Status.values:
        qs = qs.filter(status=status)
    return Mapped(qs, ReferralOut.of)


@router.post("referrals", response={201: ReferralOut, **errors()}, summary="Record a referral")
def create_referral(request, payload: ReferralIn):
    check_permission(request.user, "access.manage_referrals")
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(
            pk=payload.organisation_id, pk__in=request.user.organisation_ids, is_active=True
        ).first()
        if organisation is None:
            raise Http404
    participant = (
        _visible_participant(request.user, payload.participant_id) if payload.participant_id else None
    )
    program = None
    if payload.program_id is not None:
        from ancrage.organisations.models import Program

        program = Program.objects.filter(pk=payload.program_id).first()
        if program is None:
            raise ValidationError({"program_id": [_("Choose an active Housing First program (ICM or ACT).")]})
    referral = services.referral_create(
        actor=request.user,
        organisation=organisation,
        participant=participant,
        program=program,
        person_name=payload.person_name,
        person_description=payload.person_description,
        source_kind=payload.source_kind,
        source_name=payload.source_name,
        reason=payload.reason,
        referred_at=payload.referred_at,
    )
    return Status(201, ReferralOut.of(_referrals(request.user).get(pk=referral.pk)))


@router.get("referrals/{referral_pk}", response={200: ReferralOut, **errors()}, summary="One referral")
def get_referral(request, referral_pk: int):
    referral = _referral(request, referral_pk)
    selectors.record_referral_read(request.user, referral)
    return ReferralOut.of(referral)


@router.post(
    "referrals/{referral_pk}/intake",
    response={201: IntakeOut, **errors()},
    summary="Start the intake of a referral with the person's file",
)
def start_intake(request, referral_pk: int, payload: IntakeIn):
    referral = _referral(request, referral_pk)
    participant = _visible_participant(request.user, payload.participant_id)
    intake = services.intake_start(actor=request.user, referral=referral, participant=participant)
    return Status(201, IntakeOut.of(Intake.objects.select_related("referral").get(pk=intake.pk)))


class IntakeCompleteIn(Schema):
    # With a reference worker, the person is put on the by-name list (or back on it) with that worker.
    reference_worker_id: Id | None = None
    entered_on: Date | None = None
    backdate_reason: Text = Field(
        "", max_length=300, description="Required when entered_on is more than BY_NAME_BACKDATE_DAYS ago."
    )


@router.post(
    "intakes/{intake_pk}/complete", response={200: IntakeOut, **errors()}, summary="Complete an intake"
)
def complete_intake(request, intake_pk: int, payload: IntakeCompleteIn | None = None):
    intake = (
        Intake.objects.filter(pk=intake_pk, referral__organisation_id__in=request.user.organisation_ids)
        .select_related("referral")
        .first()
    )
    if intake is None or not participants_visible_to(request.user).filter(pk=intake.participant_id).exists():
        raise Http404
    check_record_permission(request.user, "access.manage_referrals")
    worker = None
    if payload is not None and payload.reference_worker_id is not None:
        from ancrage.accounts.models import User

        worker = User.objects.filter(
            pk=payload.reference_worker_id,
            is_active=True,
            memberships__organisation_id__in=[
                intake.participant.organisation_id,
                *request.user.organisation_ids,
            ],
        ).first()
        if worker is None:
            raise ValidationError(
                {"reference_worker_id": [_("Choose a worker of the participant's organisation or yours.")]}
            )
    services.intake_complete(
        actor=request.user,
        intake=intake,
        reference_worker=worker,
        entered_on=payload.entered_on if payload is not None else None,
        backdate_reason=payload.backdate_reason if payload is not None else "",
    )
    return IntakeOut.of(Intake.objects.select_related("referral").get(pk=intake.pk))


# --- the by-name list ------------------------------------------------------------------------------------


@router.get(
    "by-name-list",
    response={200: list[EntryOut], **errors(401, 403, 422)},
    summary="The by-name list, with each person's rank and why (sort: rank, name, entered_on, status, ...)",
)
@paginate(Pagination, page_size=25)
def list_by_name(request, status: str = "", chronic: bool | None = None, sort: str = "entered_on"):
    check_permission(request.user, "access.view_by_name_list")
    if status and status not in ByNameStatus.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"status": [_("Unknown value.")]})
    qs = selectors.by_name_list_for_user(
        request.user, status=status or None, chronic=chronic, sort=sort, walk=True
    )
    if sort == "rank":
        qs = qs.order_by(F("priority_rank").asc(nulls_last=True), "id")
    return audit.PageReads(
        _Explained(qs.select_related("priority_policy"), request.user),
        actor=request.user,
        action="access.by_name_list.listed",
        fn=EntryOut.of,
    )


class _Explained:
    """A list's queryset whose page, once cut, gets each row's rank explanation in one query."""

    def __init__(self, queryset, user):
        self.queryset = queryset
        self.user = user

    def count(self) -> int:
        # Every row the user may see, counted once a minute at most (issue 16): not on every page asked.
        return count_for_a_while(self.queryset, user=self.user)

    def __getitem__(self, key: slice) -> list[ByNameEntry]:
        rows = list(self.queryset[key])
        explained = rank_explanations(rows)
        for row in rows:
            row.rank_explanation = explained.get(row.pk, [])
        return rows


@router.get(
    "by-name-list/{pk}",
    response={200: EntryOut, **errors()},
    summary="One person's entry on the by-name list",
)
def get_by_name_entry(request, pk: int):
    _visible_participant(request.user, pk)
    check_record_permission(request.user, "access.view_by_name_list")
    return EntryOut.of(selectors.by_name_entry_get_for_user(request.user, pk))


# --- matches ---------------------------------------------------------------------------------------------


def _match(request, match_pk: int, perm: str) -> Match:
    participant_id = Match.objects.filter(pk=match_pk).values_list("participant_id", flat=True).first()
    if participant_id is None:
        raise Http404
    _visible_participant(request.user, participant_id)
    check_record_permission(request.user, perm)
    match = selectors.matches_for_user(request.user).filter(pk=match_pk).first()
    if match is None:
        raise Http404
    return match


def _match_detail(m: Match) -> MatchDetailOut:
    steps = m.steps.select_related("by").order_by("at", "id")
    return MatchDetailOut(
        **MatchOut.fields_of(m),
        reasons=[s for s in (reason_sentence(r) for r in m.reasons or []) if s],
        decline_reason=m.decline_reason,
        transferred_at=m.transferred_at,
        shared_categories=list(m.shared_categories or []),
        next_statuses=list(services.MATCH_NEXT.get(m.status, ())),
        steps=[
            MatchStepOut(
                from_status=s.from_status,
                to_status=s.to_status,
                at=s.at,
                by=s.by.display_name if s.by else "",
                reason=s.reason,
            )
            for s in steps
        ],
    )


@router.get(
    "matches",
    response={200: list[MatchOut], **errors(401, 403, 422)},
    summary="Matches of the people you may see",
)
@paginate(Pagination, page_size=25)
def list_matches(request, status: str = ""):
    check_permission(request.user, "access.manage_matches")
    qs = selectors.matches_for_user(request.user).order_by("-proposed_at", "-id")
    if status:
        if status not in MatchStatus.values:
            from django.core.exceptions import ValidationError

            raise ValidationError({"status": [_("Unknown value.")]})
        qs = qs.filter(status=status)
    return Mapped(qs, MatchOut.of)


@router.get(
    "matches/{match_pk}",
    response={200: MatchDetailOut, **errors()},
    summary="One match, its reasons and its steps",
)
def get_match(request, match_pk: int):
    match = _match(request, match_pk, "access.manage_matches")
    # The match carries triage information: reading it is logged, as on the page.
    audit.record_read(
        actor=request.user, participant=match.participant, what="access.match.viewed", obj=match
    )
    return _match_detail(match)


@router.post(
    "matches/{match_pk}/step",
    response={200: MatchDetailOut, **errors()},
    summary="Move a match one step on (422 if someone else moved it since expected_status)",
)
def step_match(request, match_pk: int, payload: MatchStepIn):
    match = _match(request, match_pk, "access.manage_matches")
    services.match_step(
        actor=request.user,
        match=match,
        to_status=payload.to_status,
        expected_status=payload.expected_status,
        reason=payload.reason,
    )
    return _match_detail(selectors.matches_for_user(request.user).get(pk=match.pk))


@router.post(
    "openings/{opening_pk}/propose",
    response={201: MatchDetailOut, **errors()},
    summary="Propose one person for an opening, by hand",
)
def propose_for_opening(request, opening_pk: int, payload: ProposeIn):
    opening = Opening.objects.filter(pk=opening_pk).first()
    if opening is None:
        raise Http404
    _visible_participant(request.user, payload.participant_id)
    check_permission(request.user, "access.manage_matches")
    entry = (
        selectors.by_name_list_for_user(request.user).filter(participant_id=payload.participant_id).first()
    )
    if entry is None:
        raise Http404
    match = services.match_propose(actor=request.user, opening=opening, entry=entry, reason=payload.reason)
    return Status(201, _match_detail(selectors.matches_for_user(request.user).get(pk=match.pk)))


@router.post(
    "matching/run",
    response={200: RunOut, **errors(401, 403)},
    summary="Propose the best people for every open opening",
)
def run_matching(request):
    check_permission(request.user, "access.manage_matches")
    created = services.matching_run(actor=request.user)
    visible = selectors.matches_for_user(request.user).filter(pk__in=[m.pk for m in created]).order_by("id")
    return RunOut(proposed=len(created), matches=[MatchOut.of(m) for m in visible])


# --- homelessness history (A4, A5) -----------------------------------------------------------------------


class HistoryOut(Schema):
    id: int
    reported_on: datetime.date
    source: str
    living_situation: str
    prior_living_situation: str
    prior_length_of_stay: str
    previous_street_or_shelter: str
    episode_started_on: datetime.date | None
    times_homeless_past_three_years: str
    months_homeless_past_three_years: int | None
    months_homeless_missing: str
    intake_id: int | None
    recorded_at: datetime.datetime


class StayOut(Schema):
    id: int
    kind: str
    situation: str
    source: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class HomelessnessHistoryOut(Schema):
    participant_id: int
    is_chronic: bool
    computed_on: datetime.date
    homeless_days_past_year: int
    homeless_days_past_three_years: int
    threshold_past_year: int
    threshold_past_three_years: int
    evidence: list[str]
    histories: list[HistoryOut]
    stays: list[StayOut]


class HistoryIn(Schema):
    reported_on: Date
    source: Text = text_field(HomelessnessHistory, "source")
    living_situation: Text = text_field(HomelessnessHistory, "living_situation")
    prior_living_situation: Text = text_field(HomelessnessHistory, "prior_living_situation", "not_collected")
    prior_length_of_stay: Text = text_field(HomelessnessHistory, "prior_length_of_stay", "not_collected")
    previous_street_or_shelter: Text = text_field(
        HomelessnessHistory, "previous_street_or_shelter", "not_collected"
    )
    episode_started_on: Date | None = None
    times_homeless_past_three_years: Text = text_field(
        HomelessnessHistory, "times_homeless_past_three_years", "not_collected"
    )
    months_homeless_past_three_years: int | None = Field(None, ge=0, le=36)
    months_homeless_missing: Text = text_field(HomelessnessHistory, "months_homeless_missing", "")
    intake_id: Id | None = Field(None, description="The intake this history was taken at, if any.")


class StayIn(Schema):
    situation: Text = text_field(LivingSituationPeriod, "situation")
    source: Text = text_field(LivingSituationPeriod, "source")
    starts_on: Date
    ends_on: Date | None = Field(None, description="The last night, included; defaults to `starts_on`.")


def _history_out(participant) -> HomelessnessHistoryOut:
    histories, stays = selectors.homelessness_history_of(participant)
    verdict = chronic_from_history(stays, histories, on=clock.today())
    return HomelessnessHistoryOut(
        participant_id=participant.pk,
        is_chronic=verdict.is_chronic,
        computed_on=verdict.on,
        homeless_days_past_year=verdict.days_past_year,
        homeless_days_past_three_years=verdict.days_past_three_years,
        threshold_past_year=verdict.threshold_past_year,
        threshold_past_three_years=verdict.threshold_past_three_years,
        evidence=evidence_in_words(list(verdict.evidence)),
        histories=[
            HistoryOut(
                id=h.pk,
                intake_id=h.intake_id,
                recorded_at=h.recorded_at,
                **{name: getattr(h, name) for name in services.HISTORY_FIELDS},
            )
            for h in histories
        ],
        stays=[
            StayOut(
                id=s.pk,
                kind=s.kind,
                situation=s.situation,
                source=s.source,
                starts_on=s.starts_on,
                ends_on=s.ends_on,
            )
            for s in stays
        ],
    )


def _may_record_history(user) -> None:
    if not (
        user.has_ancrage_perm("access.manage_referrals")
        or user.has_ancrage_perm("access.manage_by_name_list")
    ):
        check_record_permission(user, "access.manage_by_name_list")


@router.get(
    "participants/{pk}/homelessness-history",
    response={200: HomelessnessHistoryOut, **errors()},
    summary="A person's homelessness history, and the chronic status computed from it with its evidence",
)
def get_homelessness_history(request, pk: int):
    participant = selectors.homelessness_history_participant_for_user(request.user, pk)
    check_record_permission(request.user, "access.view_by_name_list")
    return _history_out(participant)


@router.post(
    "participants/{pk}/homelessness-history",
    response={201: HomelessnessHistoryOut, **errors()},
    summary="Record a person's homelessness history (HMIS 3.917), at intake or later",
)
def record_homelessness_history(request, pk: int, payload: HistoryIn):
    participant = selectors.homelessness_history_participant_for_user(request.user, pk)
    _may_record_history(request.user)
    values = payload.dict()
    intake_id = values.pop("intake_id")
    intake = None
    if intake_id is not None:
        intake = Intake.objects.filter(
            pk=intake_id, participant=participant, referral__organisation_id__in=request.user.organisation_ids
        ).first()
        if intake is None:
            raise ValidationError({"intake_id": [_("This intake is about another person.")]})
    services.homelessness_history_record(actor=request.user, participant=participant, intake=intake, **values)
    return Status(201, _history_out(participant))


@router.post(
    "participants/{pk}/homelessness-history/stays",
    response={201: HomelessnessHistoryOut, **errors()},
    summary="Add a stay or a sighting (a shelter night, a street outreach contact) to a person's history",
)
def record_stay(request, pk: int, payload: StayIn):
    participant = selectors.homelessness_history_participant_for_user(request.user, pk)
    _may_record_history(request.user)
    services.living_situation_record(
        actor=request.user,
        participant=participant,
        situation=payload.situation,
        source=payload.source,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on or payload.starts_on,
    )
    return Status(201, _history_out(participant))
