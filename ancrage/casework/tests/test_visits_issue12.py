"""Field visits corrected from trials (issue 12): a visit is one contact; visit safety (B9)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ancrage.accounts.models import Membership
from ancrage.casework.contacts import selectors, services
from ancrage.casework.flags import enrollment_rows
from ancrage.casework.models import Contact, Enrollment, FieldVisit
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import TeamFactory, member

from .plans_helpers import enroll

pytestmark = pytest.mark.django_db


def _ended_visit(actor, participant, minutes=60, **kwargs):
    """A visit that started `minutes` ago and has just ended."""
    start = clock.now() + datetime.timedelta(minutes=5)
    visit = services.visit_plan(
        actor=actor,
        participant=participant,
        location="12 rue des Érables",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
        **kwargs,
    )
    FieldVisit.objects.filter(pk=visit.pk).update(
        planned_start=clock.now() - datetime.timedelta(minutes=minutes + 5)
    )
    services.visit_start(actor=actor, visit=visit, at=clock.now() - datetime.timedelta(minutes=minutes))
    return services.visit_end(actor=actor, visit=visit)


def _local(dt):
    return clock.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _contact_form(visit, **extra):
    return {
        "kind": "home",
        "occurred_at": _local(visit.started_at),
        "duration_minutes": "60",
        "participant_present": "yes",
        "visit": visit.pk,
        **extra,
    }


# --- a visit is one contact (part 2) -----------------------------------------------------------------


def test_second_save_of_a_visit_contact_opens_the_first(client_for, case_manager_a, participant_a):
    visit = _ended_visit(case_manager_a, participant_a)
    c = client_for(case_manager_a)
    url = reverse("casework:contact_create", args=[participant_a.pk]) + f"?visit={visit.pk}"
    first = c.post(url, _contact_form(visit, shared_note="Première"))
    assert first.status_code == 302
    contact = Contact.objects.get(visit=visit)
    # Reload and save again (the browser's back button, a double tap): nothing logged twice.
    again = c.post(url, _contact_form(visit, shared_note="Deuxième"))
    assert again.status_code == 302
    assert again["Location"].endswith(f"#contact-{contact.pk}")
    assert Contact.objects.filter(visit=visit).count() == 1
    assert Contact.objects.get(visit=visit).shared_note == "Première"
    page = c.get(again["Location"])
    assert "déjà été consigné" in page.content.decode()
    # The weekly standard counts the visit's 60 minutes once.
    standard = selectors.weekly_standard(participant_a, None, clock.today())
    assert standard.this_week.minutes == 60
    # Opening the form again goes to the contact too.
    reopened = c.get(url)
    assert reopened.status_code == 302
    assert reopened["Location"].endswith(f"#contact-{contact.pk}")


def test_second_contact_for_a_visit_refused_by_the_service_and_the_api(
    client_for, case_manager_a, participant_a
):
    visit = _ended_visit(case_manager_a, participant_a)
    values = {"occurred_at": visit.started_at, "duration_minutes": 60, "kind": "home", "visit": visit}
    first = services.contact_log(actor=case_manager_a, participant=participant_a, **values)
    with pytest.raises(services.VisitAlreadyLoggedError) as caught:
        services.contact_log(actor=case_manager_a, participant=participant_a, **values)
    assert caught.value.contact == first
    response = client_for(case_manager_a).post(
        f"/api/v1/participants/{participant_a.pk}/contacts",
        {
            "occurred_at": visit.started_at.isoformat(),
            "duration_minutes": 60,
            "kind": "home",
            "visit_id": visit.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Contact.objects.filter(visit=visit).count() == 1


def test_the_database_refuses_two_contacts_for_one_visit(case_manager_a, participant_a):
    visit = _ended_visit(case_manager_a, participant_a)
    services.contact_log(
        actor=case_manager_a,
        participant=participant_a,
        occurred_at=visit.started_at,
        duration_minutes=60,
        kind="home",
        visit=visit,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            participant=participant_a,
            organisation_id=visit.organisation_id,
            occurred_at=visit.started_at,
            duration_minutes=60,
            kind="home",
            visit=visit,
            recorded_by=case_manager_a,
        )
    # Contacts without a visit are as many as needed.
    for _n in range(2):
        services.contact_log(
            actor=case_manager_a,
            participant=participant_a,
            occurred_at=clock.now(),
            duration_minutes=10,
            kind="phone",
        )
    assert Contact.objects.filter(visit__isnull=True).count() == 2


def test_contact_of_a_visit_of_another_organisation_is_404(client_for, case_manager_b, participant_a, org_a):
    other = member(org_a, Role.CASE_MANAGER)
    visit = _ended_visit(other, participant_a)
    url = reverse("casework:contact_create", args=[participant_a.pk]) + f"?visit={visit.pk}"
    assert client_for(case_manager_b).post(url, _contact_form(visit)).status_code == 404
    with pytest.raises(ValidationError):
        services.contact_log(
            actor=case_manager_b,
            participant=participant_a,
            occurred_at=visit.started_at,
            duration_minutes=60,
            kind="home",
            visit=visit,
        )


# --- visit safety (part 1, B9) ------------------------------------------------------------------------------

MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
T0 = datetime.datetime(2030, 3, 5, 8, 0, tzinfo=MONTREAL)  # a Tuesday


@pytest.fixture
def field(time_machine, case_manager_a, participant_a, org_a):
    """A visit planned at 8:00 for 9:00–10:00, started at 9:00; the participant enrolled in a team."""
    time_machine.move_to(T0, tick=False)
    team = TeamFactory(organisation=org_a)
    enrollment = enroll(case_manager_a, participant_a)
    Enrollment.objects.filter(pk=enrollment.pk).update(team=team)
    lead = member(org_a, Role.TEAM_LEAD)
    visit = services.visit_plan(
        actor=case_manager_a,
        participant=participant_a,
        location="Parc Morgan",
        planned_start=T0 + datetime.timedelta(hours=1),
        planned_end=T0 + datetime.timedelta(hours=2),
    )
    time_machine.move_to(T0 + datetime.timedelta(hours=1), tick=False)
    services.visit_start(actor=case_manager_a, visit=visit)

    def at(moment):
        time_machine.move_to(moment, tick=False)

    return {"visit": visit, "team": team, "lead": lead, "at": at}


def test_overdue_is_shown_red_with_how_late_everywhere_though_no_job_ran(
    client_for, field, case_manager_a, participant_a
):
    visit = field["visit"]
    field["at"](visit.planned_end + datetime.timedelta(hours=9))
    assert not Alert.objects.exists()  # nothing ran: the pages compute it themselves
    c = client_for(case_manager_a)
    board = c.get(reverse("casework:visit_list")).content.decode()
    assert "list-group-item-danger" in board
    assert "en retard de 9 h" in board
    for page in (
        reverse("casework:caseload"),
        reverse("casework:meeting") + f"?team={field['team'].pk}",
        reverse("home"),
        reverse("people:detail", args=[participant_a.pk]),
    ):
        html = c.get(page).content.decode()
        assert "Visite non terminée à temps" in html, page
        assert "en retard de 9 h" in html, page
        assert "text-bg-danger" in html, page
    api = c.get(f"/api/v1/participants/{participant_a.pk}/visits").json()
    assert api[0]["overdue"] is True
    assert api[0]["late_minutes"] == 9 * 60
    (row,) = enrollment_rows(Enrollment.objects.filter(participant=participant_a), clock.today())
    assert [f.key for f in row.flags if f.key.startswith("visit")] == ["visit_overdue"]
    assert row.flags[0].key == "visit_overdue"  # the weightiest flag comes first


def test_overdue_counts_from_the_planned_end_and_the_grace_period(field, settings, participant_a):
    settings.ANCRAGE = settings.ANCRAGE | {"VISIT_GRACE_MINUTES": 30}
    visit = field["visit"]
    rows = lambda: enrollment_rows(Enrollment.objects.filter(participant=participant_a), clock.today())  # noqa: E731
    field["at"](visit.planned_end + datetime.timedelta(minutes=30))
    assert visit.late_by(clock.now()) is None
    assert rows()[0].has("visit_under_way")
    field["at"](visit.planned_end + datetime.timedelta(minutes=31))
    assert visit.late_by(clock.now()) == datetime.timedelta(minutes=31)
    assert rows()[0].has("visit_overdue")
    assert "31 min" in rows()[0].flags[0].detail
    # Planned and never started: overdue the same way.
    FieldVisit.objects.filter(pk=visit.pk).update(status=FieldVisit.Status.PLANNED, started_at=None)
    assert rows()[0].has("visit_overdue")


def test_extend_from_the_phone_is_logged_and_bounded(client_for, field, case_manager_a, org_a):
    visit = field["visit"]
    services.visits_alert_overdue(now=visit.planned_end + datetime.timedelta(hours=1))
    field["at"](visit.planned_end + datetime.timedelta(hours=1))
    assert Alert.objects.filter(kind="casework.visit.overdue", resolved_at__isnull=True).exists()
    c = client_for(case_manager_a)
    response = c.post(reverse("casework:visit_extend", args=[visit.pk]), {"minutes": "60"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.planned_end == clock.now() + datetime.timedelta(minutes=60)
    assert visit.late_by(clock.now()) is None
    assert visit.overdue_alerted_at is None
    assert not Alert.objects.filter(kind="casework.visit.overdue", resolved_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="casework.visit.extended")
    assert entry.actor == case_manager_a
    assert entry.data["minutes"] == 60
    # Not a free number, and never past 12 hours from the start.
    c.post(reverse("casework:visit_extend", args=[visit.pk]), {"minutes": "600"})
    page = c.get(reverse("casework:visit_list")).content.decode()
    assert "Choisissez combien de temps de plus" in page
    field["at"](visit.planned_start + datetime.timedelta(hours=11, minutes=30))
    with pytest.raises(ValidationError) as caught:
        services.visit_extend(actor=case_manager_a, visit=visit, minutes=60)
    assert "12" in caught.value.messages[0]
    # A colleague not on the visit cannot extend it.
    colleague = member(org_a, Role.CASE_MANAGER)
    with pytest.raises(ValidationError):
        services.visit_extend(actor=colleague, visit=visit, minutes=15)
    assert AuditEntry.objects.filter(action="casework.visit.extended").count() == 1


def test_i_am_safe_closes_the_alert_tells_the_alerted_and_the_watch_starts_again(
    client_for, field, case_manager_a, settings
):
    settings.ANCRAGE = settings.ANCRAGE | {"VISIT_GRACE_MINUTES": 30}
    visit, lead = field["visit"], field["lead"]
    late = visit.planned_end + datetime.timedelta(hours=1)
    field["at"](late)
    assert services.visits_alert_overdue() == 1
    assert Alert.objects.filter(recipient=lead, kind="casework.visit.overdue").exists()
    response = client_for(case_manager_a).post(reverse("casework:visit_safe", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.safe_at == late
    assert visit.status == FieldVisit.Status.STARTED  # still there: ended when they leave
    assert not Alert.objects.filter(kind="casework.visit.overdue", resolved_at__isnull=True).exists()
    assert Alert.objects.filter(recipient=lead, kind="casework.visit.safe").exists()
    entry = AuditEntry.objects.get(action="casework.visit.safe")
    assert entry.data["told"] == [lead.pk]
    # Not overdue for the grace period; then overdue again, and the watch alerts again.
    field["at"](late + datetime.timedelta(minutes=29))
    assert visit.late_by(clock.now()) is None
    assert services.visits_alert_overdue() == 0
    field["at"](late + datetime.timedelta(minutes=31))
    assert visit.late_by(clock.now()) is not None
    assert services.visits_alert_overdue() == 1


def test_ending_a_colleagues_visit_asks_why_and_tells_them(client_for, field, case_manager_a, org_a):
    visit = field["visit"]
    field["at"](visit.planned_end + datetime.timedelta(hours=2))
    colleague = member(org_a, Role.CASE_MANAGER)
    Membership.objects.filter(user=colleague).update(team=field["team"])
    Membership.objects.filter(user=case_manager_a).update(team=field["team"])
    c = client_for(colleague)
    board = c.get(reverse("casework:visit_list")).content.decode()
    assert "Terminer à sa place" in board
    assert reverse("casework:visit_safe", args=[visit.pk]) not in board
    refused = c.post(reverse("casework:visit_end", args=[visit.pk]), {"reason": "  "})
    assert refused.status_code == 302
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.STARTED
    assert "dites pourquoi" in c.get(reverse("casework:visit_list")).content.decode()
    c.post(reverse("casework:visit_end", args=[visit.pk]), {"reason": "Joint·e au téléphone, en sécurité"})
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.ENDED
    told = Alert.objects.get(recipient=case_manager_a, kind="casework.visit.ended_by_colleague")
    assert told.params["reason"] == "Joint·e au téléphone, en sécurité"
    entry = AuditEntry.objects.get(action="casework.visit.ended")
    assert entry.data["reason"] == "Joint·e au téléphone, en sécurité"
    assert entry.data["for"] == case_manager_a.pk


def test_the_worker_ends_their_own_visit_without_a_reason(client_for, field, case_manager_a):
    visit = field["visit"]
    response = client_for(case_manager_a).post(reverse("casework:visit_end", args=[visit.pk]))
    assert response["Location"].startswith(reverse("casework:contact_create", args=[visit.participant_id]))
    assert not Alert.objects.filter(kind="casework.visit.ended_by_colleague").exists()


def test_another_organisation_cannot_extend_or_say_safe(client_for, field, case_manager_b):
    visit = field["visit"]
    c = client_for(case_manager_b)
    assert c.post(reverse("casework:visit_extend", args=[visit.pk]), {"minutes": "30"}).status_code == 404
    assert c.post(reverse("casework:visit_safe", args=[visit.pk])).status_code == 404
    api = c.post(f"/api/v1/visits/{visit.pk}/safe", {}, content_type="application/json")
    assert api.status_code == 404
    visit.refresh_from_db()
    assert visit.safe_at is None


def test_api_extend_safe_and_end_for_a_colleague(client_for, field, case_manager_a, org_a):
    visit = field["visit"]
    c = client_for(case_manager_a)
    extended = c.post(f"/api/v1/visits/{visit.pk}/extend", {"minutes": 15}, content_type="application/json")
    assert extended.status_code == 200
    assert extended.json()["planned_end"]
    safe = c.post(f"/api/v1/visits/{visit.pk}/safe", {}, content_type="application/json")
    assert safe.json()["safe_at"] is not None
    colleague = member(org_a, Role.CASE_MANAGER)
    c2 = client_for(colleague)
    refused = c2.post(f"/api/v1/visits/{visit.pk}/end", {}, content_type="application/json")
    assert refused.status_code == 422
    ended = c2.post(f"/api/v1/visits/{visit.pk}/end", {"reason": "Rejoint"}, content_type="application/json")
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"


def test_the_scheduled_watch_alerts_by_itself_and_again_after_i_am_safe(field, case_manager_a, settings):
    """The watch is a job of the application's schedule (run by `manage.py scheduler`, no cron line): its
    tick alerts the team lead on an overdue visit; after "I'm safe", it alerts again only once the grace
    period has passed anew."""
    from ancrage.core import scheduling
    from ancrage.core.models import ScheduledRun

    settings.ANCRAGE = settings.ANCRAGE | {"VISIT_GRACE_MINUTES": 30}
    watch = scheduling.get("casework.overdue_visits")
    assert watch.cron == "*/5 * * * *"
    assert watch.get_task().name == "alert_overdue_visits"
    visit, lead = field["visit"], field["lead"]
    due = watch.next_due(visit.planned_end + datetime.timedelta(minutes=30))
    field["at"](due)
    run = scheduling.enqueue_due(watch.name)
    assert run.status == ScheduledRun.Status.SUCCEEDED
    assert Alert.objects.filter(
        recipient=lead, kind="casework.visit.overdue", resolved_at__isnull=True
    ).exists()
    services.visit_safe(actor=case_manager_a, visit=visit)
    following = watch.next_due(due)
    field["at"](following)
    assert scheduling.enqueue_due(watch.name).result == 0
    later = watch.next_due(due + datetime.timedelta(minutes=31))
    field["at"](later)
    assert scheduling.enqueue_due(watch.name).result == 1
    assert Alert.objects.filter(
        recipient=lead, kind="casework.visit.overdue", resolved_at__isnull=True
    ).exists()
