"""Who may see which participant, and which kinds of information: selectors applying role, organisation and consent."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.permissions import ALL_CATEGORIES, ROLE_CATEGORIES, Category, Role
from ancrage.people import selectors, services
from ancrage.people.tests.factories import UserFactory, make_participant, member, share
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

C = Category


def today():
    return clock.today()


def visible_ids(user):
    return set(selectors.participants_visible_to(user).values_list("pk", flat=True))


# --- home organisation -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR and r != Role.PARTNER])
def test_home_organisation_sees_every_category_its_role_allows(role, org_a, case_manager_a, participant_a):
    user = member(org_a, role)
    access = selectors.participant_get_for_user(user, participant_a.pk, log_read=False)
    assert access.categories == ROLE_CATEGORIES[role]
    assert access.is_home_organisation
    assert access.can_see_documents
    assert participant_a.pk in visible_ids(user)


def test_administrator_without_view_permission_sees_nothing(administrator, participant_a):
    assert selectors.categories_for(administrator, participant_a) == frozenset()
    with pytest.raises(Http404):
        selectors.participant_get_for_user(administrator, participant_a.pk)
    assert visible_ids(administrator) == set()


@pytest.mark.smoke
def test_other_mission_gets_404(case_manager_b, participant_a):
    with pytest.raises(Http404):
        selectors.participant_get_for_user(case_manager_b, participant_a.pk)
    assert participant_a.pk not in visible_ids(case_manager_b)
    assert list(selectors.participant_search(case_manager_b, "Gagnon")) == []


def test_missing_participant_is_404_like_a_hidden_one(case_manager_a):
    for pk in (999999, "abc", None):
        with pytest.raises(Http404):
            selectors.participant_get_for_user(case_manager_a, pk)


def test_outsider_sees_nothing(outsider, participant_a, case_manager_a, org_a):
    assert visible_ids(outsider) == set()
    assert selectors.categories_for(outsider, participant_a) == frozenset()
    with pytest.raises(Http404):
        selectors.participant_get_for_user(outsider, participant_a.pk)
    assert list(selectors.consents_expiring(outsider)) == []


def test_inactive_membership_or_organisation_gives_nothing(org_a, participant_a):
    user = member(org_a, Role.CASE_MANAGER)
    user.memberships.update(is_active=False)
    user = type(user).objects.get(pk=user.pk)
    with pytest.raises(Http404):
        selectors.participant_get_for_user(user, participant_a.pk)


def test_anonymous_sees_nothing(participant_a):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert selectors.categories_for(anon, participant_a) == frozenset()
    assert list(selectors.participants_visible_to(anon)) == []


# --- consent ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "consented",
    [
        {C.IDENTITY},
        {C.IDENTITY, C.HOUSING},
        {C.IDENTITY, C.HEALTH, C.CASE_NOTES},
        set(ALL_CATEGORIES),
    ],
)
def test_partner_sees_exactly_the_consented_categories(
    consented, case_manager_a, partner_rep, partner_org, participant_a
):
    share(case_manager_a, participant_a, [partner_org], consented)
    access = selectors.participant_get_for_user(partner_rep, participant_a.pk, log_read=False)
    assert access.categories == frozenset(consented)
    assert not access.is_home_organisation
    assert not access.can_see_documents
    assert participant_a.pk in visible_ids(partner_rep)


def test_without_consent_partner_sees_nothing(partner_rep, participant_a):
    with pytest.raises(Http404):
        selectors.participant_get_for_user(partner_rep, participant_a.pk)
    assert visible_ids(partner_rep) == set()


def test_consent_to_another_organisation_gives_partner_nothing(
    case_manager_a, partner_rep, org_b, participant_a
):
    share(case_manager_a, participant_a, [org_b], ALL_CATEGORIES)
    with pytest.raises(Http404):
        selectors.participant_get_for_user(partner_rep, participant_a.pk)
    assert visible_ids(partner_rep) == set()


@pytest.mark.parametrize(
    ("starts", "expires", "revoked"),
    [
        pytest.param(1, 60, False, id="not-started"),
        pytest.param(-60, -1, False, id="expired-yesterday"),
        pytest.param(-60, 60, True, id="revoked"),
    ],
)
def test_consent_not_in_force_gives_nothing(
    starts, expires, revoked, case_manager_a, partner_rep, partner_org, participant_a
):
    consent = share(
        case_manager_a,
        participant_a,
        [partner_org],
        [C.IDENTITY, C.HOUSING],
        starts_on=today() + datetime.timedelta(days=starts),
        expires_on=today() + datetime.timedelta(days=expires),
    )
    if revoked:
        services.consent_revoke(actor=case_manager_a, consent=consent)
    assert selectors.categories_for(partner_rep, participant_a) == frozenset()
    with pytest.raises(Http404):
        selectors.participant_get_for_user(partner_rep, participant_a.pk)
    assert visible_ids(partner_rep) == set()


@pytest.mark.parametrize(
    ("starts", "expires"),
    [pytest.param(0, 30, id="starts-today"), pytest.param(-30, 0, id="expires-today")],
)
def test_consent_in_force_on_its_first_and_last_day(
    starts, expires, case_manager_a, partner_rep, partner_org, participant_a
):
    share(
        case_manager_a,
        participant_a,
        [partner_org],
        [C.IDENTITY],
        starts_on=today() + datetime.timedelta(days=starts),
        expires_on=today() + datetime.timedelta(days=expires),
    )
    assert selectors.categories_for(partner_rep, participant_a) == {C.IDENTITY}


def test_consent_without_identity_gives_nothing(case_manager_a, partner_rep, partner_org, participant_a):
    share(case_manager_a, participant_a, [partner_org], [C.HOUSING, C.HEALTH])
    assert selectors.categories_for(partner_rep, participant_a) == frozenset()
    with pytest.raises(Http404):
        selectors.participant_get_for_user(partner_rep, participant_a.pk)
    assert visible_ids(partner_rep) == set()


def test_a_consent_without_identity_adds_nothing_to_another_consent(
    case_manager_a, partner_rep, partner_org, participant_a
):
    """Each consent stands on its own: health shared without identity stays closed."""
    share(case_manager_a, participant_a, [partner_org], [C.IDENTITY])
    share(case_manager_a, participant_a, [partner_org], [C.HEALTH])
    assert selectors.categories_for(partner_rep, participant_a) == {C.IDENTITY}


def test_two_consents_with_identity_add_up(case_manager_a, partner_rep, partner_org, participant_a):
    share(case_manager_a, participant_a, [partner_org], [C.IDENTITY, C.HOUSING])
    share(case_manager_a, participant_a, [partner_org], [C.IDENTITY, C.RISK])
    assert selectors.categories_for(partner_rep, participant_a) == {C.IDENTITY, C.HOUSING, C.RISK}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.RENT_CLERK, {C.IDENTITY, C.HOUSING}),
        (Role.HOUSING_SPECIALIST, {C.IDENTITY, C.HOUSING, C.RISK, C.COORDINATED_ACCESS}),
        (Role.PROGRAM_ASSISTANT, {C.IDENTITY}),
        (Role.PEER_SUPPORT, set(ALL_CATEGORIES)),
    ],
)
def test_role_limits_what_consent_opens(role, expected, case_manager_a, shared_org, participant_a):
    """A rent clerk never sees health, even when the participant shares everything with their service."""
    user = member(shared_org, role)
    share(case_manager_a, participant_a, [shared_org], ALL_CATEGORIES)
    assert selectors.categories_for(user, participant_a) == expected
    if role == Role.RENT_CLERK:
        assert C.HEALTH not in selectors.categories_for(user, participant_a)


def test_consent_to_several_organisations(case_manager_a, partner_rep, housing_specialist, participant_a):
    partner_org = partner_rep.primary_membership.organisation
    shared_org = housing_specialist.primary_membership.organisation
    share(case_manager_a, participant_a, [partner_org, shared_org], [C.IDENTITY, C.HEALTH, C.HOUSING])
    assert selectors.categories_for(partner_rep, participant_a) == {C.IDENTITY, C.HEALTH, C.HOUSING}
    assert selectors.categories_for(housing_specialist, participant_a) == {C.IDENTITY, C.HOUSING}


def test_user_in_two_organisations_gets_each_role_where_it_applies(
    case_manager_a, shared_org, partner_org, participant_a
):
    user = member(shared_org, Role.RENT_CLERK)
    from ancrage.accounts.models import Membership

    Membership.objects.create(user=user, organisation=partner_org, role=Role.PARTNER)
    user = type(user).objects.get(pk=user.pk)
    # Health goes to the partner organisation only; the rent service gets housing.
    share(case_manager_a, participant_a, [shared_org], [C.IDENTITY, C.HOUSING, C.HEALTH])
    share(case_manager_a, participant_a, [partner_org], [C.IDENTITY, C.CASE_NOTES])
    assert selectors.categories_for(user, participant_a) == {C.IDENTITY, C.HOUSING, C.CASE_NOTES}


@pytest.mark.smoke
def test_revocation_takes_effect_in_the_same_request_cycle(
    case_manager_a, partner_rep, partner_org, participant_a
):
    consent = share(case_manager_a, participant_a, [partner_org], [C.IDENTITY, C.HEALTH])
    # The same user object, with its cached memberships: nothing about consent is cached on it.
    assert selectors.participant_get_for_user(partner_rep, participant_a.pk, log_read=False)
    assert participant_a.pk in visible_ids(partner_rep)
    services.consent_revoke(actor=case_manager_a, consent=consent, reason="Demande")
    with pytest.raises(Http404):
        selectors.participant_get_for_user(partner_rep, participant_a.pk, log_read=False)
    assert participant_a.pk not in visible_ids(partner_rep)
    assert list(selectors.participant_search(partner_rep, "Gagnon")) == []


def test_revocation_closes_pages_and_api_at_once(
    client_for, case_manager_a, partner_rep, partner_org, participant_a
):
    consent = share(case_manager_a, participant_a, [partner_org], [C.IDENTITY])
    c = client_for(partner_rep)
    assert c.get(reverse("people:detail", args=[participant_a.pk])).status_code == 200
    assert c.get(f"/api/v1/participants/{participant_a.pk}").status_code == 200
    assert "Gagnon" in c.get(reverse("people:list")).content.decode()
    services.consent_revoke(actor=case_manager_a, consent=consent)
    assert c.get(reverse("people:detail", args=[participant_a.pk])).status_code == 404
    assert c.get(f"/api/v1/participants/{participant_a.pk}").status_code == 404
    assert "Gagnon" not in c.get(reverse("people:list")).content.decode()
    assert c.get("/api/v1/participants").json()["count"] == 0


def test_home_page_forgets_files_no_longer_visible(
    client_for, case_manager_a, partner_rep, partner_org, participant_a
):
    """'Files you opened recently' must not keep showing a name once consent is revoked."""
    consent = share(case_manager_a, participant_a, [partner_org], [C.IDENTITY])
    c = client_for(partner_rep)
    c.get(reverse("people:detail", args=[participant_a.pk]))
    assert "Gagnon" in c.get(reverse("home")).content.decode()
    services.consent_revoke(actor=case_manager_a, consent=consent)
    assert "Gagnon" not in c.get(reverse("home")).content.decode()


# --- the participant's own record --------------------------------------------------------------------


@pytest.fixture
def portal_user(participant_a):
    user = UserFactory(username="moi")
    participant_a.portal_user = user
    participant_a.save(update_fields=["portal_user"])
    return user


def test_participant_sees_their_own_file(portal_user, participant_a, client_for):
    access = selectors.participant_get_for_user(portal_user, participant_a.pk, log_read=False)
    assert access.is_self
    assert access.categories == ALL_CATEGORIES
    assert access.can_see_documents
    c = client_for(portal_user)
    assert c.get(reverse("people:detail", args=[participant_a.pk])).status_code == 200
    assert c.get(reverse("people:who_saw", args=[participant_a.pk])).status_code == 200


def test_participant_sees_only_their_own_file(portal_user, case_manager_a, org_a, participant_a):
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre", legal_last_name="Personne")
    with pytest.raises(Http404):
        selectors.participant_get_for_user(portal_user, other.pk)
    # No role: the list of participants stays empty, even their own (the portal is a separate door).
    assert visible_ids(portal_user) == set()


# --- merged files --------------------------------------------------------------------------------------


@pytest.fixture
def merged_pair(case_manager_a, program_manager_a, org_a, participant_a):
    dup = make_participant(case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon")
    services.participant_merge(
        actor=program_manager_a, kept=participant_a, merged=dup, reason="Même personne"
    )
    dup.refresh_from_db()
    return participant_a, dup


def test_merged_file_leaves_lists_but_still_opens(merged_pair, case_manager_a, client_for):
    kept, merged = merged_pair
    assert merged.pk not in visible_ids(case_manager_a)
    assert kept.pk in visible_ids(case_manager_a)
    assert [p.pk for p in selectors.participant_search(case_manager_a, "Gagnon")] == [kept.pk]
    access = selectors.participant_get_for_user(case_manager_a, merged.pk, log_read=False)
    assert access.participant.merged_into_id == kept.pk
    response = client_for(case_manager_a).get(reverse("people:detail", args=[merged.pk]))
    assert response.status_code == 200
    assert reverse("people:detail", args=[kept.pk]) in response.content.decode()


def test_merged_file_stays_hidden_from_other_organisations(merged_pair, case_manager_b):
    _kept, merged = merged_pair
    with pytest.raises(Http404):
        selectors.participant_get_for_user(case_manager_b, merged.pk)


def test_consent_follows_the_merge(
    case_manager_a, program_manager_a, partner_rep, partner_org, org_a, participant_a
):
    dup = make_participant(case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon")
    share(case_manager_a, dup, [partner_org], [C.IDENTITY, C.HOUSING])
    assert selectors.categories_for(partner_rep, dup) == {C.IDENTITY, C.HOUSING}
    services.participant_merge(actor=program_manager_a, kept=participant_a, merged=dup)
    dup.refresh_from_db()
    assert selectors.categories_for(partner_rep, participant_a) == {C.IDENTITY, C.HOUSING}
    assert selectors.categories_for(partner_rep, dup) == frozenset()
    assert visible_ids(partner_rep) == {participant_a.pk}


# --- reads are logged ---------------------------------------------------------------------------------


def test_reading_a_file_is_logged_with_the_categories_seen(
    case_manager_a, partner_rep, partner_org, participant_a
):
    from ancrage.core.models import AuditEntry

    share(case_manager_a, participant_a, [partner_org], [C.IDENTITY, C.HOUSING])
    before = AuditEntry.objects.count()
    selectors.participant_get_for_user(partner_rep, participant_a.pk)
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "people.participant.viewed"
    assert entry.is_read
    assert entry.actor == partner_rep
    assert entry.participant == participant_a
    assert entry.organisation == partner_org
    assert entry.data == {"categories": [C.HOUSING, C.IDENTITY]}


def test_a_refused_read_is_not_logged_as_a_read(case_manager_b, participant_a):
    from ancrage.core.models import AuditEntry

    before = AuditEntry.objects.count()
    with pytest.raises(Http404):
        selectors.participant_get_for_user(case_manager_b, participant_a.pk)
    assert AuditEntry.objects.count() == before


# --- consents seen by another organisation -------------------------------------------------------------


def test_partner_sees_only_the_consents_naming_its_organisation(
    client_for, case_manager_a, partner_rep, partner_org, shared_org, org_b, participant_a
):
    """Who else the participant shares with, and what (say health with a treatment centre), is not theirs to see."""
    mine = share(case_manager_a, participant_a, [partner_org], [C.IDENTITY])
    other = share(case_manager_a, participant_a, [org_b], [C.IDENTITY, C.HEALTH])
    access = selectors.participant_get_for_user(partner_rep, participant_a.pk, log_read=False)
    assert [c.pk for c in selectors.consents_for(access)] == [mine.pk]
    home = selectors.participant_get_for_user(case_manager_a, participant_a.pk, log_read=False)
    assert {c.pk for c in selectors.consents_for(home)} == {mine.pk, other.pk}
    c = client_for(partner_rep)
    assert [x["id"] for x in c.get(f"/api/v1/participants/{participant_a.pk}/consents").json()] == [mine.pk]
    page = c.get(reverse("people:detail", args=[participant_a.pk]))
    assert [x.pk for x in page.context["consents"]] == [mine.pk]


def test_participant_sees_all_their_consents(case_manager_a, partner_org, org_b, participant_a):
    share(case_manager_a, participant_a, [partner_org], [C.IDENTITY])
    share(case_manager_a, participant_a, [org_b], [C.IDENTITY])
    user = UserFactory(username="moi-meme")
    participant_a.portal_user = user
    participant_a.save(update_fields=["portal_user"])
    access = selectors.participant_get_for_user(user, participant_a.pk, log_read=False)
    assert len(selectors.consents_for(access)) == 2


def test_consent_actions_are_shown_to_the_home_organisation_only(
    client_for, case_manager_a, case_manager_b, org_b, participant_a
):
    """Another organisation seeing a file through consent may not widen or revoke that consent."""
    from django.urls import reverse

    from ancrage.people.tests.factories import share

    consent = share(case_manager_a, participant_a, [org_b], ["identity"])
    detail = reverse("people:detail", args=[participant_a.pk])
    new_consent = reverse("people:consent_create", args=[participant_a.pk])
    revoke = reverse("people:consent_revoke", args=[participant_a.pk, consent.pk])
    page_b = client_for(case_manager_b).get(detail).content.decode()
    assert new_consent not in page_b
    assert revoke not in page_b
    page_a = client_for(case_manager_a).get(detail).content.decode()
    assert new_consent in page_a
    assert revoke in page_a
