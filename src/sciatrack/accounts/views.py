from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .backends import PASSWORD_BACKEND
from .forms import SignUpForm

# Set in the session by a sign-up: the today page (sciatrack.progress.today) then saves the finished check
# the visitor did before signing up, once, and greets the new person. (The check's saving lives in
# sciatrack.check, which this room may not import.)
JUST_SIGNED_UP = "sciatrack_just_signed_up"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create a personal account (a user and their Patient record), sign the person in and send them to
    their today page, which saves the check they finished before signing up (see ``JUST_SIGNED_UP``)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.create_account()
        if user is not None:
            login(request, user, backend=PASSWORD_BACKEND)  # keeps the session's check
            request.session[JUST_SIGNED_UP] = True
            return redirect("home")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)
