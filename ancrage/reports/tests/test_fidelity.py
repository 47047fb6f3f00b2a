"""Fidelity (G5): the items computed from the data, the self-assessment and its history, the pages, exports,
API and their privacy. The clock is pinned: 15 October 2026, so the default quarter is 2026-Q3."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.casework.contacts.services import contact_log
from ancrage.casework.tests.factories_caseload import enroll, make_program
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing.tests.support_factories import make_tenancy
from ancrage.people.tests.factories import make_participant, member
from ancrage.reports.fidelity import indicators as ind
from ancrage.reports.fidelity import periods, selectors, services
from ancrage.reports.models import FidelityAssessment, FidelityAssessmentVersion

pytestmark = pytest.mark.django_db

Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
NOW = datetime.datetime(2026, 10, 15, 14, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


def _build(org, manager, program, people: int):
    """`people` participants enrolled on 1 June 2026, housed on 1 August (income recorded, share 25 % of it),
    each visited at home twice in the quarter for an hour."""
    worker = member(org, Role.CASE_MANAGER)
    for n in range(people):
        person = make_participant(worker, org, legal_first_name=f"P{n}", legal_last_name="Fidèle")
        enroll(worker, person, program, worker=worker, enrolled_on=datetime.date(2026, 6, 1))
        tenancy = make_tenancy(
            person,
            worker,
            organisation=org,
            start=datetime.date(2026, 8, 1),
            program=program,
            address=f"{n} rue A",
        )
        type(tenancy).objects.filter(pk=tenancy.pk).update(participant_monthly_income=Decimal("1020.00"))
        for day in (5, 20):
            contact_log(
                actor=worker,
                participant=person,
                occurred_at=datetime.datetime(2026, 9, day, 15, tzinfo=datetime.UTC),
                duration_minutes=60,
                kind="home",
            )
    return worker


@pytest.fixture
def program_a(org_a):
    return make_program(org_a)


# --- pure rules ---------------------------------------------------------------------------------------------


def test_scales_score_on_their_thresholds():
    higher = ind.Scale(Decimal(90), Decimal(75), Decimal(50))
    assert [higher.score(Decimal(v)) for v in (100, 90, 89.9, 75, 50, 49.9)] == [4, 4, 3, 3, 2, 1]
    assert higher.score(None) is None
    lower = ind.COMPUTED_BY_KEY["time_to_housing"].scale
    assert [lower.score(Decimal(v)) for v in (10, 45, 46, 90, 180, 181)] == [4, 4, 3, 3, 2, 1]
    assert ind.caseload_score(15, 1, 15) == (Decimal("15.0"), 4)
    assert ind.caseload_score(20, 1, 15)[1] == 2
    assert ind.caseload_score(30, 1, 15)[1] == 1
    assert ind.caseload_score(5, 0, 15) == (None, 1)
    assert ind.caseload_score(0, 0, 15) == (None, None)


def test_domain_and_program_scores_are_means_of_what_is_scored():
    domains = ind.domain_scores({"options_offered": 4, "unit_chosen": 2}, {"team_meetings": 3})
    assert domains["housing"] == Decimal("3.0")
    assert domains["structure"] == Decimal("3.0")
    assert domains["philosophy"] is None
    assert ind.overall(domains) == Decimal("3.0")


def test_quarters():
    assert periods.bounds("2026-Q1") == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert periods.bounds("2026-Q4") == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    for bad in ("0001-Q1", "9999-Q4", "2026-Q5", "2026Q1", "", "=HYPERLINK(1)"):
        assert periods.bounds(bad) is None
    assert periods.default(datetime.date(2026, 1, 5)) == "2025-Q4"
    assert periods.recent(3, datetime.date(2026, 2, 1)) == ["2026-Q1", "2025-Q4", "2025-Q3"]


# --- computed from the data ------------------------------------------------------------------------------------


def test_items_computed_from_the_data(org_a, program_manager_a, program_a):
    _build(org_a, program_manager_a, program_a, 3)
    report = selectors.compute(program_a, *Q3)
    r = report.results
    # Enrolled 1 June, moved in 1 August: 61 days, score 3 (at most 90).
    assert r["time_to_housing"].value == Decimal("61.0")
    assert r["time_to_housing"].score == 3
    assert (r["rent_share"].numerator, r["rent_share"].denominator, r["rent_share"].score) == (3, 3, 4)
    # Each unit alone in no recorded building, scattered-site: 100 %.
    assert r["scattered_sites"].value == Decimal("100.0")
    # One case manager for 3 participants (ratio 15): score 4.
    assert (r["caseload_ratio"].numerator, r["caseload_ratio"].denominator) == (3, 1)
    assert r["caseload_ratio"].score == 4
    # 6 visits over 3 × 92 days enrolled (39.4 weeks): 0.15 a week, score 1; 6 hours, 0.15 h a week.
    assert r["visits_per_week"].numerator == 6
    assert r["visits_per_week"].value == Decimal("0.15")
    assert r["visits_per_week"].score == 1
    assert r["hours_per_week"].score == 1
    # No eligibility condition: 4. No lease started through a search: options not offered (0 of 3).
    assert r["no_conditions"].score == 4
    assert r["options_offered"].denominator == 3
    assert r["options_offered"].numerator == 0
    assert r["unit_chosen"].value == Decimal("100.0")
    # Nothing to say: no exits, no evictions.
    assert r["kept_after_exit"].score is None
    assert r["rehousing"].score is None


def test_a_condition_of_sobriety_scores_1(org_a, program_a):
    program_a.eligibility = [{"criterion": "flag", "rule": "must_not", "values": ["substance_use"]}]
    program_a.save(update_fields=["eligibility"])
    result = selectors.compute(program_a, *Q3).results["no_conditions"]
    assert (result.numerator, result.score) == (1, 1)


def test_rehousing_after_an_eviction(org_a, program_manager_a, program_a):
    worker = member(org_a, Role.HOUSING_SPECIALIST)
    person = make_participant(worker, org_a)
    ended = make_tenancy(
        person,
        worker,
        organisation=org_a,
        start=datetime.date(2026, 1, 1),
        ended_on=datetime.date(2026, 8, 1),
        end_reason="eviction",
        program=program_a,
    )
    other = make_participant(worker, org_a)
    make_tenancy(
        other,
        worker,
        organisation=org_a,
        start=datetime.date(2026, 1, 1),
        ended_on=datetime.date(2026, 8, 2),
        end_reason="eviction",
        program=program_a,
    )
    make_tenancy(person, worker, organisation=org_a, start=datetime.date(2026, 8, 20), previous=ended)
    result = selectors.compute(program_a, *Q3).results["rehousing"]
    assert (result.numerator, result.denominator, result.value, result.score) == (1, 2, Decimal("50.0"), 2)


# --- the self-assessment ---------------------------------------------------------------------------------------


def test_saving_twice_does_not_duplicate_and_editing_keeps_history(program_manager_a, program_a):
    answers = {"team_meetings": {"score": 3, "note": "Trois fois par semaine"}}
    first = services.assessment_save(
        actor=program_manager_a, program=program_a, start=Q3[0], end=Q3[1], answers=answers
    )
    again = services.assessment_save(
        actor=program_manager_a, program=program_a, start=Q3[0], end=Q3[1], answers=answers
    )
    assert again.pk == first.pk
    assert again.revision == 1
    assert FidelityAssessment.objects.count() == 1
    assert FidelityAssessmentVersion.objects.count() == 0
    assert AuditEntry.objects.filter(action="reports.fidelity.assessed").count() == 1
    assert {c["key"] for c in first.computed} == set(ind.COMPUTED_BY_KEY)
    edited = services.assessment_save(
        actor=program_manager_a,
        program=program_a,
        start=Q3[0],
        end=Q3[1],
        answers={"team_meetings": {"score": 4, "note": ""}, "harm_reduction": {"score": 2, "note": ""}},
    )
    assert edited.revision == 2
    version = FidelityAssessmentVersion.objects.get()
    assert version.revision == 1
    assert version.answers == answers
    assert AuditEntry.objects.filter(action="reports.fidelity.updated").count() == 1
    assert edited.domain_scores["philosophy"] == "2.0"


@pytest.mark.parametrize(
    "answers",
    [
        {"team_meetings": {"score": 5, "note": ""}},
        {"team_meetings": {"score": "=HYPERLINK(1)", "note": ""}},
        {"team_meetings": {"score": 2, "note": "x\x00y"}},
        {"team_meetings": {"score": 2, "note": "x" * 10_000}},
        {"unknown_item": {"score": 2, "note": ""}},
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(program_manager_a, program_a, answers):
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=program_manager_a, program=program_a, start=Q3[0], end=Q3[1], answers=answers
        )
    assert not FidelityAssessment.objects.exists()


def test_only_a_manager_of_the_program_can_assess(org_b, program_a):
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=member(org_b, Role.PROGRAM_MANAGER), program=program_a, start=Q3[0], end=Q3[1], answers={}
        )


# --- pages, exports, API ---------------------------------------------------------------------------------------


def _url(name, program, period="2026-Q3", **extra):
    query = "&".join([f"program={program.pk}", f"period={period}", *(f"{k}={v}" for k, v in extra.items())])
    return f"{reverse(name)}?{query}"


def test_page_shows_domains_evidence_and_history(client_for, program_manager_a, program_a, org_a):
    _build(org_a, program_manager_a, program_a, 2)
    services.assessment_save(
        actor=program_manager_a,
        program=program_a,
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2026, 6, 30),
        answers={"team_meetings": {"score": 2, "note": ""}},
    )
    response = client_for(program_manager_a).get(_url("reports:fidelity", program_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "accès au logement" in body
    assert "fidelity-chart" in body
    assert "fidelity-history" in body
    assert "T2 2026" in body
    # The chart's coordinates keep a dot whatever the reader's language (SVG reads no decimal comma).
    assert 'cx="290.0"' in body
    assert "4\u00a0: au moins 90" in body


def test_another_organisations_program_is_404(client_for, program_manager_a, program_a, org_b):
    program_b = make_program(org_b)
    c = client_for(program_manager_a)
    for name in (
        "reports:fidelity",
        "reports:fidelity_assess",
        "reports:fidelity_people",
        "reports:fidelity_export",
        "reports:fidelity_pdf",
    ):
        assert c.get(_url(name, program_b)).status_code == 404, name
    assert c.get(f"{reverse('reports:fidelity')}?program=abc").status_code == 404
    assert c.get(f"/api/v1/reports/fidelity?program_id={program_b.pk}").status_code == 404


def test_assessment_form_saves_once_and_says_errors(client_for, program_manager_a, program_a):
    c = client_for(program_manager_a)
    url = _url("reports:fidelity_assess", program_a)
    assert c.get(url).status_code == 200
    data = {"team_meetings_score": "3", "team_meetings_note": "Chaque lundi", "harm_reduction_score": "4"}
    assert c.post(url, data).status_code == 302
    assert c.post(url, data).status_code == 302
    assessment = FidelityAssessment.objects.get()
    assert assessment.revision == 1
    assert assessment.answers["team_meetings"] == {"score": 3, "note": "Chaque lundi"}
    bad = c.post(url, {"team_meetings_score": "7", "team_meetings_note": "gardé"})
    assert bad.status_code == 200
    assert "gardé" in bad.content.decode()
    assert FidelityAssessment.objects.get().revision == 1


def test_people_behind_a_figure_are_read_audited(client_for, program_manager_a, program_a, org_a):
    _build(org_a, program_manager_a, program_a, 2)
    response = client_for(program_manager_a).get(
        _url("reports:fidelity_people", program_a, item="rent_share")
    )
    assert response.status_code == 200
    assert "Fidèle" in response.content.decode()
    assert AuditEntry.objects.filter(action="reports.fidelity.people_viewed", is_read=True).count() == 2
    unknown = client_for(program_manager_a).get(_url("reports:fidelity_people", program_a, item="nope"))
    assert unknown.status_code == 404


def test_exports_xlsx_and_pdf(client_for, program_manager_a, program_a):
    c = client_for(program_manager_a)
    xlsx = c.get(_url("reports:fidelity_export", program_a))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = c.get(_url("reports:fidelity_pdf", program_a))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_api_gives_the_figures(client_for, program_manager_a, program_a, org_a):
    _build(org_a, program_manager_a, program_a, 1)
    c = client_for(program_manager_a)
    response = c.get(f"/api/v1/reports/fidelity?program_id={program_a.pk}&period=2026-Q3")
    assert response.status_code == 200
    data = response.json()
    assert [d["key"] for d in data["domains"]] == list(ind.DOMAINS)
    rent = next(i for i in data["items"] if i["key"] == "rent_share")
    assert (rent["counted"], rent["out_of"], rent["score"]) == (1, 1, 4)
    assert c.get(f"/api/v1/reports/fidelity?program_id={program_a.pk}&period=9999-Q4").status_code == 422
    assert c.get(f"/api/v1/reports/fidelity?program_id={program_a.pk}&period=nope").status_code == 422


@pytest.mark.parametrize("people", [1, 6])
def test_page_queries_do_not_grow(
    client_for, program_manager_a, program_a, org_a, people, django_assert_max_num_queries
):
    _build(org_a, program_manager_a, program_a, people)
    for when in ((2026, 1, 1), (2026, 4, 1)):
        services.assessment_save(
            actor=program_manager_a,
            program=program_a,
            start=datetime.date(*when),
            end=datetime.date(*when) + datetime.timedelta(days=89),
            answers={"team_meetings": {"score": 3, "note": ""}},
        )
    c = client_for(program_manager_a)
    with django_assert_max_num_queries(30):
        assert c.get(_url("reports:fidelity", program_a)).status_code == 200
    with django_assert_max_num_queries(30):
        assert c.get(_url("reports:fidelity_export", program_a)).status_code == 200
