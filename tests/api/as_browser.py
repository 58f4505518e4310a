"""Calling the JSON API as the browser's own pages do: CSRF checks on, the page's token in ``X-CSRFToken``.

Django's test client turns CSRF checks off unless asked, which once let a broken check pass unseen, so
every test that stands in for a browser uses :func:`browser` and sends the token a page gave it, as
``static/js/session.js`` does.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

# A page every visitor can open that carries a form, and so a CSRF token: signed in, the sign-out form
# of every page; signed out, the sign-in form.
TOKEN_PAGES = ("/", "/accounts/login/")


def browser(user: User | None = None) -> Client:
    """A client that checks CSRF as a real browser request is checked, signed in as ``user`` if given."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def page_csrf_token(client: Client) -> str:
    """The CSRF token a page hands its forms (and sets the csrftoken cookie beside it)."""
    for path in TOKEN_PAGES:
        page = client.get(path).content.decode()
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found:
            return found[0]
    raise AssertionError(f"none of {TOKEN_PAGES} has a form with a CSRF token")


def post_json(client: Client, path: str, body: object, *, csrf: bool = True, **headers: Any) -> Any:
    """POST ``body`` as JSON, with the page's CSRF token as session.js sends it unless ``csrf`` is False."""
    if csrf:
        headers.setdefault("HTTP_X_CSRFTOKEN", page_csrf_token(client))
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)
