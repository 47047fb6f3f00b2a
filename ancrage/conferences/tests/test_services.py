"""The rules of case conferencing (D1–D7) and their bad input."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction

from ancrage.conferences import services
from ancrage.conferences.models import ActionItem, AgendaItem, Attendance, Delivery, Meeting
from ancrage.conferences.selectors import (
    agenda_for,
    attendance_by_organisation,
    item_reason_display,
    ordered_items,
    rotation,
    tables_that_discussed,
)
from ancrage.conferences.tests.conftest import flag, person
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English here; one test reads them in French."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _messages(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


# --- Tables, meetings, roles (D1, D2) --------------------------------------------------------------------------


def test_table_needs_a_place_or_link_and_a_sane_length(ca_worker, hub_org):
    with pytest.raises(ValidationError) as exc:
        services.table_create(
            actor=ca_worker,
            organisation=hub_org,
            name="x\x00",
            start_time=datetime.time(10),
            duration_minutes=9999,
        )
    assert set(exc.value.message_dict) >= {"name", "duration_minutes", "place"}


def test_member_must_work_in_the_organisation_and_only_once(table, ca_worker, case_manager_a, org_a, org_b):
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=ca_worker, table=table, user=case_manager_a, organisation=org_b)
    assert "does not work" in _messages(exc, "organisation")
    services.member_add(actor=ca_worker, table=table, user=case_manager_a, organisation=org_a)
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=ca_worker, table=table, user=case_manager_a, organisation=org_a)
    assert "already a member" in _messages(exc, "user")


def test_member_without_the_permission_is_refused(table, ca_worker, administrator, shared_org):
    with pytest.raises(ValidationError):
        services.member_add(actor=ca_worker, table=table, user=administrator, organisation=shared_org)


def test_three_roles_refuse_the_same_person_twice(meeting, ca_worker, ca_worker_2, case_manager_a, outsider):
    with pytest.raises(ValidationError) as exc:
        services.meeting_set_roles(
            actor=ca_worker,
            meeting=meeting,
            facilitator=ca_worker,
            timekeeper=ca_worker,
            note_taker=case_manager_a,
        )
    assert "one person, one role" in _messages(exc, "timekeeper")
    with pytest.raises(ValidationError) as exc:
        services.meeting_set_roles(
            actor=ca_worker, meeting=meeting, facilitator=ca_worker, timekeeper=outsider, note_taker=None
        )
    assert "member of the table" in _messages(exc, "timekeeper")
    services.meeting_set_roles(
        actor=ca_worker,
        meeting=meeting,
        facilitator=ca_worker,
        timekeeper=ca_worker_2,
        note_taker=case_manager_a,
    )
    meeting.refresh_from_db()
    assert (meeting.facilitator, meeting.timekeeper, meeting.note_taker) == (
        ca_worker,
        ca_worker_2,
        case_manager_a,
    )


def test_the_database_refuses_the_same_person_in_two_roles(meeting, ca_worker):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(facilitator=ca_worker, note_taker=ca_worker)


def test_meetings_follow_the_cadence(table, members, ca_worker):
    made = services.meetings_generate(
        actor=ca_worker, table=table, until=clock.today() + datetime.timedelta(days=28)
    )
    assert len(made) in (4, 5)
    assert all(clock.localtime(m.starts_at).weekday() == 2 for m in made)
    assert all(clock.localtime(m.starts_at).hour == 10 for m in made)
    again = services.meetings_generate(
        actor=ca_worker, table=table, until=clock.today() + datetime.timedelta(days=28)
    )
    assert again == []
    with pytest.raises(ValidationError):
        services.meetings_generate(actor=ca_worker, table=table, until=datetime.date(9999, 1, 1))


def test_meeting_in_an_absurd_year_is_refused(table, ca_worker):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=ca_worker, table=table, starts_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
        )
    assert "starts_at" in exc.value.message_dict


def test_attendance_only_for_members_and_known_statuses(meeting, members, ca_worker):
    with time_machine.travel(meeting.starts_at, tick=False):
        with pytest.raises(ValidationError):
            services.attendance_record(
                actor=ca_worker, meeting=meeting, statuses={members["gc_a"].pk: "late"}
            )
        services.attendance_record(
            actor=ca_worker,
            meeting=meeting,
            statuses={members["gc_a"].pk: "present", members["partenaire"].pk: "absent"},
        )
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    rows = attendance_by_organisation(meeting.table)
    assert {r["organisation"]: r["absent"] for r in rows}["Partenaire santé"] == 1


# --- Agenda (D3) ---------------------------------------------------------------------------------------------


def test_only_stuck_people_go_on_the_agenda(meeting, ca_worker, case_manager_a, org_a, members):
    p = person(case_manager_a, org_a, "Nora", "Side")
    with pytest.raises(ValidationError) as exc:
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    assert "stuck" in _messages(exc, "participant")
    flag(p)
    item = services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    assert item.source == AgendaItem.Source.FLAGGED
    assert item.reason == "no_eligible_program"
    assert item_reason_display(item) == "Eligible for no Housing First program" or item.reason


def test_a_proposal_says_why_and_comes_from_a_member(
    table, members, case_manager_a, org_a, meeting, ca_worker, housing_specialist
):
    p = person(case_manager_a, org_a, "Paul", "Prop")
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(actor=case_manager_a, table=table, participant=p, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(
            actor=housing_specialist, table=table, participant=p, reason="Refuse trois logements"
        )
    assert "table" in exc.value.message_dict
    proposal = services.proposal_create(
        actor=case_manager_a, table=table, participant=p, reason="Refuse trois logements, aucun plan ne tient"
    )
    item = services.agenda_add(actor=ca_worker, meeting=meeting, participant=p, proposal=proposal)
    assert item.source == AgendaItem.Source.PROPOSED
    assert item.organisation_id == org_a.pk
    with pytest.raises(ValidationError) as exc:
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=p, proposal=proposal)
    assert "already on this agenda" in _messages(exc, "participant")


def test_a_member_proposes_only_a_person_they_may_see(table, members, case_manager_a, case_manager_b, org_a):
    p = person(case_manager_a, org_a, "Caché", "Ailleurs")
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(
            actor=case_manager_b, table=table, participant=p, reason="Bloqué depuis des mois"
        )
    assert "participant" in exc.value.message_dict


@pytest.mark.parametrize(("minutes", "per_hour", "room"), [(7, 6, 6), (5, 8, 8), (8, 8, 7), (5, 5, 5)])
def test_capacity_follows_the_settings(meeting, settings, minutes, per_hour, room):
    settings.ANCRAGE = {
        **settings.ANCRAGE,
        "CONFERENCE_MINUTES_PER_PERSON": minutes,
        "CONFERENCE_PEOPLE_PER_HOUR": per_hour,
    }
    assert services.capacity(meeting) == room


def test_settings_outside_five_to_eight_are_refused(meeting, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "CONFERENCE_MINUTES_PER_PERSON": 12}
    with pytest.raises(ImproperlyConfigured):
        services.capacity(meeting)


def test_an_agenda_over_its_time_budget_is_refused(meeting, ca_worker, case_manager_a, org_a):
    people = [person(case_manager_a, org_a, f"P{n}", "Bloqué") for n in range(7)]
    for p in people:
        flag(p)
    for p in people[:6]:
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    with pytest.raises(ValidationError) as exc:
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=people[6])
    assert "The agenda is full: 6 people in 60 minutes" in _messages(exc, "participant")
    assert AgendaItem.objects.filter(meeting=meeting).count() == 6


def test_the_budget_message_is_in_french(meeting, ca_worker, case_manager_a, org_a, settings):
    from django.utils import translation

    settings.ANCRAGE = {
        **settings.ANCRAGE,
        "CONFERENCE_PEOPLE_PER_HOUR": 5,
        "CONFERENCE_MINUTES_PER_PERSON": 8,
    }
    people = [person(case_manager_a, org_a, f"P{n}", "Bloqué") for n in range(6)]
    for p in people[:5]:
        flag(p)
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    flag(people[5])
    with translation.override("fr"), pytest.raises(ValidationError) as exc:
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=people[5])
    assert "L’ordre du jour est complet" in _messages(exc, "participant")


def test_a_person_added_after_the_agenda_went_out_is_late(meeting, ca_worker, case_manager_a, org_a):
    from ancrage.conferences.mail import agenda_send

    early, late = person(case_manager_a, org_a, "Tôt", "A"), person(case_manager_a, org_a, "Tard", "B")
    flag(early)
    flag(late)
    assert not services.agenda_add(actor=ca_worker, meeting=meeting, participant=early).is_late
    agenda_send(actor=ca_worker, meeting=meeting)
    assert services.agenda_add(actor=ca_worker, meeting=meeting, participant=late).is_late


def test_rotation_turns_the_first_organisation_meeting_after_meeting(table, members, ca_worker):
    made = services.meetings_generate(
        actor=ca_worker, table=table, until=clock.today() + datetime.timedelta(days=35)
    )
    orgs = sorted({m.organisation_id for m in members.values()})
    firsts = [m.first_organisation_id for m in made]
    assert (
        firsts[: len(orgs)] == [orgs[i % len(orgs)] for i in range(len(orgs))][: len(firsts)]
        or len(set(firsts)) > 1
    )
    # Each meeting starts with the next organisation, in a cycle.
    for before, after in itertools.pairwise(made):
        assert orgs.index(after.first_organisation_id) == (
            orgs.index(before.first_organisation_id) + 1
        ) % len(orgs)
    assert rotation(made[1])[0] == made[1].first_organisation_id


def test_agenda_order_interleaves_organisations_from_the_first(
    meeting, ca_worker, case_manager_a, case_manager_b, org_a, org_b
):
    a1, a2 = person(case_manager_a, org_a, "A", "Un"), person(case_manager_a, org_a, "A", "Deux")
    b1 = person(case_manager_b, org_b, "B", "Un")
    for p in (a1, a2, b1):
        flag(p)
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    Meeting.objects.filter(pk=meeting.pk).update(first_organisation=org_b)
    meeting.refresh_from_db()
    order = [i.participant_id for i in ordered_items(meeting, list(meeting.items.all()))]
    assert order == [b1.pk, a1.pk, a2.pk]
    Meeting.objects.filter(pk=meeting.pk).update(first_organisation=org_a)
    meeting.refresh_from_db()
    order = [i.participant_id for i in ordered_items(meeting, list(meeting.items.all()))]
    assert order == [a1.pk, b1.pk, a2.pk]


# --- Privacy (D7, G2) ----------------------------------------------------------------------------------------


def test_a_member_sees_a_person_only_under_consent(
    meeting, ca_worker, case_manager_a, org_a, partner_rep, partner_org, hub_org
):
    shared = person(case_manager_a, org_a, "Ami", "Partagé", share_with=[partner_org, hub_org])
    identity_only = person(
        case_manager_a,
        org_a,
        "Juste",
        "Identité",
        share_with=[partner_org, hub_org],
        categories=("identity",),
    )
    private = person(case_manager_a, org_a, "Secret", "Privé", share_with=[hub_org])
    for p in (shared, identity_only, private):
        flag(p)
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    seen = {line.item.participant_id: line.visible for line in agenda_for(partner_rep, meeting)}
    assert seen == {shared.pk: True, identity_only.pk: False, private.pk: False}
    hidden = next(line for line in agenda_for(partner_rep, meeting) if not line.visible)
    assert hidden.participant is None
    assert hidden.home_name == org_a.name
    # The home organisation sees all of its people.
    assert all(line.visible for line in agenda_for(case_manager_a, meeting))
    assert AuditEntry.objects.filter(
        actor=partner_rep, action="conferences.item.viewed", participant=shared
    ).exists()
    assert not AuditEntry.objects.filter(actor=partner_rep, participant=private, is_read=True).exists()


def test_a_consent_revoked_after_the_agenda_hides_the_person_at_once(
    meeting, ca_worker, case_manager_a, org_a, partner_rep, partner_org, hub_org
):
    from ancrage.people import services as people_services

    p = person(case_manager_a, org_a, "Révo", "Qué", share_with=[partner_org, hub_org])
    flag(p)
    services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    assert agenda_for(partner_rep, meeting)[0].visible
    consent = p.consents.get()
    people_services.consent_revoke(
        actor=case_manager_a, consent=consent, reason="La personne retire son accord"
    )
    assert not agenda_for(partner_rep, meeting)[0].visible


def test_tables_that_discussed_a_person(meeting, ca_worker, case_manager_a, org_a, partner_org):
    p = person(case_manager_a, org_a, "Dis", "Cuté")
    flag(p)
    assert tables_that_discussed(p) == []
    services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
    [found] = tables_that_discussed(p)
    assert found["table"] == meeting.table
    assert partner_org in found["organisations"]
    assert org_a in found["organisations"]


# --- Action items, minutes, escalation (D5) ------------------------------------------------------------------


def _item(meeting, ca_worker, case_manager_a, org_a, name="Action"):
    p = person(case_manager_a, org_a, name, "Personne")
    flag(p)
    return services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)


def test_an_action_needs_a_responsible_member_and_a_due_date_not_past(
    meeting, ca_worker, case_manager_a, org_a
):
    item = _item(meeting, ca_worker, case_manager_a, org_a)
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=ca_worker,
            meeting=meeting,
            item=item,
            description="Appeler",
            responsible=None,
            due_on=clock.today() - datetime.timedelta(days=1),
        )
    assert {"responsible", "due_on"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=ca_worker,
            meeting=meeting,
            item=item,
            description="x" * 20000,
            responsible=case_manager_a,
            due_on=datetime.date(9999, 1, 1),
        )
    assert {"description", "due_on"} <= set(exc.value.message_dict)
    assert not ActionItem.objects.exists()


def test_an_action_with_raci(meeting, ca_worker, ca_worker_2, case_manager_a, org_a, partner_org):
    item = _item(meeting, ca_worker, case_manager_a, org_a)
    action = services.action_create(
        actor=ca_worker,
        meeting=meeting,
        item=item,
        description="Visiter un logement",
        responsible=case_manager_a,
        accountable=ca_worker_2,
        due_on=clock.today() + datetime.timedelta(days=7),
        consulted=[ca_worker],
        informed=[partner_org],
    )
    assert action.participant_id == item.participant_id
    assert {(p.role, p.user_id, p.organisation_id) for p in action.parties.all()} == {
        ("consulted", ca_worker.pk, None),
        ("informed", None, partner_org.pk),
    }
    with pytest.raises(ValidationError):
        services.action_update(actor=case_manager_a, action=action, status="dropped")
    services.action_update(actor=case_manager_a, action=action, status="done", note="Visite faite")
    action.refresh_from_db()
    assert action.done_on == clock.today()
    assert action.follow_ups.count() == 1


def test_overdue_actions_on_the_responsible_home(meeting, ca_worker, case_manager_a, org_a, client_for):
    item = _item(meeting, ca_worker, case_manager_a, org_a)
    services.action_create(
        actor=ca_worker,
        meeting=meeting,
        item=item,
        description="Trouver un garant",
        responsible=case_manager_a,
        due_on=clock.today() + datetime.timedelta(days=1),
    )
    with time_machine.travel(clock.now() + datetime.timedelta(days=3)):
        html = client_for(case_manager_a).get("/").content.decode()
    assert "Trouver un garant" in html


def _close(meeting, actor):
    from django.test import TestCase

    with (
        time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return services.minutes_close(actor=actor, meeting=meeting)


def test_minutes_closed_send_the_action_list_to_every_member_in_their_language(
    meeting, ca_worker, case_manager_a, org_a, partner_rep, partner_org, mailoutbox, members
):
    from ancrage.accounts.models import User

    User.objects.filter(pk=partner_rep.pk).update(language="en", email="p@example.org")
    User.objects.filter(pk=case_manager_a.pk).update(language="fr", email="a@example.org")
    item = _item(meeting, ca_worker, case_manager_a, org_a, name="Zélie")
    services.action_create(
        actor=ca_worker,
        meeting=meeting,
        item=item,
        description="Chercher une place",
        responsible=case_manager_a,
        due_on=clock.today() + datetime.timedelta(days=14),
    )
    mailoutbox.clear()
    _close(meeting, ca_worker)
    by_to = {m.to[0]: m for m in mailoutbox}
    assert "Liste des actions" in by_to["a@example.org"].subject
    assert "Zélie" in by_to["a@example.org"].body
    assert by_to["p@example.org"].subject.startswith("Action list")
    # The partner has no consent for this person: the action is listed without who it is about.
    assert "Zélie" not in by_to["p@example.org"].body
    assert "Consent needed" in by_to["p@example.org"].body
    with pytest.raises(ValidationError):
        _close(meeting, ca_worker)


def test_a_meeting_edited_after_its_minutes_is_marked_and_resent(
    meeting, ca_worker, case_manager_a, org_a, mailoutbox, members
):
    item = _item(meeting, ca_worker, case_manager_a, org_a)
    _close(meeting, ca_worker)
    sent = len(mailoutbox)
    assert sent >= 1
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.action_create(
            actor=ca_worker,
            meeting=meeting,
            item=item,
            description="Ajout après coup",
            responsible=case_manager_a,
            due_on=clock.today() + datetime.timedelta(days=3),
        )
    meeting.refresh_from_db()
    assert meeting.changed_after_minutes
    assert meeting.minutes_version == 2
    assert len(mailoutbox) == 2 * sent
    assert all("Ajout après coup" in m.body for m in mailoutbox[sent:] if "gc_a" in m.to[0])
    assert any("modifiée" in m.subject or "changed" in m.subject for m in mailoutbox[sent:])


def test_three_discussions_without_progress_escalate(
    table, members, ca_worker, case_manager_a, org_a, program_manager_a
):
    p = person(case_manager_a, org_a, "Trois", "Fois")
    flag(p)
    meetings = services.meetings_generate(
        actor=ca_worker, table=table, until=clock.today() + datetime.timedelta(days=22)
    )
    for m in meetings[:2]:
        services.agenda_add(actor=ca_worker, meeting=m, participant=p)
        _close(m, ca_worker)
    assert not Alert.objects.filter(kind="conferences.escalation").exists()
    services.agenda_add(actor=ca_worker, meeting=meetings[2], participant=p)
    _close(meetings[2], ca_worker)
    assert (
        Alert.objects.filter(
            kind="conferences.escalation", recipient=program_manager_a, participant=p
        ).count()
        == 1
    )
    assert AgendaItem.objects.get(meeting=meetings[2]).escalated


def test_an_action_done_between_resets_the_count(
    table, members, ca_worker, case_manager_a, org_a, program_manager_a
):
    p = person(case_manager_a, org_a, "Pro", "Grès")
    flag(p)
    meetings = services.meetings_generate(
        actor=ca_worker, table=table, until=clock.today() + datetime.timedelta(days=22)
    )
    for n, m in enumerate(meetings[:3]):
        item = services.agenda_add(actor=ca_worker, meeting=m, participant=p)
        if n == 1:
            with time_machine.travel(m.starts_at, tick=False):
                action = services.action_create(
                    actor=ca_worker,
                    meeting=m,
                    item=item,
                    description="Fait",
                    responsible=case_manager_a,
                    due_on=clock.today() + datetime.timedelta(days=1),
                )
                services.action_update(actor=case_manager_a, action=action, status="done")
        _close(m, ca_worker)
    assert not Alert.objects.filter(kind="conferences.escalation").exists()


# --- Email delivery (D3) -------------------------------------------------------------------------------------


def test_agenda_goes_out_days_ahead_with_an_ics(
    meeting, ca_worker, case_manager_a, org_a, mailoutbox, members, settings
):
    from ancrage.conferences.tasks import send_due

    for u in (m.user for m in members.values()):
        type(u).objects.filter(pk=u.pk).update(email=f"{u.username}@example.org")
    _item(meeting, ca_worker, case_manager_a, org_a, name="Zéphyrin")
    send_due.call()
    assert mailoutbox == []  # a week ahead: not yet
    with time_machine.travel(meeting.starts_at - datetime.timedelta(days=1, hours=20), tick=False):
        send_due.call()
    assert len(mailoutbox) == len(members)
    message = next(m for m in mailoutbox if m.to == ["gc_a@example.org"])
    assert "Zéphyrin" in message.body
    [(name, ics, mime)] = message.attachments
    assert name == "meeting.ics"
    assert mime == "text/calendar"
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:" in ics
    assert "SUMMARY:Table communautaire" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    partner_mail = next(m for m in mailoutbox if m.to == ["partenaire@example.org"])
    assert "Zéphyrin" not in partner_mail.body


def test_ics_escapes_and_folds():
    from ancrage.conferences.mail import _fold, _ics_text

    assert _ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = _fold("SUMMARY:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 80


def test_failed_email_is_kept_shown_and_retried(meeting, ca_worker, members, mailoutbox, monkeypatch):
    from ancrage.conferences import mail

    for u in (m.user for m in members.values()):
        type(u).objects.filter(pk=u.pk).update(email=f"{u.username}@example.org")
    calls = {"n": 0}
    real_send = mail.EmailMessage.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    Meeting.objects.filter(pk=meeting.pk).update(facilitator=ca_worker)
    mail.agenda_send(actor=ca_worker, meeting=meeting)
    mail.deliveries_send()
    assert Alert.objects.filter(kind="conferences.delivery.failed", recipient=ca_worker).count() == 1
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.last_error == "SMTP down"
    assert failed.attempts == 1
    mail.deliveries_send()
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.SENT
    assert failed.attempts == 2
    assert len(mailoutbox) == len(members)


# --- Parking lot and evaluation (D6) -------------------------------------------------------------------------


def test_parking_lot_issue_needs_an_owner_and_a_resolution(table, members, ca_worker, case_manager_a):
    with pytest.raises(ValidationError):
        services.parking_create(actor=ca_worker, table=table, title="Délais au refuge", owner=None)
    issue = services.parking_create(
        actor=ca_worker, table=table, title="Délais au refuge", owner=case_manager_a
    )
    with pytest.raises(ValidationError):
        services.parking_update(actor=ca_worker, issue=issue, status="resolved")
    services.parking_update(actor=ca_worker, issue=issue, status="resolved", resolution="Entente signée")


def test_evaluation_once_per_member_on_a_scale_of_five(meeting, members, case_manager_a, outsider):
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=2), tick=False):
        with pytest.raises(ValidationError) as exc:
            services.evaluation_give(
                actor=case_manager_a, meeting=meeting, usefulness=6, time_use=0, preparation=3
            )
        assert {"usefulness", "time_use"} <= set(exc.value.message_dict)
        services.evaluation_give(
            actor=case_manager_a, meeting=meeting, usefulness=4, time_use=3, preparation=5
        )
        with pytest.raises(ValidationError) as exc:
            services.evaluation_give(
                actor=case_manager_a, meeting=meeting, usefulness=4, time_use=3, preparation=5
            )
        assert "already" in _messages(exc, "meeting")
        with pytest.raises(ValidationError):
            services.evaluation_give(actor=outsider, meeting=meeting, usefulness=4, time_use=3, preparation=5)
