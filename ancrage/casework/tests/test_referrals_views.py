"""Pages of the directory, referrals out, incidents, on-call and re-engagement: the journey, bad input on the
form, 404 for a participant the user may not see (nothing saved), both languages, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.casework.models import (
    Enrollment,
    Incident,
    OnCallEntry,
    OnCallShift,
    ReengagementPlan,
    ServiceKind,
    ServiceProvider,
    ServiceReferral,
)
from ancrage.casework.reengagement import services
from ancrage.casework.referrals import services as referrals_services
from ancrage.casework.risk import services as risk_services
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(case_manager_a, org_a):
    return referrals_services.provider_create(
        actor=case_manager_a, consortium=org_a.consortium, name="Emploi Québec", kind=ServiceKind.EMPLOYMENT
    )


@pytest.fixture
def partner_provider(case_manager_a, org_a, partner_org):
    return referrals_services.provider_create(
        actor=case_manager_a,
        consortium=org_a.consortium,
        name="Clinique partenaire",
        kind=ServiceKind.HEALTH,
        organisation=partner_org,
    )


@pytest.fixture
def enrollment(participant_a, org_a, case_manager_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    return Enrollment.objects.create(
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=60),
    )


def _english(user):
    user.language = "en"
    user.save()
    return user


# --- directory -------------------------------------------------------------------------------------------


def test_directory_search_and_add(client_for, org_a, provider, partner_provider):
    lead = _english(member(org_a, Role.TEAM_LEAD))
    c = client_for(lead)
    page = c.get(reverse("casework:provider_list"), {"q": "emploi"}).content.decode()
    assert "Emploi Québec" in page
    assert "Clinique partenaire" not in page
    page = c.get(reverse("casework:provider_list"), {"kind": "health"}).content.decode()
    assert "Clinique partenaire" in page
    assert "Emploi Québec" not in page
    assert "Directory of services" in page
    response = c.post(reverse("casework:provider_create"), {"name": "", "kind": "food"})
    assert response.status_code == 200
    assert ServiceProvider.objects.count() == 2
    response = c.post(reverse("casework:provider_create"), {"name": "Banque alimentaire", "kind": "food"})
    assert response.status_code == 302
    assert ServiceProvider.objects.filter(name="Banque alimentaire", consortium=org_a.consortium).exists()
    response = c.post(
        reverse("casework:provider_edit", args=[provider.pk]),
        {"name": "Emploi Québec Centre", "kind": "employment", "is_active": ""},
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Emploi Québec Centre"
    assert provider.is_active is False


def test_directory_list_queries_are_constant(
    client_for, case_manager_a, org_a, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    ServiceProvider.objects.create(consortium=org_a.consortium, name="S0", kind="food", organisation=org_a)
    with django_assert_max_num_queries(12) as small:
        c.get(reverse("casework:provider_list"))
    for i in range(1, 20):
        ServiceProvider.objects.create(
            consortium=org_a.consortium, name=f"S{i}", kind="food", organisation=org_a
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(reverse("casework:provider_list"))


def test_another_consortiums_provider_is_404(client_for, org_a):
    from ancrage.people.tests.factories import ConsortiumFactory

    other = ServiceProvider.objects.create(consortium=ConsortiumFactory(name="Autre"), name="X", kind="food")
    lead = member(org_a, Role.TEAM_LEAD)
    assert client_for(lead).get(reverse("casework:provider_edit", args=[other.pk])).status_code == 404


# --- referrals -----------------------------------------------------------------------------------------


def test_referral_journey(client_for, case_manager_a, participant_a, provider, enrollment):
    c = client_for(_english(case_manager_a))
    page = c.get(reverse("casework:referral_create", args=[participant_a.pk])).content.decode()
    assert "Refer to a service" in page
    assert "not a partner organisation" in page
    response = c.post(
        reverse("casework:referral_create", args=[participant_a.pk]),
        {"provider": provider.pk, "need": "Trouver un emploi à temps partiel", "approved_on": ""},
    )
    assert response.status_code == 302
    referral = ServiceReferral.objects.get()
    step_url = reverse("casework:referral_step", args=[participant_a.pk, referral.pk])
    today = clock.today().isoformat()
    assert c.post(step_url, {"status": "approved", "on": today}).status_code == 302
    assert c.post(step_url, {"status": "sent", "on": today}).status_code == 302
    response = c.post(step_url, {"status": "appointment_set", "on": today})
    assert response.status_code == 200
    assert "Give the appointment" in response.content.decode()
    appointment = (clock.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert (
        c.post(
            step_url, {"status": "appointment_set", "on": today, "appointment_at": appointment}
        ).status_code
        == 302
    )
    assert (
        c.post(step_url, {"status": "accompanied", "on": today, "note": "Je l'ai accompagné"}).status_code
        == 302
    )
    page = c.get(reverse("casework:referral_list", args=[participant_a.pk])).content.decode()
    assert "Accompanied to the appointment" in page
    assert "Je l&#x27;ai accompagné" in page
    assert page.count("<li>") >= 5  # every step is listed
    assert referral.attempts.count() == 5


def test_referral_form_refuses_sharing_without_consent(
    client_for, case_manager_a, participant_a, partner_provider, partner_org
):
    c = client_for(_english(case_manager_a))
    url = reverse("casework:referral_create", args=[participant_a.pk])
    response = c.post(
        url, {"provider": partner_provider.pk, "need": "Soins", "shared_categories": [Category.HEALTH]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "No consent in force names Partenaire santé" in page
    assert "Soins" in page  # what was typed is kept
    assert not ServiceReferral.objects.exists()
    share(case_manager_a, participant_a, [partner_org], [Category.HEALTH])
    page = c.get(url).content.decode()
    assert "Clinique partenaire</span>: Health" in page
    response = c.post(
        url, {"provider": partner_provider.pk, "need": "Soins", "shared_categories": [Category.HEALTH]}
    )
    assert response.status_code == 302
    assert ServiceReferral.objects.get().consent is not None


def test_referrals_page_in_french(client_for, case_manager_a, participant_a, provider):
    referrals_services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi"
    )
    page = client_for(case_manager_a).get(reverse("casework:referral_list", args=[participant_a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="fr' in html
    assert ">Proposée<" in html  # the status, in French, agreeing with « une référence »
    assert ">Proposed<" not in html


def test_referral_list_queries_are_constant(
    client_for, case_manager_a, participant_a, provider, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    url = reverse("casework:referral_list", args=[participant_a.pk])

    def add():
        r = referrals_services.referral_create(
            actor=case_manager_a, participant=participant_a, provider=provider, need="N"
        )
        referrals_services.referral_step(actor=case_manager_a, referral=r, status="approved")

    add()
    with django_assert_max_num_queries(30) as small:
        assert c.get(url).status_code == 200
    for _ in range(8):
        add()
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(url)


def test_another_organisation_reads_referrals_through_consent_but_records_nothing(
    client_for, case_manager_a, participant_a, provider, org_b
):
    referral = referrals_services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi"
    )
    user_b = member(org_b, Role.CASE_MANAGER)
    c = client_for(user_b)
    assert c.get(reverse("casework:referral_list", args=[participant_a.pk])).status_code == 404
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY, Category.CASE_NOTES])
    assert c.get(reverse("casework:referral_list", args=[participant_a.pk])).status_code == 200
    response = c.post(
        reverse("casework:referral_step", args=[participant_a.pk, referral.pk]),
        {"status": "approved", "on": clock.today().isoformat()},
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "proposed"


# --- incidents -----------------------------------------------------------------------------------------


def test_incident_recorded_from_the_page_notifies_the_team(
    client_for, program_manager_a, case_manager_a, participant_a, enrollment
):
    c = client_for(_english(program_manager_a))
    when = clock.localtime().strftime("%Y-%m-%dT%H:%M")
    response = c.post(
        reverse("casework:incident_create", args=[participant_a.pk]),
        {"kind": "police_called", "occurred_at": when, "description": "Appel du voisin", "source": "staff"},
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.team_notified_at is not None
    assert Alert.objects.filter(kind="casework.incident.recorded", recipient=case_manager_a).exists()
    page = c.get(reverse("casework:incident_list", args=[participant_a.pk])).content.decode()
    assert "Police called" in page
    assert "Appel du voisin" in page
    assert AuditEntry.objects.filter(action="casework.incident.viewed", participant=participant_a).exists()


def test_incident_bad_input_keeps_what_was_typed(client_for, case_manager_a, participant_a):
    c = client_for(_english(case_manager_a))
    future = (clock.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = c.post(
        reverse("casework:incident_create", args=[participant_a.pk]),
        {
            "kind": "arrest",
            "occurred_at": future,
            "description": "Arrêté au parc",
            "source": "partner_notice",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be dated in the future" in page
    assert "Name the partner" in page
    assert "Arrêté au parc" in page
    assert not Incident.objects.exists()


def test_incident_for_a_participant_the_user_may_not_see_is_404_and_nothing_saved(
    client_for, case_manager_b, participant_a
):
    c = client_for(case_manager_b)
    when = clock.localtime().strftime("%Y-%m-%dT%H:%M")
    response = c.post(
        reverse("casework:incident_create", args=[participant_a.pk]),
        {"kind": "overdose", "occurred_at": when, "description": "X", "source": "staff"},
    )
    assert response.status_code == 404
    assert not Incident.objects.exists()
    assert not Alert.objects.exists()
    assert c.get(reverse("casework:incident_list", args=[participant_a.pk])).status_code == 404


def test_incident_list_queries_are_constant(
    client_for, case_manager_a, participant_a, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    url = reverse("casework:incident_list", args=[participant_a.pk])

    def add():
        risk_services.incident_record(
            actor=case_manager_a,
            participant=participant_a,
            kind="other",
            occurred_at=clock.now(),
            description="D",
        )

    add()
    with django_assert_max_num_queries(30) as small:
        assert c.get(url).status_code == 200
    for _ in range(10):
        add()
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(url)


# --- on-call -------------------------------------------------------------------------------------------


def test_on_call_page_log_and_shift(client_for, org_a, case_manager_a, participant_a):
    lead = _english(member(org_a, Role.TEAM_LEAD))
    c = client_for(lead)
    start = clock.localtime() - datetime.timedelta(hours=1)
    response = c.post(
        reverse("casework:on_call_shift"),
        {
            "organisation": org_a.pk,
            "worker": case_manager_a.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OnCallShift.objects.count() == 1
    response = c.post(
        reverse("casework:on_call_create"),
        {
            "organisation": org_a.pk,
            "called_at": clock.localtime().strftime("%Y-%m-%dT%H:%M"),
            "caller": "Voisine",
            "summary": "Musique forte",
            "participant": participant_a.community_id,
            "follow_up": "on",
        },
    )
    assert response.status_code == 302
    entry = OnCallEntry.objects.get()
    assert entry.participant == participant_a
    assert entry.follow_up
    page = c.get(reverse("casework:on_call")).content.decode()
    assert "On call now" in page
    assert case_manager_a.display_name in page
    assert "Musique forte" in page
    assert participant_a.display_name in page


def test_on_call_unknown_participant_identifier(client_for, case_manager_a, org_a):
    c = client_for(_english(case_manager_a))
    response = c.post(
        reverse("casework:on_call_create"),
        {
            "organisation": org_a.pk,
            "called_at": clock.localtime().strftime("%Y-%m-%dT%H:%M"),
            "caller": "X",
            "summary": "Y",
            "participant": "NOPE-123",
        },
    )
    assert response.status_code == 200
    assert "No participant this organisation serves" in response.content.decode()
    assert not OnCallEntry.objects.exists()


def test_on_call_log_queries_are_constant(
    client_for, case_manager_a, org_a, participant_a, django_assert_max_num_queries
):
    c = client_for(case_manager_a)

    def add():
        risk_services.on_call_log(
            actor=case_manager_a,
            organisation=org_a,
            called_at=clock.now(),
            caller="C",
            summary="S",
            participant=participant_a,
        )

    add()
    with django_assert_max_num_queries(30) as small:
        assert c.get(reverse("casework:on_call")).status_code == 200
    for _ in range(10):
        add()
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(reverse("casework:on_call"))


# --- re-engagement -------------------------------------------------------------------------------------


def test_reengagement_journey(client_for, case_manager_a, participant_a, enrollment):
    c = client_for(_english(case_manager_a))
    url = reverse("casework:reengagement", args=[participant_a.pk])
    assert "Start a re-engagement plan" in c.get(url).content.decode()
    assert c.post(reverse("casework:reengagement_start", args=[participant_a.pk])).status_code == 302
    plan = ReengagementPlan.objects.get()
    page = c.get(url).content.decode()
    assert "Shelter" in page
    assert "Prison or detention centre" in page
    response = c.post(
        reverse("casework:outreach_task_add", args=[participant_a.pk]),
        {"place_kind": "other", "place": "Métro Berri", "assigned_to": case_manager_a.pk},
    )
    assert response.status_code == 302
    task = plan.tasks.get(place="Métro Berri")
    response = c.post(
        reverse("casework:outreach_task_done", args=[participant_a.pk, task.pk]),
        {"outcome": "Vu par le gardien", "done_on": clock.today().isoformat()},
    )
    assert response.status_code == 302
    response = c.post(
        reverse("casework:reengagement_close", args=[participant_a.pk]), {"status": "reconnected"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    enrollment.refresh_from_db()
    assert plan.status == "reconnected"
    assert enrollment.status == "active"
    page = c.get(url).content.decode()
    assert "Earlier plans" in page
    assert "Back in contact" in page


def test_reengagement_close_without_reason_is_refused(client_for, case_manager_a, participant_a, enrollment):
    services.lost_contact_flag(actor=case_manager_a, enrollment=enrollment)
    c = client_for(case_manager_a)
    response = c.post(reverse("casework:reengagement_close", args=[participant_a.pk]), {"status": "closed"})
    assert response.status_code == 302
    assert ReengagementPlan.objects.get().status == "open"


def test_reengagement_of_another_organisation_is_404(client_for, case_manager_b, participant_a, enrollment):
    c = client_for(case_manager_b)
    assert c.get(reverse("casework:reengagement", args=[participant_a.pk])).status_code == 404
    assert c.post(reverse("casework:reengagement_start", args=[participant_a.pk])).status_code == 404
    assert not ReengagementPlan.objects.exists()


def test_outreach_task_of_another_participant_is_404(
    client_for, case_manager_a, participant_a, enrollment, org_a
):
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre", legal_last_name="Personne")
    other_enrollment = Enrollment.objects.create(
        participant=other, program=enrollment.program, enrolled_on=enrollment.enrolled_on
    )
    plan = services.lost_contact_flag(actor=case_manager_a, enrollment=other_enrollment)
    task = plan.tasks.first()
    response = client_for(case_manager_a).post(
        reverse("casework:outreach_task_done", args=[participant_a.pk, task.pk]), {"outcome": "X"}
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_on is None


def test_reengagement_page_queries_are_constant(
    client_for, case_manager_a, participant_a, enrollment, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    url = reverse("casework:reengagement", args=[participant_a.pk])

    def cycle():
        plan = services.lost_contact_flag(actor=case_manager_a, enrollment=enrollment)
        services.reengagement_close(actor=case_manager_a, plan=plan, status="reconnected")

    cycle()
    services.lost_contact_flag(actor=case_manager_a, enrollment=enrollment)
    with django_assert_max_num_queries(30) as small:
        assert c.get(url).status_code == 200
    ReengagementPlan.objects.filter(status="open").update(status="closed")
    for _ in range(5):
        cycle()
    plan = services.lost_contact_flag(actor=case_manager_a, enrollment=enrollment)
    for i in range(5):
        services.outreach_task_add(actor=case_manager_a, plan=plan, place_kind="other", place=f"Lieu {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(url)
