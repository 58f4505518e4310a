"""``{% load api_keys %}``: whether the account page offers keys, and how long a key's name may be.

The account page is drawn by several views (the page itself, a new key, a refused deletion); the rule
lives once in :func:`sciatrack.accounts.tokens.keys_wait_for_second_factor`, and this filter asks it.
"""

from __future__ import annotations

from typing import Any

from django import template

from sciatrack.accounts import tokens
from sciatrack.accounts.models import API_TOKEN_NAME_MAX

register = template.Library()


@register.filter
def keys_wait_for_second_factor(user: Any) -> bool:
    return tokens.keys_wait_for_second_factor(user)


@register.simple_tag
def key_name_max() -> int:
    """The longest key name, for the form field's ``maxlength`` (the model holds the figure)."""
    return API_TOKEN_NAME_MAX
