"""The rent payment service's pages: the clerk's day, constant queries, privacy (no case notes for the clerk,
a participant's arrears only under HOUSING), bad input, the export and the statement."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category
from ancrage.housing.models import LandlordPayment, RentRoll, ShareReceipt
from ancrage.housing.rent import services
from ancrage.housing.tests.rent_helpers import build_rent_world, make_participant_shared, make_tenancy

pytestmark = pytest.mark.django_db
D = Decimal
MAR = datetime.date(2026, 3, 1)


@pytest.fixture
def rent_world(consortium, org_a, shared_org, case_manager_a):
    return build_rent_world(consortium, org_a, shared_org, case_manager_a)


@pytest.fixture(autouse=True)
def _march(time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 3, 21, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
    )
    with translation.override("en"):
        yield


def _tenancies(w, n, landlord=None, start=datetime.date(2026, 1, 1), prefix="P"):
    out = []
    for i in range(n):
        p = make_participant_shared(w.case_manager, w.mission, w.service, legal_first_name=f"{prefix}{i}")
        out.append(
            make_tenancy(
                participant=p, landlord=landlord or w.landlord, actor=w.case_manager, lease_start=start
            )
        )
    return out


def test_clerk_home_shows_the_day(rent_world, client_for):
    w = rent_world
    (t,) = _tenancies(w, 1, start=datetime.date(2025, 12, 1))
    for month in (datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)):
        roll = services.roll_generate(actor=w.clerk, service=w.service, month=month)
        services.roll_approve(actor=w.clerk, roll=roll)
    services.payment_record(
        actor=w.clerk,
        roll=roll,
        landlord=w.landlord,
        amount=D("900"),
        method="cheque",
        reference="77",
        paid_on=MAR,
    )
    page = client_for(w.clerk).get(reverse("home")).content.decode()
    # Pages speak French, the default language.
    assert "Paiement de loyer aujourd" in page
    assert "Générer le rôle de mars 2026" in page  # the current month, not generated yet
    assert "Générer le rôle de avril 2026" in page  # from the 20th, next month's too
    assert "1 paiement non rapproché" in page
    assert "1 participant·e avec des arriérés au-delà du seuil" in page
    assert reverse("housing:rent_account", args=[t.pk]) in page


def test_pages_use_a_constant_number_of_queries(rent_world, client_for, django_assert_max_num_queries):
    w = rent_world
    _tenancies(w, 2)
    roll = services.roll_approve(
        actor=w.clerk, roll=services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    )
    c = client_for(w.clerk)
    counts = {}
    for name, args in (("housing:rent_home", []), ("housing:rent_roll", [roll.pk]), ("home", [])):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as q:
            assert c.get(reverse(name, args=args)).status_code == 200
        counts[name] = len(q)
    _tenancies(w, 6)
    _tenancies(w, 4, landlord=w.other_landlord)
    roll = services.roll_generate(actor=w.clerk, service=w.service, month=datetime.date(2026, 4, 1))
    services.roll_approve(actor=w.clerk, roll=roll)
    for name, args in (("housing:rent_home", []), ("home", [])):
        with django_assert_max_num_queries(counts[name] + 1):  # one more roll row, never per tenancy
            assert c.get(reverse(name, args=args)).status_code == 200
    with django_assert_max_num_queries(counts["housing:rent_roll"]):
        assert c.get(reverse("housing:rent_roll", args=[roll.pk])).status_code == 200


def test_the_clerk_sees_no_case_notes(rent_world, client_for):
    w = rent_world
    (t,) = _tenancies(w, 1)
    c = client_for(w.clerk)
    assert c.get(reverse("casework:caseload")).status_code == 403
    response = c.get(reverse("housing:rent_account", args=[t.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        actor=w.clerk, action="housing.rent.account.viewed", participant=t.participant
    ).exists()


def test_participant_page_shows_arrears_only_under_housing(rent_world, client_for, case_manager_b, org_b):
    w = rent_world
    (t,) = _tenancies(w, 1)
    (other,) = _tenancies(w, 1, prefix="Voisin")
    services.roll_approve(
        actor=w.clerk, roll=services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    )
    page = client_for(w.case_manager).get(reverse("people:detail", args=[t.participant.pk])).content.decode()
    assert "Arriérés de loyer" in page
    assert "270,00\xa0$ de la part dus\xa0: 1 mois en retard" in page
    assert other.participant.legal_first_name not in page  # never the landlord's other tenants
    # A reader in another organisation with identity only: no arrears.
    from ancrage.people.tests.factories import share

    share(w.case_manager, t.participant, [org_b], [Category.IDENTITY])
    page = client_for(case_manager_b).get(reverse("people:detail", args=[t.participant.pk])).content.decode()
    assert "Arriérés de loyer" not in page


def test_a_second_payment_and_bad_input_get_messages_and_lose_nothing(rent_world, client_for):
    w = rent_world
    _tenancies(w, 1)
    roll = services.roll_approve(
        actor=w.clerk, roll=services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    )
    c = client_for(w.clerk)
    url = reverse("housing:rent_pay", args=[roll.pk, w.landlord.pk])
    good = {"amount": "900.00", "method": "cheque", "reference": "501", "paid_on": "2026-03-01"}
    assert c.post(url, good).status_code == 302
    again = c.post(url, good | {"reference": "502"})
    assert again.status_code == 200
    assert "un mois ne peut pas être payé deux fois" in again.content.decode()
    for bad in (
        {"amount": "-5"},
        {"amount": "x" * 10000},
        {"paid_on": "9999-01-01"},
        {"reference": "a\x00b"},
    ):
        response = c.post(url, good | bad)
        assert response.status_code == 200
    assert LandlordPayment.objects.get().reference == "501"
    # The receipt form refuses a negative amount and a year 1 month.
    t = roll.charges.get().tenancy
    receipt = reverse("housing:rent_receipt", args=[t.pk])
    for bad in ({"amount": "-1"}, {"month": "0001-01"}, {"month": "x" * 10000}):
        data = {"month": "2026-03", "amount": "100", "received_on": "2026-03-02", "method": "cash"} | bad
        assert c.post(receipt, data).status_code == 200
    assert not ShareReceipt.objects.exists()


def test_export_and_statement(rent_world, client_for):
    w = rent_world
    _tenancies(w, 2)
    roll = services.roll_approve(
        actor=w.clerk, roll=services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    )
    services.payment_record(
        actor=w.clerk,
        roll=roll,
        landlord=w.landlord,
        amount=D("1800"),
        method="cheque",
        reference="9001",
        paid_on=MAR,
    )
    c = client_for(w.clerk)
    with translation.override("fr"):
        c.cookies["django_language"] = "fr"
        response = c.get(
            reverse("housing:rent_roll_export", args=[roll.pk]) + "?format=csv", HTTP_ACCEPT_LANGUAGE="fr"
        )
    body = response.content.decode("utf-8-sig")
    assert "Propriétaire" in body.splitlines()[0]
    assert "9001" in body
    assert "1800,00" in body
    statement = c.get(reverse("housing:rent_statement", args=[w.landlord.pk]) + "?start=2026-01&end=2026-03")
    text = statement.content.decode()
    assert statement.status_code == 200
    assert "Relevé des paiements de loyer" in text  # the landlord's language (French)
    assert "9001" in text
    english = c.get(
        reverse("housing:rent_statement", args=[w.other_landlord.pk]) + "?start=2026-01&end=2026-03"
    )
    assert "Statement of rent payments" in english.content.decode()
    pdf = c.get(reverse("housing:rent_statement", args=[w.landlord.pk]) + "?start=2026-01&end=2026-03&pdf=1")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bad = c.get(reverse("housing:rent_statement", args=[w.landlord.pk]) + "?start=2026-05&end=2026-01")
    assert bad.status_code == 400


def test_api_records_a_payment_and_refuses_a_second(rent_world, client_for):
    w = rent_world
    _tenancies(w, 1)
    roll = services.roll_approve(
        actor=w.clerk, roll=services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    )
    c = client_for(w.clerk)
    url = f"/api/v1/rent/rolls/{roll.pk}/payments"
    body = {
        "landlord_id": w.landlord.pk,
        "amount": "900.00",
        "method": "cheque",
        "reference": "1",
        "paid_on": "2026-03-01",
    }
    assert c.post(url, body, content_type="application/json").status_code == 201
    second = c.post(url, body, content_type="application/json")
    assert second.status_code == 422
    assert "deux fois" in str(second.json()["errors"]["landlord"])
    negative = c.post(url, body | {"amount": "-1"}, content_type="application/json")
    assert negative.status_code == 422
    arrears = c.get("/api/v1/rent/arrears").json()
    assert arrears[0]["amount"] == "270.00"
    assert RentRoll.objects.get().status == "approved"
