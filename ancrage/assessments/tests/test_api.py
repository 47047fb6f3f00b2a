"""API v1 for assessments: list, start, answers with per-question errors, score; same access as the pages.

(The package's conftest runs every test in English; the French tests override it explicitly.)
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from ancrage.accounts import services as account_services
from ancrage.assessments.models import Administration
from ancrage.assessments.tests.factories import load_shipped_instruments, start_administration
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.factories import member, share

pytestmark = pytest.mark.django_db

FIRST_SECTION = {"months_homeless": 14, "slept_last_night": "shelter", "evicted": "yes"}


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


@pytest.fixture
def administration(case_manager_a, participant_a):
    return start_administration(case_manager_a, participant_a)


@pytest.fixture
def en(case_manager_a):
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])


@pytest.fixture
def fr(case_manager_a):
    case_manager_a.language = "fr-ca"
    case_manager_a.save(update_fields=["language"])


def answers_url(a):
    return f"/api/v1/administrations/{a.pk}/answers"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_token_authentication_start_and_list(client, case_manager_a, participant_a):
    load_shipped_instruments()
    _token, key = account_services.api_token_create(actor=case_manager_a, name="Script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/v1/participants/{participant_a.pk}/administrations"
    response = client.post(url, {"instrument": "acuity_screener"}, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    started = response.json()
    assert started["status"] == "in_progress"
    assert started["instrument"] == "acuity_screener"
    assert started["answers"] == {}
    assert started["score"] is None
    listed = client.get(url, **auth).json()
    assert [(a["id"], a["status"], a["version"], a["total"], a["band"]) for a in listed] == [
        (started["id"], "in_progress", started["version"], None, None)
    ]


def test_unknown_instrument_is_422(en, client_for, case_manager_a, participant_a):
    load_shipped_instruments()
    response = post(
        client_for(case_manager_a),
        f"/api/v1/participants/{participant_a.pk}/administrations",
        {"instrument": "x"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"instrument": ["Unknown instrument."]}
    assert not Administration.objects.exists()


def test_save_complete_detail_and_score(en, client_for, case_manager_a, administration):
    c = client_for(case_manager_a)
    response = post(c, answers_url(administration), {"answers": FIRST_SECTION})
    assert response.status_code == 200, response.content
    assert response.json()["answers"]["months_homeless"] == 14
    assert response.json()["status"] == "in_progress"
    # Not completed yet: no score, said plainly.
    response = c.get(f"/api/v1/administrations/{administration.pk}/score")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["This assessment is not completed, so it has no score yet."]
    }
    response = post(c, answers_url(administration), {"answers": {}, "complete": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "completed"
    assert body["score"]["total"] == body["total"]
    assert body["band_label"]
    detail = c.get(f"/api/v1/administrations/{administration.pk}").json()
    assert detail["answers"] == body["answers"]
    score = c.get(f"/api/v1/administrations/{administration.pk}/score").json()
    administration.refresh_from_db()
    assert score["total"] == administration.score["total"]
    assert score["band"] == administration.score["band"]
    assert score["band_label"] == body["band_label"]
    listed = c.get(f"/api/v1/participants/{administration.participant_id}/administrations").json()
    assert listed[0]["total"] == administration.score["total"]
    assert listed[0]["band"] == administration.score["band"]


def test_out_of_range_answer_is_422_per_question_and_changes_nothing(
    en, client_for, case_manager_a, administration
):
    c = client_for(case_manager_a)
    post(c, answers_url(administration), {"answers": {"slept_last_night": "shelter"}})
    response = post(
        c,
        answers_url(administration),
        {"answers": {"months_homeless": 99, "slept_last_night": "outside", "nope": 1}, "complete": True},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"months_homeless", "nope"}
    assert "36" in errors["months_homeless"][0]
    assert errors["nope"] == ["This instrument has no such question."]
    administration.refresh_from_db()
    assert administration.answers == {"slept_last_night": "shelter"}
    assert administration.status == Administration.Status.IN_PROGRESS


def test_out_of_range_message_in_french(fr, client_for, case_manager_a, administration):
    response = post(
        client_for(case_manager_a), answers_url(administration), {"answers": {"months_homeless": 99}}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == in_language("fr-ca", "The data sent is not valid.")
    assert body["detail"] != "The data sent is not valid."
    message = body["errors"]["months_homeless"][0]
    assert "36" in message
    with translation.override("fr-ca"):
        from ancrage.assessments.engine import AnswerError, clean_answer

        question = administration.version.parsed.question("months_homeless")
        with pytest.raises(AnswerError) as error:
            clean_answer(question, 99)
    assert message == str(error.value)


def test_missing_required_answers_on_completion(en, client_for, case_manager_a, administration):
    response = post(
        client_for(case_manager_a), answers_url(administration), {"answers": {}, "complete": True}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["months_homeless"] == ["This question needs an answer."]


def test_malformed_body_is_422(en, client_for, case_manager_a, administration):
    response = post(client_for(case_manager_a), answers_url(administration), {"answers": "x"})
    assert response.status_code == 422
    assert "answers" in response.json()["errors"]


# --- who may see and do what ---------------------------------------------------------------------------------


def _calls(a):
    return [
        ("get", f"/api/v1/participants/{a.participant_id}/administrations", None),
        (
            "post",
            f"/api/v1/participants/{a.participant_id}/administrations",
            {"instrument": "acuity_screener"},
        ),
        ("get", f"/api/v1/administrations/{a.pk}", None),
        ("post", answers_url(a), {"answers": FIRST_SECTION}),
        ("get", f"/api/v1/administrations/{a.pk}/score", None),
    ]


def _call(client, method, url, body):
    return post(client, url, body) if method == "post" else client.get(url)


def _unchanged(a):
    fresh = Administration.objects.get(pk=a.pk)
    assert fresh.answers == {}
    assert Administration.objects.count() == 1


def test_outsider_gets_404_everywhere(client_for, outsider, administration):
    c = client_for(outsider)
    for method, url, body in _calls(administration):
        response = _call(c, method, url, body)
        assert response.status_code == 404, (url, response.status_code)
        assert response.json()["detail"]
    _unchanged(administration)


def test_another_organisation_gets_404_everywhere(client_for, case_manager_b, administration):
    c = client_for(case_manager_b)
    for method, url, body in _calls(administration):
        assert _call(c, method, url, body).status_code == 404, url
    _unchanged(administration)


def test_consent_without_health_is_404(client_for, case_manager_a, org_b, administration):
    """The file is shared with B for identity only: assessments (health) stay out of reach."""
    share(case_manager_a, administration.participant, [org_b], [Category.IDENTITY])
    c = client_for(member(org_b, Role.CASE_MANAGER))
    assert c.get(f"/api/v1/participants/{administration.participant_id}").status_code == 200
    for method, url, body in _calls(administration):
        assert _call(c, method, url, body).status_code == 404, url
    _unchanged(administration)


def test_role_without_permission_gets_404(client_for, org_a, administration):
    """A housing specialist in the same organisation opens the file but holds no assessment permission:
    the assessments are records of the participant's, so 404 as for ones not seen."""
    c = client_for(member(org_a, Role.HOUSING_SPECIALIST))
    for method, url, body in _calls(administration):
        response = _call(c, method, url, body)
        assert response.status_code == 404, (url, response.status_code)
        assert response.json() == {"detail": in_language("fr-ca", "Not found.")}
    _unchanged(administration)


def test_id_of_an_unknown_administration_is_404(client_for, case_manager_a):
    assert client_for(case_manager_a).get("/api/v1/administrations/999999").status_code == 404


def test_list_queries_do_not_grow_with_rows(
    client_for, case_manager_a, participant_a, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    url = f"/api/v1/participants/{participant_a.pk}/administrations"
    for _i in range(3):
        start_administration(case_manager_a, participant_a)
    with CaptureQueriesContext(connection) as ctx:
        assert len(c.get(url).json()) == 3
    few = len(ctx.captured_queries)
    for _i in range(17):
        start_administration(case_manager_a, participant_a)
    with django_assert_max_num_queries(few):
        assert len(c.get(url).json()) == 20


def test_a_coordinated_access_worker_cannot_start_a_health_instrument(client_for, org_a, participant_a):
    from ancrage.assessments.models import Administration
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member

    load_shipped_instruments()
    worker = member(org_a, Role.COORDINATED_ACCESS, username="acces_api")
    url = f"/api/v1/participants/{participant_a.pk}/administrations"
    c = client_for(worker)
    assert post(c, url, {"instrument": "baseline_functioning"}).status_code == 422
    assert not Administration.objects.exists()
    assert post(c, url, {"instrument": "acuity_screener"}).status_code == 201
