"""Personal API keys: made, shown once, stored only as a hash, used as ``Bearer`` keys, revoked.

``/accounts/keys/`` lists a person's keys, one click away from the account page (most people never
need one, so the account page only links here); ``/accounts/tokens/`` (POST) makes a key with a name and
shows it on that page once; ``/accounts/tokens/<id>/revoke/`` (POST) stops one. A bad name re-shows the
page with the problem named.

A key lets a script in without a second factor, so anyone who must confirm a code before seeing other
people's records (:func:`sciatrack.accounts.two_factor.needs_second_factor`) makes keys only in a session
that confirmed one: a password alone never turns into a key.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sciatrack.lib.fields import SafeCharField

from .models import API_TOKEN_NAME_MAX, ApiToken
from .two_factor import needs_second_factor

KEY_PREFIX = "sct_"
NAME_PROBLEM = f"give the key a name of 1 to {API_TOKEN_NAME_MAX} characters"


class KeyNameForm(forms.Form):
    name = SafeCharField(
        max_length=API_TOKEN_NAME_MAX,
        error_messages={"required": NAME_PROBLEM, "max_length": NAME_PROBLEM},
    )


def keys_wait_for_second_factor(user: Any) -> bool:
    """True while ``user`` must confirm a code in this session before making a key."""
    if not needs_second_factor(user):
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    return not (callable(is_verified) and is_verified())


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key, which is not kept anywhere."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], key_hash=hash_key(key))
    return token, key


def user_for_key(key: str) -> User | None:
    """The active user of a live (not revoked) key, noting when it was last used; None otherwise."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


KEYS_PAGE = "registration/api_keys.html"


@login_required
@require_GET
def keys_page(request: HttpRequest) -> HttpResponse:
    """The person's keys for scripts, and the form that makes one."""
    return render(request, KEYS_PAGE)


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if keys_wait_for_second_factor(request.user):
        # The page says why and links to two-step sign-in; nothing is made.
        return render(request, KEYS_PAGE, status=403)
    key_form = KeyNameForm(request.POST)
    if not key_form.is_valid():
        return render(request, KEYS_PAGE, {"key_form": key_form}, status=422)
    token, key = issue_token(request.user, key_form.cleaned_data["name"])
    return render(request, KEYS_PAGE, {"new_token": token, "new_key": key}, status=201)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked__isnull=True)
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    return redirect("api-keys")
