"""Pages and API answers use the same number of queries for 5 rows as for 40 (no query per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.core import audit, clock
from ancrage.core.permissions import Category
from ancrage.people import services
from ancrage.people.tests.factories import make_participant, share
from ancrage.people.tests.helpers import fast_password_hasher, pdf_file  # noqa: F401

pytestmark = pytest.mark.django_db


def count_queries(client, url, **kwargs) -> int:
    client.get(url, **kwargs)  # warm caches (session, content types) out of the count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def add_participants(actor, org, n, *, share_with=None, start=0):
    created = []
    for i in range(start, start + n):
        p = make_participant(
            actor,
            org,
            legal_first_name=f"Prénom{i}",
            legal_last_name="Gagnon",
            preferred_name="Ti" if i % 2 else "",
            date_of_birth=datetime.date(1960, 1, 1) + datetime.timedelta(days=97 * i),
            dob_quality="approximate" if i % 3 else "exact",
            aliases=[f"Alias{i}"],
        )
        if share_with is not None:
            share(actor, p, [share_with], [Category.IDENTITY, Category.HOUSING], days=10)
        created.append(p)
    return created


PAGES = [
    ("people:list", {}, {}),
    ("people:list", {"q": "gagnon"}, {}),
    ("people:list", {"q": "gagnon"}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}),
    ("people:consents_expiring", {}, {}),
    ("home", {}, {}),
]


def _url(name, params):
    from urllib.parse import urlencode

    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


@pytest.mark.parametrize(
    ("name", "params", "headers"), PAGES, ids=["list", "search", "search-htmx", "expiring", "home"]
)
def test_list_pages_are_constant(name, params, headers, client_for, case_manager_a, org_a, partner_org):
    c = client_for(case_manager_a)
    add_participants(case_manager_a, org_a, 5, share_with=partner_org)
    few = count_queries(c, _url(name, params), **headers)
    add_participants(case_manager_a, org_a, 35, share_with=partner_org, start=5)
    many = count_queries(c, _url(name, params), **headers)
    assert many == few, (few, many)
    assert few <= 15


def test_list_is_constant_for_a_partner_seeing_through_consent(
    client_for, case_manager_a, partner_rep, org_a, partner_org
):
    c = client_for(partner_rep)
    add_participants(case_manager_a, org_a, 5, share_with=partner_org)
    few = count_queries(c, reverse("people:list"))
    add_participants(case_manager_a, org_a, 35, share_with=partner_org, start=5)
    many = count_queries(c, reverse("people:list"))
    assert many == few


@pytest.mark.parametrize("params", [{}, {"q": "gagnon"}])
def test_api_list_is_constant(params, client_for, case_manager_a, org_a):
    c = client_for(case_manager_a)
    add_participants(case_manager_a, org_a, 5)
    few = count_queries(c, _url("api:list_participants", params))
    add_participants(case_manager_a, org_a, 35, start=5)
    many = count_queries(c, _url("api:list_participants", params))
    assert many == few
    assert c.get(_url("api:list_participants", params)).json()["count"] == 40


def _grow_file(actor, participant, n, *, org, start=0):
    """Give a file n more of every row the detail page shows."""
    for i in range(start, start + n):
        services.alias_add(actor=actor, participant=participant, name=f"Surnom {i}")
        services.identifier_add(actor=actor, participant=participant, kind="other", value=f"ID-{i}")
        services.support_contact_add(actor=actor, participant=participant, name=f"Contact {i}", phone="514")
        services.household_member_add(
            actor=actor, participant=participant, first_name=f"Enfant {i}", relationship="child"
        )
        consent = share(actor, participant, [org], [Category.IDENTITY, Category.HOUSING])
        services.document_upload(
            actor=actor,
            participant=participant,
            kind="release",
            upload=pdf_file(),
            signed_on=clock.today(),
            resign_on=clock.today() + datetime.timedelta(days=30),
            consent=consent,
        )
        audit.record_read(actor=actor, participant=participant)


@pytest.mark.parametrize(
    "name", ["people:detail", "people:history", "people:who_saw", "api:get_participant", "api:list_consents"]
)
def test_participant_pages_are_constant(
    name, client_for, case_manager_a, program_manager_a, org_a, partner_org, participant_a
):
    c = client_for(case_manager_a)
    url = reverse(name, args=[participant_a.pk])
    _grow_file(case_manager_a, participant_a, 1, org=partner_org)
    dup = make_participant(case_manager_a, org_a, legal_first_name="Double")
    services.participant_merge(actor=program_manager_a, kept=participant_a, merged=dup)
    few = count_queries(c, url)
    _grow_file(case_manager_a, participant_a, 12, org=partner_org, start=1)
    for i in range(3):
        extra = make_participant(case_manager_a, org_a, legal_first_name=f"Double{i}")
        services.participant_merge(actor=program_manager_a, kept=participant_a, merged=extra)
    many = count_queries(c, url)
    assert many == few, (few, many)
    # The file shows each domain's section (case management, housing, rent, furniture, partners' notices):
    # each costs a query or two, never one per row.
    assert few <= 32


def _decided_and_noticed(actor, participant, n, *, partner, start=0):
    """n more files decided about with this one (not the same person), and n notices of every kind."""
    from ancrage.partners.jobs import CHANGE_CATEGORY
    from ancrage.partners.models import SignificantChangeNotice

    for i in range(start, start + n):
        other = make_participant(actor, participant.organisation, legal_first_name=f"Autre{i}")
        services.duplicate_decide(actor=actor, first=participant, second=other, decision="not_same")
        for kind in CHANGE_CATEGORY:
            SignificantChangeNotice.objects.create(
                participant=participant,
                kind=kind,
                happened_on=clock.today(),
                partner=partner,
                channel=SignificantChangeNotice.Channel.IN_APP,
                status=SignificantChangeNotice.Status.SENT,
            )


def test_participant_file_ceiling(
    client_for, case_manager_a, org_a, partner_org, participant_a, django_assert_max_num_queries
):
    """Issue 16: the file with every section filled (its own rows, decisions about other files, partners'
    notices of every kind) asks at most 29 queries, however many rows each section holds; the notices say
    which kinds the reader may read of this one person without a subquery a kind."""
    from ancrage.partners.tests.factories import make_partner

    partner = make_partner(case_manager_a, name="Clinique", kind="hospital", organisation=partner_org)
    c = client_for(case_manager_a)
    url = reverse("people:detail", args=[participant_a.pk])
    _grow_file(case_manager_a, participant_a, 1, org=partner_org)
    _decided_and_noticed(case_manager_a, participant_a, 1, partner=partner)
    c.get(url)
    with django_assert_max_num_queries(29) as few:
        c.get(url)
    _grow_file(case_manager_a, participant_a, 8, org=partner_org, start=1)
    _decided_and_noticed(case_manager_a, participant_a, 8, partner=partner, start=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = c.get(url)
    html = response.content.decode()
    assert html.count('class="notice notice-sent"') == 20  # the 20 latest of 63
    assert html.count("duplicate-decision") == 9


def test_audit_screen_is_constant(client_for, program_manager_a, case_manager_a, org_a):
    c = client_for(program_manager_a)
    people = add_participants(case_manager_a, org_a, 5)
    for p in people:
        services.participant_update(actor=case_manager_a, participant=p, phone="514-555-0000")
    few = count_queries(c, reverse("audit_log"))
    for p in add_participants(case_manager_a, org_a, 35, start=5):
        services.participant_update(actor=case_manager_a, participant=p, phone="514-555-0000")
    many = count_queries(c, reverse("audit_log"))
    assert many == few


def test_duplicates_page_is_constant(client_for, program_manager_a, case_manager_a, org_a, participant_a):
    c = client_for(program_manager_a)
    url = reverse("people:duplicates", args=[participant_a.pk])
    for i in range(3):
        make_participant(
            case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon", aliases=[f"A{i}"]
        )
    few = count_queries(c, url)
    for i in range(8):
        make_participant(
            case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon", aliases=[f"B{i}"]
        )
    many = count_queries(c, url)
    assert many == few


def test_list_page_ceiling(client_for, case_manager_a, org_a, django_assert_max_num_queries):
    c = client_for(case_manager_a)
    add_participants(case_manager_a, org_a, 30)
    c.get(reverse("people:list"))
    with django_assert_max_num_queries(12):
        assert c.get(reverse("people:list")).status_code == 200
