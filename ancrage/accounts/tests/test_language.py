"""The interface language: French (Canada) by default, English on request, remembered on the account."""

import pytest
from django.conf import settings
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.core.models import AuditEntry
from ancrage.people.tests.factories import UserFactory
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    html = response.content.decode()
    start = html.index("<html lang=") + len('<html lang="')
    return html[start : html.index('"', start)]


@pytest.mark.smoke
def test_anonymous_default_is_french_canada(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert html_lang(response) == "fr-CA"
    assert response["Content-Language"] == "fr-ca"


@pytest.mark.parametrize("header", ["fr-FR,fr;q=0.9", "fr", "de-DE,de;q=0.9", "es"])
def test_browser_asking_french_or_an_unknown_language_gets_french(client, header):
    assert html_lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=header)) == "fr-CA"


def test_browser_asking_english_gets_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.8")
    assert html_lang(response) == "en"
    assert "Sign in to Ancrage" in response.content.decode()


@pytest.mark.smoke
def test_switching_to_english_is_saved_and_remembered(client_for, case_manager_a):
    c = client_for(case_manager_a)
    response = c.post(reverse("set_language"), {"language": "en", "next": "/participants/"})
    assert response.status_code == 302
    assert response["Location"] == "/participants/"
    assert response.cookies[COOKIE].value == "en"
    assert response.cookies[COOKIE]["samesite"] == "Lax"
    assert User.objects.get(pk=case_manager_a.pk).language == "en"
    page = c.get(reverse("people:list"))
    assert html_lang(page) == "en"
    assert "Participants" in page.content.decode()
    entry = AuditEntry.objects.get(action="accounts.language.changed")
    assert entry.actor == case_manager_a
    assert entry.data == {"language": ["fr-ca", "en"]}


def test_switching_to_the_same_language_writes_nothing(client_for, case_manager_a):
    client_for(case_manager_a).post(reverse("set_language"), {"language": "fr-ca"})
    assert not AuditEntry.objects.filter(action="accounts.language.changed").exists()


def test_anonymous_switch_uses_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert html_lang(client.get(reverse("login"))) == "en"


@pytest.mark.parametrize("language", ["de", "", "EN", "fr", "../../etc"])
def test_invalid_language_falls_back_to_the_default(language, client_for, case_manager_a):
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    c = client_for(case_manager_a)
    response = c.post(reverse("set_language"), {"language": language})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == settings.LANGUAGE_CODE
    assert User.objects.get(pk=case_manager_a.pk).language == settings.LANGUAGE_CODE
    assert html_lang(c.get(reverse("home"))) == "fr-CA"


def test_language_switch_needs_post(client):
    assert client.get(reverse("set_language"), {"language": "en"}).status_code == 405


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "http://testserver.evil.example.com/",
        "javascript:alert(1)",
        "/\\evil.example.com",
    ],
)
def test_open_redirect_in_next_is_refused(target, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_on_the_same_site_is_followed(client):
    response = client.post(f"{reverse('set_language')}?next=/accounts/login/", {"language": "en"})
    assert response["Location"] == "/accounts/login/"


def test_saved_language_wins_over_the_cookie(client_for, case_manager_a):
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    c = client_for(case_manager_a)
    c.cookies[COOKIE] = "fr-ca"
    assert html_lang(c.get(reverse("home"))) == "en"


def test_signing_in_applies_the_accounts_language(client):
    UserFactory(username="mary", language="en")
    response = client.post(reverse("login"), {"username": "mary", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "en"
    assert html_lang(client.get(reverse("home"))) == "en"
    assert client.post(reverse("logout")).status_code == 302
    # The cookie keeps the sign-in page in English after signing out.
    assert html_lang(client.get(reverse("login"))) == "en"


def test_switch_back_to_french(client_for, case_manager_a):
    c = client_for(case_manager_a)
    c.post(reverse("set_language"), {"language": "en"})
    c.post(reverse("set_language"), {"language": "fr-ca"})
    assert User.objects.get(pk=case_manager_a.pk).language == "fr-ca"
    assert html_lang(c.get(reverse("home"))) == "fr-CA"
