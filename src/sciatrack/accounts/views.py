from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .backends import PASSWORD_BACKEND
from .forms import SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create a personal account (a user and their Patient record) and sign the person in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.create_account()
        if user is not None:
            login(request, user, backend=PASSWORD_BACKEND)
            return redirect("home")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)
