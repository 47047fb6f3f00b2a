"""Sign-in, language switch, two-factor sign-in and personal API tokens."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ancrage.accounts import services
from ancrage.accounts.models import ApiToken
from ancrage.core import clock
from ancrage.core.permissions import check_permission, require_permission
from ancrage.core.views_helpers import apply_service_errors

DEMO_PASSWORD = "ancrage-demo-2026"


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO:
            # The accounts themselves come from the demo app's context processor (the top layer).
            context["demo_password"] = DEMO_PASSWORD
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        translation.activate(user.language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE
        )
        return response


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target


@require_POST
def set_language(request):
    """Switch the interface language; remembered on the account and in a cookie."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        services.user_set_language(actor=request.user, language=language)
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
    )
    return response


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SetupForm(TokenForm):
    """Setting up the authenticator asks for the password again: a session left open on a shared
    computer must not be enough to tie the account to someone else's phone."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "token"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


def _throttled_message(device) -> str | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    seconds = None
    if details and details.get("locked_until"):
        seconds = max(1, int((details["locked_until"] - clock.now()).total_seconds()) + 1)
    if seconds:
        return _("Too many wrong codes. Wait %(seconds)s seconds, then try again.") % {"seconds": seconds}
    return _("Too many wrong codes. Wait a moment, then try again.")


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def two_factor(request):
    """Set up a TOTP device the first time (with the password again), verify it on later sign-ins.
    Once set up, the device is changed only when another administrator resets it."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    next_url = _safe_next(request)
    if confirmed is not None:
        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            throttled = _throttled_message(confirmed)
            if throttled:
                form.add_error("token", throttled)
            elif confirmed.verify_token(form.cleaned_data["token"]):
                otp_login(request, confirmed)
                return redirect(next_url)
            else:
                form.add_error("token", _("This code is not valid. Check your phone's clock and try again."))
        return render(
            request, "registration/two_factor.html", {"form": form, "setup": False, "next": next_url}
        )
    device = services.totp_device_for_setup(user=user)
    form = SetupForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("token", throttled)
        elif services.totp_confirm(user=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(next_url)
        else:
            form.add_error("token", _("This code is not valid. Check your phone's clock and try again."))
    context = {"form": form, "setup": True, "qr_svg": _qr_svg(device.config_url), "next": next_url}
    return render(request, "registration/two_factor.html", context)


class NewTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100)


@require_permission("accounts.use_api")
def api_tokens(request):
    form = NewTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = NewTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@require_POST
@login_required
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    check_permission(request.user, "accounts.use_api")
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens")
