"""Lists and exports are reads too (G2): each person a list, a search or an export shows gets one read
entry, written in one statement whatever the list's length."""

import pytest
from django.urls import reverse

from ancrage.access.tests.factories import make_entry
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant, member

pytestmark = pytest.mark.django_db


def _reads(user, action) -> set[int]:
    return set(
        AuditEntry.objects.filter(actor=user, action=action, is_read=True).values_list(
            "participant_id", flat=True
        )
    )


@pytest.fixture
def three(case_manager_a, org_a):
    return [make_participant(case_manager_a, org_a, legal_first_name=f"Personne{i}") for i in range(3)]


def test_participant_list_page_records_each_person_shown(client_for, case_manager_a, three):
    assert client_for(case_manager_a).get(reverse("people:list")).status_code == 200
    assert _reads(case_manager_a, "people.participant.listed") >= {p.pk for p in three}


def test_a_search_records_only_the_people_found(client_for, case_manager_a, three):
    response = client_for(case_manager_a).get(reverse("people:list"), {"q": "Personne1"})
    assert response.status_code == 200
    assert _reads(case_manager_a, "people.participant.listed") == {three[1].pk}


def test_api_participant_list_records_the_page(client_for, case_manager_a, three):
    assert client_for(case_manager_a).get("/api/v1/participants").status_code == 200
    assert _reads(case_manager_a, "people.participant.listed") >= {p.pk for p in three}


def test_by_name_list_page_and_api_record_each_person(client_for, case_manager_a, org_a):
    entries = [make_entry(case_manager_a, org_a, legal_last_name=f"Liste{i}") for i in range(3)]
    shown = {e.participant_id for e in entries}
    c = client_for(case_manager_a)
    assert c.get(reverse("access:by_name_list"), {"status": ""}).status_code == 200
    assert _reads(case_manager_a, "access.by_name_list.listed") >= shown
    AuditEntry.objects.filter(action="access.by_name_list.listed").delete()
    assert c.get("/api/v1/by-name-list").status_code == 200
    assert _reads(case_manager_a, "access.by_name_list.listed") >= shown


def test_a_list_writes_its_reads_in_one_statement(
    client_for, case_manager_a, org_a, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    for i in range(3):
        make_participant(case_manager_a, org_a, legal_first_name=f"Petit{i}")
    c.get(reverse("people:list"))
    with django_assert_max_num_queries(40) as small:
        c.get(reverse("people:list"))
    for i in range(20):
        make_participant(case_manager_a, org_a, legal_first_name=f"Grand{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(reverse("people:list"))


def test_audit_export_records_a_read_of_each_file_it_names(client_for, org_a, case_manager_a, participant_a):
    auditor = member(org_a, Role.PROGRAM_MANAGER, username="auditrice")
    c = client_for(case_manager_a)
    c.get(reverse("people:detail", args=[participant_a.pk]))
    assert client_for(auditor).get(reverse("audit_export")).status_code == 200
    assert participant_a.pk in _reads(auditor, "people.audit.exported_about")


def test_refused_list_writes_no_read(client_for, outsider, three):
    assert client_for(outsider).get(reverse("people:list")).status_code in (403, 404)
    assert not AuditEntry.objects.filter(actor=outsider).exists()
