"""``{% load offline_key %}``: the key that keeps one person's pages apart from another's offline.

``base.html`` puts it in a ``<meta name="sciatrack-offline">`` for a signed-in patient only. The service
worker (``templates/sw.js``) keeps a page for offline use only when the page carries it, under a cache
named with it, and drops every other person's kept pages when it sees a new one: on a shared device the
next person never gets the last one's pages. It is a keyed hash of the user's id, so it tells nothing about
the person, and the same for each of their pages (the program page keeps its text per user: see base.html).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.crypto import salted_hmac

from sciatrack.accounts.models import Patient

register = template.Library()

SALT = "sciatrack.offline-page-cache"


@register.filter
def offline_key(user: Any) -> str:
    """A short hex key for a signed-in patient; "" for visitors and for staff without a patient record."""
    if Patient.objects.of_user(user) is None:
        return ""
    return salted_hmac(SALT, str(user.pk), algorithm="sha256").hexdigest()[:20]
