"""Whole rendered pages kept in Django's ``pages`` cache, keyed by everything they show.

A page's key names the data it was rendered from (record ids with the time each last changed, the
content version, the language, who is signed in, ...). A change to any of it gives a new key, so a page
is never served after its data changed: it is simply no longer asked for, and the cache drops the least
recently used pages once full (see ``CACHES`` in the settings). Nothing ever has to be told to forget,
and each worker process may keep its own pages without disagreeing with the others.

The only part of a kept page that differs per request is the CSRF token of its forms: a page is kept
with :data:`CSRF_PLACEHOLDER` in its place, and the request's own token is put in on the way out. The
placeholder is made anew by each process, so the ``pages`` alias must be a cache of its own process
(Django's local-memory cache), never one shared between processes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Hashable

from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token

# The alias in settings.CACHES.
PAGES = "pages"
# Stands in for the CSRF token in a kept page; the request's own token replaces it on the way out.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"


def page_key(parts: tuple[Hashable, ...]) -> str:
    """The cache key of a page rendered from ``parts`` (ids, uuids, times, names: values whose ``repr``
    says all they are), short and made of the characters every cache backend accepts."""
    return "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def kept_page(
    request: HttpRequest, parts: tuple[Hashable, ...], render: Callable[[str], str], alias: str = PAGES
) -> str:
    """The page rendered from ``parts``, with this request's CSRF token in its forms.

    ``render(csrf_token)`` renders the page with the given token; it is called only when no page is
    kept under ``parts`` yet. Two requests missing the same page at once may both render it; both get
    the same text.
    """
    cache = caches[alias]
    key = page_key(parts)
    page = cache.get(key)
    if page is None:
        page = render(CSRF_PLACEHOLDER)
        cache.set(key, page)
    return str(page).replace(CSRF_PLACEHOLDER, get_token(request))
