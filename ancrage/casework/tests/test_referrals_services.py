"""Services of the directory, referrals out (B7), incidents (B9), on-call (B10) and lost contact (B12)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from ancrage.casework.models import (
    Contact,
    Enrollment,
    Incident,
    OnCallEntry,
    OnCallShift,
    OutreachTask,
    ReengagementPlan,
    ReferralAttempt,
    RiskAssessment,
    ServiceKind,
    ServiceProvider,
    ServiceReferral,
)
from ancrage.casework.reengagement import services as reengagement_services
from ancrage.casework.referrals import selectors as referrals_selectors
from ancrage.casework.referrals import services
from ancrage.casework.risk import services as risk_services
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program
from ancrage.people.models import SupportContact
from ancrage.people.tests.factories import ProgramFactory, TeamFactory, make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the services' messages in English; the pages' tests read both languages."""
    with translation.override("en"):
        yield


TODAY = clock.today


@pytest.fixture
def provider(case_manager_a, org_a):
    return services.provider_create(
        actor=case_manager_a, consortium=org_a.consortium, name="Emploi Québec", kind=ServiceKind.EMPLOYMENT
    )


@pytest.fixture
def partner_provider(case_manager_a, org_a, partner_org):
    return services.provider_create(
        actor=case_manager_a,
        consortium=org_a.consortium,
        name="Clinique partenaire",
        kind=ServiceKind.HEALTH,
        organisation=partner_org,
    )


@pytest.fixture
def team(org_a):
    return TeamFactory(organisation=org_a, name="Équipe SIV A")


@pytest.fixture
def enrollment(participant_a, org_a, case_manager_a, team):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    return Enrollment.objects.create(
        participant=participant_a,
        program=program,
        team=team,
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=60),
    )


def _contact(participant, actor, when, present=True):
    return Contact.objects.create(
        participant=participant,
        organisation=participant.organisation,
        occurred_at=when,
        duration_minutes=30,
        kind="home",
        participant_present=present,
        recorded_by=actor,
    )


# --- directory -------------------------------------------------------------------------------------------


def test_provider_create_and_update_are_audited(case_manager_a, provider, partner_org):
    assert AuditEntry.objects.filter(action="casework.provider.created", object_id=str(provider.pk)).exists()
    services.provider_update(
        actor=case_manager_a, provider=provider, phone="514 555-1234", organisation=partner_org
    )
    provider.refresh_from_db()
    assert provider.phone == "514 555-1234"
    entry = AuditEntry.objects.get(action="casework.provider.changed", object_id=str(provider.pk))
    assert entry.data["phone"] == ["", "514 555-1234"]


def test_provider_needs_a_name_and_kind(case_manager_a, org_a):
    with pytest.raises(ValidationError) as exc:
        services.provider_create(actor=case_manager_a, consortium=org_a.consortium, name=" ", kind="nope")
    assert set(exc.value.message_dict) == {"name", "kind"}
    assert not ServiceProvider.objects.exists()


def test_provider_organisation_must_be_of_the_consortium(case_manager_a, org_a):
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory

    elsewhere = OrganisationFactory(consortium=ConsortiumFactory(name="Ailleurs"))
    with pytest.raises(ValidationError) as exc:
        services.provider_create(
            actor=case_manager_a, consortium=org_a.consortium, name="X", kind="food", organisation=elsewhere
        )
    assert "organisation" in exc.value.message_dict


# --- referrals -----------------------------------------------------------------------------------------


def test_referral_status_flow_keeps_every_attempt(case_manager_a, participant_a, provider, enrollment):
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Un emploi"
    )
    assert referral.status == "proposed"
    assert referral.enrollment == enrollment
    today = clock.today()
    services.referral_step(actor=case_manager_a, referral=referral, status="approved")
    services.referral_step(
        actor=case_manager_a, referral=referral, status="sent", note="Envoyée par courriel"
    )
    appointment = clock.now() + datetime.timedelta(days=3)
    services.referral_step(
        actor=case_manager_a, referral=referral, status="appointment_set", appointment_at=appointment
    )
    services.referral_step(actor=case_manager_a, referral=referral, status="no_show", note="Pas venu")
    services.referral_step(
        actor=case_manager_a, referral=referral, status="appointment_set", appointment_at=appointment
    )
    services.referral_step(
        actor=case_manager_a, referral=referral, status="accompanied", note="Je l'ai accompagné"
    )
    services.referral_step(actor=case_manager_a, referral=referral, status="linked")
    referral.refresh_from_db()
    assert referral.status == "linked"
    assert referral.approved_on == today
    assert referral.appointment_at == appointment
    statuses = list(ReferralAttempt.objects.filter(referral=referral).values_list("status", flat=True))
    assert statuses == [
        "proposed",
        "approved",
        "sent",
        "appointment_set",
        "no_show",
        "appointment_set",
        "accompanied",
        "linked",
    ]
    assert AuditEntry.objects.filter(action="casework.referral.step", object_id=str(referral.pk)).count() == 7


def test_referral_with_approval_starts_approved(case_manager_a, participant_a, provider):
    on = clock.today() - datetime.timedelta(days=1)
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi", approved_on=on
    )
    assert referral.status == "approved"
    assert referral.attempts.get().on == on


def test_nothing_is_sent_without_the_participants_approval(case_manager_a, participant_a, provider):
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi"
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_step(actor=case_manager_a, referral=referral, status="sent")
    assert "approval" in exc.value.message_dict["status"][0]
    referral.refresh_from_db()
    assert referral.status == "proposed"
    assert referral.attempts.count() == 1


def test_a_step_cannot_go_back_nor_be_in_the_future(case_manager_a, participant_a, provider):
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi", approved_on=TODAY()
    )
    services.referral_step(actor=case_manager_a, referral=referral, status="sent")
    with pytest.raises(ValidationError) as exc:
        services.referral_step(actor=case_manager_a, referral=referral, status="approved")
    assert "go back" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as exc:
        services.referral_step(
            actor=case_manager_a, referral=referral, status="linked", on=TODAY() + datetime.timedelta(days=2)
        )
    assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.referral_step(actor=case_manager_a, referral=referral, status="appointment_set")
    assert "appointment_at" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.referral_step(actor=case_manager_a, referral=referral, status="bogus")
    assert referral.attempts.count() == 2


def test_a_linked_referral_is_final(case_manager_a, participant_a, provider):
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi", approved_on=TODAY()
    )
    services.referral_step(actor=case_manager_a, referral=referral, status="linked")
    with pytest.raises(ValidationError) as exc:
        services.referral_step(actor=case_manager_a, referral=referral, status="no_show")
    assert "already linked" in exc.value.message_dict["status"][0]


def test_declining_costs_nothing(case_manager_a, participant_a, provider, enrollment):
    """B11: declining a service changes nothing else: the enrollment stays active, as it was."""
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi"
    )
    before = Enrollment.objects.filter(pk=enrollment.pk).values().get()
    services.referral_step(actor=case_manager_a, referral=referral, status="declined", note="Pas intéressé")
    after = Enrollment.objects.filter(pk=enrollment.pk).values().get()
    assert before == after
    assert after["status"] == "active"
    # The participant can change their mind: a new attempt.
    services.referral_step(actor=case_manager_a, referral=referral, status="approved")
    referral.refresh_from_db()
    assert referral.status == "approved"


def test_sharing_refused_without_consent(case_manager_a, participant_a, partner_provider, partner_org):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(
            actor=case_manager_a,
            participant=participant_a,
            provider=partner_provider,
            need="Soins",
            shared_categories=[Category.HEALTH],
        )
    message = exc.value.message_dict["shared_categories"][0]
    assert "No consent in force names Partenaire santé" in message
    assert "nothing can be shared" in message
    assert not ServiceReferral.objects.exists()
    # A consent for identity only does not cover health either.
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=case_manager_a,
            participant=participant_a,
            provider=partner_provider,
            need="Soins",
            shared_categories=[Category.IDENTITY, Category.HEALTH],
        )
    assert not ServiceReferral.objects.exists()


def test_sharing_to_a_provider_that_is_not_a_partner_is_refused(case_manager_a, participant_a, provider):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(
            actor=case_manager_a,
            participant=participant_a,
            provider=provider,
            need="Emploi",
            shared_categories=[Category.IDENTITY],
        )
    assert "not a partner organisation" in exc.value.message_dict["shared_categories"][0]
    # Without sharing, the referral is made.
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi"
    )
    assert referral.shared_categories == []
    assert referral.consent is None


def test_sharing_records_the_consent_relied_on(case_manager_a, participant_a, partner_provider, partner_org):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HEALTH])
    referral = services.referral_create(
        actor=case_manager_a,
        participant=participant_a,
        provider=partner_provider,
        need="Soins",
        shared_categories=[Category.HEALTH, Category.IDENTITY],
    )
    assert referral.consent == consent
    assert referral.shared_categories == ["identity", "health"]
    entry = AuditEntry.objects.get(action="casework.referral.created")
    assert entry.data["consent"] == consent.pk
    assert referrals_selectors.shareable_categories(participant_a, partner_org) == ["identity", "health"]


def test_a_revoked_consent_does_not_allow_sharing(
    case_manager_a, participant_a, partner_provider, partner_org
):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.HEALTH])
    consent.revoked_at = clock.now()
    consent.save()
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=case_manager_a,
            participant=participant_a,
            provider=partner_provider,
            need="Soins",
            shared_categories=[Category.HEALTH],
        )


def test_referral_bad_input(case_manager_a, participant_a, provider):
    provider.is_active = False
    provider.save()
    with pytest.raises(ValidationError) as exc:
        services.referral_create(
            actor=case_manager_a,
            participant=participant_a,
            provider=provider,
            need=" ",
            approved_on=TODAY() + datetime.timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"provider", "need", "approved_on"}


def test_another_organisation_cannot_refer(case_manager_b, participant_a, provider):
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=case_manager_b, participant=participant_a, provider=provider, need="Emploi"
        )
    assert not ServiceReferral.objects.exists()


# --- incidents -----------------------------------------------------------------------------------------


@pytest.fixture
def the_team(org_a, team, enrollment):
    """A team member, a team lead of A, someone of another team, and a case manager of B."""
    mate = member(org_a, Role.PEER_SUPPORT, email="pair@example.org")
    mate.memberships.update(team=team)
    lead = member(org_a, Role.TEAM_LEAD, email="chef@example.org", language="en")
    elsewhere = member(org_a, Role.CASE_MANAGER, email="autre@example.org")
    return {"mate": mate, "lead": lead, "elsewhere": elsewhere}


def test_incident_notifies_the_team_at_once(program_manager_a, case_manager_a, participant_a, the_team):
    incident = risk_services.incident_record(
        actor=program_manager_a,
        participant=participant_a,
        kind=Incident.Kind.HOSPITAL,
        occurred_at=clock.now() - datetime.timedelta(hours=2),
        description="Urgence",
    )
    assert incident.team_notified_at is not None
    recipients = set(
        Alert.objects.filter(kind="casework.incident.recorded").values_list("recipient_id", flat=True)
    )
    assert recipients == {case_manager_a.pk, the_team["mate"].pk, the_team["lead"].pk}
    alert = Alert.objects.filter(recipient=case_manager_a).get()
    assert alert.params == {"kind": "hospital"}
    assert alert.url.endswith(f"/participants/{participant_a.pk}/incidents/")
    assert AuditEntry.objects.filter(action="casework.incident.recorded", participant=participant_a).exists()
    assert mail.outbox == []  # not police, no email


def _risk(participant, actor, notify=True):
    return RiskAssessment.objects.create(
        participant=participant,
        organisation=participant.organisation,
        assessed_on=clock.today(),
        level=2,
        rating="moderate",
        description="Agité",
        notify_team_on_police=notify,
        recorded_by=actor,
    )


def test_police_called_emails_the_team_when_the_risk_plan_says_so(
    program_manager_a, case_manager_a, participant_a, the_team, django_capture_on_commit_callbacks
):
    case_manager_a.email = "gc@example.org"
    case_manager_a.save()
    _risk(participant_a, case_manager_a, notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        risk_services.incident_record(
            actor=program_manager_a,
            participant=participant_a,
            kind=Incident.Kind.POLICE_CALLED,
            occurred_at=clock.now(),
            description="Police appelée par un voisin",
            source=Incident.Source.PARTNER_NOTICE,
            source_name="SPVM",
        )
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert recipients == ["chef@example.org", "gc@example.org", "pair@example.org"]
    lead_mail = next(m for m in mail.outbox if m.to == ["chef@example.org"])
    assert lead_mail.subject == "Police called about a participant"  # the lead reads English
    assert participant_a.display_name in lead_mail.body
    assert f"/participants/{participant_a.pk}/incidents/" in lead_mail.body
    assert Alert.objects.filter(kind="casework.incident.recorded").count() == 3


def test_police_called_without_the_risk_plans_notice_sends_no_email(
    program_manager_a, case_manager_a, participant_a, the_team, django_capture_on_commit_callbacks
):
    _risk(participant_a, case_manager_a, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        risk_services.incident_record(
            actor=program_manager_a,
            participant=participant_a,
            kind=Incident.Kind.POLICE_CALLED,
            occurred_at=clock.now(),
            description="Police",
        )
    assert mail.outbox == []
    assert Alert.objects.filter(kind="casework.incident.recorded").count() == 3


def test_incident_bad_input_saves_nothing(case_manager_a, participant_a):
    with pytest.raises(ValidationError) as exc:
        risk_services.incident_record(
            actor=case_manager_a,
            participant=participant_a,
            kind="nope",
            occurred_at=clock.now() + datetime.timedelta(days=1),
            description="",
            source=Incident.Source.PARTNER_NOTICE,
        )
    assert set(exc.value.message_dict) == {"kind", "occurred_at", "description", "source_name"}
    assert not Incident.objects.exists()
    assert not Alert.objects.exists()


def test_incident_for_another_organisations_participant_is_refused(case_manager_b, participant_a):
    with pytest.raises(ValidationError):
        risk_services.incident_record(
            actor=case_manager_b,
            participant=participant_a,
            kind="other",
            occurred_at=clock.now(),
            description="X",
        )
    assert not Incident.objects.exists()


# --- on-call -------------------------------------------------------------------------------------------


def test_on_call_log_and_shift(case_manager_a, program_manager_a, org_a, org_b, participant_a):
    entry = risk_services.on_call_log(
        actor=case_manager_a,
        organisation=org_a,
        called_at=clock.now(),
        caller="Voisine",
        summary="Bruit la nuit",
        participant=participant_a,
        follow_up=True,
    )
    assert entry.answered_by == case_manager_a
    assert AuditEntry.objects.filter(action="casework.on_call.logged", object_id=str(entry.pk)).exists()
    start = clock.now()
    shift = risk_services.on_call_shift_set(
        actor=program_manager_a,
        organisation=org_a,
        worker=case_manager_a,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=12),
    )
    assert AuditEntry.objects.filter(action="casework.on_call.shift_set", object_id=str(shift.pk)).exists()
    from ancrage.casework.risk.selectors import on_call_now

    assert [s.worker for s in on_call_now([org_a.pk], start + datetime.timedelta(hours=1))] == [
        case_manager_a
    ]
    assert on_call_now([org_a.pk], start + datetime.timedelta(hours=13)) == []


def test_on_call_bad_input(case_manager_a, case_manager_b, program_manager_a, org_a, org_b, participant_a):
    with pytest.raises(ValidationError) as exc:
        risk_services.on_call_log(
            actor=case_manager_a,
            organisation=org_b,
            called_at=clock.now() + datetime.timedelta(hours=1),
            caller="",
            summary="",
        )
    assert set(exc.value.message_dict) == {"organisation", "called_at", "caller", "summary"}
    participant_b = make_participant(case_manager_b, org_b, legal_first_name="B", legal_last_name="B")
    with pytest.raises(ValidationError) as exc:
        risk_services.on_call_log(
            actor=case_manager_a,
            organisation=org_a,
            called_at=clock.now(),
            caller="X",
            summary="Y",
            participant=participant_b,
        )
    assert "participant" in exc.value.message_dict
    start = clock.now()
    with pytest.raises(ValidationError) as exc:
        risk_services.on_call_shift_set(
            actor=program_manager_a, organisation=org_a, worker=case_manager_b, starts_at=start, ends_at=start
        )
    assert set(exc.value.message_dict) == {"worker", "ends_at"}
    assert not OnCallEntry.objects.exists()
    assert not OnCallShift.objects.exists()


# --- lost contact --------------------------------------------------------------------------------------


def test_lost_contact_after_n_days_starts_a_plan_and_a_contact_closes_it(
    settings, case_manager_a, participant_a, enrollment
):
    settings.ANCRAGE = {**settings.ANCRAGE, "LOST_CONTACT_DAYS": 21}
    SupportContact.objects.create(
        participant=participant_a, name="Sœur Julie", relationship="sœur", phone="514"
    )
    participant_a.current_location = "Parc Émilie-Gamelin"
    participant_a.save()
    today = clock.today()
    last = clock.now() - datetime.timedelta(days=22)
    _contact(participant_a, case_manager_a, last)
    # A contact without the participant present does not count.
    _contact(participant_a, case_manager_a, clock.now() - datetime.timedelta(days=3), present=False)
    assert reengagement_services.lost_contacts_flag(today) == 1
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    assert enrollment.lost_contact_since == clock.localdate(last)
    plan = ReengagementPlan.objects.get(enrollment=enrollment)
    assert plan.status == "open"
    kinds = sorted(plan.tasks.values_list("place_kind", flat=True))
    assert kinds == sorted(["shelter", "hospital", "detention", "usual_place", "support_contact"])
    assert plan.tasks.get(place_kind="usual_place").place == "Parc Émilie-Gamelin"
    assert "Sœur Julie" in plan.tasks.get(place_kind="support_contact").place
    alert = Alert.objects.get(kind="casework.lost_contact", recipient=case_manager_a)
    assert alert.params == {"days": 22}
    assert AuditEntry.objects.filter(action="casework.lost_contact.flagged").count() == 1
    # The next day nothing more is started.
    assert reengagement_services.lost_contacts_flag(today + datetime.timedelta(days=1)) == 0
    assert ReengagementPlan.objects.count() == 1

    # A contact with the participant present closes the plan and clears the flag.
    from ancrage.casework.contacts.services import contact_log

    occurred_at = clock.now() - datetime.timedelta(minutes=5)
    contact_log(
        actor=case_manager_a,
        participant=participant_a,
        occurred_at=occurred_at,
        duration_minutes=20,
        kind="community",
    )
    plan.refresh_from_db()
    enrollment.refresh_from_db()
    assert plan.status == "reconnected"
    # The day of the contact (just after midnight, five minutes earlier is still yesterday).
    assert plan.closed_on == clock.localdate(occurred_at)
    assert enrollment.lost_contact_since is None
    assert enrollment.status == "active"
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_lost_contact_counts_from_enrollment_when_no_contact(settings, participant_a, enrollment):
    settings.ANCRAGE = {**settings.ANCRAGE, "LOST_CONTACT_DAYS": 70}
    assert reengagement_services.lost_contacts_flag() == 0  # enrolled 60 days ago
    settings.ANCRAGE = {**settings.ANCRAGE, "LOST_CONTACT_DAYS": 30}
    assert reengagement_services.lost_contacts_flag() == 1
    enrollment.refresh_from_db()
    assert enrollment.lost_contact_since == enrollment.enrolled_on
    assert ReengagementPlan.objects.get().last_contact_on is None


def test_recent_contact_and_exited_enrollments_are_not_flagged(case_manager_a, participant_a, enrollment):
    _contact(participant_a, case_manager_a, clock.now() - datetime.timedelta(days=2))
    assert reengagement_services.lost_contacts_flag() == 0
    other = make_participant(
        case_manager_a, participant_a.organisation, legal_first_name="X", legal_last_name="Y"
    )
    Enrollment.objects.create(
        participant=other,
        program=enrollment.program,
        enrolled_on=clock.today() - datetime.timedelta(days=400),
        status=Enrollment.Status.EXITED,
    )
    assert reengagement_services.lost_contacts_flag() == 0
    assert not ReengagementPlan.objects.exists()


def test_a_contact_without_the_participant_leaves_the_plan_open(case_manager_a, participant_a, enrollment):
    plan = reengagement_services.lost_contact_flag(actor=case_manager_a, enrollment=enrollment)
    contact = _contact(participant_a, case_manager_a, clock.now(), present=False)
    assert reengagement_services.contact_made(contact=contact) == 0
    plan.refresh_from_db()
    assert plan.status == "open"
    with pytest.raises(ValidationError):
        reengagement_services.lost_contact_flag(actor=case_manager_a, enrollment=enrollment)


def test_outreach_tasks_and_closing(case_manager_a, participant_a, enrollment, case_manager_b):
    plan = reengagement_services.lost_contact_flag(actor=case_manager_a, enrollment=enrollment)
    task = reengagement_services.outreach_task_add(
        actor=case_manager_a, plan=plan, place_kind="other", place="Métro Berri", assigned_to=case_manager_a
    )
    with pytest.raises(ValidationError) as exc:
        reengagement_services.outreach_task_add(
            actor=case_manager_a, plan=plan, place_kind="other", assigned_to=case_manager_b
        )
    assert set(exc.value.message_dict) == {"place", "assigned_to"}
    with pytest.raises(ValidationError) as exc:
        reengagement_services.outreach_task_done(actor=case_manager_a, task=task, outcome=" ")
    assert "outcome" in exc.value.message_dict
    reengagement_services.outreach_task_done(
        actor=case_manager_a, task=task, outcome="Vu hier par le gardien"
    )
    task.refresh_from_db()
    assert task.done_on == clock.today()
    with pytest.raises(ValidationError):
        reengagement_services.outreach_task_done(actor=case_manager_a, task=task, outcome="Encore")
    with pytest.raises(ValidationError) as exc:
        reengagement_services.reengagement_close(actor=case_manager_a, plan=plan, status="closed")
    assert "note" in exc.value.message_dict
    reengagement_services.reengagement_close(
        actor=case_manager_a, plan=plan, status="closed", note="Déménagé à Québec"
    )
    plan.refresh_from_db()
    enrollment.refresh_from_db()
    assert plan.status == "closed"
    assert enrollment.status == "active"  # never a discharge
    assert enrollment.lost_contact_since is None
    with pytest.raises(ValidationError):
        reengagement_services.outreach_task_add(actor=case_manager_a, plan=plan, place_kind="shelter")
    assert OutreachTask.objects.filter(plan=plan).count() == 5
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "casework.lost_contact.task_added",
        "casework.lost_contact.task_done",
        "casework.lost_contact.closed",
    } <= codes


def test_daily_command_flags_lost_contact(settings, participant_a, enrollment):
    settings.ANCRAGE = {**settings.ANCRAGE, "LOST_CONTACT_DAYS": 30}
    from io import StringIO

    out = StringIO()
    call_command("casework_daily", stdout=out)
    assert "lost_contact: 1" in out.getvalue()
    assert ReengagementPlan.objects.filter(enrollment=enrollment, status="open").exists()


def test_a_step_cannot_predate_the_referral(case_manager_a, participant_a, provider):
    referral = services.referral_create(
        actor=case_manager_a, participant=participant_a, provider=provider, need="Emploi", approved_on=TODAY()
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_step(
            actor=case_manager_a, referral=referral, status="sent", on=TODAY() - datetime.timedelta(days=1)
        )
    assert "before the referral began" in exc.value.message_dict["on"][0]
