"""The background jobs at scale (issue 16, part 2): the chronic refresh, the ranks and the matching run give
the same results as the functions they replaced (kept here as oracles), write only what changed, and run in
a number of statements that does not grow with the list."""

from __future__ import annotations

import dataclasses
import datetime
import random

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ancrage.access import services
from ancrage.access.chronic import chronic_from_history
from ancrage.access.eligibility import FACT_FIELDS, Facts, facts_from_row
from ancrage.access.models import (
    ByNameEntry,
    HomelessnessHistory,
    LivingSituation,
    LivingSituationPeriod,
    Match,
    MatchStep,
    Opening,
    PersonFlag,
    PriorityPolicy,
)
from ancrage.access.priority import FACTORS, rank, rank_explanations, rank_scores, validate_policy
from ancrage.access.selectors import _with_history, active_policy, matching_plan, open_openings
from ancrage.access.services.matching import _match_create
from ancrage.access.tests.factories import make_entry
from ancrage.core import audit, clock
from ancrage.core.models import AuditEntry
from ancrage.housing.models import Unit
from ancrage.organisations.models import Program
from ancrage.people.models import Participant
from ancrage.people.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
# Mid-afternoon in Montréal, so the local date is TODAY whatever the machine's hour.
NOW = datetime.datetime(2026, 6, 15, 18, 0, tzinfo=datetime.UTC)

EVERY_FACTOR_POLICY = """\
title: {fr: Tous les facteurs, en: Every factor}
factors:
  - factor: acuity_score
    weight: 40
  - factor: days_homeless_past_three_years
    weight: 25
  - factor: days_homeless_past_year
    weight: 5
    max: 200
  - factor: chronic
    weight: 10
  - factor: days_on_list
    weight: 3
    max: 90
  - factor: flag
    flag: medical_vulnerability
    weight: 7
  - factor: flag
    flag: pregnancy
    weight: 2
  - factor: age_at_least
    years: 50
    weight: 5
  - factor: age_under
    years: 25
    weight: 4
  - factor: indigenous
    weight: 3
tie_breakers: [days_homeless, acuity_score, age]
"""


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def _people(actor, org, count: int, rng: random.Random) -> list[ByNameEntry]:
    entries = []
    for n in range(count):
        born = rng.choice([None, datetime.date(1960 + n % 50, 1 + n % 12, 1 + n % 28)])
        entries.append(
            make_entry(
                actor,
                org,
                entered_on=TODAY - datetime.timedelta(days=rng.randint(0, 300)),
                date_of_birth=born,
                dob_quality="exact" if born else "not_collected",
                indigenous_identity=rng.choice(["not_collected", "first_nations", "inuit", "not_indigenous"]),
            )
        )
    return entries


def _profiles(entries: list[ByNameEntry], rng: random.Random) -> None:
    """Varied triage, days, flags and ties (equal scores, so the tie-breakers decide)."""
    flags = list(PersonFlag.values)
    for entry in entries:
        acuity = rng.choice([None, 5, 10, 12.5, 20, 25])
        days = rng.choice([0, 100, 365, 600, 1095])
        ByNameEntry.objects.filter(pk=entry.pk).update(
            acuity_score=acuity,
            acuity_max=25 if acuity is not None else None,
            homeless_days_past_three_years=days,
            homeless_days_past_year=min(days, 365),
            is_chronic=days >= 546,
            flags=sorted(set(rng.sample(flags, k=rng.randint(0, 3)))),
        )


# --- ranks -----------------------------------------------------------------------------------------------


def _old_ranks(on: datetime.date) -> list[tuple[int, float, list]]:
    """The recompute replaced (every fact of every person, scored with its explanation): the oracle."""
    policy = active_policy()
    rows = (
        _with_history(ByNameEntry.objects.filter(status="active", participant__merged_into__isnull=True))
        .filter(listed_via__isnull=True)
        .values(*FACT_FIELDS, "has_history")
        .order_by("pk")
    )
    ranked = rank(policy.definition, [facts_from_row(row, on) for row in rows], on)
    return [(s.facts.entry_id, s.score, s.explanation) for s in ranked]


def test_ranks_are_the_old_ranks_and_explain_themselves_as_before(case_manager_a, org_a):
    rng = random.Random(16)
    entries = _people(case_manager_a, org_a, 24, rng)
    _profiles(entries, rng)
    policy = services.policy_draft_create(actor=case_manager_a, text=EVERY_FACTOR_POLICY)
    services.policy_activate(actor=case_manager_a, policy=policy, reason="Comité")
    expected = _old_ranks(TODAY)
    assert len({score for _pk, score, _why in expected}) < len(expected), "ties must be tested"
    got = list(
        ByNameEntry.objects.filter(priority_rank__isnull=False)
        .order_by("priority_rank")
        .values_list("pk", "priority_score", "priority_rank", "priority_policy_id")
    )
    assert [(pk, score) for pk, score, _r, _p in got] == [(pk, score) for pk, score, _why in expected]
    assert [r for _pk, _s, r, _p in got] == list(range(1, len(expected) + 1))
    assert {p for *_rest, p in got} == {policy.pk}
    shown = list(
        ByNameEntry.objects.filter(pk__in=[pk for pk, *_ in expected[:5]]).select_related("priority_policy")
    )
    with CaptureQueriesContext(connection) as queries:
        explained = rank_explanations(shown)
    assert len(queries) == 1
    assert explained == {pk: why for pk, _s, why in expected[:5]}


def test_ranks_write_only_what_changed(case_manager_a, org_a):
    rng = random.Random(7)
    entries = _people(case_manager_a, org_a, 8, rng)
    _profiles(entries, rng)
    policy = services.policy_draft_create(actor=case_manager_a, text=EVERY_FACTOR_POLICY)
    services.policy_activate(actor=case_manager_a, policy=policy, reason="Comité")
    with CaptureQueriesContext(connection) as queries:
        assert services.ranks_recompute() == 8
    assert not [q for q in queries if "priority_computed_at" in q["sql"]], "nothing changed, nothing written"

    before = dict(ByNameEntry.objects.values_list("pk", "priority_computed_at"))
    # Someone new, ranked last: nobody else's rank changes, so nobody else is rewritten.
    newcomer = make_entry(case_manager_a, org_a)
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        assert services.ranks_recompute() == 9
    after = dict(ByNameEntry.objects.values_list("pk", "priority_computed_at"))
    assert {pk for pk in after if after[pk] != before.get(pk)} == {newcomer.pk}
    assert ByNameEntry.objects.get(pk=newcomer.pk).priority_rank == 9
    # A change that moves one person up rewrites the people between, and ranks stay the old function's.
    last = ByNameEntry.objects.exclude(pk=newcomer.pk).order_by("-priority_rank").first()
    ByNameEntry.objects.filter(pk=last.pk).update(
        acuity_score=25, acuity_max=25, flags=["medical_vulnerability"]
    )
    services.ranks_recompute()
    assert [(pk, s) for pk, s, _why in _old_ranks(TODAY)] == list(
        ByNameEntry.objects.filter(priority_rank__isnull=False)
        .order_by("priority_rank")
        .values_list("pk", "priority_score")
    )


def _random_facts(rng: random.Random, n: int) -> list[Facts]:
    """Facts with many equal values (ties on the score and on every tie-breaker)."""
    flags = list(PersonFlag.values)
    people = []
    for pk in rng.sample(range(1, 10 * n), n):
        acuity = rng.choice([None, 0, 5, 10, 12.5, 20, 25, 30])
        three = rng.choice([0, 100, 365, 600, 1095, 1200])
        people.append(
            Facts(
                entry_id=pk,
                participant_id=pk + 7,
                age=rng.choice([None, 17, 24, 25, 49, 50, 51, 80]),
                gender="",
                household_type="single",
                acuity_score=acuity,
                acuity_max=rng.choice([None, 25, 17.5]) if acuity is not None else None,
                acuity_band="",
                is_chronic=rng.random() < 0.5,
                days_past_year=min(three, rng.choice([0, 30, 365])),
                days_past_three_years=three,
                entered_on=TODAY - datetime.timedelta(days=rng.choice([0, 1, 45, 90, 200, 400])),
                flags=tuple(sorted(rng.sample(flags, k=rng.randint(0, 3)))),
                indigenous=rng.random() < 0.3,
            )
        )
    return people


@pytest.mark.parametrize(
    "breakers", [[], ["entered_on"], ["days_homeless", "acuity_score", "age"], ["age", "entered_on"]]
)
def test_rank_scores_are_rank_without_the_explanations(breakers):
    """Counted a factor at a time over everyone and sorted one key at a time, the scores and the order
    are `rank`'s (each person scored with their explanation, sorted on key tuples), ties included."""
    definition = validate_policy(EVERY_FACTOR_POLICY)
    definition["tie_breakers"] = breakers
    people = _random_facts(random.Random(len(breakers)), 3000)
    expected = [(s.score, s.facts) for s in rank(definition, people, TODAY)]
    assert len({score for score, _f in expected}) < len(expected) / 2, "ties must be tested"
    assert rank_scores(definition, people, TODAY) == expected
    assert rank_scores(definition, [], TODAY) == []


def test_each_factor_reads_only_what_it_says():
    """Points are computed once per distinct value of what a factor reads: a factor must read nothing
    else, so two people alike on those values get the same points whatever else differs."""
    rng = random.Random(3)
    people = _random_facts(rng, 400)
    plain = {"years": 50, "flag": PersonFlag.values[0], "_on": TODAY}
    for key, factor in FACTORS.items():
        for settings in (plain, {**plain, "max": 17}):
            for person in people:
                other = rng.choice(people)
                # Everything the factor does not read taken from someone else.
                mixed = dataclasses.replace(other, **{name: getattr(person, name) for name in factor.reads})
                assert factor.compute(mixed, settings) == factor.compute(person, settings), key


def test_ranks_clear_people_off_the_list_in_the_same_read(case_manager_a, org_a):
    """People who leave the active list, become a linked file or are merged lose their rank; the others
    keep theirs; and a recompute where nothing changed reads the list once and writes nothing."""
    rng = random.Random(11)
    entries = _people(case_manager_a, org_a, 10, rng)
    _profiles(entries, rng)
    policy = services.policy_draft_create(actor=case_manager_a, text=EVERY_FACTOR_POLICY)
    services.policy_activate(actor=case_manager_a, policy=policy, reason="Comité")
    with CaptureQueriesContext(connection) as queries:
        assert services.ranks_recompute() == 10
    reads = [q for q in queries if "access_bynameentry" in q["sql"]]
    assert len(reads) == 1, "one read"
    assert reads[0]["sql"].startswith("SELECT") or "CURSOR FOR SELECT" in reads[0]["sql"], "nothing written"

    housed, linked, merged = entries[0], entries[1], entries[2]
    ByNameEntry.objects.filter(pk=housed.pk).update(status="housed")
    ByNameEntry.objects.filter(pk=linked.pk).update(listed_via=entries[3])
    Participant.objects.filter(pk=merged.participant_id).update(merged_into=entries[4].participant)
    assert services.ranks_recompute() == 7
    for gone in (housed, linked, merged):
        gone.refresh_from_db()
        assert (gone.priority_rank, gone.priority_score, gone.priority_policy_id) == (None, None, None)
        assert gone.priority_explanation == []
    assert [(pk, s) for pk, s, _why in _old_ranks(TODAY)] == list(
        ByNameEntry.objects.filter(priority_rank__isnull=False)
        .order_by("priority_rank")
        .values_list("pk", "priority_score")
    )
    assert list(
        ByNameEntry.objects.filter(priority_rank__isnull=False)
        .order_by("priority_rank")
        .values_list("priority_rank", flat=True)
    ) == list(range(1, 8))
    # Without a policy in force, nobody is ranked.
    PriorityPolicy.objects.filter(pk=policy.pk).update(status=PriorityPolicy.Status.RETIRED)
    assert services.ranks_recompute() == 0
    assert not ByNameEntry.objects.filter(priority_rank__isnull=False).exists()


# --- the chronic refresh ---------------------------------------------------------------------------------


@transaction.atomic
def _old_chronic_refresh(*, on: datetime.date) -> int:
    """The refresh replaced, word for word (every entry loaded and written): the oracle."""
    entries = ByNameEntry.objects.select_related("participant").prefetch_related(
        "participant__living_situations", "participant__homelessness_histories"
    )
    changed = []
    for entry in entries:
        participant = entry.participant
        verdict = chronic_from_history(
            participant.living_situations.all(), participant.homelessness_histories.all(), on=on
        )
        entry.is_chronic = verdict.is_chronic
        entry.homeless_days_past_year = verdict.days_past_year
        entry.homeless_days_past_three_years = verdict.days_past_three_years
        entry.chronic_computed_on = on
        entry.chronic_evidence = list(verdict.evidence)
        changed.append(entry)
    ByNameEntry.objects.bulk_update(
        changed,
        [
            "is_chronic",
            "homeless_days_past_year",
            "homeless_days_past_three_years",
            "chronic_computed_on",
            "chronic_evidence",
        ],
        batch_size=500,
    )
    return len(changed)


_FIGURES = (
    "pk",
    "is_chronic",
    "homeless_days_past_year",
    "homeless_days_past_three_years",
    "chronic_evidence",
)


def _figures() -> list[tuple]:
    return list(ByNameEntry.objects.order_by("pk").values_list(*_FIGURES))


def _histories(actor, entries: list[ByNameEntry], rng: random.Random) -> None:
    """Generated stays, sightings and histories: overlapping, open, housed, institutional, undated months,
    several histories a person, many stays for some (past the evidence's twelve lines); none for a few."""
    situations = list(LivingSituation.values)
    kinds = list(LivingSituationPeriod.Kind.values)
    stays, histories = [], []
    for n, entry in enumerate(entries):
        if n % 7 == 0:
            continue
        for _ in range(rng.choice([0, 1, 2, 3, 5, 16])):
            start = TODAY - datetime.timedelta(days=rng.randint(0, 1500))
            end = rng.choice([None, start + datetime.timedelta(days=rng.randint(0, 400))])
            situation = rng.choice(["", *situations])
            stays.append(
                LivingSituationPeriod(
                    participant_id=entry.participant_id,
                    kind=rng.choice(kinds) if not situation else _kind(situation),
                    situation=situation,
                    source=rng.choice(["", "self_reported", "hmis"]),
                    starts_on=start,
                    ends_on=end,
                    recorded_by=actor,
                )
            )
        for _ in range(rng.choice([0, 1, 1, 2])):
            reported = TODAY - datetime.timedelta(days=rng.randint(0, 900))
            histories.append(
                HomelessnessHistory(
                    participant_id=entry.participant_id,
                    reported_on=reported,
                    source=rng.choice(["self_reported", "hmis"]),
                    living_situation=rng.choice(situations),
                    episode_started_on=rng.choice(
                        [None, reported - datetime.timedelta(days=rng.randint(0, 800))]
                    ),
                    months_homeless_past_three_years=rng.choice([None, 0, 3, 12, 18, 30, 36]),
                    recorded_by=actor,
                )
            )
    # One person with many nights recorded: more spans than the evidence's twelve lines.
    for n in range(16):
        start = TODAY - datetime.timedelta(days=40 * n + 5)
        stays.append(
            LivingSituationPeriod(
                participant_id=entries[1].participant_id,
                kind="homeless_sheltered",
                situation="shelter",
                source="hmis",
                starts_on=start,
                ends_on=start + datetime.timedelta(days=rng.randint(0, 20)),
                recorded_by=actor,
            )
        )
    LivingSituationPeriod.objects.bulk_create(stays)
    HomelessnessHistory.objects.bulk_create(histories)


def _kind(situation: str) -> str:
    from ancrage.access.chronic import SITUATION_KINDS

    return SITUATION_KINDS[situation]


@pytest.mark.parametrize("days_later", [0, 1, 200, 800, -300])
def test_chronic_refresh_gives_the_old_function_s_figures(case_manager_a, org_a, days_later):
    rng = random.Random(1600 + days_later)
    entries = _people(case_manager_a, org_a, 30, rng)
    _histories(case_manager_a, entries, rng)
    # Figures left stale (as the scale data and time passing leave them), some already right.
    for entry in entries[::3]:
        ByNameEntry.objects.filter(pk=entry.pk).update(
            is_chronic=True, homeless_days_past_year=9, homeless_days_past_three_years=99
        )
    on = TODAY + datetime.timedelta(days=days_later)
    with transaction.atomic():
        _old_chronic_refresh(on=on)
        expected = _figures()
        transaction.set_rollback(True)
    assert any(row[1] for row in expected)
    assert not all(row[1] for row in expected)
    if days_later in (0, 1, 200):
        # The long history still in the window: its evidence is cut at twelve lines.
        assert any(len(row[4]) == 12 and row[4][-1]["origin"] == "more" for row in expected)
    written = services.by_name_chronic_refresh(on=on)
    assert _figures() == expected
    assert 0 < written <= len(entries)
    # A second refresh the same day finds nothing to write.
    assert services.by_name_chronic_refresh(on=on) == 0


def test_chronic_refresh_statements_do_not_grow_with_the_list(case_manager_a, org_a):
    rng = random.Random(3)
    entries = _people(case_manager_a, org_a, 12, rng)
    _histories(case_manager_a, entries[:4], rng)
    with CaptureQueriesContext(connection) as few:
        services.by_name_chronic_refresh(on=TODAY + datetime.timedelta(days=30))
    _histories(case_manager_a, entries[4:], rng)
    with CaptureQueriesContext(connection) as many:
        services.by_name_chronic_refresh(on=TODAY + datetime.timedelta(days=60))
    assert len(many) == len(few)


def test_chronic_refresh_clears_people_with_nothing_recorded_in_one_statement(case_manager_a, org_a):
    entries = _people(case_manager_a, org_a, 3, random.Random(1))
    ByNameEntry.objects.filter(pk__in=[e.pk for e in entries[:2]]).update(
        is_chronic=True, homeless_days_past_year=200, homeless_days_past_three_years=700
    )
    assert services.by_name_chronic_refresh() == 2
    assert set(ByNameEntry.objects.values_list("is_chronic", "homeless_days_past_three_years")) == {
        (False, 0)
    }


# --- the matching run ------------------------------------------------------------------------------------


def _old_matching_run(*, actor, on: datetime.date) -> list[Match]:
    """The run replaced (one match, step, status and audit entry at a time): the oracle."""
    openings_now, plan = matching_plan(open_openings(), on=on)
    by_id = {o.pk: o for o in openings_now}
    policy = active_policy()
    entries = ByNameEntry.objects.in_bulk([f.entry_id for f in plan.proposals.values()])
    created = []
    for opening_id, facts in plan.proposals.items():
        entry = entries[facts.entry_id]
        reasons = [c.as_data() for c in plan.checks.get(opening_id, [])]
        passed = [{"entry": f.entry_id, **why} for f, why in plan.passed_over.get(opening_id, [])]
        created.append(
            _match_create(
                actor=actor,
                opening=by_id[opening_id],
                entry=entry,
                policy=policy,
                reasons=[
                    {"kind": "rank", "rank": entry.priority_rank, "score": entry.priority_score},
                    *reasons,
                ],
                passed_over=passed,
            )
        )
    return created


def _world(actor, org, specialist, shared_org, *, people: int, slots: int, units: int, seed: int):
    rng = random.Random(seed)
    entries = _people(actor, org, people, rng)
    _profiles(entries, rng)
    programs = [
        ProgramFactory(
            organisation=org, kind=Program.Kind.ICM, eligibility=[{"criterion": "age", "min": 18}]
        ),
        ProgramFactory(
            organisation=org,
            kind=Program.Kind.ACT,
            eligibility=[{"criterion": "age", "rule": "must", "min": 45}],
        ),
    ]
    policy = services.policy_draft_create(actor=actor, text=EVERY_FACTOR_POLICY)
    services.policy_activate(actor=actor, policy=policy, reason="Comité")
    for n in range(slots):
        services.openings_create(actor=actor, program=programs[n % 2], count=1)
    for n in range(units):
        unit = Unit.objects.create(
            organisation=shared_org,
            address=f"{n} rue Test",
            neighbourhood=rng.choice(["Verdun", "Rosemont"]),
            kind="scattered_site",
            monthly_rent=800,
            available_from=TODAY,
            added_by=specialist,
            features=rng.choice([[], ["elevator"]]),
        )
        services.openings_create(actor=specialist, unit=unit)


def _written() -> dict:
    return {
        "matches": sorted(
            Match.objects.values_list(
                "opening_id",
                "entry_id",
                "participant_id",
                "status",
                "proposed_by_id",
                "policy_id",
                "rank_at_proposal",
                "score_at_proposal",
                "reasons",
            )
        ),
        "steps": sorted(
            MatchStep.objects.values_list(
                "match__opening_id", "from_status", "to_status", "by_id", "reason", "on"
            )
        ),
        "openings": sorted(Opening.objects.values_list("pk", "status")),
        "units": sorted(Unit.objects.values_list("pk", "status")),
        "audit": sorted(
            (e.actor_id, e.organisation_id, e.object_type, e.participant_id, sorted(e.data.items()))
            for e in AuditEntry.objects.filter(action="access.match.proposed")
        ),
    }


def test_matching_run_writes_what_the_old_run_wrote(case_manager_a, org_a, housing_specialist, shared_org):
    _world(case_manager_a, org_a, housing_specialist, shared_org, people=14, slots=5, units=4, seed=5)
    with transaction.atomic():
        old = _old_matching_run(actor=case_manager_a, on=TODAY)
        expected = _written()
        transaction.set_rollback(True)
    assert len(old) >= 6
    assert any(len(m.reasons) > 1 for m in old)
    new = services.matching_run(actor=case_manager_a)
    assert _written() == expected
    assert [(m.opening_id, m.entry_id) for m in new] == [(m.opening_id, m.entry_id) for m in old]
    assert all(m.pk for m in new)


@pytest.mark.parametrize(("people", "slots", "units"), [(4, 2, 1), (16, 8, 5)])
def test_matching_run_statements_do_not_grow_with_openings_or_people(
    case_manager_a, org_a, housing_specialist, shared_org, django_assert_max_num_queries, people, slots, units
):
    _world(
        case_manager_a, org_a, housing_specialist, shared_org, people=people, slots=slots, units=units, seed=9
    )
    # The same bound at both sizes: a statement a proposal would break it at the larger one.
    with django_assert_max_num_queries(17):
        created = services.matching_run(actor=case_manager_a)
    assert len(created) >= min(people, slots + units) // 2


def test_a_second_run_proposes_nobody_twice(case_manager_a, org_a, housing_specialist, shared_org):
    _world(case_manager_a, org_a, housing_specialist, shared_org, people=6, slots=3, units=0, seed=2)
    first = services.matching_run(actor=case_manager_a)
    assert first
    assert services.matching_run(actor=case_manager_a) == []
    assert Match.objects.count() == len(first)


# --- the audit trail's bulk writer ----------------------------------------------------------------------


def test_record_many_writes_one_statement_and_refuses_unknown_codes(case_manager_a, org_a):
    entries = _people(case_manager_a, org_a, 3, random.Random(4))
    with CaptureQueriesContext(connection) as queries:
        rows = audit.record_many(
            actor=case_manager_a,
            action="access.by_name.contact_recorded",
            items=[(e, e.participant_id, {"on": "2026-06-15"}) for e in entries],
        )
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    assert {(r.participant_id, r.object_id, r.organisation_id) for r in rows} == {
        (e.participant_id, str(e.pk), org_a.pk) for e in entries
    }
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record_many(actor=case_manager_a, action="access.nope", items=[])
    assert clock.today() == TODAY
