"""The Django admin, open only to those holding core.configure; what it may show and change, by that permission."""

from django.contrib import admin


def _has_permission(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.has_ancrage_perm("core.configure"))


class ConfigurationAdmin(admin.ModelAdmin):
    """A configuration screen: whoever may configure may use it (Django's per-model permissions are not
    used here: roles carry the project's own permissions), which the demo's administrator needs."""

    def has_module_permission(self, request):
        return _has_permission(request)

    def has_view_permission(self, request, obj=None):
        return _has_permission(request)

    def has_add_permission(self, request):
        return _has_permission(request)

    def has_change_permission(self, request, obj=None):
        return _has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return _has_permission(request)


class ConfigurationInline(admin.TabularInline):
    def has_view_permission(self, request, obj=None):
        return _has_permission(request)

    def has_add_permission(self, request, obj=None):
        return _has_permission(request)

    def has_change_permission(self, request, obj=None):
        return _has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return _has_permission(request)


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """A log (sign-ins, failed sign-ins): read, never edited or deleted, by anyone, superusers too."""

    def has_module_permission(self, request):
        return _has_permission(request)

    def has_view_permission(self, request, obj=None):
        return _has_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _protect_sign_in_logs() -> None:
    """django-axes lists sign-ins and failures with delete buttons; keep its columns, drop the buttons."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        base = type(admin.site._registry[model]) if admin.site.is_registered(model) else admin.ModelAdmin
        if issubclass(base, ReadOnlyLogAdmin):
            continue
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"ReadOnly{model.__name__}Admin", (ReadOnlyLogAdmin, base), {}))


def restrict_admin() -> None:
    admin.site.has_permission = _has_permission  # type: ignore[method-assign]
    admin.site.site_header = "Ancrage"
    admin.site.site_title = "Ancrage"
    _protect_sign_in_logs()
