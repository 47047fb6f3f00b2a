"""Services of contacts, field visits and risk plans (B2, B3, B8, B9)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from ancrage.accounts.models import Membership
from ancrage.casework.contacts import services
from ancrage.casework.models import Contact, FieldVisit, OnCallShift, RiskAssessment
from ancrage.casework.risk import services as risk_services
from ancrage.casework.risk.selectors import current_risk
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db


def _now():
    return clock.now()


def _visit(actor, participant, *, start_minutes=-120, end_minutes=-60, **kwargs):
    """A visit planned in the past (bypassing the 'already past' rule) for the overdue watch."""
    visit = services.visit_plan(
        actor=actor,
        participant=participant,
        location="12 rue des Érables",
        planned_start=_now() + datetime.timedelta(minutes=5),
        planned_end=_now() + datetime.timedelta(minutes=65),
        **kwargs,
    )
    FieldVisit.objects.filter(pk=visit.pk).update(
        planned_start=_now() + datetime.timedelta(minutes=start_minutes),
        planned_end=_now() + datetime.timedelta(minutes=end_minutes),
    )
    visit.refresh_from_db()
    return visit


# --- contacts ---------------------------------------------------------------------------------------


def test_contact_log_happy_path(case_manager_a, participant_a, org_a):
    peer = member(org_a, Role.PEER_SUPPORT)
    contact = services.contact_log(
        actor=case_manager_a,
        participant=participant_a,
        occurred_at=_now() - datetime.timedelta(minutes=10),
        duration_minutes=45,
        kind="home",
        staff=[peer],
        shared_note="Va bien.",
        private_note="Privé.",
    )
    assert set(contact.staff.values_list("pk", flat=True)) == {case_manager_a.pk, peer.pk}
    assert contact.organisation_id == org_a.pk
    assert AuditEntry.objects.filter(action="casework.contact.logged", object_id=str(contact.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_at": "future"}, "occurred_at"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"kind": "telepathy"}, "kind"),
    ],
)
def test_contact_log_bad_input(case_manager_a, participant_a, changes, field):
    values = {
        "occurred_at": _now() - datetime.timedelta(minutes=5),
        "duration_minutes": 30,
        "kind": "phone",
    }
    values.update(changes)
    if values["occurred_at"] == "future":
        values["occurred_at"] = _now() + datetime.timedelta(hours=2)
    with pytest.raises(ValidationError) as exc:
        services.contact_log(actor=case_manager_a, participant=participant_a, **values)
    assert field in exc.value.error_dict
    assert Contact.objects.count() == 0


def test_contact_staff_from_another_organisation_refused(case_manager_a, case_manager_b, participant_a):
    with pytest.raises(ValidationError) as exc:
        services.contact_log(
            actor=case_manager_a,
            participant=participant_a,
            occurred_at=_now(),
            duration_minutes=30,
            kind="phone",
            staff=[case_manager_b],
        )
    assert "staff" in exc.value.error_dict


def test_contact_only_by_home_organisation(case_manager_b, participant_a):
    with pytest.raises(ValidationError):
        services.contact_log(
            actor=case_manager_b,
            participant=participant_a,
            occurred_at=_now(),
            duration_minutes=30,
            kind="phone",
        )


# --- visits -----------------------------------------------------------------------------------------


def test_visit_ending_before_it_starts_is_refused(case_manager_a, participant_a):
    start = _now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_plan(
            actor=case_manager_a,
            participant=participant_a,
            location="Parc",
            planned_start=start,
            planned_end=start - datetime.timedelta(minutes=30),
        )
    assert "planned_end" in exc.value.error_dict
    assert FieldVisit.objects.count() == 0


def test_paired_visits_are_enforced(case_manager_a, participant_a, org_a):
    risk_services.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=clock.today(),
        level=2,
        rating="high",
        description="Menaces",
        paired_visits=True,
    )
    start = _now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_plan(
            actor=case_manager_a,
            participant=participant_a,
            location="Chez lui",
            planned_start=start,
            planned_end=start + datetime.timedelta(hours=1),
        )
    assert "companions" in exc.value.error_dict
    colleague = member(org_a, Role.PEER_SUPPORT)
    visit = services.visit_plan(
        actor=case_manager_a,
        participant=participant_a,
        location="Chez lui",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
        companions=[colleague],
    )
    assert list(visit.companions.all()) == [colleague]


def test_visit_start_end(case_manager_a, participant_a):
    start = _now() + datetime.timedelta(minutes=1)
    visit = services.visit_plan(
        actor=case_manager_a,
        participant=participant_a,
        location="Parc",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
    )
    visit = services.visit_start(actor=case_manager_a, visit=visit)
    assert visit.status == FieldVisit.Status.STARTED
    with pytest.raises(ValidationError):
        services.visit_start(actor=case_manager_a, visit=visit)
    visit = services.visit_end(actor=case_manager_a, visit=visit)
    assert visit.status == FieldVisit.Status.ENDED
    with pytest.raises(ValidationError):
        services.visit_cancel(actor=case_manager_a, visit=visit, reason="x")
    actions = set(AuditEntry.objects.filter(object_id=str(visit.pk)).values_list("action", flat=True))
    assert {"casework.visit.planned", "casework.visit.started", "casework.visit.ended"} <= actions


def test_visit_cancel_needs_reason(case_manager_a, participant_a):
    start = _now() + datetime.timedelta(hours=1)
    visit = services.visit_plan(
        actor=case_manager_a,
        participant=participant_a,
        location="Parc",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as exc:
        services.visit_cancel(actor=case_manager_a, visit=visit, reason=" ")
    assert "reason" in exc.value.error_dict
    visit = services.visit_cancel(actor=case_manager_a, visit=visit, reason="Annulé par la personne")
    assert visit.status == FieldVisit.Status.CANCELLED


def test_overdue_visit_alerts_team_lead_and_on_call_once_by_email_in_their_language(
    case_manager_a, participant_a, org_a, org_b
):
    lead = member(org_a, Role.TEAM_LEAD, email="lead@example.org", language="en")
    on_call = member(org_a, Role.CASE_MANAGER, email="garde@example.org", language="fr")
    other_org_lead = member(org_b, Role.TEAM_LEAD, email="b@example.org")
    OnCallShift.objects.create(
        organisation=org_a,
        worker=on_call,
        starts_at=_now() - datetime.timedelta(hours=3),
        ends_at=_now() + datetime.timedelta(hours=3),
    )
    visit = _visit(case_manager_a, participant_a)
    services.visit_start(actor=case_manager_a, visit=visit)
    assert services.visits_alert_overdue() == 1
    alerts = Alert.objects.filter(kind="casework.visit.overdue")
    assert set(alerts.values_list("recipient_id", flat=True)) == {lead.pk, on_call.pk}
    assert not alerts.filter(recipient=other_org_lead).exists()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"lead@example.org", "garde@example.org"}
    assert "Field visit not ended" in by_address["lead@example.org"].subject
    assert "12 rue des Érables" in by_address["lead@example.org"].body
    # Each in their own language: the planned end is written the French way for the French reader.
    end = clock.localtime(visit.planned_end)
    with translation.override("en"):
        end_en = date_format(end, "SHORT_DATETIME_FORMAT")
    with translation.override("fr"):
        end_fr = date_format(end, "SHORT_DATETIME_FORMAT")
        subject_fr = gettext("Field visit not ended: %(worker)s") % {"worker": case_manager_a.display_name}
    assert end_en != end_fr
    assert end_en in by_address["lead@example.org"].body
    assert end_fr in by_address["garde@example.org"].body
    assert by_address["garde@example.org"].subject == subject_fr
    visit.refresh_from_db()
    assert visit.overdue_alerted_at is not None
    assert AuditEntry.objects.filter(action="casework.visit.overdue", object_id=str(visit.pk)).count() == 1
    # Only once.
    assert services.visits_alert_overdue() == 0
    assert len(mail.outbox) == 2
    assert alerts.count() == 2
    # Ending the visit closes the alerts.
    services.visit_end(actor=case_manager_a, visit=visit)
    assert not Alert.objects.filter(kind="casework.visit.overdue", resolved_at__isnull=True).exists()


def test_visit_within_grace_is_not_alerted(case_manager_a, participant_a, org_a):
    member(org_a, Role.TEAM_LEAD, email="lead@example.org")
    _visit(case_manager_a, participant_a, start_minutes=-60, end_minutes=-10)
    assert services.visits_alert_overdue() == 0
    assert mail.outbox == []


def test_team_lead_of_the_workers_team_only(case_manager_a, participant_a, org_a):
    from ancrage.organisations.models import Team

    team = Team.objects.create(organisation=org_a, name="Équipe 1")
    other_team = Team.objects.create(organisation=org_a, name="Équipe 2")
    Membership.objects.filter(user=case_manager_a).update(team=team)
    own_lead = member(org_a, Role.TEAM_LEAD)
    Membership.objects.filter(user=own_lead).update(team=team)
    other_lead = member(org_a, Role.TEAM_LEAD)
    Membership.objects.filter(user=other_lead).update(team=other_team)
    _visit(case_manager_a, participant_a)
    services.visits_alert_overdue()
    assert set(
        Alert.objects.filter(kind="casework.visit.overdue").values_list("recipient_id", flat=True)
    ) == {own_lead.pk}


# --- risk -------------------------------------------------------------------------------------------


def test_risk_assess_replaces_current_and_ends(case_manager_a, participant_a):
    today = clock.today()
    first = risk_services.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=today - datetime.timedelta(days=10),
        level=1,
        rating="low",
        description="Agité",
    )
    second = risk_services.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=today,
        level=3,
        rating="high",
        description="X",
    )
    first.refresh_from_db()
    assert first.ended_on == today
    assert current_risk([participant_a.pk]) == {participant_a.pk: second}
    risk_services.risk_end(actor=case_manager_a, risk=second)
    assert current_risk([participant_a.pk]) == {}
    with pytest.raises(ValidationError):
        risk_services.risk_end(actor=case_manager_a, risk=second)
    assert AuditEntry.objects.filter(action="casework.risk.ended").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"assessed_on": "future"}, "assessed_on"),
        ({"level": 4}, "level"),
        ({"rating": "extreme"}, "rating"),
        ({"description": ""}, "description"),
        ({"review_on": "before"}, "review_on"),
    ],
)
def test_risk_bad_input(case_manager_a, participant_a, changes, field):
    today = clock.today()
    values = {"assessed_on": today, "level": 2, "rating": "moderate", "description": "Observé"}
    values.update(changes)
    if values["assessed_on"] == "future":
        values["assessed_on"] = today + datetime.timedelta(days=1)
    if values.get("review_on") == "before":
        values["review_on"] = today - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        risk_services.risk_assess(actor=case_manager_a, participant=participant_a, **values)
    assert field in exc.value.error_dict
    assert RiskAssessment.objects.count() == 0


def test_casework_watch_command_runs_the_task(case_manager_a, participant_a, org_a):
    from io import StringIO

    from django.core.management import call_command

    member(org_a, Role.TEAM_LEAD, email="lead@example.org")
    _visit(case_manager_a, participant_a)
    out = StringIO()
    call_command("casework_watch", stdout=out)
    assert "1" in out.getvalue()
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("casework_watch", stdout=out)
    assert out.getvalue().strip().endswith("0")


def _enrolled(actor, participant, org):
    from ancrage.casework.models import Enrollment, Goal, RecoveryPlan
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory

    today = clock.today()
    program = ProgramFactory(organisation=org, kind=Program.Kind.ICM)
    enrollment = Enrollment.objects.create(
        participant=participant, program=program, primary_worker=actor, enrolled_on=today
    )
    plan = RecoveryPlan.objects.create(
        participant=participant, enrollment=enrollment, due_on=today, updated_by=actor
    )
    goal = Goal.objects.create(plan=plan, words="Avoir mon chat", stage="action", starts_on=today)
    return enrollment, goal


def test_contact_goals_and_enrollment(case_manager_a, participant_a, org_a, case_manager_b, org_b):
    from ancrage.people.tests.factories import make_participant

    enrollment, goal = _enrolled(case_manager_a, participant_a, org_a)
    other = make_participant(case_manager_b, org_b)
    _other_enrollment, other_goal = _enrolled(case_manager_b, other, org_b)
    with pytest.raises(ValidationError) as exc:
        services.contact_log(
            actor=case_manager_a,
            participant=participant_a,
            occurred_at=_now(),
            duration_minutes=20,
            kind="home",
            goals=[goal, other_goal],
        )
    assert "goals" in exc.value.error_dict
    contact = services.contact_log(
        actor=case_manager_a,
        participant=participant_a,
        occurred_at=_now(),
        duration_minutes=20,
        kind="home",
        goals=[goal],
    )
    assert contact.enrollment == enrollment
    assert list(contact.goals_discussed.all()) == [goal]


def test_contact_clears_lost_contact(case_manager_a, participant_a, org_a):
    enrollment, _goal = _enrolled(case_manager_a, participant_a, org_a)
    enrollment.lost_contact_since = clock.today() - datetime.timedelta(days=3)
    enrollment.save()
    services.contact_log(
        actor=case_manager_a,
        participant=participant_a,
        occurred_at=_now(),
        duration_minutes=20,
        kind="community",
    )
    enrollment.refresh_from_db()
    assert enrollment.lost_contact_since is None


@pytest.mark.parametrize("year", [1, 1899, 2200, 9999])
def test_dates_of_year_1_or_9999_are_refused_in_words(case_manager_a, participant_a, year):
    """Typed on a page (the API's schemas bound them first): refused, never an OverflowError later."""
    moment = datetime.datetime(year, 6, 1, 10, 0)
    with pytest.raises(ValidationError) as exc:
        services.contact_log(
            actor=case_manager_a,
            participant=participant_a,
            occurred_at=moment,
            duration_minutes=30,
            kind="phone",
        )
    assert "occurred_at" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.visit_plan(
            actor=case_manager_a,
            participant=participant_a,
            location="Domicile",
            planned_start=moment,
            planned_end=moment + datetime.timedelta(hours=1) if year < 9999 else moment,
        )
    assert "planned_start" in exc.value.error_dict
    assert Contact.objects.count() == 0


def test_a_contact_older_than_the_setting_is_refused(case_manager_a, participant_a, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "CONTACT_BACKDATE_DAYS": 30}
    values = {"duration_minutes": 30, "kind": "phone"}
    with pytest.raises(ValidationError) as exc:
        services.contact_log(
            actor=case_manager_a,
            participant=participant_a,
            occurred_at=_now() - datetime.timedelta(days=31),
            **values,
        )
    assert "30" in exc.value.error_dict["occurred_at"][0].messages[0]
    services.contact_log(
        actor=case_manager_a,
        participant=participant_a,
        occurred_at=_now() - datetime.timedelta(days=29),
        **values,
    )
    assert Contact.objects.count() == 1
