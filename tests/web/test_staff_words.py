"""The staff's pages in the staff's words and numbers (issue 22, part 5).

- The clinician's page of a patient addresses the clinician, and states leg pain from one source, named:
  leg pain now as the signals read it (the diary's average of the last 7 days, or else a check of that
  week). The table of checks says it is the checks.
- The dashboard counts the days since the last session.
- Staff get a staff menu (Patients, the registry for those who may see it), patients theirs.
- Saving a program change says so, once, in a status message; a kept page never keeps a message.

Personas as in ``web.test_clinic``: alice is Riverside's patient, cleo its clinician, ada its clinic
admin.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.messages import SUCCESS
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.utils.html import escape

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.models import SessionLog
from sciatrack.domain.outcomes import GETTING_WORSE, SignalKind
from sciatrack.progress.history import progress_of
from second_factor import confirm_second_factor
from web.test_clinic import PASSWORD, clinician, patient, program_form
from web.test_progress import NOON, TODAY, check, diary

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


@pytest.fixture
def alice(riverside: Clinic) -> Patient:
    return patient("alice", riverside)


@pytest.fixture
def cleo(riverside: Clinic) -> Client:
    return clinician("cleo", riverside)


def as_browser(signed_in: Client) -> Client:
    """A client that checks CSRF as a browser's request is checked, in ``signed_in``'s session."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = signed_in.cookies
    return browser


def csrf_token(page: str) -> str:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]


def main_menu(page: str) -> list[str]:
    """The links of the main menu, as (path, text) read from the page."""
    (nav,) = re.findall(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', page, re.DOTALL)
    return [f"{path} {text}" for path, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)]


def status_messages(page: str) -> list[str]:
    found = re.findall(r'<div class="wrap messages" role="status">(.*?)</div>', page, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


# --- The patient's page speaks to the clinician, with one source for leg pain ----------------------------


@time_machine.travel(NOON, tick=False)
def test_the_patients_page_addresses_the_clinician_and_names_the_source(
    cleo: Client, riverside: Clinic
) -> None:
    wes = Patient.objects.create(
        user=User.objects.create_user("wes", password=PASSWORD), clinic=riverside, display_name="Wes"
    )
    check(wes, TODAY - timedelta(days=21), leg=4, back=3, sbi=None)  # the first check: 4 on 4 June
    check(wes, TODAY - timedelta(days=14), leg=5, back=3, sbi=None)  # a follow-up check: 5
    diary(wes, range(5), leg=7)  # this week's diary: 7 each day
    (signal,) = progress_of(wes).signals
    assert signal.kind is SignalKind.GETTING_WORSE

    page = cleo.get(f"/clinic/patients/{wes.uuid}/").content.decode()

    # Leg pain now, once, with its source; the same numbers as the signal's.
    assert (
        escape(
            "Leg pain (daily diary, average of 5 ratings in the last 7 days): 4 → 7 since the first check "
            "on 4 Jun."
        )
        in page
    )
    assert (
        escape(
            "Leg pain is clearly worse: 4 → 7 since the first check on 4 Jun (daily diary, average of 5 "
            "ratings in the last 7 days). The patient was told to book an appointment in the next few days."
        )
        in page
    )
    # Not the words written to the person, nor their summary line.
    assert escape(GETTING_WORSE) not in page
    assert escape(progress_of(wes).leg_pain_summary) not in page
    assert "Your leg pain" not in page
    # The checks' own table says it is the checks, with each check's day.
    assert "Measures at the checks" in page
    first_check = '<th scope="col">First check <span class="field__hint">(4&nbsp;Jun)</span></th>'
    assert first_check + '<th scope="col">Latest check</th>' in page
    assert '<td>4</td><td>5 <span class="field__hint">(11&nbsp;Jun)</span></td>' in page


@time_machine.travel(NOON, tick=False)
def test_without_a_recent_rating_it_says_leg_pain_now_is_not_known(cleo: Client, riverside: Clinic) -> None:
    nora = Patient.objects.create(
        user=User.objects.create_user("nora", password=PASSWORD), clinic=riverside, display_name="Nora"
    )
    check(nora, TODAY - timedelta(days=30), leg=6, back=3, sbi=None)
    diary(nora, range(20, 25), leg=5)  # three weeks ago, not this week
    page = cleo.get(f"/clinic/patients/{nora.uuid}/").content.decode()
    assert (
        "Leg pain at the first check on 26 May: 6. Leg pain now: not known (too few diary ratings in the "
        "last week, and no check in that time)." in page
    )


# --- The dashboard counts the days since the last session --------------------------------------------------


def session_at(patient: Patient, started: datetime) -> None:
    SessionLog.objects.create(
        patient=patient,
        program=patient.programs.get(),
        idempotency_key=uuid.uuid4(),
        started_at=started,
        finished_at=started + timedelta(minutes=20),
        pain_before=4,
        exercises=[{"id": "lift-off", "status": "done"}],
    )


def dashboard_reasons(client: Client, patient: Patient) -> tuple[str, ...]:
    response = client.get("/clinic/")
    assert response.status_code == 200
    (row,) = [row for row in response.context["rows"] if row.patient.pk == patient.pk]
    return tuple(reason for reason in row.reasons if reason.startswith("No session"))


UTC = ZoneInfo("UTC")
NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last_session", "expected"),
    [
        (datetime(2026, 10, 1, 9, 0, tzinfo=UTC), ("No session for 64 days",)),
        (datetime(2026, 11, 26, 8, 0, tzinfo=UTC), ("No session for 8 days",)),
        # Seven days and a few hours ago, late in the evening: the eighth calendar day before today.
        (datetime(2026, 11, 26, 23, 30, tzinfo=UTC), ("No session for 8 days",)),
        (datetime(2026, 11, 27, 15, 0, tzinfo=UTC), ("No session for 7 days",)),
        (datetime(2026, 11, 28, 9, 0, tzinfo=UTC), ()),  # six days ago: not a reason yet
        (None, ("No session yet",)),
    ],
)
def test_the_dashboard_counts_the_days_since_the_last_session(
    cleo: Client, alice: Patient, last_session: datetime | None, expected: tuple[str, ...]
) -> None:
    if last_session is not None:
        session_at(alice, last_session - timedelta(days=30))  # an older one does not count
        session_at(alice, last_session)
    with time_machine.travel(NOW, tick=False):
        assert dashboard_reasons(cleo, alice) == expected


# --- Menus --------------------------------------------------------------------------------------------------


def test_staff_get_the_staff_menu_and_patients_their_own(riverside: Clinic, alice: Patient) -> None:
    cleo = clinician("cleo", riverside)
    ada = clinician("ada", riverside, Clinician.Role.CLINIC_ADMIN)
    root = Client()
    root_user = User.objects.create_superuser("root", password=PASSWORD)
    root.force_login(root_user)
    confirm_second_factor(root, root_user)
    assert alice.user is not None
    pat = Client()
    pat.force_login(alice.user)

    for path in ("/", "/clinic/", "/exercises/"):
        assert main_menu(cleo.get(path).content.decode()) == ["/clinic/ Patients"]
    assert main_menu(ada.get("/").content.decode()) == ["/clinic/ Patients", "/clinic/registry/ Registry"]
    assert main_menu(root.get("/").content.decode()) == ["/clinic/ Patients", "/clinic/registry/ Registry"]
    patient_menu = main_menu(pat.get("/").content.decode())
    assert "/check/ Check" in patient_menu and "/clinic/ Patients" not in patient_menu
    assert main_menu(Client().get("/").content.decode())[:2] == ["/ Home", "/check/ Check"]

    dashboard = cleo.get("/clinic/").content.decode()
    assert '<a href="/clinic/" aria-current="page">Patients</a>' in dashboard
    record = cleo.get(f"/clinic/patients/{alice.uuid}/").content.decode()
    assert '<a href="/clinic/" aria-current="true">Patients</a>' in record
    # The account link and sign-out stay, under the clinician's own name.
    assert '<span class="visually-hidden">My account: signed in as </span>cleo</a>' in dashboard
    assert '<a class="account__name" href="/accounts/"' in dashboard
    assert '<button type="submit" class="account__link">Sign out</button>' in dashboard


# --- Saving a program change says so ------------------------------------------------------------------------


def test_saving_a_program_change_shows_a_confirmation_once(cleo: Client, alice: Patient) -> None:
    browser = as_browser(cleo)
    page = browser.get(f"/clinic/patients/{alice.uuid}/").content.decode()
    form = program_form(alice)
    form["keep"] = [i for i in form["keep"] if i != "lift-off"]
    form["csrfmiddlewaretoken"] = csrf_token(page)
    response = browser.post(f"/clinic/patients/{alice.uuid}/program/", form, follow=True)
    assert response.redirect_chain == [(f"/clinic/patients/{alice.uuid}/", 302)]
    assert status_messages(response.content.decode()) == [
        "The program is saved: removed Lift off. Alice sees the new program the next time they open it."
    ]
    again = browser.post(f"/clinic/patients/{alice.uuid}/program/", form, follow=True)  # the same again
    assert status_messages(again.content.decode()) == ["The program is saved: no change."]
    assert status_messages(browser.get(f"/clinic/patients/{alice.uuid}/").content.decode()) == []  # once


def test_a_post_without_the_pages_token_is_refused_and_saves_nothing(cleo: Client, alice: Patient) -> None:
    before = alice.programs.get().exercises
    response = as_browser(cleo).post(f"/clinic/patients/{alice.uuid}/program/", program_form(alice))
    assert response.status_code == 403
    assert alice.programs.get().exercises == before


def test_a_refused_program_change_shows_no_confirmation(cleo: Client, alice: Patient) -> None:
    browser = as_browser(cleo)
    form = program_form(alice, **{"reps-mckenzie-extension": "0"})
    form["csrfmiddlewaretoken"] = csrf_token(browser.get(f"/clinic/patients/{alice.uuid}/").content.decode())
    response = browser.post(f"/clinic/patients/{alice.uuid}/program/", form)
    assert response.status_code == 422
    assert status_messages(response.content.decode()) == []
    assert not alice.programs.get().changes.exists()


def test_a_kept_program_page_never_keeps_a_message(alice: Patient) -> None:
    """The program page is rendered once and kept (lib/page_cache): a message waiting when it is first
    drawn must not be kept in it, to show on every later visit; it waits for the next page instead."""
    assert alice.user is not None
    client = Client()
    client.force_login(alice.user)
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(SUCCESS, "A one-off message.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value

    assert status_messages(client.get("/program/").content.decode()) == []
    assert status_messages(client.get("/progress/").content.decode()) == ["A one-off message."]
    assert status_messages(client.get("/program/").content.decode()) == []
