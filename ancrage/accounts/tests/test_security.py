"""Security baseline: password hashing, lockout, sessions, headers, two-factor sign-in, deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.people.tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[3]
PASSWORD = "correct-horse-battery"


# --- passwords and lockout -----------------------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.production_password_hasher
def test_argon2_is_the_password_hasher():
    assert django_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
@pytest.mark.production_password_hasher
def test_passwords_are_stored_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
@pytest.mark.smoke
def test_lockout_after_five_failed_sign_ins(client):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    user = UserFactory(username="marie")
    for _ in range(4):
        response = _login(client, "marie", "wrong-password")
        assert response.status_code == 200
        assert "registration/login.html" in [t.name for t in response.templates]
    response = _login(client, "marie", "wrong-password")
    assert response.status_code == 429
    # Even the right password is refused while locked, with the lockout page.
    client.cookies["ancrage_language"] = "en"
    response = _login(client, "marie", PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "_auth_user_id" not in client.session
    assert user.pk


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_count(client):
    UserFactory(username="marie")
    for _ in range(4):
        _login(client, "marie", "wrong-password")
    assert _login(client, "marie", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "marie", "wrong-password").status_code == 200
    assert _login(client, "marie", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_of_one_account_leaves_another_open(client):
    UserFactory(username="marie")
    UserFactory(username="paul")
    for _ in range(5):
        _login(client, "marie", "wrong-password")
    assert _login(client, "paul", PASSWORD).status_code == 302


# --- sessions and headers ----------------------------------------------------------------------------------


def test_session_settings():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is False  # core/sessions.py refreshes the expiry
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
def test_a_request_pushes_the_session_expiry_once_a_minute(client_for, case_manager_a):
    import datetime

    import time_machine
    from django.contrib.sessions.models import Session

    start = clock.now()
    with time_machine.travel(start, tick=False):
        c = client_for(case_manager_a)
        key = c.session.session_key
        first = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        assert c.get(reverse("home")).status_code == 200
        assert Session.objects.get(session_key=key).expire_date == first  # a read within the minute: no write
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        assert c.get(reverse("home")).status_code == 200
        pushed = Session.objects.get(session_key=key).expire_date
        assert pushed == clock.now() + datetime.timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    # 29 minutes after the last push the session is still open: activity kept it alive past the first expiry.
    with time_machine.travel(start + datetime.timedelta(minutes=49), tick=False):
        assert c.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_idle_session_ends(client_for, case_manager_a):
    import datetime

    from django.contrib.sessions.models import Session

    c = client_for(case_manager_a)
    assert c.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=c.session.session_key)
    remaining = session.expire_date - clock.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(expire_date=clock.now() - datetime.timedelta(seconds=1))
    response = c.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.smoke
def test_security_headers_on_a_page(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_csp_on_a_signed_in_page(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).get(reverse("people:detail", args=[participant_a.pk]))
    assert "default-src 'self'" in response["Content-Security-Policy"]


# --- two-factor sign-in ---------------------------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


@pytest.mark.django_db
@pytest.mark.smoke
def test_administrator_is_sent_to_two_factor(two_factor_on, client_for, administrator):
    c = client_for(administrator)
    for url in (reverse("home"), reverse("audit_log") + "?user=gc_a&action=", reverse("admin:index")):
        response = c.get(url)
        assert response.status_code == 302, url
        # The whole path comes back after the code is checked, query string included.
        assert response["Location"] == f"{reverse('two_factor')}?{urlencode({'next': url})}"
    assert c.get(reverse("two_factor")).status_code == 200


@pytest.mark.django_db
def test_administrator_passes_after_verifying_a_token(two_factor_on, client_for, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="Téléphone", confirmed=True)
    c = client_for(administrator)
    response = c.post(
        f"{reverse('two_factor')}?next=/audit/",
        {"token": "000000" if _code(device) != "000000" else "111111"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert c.get(reverse("admin:index")).status_code == 302
    # django-otp slows down guessing after a failure; a real person retries a few seconds later.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    response = c.post(f"{reverse('two_factor')}?next=/audit/", {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/audit/"
    assert c.get(reverse("admin:index")).status_code == 200
    assert c.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_first_sign_in_sets_up_the_device(two_factor_on, client_for, administrator):
    c = client_for(administrator)
    response = c.get(reverse("two_factor"))
    assert response.context["setup"] is True
    assert "<svg" in response.content.decode()
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    # Reloading the page keeps the same device (and the same QR code).
    c.get(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=administrator).count() == 1
    response = c.post(reverse("two_factor"), {"token": _code(device), "password": PASSWORD})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(actor=administrator, action="accounts.two_factor.enabled").count() == 1
    assert c.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_two_factor_next_is_not_an_open_redirect(two_factor_on, client_for, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="Téléphone", confirmed=True)
    response = client_for(administrator).post(
        f"{reverse('two_factor')}?next=https://evil.example.com/", {"token": _code(device)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_other_roles_are_not_asked_for_two_factor(two_factor_on, client_for, case_manager_a):
    assert client_for(case_manager_a).get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_two_factor_off_in_demo(client_for, administrator):
    assert django_settings.TWO_FACTOR_REQUIRED is False  # conftest's default for tests
    assert client_for(administrator).get(reverse("home")).status_code == 200


# --- production settings ---------------------------------------------------------------------------------------


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DEBUG="0",
        DEMO="0",
        ANCRAGE_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="ancrage.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_are_strict():
    code = (
        "from django.conf import settings as s; "
        "print(s.TWO_FACTOR_REQUIRED, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = _manage("shell", "-c", code, env=_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "True", "True", "False"]


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/"])
def test_sign_in_does_not_redirect_off_site(client, target):
    UserFactory(username="marie")
    response = client.post(reverse("login"), {"username": "marie", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_sign_out_needs_post(client_for, case_manager_a):
    c = client_for(case_manager_a)
    assert c.get(reverse("logout")).status_code == 405
    assert c.get(reverse("home")).status_code == 200
    assert c.post(reverse("logout")).status_code == 302
    assert c.get(reverse("home")).status_code == 302
