"""The audit screen shows no more than its reader may see now (issue 10, part 1; G1, G2)."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from ancrage.core import audit, clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people import selectors, services
from ancrage.people.tests.factories import make_participant, member, share

pytestmark = pytest.mark.django_db


def _entries(response) -> list[AuditEntry]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.fixture
def data_coordinator_a(org_a):
    return member(org_a, Role.DATA_COORDINATOR, username="donnees_a")


@pytest.fixture
def plan_entry(case_manager_a, participant_a):
    """A change of case notes: a recovery plan's aspirations, written as the services write them."""
    return audit.record(
        actor=case_manager_a,
        action="casework.plan.updated",
        participant=participant_a,
        data={"changes": {"aspirations": ["", "Retrouver ma fille"]}},
    )


@pytest.fixture
def name_entry(case_manager_a, participant_a):
    services.participant_update(actor=case_manager_a, participant=participant_a, preferred_name="Élo")
    return AuditEntry.objects.get(action="people.participant.updated")


def test_values_are_shown_only_for_kinds_the_reader_may_read(
    client_for, data_coordinator_a, program_manager_a, plan_entry, name_entry
):
    # A data coordinator reads identity, housing and coordinated access, not case notes.
    response = client_for(data_coordinator_a).get(reverse("audit_log"))
    entries = {e.pk: e for e in _entries(response)}
    assert plan_entry.pk in entries
    assert name_entry.pk in entries
    html = response.content.decode()
    assert "Retrouver ma fille" not in html
    assert entries[plan_entry.pk].values_hidden
    assert "Élo" in html
    assert not entries[name_entry.pk].values_hidden
    # The program manager reads every kind in their own organisation.
    html = client_for(program_manager_a).get(reverse("audit_log")).content.decode()
    assert "Retrouver ma fille" in html


def test_entries_about_people_the_reader_cannot_see_are_counted_not_listed(
    client_for, program_manager_a, case_manager_a, case_manager_b, org_a, org_b
):
    bruno = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    consent = share(case_manager_b, bruno, [org_a], [Category.IDENTITY, Category.CASE_NOTES])
    entry = audit.record(
        actor=case_manager_a,
        action="casework.contact.changed",
        participant=bruno,
        data={"changes": {"note": ["", "Bruno dort chez sa sœur"]}},
    )
    response = client_for(program_manager_a).get(reverse("audit_log"))
    assert entry.pk in {e.pk for e in _entries(response)}
    assert "Bruno dort chez sa sœur" in response.content.decode()
    # The consent ends: the entry of the reader's own organisation is no longer listed, only counted.
    services.consent_revoke(actor=case_manager_b, consent=consent, reason="Retrait")
    response = client_for(program_manager_a).get(reverse("audit_log"))
    html = response.content.decode()
    assert entry.pk not in {e.pk for e in _entries(response)}
    assert bruno.community_id not in html
    assert "Bruno" not in html
    assert response.context["hidden_count"] >= 1


def test_an_expired_consent_closes_the_entries_too(
    client_for, program_manager_a, case_manager_a, case_manager_b, org_a, org_b
):
    bruno = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    share(case_manager_b, bruno, [org_a], [Category.IDENTITY], days=10)
    entry = audit.record_read(actor=case_manager_a, participant=bruno)
    assert entry.pk in {e.pk for e in _entries(client_for(program_manager_a).get(reverse("audit_log")))}
    with time_machine.travel(clock.now() + datetime.timedelta(days=30)):
        response = client_for(program_manager_a).get(reverse("audit_log"))
        assert entry.pk not in {e.pk for e in _entries(response)}
        assert response.context["hidden_count"] == 1


def test_entries_about_no_participant_stay_in_their_organisation(
    client_for, program_manager_a, case_manager_b, org_b
):
    own = audit.record(actor=program_manager_a, action="access.policy.drafted", data={"version": 3})
    other = audit.record(actor=case_manager_b, action="access.policy.drafted", data={"version": 4})
    listed = {e.pk for e in _entries(client_for(program_manager_a).get(reverse("audit_log")))}
    assert own.pk in listed
    assert other.pk not in listed


def test_export_masks_like_the_screen_and_is_audited(
    client_for, data_coordinator_a, plan_entry, name_entry, participant_a
):
    audit.record(
        actor=data_coordinator_a,
        action="people.participant.updated",
        participant=participant_a,
        data={"changes": {"preferred_name": ["Élo", '=HYPERLINK("http://evil.example","x")']}},
    )
    response = client_for(data_coordinator_a).get(reverse("audit_export"), {"action": "", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert "Retrouver ma fille" not in body
    # French: the separator French Excel reads.
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert len(lines) >= 4
    assert not any(cell.startswith("=") for line in lines for cell in line)
    exported = AuditEntry.objects.get(action="people.audit.exported")
    assert exported.actor == data_coordinator_a
    assert exported.data["rows"] == len(lines) - 1
    # The export shows on the trail itself.
    listed = client_for(data_coordinator_a).get(reverse("audit_log"), {"action": "people.audit.exported"})
    assert exported.pk in {e.pk for e in _entries(listed)}


def test_outsiders_and_roles_without_the_permission(client_for, outsider, case_manager_a, partner_rep):
    for user in (outsider, case_manager_a, partner_rep):
        assert client_for(user).get(reverse("audit_log")).status_code == 403
        assert client_for(user).get(reverse("audit_export")).status_code == 403


def test_audit_screen_queries_do_not_grow_with_people(
    client_for, program_manager_a, case_manager_a, org_a, django_assert_max_num_queries
):
    c = client_for(program_manager_a)

    def add(n):
        for i in range(n):
            p = make_participant(case_manager_a, org_a, legal_first_name=f"P{i}", legal_last_name="Test")
            audit.record(
                actor=case_manager_a,
                action="casework.plan.updated",
                participant=p,
                data={"changes": {"aspirations": ["", "x"]}},
            )

    add(3)
    c.get(reverse("audit_log"))
    with django_assert_max_num_queries(16) as small:
        c.get(reverse("audit_log"))
    add(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(reverse("audit_log"))


def test_categories_for_participants_agrees_with_categories_for(
    case_manager_a, case_manager_b, org_a, org_b, participant_a, partner_rep, partner_org
):
    bruno = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    share(case_manager_b, bruno, [org_a], [Category.IDENTITY, Category.HEALTH])
    share(case_manager_a, participant_a, [partner_org], [Category.HEALTH])  # no identity: opens nothing
    for user in (case_manager_a, case_manager_b, partner_rep):
        many = selectors.categories_for_participants(user, [participant_a.pk, bruno.pk])
        for p in (participant_a, bruno):
            assert many[p.pk] == selectors.categories_for(user, p), (user, p)
