"""Small helpers shared by views: service errors onto forms, pagination, htmx partial rendering."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's validation errors next to the fields they concern; keep every typed answer."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def paginate(request, queryset, per_page: int | None = None) -> Page:
    per_page = per_page or settings.ANCRAGE["PAGE_SIZE"]
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
