"""Services of coordinated access: validation, nothing saved on error, history and audit entries."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ancrage.access import services
from ancrage.access.models import ByNameEntry, ByNameStatus, ByNameStatusChange, Intake, Referral
from ancrage.access.tests.factories import consent_for_access, make_entry, make_referral
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people import services as people_services
from ancrage.people.tests.factories import member, share

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today when the test runs (a module constant went stale when a run crossed midnight)."""
    return clock.today()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


@pytest.fixture
def access_worker_b(org_b):
    return member(org_b, Role.COORDINATED_ACCESS, username="ac_b")


# --- referrals and intake ------------------------------------------------------------------------------


def test_referral_is_recorded_with_its_source_and_audited(case_manager_a, org_a):
    referral = make_referral(case_manager_a, source_kind=Referral.SourceKind.HOSPITAL, source_name="CHUM")
    assert referral.organisation == org_a
    assert referral.status == Referral.Status.RECEIVED
    assert referral.participant is None
    entry = AuditEntry.objects.get(action="access.referral.created")
    assert entry.object_id == str(referral.pk)
    assert entry.actor == case_manager_a


def test_referral_needs_a_name_a_known_source_and_a_reason(case_manager_a):
    with pytest.raises(ValidationError) as caught:
        make_referral(case_manager_a, person_name=" ", source_kind="bus_stop", reason="")
    assert set(caught.value.message_dict) == {"person_name", "source_kind", "reason"}
    assert not Referral.objects.exists()


@pytest.mark.smoke
def test_intake_is_refused_without_a_coordinated_access_consent(case_manager_a, participant_a, org_a):
    referral = make_referral(case_manager_a)
    # A consent for identity only, even in the home organisation, is not enough.
    share(case_manager_a, participant_a, [org_a], [Category.IDENTITY])
    with pytest.raises(ValidationError) as caught:
        services.intake_start(actor=case_manager_a, referral=referral, participant=participant_a)
    assert "consent" in caught.value.message_dict
    assert not Intake.objects.exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    assert referral.participant is None

    consent = consent_for_access(case_manager_a, participant_a, [org_a])
    intake = services.intake_start(actor=case_manager_a, referral=referral, participant=participant_a)
    assert intake.consent == consent
    referral.refresh_from_db()
    assert referral.status == Referral.Status.INTAKE_STARTED
    assert referral.participant == participant_a


def test_another_organisation_needs_the_consent_shared_with_it(
    case_manager_a, participant_a, org_a, access_worker_b, org_b
):
    referral = make_referral(access_worker_b)
    consent_for_access(case_manager_a, participant_a, [org_a])
    with pytest.raises(ValidationError):
        services.intake_start(actor=access_worker_b, referral=referral, participant=participant_a)
    shared = consent_for_access(case_manager_a, participant_a, [org_b])
    intake = services.intake_start(actor=access_worker_b, referral=referral, participant=participant_a)
    assert intake.consent == shared


def test_a_revoked_or_expired_consent_does_not_open_an_intake(case_manager_a, participant_a, org_a):
    referral = make_referral(case_manager_a)
    consent = consent_for_access(case_manager_a, participant_a, [org_a])
    people_services.consent_revoke(actor=case_manager_a, consent=consent, reason="Retrait")
    consent_for_access(
        case_manager_a, participant_a, [org_a], starts_on=days_ago(400), expires_on=days_ago(35)
    )
    with pytest.raises(ValidationError):
        services.intake_start(actor=case_manager_a, referral=referral, participant=participant_a)


def test_a_chosen_consent_must_be_one_that_allows_the_intake(case_manager_a, participant_a, org_a, org_b):
    referral = make_referral(case_manager_a)
    identity_only = share(case_manager_a, participant_a, [org_a], [Category.IDENTITY])
    with pytest.raises(ValidationError):
        services.intake_start(
            actor=case_manager_a, referral=referral, participant=participant_a, consent=identity_only
        )


def test_intake_completes_once_and_closes_the_referral(case_manager_a, participant_a, org_a):
    referral = make_referral(case_manager_a)
    consent_for_access(case_manager_a, participant_a, [org_a])
    intake = services.intake_start(actor=case_manager_a, referral=referral, participant=participant_a)
    with pytest.raises(ValidationError):
        services.intake_start(actor=case_manager_a, referral=referral, participant=participant_a)
    services.intake_complete(actor=case_manager_a, intake=intake)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.INTAKE_DONE
    with pytest.raises(ValidationError):
        services.intake_complete(actor=case_manager_a, intake=intake)
    actions = list(AuditEntry.objects.filter(participant=participant_a).values_list("action", flat=True))
    assert "access.intake.started" in actions
    assert "access.intake.completed" in actions


def test_referral_withdrawn_with_a_reason(case_manager_a):
    referral = make_referral(case_manager_a)
    with pytest.raises(ValidationError):
        services.referral_withdraw(actor=case_manager_a, referral=referral, reason="")
    services.referral_withdraw(actor=case_manager_a, referral=referral, reason="Personne introuvable")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="access.referral.withdrawn").count() == 1


# --- by-name list --------------------------------------------------------------------------------------


@pytest.mark.smoke
def test_one_entry_per_person(case_manager_a, participant_a):
    entry = services.by_name_entry_add(
        actor=case_manager_a, participant=participant_a, reference_worker=case_manager_a
    )
    assert entry.status == ByNameStatus.ACTIVE
    with pytest.raises(ValidationError) as caught:
        services.by_name_entry_add(
            actor=case_manager_a, participant=participant_a, reference_worker=case_manager_a
        )
    assert "participant" in caught.value.message_dict
    assert ByNameEntry.objects.count() == 1
    assert ByNameStatusChange.objects.count() == 1
    audit = AuditEntry.objects.get(action="access.by_name.added")
    assert audit.participant == participant_a


def test_a_reference_worker_is_required_while_active(case_manager_a, participant_a):
    with pytest.raises(ValidationError) as caught:
        services.by_name_entry_add(actor=case_manager_a, participant=participant_a, reference_worker=None)
    assert "reference_worker" in caught.value.message_dict
    assert not ByNameEntry.objects.exists()

    type(participant_a).objects.filter(pk=participant_a.pk).update(
        created_at=clock.start_of_day(days_ago(20))
    )
    participant_a.refresh_from_db()
    entry = services.by_name_entry_add(
        actor=case_manager_a,
        participant=participant_a,
        reference_worker=case_manager_a,
        entered_on=days_ago(20),
        backdate_reason="Liste papier du refuge",
    )
    # Leaving the list keeps the worker on record; coming back needs one, named again or kept.
    services.by_name_status_change(
        actor=case_manager_a, entry=entry, status=ByNameStatus.HOUSED, reason="Logé", on=days_ago(10)
    )
    ByNameEntry.objects.filter(pk=entry.pk).update(reference_worker=None)
    with pytest.raises(ValidationError) as caught:
        services.by_name_status_change(
            actor=case_manager_a, entry=entry, status=ByNameStatus.ACTIVE, reason="Bail perdu"
        )
    assert "reference_worker" in caught.value.message_dict
    services.by_name_status_change(
        actor=case_manager_a,
        entry=entry,
        status=ByNameStatus.ACTIVE,
        reason="Bail perdu",
        reference_worker=case_manager_a,
    )
    entry.refresh_from_db()
    assert entry.status == ByNameStatus.ACTIVE
    assert entry.reference_worker == case_manager_a


def test_status_changes_keep_their_history_with_date_and_reason(case_manager_a, org_a):
    entry = make_entry(case_manager_a, org_a, entered_on=days_ago(30))
    services.by_name_status_change(
        actor=case_manager_a,
        entry=entry,
        status=ByNameStatus.INSTITUTION,
        reason="Hospitalisé",
        on=days_ago(20),
    )
    services.by_name_status_change(
        actor=case_manager_a, entry=entry, status=ByNameStatus.ACTIVE, reason="Sorti", on=days_ago(5)
    )
    rows = list(entry.changes.values_list("from_status", "to_status", "on", "reason"))
    # The entry is dated back: its row carries the reason given (the factory's).
    assert rows[0][:3] == ("", "active", days_ago(30))
    assert "Inscrite sur la liste papier" in rows[0][3]
    assert rows[1:] == [
        ("active", "institution", days_ago(20), "Hospitalisé"),
        ("institution", "active", days_ago(5), "Sorti"),
    ]
    entry.refresh_from_db()
    assert entry.status_since == days_ago(5)
    assert entry.last_contact_on == days_ago(5)
    assert (
        AuditEntry.objects.filter(
            action="access.by_name.status_changed", participant=entry.participant
        ).count()
        == 2
    )


def test_status_change_refuses_no_reason_same_status_and_dates_out_of_order(case_manager_a, org_a):
    entry = make_entry(case_manager_a, org_a, entered_on=days_ago(10))
    cases = [
        ({"status": ByNameStatus.HOUSED, "reason": ""}, "reason"),
        ({"status": ByNameStatus.ACTIVE, "reason": "x"}, "status"),
        ({"status": ByNameStatus.HOUSED, "reason": "x", "on": days_ago(11)}, "on"),
        ({"status": ByNameStatus.HOUSED, "reason": "x", "on": today() + datetime.timedelta(days=1)}, "on"),
        ({"status": "vanished", "reason": "x"}, "status"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.by_name_status_change(actor=case_manager_a, entry=entry, **kwargs)
        assert field in caught.value.message_dict, kwargs
    assert entry.changes.count() == 1


def test_entries_without_contact_for_90_days_become_inactive(case_manager_a, org_a):
    stale = make_entry(case_manager_a, org_a, entered_on=days_ago(200), legal_first_name="Ancien")
    services.by_name_contact_record(actor=case_manager_a, entry=stale, on=days_ago(91))
    fresh = make_entry(case_manager_a, org_a, entered_on=days_ago(200), legal_first_name="Récent")
    services.by_name_contact_record(actor=case_manager_a, entry=fresh, on=days_ago(90))
    housed = make_entry(case_manager_a, org_a, entered_on=days_ago(200), legal_first_name="Logé")
    services.by_name_status_change(
        actor=case_manager_a, entry=housed, status=ByNameStatus.HOUSED, reason="Logé", on=days_ago(150)
    )

    assert services.by_name_mark_inactive_without_contact(on=today()) == 1
    statuses = dict(ByNameEntry.objects.values_list("pk", "status"))
    assert statuses == {stale.pk: "inactive", fresh.pk: "active", housed.pk: "housed"}
    change = stale.changes.last()
    assert (change.from_status, change.to_status, change.on, change.by) == (
        "active",
        "inactive",
        today(),
        None,
    )
    assert (
        AuditEntry.objects.filter(
            action="access.by_name.marked_inactive", participant=stale.participant
        ).count()
        == 1
    )
    # Running again changes nothing.
    assert services.by_name_mark_inactive_without_contact(on=today()) == 0


# --- living situations ---------------------------------------------------------------------------------


def test_living_situation_dates_are_checked(case_manager_a, participant_a):
    with pytest.raises(ValidationError) as caught:
        services.living_situation_record(
            actor=case_manager_a,
            participant=participant_a,
            kind="housed",
            starts_on=days_ago(5),
            ends_on=days_ago(6),
        )
    assert "ends_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.living_situation_record(
            actor=case_manager_a,
            participant=participant_a,
            kind="housed",
            starts_on=today() + datetime.timedelta(days=1),
        )
    assert "starts_on" in caught.value.message_dict
    assert not participant_a.living_situations.exists()


def test_recording_living_situations_refreshes_the_chronic_figures(case_manager_a, participant_a):
    entry = services.by_name_entry_add(
        actor=case_manager_a, participant=participant_a, reference_worker=case_manager_a
    )
    assert not entry.is_chronic
    services.living_situation_record(
        actor=case_manager_a,
        participant=participant_a,
        kind="homeless_unsheltered",
        starts_on=days_ago(179),
    )
    entry.refresh_from_db()
    assert entry.is_chronic
    assert entry.homeless_days_past_year == 180
    assert (
        AuditEntry.objects.filter(
            action="access.living_situation.recorded", participant=participant_a
        ).count()
        == 1
    )


def test_chronic_refresh_follows_time(case_manager_a, participant_a):
    entry = services.by_name_entry_add(
        actor=case_manager_a, participant=participant_a, reference_worker=case_manager_a
    )
    services.living_situation_record(
        actor=case_manager_a,
        participant=participant_a,
        kind="homeless_sheltered",
        starts_on=days_ago(100),
    )
    entry.refresh_from_db()
    assert not entry.is_chronic
    assert services.by_name_chronic_refresh(on=today() + datetime.timedelta(days=80)) == 1
    entry.refresh_from_db()
    assert entry.is_chronic
    assert entry.homeless_days_past_year == 181
