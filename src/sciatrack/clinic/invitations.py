"""Invitations: clinic staff invite patients, clinic admins also invite clinicians, by single-use link.

``/clinic/invite/`` makes an invitation and shows its link once (and e-mails it when an address is
given). ``/invite/<key>/`` lets the invited person choose a username and password; the account is made
at the inviting clinic, and a patient is put in the care of the clinician who invited them. A link that
was used, has expired (after ``VALID_FOR``) or never existed answers 410 and changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sciatrack.accounts.backends import PASSWORD_BACKEND
from sciatrack.accounts.forms import NewLoginForm
from sciatrack.accounts.models import Clinician, Patient
from sciatrack.accounts.tokens import hash_key

from . import access
from .models import Invitation
from .views import forbidden

VALID_FOR = timedelta(days=7)


class InviteForm(forms.Form):
    kind = forms.ChoiceField(choices=Invitation.Kind.choices, initial=Invitation.Kind.PATIENT)
    display_name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="E-mail (optional: the link is sent there too)", required=False)

    def __init__(self, *args: Any, may_invite_staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.may_invite_staff = may_invite_staff

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        if kind != Invitation.Kind.PATIENT and not self.may_invite_staff:
            raise forms.ValidationError("only a clinic administrator can invite clinicians; invite a patient")
        return kind


@login_required
def invite_page(request: HttpRequest) -> HttpResponse:
    clinician = access.clinician_of(request.user)
    if clinician is None:
        return forbidden(request)
    may_invite_staff = clinician.role == Clinician.Role.CLINIC_ADMIN
    form = InviteForm(request.POST or None, may_invite_staff=may_invite_staff)
    context: dict[str, Any] = {"form": form, "may_invite_staff": may_invite_staff}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "clinic/invite.html", context, status=422)
        key = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            clinic=clinician.clinic,
            invited_by=clinician.user,
            kind=form.cleaned_data["kind"],
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            key_hash=hash_key(key),
            expires=timezone.now() + VALID_FOR,
        )
        link = request.build_absolute_uri(reverse("accept-invitation", args=[key]))
        if invitation.email:
            send_mail(
                f"Your invitation to {clinician.clinic.name} on Sciatrack",
                f"{clinician.clinic.name} invites you to Sciatrack. Open this link within a week to make "
                f"your account (it works once):\n{link}\n",
                None,
                [invitation.email],
            )
        context.update(invitation=invitation, link=link, form=InviteForm(may_invite_staff=may_invite_staff))
        return render(request, "clinic/invite.html", context, status=201)
    return render(request, "clinic/invite.html", context)


def live_invitation(key: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("clinic", "invited_by")
        .filter(key_hash=hash_key(key), accepted__isnull=True, expires__gt=timezone.now())
        .first()
    )


def accept_invitation(request: HttpRequest, key: str) -> HttpResponse:
    invitation = live_invitation(key)
    if invitation is None:
        return render(request, "clinic/invitation_gone.html", status=410)
    form = NewLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Claim the invitation first, so two people cannot both use one link.
            claimed = Invitation.objects.filter(pk=invitation.pk, accepted__isnull=True).update(
                accepted=timezone.now()
            )
            if not claimed:
                return render(request, "clinic/invitation_gone.html", status=410)
            user: User = form.save(commit=False)
            user.email = invitation.email
            user.save()
            make_member(invitation, user)
        login(request, user, backend=PASSWORD_BACKEND)
        return render(request, "clinic/invitation_accepted.html", {"invitation": invitation})
    status = 422 if form.errors else 200
    return render(request, "clinic/accept.html", {"form": form, "invitation": invitation}, status=status)


def make_member(invitation: Invitation, user: User) -> None:
    """Make ``user`` the patient or clinician ``invitation`` was for, at its clinic."""
    if invitation.kind == Invitation.Kind.PATIENT:
        patient = Patient.objects.create(
            user=user, clinic=invitation.clinic, display_name=invitation.display_name
        )
        inviter = Clinician.objects.filter(user=invitation.invited_by, clinic=invitation.clinic).first()
        if inviter is not None:
            patient.clinicians.add(inviter)
        return
    role = (
        Clinician.Role.CLINIC_ADMIN
        if invitation.kind == Invitation.Kind.CLINIC_ADMIN
        else Clinician.Role.CLINICIAN
    )
    Clinician.objects.create(user=user, clinic=invitation.clinic, role=role)
