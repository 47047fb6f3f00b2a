"""Prioritisation, eligibility and matching: the rules of A2, A5 and A6 end to end through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ancrage.access import services
from ancrage.access.models import ByNameEntry, ByNameStatus, Match, MatchStatus, Opening, PriorityPolicy
from ancrage.access.priority import rank_explanations
from ancrage.access.tests.factories import TEST_POLICY, consent_for_access, make_entry
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing.models import Unit
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member

# A blank first line: the line numbers in the error test below count it.
POLICY = "\n" + TEST_POLICY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English here; the pages' tests check French."""
    with translation.override("en"):
        yield


def _entry(actor, org, days_ago, acuity, **profile):
    today = clock.today()
    entry = make_entry(
        actor,
        org,
        entered_on=today - datetime.timedelta(days=days_ago),
        date_of_birth=datetime.date(1970, 1, 1),
    )
    entry.acuity_score = acuity
    entry.acuity_max = 25
    entry.acuity_band = "housing_first_icm" if acuity >= 12 else "rapid_rehousing"
    for key, value in profile.items():
        setattr(entry, key, value)
    entry.save()
    return entry


def _policy(actor, text=POLICY):
    policy = services.policy_draft_create(actor=actor, text=text)
    return services.policy_activate(actor=actor, policy=policy, reason="Adoptée par le comité")


def test_ranks_explain_themselves(case_manager_a, org_a):
    low = _entry(case_manager_a, org_a, 100, 8)
    high = _entry(case_manager_a, org_a, 10, 20)
    tie_old = _entry(case_manager_a, org_a, 50, 14)
    tie_new = _entry(case_manager_a, org_a, 5, 14)
    policy = _policy(case_manager_a)
    ranks = {
        e.pk: e.priority_rank
        for e in [low, high, tie_old, tie_new]
        for e in [e.__class__.objects.get(pk=e.pk)]
    }
    assert ranks == {high.pk: 1, tie_old.pk: 2, tie_new.pk: 3, low.pk: 4}
    high.refresh_from_db()
    assert high.priority_policy == policy
    acuity = rank_explanations([high])[high.pk][0]
    assert acuity["factor"] == "acuity_score"
    assert acuity["value"] == 20
    assert acuity["weight"] == 40
    assert acuity["points"] == pytest.approx(32.0)
    assert AuditEntry.objects.filter(action="access.policy.activated").count() == 1


def test_policy_file_errors_name_line_and_field(case_manager_a):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.policy_draft_create(actor=case_manager_a, text=POLICY.replace("chronic", "astrology"))
    message = " ".join(error.value.messages)
    assert "Line 7" in message
    assert "factors[1].factor" in message
    assert "astrology" in message
    assert not PriorityPolicy.objects.exists()


def test_preview_says_who_moves(case_manager_a, org_a):
    a = _entry(case_manager_a, org_a, 300, 6, is_chronic=True)
    b = _entry(case_manager_a, org_a, 10, 20)
    _policy(case_manager_a)
    draft = services.policy_draft_create(
        actor=case_manager_a, text=POLICY.replace("weight: 20", "weight: 60")
    )
    moves = {m.entry_id: m for m in services.policy_preview(draft)}
    assert moves[a.pk].old_rank == 2
    assert moves[a.pk].new_rank == 1
    assert moves[a.pk].change == 1
    assert moves[b.pk].change == -1
    a.refresh_from_db()
    assert a.priority_rank == 2  # a preview writes nothing


def test_matching_serves_highest_priorities_and_respects_choice(
    case_manager_a, org_a, housing_specialist, shared_org
):
    program = ProgramFactory(
        organisation=org_a,
        kind=Program.Kind.ICM,
        eligibility=[
            {"criterion": "age", "rule": "must", "min": 18},
        ],
    )
    first = _entry(case_manager_a, org_a, 10, 22, preferred_neighbourhoods=["Verdun"])
    second = _entry(case_manager_a, org_a, 10, 18, accessibility_needs=["elevator"])
    third = _entry(case_manager_a, org_a, 10, 15)
    _policy(case_manager_a)
    unit = Unit.objects.create(
        organisation=shared_org,
        address="1 rue Test",
        neighbourhood="Verdun",
        kind="scattered_site",
        monthly_rent=800,
        available_from=clock.today(),
        added_by=housing_specialist,
    )
    slots = services.openings_create(actor=case_manager_a, program=program, count=1)
    unit_opening = services.openings_create(actor=housing_specialist, unit=unit)[0]
    # The slot comes first and is free, so `first` takes it; `second` cannot live in this unit (no
    # elevator), so a greedy run would leave them out and propose `third`. The engine moves `first` to the
    # unit in the neighbourhood they chose, and `second` gets the slot: the two highest priorities served.
    matches = services.matching_run(actor=case_manager_a)
    given = {m.opening_id: m.entry_id for m in matches}
    assert given == {slots[0].pk: second.pk, unit_opening.pk: first.pk}
    unit.refresh_from_db()
    assert unit.status == Unit.Status.RESERVED
    assert third.pk not in given.values()


def test_match_steps_decline_and_transfer(case_manager_a, org_a, case_manager_b, org_b):
    program = ProgramFactory(organisation=org_b, kind=Program.Kind.ICM)
    entry = _entry(case_manager_a, org_a, 10, 20)
    _policy(case_manager_a)
    opening = services.openings_create(actor=case_manager_b, program=program)[0]
    match = services.match_propose(actor=case_manager_a, opening=opening, entry=entry)
    with pytest.raises(ValidationError):
        services.match_propose(actor=case_manager_a, opening=opening, entry=entry)
    services.match_step(
        actor=case_manager_a, match=match, to_status=MatchStatus.CONTACTED, expected_status="proposed"
    )
    # A second worker who saw "proposed" is told, and nothing changes.
    with pytest.raises(ValidationError, match="Someone else"):
        services.match_step(
            actor=case_manager_b, match=match, to_status=MatchStatus.CONTACTED, expected_status="proposed"
        )
    services.match_step(
        actor=case_manager_a, match=match, to_status=MatchStatus.PERSON_ACCEPTED, expected_status="contacted"
    )
    services.match_step(
        actor=case_manager_b,
        match=match,
        to_status=MatchStatus.PROVIDER_ACCEPTED,
        expected_status="person_accepted",
    )
    with pytest.raises(ValidationError, match="consent"):
        services.match_step(
            actor=case_manager_b,
            match=match,
            to_status=MatchStatus.TRANSFERRED,
            expected_status="provider_accepted",
        )
    consent_for_access(case_manager_a, entry.participant, [org_b])
    services.match_step(
        actor=case_manager_b,
        match=match,
        to_status=MatchStatus.TRANSFERRED,
        expected_status="provider_accepted",
    )
    match.refresh_from_db()
    opening.refresh_from_db()
    assert match.status == MatchStatus.TRANSFERRED
    assert opening.status == Opening.Status.FILLED
    assert match.shared_categories == ["identity", "coordinated_access"]
    assert list(match.steps.values_list("to_status", flat=True)) == [
        "proposed",
        "contacted",
        "person_accepted",
        "provider_accepted",
        "transferred",
    ]


def test_declines_keep_priority_and_flag_for_conference(case_manager_a, org_a, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "MATCH_DECLINES_BEFORE_CONFERENCE": 2}
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    entry = _entry(case_manager_a, org_a, 10, 20)
    _policy(case_manager_a)
    entry.refresh_from_db()
    rank = entry.priority_rank
    for _i in range(2):
        opening = services.openings_create(actor=case_manager_a, program=program)[0]
        match = services.match_propose(actor=case_manager_a, opening=opening, entry=entry)
        with pytest.raises(ValidationError):
            services.match_step(
                actor=case_manager_a,
                match=match,
                to_status=MatchStatus.PERSON_DECLINED,
                expected_status="proposed",
            )
        services.match_step(
            actor=case_manager_a,
            match=match,
            to_status=MatchStatus.PERSON_DECLINED,
            expected_status="proposed",
            reason="Préfère rester près de sa sœur",
        )
        opening.refresh_from_db()
        assert opening.status == Opening.Status.OPEN
    entry.refresh_from_db()
    assert entry.priority_rank == rank
    assert entry.status == ByNameStatus.ACTIVE
    assert entry.needs_conference
    assert "2" in entry.needs_conference_reason
    # A declined person is not proposed again for the opening they declined.
    assert services.matching_run(actor=case_manager_a) == []


def test_stalled_match_alerts_once_and_only_those_who_can_act(case_manager_a, org_a):
    lead = member(org_a, Role.TEAM_LEAD, username="lead")
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    # The case manager is the reference worker, but cannot open matches: only the team lead is told.
    entry = _entry(case_manager_a, org_a, 10, 20)
    opening = services.openings_create(actor=lead, program=program)[0]
    match = services.match_propose(actor=lead, opening=opening, entry=entry)
    later = clock.now() + datetime.timedelta(days=6)
    assert services.matches_alert_stalled(now=later) == 1
    assert services.matches_alert_stalled(now=later) == 0
    alert = Alert.objects.get(kind="access.match.stalled")
    assert alert.recipient == lead
    assert alert.url == f"/access/matches/{match.pk}/"
    services.match_step(actor=lead, match=match, to_status=MatchStatus.CONTACTED, expected_status="proposed")
    assert not Alert.objects.filter(resolved_at__isnull=True).exists()
    assert Match.objects.get(pk=match.pk).stalled_alert_at is None


def test_leaving_the_list_withdraws_the_match_and_frees_the_opening(case_manager_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    entry = _entry(case_manager_a, org_a, 10, 20)
    opening = services.openings_create(actor=case_manager_a, program=program)[0]
    match = services.match_propose(actor=case_manager_a, opening=opening, entry=entry)
    services.by_name_status_change(
        actor=case_manager_a, entry=entry, status="moved_away", reason="Parti à Québec"
    )
    match.refresh_from_db()
    opening.refresh_from_db()
    assert match.status == MatchStatus.WITHDRAWN
    assert "moved away" in match.decline_reason.lower()
    assert opening.status == Opening.Status.OPEN


def test_declining_a_program_counts_for_its_other_slots_until_the_person_returns(case_manager_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    entry = _entry(case_manager_a, org_a, 10, 20)
    _policy(case_manager_a)
    first, _second = services.openings_create(actor=case_manager_a, program=program, count=2)
    match = services.match_propose(actor=case_manager_a, opening=first, entry=entry)
    services.match_step(
        actor=case_manager_a,
        match=match,
        to_status=MatchStatus.PERSON_DECLINED,
        expected_status="proposed",
        reason="Pas ce programme",
    )
    # Both slots of that program are the same offer: nobody to propose.
    assert services.matching_run(actor=case_manager_a) == []
    # Housed, then back on the list: the old decline no longer counts.
    yesterday = clock.today() - datetime.timedelta(days=1)
    entry.refresh_from_db()
    ByNameEntry.objects.filter(pk=entry.pk).update(status_since=yesterday - datetime.timedelta(days=1))
    Match.objects.filter(pk=match.pk).update(last_step_at=clock.now() - datetime.timedelta(days=3))
    services.by_name_status_change(
        actor=case_manager_a, entry=entry, status="housed", reason="Logé", on=yesterday
    )
    services.by_name_status_change(actor=case_manager_a, entry=entry, status="active", reason="Expulsé")
    assert [m.entry_id for m in services.matching_run(actor=case_manager_a)] == [entry.pk]


def test_a_person_transferred_to_a_program_is_not_proposed_another_slot(case_manager_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    entry = _entry(case_manager_a, org_a, 10, 20)
    opening = services.openings_create(actor=case_manager_a, program=program)[0]
    match = services.match_propose(actor=case_manager_a, opening=opening, entry=entry)
    for before, after in [
        ("proposed", MatchStatus.CONTACTED),
        ("contacted", MatchStatus.PERSON_ACCEPTED),
        ("person_accepted", MatchStatus.PROVIDER_ACCEPTED),
        ("provider_accepted", MatchStatus.TRANSFERRED),
    ]:
        services.match_step(actor=case_manager_a, match=match, to_status=after, expected_status=before)
    services.openings_create(actor=case_manager_a, program=program)
    assert services.matching_run(actor=case_manager_a) == []


def test_merged_files_are_not_ranked_or_proposed(case_manager_a, org_a):
    from ancrage.people import services as people_services

    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    kept = _entry(case_manager_a, org_a, 10, 10)
    duplicate = _entry(case_manager_a, org_a, 10, 20)
    manager = member(org_a, Role.PROGRAM_MANAGER, username="pm")
    people_services.participant_merge(actor=manager, kept=kept.participant, merged=duplicate.participant)
    _policy(case_manager_a)
    duplicate.refresh_from_db()
    assert duplicate.priority_rank is None
    services.openings_create(actor=case_manager_a, program=program)
    assert [m.entry_id for m in services.matching_run(actor=case_manager_a)] == [kept.pk]


def test_triage_and_profile_changes_rerank_once_committed(
    case_manager_a, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _entry(case_manager_a, org_a, 10, 20)
        second = _entry(case_manager_a, org_a, 10, 10)
    _policy(case_manager_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.by_name_profile_update(actor=case_manager_a, entry=second, flags=["medical_vulnerability"])
        services.by_name_profile_update(actor=case_manager_a, entry=second, household_type="couple")
    assert len(callbacks) == 1
    second.refresh_from_db()
    assert second.flags == ["medical_vulnerability"]
    assert second.household_type == "couple"
    with django_capture_on_commit_callbacks(execute=True):
        second.acuity_score = 25
        second.save()
        services.by_name_profile_update(actor=case_manager_a, entry=second, flags=[])
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.priority_rank, first.priority_rank) == (1, 2)


def test_profile_bad_values_change_nothing(case_manager_a, org_a):
    entry = _entry(case_manager_a, org_a, 10, 20)
    with pytest.raises(ValidationError) as error:
        services.by_name_profile_update(
            actor=case_manager_a, entry=entry, flags=["lucky"], household_type="tribe"
        )
    assert set(error.value.message_dict) == {"flags", "household_type"}
    entry.refresh_from_db()
    assert entry.flags == []
    assert entry.household_type == "single"


def test_opening_on_a_taken_unit_is_refused(case_manager_a, org_a, housing_specialist, shared_org):
    entry = _entry(case_manager_a, org_a, 10, 20)
    unit = Unit.objects.create(
        organisation=shared_org,
        address="2 rue Test",
        neighbourhood="Verdun",
        kind="scattered_site",
        monthly_rent=800,
        available_from=clock.today(),
        added_by=housing_specialist,
    )
    opening = services.openings_create(actor=housing_specialist, unit=unit)[0]
    with pytest.raises(ValidationError, match="already has an opening"):
        services.openings_create(actor=housing_specialist, unit=unit)
    services.match_propose(actor=case_manager_a, opening=opening, entry=entry)
    with pytest.raises(ValidationError, match="not available"):
        services.openings_create(actor=housing_specialist, unit=unit)
    other = _entry(case_manager_a, org_a, 10, 20)
    with pytest.raises(ValidationError, match="already taken"):
        services.match_propose(actor=case_manager_a, opening=opening, entry=other)


def test_going_inactive_for_lack_of_contact_withdraws_the_match(case_manager_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    entry = _entry(case_manager_a, org_a, 200, 20)
    ByNameEntry.objects.filter(pk=entry.pk).update(
        last_contact_on=clock.today() - datetime.timedelta(days=120)
    )
    opening = services.openings_create(actor=case_manager_a, program=program)[0]
    match = services.match_propose(actor=case_manager_a, opening=opening, entry=entry)
    assert services.by_name_mark_inactive_without_contact() == 1
    match.refresh_from_db()
    opening.refresh_from_db()
    assert match.status == MatchStatus.WITHDRAWN
    assert opening.status == Opening.Status.OPEN
