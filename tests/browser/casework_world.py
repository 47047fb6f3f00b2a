"""The world of the case-management browser tests, built through the services as a team would have built it.

One ICM program of Mission A with its team ("Équipe Nord"): a case manager (Julie Bouchard), a colleague
(Samuel Garde), the team lead (Chloé Chef). Two participants followed by Julie:
- Éloïse Gagnon, enrolled a month ago: no recovery plan yet (overdue), a current risk plan, an incident
  overnight, never seen;
- Marc Pelletier, enrolled over a year ago: a completed plan with a goal in his words (its yearly review is
  due), not seen this week.
The program gives the acuity screener within 10 days of enrollment, so both have an assessment overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ancrage.accounts.models import User
from ancrage.assessments.models import Instrument
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.casework.caseload import services as services_caseload
from ancrage.casework.exits import services as services_exits
from ancrage.casework.models import Enrollment, Goal, RecoveryPlan
from ancrage.casework.plans import services as services_plans
from ancrage.casework.risk import services as services_contacts
from ancrage.casework.risk import services as services_referrals
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program, Team
from ancrage.people.models import Participant
from ancrage.people.tests.factories import ProgramFactory, make_participant, member

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@dataclass
class World:
    program: Program
    team: Team
    worker: User
    colleague: User
    lead: User
    eloise: Participant
    marc: Participant
    eloise_enrollment: Enrollment
    marc_enrollment: Enrollment
    marc_plan: RecoveryPlan
    marc_goal: Goal


def build_world(org_a, case_manager_a, participant_a) -> World:
    today = clock.today()
    program = ProgramFactory(
        organisation=org_a,
        kind=Program.Kind.ICM,
        name="Suivi d'intensité variable",
        name_en="Intensive case management",
    )
    team = Team.objects.create(organisation=org_a, program=program, name="Équipe Nord", name_en="North team")
    worker = case_manager_a
    worker.first_name, worker.last_name = "Julie", "Bouchard"
    worker.save(update_fields=["first_name", "last_name"])
    worker.memberships.update(team=team)
    colleague = member(org_a, Role.CASE_MANAGER, username="garde", first_name="Samuel", last_name="Garde")
    colleague.memberships.update(team=team)
    lead = member(org_a, Role.TEAM_LEAD, username="chef", first_name="Chloé", last_name="Chef")
    lead.memberships.update(team=team)

    eloise = participant_a
    marc = make_participant(
        worker,
        org_a,
        legal_first_name="Marc",
        legal_last_name="Pelletier",
        date_of_birth=datetime.date(1978, 9, 14),
    )
    eloise_enrollment = services_caseload.enrollment_create(
        actor=lead,
        participant=eloise,
        program=program,
        primary_worker=worker,
        team=team,
        enrolled_on=today - datetime.timedelta(days=30),
    )
    marc_enrollment = services_caseload.enrollment_create(
        actor=lead,
        participant=marc,
        program=program,
        primary_worker=worker,
        team=team,
        enrolled_on=today - datetime.timedelta(days=400),
    )

    # Marc's plan, completed long ago: a goal in his words with a step, and his crisis strategies.
    plan = services_plans.plan_create(actor=worker, enrollment=marc_enrollment)
    goal = services_plans.goal_add(
        actor=worker,
        plan=plan,
        words="Retrouver un travail à temps partiel",
        stage="preparation",
        domain="work",
        starts_on=today - datetime.timedelta(days=300),
    )
    services_plans.step_add(
        actor=worker,
        goal=goal,
        description="Préparer un CV avec Julie",
        who="both",
        target_on=today + datetime.timedelta(days=30),
    )
    plan.refresh_from_db()
    services_plans.plan_update(
        actor=worker, plan=plan, revision=plan.revision, crisis_strategies="Appeler sa sœur; marcher au parc"
    )
    plan.refresh_from_db()

    # The program's assessment schedule: the acuity screener within 10 days of enrollment.
    load_shipped_instruments()
    services_exits.schedule_set(
        actor=lead,
        program=program,
        instrument=Instrument.objects.get(key="acuity_screener"),
        position=0,
        within_days_of_enrollment=10,
    )

    # Éloïse's current risk plan, and what happened overnight (recorded by the colleague on call).
    services_contacts.risk_assess(
        actor=worker,
        participant=eloise,
        assessed_on=today,
        level=2,
        rating="moderate",
        description="Agitation lors de la dernière visite",
        notify_team_on_police=True,
    )
    services_referrals.incident_record(
        actor=colleague,
        participant=eloise,
        kind="hospital",
        occurred_at=clock.now() - datetime.timedelta(hours=2),
        description="Conduite à l'urgence par une voisine, sortie le soir même",
    )
    return World(
        program=program,
        team=team,
        worker=worker,
        colleague=colleague,
        lead=lead,
        eloise=eloise,
        marc=marc,
        eloise_enrollment=eloise_enrollment,
        marc_enrollment=marc_enrollment,
        marc_plan=plan,
        marc_goal=goal,
    )


class Taps:
    """Counts what a person does on a page (a tap, a check, a field filled): the journey promises a few."""

    def __init__(self) -> None:
        self.count = 0

    def tap(self, locator) -> None:
        self.count += 1
        locator.tap()

    def check(self, locator) -> None:
        self.count += 1
        locator.check()

    def fill(self, locator, value: str) -> None:
        self.count += 1
        locator.fill(value)


def signer(new_page, login, lang: str):
    """sign_in(user, **context options) -> a page signed in as user, switched to `lang` as a person would."""
    from tests.browser.helpers import LOCALES, switch_language

    def sign_in(user, **options):
        page = new_page(LOCALES["fr"], **options)
        login(page, user)
        if lang == "en":
            switch_language(page, "en")
        return page

    return sign_in


def submit(page) -> None:
    """Press the main form's submit button and wait for the page that answers."""
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()


def assert_tap_target(locator, name: str, minimum: float = 44) -> None:
    """What a thumb presses on a phone is at least 44 px high (WCAG 2.5.5)."""
    box = locator.bounding_box()
    assert box is not None, f"{name} is not on the page"
    assert box["height"] >= minimum, f"{name} is {box['height']} px high: too small to tap"
