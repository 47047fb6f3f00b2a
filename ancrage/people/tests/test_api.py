"""API v1: authentication, participants, consents, errors as JSON in the caller's language, OpenAPI."""

import datetime

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from ancrage.accounts import services as account_services
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people import services
from ancrage.people.models import Consent, Participant
from ancrage.people.tests.factories import member, share
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = "/api/v1/participants"


def detail_url(p):
    return f"/api/v1/participants/{p.pk}"


def consents_url(p):
    return f"/api/v1/participants/{p.pk}/consents"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


@pytest.fixture
def token_key(case_manager_a):
    _token, key = account_services.api_token_create(actor=case_manager_a, name="Script de test")
    return key


# --- authentication ---------------------------------------------------------------------------------------


@pytest.mark.smoke
def test_token_authentication(client, token_key, participant_a):
    response = client.get(LIST, **bearer(token_key))
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [participant_a.pk]


def test_token_records_its_last_use(client, case_manager_a, token_key):
    token = case_manager_a.api_tokens.get()
    assert token.last_used_at is None
    client.get(LIST, **bearer(token_key))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_last_use_is_written_once_a_minute(client, case_manager_a, token_key, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ancrage.core import clock

    time_machine.move_to(clock.now(), tick=False)
    first_moment = clock.now()
    client.get(LIST, **bearer(token_key))
    token = case_manager_a.api_tokens.get()
    assert token.last_used_at == first_moment
    time_machine.shift(datetime.timedelta(seconds=59))
    with CaptureQueriesContext(connection) as within:
        client.get(LIST, **bearer(token_key))
    token.refresh_from_db()
    assert token.last_used_at == first_moment
    assert not [q for q in within.captured_queries if 'UPDATE "accounts_apitoken"' in q["sql"]]
    time_machine.shift(datetime.timedelta(seconds=1))
    client.get(LIST, **bearer(token_key))
    token.refresh_from_db()
    assert token.last_used_at == first_moment + datetime.timedelta(seconds=60)


def test_only_the_hash_of_a_token_is_kept(case_manager_a, token_key):
    token = case_manager_a.api_tokens.get()
    assert token_key not in (token.key_hash, token.prefix, token.name)
    assert token.key_hash == token.hash_key(token_key)
    assert token_key.startswith(token.prefix)
    entry = AuditEntry.objects.get(action="accounts.token.created")
    assert token_key not in str(entry.data)


@pytest.mark.smoke
def test_revoked_token_is_401(client, case_manager_a, token_key):
    account_services.api_token_revoke(actor=case_manager_a, token=case_manager_a.api_tokens.get())
    response = client.get(LIST, **bearer(token_key))
    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer anc_nope", "Bearer ", "Token abc", "Basic Z2NfYTpjb3JyZWN0LWhvcnNlLWJhdHRlcnk="],
)
def test_bad_credentials_are_401(client, header, token_key):
    response = client.get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_anonymous_is_401(client):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_token_of_an_inactive_user_is_401(client, case_manager_a, token_key):
    case_manager_a.is_active = False
    case_manager_a.save(update_fields=["is_active"])
    assert client.get(LIST, **bearer(token_key)).status_code == 401


def test_token_stops_when_the_role_no_longer_allows_the_api(client, case_manager_a, token_key):
    """A role change (here to program assistant, who has no API access) closes existing tokens too."""
    case_manager_a.memberships.update(role=Role.PROGRAM_ASSISTANT)
    assert client.get(LIST, **bearer(token_key)).status_code == 401


def test_token_cannot_be_created_without_the_api_permission(partner_rep):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        account_services.api_token_create(actor=partner_rep, name="x")


def test_token_page_shows_the_key_once(client_for, case_manager_a):
    c = client_for(case_manager_a)
    response = c.post("/accounts/tokens/", {"name": "Tableur"})
    key = response.context["new_key"]
    assert key.startswith("anc_")
    assert key in response.content.decode()
    assert key not in c.get("/accounts/tokens/").content.decode()


@pytest.mark.smoke
def test_session_authentication(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).get(detail_url(participant_a))
    assert response.status_code == 200
    assert response.json()["community_id"] == participant_a.community_id


def test_session_post_needs_the_csrf_token_but_a_bearer_token_does_not(case_manager_a, token_key, org_a):
    body = {"organisation_id": org_a.pk, "legal_first_name": "Zoé", "legal_last_name": "Nouvelle"}
    c = Client(enforce_csrf_checks=True)
    c.force_login(case_manager_a)
    response = c.post(LIST, body, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert not Participant.objects.filter(legal_last_name="Nouvelle").exists()
    c = Client(enforce_csrf_checks=True)
    response = c.post(LIST, body, content_type="application/json", **bearer(token_key))
    assert response.status_code == 201, response.content


# --- participants ---------------------------------------------------------------------------------------------


def test_list_shows_only_visible_files_and_searches(
    client_for, case_manager_a, case_manager_b, org_b, participant_a
):
    from ancrage.people.tests.factories import make_participant

    make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    c = client_for(case_manager_a)
    body = c.get(LIST).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "id": participant_a.pk,
        "community_id": participant_a.community_id,
        "display_name": "Éloïse Gagnon",
        "legal_first_name": "Éloïse",
        "legal_last_name": "Gagnon",
        "preferred_name": "",
        "organisation_id": participant_a.organisation_id,
        "organisation_name": "Mission A",
    }
    assert c.get(LIST, {"q": "ELOISE"}).json()["count"] == 1
    assert c.get(LIST, {"q": "belanger"}).json()["count"] == 0


def test_list_is_paginated(client_for, case_manager_a, org_a):
    from ancrage.people.tests.factories import make_participant

    for i in range(30):
        make_participant(case_manager_a, org_a, legal_first_name=f"P{i}")
    c = client_for(case_manager_a)
    first = c.get(LIST).json()
    assert first["count"] == 30
    assert len(first["items"]) == 25
    assert len(c.get(LIST, {"page": 2}).json()["items"]) == 5


def test_detail_for_a_partner_shows_what_consent_allows(
    client_for, case_manager_a, partner_rep, partner_org, participant_a
):
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    body = client_for(partner_rep).get(detail_url(participant_a)).json()
    assert body["categories_visible"] == ["housing", "identity"]
    assert body["date_of_birth"] == "1975-04-12"


@pytest.mark.smoke
def test_hidden_participant_is_404_json(client_for, case_manager_b, participant_a):
    response = client_for(case_manager_b).get(detail_url(participant_a))
    assert response.status_code == 404
    assert response.json() == {"detail": in_language("fr-ca", "Not found.")}
    assert client_for(case_manager_b).get("/api/v1/participants/999999").json() == response.json()


def test_non_numeric_id_is_not_a_crash(client_for, case_manager_a):
    response = client_for(case_manager_a).get("/api/v1/participants/abc")
    assert response.status_code in {404, 422}
    assert response["Content-Type"].startswith("application/json")


def _new(org, **extra):
    return {"organisation_id": org.pk, "legal_first_name": "Zoé", "legal_last_name": "Nouvelle"} | extra


def test_create(client_for, case_manager_a, org_a):
    response = client_for(case_manager_a).post(
        LIST,
        _new(org_a, date_of_birth="1990-02-03", dob_quality="exact", aliases=["Zozo"]),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    p = Participant.objects.get(pk=body["id"])
    assert p.organisation == org_a
    assert body["aliases"] == [{"name": "Zozo"}]
    assert body["date_of_birth"] == "1990-02-03"
    assert AuditEntry.objects.filter(action="people.participant.created", participant=p).count() == 1


@pytest.mark.smoke
def test_create_returns_matches_first_then_confirm_new(client_for, case_manager_a, org_a, participant_a):
    c = client_for(case_manager_a)
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    payload = _new(
        org_a,
        legal_first_name="Eloise",
        legal_last_name="GAGNON",
        date_of_birth="1975-04-12",
        dob_quality="exact",
    )
    before = Participant.objects.count()
    response = c.post(LIST, payload, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Probable existing files found.")
    (match,) = body["matches"]
    assert match["id"] == participant_a.pk
    assert match["community_id"] == participant_a.community_id
    assert match["reasons"] == ["Same last name", "Same first name or a nickname of it", "Same date of birth"]
    assert match["score"] >= 90
    assert Participant.objects.count() == before
    response = c.post(LIST, payload | {"confirm_new": True}, content_type="application/json")
    assert response.status_code == 201
    assert Participant.objects.count() == before + 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"legal_last_name": ""}, "legal_last_name"),
        ({"date_of_birth": "2999-01-01", "dob_quality": "exact"}, "date_of_birth"),
        ({"date_of_birth": "1980-01-01"}, "dob_quality"),
        ({"gender": "martian"}, "gender"),
        ({"dob_quality": "sometimes"}, "dob_quality"),
        ({"communication_language": "de"}, "communication_language"),
        ({"date_of_birth": "not-a-date"}, "date_of_birth"),
    ],
)
def test_create_with_bad_data_is_422(extra, field, client_for, case_manager_a, org_a):
    before = Participant.objects.count()
    response = client_for(case_manager_a).post(
        LIST, _new(org_a, confirm_new=True, **extra), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"]
    assert field in body["errors"], body
    assert Participant.objects.count() == before


def test_create_with_missing_fields_is_422(client_for, case_manager_a, org_a):
    response = client_for(case_manager_a).post(
        LIST, {"organisation_id": org_a.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert {"legal_first_name", "legal_last_name"} <= set(response.json()["errors"])


def test_malformed_json_is_a_json_error(client_for, case_manager_a):
    response = client_for(case_manager_a).post(LIST, "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


def test_create_without_permission_is_403_json(client_for, partner_rep, org_a):
    response = client_for(partner_rep).post(LIST, _new(org_a), content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": in_language("fr-ca", "Your role does not allow this.")}


def test_create_in_a_shared_service_is_422(client_for, shared_org):
    user = member(shared_org, Role.COORDINATED_ACCESS)
    response = client_for(user).post(
        LIST, _new(shared_org, confirm_new=True), content_type="application/json"
    )
    assert response.status_code == 422
    assert "organisation" in response.json()["errors"]


# --- consents -----------------------------------------------------------------------------------------------


def _consent_body(org, **extra):
    return {
        "organisations": [org.pk],
        "categories": ["identity", "housing"],
        "purpose": "Recherche de logement",
        "starts_on": clock.today().isoformat(),
        "method": "written",
    } | extra


def test_consents_list_create_and_revoke(client_for, case_manager_a, partner_org, participant_a):
    c = client_for(case_manager_a)
    assert c.get(consents_url(participant_a)).json() == []
    response = c.post(
        consents_url(participant_a), _consent_body(partner_org), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["organisations"] == [partner_org.pk]
    assert created["categories"] == ["housing", "identity"]
    assert created["status"] == "current"
    # No expiry sent: the default duration (12 months).
    assert created["expires_on"] == services.default_expiry(clock.today()).isoformat()
    listed = c.get(consents_url(participant_a)).json()
    assert [x["id"] for x in listed] == [created["id"]]
    response = c.post(
        f"{consents_url(participant_a)}/{created['id']}/revoke",
        {"reason": "Demande"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert response.json()["revoked_at"]
    response = c.post(
        f"{consents_url(participant_a)}/{created['id']}/revoke", {}, content_type="application/json"
    )
    assert response.status_code == 422
    assert Consent.objects.get().revocation_reason == "Demande"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"method": "verbal"}, "witness_name"),
        ({"method": "telepathy"}, "method"),
        ({"categories": []}, "categories"),
        ({"categories": ["identity", "everything"]}, "categories"),
        ({"organisations": []}, "organisations"),
        ({"organisations": [999999]}, "organisations"),
        ({"expires_on": "2000-01-01"}, "expires_on"),
    ],
)
def test_consent_create_with_bad_data_is_422(
    extra, field, client_for, case_manager_a, partner_org, participant_a
):
    response = client_for(case_manager_a).post(
        consents_url(participant_a), _consent_body(partner_org, **extra), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Consent.objects.exists()


def test_consent_cannot_name_an_organisation_of_another_consortium(client_for, case_manager_a, participant_a):
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory

    elsewhere = OrganisationFactory(consortium=ConsortiumFactory(name="Ailleurs"))
    response = client_for(case_manager_a).post(
        consents_url(participant_a), _consent_body(elsewhere), content_type="application/json"
    )
    assert response.status_code == 422
    assert not Consent.objects.exists()


def test_consent_endpoints_refuse_partners(
    client_for, case_manager_a, partner_rep, partner_org, participant_a
):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    c = client_for(partner_rep)
    assert c.get(consents_url(participant_a)).status_code == 200
    response = c.post(
        consents_url(participant_a), _consent_body(partner_org), content_type="application/json"
    )
    assert response.status_code == 404
    response = c.post(
        f"{consents_url(participant_a)}/{consent.pk}/revoke", {}, content_type="application/json"
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_consent_of_another_participant_is_404(client_for, case_manager_a, partner_org, org_a, participant_a):
    from ancrage.people.tests.factories import make_participant

    other = make_participant(case_manager_a, org_a, legal_first_name="Autre")
    consent = share(case_manager_a, other, [partner_org], [Category.IDENTITY])
    response = client_for(case_manager_a).post(
        f"{consents_url(participant_a)}/{consent.pk}/revoke", {}, content_type="application/json"
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_revocation_through_the_api_closes_the_partners_access(
    client_for, client, case_manager_a, partner_rep, partner_org, participant_a, token_key
):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    partner = Client()
    partner.force_login(partner_rep)
    assert partner.get(detail_url(participant_a)).status_code == 200
    response = client.post(
        f"{consents_url(participant_a)}/{consent.pk}/revoke",
        {},
        content_type="application/json",
        **bearer(token_key),
    )
    assert response.status_code == 200
    assert partner.get(detail_url(participant_a)).status_code == 404


# --- language of messages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_messages_in_the_callers_language(language, client, case_manager_a, case_manager_b, participant_a):
    _token, key = account_services.api_token_create(actor=case_manager_b, name="x")
    case_manager_b.language = language
    case_manager_b.save(update_fields=["language"])
    # The account's language wins over the request's headers.
    other = "fr-CA" if language == "en" else "en"
    response = client.get(detail_url(participant_a), HTTP_ACCEPT_LANGUAGE=other, **bearer(key))
    assert response.status_code == 404
    assert response.json()["detail"] == in_language(language, "Not found.")
    if language == "en":
        assert response.json()["detail"] == "Not found."


def test_validation_messages_in_english(client, case_manager_a, token_key, org_a):
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    response = client.post(
        LIST,
        _new(org_a, date_of_birth="2100-01-01", dob_quality="exact", confirm_new=True),
        content_type="application/json",
        **bearer(token_key),
    )
    body = response.json()
    assert body["detail"] == "The data sent is not valid."
    assert body["errors"]["date_of_birth"] == ["A date of birth cannot be in the future."]


# --- OpenAPI --------------------------------------------------------------------------------------------------


@pytest.mark.smoke
def test_openapi_lists_the_v1_paths(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    # The registry's paths; test_routes checks every operation of every module against its table.
    assert {
        "/api/v1/participants",
        "/api/v1/participants/{pk}",
        "/api/v1/participants/{pk}/consents",
        "/api/v1/participants/{pk}/consents/{consent_pk}/revoke",
    } <= set(paths)
    assert set(paths["/api/v1/participants"]) == {"get", "post"}
    assert set(paths["/api/v1/participants/{pk}/consents"]) == {"get", "post"}
    assert schema["info"]["version"] == "1"
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_dates_are_days(client_for, case_manager_a, partner_org, participant_a):
    share(
        case_manager_a,
        participant_a,
        [partner_org],
        [Category.IDENTITY],
        starts_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2026, 12, 31),
    )
    (consent,) = client_for(case_manager_a).get(consents_url(participant_a)).json()
    assert (consent["starts_on"], consent["expires_on"]) == ("2026-01-01", "2026-12-31")
