"""Pages of exits, assessment schedules, due assessments and progress: what they show, what they keep when
something is wrong, constant queries, both languages."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from ancrage.assessments import services as assessment_services
from ancrage.assessments.models import Instrument
from ancrage.assessments.tests.factories import load_shipped_instruments, start_administration
from ancrage.casework.models import AssessmentSchedule, Enrollment, Exit, ServiceKind
from ancrage.casework.tests.test_exits_services import completed, housing_referrals, progress_answers
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)


@pytest.fixture
def lead(org_a):
    return member(org_a, Role.TEAM_LEAD)


@pytest.fixture
def enrollment(participant_a, program, case_manager_a):
    return Enrollment.objects.create(
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=100),
    )


def english(user):
    user.language = "en"
    user.save()
    return user


# --- schedules --------------------------------------------------------------------------------------------


def test_schedule_page_adds_changes_and_removes(client_for, lead, program):
    load_shipped_instruments()
    scale = Instrument.objects.get(key="progress_scale")
    c = client_for(english(lead))
    page = c.get(reverse("casework:schedule_list"))
    assert page.status_code == 200
    assert program.name_en in page.content.decode()
    url = reverse("casework:schedule_edit", args=[program.pk])
    prefix = f"p{program.pk}-"
    response = c.post(
        url,
        {prefix + "instrument": scale.pk, prefix + "position": 0, prefix + "within_days_of_enrollment": 10},
    )
    assert response.status_code == 302
    response = c.post(
        url,
        {
            prefix + "instrument": scale.pk,
            prefix + "position": 0,
            prefix + "within_days_of_enrollment": 10,
            prefix + "every_months": 3,
            prefix + "at_exit": "on",
        },
    )
    schedule = AssessmentSchedule.objects.get()
    assert (schedule.every_months, schedule.at_exit) == (3, True)
    html = c.get(reverse("casework:schedule_list")).content.decode()
    assert "within 10 days of enrollment" in html
    assert "every 3 months" in html
    assert "at exit" in html
    c.post(url, {"action": "remove", "schedule": schedule.pk})
    assert not AssessmentSchedule.objects.exists()
    assert AuditEntry.objects.filter(action="casework.schedule.changed").count() == 3


def test_schedule_without_a_timing_is_refused_and_keeps_what_was_typed(client_for, lead, program):
    load_shipped_instruments()
    scale = Instrument.objects.get(key="progress_scale")
    prefix = f"p{program.pk}-"
    response = client_for(lead).post(
        reverse("casework:schedule_edit", args=[program.pk]),
        {prefix + "instrument": scale.pk, prefix + "position": 4},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indiquez quand l" in html
    assert f'name="{prefix}position" value="4"' in html
    assert not AssessmentSchedule.objects.exists()


def test_another_organisations_program_schedule_is_404(client_for, lead, org_b):
    other = ProgramFactory(organisation=org_b, kind=Program.Kind.ICM)
    response = client_for(lead).post(reverse("casework:schedule_edit", args=[other.pk]), {"action": "remove"})
    assert response.status_code == 404


# --- assessments due --------------------------------------------------------------------------------------


def _due_world(case_manager_a, org_a, program, count: int):
    load_shipped_instruments()
    AssessmentSchedule.objects.get_or_create(
        program=program,
        instrument=Instrument.objects.get(key="progress_scale"),
        defaults={"within_days_of_enrollment": 10},
    )
    for i in range(count):
        p = make_participant(case_manager_a, org_a, legal_first_name=f"Due{i}", legal_last_name="Personne")
        Enrollment.objects.create(
            participant=p,
            program=program,
            primary_worker=case_manager_a,
            enrolled_on=clock.today() - datetime.timedelta(days=20 if i % 2 else 5),
        )


def test_assessments_due_lists_overdue_and_postponed_with_reason(client_for, case_manager_a, org_a, program):
    _due_world(case_manager_a, org_a, program, 2)
    overdue = Enrollment.objects.get(participant__legal_first_name="Due1")
    a = start_administration(case_manager_a, overdue.participant, "progress_scale")
    assessment_services.administration_postpone(actor=case_manager_a, administration=a, reason="Hospitalisé")
    c = client_for(english(case_manager_a))
    html = c.get(reverse("casework:assessments_due")).content.decode()
    assert "Due0" in html
    assert "Due1" in html
    assert "Overdue" in html
    assert "Hospitalisé" in html
    assert reverse("assessments:start", args=[overdue.participant_id]) in html
    # Declined: the occasion is settled and leaves the list.
    b = start_administration(case_manager_a, overdue.participant, "progress_scale")
    assessment_services.administration_decline(actor=case_manager_a, administration=b, reason="Non merci")
    html = c.get(reverse("casework:assessments_due")).content.decode()
    assert "Due1" not in html
    assert "Due0" in html


def test_assessments_due_mine_and_team(client_for, case_manager_a, lead, org_a, program):
    _due_world(case_manager_a, org_a, program, 1)
    # The team lead has no caseload of their own; their organisations' list shows the participant.
    c = client_for(lead)
    assert "Due0" in c.get(reverse("casework:assessments_due")).content.decode()
    assert "Due0" not in c.get(reverse("casework:assessments_due") + "?scope=mine").content.decode()
    # A case manager sees their own caseload only, whatever they ask.
    other_worker = member(org_a, Role.CASE_MANAGER)
    assert (
        "Due0"
        not in client_for(other_worker)
        .get(reverse("casework:assessments_due") + "?scope=team")
        .content.decode()
    )


def test_assessments_due_in_french_by_default(client_for, case_manager_a, org_a, program):
    _due_world(case_manager_a, org_a, program, 1)
    html = client_for(case_manager_a).get(reverse("casework:assessments_due")).content.decode()
    assert 'lang="fr' in html
    assert "Due0" in html


@pytest.mark.parametrize("count", [2, 12])
def test_assessments_due_queries_are_constant(
    count, client_for, case_manager_a, lead, org_a, program, django_assert_max_num_queries
):
    _due_world(case_manager_a, org_a, program, count)
    c = client_for(lead)
    c.get(reverse("casework:assessments_due"))  # warm the session and user caches
    with django_assert_max_num_queries(10):
        response = c.get(reverse("casework:assessments_due") + "?scope=team")
    assert response.content.decode().count("Due") >= count


@pytest.mark.parametrize("count", [1, 6])
def test_schedule_page_queries_are_constant(count, client_for, lead, org_a, django_assert_max_num_queries):
    load_shipped_instruments()
    scale = Instrument.objects.get(key="progress_scale")
    for _i in range(count):
        p = ProgramFactory(organisation=org_a, kind=Program.Kind.ACT)
        AssessmentSchedule.objects.create(program=p, instrument=scale, every_months=3)
    c = client_for(lead)
    c.get(reverse("casework:schedule_list"))
    with django_assert_max_num_queries(10):
        assert c.get(reverse("casework:schedule_list")).status_code == 200


# --- progress ---------------------------------------------------------------------------------------------


def test_progress_draws_a_radar_and_a_line_with_tables(client_for, case_manager_a, participant_a):
    completed(case_manager_a, participant_a, answers=progress_answers(3), days_ago=60)
    completed(case_manager_a, participant_a, answers=progress_answers(7))
    completed(case_manager_a, participant_a, "acuity_screener")
    c = client_for(english(case_manager_a))
    response = c.get(reverse("casework:progress", args=[participant_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    data = json.loads(
        re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    radars = [v for v in data.values() if v["type"] == "radar"]
    lines = [v for v in data.values() if v["type"] == "line"]
    assert len(lines) == 2
    # The progress scale's ten domains; the acuity screener's sections are several too.
    scale = next(r for r in radars if len(r["labels"]) == 10)
    assert [d["data"][0] for d in scale["datasets"]] == [3, 7]
    assert "Having a home and keeping it" in scale["labels"]
    # Each chart has a table; no inline script runs (CSP): the only inline <script> is json_script's data.
    assert html.count("<table") == 2
    assert "Ten-domain progress scale" in html
    assert len(re.findall(r"<script(?![^>]*(src=|application/json))", html)) == 0


def test_progress_needs_the_health_category(client_for, case_manager_a, participant_a, org_b):
    completed(case_manager_a, participant_a)
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY])
    reader = member(org_b, Role.CASE_MANAGER)
    assert client_for(reader).get(reverse("casework:progress", args=[participant_a.pk])).status_code == 404


def test_progress_without_results(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).get(reverse("casework:progress", args=[participant_a.pk]))
    assert response.status_code == 200
    assert b"progress-data" not in response.content


# --- exits ------------------------------------------------------------------------------------------------


def test_exit_page_asks_the_kind_first(client_for, case_manager_a, participant_a, enrollment):
    c = client_for(english(case_manager_a))
    html = c.get(reverse("casework:exit_create", args=[participant_a.pk])).content.decode()
    assert "What kind of exit?" in html
    assert "?kind=unplanned" in html
    html = c.get(reverse("casework:exit_create", args=[participant_a.pk]) + "?kind=planned").content.decode()
    assert 'name="reason"' in html
    assert 'name="referral_ids"' not in html
    assert 'name="graduation_assessment"' not in html
    html = c.get(
        reverse("casework:exit_create", args=[participant_a.pk]) + "?kind=unplanned"
    ).content.decode()
    assert 'name="no_referrals_reason"' in html
    assert "at least 3 housing-stability programs" in html


def test_unplanned_exit_without_referrals_keeps_what_was_typed(
    client_for, case_manager_a, participant_a, enrollment, program_manager_a
):
    (referral,) = housing_referrals(case_manager_a, participant_a, 1, program_manager_a)
    housing_referrals(case_manager_a, participant_a, 1, program_manager_a, kind=ServiceKind.EMPLOYMENT)
    c = client_for(english(case_manager_a))
    url = reverse("casework:exit_create", args=[participant_a.pk])
    page = c.get(url + "?kind=unplanned").content.decode()
    assert f'value="{referral.pk}"' in page
    assert page.count('name="referral_ids"') == 1
    today = clock.today().isoformat()
    form = {
        "kind": "unplanned",
        "enrollment": enrollment.pk,
        "reason": "needs_not_met",
        "exited_on": today,
        "destination": "shelter",
        "shelter_justification": "",
        "referral_ids": [referral.pk],
        "procedure_given_on": today,
        "note": "Parti sans laisser d'adresse",
    }
    response = c.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The exit was not recorded" in html
    assert "at least 3 housing-stability programs, or the reason why fewer" in html
    assert "no reasonable alternative exists" in html
    assert "Parti sans laisser d&#x27;adresse" in html
    assert "checked" in html
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    form.update(shelter_justification="Aucune autre place", no_referrals_reason="Refuse toute référence")
    response = c.post(url, form)
    exit_ = Exit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:exit_detail", args=[participant_a.pk, exit_.pk])
    detail = c.get(response["Location"]).content.decode()
    assert "Refuse toute référence" in detail
    assert "Aucune autre place" in detail


def test_graduation_page_offers_the_re_administration(
    client_for, case_manager_a, participant_a, enrollment, program
):
    load_shipped_instruments()
    AssessmentSchedule.objects.create(
        program=program, instrument=Instrument.objects.get(key="progress_scale"), within_days_of_enrollment=10
    )
    baseline = completed(case_manager_a, participant_a, days_ago=95)
    again = completed(case_manager_a, participant_a)
    c = client_for(case_manager_a)
    url = reverse("casework:exit_create", args=[participant_a.pk])
    html = c.get(url + "?kind=graduation").content.decode()
    assert f'name="graduation_assessment" value="{again.pk}"' in html
    # The intake baseline, given after the enrollment, is not its own re-administration (F1).
    assert f'name="graduation_assessment" value="{baseline.pk}"' not in html
    assert reverse("assessments:start", args=[participant_a.pk]) in html
    today = clock.today().isoformat()
    response = c.post(
        url,
        {
            "kind": "graduation",
            "reason": "goals_reached",
            "exited_on": today,
            "destination": "own_housing",
            "graduation_assessment": again.pk,
            "stable_housing": "on",
            "rent_supplement": "on",
            "follow_up_care": "on",
            "procedure_given_on": today,
        },
    )
    assert response.status_code == 302
    assert Exit.objects.get().graduation_assessment == again


def test_information_sent_page_shows_consents_and_refuses_without_one(
    client_for, case_manager_a, participant_a, enrollment, partner_org, org_a
):
    org_a.complaint_procedure_url = "https://example.org/plaintes"
    org_a.save()
    share(case_manager_a, participant_a, [partner_org], [Category.CASE_NOTES])
    c = client_for(case_manager_a)
    url = reverse("casework:exit_create", args=[participant_a.pk])
    html = c.get(url + "?kind=planned").content.decode()
    assert "https://example.org/plaintes" in html
    assert "Partenaire santé" in html
    other = make_participant(case_manager_a, org_a, legal_first_name="Sans", legal_last_name="Consentement")
    Enrollment.objects.create(
        participant=other,
        program=enrollment.program,
        primary_worker=case_manager_a,
        enrolled_on=enrollment.enrolled_on,
    )
    today = clock.today().isoformat()
    data = {
        "kind": "planned",
        "reason": "less_support",
        "exited_on": today,
        "destination": "subsidised",
        "next_organisation": partner_org.pk,
        "information_sent": "on",
        "procedure_given_on": today,
    }
    response = c.post(reverse("casework:exit_create", args=[other.pk]), data)
    assert response.status_code == 200
    assert not Exit.objects.exists()
    response = c.post(url, data)
    assert response.status_code == 302
    assert Exit.objects.get().consent is not None


def test_no_enrollment_means_no_exit_form(client_for, case_manager_a, participant_a):
    html = (
        client_for(english(case_manager_a))
        .get(reverse("casework:exit_create", args=[participant_a.pk]) + "?kind=planned")
        .content.decode()
    )
    assert "not enrolled" in html
    assert 'name="reason"' not in html


def test_exit_of_a_participant_seen_through_consent_is_404(
    client_for, case_manager_a, participant_a, enrollment, org_b
):
    share(case_manager_a, participant_a, [org_b], list(Category.values))
    user = member(org_b, Role.PROGRAM_MANAGER)
    response = client_for(user).get(reverse("casework:exit_create", args=[participant_a.pk]))
    assert response.status_code == 404


def test_exit_detail_of_another_participant_is_404(
    client_for, case_manager_a, participant_a, enrollment, org_a
):
    from ancrage.casework.tests.test_exits_services import record

    exit_ = record(case_manager_a, enrollment)
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre", legal_last_name="Dossier")
    c = client_for(case_manager_a)
    assert c.get(reverse("casework:exit_detail", args=[participant_a.pk, exit_.pk])).status_code == 200
    assert c.get(reverse("casework:exit_detail", args=[other.pk, exit_.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_progress_queries_are_constant(
    count, client_for, case_manager_a, participant_a, django_assert_max_num_queries
):
    for i in range(count):
        completed(case_manager_a, participant_a, answers=progress_answers(1 + i % 10), days_ago=30 * (i + 1))
    c = client_for(case_manager_a)
    url = reverse("casework:progress", args=[participant_a.pk])
    c.get(url)
    with django_assert_max_num_queries(10):
        response = c.get(url)
    assert response.content.decode().count("/result/") == count
