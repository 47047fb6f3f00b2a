"""The JSON API (v1): one NinjaAPI, session or personal-token authentication, errors in the caller's language."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from ancrage.accounts.middleware import awaits_second_factor
from ancrage.accounts.models import ApiToken
from ancrage.core import clock
from ancrage.core.api_docs import SelfHostedSwagger
from ancrage.core.api_types import describe_error


def _activate(user) -> None:
    if user.language:
        translation.activate(user.language)


TOKEN_USE_PRECISION = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """Authorization: Bearer <personal token>."""

    def authenticate(self, request, token):
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        # A token works only while its owner's roles still allow the API (a role change closes it too).
        if row is None or not row.user.has_ancrage_perm("accounts.use_api"):
            return None
        # "Last used" to the minute: written once a minute at most, not on every request (issue 16).
        now = clock.now()
        if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        _activate(row.user)
        return row.user


class StaffSession(SessionAuth):
    def _get_key(self, request):
        # Without a signed-in session there is nothing to protect from a forged request: the caller is
        # simply not authenticated (401), rather than refused for a missing CSRF token (403).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        # A session that has not given its second factor is not signed in, for the API either.
        if user is None or awaits_second_factor(user):
            return None
        _activate(user)
        return user


api = NinjaAPI(
    title="Ancrage API",
    version="1",
    description=(
        "Participants and consents of the Ancrage registry, coordinated access (referrals, intake, the "
        "by-name list with its ranks, matches), assessments and intensive case management (enrollments, contacts, "
        "visits, recovery plans, referrals, risk, incidents, exits). Same access rules as the pages."
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=SelfHostedSwagger(),
    auth=[TokenAuth(), StaffSession()],
    urls_namespace="api",
)


def _error(request, status: int, message: str, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, _("Your role does not allow this."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, _("Sign in or send a valid personal token."))


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, _("The data sent is not valid."), errors=errors)


@api.exception_handler(NinjaValidationError)
def malformed(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = ".".join(
            str(p) for p in err.get("loc", []) if p not in {"body", "payload", "query", "path", "pagination"}
        )
        fields.setdefault(loc or "__all__", []).append(describe_error(err))
    return _error(request, 422, _("The data sent is not valid."), errors=fields)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and exc.__cause__ is not None:
        # ninja's "Cannot parse request body": for the caller, one more kind of invalid data (422, in words).
        return _error(
            request,
            422,
            _("The data sent is not valid."),
            errors={"__all__": [_("The body is not valid JSON.")]},
        )
    return _error(request, exc.status_code, str(exc))


from ancrage.access.api import router as access_router  # noqa: E402
from ancrage.assessments.api import router as assessments_router  # noqa: E402
from ancrage.casework.api import router as casework_router  # noqa: E402
from ancrage.conferences.api import router as conferences_router  # noqa: E402
from ancrage.housing.api import router as housing_router  # noqa: E402
from ancrage.housing.api_support import router as housing_support_router  # noqa: E402
from ancrage.housing.api_tenancies import router as housing_tenancies_router  # noqa: E402
from ancrage.partners.api import router as partners_router  # noqa: E402
from ancrage.people.api import router as people_router  # noqa: E402

api.add_router("/v1/", people_router)
api.add_router("/v1/", access_router)
api.add_router("/v1/", assessments_router)
api.add_router("/v1/", casework_router)
api.add_router("/v1/", housing_router)
api.add_router("/v1/", housing_tenancies_router)
# The rent payment service (C5).
from ancrage.housing.api_rent import router as rent_router  # noqa: E402

api.add_router("/v1/", rent_router)
api.add_router("/v1/", housing_support_router)
api.add_router("/v1/", conferences_router)
api.add_router("/v1/", partners_router)

from ancrage.reports.funder.api import router as funder_router  # noqa: E402

api.add_router("/v1/", funder_router)
# Housing First fidelity (G5).
from ancrage.reports.fidelity.api import router as fidelity_router  # noqa: E402

api.add_router("/v1/", fidelity_router)
# Reports: outcomes (G5, C9, A7).
from ancrage.reports.outcomes.api import router as outcomes_router  # noqa: E402

api.add_router("/v1/", outcomes_router)
from ancrage.interop.hmis.export.api import router as hmis_export_router  # noqa: E402

api.add_router("/v1/", hmis_export_router)
# HMIS CSV imports (issue 15).
from ancrage.interop.imports.api import router as hmis_imports_router  # noqa: E402

api.add_router("/v1/", hmis_imports_router)
