"""Pages of openings, matching, matches and eligibility: permissions, visibility, bad input, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.access import services
from ancrage.access.models import Match, MatchStatus, MatchStep, Opening
from ancrage.access.tests.factories import make_entry
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing.models import Unit
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_a(org_a):
    return member(org_a, Role.TEAM_LEAD, username="lead_a")


@pytest.fixture
def access_a(org_a):
    return member(org_a, Role.COORDINATED_ACCESS, username="acces_a")


@pytest.fixture
def lead_b(org_b):
    return member(org_b, Role.TEAM_LEAD, username="lead_b")


def _login(client, user):
    client.force_login(user)
    # The pages are read in English here (the user's saved language wins over any cookie).
    type(user).objects.filter(pk=user.pk).update(language="en")
    return client


def _entry(actor, org, days_ago, **profile):
    entry = make_entry(
        actor,
        org,
        entered_on=clock.today() - datetime.timedelta(days=days_ago),
        date_of_birth=datetime.date(1970, 1, 1),
        **{k: v for k, v in profile.items() if k.startswith("legal_")},
    )
    for key, value in profile.items():
        if not key.startswith("legal_"):
            setattr(entry, key, value)
    entry.save()
    return entry


def _unit(actor, org, neighbourhood="Verdun"):
    return Unit.objects.create(
        organisation=org,
        address="1 rue Test",
        neighbourhood=neighbourhood,
        kind="scattered_site",
        monthly_rent=800,
        available_from=clock.today(),
        added_by=actor,
    )


def _matches(actor, org, n, *, start=0):
    """n matches of people of `org` on n slots of a fresh program."""
    program = ProgramFactory(organisation=org, kind=Program.Kind.ICM)
    people = [_entry(actor, org, 400 - start - i, legal_first_name=f"P{start + i}") for i in range(n)]
    openings = services.openings_create(actor=actor, program=program, count=n)
    created = services.matching_run(actor=actor, openings=openings)
    assert len(created) == n
    return people, created


# --- permissions and rendering -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["access:opening_list", "access:opening_create", "access:match_list"])
def test_pages_render_for_matching_roles(client, lead_a, housing_specialist, name):
    for user in (lead_a, housing_specialist):
        assert _login(client, user).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["access:opening_list", "access:opening_create", "access:match_list"])
def test_pages_refused_without_permission(client, case_manager_a, outsider, name):
    for user in (case_manager_a, outsider):
        assert _login(client, user).get(reverse(name)).status_code == 403


def test_run_refused_without_permission_and_get(client, case_manager_a, lead_a):
    assert _login(client, case_manager_a).post(reverse("access:matching_run")).status_code == 403
    assert _login(client, lead_a).get(reverse("access:matching_run")).status_code == 405


def test_open_slots_and_run(client, lead_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    _entry(lead_a, org_a, 30, legal_first_name="Aline")
    c = _login(client, lead_a)
    response = c.post(
        reverse("access:opening_create"), {"program": program.pk, "count": 2, "note": "Printemps"}
    )
    assert response.status_code == 302
    assert Opening.objects.filter(program=program, note="Printemps").count() == 2
    response = c.post(reverse("access:matching_run"), follow=True)
    html = response.content.decode()
    assert "1 proposal" in html
    assert "1 proposals" not in html
    assert Match.objects.count() == 1
    page = c.get(reverse("access:opening_list")).content.decode()
    assert "Aline" in page


def test_opening_form_errors_keep_input(client, lead_a, org_a):
    c = _login(client, lead_a)
    response = c.post(reverse("access:opening_create"), {"count": 3, "note": "Gardez-moi"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a program, a housing unit, or both." in page
    assert "Gardez-moi" in page
    assert not Opening.objects.exists()


# --- opening detail: preview, passed over, by hand ------------------------------------------------------


def test_preview_names_only_visible_people(
    client, lead_a, case_manager_b, org_a, org_b, housing_specialist, shared_org
):
    hidden = _entry(
        case_manager_b, org_b, 300, legal_first_name="Secrète", preferred_neighbourhoods=["Plateau"]
    )
    shown = _entry(lead_a, org_a, 200, legal_first_name="Visible", preferred_neighbourhoods=["Plateau"])
    chosen = _entry(lead_a, org_a, 100, legal_first_name="Choisie")
    opening = services.openings_create(actor=housing_specialist, unit=_unit(housing_specialist, shared_org))[
        0
    ]
    page = _login(client, lead_a).get(reverse("access:opening_detail", args=[opening.pk])).content.decode()
    assert "Choisie" in page
    assert "Visible" in page
    assert "Verdun is not among the areas the person chose" in page
    assert "Secrète" not in page
    assert "1 other person ranked higher, not visible to you." in page
    # The same once the run has recorded the proposal.
    match = services.matching_run(actor=lead_a)[0]
    assert match.entry_id == chosen.pk
    page = client.get(reverse("access:match_detail", args=[match.pk])).content.decode()
    assert "Visible" in page
    assert "Secrète" not in page
    assert "1 other person ranked higher, not visible to you." in page
    assert hidden.pk != shown.pk


def test_propose_by_hand_and_on_a_taken_opening(client, lead_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    first = _entry(lead_a, org_a, 30)
    second = _entry(lead_a, org_a, 20)
    opening = services.openings_create(actor=lead_a, program=program)[0]
    c = _login(client, lead_a)
    url = reverse("access:opening_detail", args=[opening.pk])
    # `first` entered earlier, so comes first: passing them over needs a reason.
    response = c.post(url, {"entry": second.pk, "reason": "Seule personne jointe"})
    match = Match.objects.get()
    assert response.status_code == 302
    assert match.entry == second
    response = c.post(url, {"entry": first.pk}, follow=True)
    assert "already taken" in response.content.decode()
    assert Match.objects.count() == 1


def test_opening_detail_refused_without_permission(client, case_manager_a, lead_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    opening = services.openings_create(actor=lead_a, program=program)[0]
    assert (
        _login(client, case_manager_a).get(reverse("access:opening_detail", args=[opening.pk])).status_code
        == 403
    )


# --- matches: visibility, steps, concurrency -----------------------------------------------------------


def test_match_of_another_organisation_is_404(client, lead_a, lead_b, org_b):
    _people, (match,) = _matches(lead_b, org_b, 1)
    c = _login(client, lead_a)
    assert c.get(reverse("access:match_detail", args=[match.pk])).status_code == 404
    response = c.post(
        reverse("access:match_step", args=[match.pk]),
        {"to_status": "contacted", "expected_status": "proposed"},
    )
    assert response.status_code == 404
    # The name as the list shows it: a bare "P0" also turns up inside a random CSRF token now and then.
    assert match.participant.display_name not in c.get(reverse("access:match_list")).content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_match_detail_shows_reasons_and_logs_the_read(client, lead_a, org_a):
    _people, (match,) = _matches(lead_a, org_a, 1)
    page = _login(client, lead_a).get(reverse("access:match_detail", args=[match.pk])).content.decode()
    assert "P0" in page
    assert "The person was contacted" in page
    assert AuditEntry.objects.filter(
        action="access.match.viewed", is_read=True, participant=match.participant
    ).exists()


def test_step_forward_and_decline_needs_reason(client, lead_a, org_a):
    _people, (match,) = _matches(lead_a, org_a, 1)
    c = _login(client, lead_a)
    url = reverse("access:match_step", args=[match.pk])
    response = c.post(
        url, {"to_status": "person_declined", "expected_status": "proposed", "reason": " "}, follow=True
    )
    assert "Give the reason" in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    c.post(url, {"to_status": "contacted", "expected_status": "proposed"})
    match.refresh_from_db()
    assert match.status == MatchStatus.CONTACTED


def test_two_workers_step_the_same_match(client, lead_a, access_a, org_a):
    _people, (match,) = _matches(lead_a, org_a, 1)
    url = reverse("access:match_step", args=[match.pk])
    _login(client, lead_a).post(url, {"to_status": "contacted", "expected_status": "proposed"})
    response = _login(client, access_a).post(
        url, {"to_status": "withdrawn", "expected_status": "proposed", "reason": "Doublon"}, follow=True
    )
    assert "Someone else updated this match meanwhile" in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.CONTACTED
    assert MatchStep.objects.filter(match=match).count() == 2


def test_transfer_says_which_consent_is_missing(client, lead_a, org_a, org_b):
    program = ProgramFactory(organisation=org_b, kind=Program.Kind.ICM)
    _entry(lead_a, org_a, 30, legal_first_name="Transférée")
    opening = services.openings_create(actor=lead_a, program=program)[0]
    (match,) = services.matching_run(actor=lead_a, openings=[opening])
    for to_status, expected in [
        ("contacted", "proposed"),
        ("person_accepted", "contacted"),
        ("provider_accepted", "person_accepted"),
    ]:
        match = services.match_step(actor=lead_a, match=match, to_status=to_status, expected_status=expected)
    page = _login(client, lead_a).get(reverse("access:match_detail", args=[match.pk])).content.decode()
    assert "Consent missing" in page


def test_match_list_filters_by_status(client, lead_a, org_a):
    _people, matches = _matches(lead_a, org_a, 2)
    services.match_step(actor=lead_a, match=matches[0], to_status="contacted", expected_status="proposed")
    c = _login(client, lead_a)
    page = c.get(reverse("access:match_list"), {"status": "contacted"}).content.decode()
    assert "1 match" in page


# --- eligibility ---------------------------------------------------------------------------------------


def test_eligibility_for_person(
    client, lead_a, case_manager_a, lead_b, org_a, org_b, housing_specialist, shared_org
):
    ProgramFactory(
        organisation=org_a,
        kind=Program.Kind.ICM,
        eligibility=[{"criterion": "age", "rule": "must", "max": 30}],
    )
    services.openings_create(actor=housing_specialist, unit=_unit(housing_specialist, shared_org))
    mine = _entry(lead_a, org_a, 30)
    theirs = _entry(lead_b, org_b, 30)
    for user in (lead_a, case_manager_a):
        page = (
            _login(client, user)
            .get(reverse("access:eligibility", args=[mine.participant_id]))
            .content.decode()
        )
        assert "Not eligible" in page
        assert "Does not meet" in page
        assert "No accessibility need recorded." in page
    assert client.get(reverse("access:eligibility", args=[theirs.participant_id])).status_code == 404


def test_eligibility_refused_without_permission(client, outsider, lead_a, org_a):
    """A person's record: without the permission, the same 404 as for a file the user may not see."""
    mine = _entry(lead_a, org_a, 30)
    assert (
        _login(client, outsider).get(reverse("access:eligibility", args=[mine.participant_id])).status_code
        == 404
    )


# --- query counts --------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["access:opening_list", "access:match_list"])
def test_query_count_is_constant(client, lead_a, org_a, django_assert_max_num_queries, name):
    _matches(lead_a, org_a, 3)
    c = _login(client, lead_a)
    url = reverse(name)
    few = _count(c, url)
    _matches(lead_a, org_a, 17, start=3)
    assert Match.objects.count() == 20
    with django_assert_max_num_queries(few):
        assert c.get(url).status_code == 200


def test_home_shows_stalled_matches_and_alerts(client, lead_a, org_a, django_assert_max_num_queries):
    _matches(lead_a, org_a, 3)
    old = clock.now() - datetime.timedelta(days=30)
    Match.objects.update(last_step_at=old)
    services.matches_alert_stalled()
    c = _login(client, lead_a)
    page = c.get(reverse("home")).content.decode()
    assert "Matches to follow up" in page
    assert "3 stalled matches" in page
    assert "A match has had no step for 30 days." in page
    few = _count(c, reverse("home"))
    _matches(lead_a, org_a, 5, start=3)
    Match.objects.update(last_step_at=old)
    services.matches_alert_stalled()
    with django_assert_max_num_queries(few):
        c.get(reverse("home"))


def test_pages_render_in_french_by_default(client, lead_a, org_a, housing_specialist, shared_org):
    _people, (match,) = _matches(lead_a, org_a, 1)
    opening = services.openings_create(actor=housing_specialist, unit=_unit(housing_specialist, shared_org))[
        0
    ]
    client.force_login(lead_a)
    for url in [
        reverse("access:opening_list"),
        reverse("access:opening_detail", args=[opening.pk]),
        reverse("access:match_list"),
        reverse("access:match_detail", args=[match.pk]),
        reverse("access:eligibility", args=[match.participant_id]),
        reverse("home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="fr' in response.content.decode()
