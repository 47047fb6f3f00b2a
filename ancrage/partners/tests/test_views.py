"""Pages and API of partners: forms in both languages, bad input, what each reader sees, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.core.signals import ChangeKind, announce
from ancrage.partners import services
from ancrage.partners.models import Partner, PartnerContactLog
from ancrage.partners.tests.factories import involved_partner, make_partner
from ancrage.people.tests.factories import member, share
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


def test_add_a_partner_in_french_then_english(client_for, program_manager_a):
    c = client_for(program_manager_a)
    page = c.get(reverse("partners:create"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Type de partenaire" in page.content.decode()
    response = c.post(
        reverse("partners:create"),
        {
            "name": "Banque de meubles du Plateau",
            "kind": "furniture_bank",
            "language": "fr-ca",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[partner.pk])
    # A second save of the same form is refused in words, the first partner kept.
    again = c.post(
        reverse("partners:create"),
        {"name": "banque de meubles du plateau", "kind": "furniture_bank", "language": "fr-ca"},
    )
    assert again.status_code == 200
    assert "déjà au registre" in again.content.decode()
    assert Partner.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Nom\x00nul"),
        ("name", "x" * 10_000),
        ("contact_every_days", "-3"),
        ("organisation", "999999"),
    ],
)
def test_bad_input_is_a_message_never_a_500(client_for, program_manager_a, field, value):
    data = {"name": "Partenaire", "kind": "other", "language": "fr-ca"} | {field: value}
    response = client_for(program_manager_a).post(reverse("partners:create"), data)
    assert response.status_code == 200
    assert Partner.objects.count() == 0


def test_absurd_dates_and_another_consortiums_partner(client_for, program_manager_a):
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory

    partner = make_partner(program_manager_a)
    c = client_for(program_manager_a)
    response = c.post(
        reverse("partners:agreement_add", args=[partner.pk]),
        {"title": "Entente", "kind": "service", "signed_on": "0001-01-01", "renewal_on": "9999-12-31"},
    )
    assert response.status_code == 200
    assert not partner.agreements.exists()
    response = c.post(
        reverse("partners:log_add", args=[partner.pk]),
        {"on": "9999-01-01", "channel": "phone", "purpose": "routine", "summary": "Suivi"},
    )
    assert response.status_code == 200
    assert not PartnerContactLog.objects.exists()
    elsewhere = OrganisationFactory(
        consortium=ConsortiumFactory(name="Autre", short_name="AUT"), short_name="AUT"
    )
    theirs = make_partner(member(elsewhere, Role.PROGRAM_MANAGER), name="Ailleurs", kind="food_bank")
    assert c.get(reverse("partners:detail", args=[theirs.pk])).status_code == 404
    assert c.get(f"/api/v1/partners/{theirs.pk}").status_code == 404


def test_log_a_contact_then_the_partner_leaves_the_due_list(client_for, program_manager_a):
    partner = make_partner(program_manager_a, name="Aide juridique", kind="legal_aid")
    c = client_for(program_manager_a)
    assert "Aide juridique" in c.get(reverse("home")).content.decode()
    c.post(
        reverse("partners:log_add", args=[partner.pk]),
        {
            "on": clock.today().isoformat(),
            "channel": "phone",
            "purpose": "routine",
            "summary": "Appel mensuel",
        },
    )
    follow = c.get(reverse("partners:follow_up")).content.decode()
    assert "Aide juridique" not in follow
    assert "Appel mensuel" in c.get(reverse("partners:detail", args=[partner.pk])).content.decode()


def test_agreement_document_is_served_only_after_the_check(client_for, program_manager_a, org_b, partner_rep):
    from ancrage.people.tests.helpers import pdf_file

    partner = make_partner(program_manager_a)
    agreement = services.agreement_add(
        actor=program_manager_a,
        partner=partner,
        title="E",
        kind="service",
        signed_on=clock.today(),
        upload=pdf_file(),
    )
    url = reverse("partners:agreement_document", args=[partner.pk, agreement.pk])
    response = client_for(program_manager_a).get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert client_for(partner_rep).get(url).status_code == 403
    api = client_for(program_manager_a).get(f"/api/v1/partners/{partner.pk}").json()
    assert api["agreements"][0]["has_document"] is True
    assert "file" not in api["agreements"][0]


def test_notices_show_to_the_sender_and_to_a_consenting_partner_only(
    client_for, case_manager_a, participant_a, partner_org, partner_rep, django_capture_on_commit_callbacks
):
    involved_partner(case_manager_a, participant_a, partner_org)
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    with django_capture_on_commit_callbacks(execute=True):
        announce(
            sender="t", participant_id=participant_a.pk, kind=ChangeKind.HOUSED, happened_on=clock.today()
        )
        announce(sender="t", participant_id=participant_a.pk, kind=ChangeKind.EXIT, happened_on=clock.today())
    partner_page = client_for(partner_rep).get(reverse("partners:notices"), HTTP_ACCEPT_LANGUAGE="en")
    text = partner_page.content.decode()
    assert participant_a.display_name in text
    assert "notice-sent" in text
    assert "notice-no_consent" not in text  # the exit needed case notes: the partner never sees it
    home = client_for(partner_rep).get(reverse("home")).content.decode()
    assert "home-notices" in home
    sender = (
        client_for(case_manager_a).get(reverse("people:detail", args=[participant_a.pk])).content.decode()
    )
    assert "notice-no_consent" in sender
    assert "notice-sent" in sender
    api = client_for(partner_rep).get("/api/v1/partner-notices").json()
    assert [n["kind"] for n in api["items"]] == ["housed"]


def test_risk_plan_page_names_the_linked_police_unit(
    client_for, program_manager_a, case_manager_a, participant_a
):
    from ancrage.casework.risk import services as risk_services

    police = make_partner(program_manager_a, name="SPVM — poste de quartier 38")
    plan = risk_services.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=clock.today(),
        level=1,
        rating="low",
        description="x",
    )
    services.police_link_set(actor=program_manager_a, partner=police, risk_plan=plan)
    page = (
        client_for(case_manager_a)
        .get(reverse("casework:risk_list", args=[participant_a.pk]))
        .content.decode()
    )
    assert "SPVM — poste de quartier 38" in page
    detail = client_for(program_manager_a).get(reverse("partners:detail", args=[police.pk])).content.decode()
    assert participant_a.display_name in detail


def test_api_create_and_log(client_for, program_manager_a, case_manager_a):
    c = client_for(program_manager_a)
    created = c.post(
        "/api/v1/partners", {"name": "IPS Emploi", "kind": "employment"}, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    bad = c.post(
        f"/api/v1/partners/{pk}/contact-log",
        {"on": "2199-01-01", "channel": "phone", "purpose": "routine", "summary": "x"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["on"]
    refused = client_for(case_manager_a).post(
        "/api/v1/partners", {"name": "X", "kind": "other"}, content_type="application/json"
    )
    assert refused.status_code == 403


def _many_partners(actor, n: int, start: int = 0):
    for i in range(start, start + n):
        partner = make_partner(actor, name=f"Partenaire {i}", kind="other")
        services.contact_log_record(
            actor=actor,
            partner=partner,
            on=clock.today() - datetime.timedelta(days=40),
            channel="email",
            purpose="routine",
            summary="x",
        )


@pytest.mark.parametrize("url", ["partners:list", "partners:follow_up", "home"])
def test_lists_use_a_constant_number_of_queries(
    url, client_for, program_manager_a, django_assert_max_num_queries
):
    c = client_for(program_manager_a)
    _many_partners(program_manager_a, 2)
    c.get(reverse(url))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert c.get(reverse(url)).status_code == 200
    _many_partners(program_manager_a, 12, start=10)
    with django_assert_max_num_queries(len(few)):
        assert c.get(reverse(url)).status_code == 200


def test_notice_lists_use_a_constant_number_of_queries(
    client_for,
    case_manager_a,
    participant_a,
    partner_org,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    involved_partner(case_manager_a, participant_a, partner_org)
    share(case_manager_a, participant_a, [partner_org], list(Category.values))
    c = client_for(case_manager_a)

    days = iter(range(400))

    def changes(n):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(n):
                announce(
                    sender="t",
                    participant_id=participant_a.pk,
                    kind=ChangeKind.INCIDENT,
                    happened_on=clock.today() - datetime.timedelta(days=next(days)),
                )

    changes(1)
    for url in (reverse("partners:notices"), "/api/v1/partner-notices"):
        c.get(url)
        with CaptureQueriesContext(connection) as few:
            c.get(url)
        changes(8)
        with django_assert_max_num_queries(len(few)):
            c.get(url)
