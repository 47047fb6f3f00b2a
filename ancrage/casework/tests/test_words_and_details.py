"""Issue 12, part 8: words and details in French and English."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.casework.tests.factories_caseload import enroll, make_program, make_worker
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(org_a):
    return make_worker(org_a, role=Role.TEAM_LEAD, username="lead_words")


def test_french_reassignment_form_names_the_over_ratio_reason(
    client_for, lead, case_manager_a, participant_a, org_a
):
    program = make_program(org_a, caseload_ratio=1)
    busy = make_worker(org_a)
    enroll(lead, make_participant(lead, org_a, legal_first_name="Un"), program, busy)
    enrollment = enroll(lead, participant_a, program, case_manager_a)
    url = reverse("casework:assign", args=[participant_a.pk])
    data = {"enrollment": enrollment.pk, "worker": busy.pk, "reason": "Langue", "on": clock.today()}
    html = client_for(lead).post(url, data).content.decode()
    assert '<textarea name="over_ratio_reason"' in html
    assert "Over ratio reason" not in html
    assert "Pourquoi attribuer au-delà du ratio" in html


# --- the plan's PDF -------------------------------------------------------------------------------------------


@pytest.fixture
def plan_view(case_manager_a, participant_a):
    from ancrage.casework.plans import services as plan_services
    from ancrage.casework.plans.selectors import plan_for_user
    from ancrage.casework.tests.plans_helpers import enroll as enroll_directly

    enrollment = enroll_directly(case_manager_a, participant_a, on=datetime.date(2026, 3, 2))
    plan = plan_services.plan_create(actor=case_manager_a, enrollment=enrollment)
    plan_services.goal_add(
        actor=case_manager_a,
        plan=plan,
        words="Avoir mon chez-moi",
        stage="preparation",
        starts_on=datetime.date(2026, 9, 1),
    )
    return lambda: plan_for_user(case_manager_a, participant_a.pk, read_action=None)


def _pdf(view, language: str) -> str:
    from ancrage.casework.plans.pdf import plan_pdf_bytes
    from ancrage.casework.tests.test_plans_pdf import pdf_text

    view.participant.communication_language = language
    return pdf_text(plan_pdf_bytes(view, compress=False, today=datetime.date(2026, 11, 2)))


def test_french_plan_pdf_says_revision_first_of_the_month_and_has_signature_lines(plan_view):
    text = _pdf(plan_view(), "fr")
    assert "Révision 2" in text  # started, then a goal added
    assert "Revision" not in text
    assert "1er septembre 2026" in text
    assert "Signature de la personne participante" in text
    assert "Signature de l'intervenant·e" in text
    english = _pdf(plan_view(), "en")
    assert "Revision 2" in english
    assert "Participant's signature" in english
    assert "Worker's signature" in english


def test_long_date_says_1er_in_french_only():
    from django.utils import translation

    from ancrage.core.dates import long_date

    first = datetime.date(2026, 9, 1)
    with translation.override("fr-ca"):
        assert long_date(first) == "1er septembre 2026"
        assert long_date(first, "l j F Y") == "mardi 1er septembre 2026"
        assert long_date(datetime.date(2026, 9, 2)) == "2 septembre 2026"
    with translation.override("en"):
        assert long_date(first) == "1 September 2026"


# --- French words ---------------------------------------------------------------------------------------------


def test_french_words_agree():
    from django.utils import translation

    from ancrage.access.models import ByNameStatus
    from ancrage.casework.models import ServiceReferralStatus

    with translation.override("fr-ca"):
        assert str(ServiceReferralStatus.PROPOSED.label) == "Proposée"
        assert str(ServiceReferralStatus.DECLINED.label) == "Refusée"
        assert str(ByNameStatus.DECEASED.label) == "Décédé·e"


def test_below_standard_visits_are_counted_in_words(client_for, case_manager_a, participant_a, org_a):
    program = make_program(org_a)
    enroll(case_manager_a, participant_a, program, case_manager_a)
    html = client_for(case_manager_a).get(reverse("casework:caseload")).content.decode()
    assert "visite(s)" not in html
    assert "0 visite sur 1" in html


def test_referral_step_offers_the_next_status(client_for, case_manager_a, participant_a, org_a):
    from ancrage.casework.models import ServiceKind
    from ancrage.casework.referrals import services as referrals_services

    provider = referrals_services.provider_create(
        actor=case_manager_a, consortium=org_a.consortium, name="Emploi", kind=ServiceKind.EMPLOYMENT
    )
    referral = referrals_services.referral_create(
        actor=case_manager_a,
        participant=participant_a,
        provider=provider,
        need="Travail",
        approved_on=clock.today(),
    )
    url = reverse("casework:referral_step", args=[participant_a.pk, referral.pk])
    form = client_for(case_manager_a).get(url).context["form"]
    assert referral.status == "approved"
    assert form["status"].value() == "sent"


def test_referral_form_lists_only_services_of_the_need(client_for, case_manager_a, participant_a, org_a):
    from ancrage.casework.models import ServiceKind
    from ancrage.casework.referrals import services as referrals_services

    make = referrals_services.provider_create
    job = make(
        actor=case_manager_a, consortium=org_a.consortium, name="Emploi Est", kind=ServiceKind.EMPLOYMENT
    )
    food = make(actor=case_manager_a, consortium=org_a.consortium, name="Banque Sud", kind=ServiceKind.FOOD)
    url = reverse("casework:referral_create", args=[participant_a.pk])
    client = client_for(case_manager_a)
    html = client.get(url + f"?kind={ServiceKind.FOOD}").content.decode()
    assert "Banque Sud" in html
    assert "Emploi Est" not in html
    # Opened for one service: the services of its kind.
    html = client.get(url + f"?provider={job.pk}").content.decode()
    assert "Emploi Est" in html
    assert "Banque Sud" not in html
    assert food.pk


def test_directory_entry_reads_in_english(client_for, case_manager_a, org_a):
    from ancrage.casework.models import ServiceKind
    from ancrage.casework.referrals import services as referrals_services

    referrals_services.provider_create(
        actor=case_manager_a,
        consortium=org_a.consortium,
        name="Banque Sud",
        kind=ServiceKind.FOOD,
        description="Paniers le jeudi.",
        description_en="Food baskets on Thursdays.",
    )
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    html = client_for(case_manager_a).get(reverse("casework:provider_list")).content.decode()
    assert "Food baskets on Thursdays." in html
    assert "Paniers le jeudi." not in html


def test_demo_directory_has_every_description_in_english():
    from ancrage.demo import content

    assert {p[0] for p in content.PROVIDERS} == set(content.PROVIDER_DESCRIPTIONS_EN)
    assert all(content.PROVIDER_DESCRIPTIONS_EN.values())


def test_overdue_alert_time_reads_in_the_readers_language(case_manager_a, participant_a, org_a, time_machine):
    from django.utils import translation

    from ancrage.casework.contacts import services as contacts_services
    from ancrage.core.alerts import describe
    from ancrage.core.models import Alert

    time_machine.move_to(datetime.datetime(2026, 6, 3, 15, 0, tzinfo=datetime.UTC), tick=False)
    lead = make_worker(org_a, role=Role.TEAM_LEAD, username="lead_time")
    lead.language = "fr-ca"
    lead.save(update_fields=["language"])
    now = clock.now()
    visit = contacts_services.visit_plan(
        actor=case_manager_a,
        participant=participant_a,
        location="Parc",
        planned_start=now + datetime.timedelta(minutes=1),
        planned_end=now + datetime.timedelta(minutes=61),
    )
    contacts_services.visit_start(actor=case_manager_a, visit=visit)
    time_machine.move_to(now + datetime.timedelta(hours=4), tick=False)
    assert contacts_services.visits_alert_overdue() == 1
    (alert,) = Alert.objects.filter(recipient=lead, kind="casework.visit.overdue")
    with translation.override("en"):
        english = describe(alert)
    with translation.override("fr-ca"):
        french = describe(alert)
    assert " h " not in english.replace("\xa0", " ")
    assert "h" in french.split("à")[-1]
    assert english != french


# --- late reviews (part 7) ------------------------------------------------------------------------------------


def test_review_months_late_reads_differently_from_just_due(time_machine):
    from django.utils import translation

    from ancrage.casework.flags import review_lateness

    today = datetime.date(2026, 11, 20)
    with translation.override("en"):
        assert review_lateness(datetime.date(2026, 11, 19), today) == "Due 2026-11-19"
        assert review_lateness(datetime.date(2026, 6, 2), today) == "5 months late (due 2026-06-02)"
        assert review_lateness(datetime.date(2026, 10, 20), today) == "1 month late (due 2026-10-20)"


def test_plan_page_says_how_late_the_review_is_and_flags_goal_reviews_passed(
    client_for, case_manager_a, participant_a
):
    from ancrage.casework.models import Goal, RecoveryPlan
    from ancrage.casework.plans import services as plan_services
    from ancrage.casework.tests.plans_helpers import enroll as enroll_directly

    enrollment = enroll_directly(
        case_manager_a, participant_a, on=clock.today() - datetime.timedelta(days=600)
    )
    plan = plan_services.plan_create(actor=case_manager_a, enrollment=enrollment)
    goal = plan_services.goal_add(
        actor=case_manager_a,
        plan=plan,
        words="Voir mon fils",
        stage="action",
        starts_on=clock.today() - datetime.timedelta(days=500),
        review_on=clock.today() - datetime.timedelta(days=200),
    )
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    url = reverse("casework:plan", args=[participant_a.pk])
    client = client_for(case_manager_a)
    RecoveryPlan.objects.filter(pk=plan.pk).update(
        next_review_on=clock.today() - datetime.timedelta(days=100)
    )
    html = client.get(url).content.decode()
    assert "months late:" in html
    assert "Review date passed" in html
    RecoveryPlan.objects.filter(pk=plan.pk).update(next_review_on=clock.today() + datetime.timedelta(days=10))
    Goal.objects.filter(pk=goal.pk).update(review_on=clock.today() + datetime.timedelta(days=10))
    html = client.get(url).content.decode()
    assert "Supervisor review soon:" in html
    assert "months late" not in html
    assert "Review date passed" not in html


def test_earlier_plan_of_a_re_enrolled_participant_is_reachable(
    client_for, case_manager_a, participant_a, org_a
):
    from ancrage.casework.models import Enrollment
    from ancrage.casework.plans import services as plan_services
    from ancrage.casework.tests.plans_helpers import enroll as enroll_directly

    first = enroll_directly(case_manager_a, participant_a, on=clock.today() - datetime.timedelta(days=700))
    old_plan = plan_services.plan_create(actor=case_manager_a, enrollment=first)
    plan_services.goal_add(actor=case_manager_a, plan=old_plan, words="Ancien objectif", stage="action")
    Enrollment.objects.filter(pk=first.pk).update(
        status=Enrollment.Status.EXITED, exited_on=clock.today() - datetime.timedelta(days=300)
    )
    second = enroll_directly(case_manager_a, participant_a, on=clock.today() - datetime.timedelta(days=30))
    plan_services.plan_create(actor=case_manager_a, enrollment=second)
    client = client_for(case_manager_a)
    url = reverse("casework:plan", args=[participant_a.pk])
    html = client.get(url).content.decode()
    assert "Ancien objectif" not in html
    link = f"{url}?enrollment={first.pk}"
    assert link in html
    earlier = client.get(link).content.decode()
    assert "Ancien objectif" in earlier
    assert reverse("casework:plan_edit", args=[participant_a.pk]) not in earlier  # read only
    # Another participant's enrollment, or nonsense, is a 404.
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre")
    theirs = enroll_directly(case_manager_a, other)
    assert client.get(f"{url}?enrollment={theirs.pk}").status_code == 404
    assert client.get(f"{url}?enrollment=abc").status_code == 404


def test_outsider_cannot_read_an_earlier_plan(client_for, case_manager_a, case_manager_b, participant_a):
    from ancrage.casework.plans import services as plan_services
    from ancrage.casework.tests.plans_helpers import enroll as enroll_directly

    first = enroll_directly(case_manager_a, participant_a)
    plan_services.plan_create(actor=case_manager_a, enrollment=first)
    url = reverse("casework:plan", args=[participant_a.pk]) + f"?enrollment={first.pk}"
    assert client_for(case_manager_b).get(url).status_code == 404


def test_caseload_last_contact_is_the_last_one_with_the_participant(
    client_for, case_manager_a, participant_a, org_a
):
    from ancrage.casework.models import Contact

    program = make_program(org_a)
    enrollment = enroll(case_manager_a, participant_a, program, case_manager_a)
    now = clock.now()

    def contact(days_ago: int, present: bool):
        Contact.objects.create(
            participant=participant_a,
            enrollment=enrollment,
            organisation=org_a,
            occurred_at=now - datetime.timedelta(days=days_ago),
            duration_minutes=10,
            kind="home" if present else "phone",
            participant_present=present,
            recorded_by=case_manager_a,
        )

    contact(20, True)
    contact(2, False)  # a message left, the participant not reached
    html = client_for(case_manager_a).get(reverse("casework:caseload")).content.decode()
    seen = clock.localdate(now - datetime.timedelta(days=20)).isoformat()
    missed = clock.localdate(now - datetime.timedelta(days=2)).isoformat()
    assert f"Dernier contact le {seen}" in html
    assert f"Dernier contact le {missed}" not in html
