"""Signing in through the real form, as a person does, for the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page

# The password of the people the browser tests make (Alice in browser/conftest.py and others).
PASSWORD = "a long test password"


def sign_in(page: Page, base_url: str, username: str, password: str, next_url: str = "/") -> None:
    """Open the sign-in page, fill it in, submit, and wait for the page it leads to (``next_url``)."""
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
