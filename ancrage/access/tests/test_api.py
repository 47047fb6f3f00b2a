"""API v1 for coordinated access: referrals and intake, the by-name list with its ranks, matches.

Same rules as the pages: a record the caller may not see is a 404 (a role without the permission on a
record too), a role without the permission on a list or a community's record (an opening) a 403,
bad input a 422 with its messages in the caller's language.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from ancrage.access import services
from ancrage.access.models import Intake, Match, MatchStatus, Referral
from ancrage.access.tests.factories import consent_for_access, make_entry, make_referral
from ancrage.accounts import services as account_services
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member

pytestmark = pytest.mark.django_db

POLICY = """
title: {fr: Priorités de test, en: Test priorities}
factors:
  - factor: acuity_score
    weight: 40
    max: 25
  - factor: chronic
    weight: 20
tie_breakers: [entered_on]
"""


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _entry(actor, org, acuity, days_ago=10, **participant):
    entry = make_entry(
        actor,
        org,
        entered_on=clock.today() - datetime.timedelta(days=days_ago),
        date_of_birth=datetime.date(1970, 1, 1),
        **participant,
    )
    entry.acuity_score = acuity
    entry.acuity_max = 25
    entry.save()
    return entry


def _policy(actor):
    policy = services.policy_draft_create(actor=actor, text=POLICY)
    return services.policy_activate(actor=actor, policy=policy, reason="Adoptée par le comité")


@pytest.fixture
def ranked(case_manager_a, org_a):
    """Two people on the list, ranked under policy version 1."""
    low = _entry(case_manager_a, org_a, 8, legal_first_name="Bas")
    high = _entry(case_manager_a, org_a, 20, legal_first_name="Haut")
    _policy(case_manager_a)
    low.refresh_from_db()
    high.refresh_from_db()
    return high, low


@pytest.fixture
def opening(case_manager_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    return services.openings_create(actor=case_manager_a, program=program)[0]


@pytest.fixture
def match(ranked, opening, program_manager_a):
    high, _low = ranked
    return services.match_propose(actor=program_manager_a, opening=opening, entry=high)


@pytest.fixture
def referral(case_manager_a):
    return make_referral(case_manager_a)


@pytest.fixture
def en(case_manager_a, program_manager_a):
    for user in (case_manager_a, program_manager_a):
        user.language = "en"
        user.save(update_fields=["language"])


# --- authentication ----------------------------------------------------------------------------------------


def test_token_authentication(client, case_manager_a, ranked):
    _token, key = account_services.api_token_create(actor=case_manager_a, name="Script")
    response = client.get("/api/v1/by-name-list", {"sort": "rank"}, **bearer(key))
    assert response.status_code == 200
    assert [e["rank"] for e in response.json()["items"]] == [1, 2]
    assert client.get("/api/v1/by-name-list").status_code == 401


def test_session_authentication(client_for, case_manager_a, referral):
    response = client_for(case_manager_a).get(f"/api/v1/referrals/{referral.pk}")
    assert response.status_code == 200
    assert response.json()["person_name"] == "Marc"


# --- the by-name list ----------------------------------------------------------------------------------------


def test_by_name_list_shows_rank_and_why_in_french_by_default(client_for, case_manager_a, ranked):
    high, _low = ranked
    body = client_for(case_manager_a).get("/api/v1/by-name-list", {"sort": "rank"}).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["participant_id"] == high.participant_id
    assert first["rank"] == 1
    assert first["score"] == pytest.approx(high.priority_score)
    assert first["policy_version"] == 1
    acuity = first["explanation"][0]
    assert acuity["factor"] == "acuity_score"
    assert acuity["value"] == 20
    assert acuity["weight"] == 40
    assert acuity["points"] == pytest.approx(32.0)
    from ancrage.access.priority import describe_factor

    with translation.override("fr-ca"):
        assert acuity["label"] == describe_factor({"factor": "acuity_score"})
        assert first["status_label"] == gettext("Active")


def test_by_name_list_count_is_kept_a_minute_per_user_and_query(
    client_for, case_manager_a, case_manager_b, org_a, ranked, settings, time_machine
):
    """The whole visible list is counted once a minute, not on every page (issue 16): the same user asking
    the same list within the minute gets the first count and one query fewer; another filter or another user
    is counted on its own; after the minute the new person is counted."""
    from django.core.cache import cache

    cache.clear()
    settings.ANCRAGE = {**settings.ANCRAGE, "LIST_COUNT_SECONDS": 60}
    time_machine.move_to(clock.now(), tick=False)
    c = client_for(case_manager_a)
    with CaptureQueriesContext(connection) as first:
        assert c.get("/api/v1/by-name-list").json()["count"] == 2
    _entry(case_manager_a, org_a, 12, legal_first_name="Nouveau")
    with CaptureQueriesContext(connection) as again:
        body = c.get("/api/v1/by-name-list").json()
    assert body["count"] == 2
    assert len(body["items"]) == 3  # the rows themselves are read on every request
    assert len(again.captured_queries) == len(first.captured_queries) - 1
    # Another order is the same list (the same count); another filter is counted on its own.
    assert c.get("/api/v1/by-name-list", {"sort": "rank"}).json()["count"] == 2
    assert c.get("/api/v1/by-name-list", {"status": "active"}).json()["count"] == 3
    time_machine.shift(datetime.timedelta(seconds=61))
    assert c.get("/api/v1/by-name-list").json()["count"] == 3
    assert client_for(case_manager_b).get("/api/v1/by-name-list").json()["count"] == 0
    cache.clear()


def test_by_name_list_labels_in_english_for_an_english_user(en, client_for, case_manager_a, ranked):
    from ancrage.access.priority import describe_factor

    body = client_for(case_manager_a).get("/api/v1/by-name-list", {"sort": "rank"}).json()
    with translation.override("en"):
        assert body["items"][0]["explanation"][0]["label"] == describe_factor({"factor": "acuity_score"})


def test_by_name_list_filters(client_for, case_manager_a, ranked):
    high, _low = ranked
    high.is_chronic = True
    high.save(update_fields=["is_chronic"])
    c = client_for(case_manager_a)
    assert [
        e["participant_id"] for e in c.get("/api/v1/by-name-list", {"chronic": "true"}).json()["items"]
    ] == [high.participant_id]
    assert c.get("/api/v1/by-name-list", {"status": "housed"}).json()["count"] == 0
    response = c.get("/api/v1/by-name-list", {"status": "nope"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"status": [in_language("fr-ca", "Unknown value.")]}


def test_by_name_entry_detail_and_other_organisation(client_for, case_manager_a, case_manager_b, ranked):
    high, _low = ranked
    response = client_for(case_manager_a).get(f"/api/v1/by-name-list/{high.participant_id}")
    assert response.status_code == 200
    assert response.json()["rank"] == 1
    response = client_for(case_manager_b).get(f"/api/v1/by-name-list/{high.participant_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": in_language("fr-ca", "Not found.")}


def test_participant_not_on_the_list_is_404(client_for, case_manager_a, participant_a):
    assert client_for(case_manager_a).get(f"/api/v1/by-name-list/{participant_a.pk}").status_code == 404


# --- referrals and intake ------------------------------------------------------------------------------------


def test_referral_create_list_and_intake(client_for, case_manager_a, participant_a, org_a):
    c = client_for(case_manager_a)
    response = c.post(
        "/api/v1/referrals",
        {"person_name": "Éloïse", "source_kind": "shelter", "reason": "Au refuge depuis un mois"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    referral_id = response.json()["id"]
    assert response.json()["organisation_id"] == org_a.pk
    assert [r["id"] for r in c.get("/api/v1/referrals").json()["items"]] == [referral_id]
    # Without a coordinated-access consent the intake cannot start: the service's message, in French.
    url = f"/api/v1/referrals/{referral_id}/intake"
    response = c.post(url, {"participant_id": participant_a.pk}, content_type="application/json")
    assert response.status_code == 422
    assert "consent" in response.json()["errors"]
    consent_for_access(case_manager_a, participant_a, [org_a])
    response = c.post(url, {"participant_id": participant_a.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    intake_id = response.json()["id"]
    assert response.json()["referral_status"] == Referral.Status.INTAKE_STARTED
    response = c.post(
        f"/api/v1/intakes/{intake_id}/complete",
        {"reference_worker_id": 999999},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "reference_worker_id" in response.json()["errors"]
    response = c.post(
        f"/api/v1/intakes/{intake_id}/complete",
        {"reference_worker_id": case_manager_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["done_at"]
    entry = c.get(f"/api/v1/by-name-list/{participant_a.pk}").json()
    assert entry["reference_worker_id"] == case_manager_a.pk
    assert response.json()["referral_status"] == Referral.Status.INTAKE_DONE
    again = c.post(f"/api/v1/intakes/{intake_id}/complete", content_type="application/json")
    assert again.status_code == 422
    assert again.json()["errors"] == {"__all__": [in_language("fr-ca", "This intake is already complete.")]}


def test_intake_with_a_file_the_user_may_not_open_is_404(
    client_for, case_manager_a, case_manager_b, org_b, referral
):
    from ancrage.people.tests.factories import make_participant

    hidden = make_participant(case_manager_b, org_b, legal_first_name="Bruno")
    response = client_for(case_manager_a).post(
        f"/api/v1/referrals/{referral.pk}/intake",
        {"participant_id": hidden.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Intake.objects.exists()


def test_referral_errors_in_french_by_default(client_for, case_manager_a):
    response = client_for(case_manager_a).post(
        "/api/v1/referrals", {"source_kind": "nope", "reason": " "}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == in_language("fr-ca", "The data sent is not valid.")
    assert body["errors"]["source_kind"] == [in_language("fr-ca", "Choose where the referral comes from.")]
    assert body["errors"]["reason"] == [in_language("fr-ca", "Say why the person is referred.")]
    assert body["errors"]["source_kind"] != ["Choose where the referral comes from."]
    assert not Referral.objects.exists()


def test_referral_errors_in_english_for_an_english_user(en, client_for, case_manager_a):
    response = client_for(case_manager_a).post(
        "/api/v1/referrals", {"source_kind": "nope", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "The data sent is not valid."
    assert response.json()["errors"]["source_kind"] == ["Choose where the referral comes from."]


def test_malformed_body_is_422(client_for, case_manager_a):
    response = client_for(case_manager_a).post(
        "/api/v1/referrals", {"person_name": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"source_kind", "reason"}


def test_referral_in_another_organisation_is_404(client_for, case_manager_a, org_b, case_manager_b):
    theirs = make_referral(case_manager_b)
    c = client_for(case_manager_a)
    assert c.get(f"/api/v1/referrals/{theirs.pk}").status_code == 404
    response = c.post(
        "/api/v1/referrals",
        {"organisation_id": org_b.pk, "person_name": "x", "source_kind": "shelter", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Referral.objects.count() == 1


# --- matches -------------------------------------------------------------------------------------------------


def test_match_list_and_detail(client_for, program_manager_a, match, org_b):
    c = client_for(program_manager_a)
    body = c.get("/api/v1/matches").json()
    assert [m["id"] for m in body["items"]] == [match.pk]
    assert c.get("/api/v1/matches", {"status": "transferred"}).json()["count"] == 0
    detail = c.get(f"/api/v1/matches/{match.pk}").json()
    # Reading a match (triage information) is logged, as on the page.
    from ancrage.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="access.match.viewed", actor=program_manager_a, is_read=True
    ).exists()
    assert detail["status"] == "proposed"
    assert detail["rank_at_proposal"] == 1
    assert detail["policy_version"] == 1
    assert [s["to_status"] for s in detail["steps"]] == ["proposed"]
    assert detail["reasons"]
    assert all(isinstance(r, str) and r for r in detail["reasons"])
    assert "contacted" in detail["next_statuses"]
    # Another organisation sees neither the match nor its person.
    other = client_for(member(org_b, Role.PROGRAM_MANAGER))
    assert other.get("/api/v1/matches").json()["count"] == 0
    assert other.get(f"/api/v1/matches/{match.pk}").status_code == 404


def test_match_step_and_concurrent_conflict(client_for, program_manager_a, org_a, match):
    url = f"/api/v1/matches/{match.pk}/step"
    c = client_for(program_manager_a)
    body = {"to_status": "contacted", "expected_status": "proposed"}
    response = c.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "contacted"
    # A second worker who still saw "proposed" is told, in their language, and nothing changes.
    second = member(org_a, Role.TEAM_LEAD)
    second.language = "en"
    second.save(update_fields=["language"])
    response = client_for(second).post(url, body, content_type="application/json")
    assert response.status_code == 422
    message = response.json()["errors"]["__all__"][0]
    assert message.startswith("Someone else updated this match meanwhile")
    assert "Person contacted" in message
    assert Match.objects.get(pk=match.pk).steps.count() == 2


def test_match_step_needs_a_reason_to_decline(client_for, program_manager_a, match):
    response = client_for(program_manager_a).post(
        f"/api/v1/matches/{match.pk}/step",
        {"to_status": "person_declined", "expected_status": "proposed"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "reason": [in_language("fr-ca", "Give the reason: it is kept with the match.")]
    }
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED


def test_propose_by_hand_and_run(client_for, program_manager_a, ranked, opening, case_manager_a, org_a):
    high, low = ranked
    c = client_for(program_manager_a)
    # `high` is ranked above and eligible: passing them over needs a reason (kept with the match).
    response = c.post(
        f"/api/v1/openings/{opening.pk}/propose",
        {"participant_id": low.participant_id, "reason": "Seule personne jointe"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["participant_id"] == low.participant_id
    # The opening is taken now: a second proposal is refused with the service's message.
    response = c.post(
        f"/api/v1/openings/{opening.pk}/propose",
        {"participant_id": high.participant_id},
        content_type="application/json",
    )
    assert response.status_code == 422
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    services.openings_create(actor=case_manager_a, program=program)
    response = c.post("/api/v1/matching/run", content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["proposed"] == 1
    assert [m["participant_id"] for m in response.json()["matches"]] == [high.participant_id]


def test_case_manager_without_the_matching_permission_gets_403(client_for, case_manager_a, match, opening):
    """As on the pages, matches are for roles that hold access.manage_matches, reading them too."""
    c = client_for(case_manager_a)
    assert c.get("/api/v1/matches").status_code == 403
    # A match is a person's record: without the permission, the same 404 as for one not seen.
    assert c.get(f"/api/v1/matches/{match.pk}").status_code == 404
    response = c.post(
        f"/api/v1/matches/{match.pk}/step",
        {"to_status": "contacted", "expected_status": "proposed"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json() == {"detail": in_language("fr-ca", "Not found.")}
    response = c.post(
        f"/api/v1/openings/{opening.pk}/propose",
        {"participant_id": match.participant_id},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert c.post("/api/v1/matching/run", content_type="application/json").status_code == 403
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED


# --- outsiders and roles without the permission --------------------------------------------------------------


@pytest.fixture
def world(case_manager_a, org_a, participant_a, match, opening, referral):
    consent_for_access(case_manager_a, participant_a, [org_a])
    intake = services.intake_start(actor=case_manager_a, referral=referral, participant=participant_a)
    return {"match": match, "opening": opening, "referral": referral, "intake": intake, "entry": match.entry}


def _detail_calls(w):
    p = w["entry"].participant_id
    return [
        ("get", f"/api/v1/referrals/{w['referral'].pk}", None),
        ("post", f"/api/v1/referrals/{w['referral'].pk}/intake", {"participant_id": p}),
        ("post", f"/api/v1/intakes/{w['intake'].pk}/complete", None),
        ("get", f"/api/v1/by-name-list/{p}", None),
        ("get", f"/api/v1/matches/{w['match'].pk}", None),
        (
            "post",
            f"/api/v1/matches/{w['match'].pk}/step",
            {"to_status": "contacted", "expected_status": "proposed"},
        ),
        ("post", f"/api/v1/openings/{w['opening'].pk}/propose", {"participant_id": p}),
    ]


def _call(client, method, url, body):
    if method == "post":
        return client.post(url, body or {}, content_type="application/json")
    return client.get(url)


def test_outsider_gets_404_on_every_record(world, client_for, outsider):
    c = client_for(outsider)
    for method, url, body in _detail_calls(world):
        response = _call(c, method, url, body)
        assert response.status_code == 404, (url, response.status_code)
        assert response.json()["detail"]
    assert Match.objects.get(pk=world["match"].pk).status == MatchStatus.PROPOSED
    assert Intake.objects.get(pk=world["intake"].pk).done_at is None


def test_another_organisation_gets_404_on_every_record(world, client_for, org_b):
    c = client_for(member(org_b, Role.PROGRAM_MANAGER))
    for method, url, body in _detail_calls(world):
        assert _call(c, method, url, body).status_code == 404, url


def test_outsider_and_role_without_permission_get_403_on_lists(world, client_for, outsider, org_a):
    peer = member(org_a, Role.PEER_SUPPORT)
    for user in (outsider, peer):
        c = client_for(user)
        for url in ("/api/v1/referrals", "/api/v1/by-name-list", "/api/v1/matches"):
            assert c.get(url).status_code == 403, url
        assert c.post("/api/v1/matching/run", content_type="application/json").status_code == 403
        response = c.post(
            "/api/v1/referrals", {"source_kind": "shelter", "reason": "x"}, content_type="application/json"
        )
        assert response.status_code == 403


def test_role_without_permission_gets_404_on_records(world, client_for, org_a):
    """A peer support worker opens the file but holds none of the coordinated-access permissions: a
    person's record answers 404, as one not seen; an opening (the community's) 403."""
    c = client_for(member(org_a, Role.PEER_SUPPORT))
    for method, url, body in _detail_calls(world):
        response = _call(c, method, url, body)
        if "/openings/" in url:
            assert response.status_code == 403, (url, response.status_code)
            continue
        assert response.status_code == 404, (url, response.status_code)
        assert response.json() == {"detail": in_language("fr-ca", "Not found.")}


# --- query counts --------------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/api/v1/by-name-list?sort=rank", "/api/v1/matches", "/api/v1/referrals"])
def test_list_queries_do_not_grow_with_rows(
    url, client_for, program_manager_a, org_a, django_assert_max_num_queries
):
    c = client_for(program_manager_a)

    def add(n):
        for _i in range(n):
            entry = _entry(program_manager_a, org_a, 10)
            program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
            opening = services.openings_create(actor=program_manager_a, program=program)[0]
            services.match_propose(actor=program_manager_a, opening=opening, entry=entry)
            make_referral(program_manager_a)

    add(3)
    _policy(program_manager_a)
    few = _queries(c, url)
    add(17)
    services.ranks_recompute()
    body = c.get(url).json()
    assert body["count"] == 20
    assert len(body["items"]) == 20
    with django_assert_max_num_queries(few):
        c.get(url)
