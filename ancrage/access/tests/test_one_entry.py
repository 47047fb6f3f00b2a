"""One line per person on the by-name list (A4): linked files are one person, listed, counted and ranked once;
intake says who is already on the list; decisions show on both files; the hub's worklist of duplicates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.access import selectors, services
from ancrage.access.models import ByNameEntry, ByNameStatus
from ancrage.access.tests.factories import TEST_POLICY, consent_for_access, make_referral
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Organisation
from ancrage.people import services as people_services
from ancrage.people.tests.factories import OrganisationFactory, make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(consortium):
    return OrganisationFactory(
        consortium=consortium,
        name="Accès coordonné",
        short_name="ACC",
        kind=Organisation.Kind.COORDINATED_ACCESS,
    )


@pytest.fixture
def hub_worker(hub):
    # Pages in English: the assertions read the English wording.
    return member(hub, Role.COORDINATED_ACCESS, username="acces_test", language="en")


@pytest.fixture
def policy(hub_worker):
    draft = services.policy_draft_create(actor=hub_worker, text=TEST_POLICY)
    return services.policy_activate(actor=hub_worker, policy=draft, reason="Comité")


@pytest.fixture
def pair(case_manager_a, case_manager_b, org_a, org_b, hub):
    """The same person on the list twice: once through Mission A, once through Mission B; both shared with
    the hub for coordinated access."""
    today = clock.today()
    a = make_participant(case_manager_a, org_a, legal_first_name="Roberto", legal_last_name="Lemieux")
    b = make_participant(case_manager_b, org_b, legal_first_name="Robert", legal_last_name="Lemieux")
    for worker, person in ((case_manager_a, a), (case_manager_b, b)):
        consent_for_access(worker, person, [hub, worker.primary_membership.organisation])
        # Their files date from before their days on the list (a list's date never precedes the file).
        type(person).objects.filter(pk=person.pk).update(
            created_at=clock.start_of_day(today - datetime.timedelta(days=60))
        )
        person.refresh_from_db()
    first = services.by_name_entry_add(
        actor=case_manager_a,
        participant=a,
        reference_worker=case_manager_a,
        entered_on=today - datetime.timedelta(days=40),
        backdate_reason="Inscrit sur la liste papier",
    )
    second = services.by_name_entry_add(
        actor=case_manager_b,
        participant=b,
        reference_worker=case_manager_b,
        entered_on=today - datetime.timedelta(days=10),
        backdate_reason="Inscrit sur la liste papier",
    )
    return first, second


def _link(actor, first, second):
    people_services.duplicate_decide(
        actor=actor,
        first=first.participant,
        second=second.participant,
        decision="linked",
        reason="Même personne",
    )


def test_linked_files_are_one_line_on_the_list(hub_worker, pair, policy):
    first, second = pair
    services.ranks_recompute()
    assert selectors.by_name_list_for_user(hub_worker).count() == 2
    _link(hub_worker, first, second)
    services.ranks_recompute()
    # The earlier entry holds the line; the other points to it, and is neither listed nor ranked.
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.listed_via == first
    assert first.listed_via is None
    assert [e.pk for e in selectors.by_name_list_for_user(hub_worker)] == [first.pk]
    assert first.priority_rank == 1
    assert second.priority_rank is None
    assert AuditEntry.objects.filter(action="access.by_name.linked", participant=second.participant).exists()
    # The month's flow counts the person once.
    today = clock.today()
    flows = [
        selectors.monthly_flow(hub_worker, d.year, d.month)
        for d in {first.entered_on, second.entered_on, today}
    ]
    assert sum(f.new for f in flows) == 1
    assert selectors.monthly_flow(hub_worker, today.year, today.month).actively_homeless == 1
    # Matching proposes the person once.
    assert [f.entry_id for f in selectors.candidates(today)] == [first.pk]


def test_a_decision_undone_gives_the_file_its_line_back(hub_worker, pair):
    first, second = pair
    _link(hub_worker, first, second)
    people_services.duplicate_decide(
        actor=hub_worker,
        first=first.participant,
        second=second.participant,
        decision="not_same",
        reason="Erreur",
    )
    second.refresh_from_db()
    assert second.listed_via is None
    assert selectors.by_name_list_for_user(hub_worker).count() == 2


def test_a_linked_file_is_not_added_a_second_time(case_manager_a, case_manager_b, org_b, hub_worker, pair):
    first, _second = pair
    third = make_participant(case_manager_b, org_b, legal_first_name="Bob", legal_last_name="Lemieux")
    people_services.duplicate_decide(
        actor=hub_worker, first=first.participant, second=third, decision="linked", reason="Même personne"
    )
    with pytest.raises(ValidationError) as refused:
        services.by_name_entry_add(actor=case_manager_b, participant=third, reference_worker=case_manager_b)
    assert first.participant.community_id in str(refused.value)


def test_an_intake_of_a_linked_file_acts_on_the_line_already_held(
    case_manager_b, org_b, hub, hub_worker, pair
):
    first, _second = pair
    third = make_participant(case_manager_b, org_b, legal_first_name="Bob", legal_last_name="Lemieux")
    consent_for_access(case_manager_b, third, [hub])
    people_services.duplicate_decide(
        actor=hub_worker, first=first.participant, second=third, decision="linked", reason="Même personne"
    )
    referral = make_referral(hub_worker, person_name="Bob Lemieux")
    intake = services.intake_start(actor=hub_worker, referral=referral, participant=third)
    services.intake_complete(actor=hub_worker, intake=intake, reference_worker=hub_worker)
    assert not ByNameEntry.objects.filter(participant=third).exists()
    first.refresh_from_db()
    assert first.reference_worker == hub_worker
    assert first.status == ByNameStatus.ACTIVE


def test_the_intake_says_who_is_already_on_the_list(client_for, hub_worker, pair, policy):
    first, second = pair
    _link(hub_worker, first, second)
    services.ranks_recompute()
    referral = make_referral(hub_worker, person_name="Robert Lemieux")
    page = client_for(hub_worker).get(reverse("access:intake_start", args=[referral.pk]))
    text = page.content.decode()
    assert text.count("Already on the by-name list") == 2
    assert f"through the linked file {first.participant.community_id}" in text
    assert "rank 1" in text


def test_the_list_line_is_not_told_without_coordinated_access_information(
    client_for, case_manager_a, org_a, org_b, case_manager_b, hub
):
    # A file shared with Mission A for identity only: Mission A may find it, not learn it is on the list.
    person = make_participant(case_manager_b, org_b, legal_first_name="Roberto", legal_last_name="Lemieux")
    share(case_manager_b, person, [org_a], [Category.IDENTITY])
    type(case_manager_a).objects.filter(pk=case_manager_a.pk).update(language="en")
    services.by_name_entry_add(actor=case_manager_b, participant=person, reference_worker=case_manager_b)
    referral = make_referral(case_manager_a, person_name="Roberto Lemieux")
    page = client_for(case_manager_a).get(reverse("access:intake_start", args=[referral.pk]))
    assert person.community_id in page.content.decode()
    assert "Already on the by-name list" not in page.content.decode()


def test_the_decision_shows_on_both_files_and_is_not_offered_again(client_for, hub_worker, pair):
    first, second = pair
    _link(hub_worker, first, second)
    c = client_for(hub_worker)
    for entry, other in ((first, second), (second, first)):
        page = c.get(reverse("people:detail", args=[entry.participant.pk]))
        decisions = page.context["duplicate_decisions"]
        assert [d.other for d in decisions] == [other.participant]
        assert "Same person, files linked" in page.content.decode()
    page = c.get(reverse("people:detail", args=[second.participant.pk]))
    assert page.context["by_name_via"] == first.participant
    duplicates = c.get(reverse("people:duplicates", args=[first.participant.pk]))
    text = duplicates.content.decode()
    assert "Already decided" in text
    assert 'value="linked"' not in text
    assert 'value="not_same"' not in text


# --- the hub's worklist of probable duplicates ---------------------------------------------------------


def test_the_worklist_lists_pairs_across_organisations_with_their_decision(client_for, hub_worker, pair):
    first, second = pair
    c = client_for(hub_worker)
    url = reverse("people:duplicate_worklist")
    pairs = list(c.get(url).context["page"].object_list)
    assert [(p.first, p.second) for p in pairs] == [(first.participant, second.participant)]
    _link(hub_worker, first, second)
    assert list(c.get(url).context["page"].object_list) == []
    decided = c.get(url + "?show=decided")
    assert [p.decision.decision for p in decided.context["page"].object_list] == ["linked"]
    # Nothing left to decide there: no way to the decision page.
    assert reverse("people:duplicates", args=[first.participant.pk]) not in decided.content.decode()


def test_the_worklist_holds_only_files_the_user_may_see(
    client_for, case_manager_a, case_manager_b, org_a, org_b, hub_worker
):
    hidden = make_participant(case_manager_b, org_b, legal_first_name="Nadia", legal_last_name="Cloutier")
    make_participant(case_manager_a, org_a, legal_first_name="Nadia", legal_last_name="Cloutier")
    assert hidden.pk
    # The hub sees neither (no consent), so no pair.
    assert (
        list(client_for(hub_worker).get(reverse("people:duplicate_worklist")).context["page"].object_list)
        == []
    )


def test_the_worklist_needs_the_permission(client_for, case_manager_a, outsider):
    assert client_for(case_manager_a).get(reverse("people:duplicate_worklist")).status_code == 403
    assert client_for(outsider).get(reverse("people:duplicate_worklist")).status_code == 403


def test_the_worklist_costs_the_same_queries_for_few_or_many_pairs(
    client_for, case_manager_a, case_manager_b, org_a, org_b, hub, hub_worker, django_assert_max_num_queries
):
    def pairs(names):
        for name in names:
            born = datetime.date(1950 + len(name), len(name) % 12 + 1, 3)
            first = name[:3] + "ine"
            for worker, org in ((case_manager_a, org_a), (case_manager_b, org_b)):
                person = make_participant(
                    worker, org, legal_first_name=first, legal_last_name=name, date_of_birth=born
                )
                consent_for_access(worker, person, [hub])

    c = client_for(hub_worker)
    url = reverse("people:duplicate_worklist")
    pairs(["Archambault"])
    c.get(url)
    with django_assert_max_num_queries(12) as few:
        assert len(c.get(url).context["page"].object_list) == 1
    pairs(["Bellefeuilles", "Charbonneauxx", "Desrosiersxxxx", "Letourneauxxxxx"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(c.get(url).context["page"].object_list) == 5
