"""The reminder pages: a person's choices, the e-mail confirm link, the stop link, and push subscriptions.

``/reminders/`` is the person's own (signed in, a patient record). The confirm and stop links need no
sign-in: their signed token says who they are for. The stop link's page stops e-mail with one press;
a mail program's own one-click button posts to the same address (RFC 8058), so POST takes no CSRF token.
"""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sciatrack.accounts.models import Patient
from sciatrack.api.body import BodyError, read_json

from .forms import EndpointForm, ReminderForm, SubscriptionForm
from .models import PushSubscription, ReminderPreference
from .outbound import site_link
from .tokens import confirm_token, read_confirm_token, read_stop_token
from .vapid import vapid_keys

PAGE = "nudges/choices.html"
LINK_PAGE = "nudges/link.html"


def own_patient(request: HttpRequest) -> Patient:
    patient = Patient.objects.filter(user_id=request.user.pk).first() if request.user.pk else None
    if patient is None:  # staff with no patient record have nothing to be reminded of
        raise Http404("No reminders for this account")
    return patient


def initial_of(choice: ReminderPreference | None, request: HttpRequest) -> dict[str, object]:
    if choice is None:
        return {
            "for_session": True,
            "first_time": time(8, 0),
            "time_zone": "",  # the page fills in the browser's own
            "email": getattr(request.user, "email", ""),
        }
    return {
        "for_session": choice.for_session,
        "for_diary": choice.for_diary,
        "by_email": choice.by_email,
        "by_push": choice.by_push,
        "email": choice.email,
        "first_time": choice.first_time,
        "second_time": choice.second_time,
        "time_zone": choice.time_zone,
        "quiet_days": list(choice.quiet_days),
    }


def send_confirm_link(patient: Patient, email: str) -> None:
    link = site_link(reverse("reminder-confirm", args=[confirm_token(patient.pk, email)]))
    send_mail(
        "Sciatrack: is this your e-mail?",
        "Hello,\n\nYou asked Sciatrack for reminders by e-mail.\n"
        f"Open this link in the next 3 days to say yes: {link}\n\n"
        "Did not ask? Then do nothing. You will get no reminders.\n",
        None,
        [email],
    )


@login_required
@require_http_methods(["GET", "POST"])
def choices_page(request: HttpRequest) -> HttpResponse:
    patient = own_patient(request)
    choice = ReminderPreference.objects.filter(patient=patient).first()
    form = ReminderForm(request.POST or None, initial=initial_of(choice, request))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, PAGE, page_context(form, choice, patient), status=422)
        data = form.cleaned_data
        fields = {name: data[name] for name in ReminderForm.base_fields}
        choice, _ = ReminderPreference.objects.update_or_create(patient=patient, defaults=fields)
        if choice.by_email and not choice.email_confirmed:
            send_confirm_link(patient, choice.email)
            messages.success(
                request, f"Saved. We sent a link to {choice.email}. Open it to start e-mail reminders."
            )
        else:
            messages.success(request, "Saved. Your reminders are set.")
        return redirect("reminder-choices")
    return render(request, PAGE, page_context(form, choice, patient))


def page_context(
    form: ReminderForm, choice: ReminderPreference | None, patient: Patient
) -> dict[str, object]:
    keys = vapid_keys()
    return {
        "form": form,
        "choice": choice,
        "push_key": keys.public_key if keys is not None else "",
        "devices": PushSubscription.objects.filter(patient=patient).count(),
    }


@require_http_methods(["GET"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    found = read_confirm_token(token)
    if found is None or not ReminderPreference.objects.confirm_email(*found):
        return render(request, LINK_PAGE, {"heading": "This link does not work", "bad": True}, status=400)
    return render(request, LINK_PAGE, {"heading": "Thank you: your e-mail is confirmed", "confirmed": True})


@csrf_exempt  # the signed token is the key; mail programs post here with no page first (RFC 8058)
@require_http_methods(["GET", "POST"])
def stop_email(request: HttpRequest, token: str) -> HttpResponse:
    patient_id = read_stop_token(token)
    if patient_id is None:
        return render(request, LINK_PAGE, {"heading": "This link does not work", "bad": True}, status=400)
    if request.method == "POST":
        ReminderPreference.objects.stop_email(patient_id)
        return render(request, LINK_PAGE, {"heading": "No more e-mail reminders", "stopped": True})
    return render(request, LINK_PAGE, {"heading": "Stop e-mail reminders?", "ask": True})


def _json_body(request: HttpRequest) -> dict[str, object] | None:
    """The body as a JSON object, read by the API's one reader (size and depth limits); None if not."""
    try:
        body = read_json(request)
    except BodyError:
        return None
    return body if isinstance(body, dict) else None


def _problems(form: SubscriptionForm | EndpointForm) -> JsonResponse:
    return JsonResponse({"errors": {name: list(errors) for name, errors in form.errors.items()}}, status=422)


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """Keep this browser's subscription, as ``PushSubscription.toJSON()`` gives it:
    ``{"endpoint": "https://...", "keys": {"p256dh": ..., "auth": ...}}``."""
    patient = own_patient(request)
    body = _json_body(request)
    if body is None:
        return JsonResponse({"errors": {"body": ["Send a JSON object."]}}, status=400)
    keys = body.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    form = SubscriptionForm(
        {"endpoint": body.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    )
    if not form.is_valid():
        return _problems(form)
    data = form.cleaned_data
    created = PushSubscription.objects.store(patient, data["endpoint"], data["p256dh"], data["auth"])
    return JsonResponse({"stored": True}, status=201 if created else 200)


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """Forget this browser's subscription: ``{"endpoint": "https://..."}``."""
    patient = own_patient(request)
    body = _json_body(request)
    if body is None:
        return JsonResponse({"errors": {"body": ["Send a JSON object."]}}, status=400)
    form = EndpointForm({"endpoint": body.get("endpoint")})
    if not form.is_valid():
        return _problems(form)
    removed = PushSubscription.objects.remove(patient, form.cleaned_data["endpoint"])
    return JsonResponse({"removed": removed})
