"""Fair play with priority (issue 11, part 5): proposals by hand, people passed over, dates on the list."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ancrage.access import selectors, services
from ancrage.access.models import ByNameEntry, ByNameStatusChange, Match, MatchStep
from ancrage.access.tests.factories import TEST_POLICY, consent_for_access, make_entry, make_referral
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, make_participant, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _ranked(actor, org, acuities, *, days_ago=30):
    """People entered `days_ago` days ago, ranked by acuity (highest first) under the test policy."""
    entries = []
    for n, acuity in enumerate(acuities):
        entry = make_entry(
            actor,
            org,
            entered_on=clock.today() - datetime.timedelta(days=days_ago),
            legal_first_name=f"P{n}",
            date_of_birth=datetime.date(1970, 1, 1),
        )
        ByNameEntry.objects.filter(pk=entry.pk).update(acuity_score=acuity, acuity_max=25)
        entries.append(entry)
    policy = services.policy_draft_create(actor=actor, text=TEST_POLICY)
    services.policy_activate(actor=actor, policy=policy, reason="Adoptée par le comité")
    return [ByNameEntry.objects.get(pk=e.pk) for e in entries]


def _slot(actor, org, **program):
    program = ProgramFactory(organisation=org, kind=Program.Kind.ICM, **program)
    return services.openings_create(actor=actor, program=program, count=1)[0]


# --- a proposal by hand -----------------------------------------------------------------------------------


def test_passing_over_higher_ranked_people_needs_a_reason_and_keeps_them(case_manager_a, org_a):
    first, second, third = _ranked(case_manager_a, org_a, [22, 18, 10])
    assert [first.priority_rank, second.priority_rank, third.priority_rank] == [1, 2, 3]
    opening = _slot(case_manager_a, org_a)
    with pytest.raises(ValidationError) as caught:
        services.match_propose(actor=case_manager_a, opening=opening, entry=third)
    assert "2 eligible people ranked higher are passed over" in caught.value.message_dict["reason"][0]
    assert not Match.objects.exists()

    match = services.match_propose(
        actor=case_manager_a,
        opening=opening,
        entry=third,
        reason="  Seule personne joignable cette semaine  ",
    )
    passed = next(r for r in match.reasons if r["kind"] == "passed_over")["people"]
    assert passed == [
        {"entry": first.pk, "why": "passed_by_hand"},
        {"entry": second.pk, "why": "passed_by_hand"},
    ]
    assert {"kind": "by_hand", "reason": "Seule personne joignable cette semaine"} in match.reasons
    step = MatchStep.objects.get(match=match)
    assert step.reason == "Seule personne joignable cette semaine"
    audit = AuditEntry.objects.get(action="access.match.proposed")
    assert audit.data["skipped"] == 2
    assert audit.data["reason"] == "Seule personne joignable cette semaine"


def test_the_first_in_rank_needs_no_reason_and_the_ineligible_are_kept_with_why(case_manager_a, org_a):
    too_young, first = _ranked(case_manager_a, org_a, [22, 18])
    from ancrage.people.models import Participant

    Participant.objects.filter(pk=too_young.participant_id).update(
        date_of_birth=clock.today().replace(year=2015)
    )
    opening = _slot(case_manager_a, org_a, eligibility=[{"criterion": "age", "rule": "must", "min": 18}])
    match = services.match_propose(actor=case_manager_a, opening=opening, entry=first)
    passed = next(r for r in match.reasons if r["kind"] == "passed_over")["people"]
    assert [p["entry"] for p in passed] == [too_young.pk]
    assert passed[0]["why"] == "not_eligible"
    assert MatchStep.objects.get(match=match).reason == ""


def test_the_page_asks_for_the_reason_and_the_match_shows_who_was_passed_over(
    client_for, case_manager_a, org_a
):
    lead = member(org_a, Role.TEAM_LEAD, username="lead_fair")
    first, second = _ranked(lead, org_a, [22, 10])
    opening = _slot(lead, org_a)
    client = client_for(lead)
    type(lead).objects.filter(pk=lead.pk).update(language="en")
    url = reverse("access:opening_detail", args=[opening.pk])
    response = client.post(url, {"entry": second.pk, "reason": ""})
    assert response.status_code == 200
    assert "eligible person ranked higher is passed over" in response.content.decode()
    assert response.context["form"]["entry"].value() == str(second.pk)
    assert not Match.objects.exists()
    response = client.post(url, {"entry": second.pk, "reason": "Logement adapté à son chien"})
    match = Match.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("access:match_detail", args=[match.pk])).content.decode()
    assert "Higher-ranked people passed over" in page
    assert first.participant.display_name in page
    assert "Logement adapté à son chien" in page


def test_proposal_by_api_needs_the_reason_too(client_for, case_manager_a, org_a):
    lead = member(org_a, Role.TEAM_LEAD, username="lead_api")
    _first, second = _ranked(lead, org_a, [22, 10])
    opening = _slot(lead, org_a)
    client = client_for(lead)
    url = f"/api/v1/openings/{opening.pk}/propose"
    body = {"participant_id": second.participant_id}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422
    body["reason"] = "Seule personne joignable"
    assert client.post(url, body, content_type="application/json").status_code == 201


# --- candidates on a date are the people on the list that day -----------------------------------------------


def test_a_run_on_a_date_proposes_only_people_on_the_list_that_day(case_manager_a, org_a):
    early, late = _ranked(case_manager_a, org_a, [10, 22], days_ago=40)
    ByNameEntry.objects.filter(pk=late.pk).update(entered_on=clock.today() - datetime.timedelta(days=5))
    opening = _slot(case_manager_a, org_a)
    ten_days_ago = clock.today() - datetime.timedelta(days=10)
    assert [f.entry_id for f in selectors.candidates(ten_days_ago)] == [early.pk]
    matches = services.matching_run(actor=case_manager_a, on=ten_days_ago)
    assert [m.entry_id for m in matches] == [early.pk]
    services.match_step(
        actor=case_manager_a,
        match=matches[0],
        to_status="withdrawn",
        expected_status="proposed",
        reason="Test",
    )
    with pytest.raises(ValidationError) as caught:
        services.match_propose(actor=case_manager_a, opening=opening, entry=late, on=ten_days_ago)
    assert "not on the by-name list yet" in caught.value.messages[0]


# --- the date "on the list since" ---------------------------------------------------------------------------


def test_entered_on_is_bounded_and_a_back_dated_entry_needs_a_reason(case_manager_a, org_a, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "BY_NAME_BACKDATE_DAYS": 7}
    person = make_participant(case_manager_a, org_a, date_of_birth=datetime.date(1980, 5, 1))
    today = clock.today()
    type(person).objects.filter(pk=person.pk).update(
        created_at=clock.start_of_day(today - datetime.timedelta(days=60))
    )
    person.refresh_from_db()

    def add(on, reason=""):
        return services.by_name_entry_add(
            actor=case_manager_a,
            participant=person,
            reference_worker=case_manager_a,
            entered_on=on,
            backdate_reason=reason,
        )

    for bad, words in [
        (datetime.date(1999, 1, 1), "before the first record"),
        (datetime.date(1979, 1, 1), "before the person's date of birth"),
        (today + datetime.timedelta(days=1), "future"),
    ]:
        with pytest.raises(ValidationError) as caught:
            add(bad, "Liste papier")
        assert words in caught.value.message_dict["entered_on"][0]
    with pytest.raises(ValidationError) as caught:
        add(today - datetime.timedelta(days=30))
    assert "more than 7 days ago" in caught.value.message_dict["backdate_reason"][0]
    assert not ByNameEntry.objects.exists()
    entry = add(today - datetime.timedelta(days=30), "Transférée de la liste papier du refuge")
    change = ByNameStatusChange.objects.get(entry=entry)
    assert "Transférée de la liste papier du refuge" in change.reason
    assert AuditEntry.objects.get(action="access.by_name.added").data["backdate_reason"] == (
        "Transférée de la liste papier du refuge"
    )


def test_a_recent_date_needs_no_reason_and_a_first_living_situation_counts_as_a_record(case_manager_a, org_a):
    person = make_participant(case_manager_a, org_a)
    today = clock.today()
    services.living_situation_record(
        actor=case_manager_a,
        participant=person,
        kind="homeless_sheltered",
        starts_on=today - datetime.timedelta(days=400),
    )
    with pytest.raises(ValidationError):
        services.by_name_entry_add(
            actor=case_manager_a,
            participant=person,
            reference_worker=case_manager_a,
            entered_on=today - datetime.timedelta(days=401),
            backdate_reason="Liste papier",
        )
    entry = services.by_name_entry_add(
        actor=case_manager_a,
        participant=person,
        reference_worker=case_manager_a,
        entered_on=today - datetime.timedelta(days=400),
        backdate_reason="Liste papier",
    )
    assert entry.entered_on == today - datetime.timedelta(days=400)


def test_intake_page_keeps_answers_and_asks_why_a_date_is_back_dated(client_for, case_manager_a, org_a):
    person = make_participant(case_manager_a, org_a)
    type(person).objects.filter(pk=person.pk).update(
        created_at=clock.start_of_day(clock.today() - datetime.timedelta(days=90))
    )
    consent_for_access(case_manager_a, person, [org_a])
    referral = make_referral(case_manager_a, person_name="Marc Leduc")
    intake = services.intake_start(actor=case_manager_a, referral=referral, participant=person)
    client = client_for(case_manager_a)
    type(case_manager_a).objects.filter(pk=case_manager_a.pk).update(language="en")
    url = reverse("access:intake_detail", args=[intake.pk])
    back = (clock.today() - datetime.timedelta(days=60)).isoformat()
    response = client.post(url, {"reference_worker": case_manager_a.pk, "entered_on": "1999-01-01"})
    assert "before the first record" in response.content.decode()
    response = client.post(url, {"reference_worker": case_manager_a.pk, "entered_on": back})
    assert response.context["form"].errors["backdate_reason"]
    assert response.context["form"]["entered_on"].value() == back
    response = client.post(
        url, {"reference_worker": case_manager_a.pk, "entered_on": back, "backdate_reason": "Liste papier"}
    )
    assert response.status_code == 302
    assert ByNameEntry.objects.get(participant=person).entered_on.isoformat() == back


# --- a hub worker and their own people -------------------------------------------------------------------


def test_the_hub_worker_sees_their_own_people_and_keeps_them_through_a_status_change(
    client_for, case_manager_b, org_b, shared_org
):
    hub = member(shared_org, Role.COORDINATED_ACCESS, username="hub")
    type(hub).objects.filter(pk=hub.pk).update(language="en")
    mine = make_entry(case_manager_b, org_b, worker=hub, legal_first_name="Mine")
    other = make_entry(case_manager_b, org_b, legal_first_name="Other")
    # Being named reference worker opens nothing without the consent that names the hub (G2)...
    assert not selectors.by_name_list_for_user(hub).exists()
    # ...with the coordinated-access consent, the hub worker sees their person, and only them.
    consent_for_access(case_manager_b, mine.participant, [shared_org])
    visible = set(selectors.by_name_list_for_user(hub).values_list("pk", flat=True))
    assert visible == {mine.pk}
    client = client_for(hub)
    url = reverse("access:status_change", args=[other.participant_id])
    assert client.get(url).status_code == 404
    url = reverse("access:status_change", args=[mine.participant_id])
    response = client.get(url)
    assert response.status_code == 200
    choices = [str(value) for value, _label in response.context["form"].fields["reference_worker"].choices]
    assert str(hub.pk) in choices
    response = client.post(
        url,
        {
            "status": "inactive",
            "on": clock.today().isoformat(),
            "reason": "Pas de nouvelles",
            "reference_worker": hub.pk,
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "inactive"
    assert mine.reference_worker == hub
