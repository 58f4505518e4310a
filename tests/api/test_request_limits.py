"""Bodies too big, or broken, to any page: a 4xx before anything reads them, never a 500."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from api.as_browser import browser, page_csrf_token
from sciatrack.lib.request_limits import MAX_JSON_BODY_BYTES

pytestmark = pytest.mark.django_db

FORM_PAGES = ("/check/", "/accounts/signup/", "/accounts/login/")
BROKEN_MULTIPART = {
    "no end": (b'--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n--xx', "boundary=xx"),
    "no boundary": (b"garbage", ""),
    "an empty boundary": (b"garbage", "boundary="),
}


def signed_out_browser() -> tuple[Client, str]:
    client = browser()
    return client, page_csrf_token(client)


@pytest.mark.parametrize("path", FORM_PAGES)
def test_a_form_body_over_djangos_limit_is_a_413(path: str) -> None:
    client, token = signed_out_browser()
    body = b"a=" + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.generic(
        "POST", path, body, content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 413
    assert b"body" in response.content


@pytest.mark.parametrize("path", FORM_PAGES)
@pytest.mark.parametrize("broken", BROKEN_MULTIPART)
def test_a_broken_multipart_body_to_a_form_page_is_never_a_500(path: str, broken: str) -> None:
    client, token = signed_out_browser()
    body, boundary = BROKEN_MULTIPART[broken]
    content_type = f"multipart/form-data; {boundary}" if boundary else "multipart/form-data"
    response = client.generic("POST", path, body, content_type=content_type, HTTP_X_CSRFTOKEN=token)
    # Django answers 400 to a body it cannot parse; one with no end it reads as far as it goes, and the
    # page then shows the form again, naming what is missing.
    assert response.status_code < 500, response.status_code


def test_an_api_body_over_the_limit_is_a_413_json_answer_by_its_declared_length() -> None:
    response = browser().generic(
        "POST", "/api/triage", b" " * (MAX_JSON_BODY_BYTES + 1), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["problems"] == [
        {"field": "body", "message": f"must be at most {MAX_JSON_BODY_BYTES // 1024} KiB of JSON"}
    ]


@pytest.mark.parametrize("length", ["-1", "lots", "1e9"])
def test_a_nonsense_content_length_is_no_500(length: str) -> None:
    response = browser().generic(
        "POST", "/api/triage", b"{}", content_type="application/json", CONTENT_LENGTH=length
    )
    assert 400 <= response.status_code < 500
