"""The project's URLs plus ``/bench/bare/<size>``: a bare Django view returning ``size`` bytes.

The bare view reads nothing (no session, no user, no database), so it measures what gunicorn, the
middleware and the URL resolver cost on their own; a benchmark compares a real page with it.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from sciatrack.urls import urlpatterns as project_urlpatterns


def bare(request: HttpRequest, size: int) -> HttpResponse:
    """``size`` bytes of body, for any method (a POST goes through the same CSRF check as the API)."""
    return HttpResponse(b"x" * size, content_type="text/plain")


urlpatterns = [path("bench/bare/<int:size>", bare), *project_urlpatterns]
