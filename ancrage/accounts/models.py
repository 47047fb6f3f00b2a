"""Staff accounts, their memberships (organisation, team, role) and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.permissions import (
    ROLE_CATEGORIES,
    TWO_FACTOR_ROLES,
    Role,
    permissions_for_roles,
)


class User(AbstractUser):
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def active_memberships(self) -> list[Membership]:
        if not self.pk:
            return []
        return list(
            self.memberships.filter(is_active=True, organisation__is_active=True).select_related(
                "organisation", "team"
            )
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    @cached_property
    def ancrage_permissions(self) -> frozenset[str]:
        perms = set(permissions_for_roles(set(self.roles)))
        if self.is_superuser:
            perms |= {"core.configure"}
        return frozenset(perms)

    def has_ancrage_perm(self, perm: str) -> bool:
        return self.is_active and perm in self.ancrage_permissions

    @cached_property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.active_memberships)

    def categories_by_organisation(self) -> dict[int, frozenset[str]]:
        """For each organisation the user works in, the categories their roles there may read."""
        result: dict[int, set[str]] = {}
        for m in self.active_memberships:
            result.setdefault(m.organisation_id, set()).update(ROLE_CATEGORIES.get(m.role, frozenset()))
        return {org: frozenset(cats) for org, cats in result.items()}

    @property
    def primary_membership(self) -> Membership | None:
        return self.active_memberships[0] if self.active_memberships else None

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.roles & TWO_FACTOR_ROLES) or self.is_superuser

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    team = models.ForeignKey(
        "organisations.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal API token. Only its hash is kept; the token itself is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return "anc_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
