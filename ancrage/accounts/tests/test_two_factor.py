"""No way around two-factor sign-in: the half-signed-in session reaches nothing, enrolment asks the password
again, a lost device is reset by another administrator, and configuration grants are audited (issue 10, 4)."""

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ancrage.accounts import services
from ancrage.accounts.models import ApiToken, Membership
from ancrage.accounts.tests.test_security import PASSWORD, _code
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


@pytest.fixture
def admin_and_case_manager(org_a, shared_org):
    """The account of the trial: an administrator who is also a case manager (so the API is open to it)."""
    user = member(shared_org, Role.ADMINISTRATOR, username="double")
    Membership.objects.create(user=user, organisation=org_a, role=Role.CASE_MANAGER)
    return user


def test_half_signed_in_session_gets_no_api_data(
    two_factor_on, client_for, admin_and_case_manager, participant_a
):
    c = client_for(admin_and_case_manager)
    for url in ("/api/v1/participants", f"/api/v1/participants/{participant_a.pk}"):
        response = c.get(url)
        assert response.status_code == 401, url
        assert "Éloïse" not in response.content.decode()


def test_half_signed_in_session_cannot_make_a_token(two_factor_on, client_for, admin_and_case_manager):
    c = client_for(admin_and_case_manager)
    response = c.get(reverse("api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    response = c.post(reverse("api_tokens"), {"name": "contournement"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_every_page_but_the_second_factor_is_closed(
    two_factor_on, client_for, admin_and_case_manager, participant_a
):
    c = client_for(admin_and_case_manager)
    for url in (
        reverse("home"),
        reverse("admin:index"),
        reverse("api_tokens"),
        f"/participants/{participant_a.pk}/",
        "/accounts/anything-else/",
    ):
        response = c.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor")), url
    assert c.get(reverse("two_factor")).status_code == 200
    assert c.post(reverse("set_language"), {"language": "en"}).status_code in (200, 302)


def test_after_the_second_factor_the_api_and_tokens_open(two_factor_on, client_for, admin_and_case_manager):
    device = TOTPDevice.objects.create(user=admin_and_case_manager, name="Téléphone", confirmed=True)
    c = client_for(admin_and_case_manager)
    assert c.post(reverse("two_factor"), {"token": _code(device)}).status_code == 302
    assert c.get("/api/v1/participants").status_code == 200
    assert c.post(reverse("api_tokens"), {"name": "script"}).status_code == 200
    assert ApiToken.objects.filter(user=admin_and_case_manager).count() == 1


def test_a_token_made_by_a_full_session_works_without_the_session(
    two_factor_on, client, admin_and_case_manager
):
    _token, key = services.api_token_create(actor=admin_and_case_manager, name="script")
    response = client.get("/api/v1/participants", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_enrolment_asks_for_the_password_again(two_factor_on, client_for, administrator):
    c = client_for(administrator)
    c.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    response = c.post(reverse("two_factor"), {"token": _code(device)})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    response = c.post(reverse("two_factor"), {"token": _code(device), "password": "not-it"})
    assert response.context["form"].errors["password"]
    device.refresh_from_db()
    assert not device.confirmed
    assert c.post(reverse("two_factor"), {"token": _code(device), "password": PASSWORD}).status_code == 302


def test_wrong_codes_slow_down_and_say_so(two_factor_on, client_for, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="Téléphone", confirmed=True)
    c = client_for(administrator)
    wrong = "000000" if _code(device) != "000000" else "111111"
    c.post(reverse("two_factor"), {"token": wrong})
    # Right after a failure even the right code waits: guessing a million codes is not possible.
    response = c.post(reverse("two_factor"), {"token": _code(device)})
    assert response.status_code == 200
    assert "Too many wrong codes" in str(response.context["form"].errors) or "Trop" in str(
        response.context["form"].errors
    )
    with time_machine.travel(clock.now() + datetime.timedelta(seconds=5), tick=False):
        assert c.post(reverse("two_factor"), {"token": _code(device)}).status_code == 302


def test_only_another_administrator_resets_a_device(shared_org, administrator):
    other = member(shared_org, Role.ADMINISTRATOR, username="autre_admin")
    TOTPDevice.objects.create(user=administrator, name="Téléphone", confirmed=True)
    with pytest.raises(services.ValidationError):
        services.totp_reset(actor=administrator, user=administrator)
    assert services.totp_reset(actor=other, user=administrator) == 1
    assert not TOTPDevice.objects.filter(user=administrator).exists()
    entry = AuditEntry.objects.get(action="accounts.two_factor.reset")
    assert entry.actor == other


def test_a_case_manager_cannot_reset_a_device(case_manager_a, administrator):
    with pytest.raises(services.PermissionDenied):
        services.totp_reset(actor=case_manager_a, user=administrator)


# --- configuration screens ---------------------------------------------------------------------------


def test_the_administrator_role_uses_the_configuration_screens(client_for, administrator):
    """The demo's admin is not a superuser: its role's permission opens the screens the README names."""
    assert not administrator.is_superuser
    c = client_for(administrator)
    assert c.get(reverse("admin:index")).status_code == 200
    for name in (
        "admin:organisations_organisation_changelist",
        "admin:organisations_program_changelist",
        "admin:accounts_user_changelist",
        "admin:accounts_membership_changelist",
        "admin:housing_unit_changelist",
    ):
        assert c.get(reverse(name)).status_code == 200, name


def test_configuration_screens_stay_closed_to_other_roles(client_for, case_manager_a):
    response = client_for(case_manager_a).get(reverse("admin:organisations_organisation_changelist"))
    assert response.status_code == 302


def test_a_grant_through_the_admin_is_audited(client_for, administrator, org_a):
    target = member(org_a, Role.PEER_SUPPORT, username="pair_a")
    c = client_for(administrator)
    response = c.post(
        reverse("admin:accounts_membership_add"),
        {"user": administrator.pk, "organisation": org_a.pk, "role": Role.CASE_MANAGER, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="accounts.membership.granted")
    assert entry.actor == administrator
    assert entry.object_id == str(administrator.pk)
    assert entry.data["after"]["role"] == Role.CASE_MANAGER
    membership = Membership.objects.get(user=target)
    response = c.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {"user": target.pk, "organisation": org_a.pk, "role": Role.CASE_MANAGER, "is_active": "on"},
    )
    assert response.status_code == 302
    changed = AuditEntry.objects.get(action="accounts.membership.changed")
    assert changed.data["before"]["role"] == Role.PEER_SUPPORT
    response = c.post(reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.membership.removed").count() == 1


def test_an_administrator_cannot_make_itself_superuser(client_for, administrator):
    c = client_for(administrator)
    response = c.get(reverse("admin:accounts_user_change", args=[administrator.pk]))
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


def test_sign_in_logs_cannot_be_deleted_even_by_a_superuser(rf):
    from axes.models import AccessAttempt, AccessLog

    from ancrage.people.tests.factories import UserFactory

    root = UserFactory(username="racine", is_superuser=True, is_staff=True)
    request = rf.get("/")
    request.user = root
    for model in (AccessLog, AccessAttempt):
        model_admin = admin.site._registry[model]
        assert model_admin.has_delete_permission(request) is False
        assert model_admin.has_change_permission(request) is False
        assert model_admin.has_view_permission(request) is True
