"""Site-wide pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sciatrack.check.checking import patient_of
from sciatrack.progress import today


def home(request: HttpRequest) -> HttpResponse:
    """The today screen for a signed-in patient (:mod:`sciatrack.progress.today`); the home page for
    visitors and for staff."""
    patient = patient_of(request)
    if patient is None:
        return render(request, "home.html")
    return render(request, "care/today.html", today.page_context(request, patient))
