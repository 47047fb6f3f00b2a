"""Admin for staff accounts and their memberships: every grant audited, superuser flags for superusers only."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ancrage.accounts import services
from ancrage.accounts.models import Membership, User
from ancrage.core.admin_site import ConfigurationAdmin, ConfigurationInline


def _before(membership: Membership) -> dict | None:
    if not membership.pk:
        return None
    previous = Membership.objects.filter(pk=membership.pk).first()
    return services.membership_values(previous) if previous else None


class MembershipInline(ConfigurationInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class AuditedMembershipsMixin:
    """The admin saves memberships itself; each grant, change and removal writes its audit entry in the
    same transaction (the admin wraps a save in one)."""

    def _save_membership(self, request, membership: Membership, save) -> None:
        before = _before(membership)
        created = before is None
        save()
        if created or before != services.membership_values(membership):
            services.membership_saved_through_admin(
                actor=request.user, membership=membership, created=created, before=before
            )


@admin.register(User)
class UserAdmin(AuditedMembershipsMixin, ConfigurationAdmin, BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Ancrage"), {"fields": ("language",)}))
    list_display = ["username", "first_name", "last_name", "language", "is_active"]
    inlines = [MembershipInline]
    actions = ["reset_two_factor"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser makes superusers: an administrator's role gives configuration, not everything.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "is_staff", "user_permissions", "groups"]
        return readonly

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_deleted_through_admin(actor=request.user, membership=membership)
            membership.delete()
        for membership in memberships:
            self._save_membership(request, membership, membership.save)
        formset.save_m2m()
        return None

    @admin.action(description=_("Reset two-factor sign-in (a new authenticator at the next sign-in)"))
    def reset_two_factor(self, request, queryset):
        reset = 0
        for user in queryset:
            try:
                services.totp_reset(actor=request.user, user=user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                reset += 1
        if reset:
            self.message_user(
                request,
                ngettext(
                    "Two-factor sign-in reset for %(count)d account.",
                    "Two-factor sign-in reset for %(count)d accounts.",
                    reset,
                )
                % {"count": reset},
            )


@admin.register(Membership)
class MembershipAdmin(AuditedMembershipsMixin, ConfigurationAdmin):
    list_display = ["user", "organisation", "team", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    search_fields = ["user__username", "user__last_name"]

    def save_model(self, request, obj, form, change):
        self._save_membership(
            request, obj, lambda: super(MembershipAdmin, self).save_model(request, obj, form, change)
        )

    def delete_model(self, request, obj):
        services.membership_deleted_through_admin(actor=request.user, membership=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_deleted_through_admin(actor=request.user, membership=membership)
        super().delete_queryset(request, queryset)
