"""Significant-change notices (E3): who is told, under which consent, by which channel, and why not."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from ancrage.core import clock
from ancrage.core.models import Alert
from ancrage.core.permissions import Category, Role
from ancrage.core.signals import ChangeKind, announce
from ancrage.partners import jobs, selectors, services
from ancrage.partners.models import SignificantChangeNotice
from ancrage.partners.tests.factories import involved_partner, make_partner
from ancrage.people import services as people_services
from ancrage.people.tests.factories import member, share

pytestmark = pytest.mark.django_db

Status = SignificantChangeNotice.Status
Channel = SignificantChangeNotice.Channel


@pytest.fixture
def partner(program_manager_a, case_manager_a, participant_a, partner_org):
    p = involved_partner(case_manager_a, participant_a, partner_org, language="en")
    services.partner_contact_add(
        actor=program_manager_a,
        partner=p,
        name="Pat Doe",
        email="pat@example.org",
        language="en",
        receives_notices=True,
    )
    return p


def _change(django_capture_on_commit_callbacks, participant, kind, actor=None):
    with django_capture_on_commit_callbacks(execute=True):
        announce(
            sender="test", participant_id=participant.pk, kind=kind, happened_on=clock.today(), actor_id=actor
        )
    return list(SignificantChangeNotice.objects.filter(participant=participant, kind=kind).order_by("pk"))


def test_sent_under_consent_in_app_and_by_email_in_the_partners_language(
    partner, participant_a, case_manager_a, partner_org, django_capture_on_commit_callbacks
):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    with translation.override("fr"):
        notices = _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.HOUSED)
    assert [(n.channel, n.status) for n in notices] == [
        (Channel.IN_APP, Status.SENT),
        (Channel.EMAIL, Status.SENT),
    ]
    assert {n.consent_id for n in notices} == {consent.pk}
    assert "Open referral" in notices[0].why or "Référence" in notices[0].why
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["pat@example.org"]
    assert "significant change" in email.subject  # English, the contact's language, in a French request
    assert participant_a.legal_last_name not in email.body  # an email never names the person


def test_email_in_french_for_a_french_contact(
    partner, participant_a, case_manager_a, partner_org, program_manager_a, django_capture_on_commit_callbacks
):
    partner.contacts.update(language="fr-ca")
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.HOUSED)
    assert "changement important" in mail.outbox[0].subject


def test_not_sent_without_consent_and_the_sender_sees_why(
    partner, participant_a, case_manager_a, partner_org, partner_rep, django_capture_on_commit_callbacks
):
    # Identity and housing shared, but a risk plan change needs risk and safety.
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    notices = _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.RISK_PLAN)
    assert [(n.channel, n.status, n.consent_id) for n in notices] == [(Channel.NONE, Status.NO_CONSENT, None)]
    assert mail.outbox == []
    sender_view = list(selectors.notices_for_user(case_manager_a))
    assert [n.status for n in sender_view] == [Status.NO_CONSENT]
    assert list(selectors.notices_for_user(partner_rep)) == []


def test_a_partner_without_an_ancrage_organisation_gets_nothing(
    program_manager_a, case_manager_a, participant_a, django_capture_on_commit_callbacks
):
    from ancrage.casework.models import ServiceKind
    from ancrage.casework.referrals import services as referral_services
    from ancrage.partners.models import Partner

    provider = referral_services.provider_create(
        actor=case_manager_a,
        consortium=participant_a.organisation.consortium,
        name="Banque",
        kind=ServiceKind.FOOD,
    )
    referral_services.referral_create(
        actor=case_manager_a,
        participant=participant_a,
        provider=provider,
        need="Aide",
        approved_on=clock.today(),
    )
    partner = make_partner(program_manager_a, name="Banque", kind="food_bank")
    Partner.objects.filter(pk=partner.pk).update(service_provider=provider)
    notices = _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.EXIT)
    assert [(n.partner_id, n.status) for n in notices] == [(partner.pk, Status.NO_ORGANISATION)]


def test_revoked_consent_stops_notices_and_hides_those_received(
    partner, participant_a, case_manager_a, partner_org, partner_rep, django_capture_on_commit_callbacks
):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HEALTH])
    _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.HOSPITALISED)
    assert [n.status for n in selectors.notices_for_user(partner_rep)] == [Status.SENT]
    people_services.consent_revoke(actor=case_manager_a, consent=consent, reason="Retrait")
    assert list(selectors.notices_for_user(partner_rep)) == []
    SignificantChangeNotice.objects.all().delete()
    notices = _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.HOSPITALISED)
    assert [n.status for n in notices] == [Status.NO_CONSENT]


def test_failed_email_is_kept_retried_then_failed_and_alerted(
    partner,
    participant_a,
    case_manager_a,
    partner_org,
    program_manager_a,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ANCRAGE = {**settings.ANCRAGE, "PARTNER_NOTICE_MAX_ATTEMPTS": 2}
    settings.EMAIL_BACKEND = "ancrage.partners.tests.test_notices.BrokenBackend"
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.CASE_NOTES])
    notices = _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.LOST_CONTACT)
    email = notices[1]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.RETRYING, 1)
    assert "refused" in email.failure_reason
    assert jobs.notices_retry() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 2)
    assert Alert.objects.filter(kind="partners.notice.failed", recipient=program_manager_a).exists()
    assert jobs.notices_retry() == 0
    # Once the server is back, nothing is lost: a failed notice stays listed to the sender.
    assert email in list(selectors.notices_for_user(case_manager_a))


def test_retry_succeeds_when_the_server_is_back(
    partner, participant_a, case_manager_a, partner_org, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "ancrage.partners.tests.test_notices.BrokenBackend"
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.RISK])
    email = _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.INCIDENT)[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    jobs.notices_retry()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.failure_reason) == (Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_casework_risk_plan_change_reaches_the_police_unit_linked(
    program_manager_a, case_manager_a, participant_a, partner_org, django_capture_on_commit_callbacks
):
    from ancrage.casework.risk import services as risk_services

    police = make_partner(program_manager_a, organisation=partner_org)
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.RISK])
    with django_capture_on_commit_callbacks(execute=True):
        plan = risk_services.risk_assess(
            actor=case_manager_a,
            participant=participant_a,
            assessed_on=clock.today(),
            level=1,
            rating="low",
            description="Calme",
        )
    services.police_link_set(actor=program_manager_a, partner=police, risk_plan=plan)
    with django_capture_on_commit_callbacks(execute=True):
        risk_services.risk_end(actor=case_manager_a, risk=plan)
    # Ended: the link no longer involves the unit. A new plan linked again does.
    assert not SignificantChangeNotice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        plan2 = risk_services.risk_assess(
            actor=case_manager_a,
            participant=participant_a,
            assessed_on=clock.today(),
            level=2,
            rating="moderate",
            description="Agité",
        )
    services.police_link_set(actor=program_manager_a, partner=police, risk_plan=plan2)
    with django_capture_on_commit_callbacks(execute=True):
        risk_services.incident_record(
            actor=case_manager_a,
            participant=participant_a,
            kind="police_called",
            occurred_at=clock.now(),
            description="Appel",
        )
    notice = SignificantChangeNotice.objects.get()
    assert (notice.partner_id, notice.kind, notice.status) == (police.pk, ChangeKind.INCIDENT, Status.SENT)


def test_a_rolled_back_change_sends_nothing(partner, participant_a, case_manager_a, partner_org):
    from django.db import transaction

    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])

    def change_then_fail():
        with transaction.atomic():
            announce(
                sender="test",
                participant_id=participant_a.pk,
                kind=ChangeKind.HOUSED,
                happened_on=clock.today(),
            )
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert not SignificantChangeNotice.objects.exists()


def test_a_member_of_another_organisation_sees_no_notice(
    partner, participant_a, case_manager_a, partner_org, org_b, django_capture_on_commit_callbacks
):
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.HOUSED)
    assert list(selectors.notices_for_user(member(org_b, Role.PROGRAM_MANAGER))) == []


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


def test_the_same_change_told_twice_is_one_notice(
    partner, participant_a, case_manager_a, partner_org, django_capture_on_commit_callbacks
):
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.HOUSED)
    notices = _change(django_capture_on_commit_callbacks, participant_a, ChangeKind.HOUSED)
    assert len(notices) == 2  # one in the app, one email: not four


def test_a_change_told_at_a_moment_of_the_story_is_dated_then(
    partner, participant_a, case_manager_a, partner_org, django_capture_on_commit_callbacks
):
    import datetime

    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    moment = clock.now() - datetime.timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True), clock.at(moment):
        announce(
            sender="t", participant_id=participant_a.pk, kind=ChangeKind.HOUSED, happened_on=clock.today()
        )
    notice = SignificantChangeNotice.objects.filter(channel=Channel.IN_APP).get()
    assert notice.created_at == moment


def test_a_tenancy_ending_tells_the_partners_involved_that_the_person_moved(
    partner, participant_a, case_manager_a, partner_org, django_capture_on_commit_callbacks
):
    """E3 from housing: the end of a tenancy (and a new lease after one) is a move; under a consent that shares
    housing, the partner is told; the housing service itself announces it."""
    from ancrage.housing import services_tenancies
    from ancrage.housing.tests.support_factories import make_tenancy

    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    tenancy = make_tenancy(participant_a, case_manager_a, organisation=participant_a.organisation)
    specialist = member(participant_a.organisation, Role.HOUSING_SPECIALIST, username="logement.test")
    with django_capture_on_commit_callbacks(execute=True):
        services_tenancies.tenancy_end(
            actor=specialist, tenancy=tenancy, ended_on=clock.today(), reason="moved_by_choice"
        )
    notices = SignificantChangeNotice.objects.filter(participant=participant_a, kind=ChangeKind.MOVED)
    assert {(n.channel, n.status) for n in notices} == {
        (Channel.IN_APP, Status.SENT),
        (Channel.EMAIL, Status.SENT),
    }


def test_one_files_notices_are_the_readers_notices_about_that_person(
    case_manager_a, case_manager_b, org_a, org_b, partner_org, partner_rep, participant_a
):
    """Issue 16: a file's notices decide the kinds the reader may read of that one person without a subquery
    a kind; the answer is the reader's notices about that person, for a reader at home, a partner reading by
    consent, a reader whose two roles read different kinds (one by consent), and a merged file."""
    from ancrage.accounts.models import Membership
    from ancrage.people.tests.factories import make_participant

    partner_here = make_partner(case_manager_a, name="Clinique", kind="hospital", organisation=partner_org)
    partner_a = make_partner(case_manager_a, name="Refuge", kind="other", organisation=org_a)
    other = make_participant(case_manager_b, org_b, legal_first_name="Rémi", legal_last_name="Autre")
    merged = make_participant(case_manager_a, org_a, legal_first_name="Éloïse", legal_last_name="Double")
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY, Category.HEALTH])
    share(case_manager_b, other, [org_a], [Category.IDENTITY, Category.RISK])
    for person in (participant_a, other, merged):
        for kind in jobs.CHANGE_CATEGORY:
            for partner, channel, status in (
                (partner_here, Channel.IN_APP, Status.SENT),
                (partner_a, Channel.IN_APP, Status.SENT),
                (partner_here, Channel.EMAIL, Status.FAILED),
            ):
                SignificantChangeNotice.objects.create(
                    participant=person,
                    kind=kind,
                    happened_on=clock.today(),
                    partner=partner,
                    channel=channel,
                    status=status,
                )
    type(merged).objects.filter(pk=merged.pk).update(merged_into=participant_a)
    merged.refresh_from_db()
    # A housing specialist in A (no health there) who is also a case manager in B, whom a consent shares
    # health with: health is read through B.
    two_roles = member(org_a, Role.HOUSING_SPECIALIST)
    Membership.objects.create(user=two_roles, organisation=org_b, role=Role.CASE_MANAGER)
    seen = {}
    for reader in (case_manager_a, case_manager_b, partner_rep, two_roles):
        for person in (participant_a, other, merged):
            one = set(selectors.notices_for_user(reader, person))
            assert one == set(selectors.notices_for_user(reader).filter(participant=person))
            seen[reader.pk, person.pk] = {n.kind for n in one}
    assert seen[partner_rep.pk, participant_a.pk] == {"housed", "moved"}
    assert "hospitalised" in seen[two_roles.pk, participant_a.pk]
    assert "exit" not in seen[two_roles.pk, participant_a.pk]
    assert seen[case_manager_a.pk, other.pk] == {"incident", "risk_plan"}
    assert seen[case_manager_a.pk, merged.pk] == set()
