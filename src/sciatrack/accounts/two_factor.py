"""Two-factor sign-in (TOTP, django-otp) for everyone who can see other people's records.

Clinicians, clinic admins and site staff must confirm a code from an authenticator app before any
``/clinic/`` or ``/admin/`` page opens (:class:`SecondFactorMiddleware`). The first time, the page at
``/accounts/two-factor/`` shows a QR code and the secret to type in; a correct code confirms the device.
After that it only asks for the current code. Patients are never asked.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import django_otp
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Clinician

GUARDED_PREFIXES = ("/clinic/", "/admin/")
SETUP_PATH = "/accounts/two-factor/"


def needs_second_factor(user: Any) -> bool:
    """True for site staff, anyone working for a clinic, and anyone who may see the whole registry."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or Clinician.objects.filter(user=user).exists():
        return True
    # Network-wide outcome figures are clinic data too, whoever was given the right to see them.
    return bool(user.has_perm("registry.view_network"))


class SecondFactorMiddleware:
    """Sends staff who have not confirmed a code this session to the two-factor page first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(GUARDED_PREFIXES):
            user: Any = request.user
            if needs_second_factor(user) and not user.is_verified():
                return redirect(f"{SETUP_PATH}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class CodeForm(forms.Form):
    token = forms.CharField(
        label="The 6-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": "type the 6 digits your app shows now",
            "min_length": "the code has 6 digits",
            "max_length": "the code has 6 digits",
        },
    )


def _qr_data_uri(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _secret(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def second_factor_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    next_url = request.GET.get("next") or request.POST.get("next") or "/clinic/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/clinic/"
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator"}
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:  # django-otp slows guessing down: each wrong code doubles the wait
            form.add_error(
                "token", "too many wrong codes in a row; wait a few seconds, then type the new code"
            )
        elif device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return redirect(next_url)
        else:
            form.add_error(
                "token", "that code is not right now; check the time on your phone and try the new code"
            )
    context = {"form": form, "setting_up": setting_up, "next": next_url}
    if setting_up:
        context.update(qr=_qr_data_uri(device.config_url), secret=_secret(device))
    return render(request, "registration/two_factor.html", context, status=422 if form.errors else 200)
