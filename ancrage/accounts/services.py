"""Writes to accounts: language preference, API tokens, two-factor devices, grants made in the admin."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ancrage.accounts.models import ApiToken, Membership, User
from ancrage.core import audit, clock


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    if actor.language != language:
        old = actor.language
        actor.language = language
        actor.save(update_fields=["language"])
        audit.record(
            actor=actor, action="accounts.language.changed", obj=actor, data={"language": [old, language]}
        )
    return actor


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret key, which is shown once and never stored."""
    if not actor.has_ancrage_perm("accounts.use_api"):
        raise ValidationError(_("Your role does not allow using the API."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(user=actor, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key))
    audit.record(actor=actor, action="accounts.token.created", obj=token, data={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="accounts.token.revoked", obj=token)
    return token


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device, created on first visit of the setup page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ancrage", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=user, action="accounts.two_factor.enabled", obj=user)
    return True


@transaction.atomic
def totp_reset(*, actor: User, user: User) -> int:
    """Another administrator resets a lost authenticator: the user sets up a new one at the next sign-in.
    Nobody resets their own: otherwise a stolen password alone could replace the second factor."""
    if not actor.has_ancrage_perm("core.configure"):
        raise PermissionDenied
    if actor.pk == user.pk:
        raise ValidationError(_("Another administrator must reset your two-factor sign-in."))
    deleted, _details = TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action="accounts.two_factor.reset", obj=user, data={"devices": deleted})
    return deleted


def membership_values(membership: Membership) -> dict:
    return {
        "user": membership.user_id,
        "organisation": membership.organisation_id,
        "team": membership.team_id,
        "role": membership.role,
        "is_active": membership.is_active,
    }


@transaction.atomic
def membership_saved_through_admin(
    *, actor: User, membership: Membership, created: bool, before: dict | None
) -> None:
    """The audit entry of a grant or change made in the configuration screens (the admin saves the row)."""
    after = membership_values(membership)
    audit.record(
        actor=actor,
        action="accounts.membership.granted" if created else "accounts.membership.changed",
        obj=membership.user,
        organisation=membership.organisation,
        data={"before": before, "after": after} if before else {"after": after},
    )


@transaction.atomic
def membership_deleted_through_admin(*, actor: User, membership: Membership) -> None:
    audit.record(
        actor=actor,
        action="accounts.membership.removed",
        obj=membership.user,
        organisation=membership.organisation,
        data={"before": membership_values(membership)},
    )
