"""Two-factor sign-in (TOTP, django-otp) for everyone who can see other people's records.

Clinicians, clinic admins and site staff must confirm a code from an authenticator app before any
``/clinic/`` or ``/admin/`` page opens (:class:`SecondFactorMiddleware`). The first time, the page at
``/accounts/two-factor/`` shows a QR code and the secret to type in; a correct code confirms the device.
After that it only asks for the current code. Patients are never asked.

Until a code is confirmed, each browser session is shown a key of its own; confirming one makes it the
person's only key, so a key read in any other session stops working.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import django_otp
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from sciatrack.lib.fields import SafeCharField

from .models import Clinician

GUARDED_PREFIXES = ("/clinic/", "/admin/")
SETUP_PATH = "/accounts/two-factor/"
DEFAULT_NEXT_PAGE = "/clinic/"
# Longer than any address of ours with its query; a longer one is not a page we sent anyone to.
NEXT_PAGE_MAX = 2000
# The session's own not-yet-confirmed authenticator (its id), kept until one is confirmed.
PENDING_DEVICE_SESSION_KEY = "sciatrack_pending_authenticator"


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


class NextPageForm(forms.Form):
    """Where to go once the code is confirmed: a page of this site, else the clinic's start page."""

    next = SafeCharField(
        required=False,
        max_length=NEXT_PAGE_MAX,
        error_messages={"max_length": f"The address is longer than {NEXT_PAGE_MAX} characters."},
    )

    def __init__(self, data: Any, *, request: HttpRequest) -> None:
        super().__init__(data)
        self.request = request

    def clean_next(self) -> str:
        address: str = self.cleaned_data["next"]
        # An address on another site is not an error of the person's: Django's own sign-in page also
        # quietly goes to its default instead, so no one can be sent elsewhere through this page.
        if address and url_has_allowed_host_and_scheme(
            address, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return address
        return DEFAULT_NEXT_PAGE


class CodeForm(forms.Form):
    token = SafeCharField(
        label="The 6-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        # int() would read other scripts' digits ("١٢٣٤٥٦") as the code; an app shows only 0-9.
        validators=[RegexValidator(r"\A[0-9]{6}\Z", message="the code is 6 digits from 0 to 9")],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": "type the 6 digits your app shows now",
            "min_length": "the code has 6 digits",
            "max_length": "the code has 6 digits",
        },
    )


def pending_device(request: HttpRequest, user: Any) -> TOTPDevice:
    """This session's own not-yet-confirmed authenticator, made the first time the session asks.

    Each session has its own key, so someone who signs in with the password and reads the key first
    cannot keep a second factor that works once the real person turns theirs on.
    """
    device_id = request.session.get(PENDING_DEVICE_SESSION_KEY)
    device = None
    if isinstance(device_id, int):
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
        request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return device


def make_only_authenticator(user: Any, device: TOTPDevice) -> bool:
    """Confirm ``device`` and drop every other key of ``user``; False if another session was first.

    The person's row is locked for the transaction (SQLite queues every writing transaction anyway), so
    two sessions confirming at once are taken one after the other and only the first one's key counts.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.filter(pk=device.pk, confirmed=False).delete()
            return False
        if not TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False).update(confirmed=True):
            return False
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    return True


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
    posted = request.method == "POST"
    next_form = NextPageForm(request.POST if posted else request.GET, request=request)
    next_page = next_form.cleaned_data["next"] if next_form.is_valid() else DEFAULT_NEXT_PAGE
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device = pending_device(request, user)
    else:
        request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
    form = CodeForm(request.POST) if posted else CodeForm()
    if posted and next_form.is_valid() and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:  # django-otp slows guessing down: each wrong code doubles the wait
            form.add_error(
                "token", "too many wrong codes in a row; wait a few seconds, then type the new code"
            )
        elif not device.verify_token(form.cleaned_data["token"]):
            form.add_error(
                "token", "that code is not right now; check the time on your phone and try the new code"
            )
        elif setting_up and not make_only_authenticator(user, device):
            setting_up = False  # this session's key is gone: ask for a code from the one confirmed
            form.add_error(
                "token",
                "two-step sign-in was just turned on from another sign-in to your account; "
                "type the code from the app set up there",
            )
        else:
            request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
            django_otp.login(request, device)
            return redirect(next_page)
    context = {"form": form, "next_form": next_form, "setting_up": setting_up, "next": next_page}
    if setting_up:
        context.update(qr=_qr_data_uri(device.config_url), secret=_secret(device))
    status = 400 if next_form.errors else 422 if form.errors else 200
    return render(request, "registration/two_factor.html", context, status=status)
