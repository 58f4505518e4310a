"""Personal API keys: made, shown once, stored only as a hash, used as ``Bearer`` keys, revoked.

``/accounts/tokens/`` (POST) makes a key with a name and shows it on the account page once;
``/accounts/tokens/<id>/revoke/`` (POST) stops one. A bad name re-shows the page with the problem named.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import ApiToken
from .own_data import ConfirmDeletionForm

KEY_PREFIX = "sct_"
NAME_MAX = 100


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


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    name = request.POST.get("name", "").strip()
    context: dict[str, object] = {"form": ConfirmDeletionForm(request.user)}
    if not name or len(name) > NAME_MAX:
        context["token_problem"] = f"Name: give the key a name of 1 to {NAME_MAX} characters"
        return render(request, "registration/account.html", context, status=422)
    token, key = issue_token(request.user, name)
    context.update(new_token=token, new_key=key)
    return render(request, "registration/account.html", context, status=201)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked__isnull=True)
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    return redirect("account")
