"""Per-user language, and two-factor sign-in for roles that require it."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def awaits_second_factor(user) -> bool:
    """True for a session signed in with the password only, whose roles require two-factor sign-in."""
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and user is not None
        and user.is_authenticated
        and user.needs_two_factor
        and not user.is_verified()
    )


class TwoFactorRequiredMiddleware:
    """Outside demo mode, a session whose roles require two-factor sign-in reaches nothing until the
    code is given: only the two-factor step, sign-out, the language switch and static files. The API
    answers 401 to such a session (a personal token, made by a fully signed-in session, still works)."""

    OPEN_NAMES = ("two_factor", "logout", "login", "set_language")
    OPEN_PREFIXES = ("/static/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def _open_paths(self) -> tuple[str, ...]:
        return tuple(reverse(name) for name in self.OPEN_NAMES)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not awaits_second_factor(user):
            return self.get_response(request)
        path = request.path
        if path in self._open_paths() or path.startswith(self.OPEN_PREFIXES):
            return self.get_response(request)
        if path.startswith("/api/"):
            if request.headers.get("Authorization", "").startswith("Bearer "):
                return self.get_response(request)  # the token decides, not the half-open session
            return JsonResponse(
                {
                    "detail": _(
                        "Two-factor sign-in is not finished: enter the code from your authenticator app."
                    )
                },
                status=401,
            )
        return redirect(reverse("two_factor") + "?" + urlencode({"next": request.get_full_path()}))
