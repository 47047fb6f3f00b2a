"""The pages that administer an instrument: access, partial save and resume, completion, declining, the result."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.assessments import services
from ancrage.assessments.models import Administration
from ancrage.assessments.tests.factories import start_administration
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.factories import member, share

pytestmark = pytest.mark.django_db

FIRST_SECTION = {
    "section": "0",
    "months_homeless": "14",
    "episodes": "",
    "episodes__special": "doesnt_know",
    "slept_last_night": "shelter",
    "evicted": "yes",
}


@pytest.fixture
def en(case_manager_a):
    """The case manager works in English (their account's language)."""
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])


@pytest.fixture
def administration(case_manager_a, participant_a):
    return start_administration(case_manager_a, participant_a)


def url(name, administration, **query):
    u = reverse(name, kwargs={"pk": administration.participant_id, "administration_pk": administration.pk})
    return u + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_list_and_start(en, client_for, case_manager_a, participant_a):
    c = client_for(case_manager_a)
    start_administration(case_manager_a, participant_a)  # loads the instruments too
    response = c.get(reverse("assessments:list", args=[participant_a.pk]))
    assert response.status_code == 200
    assert "Acuity screener" in response.content.decode()
    response = c.get(reverse("assessments:start", args=[participant_a.pk]))
    page = response.content.decode()
    for title in ("Acuity screener", "Baseline functioning checklist"):
        assert title in page
    version = response.context["form"].fields["version"].queryset.get(instrument__key="baseline_functioning")
    response = c.post(reverse("assessments:start", args=[participant_a.pk]), {"version": version.pk})
    assert response.status_code == 302
    started = Administration.objects.filter(participant=participant_a).order_by("-pk").first()
    assert started.version == version
    assert response["Location"] == url("assessments:administer", started)


def test_file_links_to_assessments_only_with_health_access(
    client_for, case_manager_a, participant_a, partner_org
):
    link = reverse("assessments:list", args=[participant_a.pk])
    page = client_for(case_manager_a).get(reverse("people:detail", args=[participant_a.pk])).content.decode()
    assert link in page
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    partner_worker = member(partner_org, Role.CASE_MANAGER)
    c = client_for(partner_worker)
    page = c.get(reverse("people:detail", args=[participant_a.pk])).content.decode()
    assert link not in page
    # Identity shared, health not: the assessments are a 404, as for a file one may not see.
    assert c.get(link).status_code == 404


def test_outsider_and_other_organisation_get_404(client_for, administration, case_manager_b, outsider):
    for name in ("assessments:administer", "assessments:result", "assessments:close"):
        assert client_for(case_manager_b).get(url(name, administration)).status_code == 404
    assert client_for(outsider).get(url("assessments:result", administration)).status_code == 404


def test_coordinated_access_role_without_health_category_gets_404(
    client_for, case_manager_a, participant_a, org_a
):
    # A health instrument; the triage instrument is theirs (see test_categories.py).
    administration = start_administration(case_manager_a, participant_a, "baseline_functioning")
    worker = member(org_a, Role.COORDINATED_ACCESS)
    assert client_for(worker).get(url("assessments:administer", administration)).status_code == 404


def test_role_without_permission_gets_404(client_for, administration, org_a):
    """An assessment is a record of the participant's: without the permission, 404 as for one not seen."""
    user = member(org_a, Role.HOUSING_SPECIALIST)
    assert client_for(user).get(url("assessments:administer", administration)).status_code == 404


def test_partial_save_and_resume(en, client_for, case_manager_a, administration):
    c = client_for(case_manager_a)
    page = c.get(url("assessments:administer", administration)).content.decode()
    assert "In the past three years, how many months" in page
    assert "Refused" in page
    assert "Doesn&#x27;t know" in page
    response = c.post(url("assessments:administer", administration), {**FIRST_SECTION, "action": "later"})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:list", args=[administration.participant_id])
    administration.refresh_from_db()
    assert administration.answers == {
        "months_homeless": 14,
        "episodes": "doesnt_know",
        "slept_last_night": "shelter",
        "evicted": "yes",
    }
    assert administration.status == Administration.Status.IN_PROGRESS
    # Resumed: the answers are there.
    response = c.get(url("assessments:administer", administration))
    form = response.context["form"]
    assert form.initial["months_homeless"] == 14
    assert form.initial["episodes__special"] == "doesnt_know"
    assert 'value="shelter" id="id_slept_last_night_1" checked' in response.content.decode()


def test_french_by_default(client_for, case_manager_a, administration):
    page = client_for(case_manager_a).get(url("assessments:administer", administration)).content.decode()
    assert "combien de mois en tout avez-vous été sans logement" in page
    assert "Refus" in page


def test_next_goes_to_the_next_section_and_conditional_questions(
    en, client_for, case_manager_a, administration
):
    c = client_for(case_manager_a)
    response = c.post(url("assessments:administer", administration), {**FIRST_SECTION, "action": "next"})
    assert response["Location"] == url("assessments:administer", administration, section=1)
    page = c.get(response["Location"]).content.decode()
    assert "medication_trouble" not in page  # asked only if mental_health is yes
    # Answering "yes" opens the follow-up question on the same page.
    response = c.post(
        url("assessments:administer", administration),
        {"section": "1", "mental_health": "yes", "action": "next"},
    )
    assert response["Location"] == url("assessments:administer", administration, section=1)
    assert 'name="medication_trouble"' in c.get(response["Location"]).content.decode()


def test_out_of_range_keeps_everything(en, client_for, case_manager_a, administration):
    c = client_for(case_manager_a)
    response = c.post(
        url("assessments:administer", administration),
        {**FIRST_SECTION, "months_homeless": "99", "action": "next"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["months_homeless"] == ["Enter a number from 0 to 36."]
    page = response.content.decode()
    assert 'value="99"' in page
    assert 'value="shelter" id="id_slept_last_night_1" checked' in page
    administration.refresh_from_db()
    assert administration.answers == {}


def test_out_of_range_message_in_french(client_for, case_manager_a, administration):
    response = client_for(case_manager_a).post(
        url("assessments:administer", administration), {**FIRST_SECTION, "months_homeless": "99"}
    )
    assert response.context["form"].errors["months_homeless"] == ["Entrez un nombre de 0 à 36."]


def test_completion_refused_with_missing_answers_keeps_answers(
    en, client_for, case_manager_a, administration
):
    c = client_for(case_manager_a)
    last = len(administration.version.parsed.sections) - 1
    # The first section's required questions are left out; the last section gets an answer.
    response = c.post(
        url("assessments:administer", administration),
        {"section": str(last), "someone_to_count_on": "no", "loneliness": "7", "action": "complete"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "still need an answer" in page
    assert "Housing history" in page
    administration.refresh_from_db()
    assert administration.status == Administration.Status.IN_PROGRESS
    assert administration.answers == {"someone_to_count_on": "no", "loneliness": 7}
    # On the first section, the messages sit next to the questions.
    response = c.post(url("assessments:administer", administration), {"section": "0", "action": "complete"})
    form = response.context["form"]
    assert form.errors["months_homeless"] == ["This question needs an answer."]
    assert form.errors["slept_last_night"] == ["This question needs an answer."]


def test_complete_and_result(en, client_for, case_manager_a, administration):
    c = client_for(case_manager_a)
    c.post(url("assessments:administer", administration), {**FIRST_SECTION, "action": "next"})
    response = c.get(url("assessments:result", administration))
    assert "not completed" in response.content.decode()
    last = len(administration.version.parsed.sections) - 1
    response = c.post(
        url("assessments:administer", administration), {"section": str(last), "action": "complete"}
    )
    assert response["Location"] == url("assessments:result", administration)
    administration.refresh_from_db()
    assert administration.status == Administration.Status.COMPLETED
    page = c.get(url("assessments:result", administration)).content.decode()
    total = administration.score["total"]
    assert f"{total} of {administration.score['max_total']}" in page
    assert "No housing intervention recommended" in page
    # A3: the triage's level of acuity beside its recommendation.
    assert '<span id="result-level">Low acuity</span>' in page
    assert f"Scored with version {administration.version.version}" in page
    # A completed assessment no longer opens for answers.
    assert c.get(url("assessments:administer", administration))["Location"] == url(
        "assessments:result", administration
    )
    listing = c.get(reverse("assessments:list", args=[administration.participant_id])).content.decode()
    assert "No housing intervention recommended" in listing


def test_decline_and_postpone(en, client_for, case_manager_a, participant_a, administration):
    c = client_for(case_manager_a)
    response = c.post(
        url("assessments:close", administration), {"action": "decline", "reason": "Pas aujourd'hui"}
    )
    assert response.status_code == 302
    administration.refresh_from_db()
    assert administration.status == Administration.Status.DECLINED
    assert administration.status_reason == "Pas aujourd'hui"
    assert c.get(url("assessments:administer", administration)).status_code == 302
    other = start_administration(case_manager_a, participant_a)
    c.post(url("assessments:close", other), {"action": "postpone", "reason": "Fatigue"})
    other.refresh_from_db()
    assert other.status == Administration.Status.POSTPONED
    # A postponed assessment resumes where it was.
    c.post(url("assessments:administer", other), {**FIRST_SECTION, "action": "later"})
    other.refresh_from_db()
    assert other.status == Administration.Status.IN_PROGRESS


def test_decline_button_keeps_the_typed_answers(client_for, case_manager_a, administration):
    response = client_for(case_manager_a).post(
        url("assessments:administer", administration), {**FIRST_SECTION, "action": "close"}
    )
    assert response["Location"] == url("assessments:close", administration)
    administration.refresh_from_db()
    assert administration.answers["months_homeless"] == 14


def test_close_without_a_choice_says_so(en, client_for, case_manager_a, administration):
    response = client_for(case_manager_a).post(url("assessments:close", administration), {"reason": "x"})
    assert response.status_code == 200
    assert "Choose whether" in response.content.decode()


def test_list_query_count_is_constant(client_for, case_manager_a, participant_a):
    c = client_for(case_manager_a)
    list_url = reverse("assessments:list", args=[participant_a.pk])

    def count(n):
        while Administration.objects.filter(participant=participant_a).count() < n:
            a = start_administration(case_manager_a, participant_a)
            if a.pk % 2:
                services.administration_decline(actor=case_manager_a, administration=a, reason="non")
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(list_url).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(10)
