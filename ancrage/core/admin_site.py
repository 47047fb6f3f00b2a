"""The Django admin, open only to those holding core.configure."""

from django.contrib import admin


def _has_permission(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.has_ancrage_perm("core.configure"))


def restrict_admin() -> None:
    admin.site.has_permission = _has_permission  # type: ignore[method-assign]
    admin.site.site_header = "Ancrage"
    admin.site.site_title = "Ancrage"
