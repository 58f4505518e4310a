"""Hostile and clumsy input to every web form and query the pages read (issue 19), as a browser sends it.

Each client enforces CSRF and posts the token its page gave it; a server error comes back as a 500
response instead of an exception, so a test sees what a person would. The rule each test holds to: a
bad value is a 4xx (400, or 422 where the page re-shows its form) that names the field, and nothing is
stored. Numbers are ASCII digits only: "²" and "①" pass ``str.isdigit`` but not ``int``, and "\u0663\u0660" is
30 to ``int``. NUL cannot be stored in PostgreSQL text. A lone surrogate cannot come through HTTP (the
request parser decodes with replacement), so each declared form is given one directly.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth.models import User
from django.http import HttpResponse, QueryDict
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.models import DiaryEntry, Intake
from sciatrack.check import steps
from sciatrack.clinic.models import ClinicianNote
from second_factor import current_code
from web.test_check import ALL_CLEAR, form_for, next_slug, session_state, url
from web.test_clinic import patient, program_form
from web.test_stops_and_clearance import MONDAY_EVENING, token_of

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
# Each passes str.isdigit() or int() but is not a number written in the digits 0-9.
NOT_ASCII_NUMBERS = ["²", "①", "\u0663", "\u0663\u0660", "3\x00", "\x00"]
LAST_STEP = steps.STEPS[-1].slug


def browser() -> Client:
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def post_page(client: Client, path: str, data: dict[str, Any], page: str | None = None) -> HttpResponse:
    """Open the page (``page``, else ``path``), then post ``data`` with the CSRF token it gave."""
    shown = client.get(page or path)
    assert shown.status_code == 200, (page or path, shown.status_code)
    return client.post(path, {**data, "csrfmiddlewaretoken": token_of(shown.content.decode())})


def post_bytes(client: Client, path: str, body: bytes) -> HttpResponse:
    """Post a urlencoded body as given (invalid UTF-8 included), with the page's CSRF token first."""
    token = token_of(client.get(path).content.decode())
    return client.post(
        path,
        f"csrfmiddlewaretoken={token}&".encode() + body,
        content_type="application/x-www-form-urlencoded",
    )


def text_of(response: HttpResponse) -> str:
    return html.unescape(response.content.decode())


def refused(response: HttpResponse, *named: str, status: tuple[int, ...] = (400, 422)) -> str:
    body = text_of(response)
    assert response.status_code in status, (response.status_code, body[:1500])
    for name in named:
        assert name.lower() in body.lower(), (name, body[:3000])
    return body


def refused_link(response: HttpResponse, name: str) -> None:
    """A link whose query value ``name`` is refused: a 400 page that names it."""
    assert response.status_code == 400, (response.status_code, text_of(response)[:1500])
    assert f"<strong>{name}</strong>" in response.content.decode()


def signed_in_patient(name: str = "pat", clinic: Clinic | None = None) -> tuple[Patient, Client]:
    user = User.objects.create_user(name, password=PASSWORD)
    record = Patient.objects.create(user=user, display_name=name.title(), clinic=clinic)
    client = browser()
    client.force_login(user)
    return record, client


def staff(name: str, clinic: Clinic, role: str = Clinician.Role.CLINICIAN) -> Client:
    """A clinician (or clinic admin) signed in with a confirmed second factor, posting as a browser."""
    user = User.objects.create_user(name, password=PASSWORD)
    Clinician.objects.create(user=user, clinic=clinic, role=role)
    client = browser()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    response = post_page(
        client,
        "/accounts/two-factor/",
        {"token": current_code(device), "next": "/clinic/"},
        page="/accounts/two-factor/?next=/clinic/",
    )
    assert response.status_code == 302
    return client


def walk_as_browser(client: Client, until: str) -> None:
    """Answer the all-clear check screen by screen as the server leads, stopping before ``until``."""
    slug: str | None = steps.STEPS[0].slug
    while slug is not None and slug != until:
        response = post_page(client, url(slug), form_for(steps.BY_SLUG[slug], ALL_CLEAR))
        assert response.status_code == 302, (slug, text_of(response)[:1500])
        slug = next_slug(response["Location"])


# --- The safety check -------------------------------------------------------------------------------------

GOOD = {
    slug: form_for(steps.BY_SLUG[slug], ALL_CLEAR)
    for slug in ("about-you", "pain-now", "bothersome", "daily-life")
}
GOOD[LAST_STEP] = {"activity_1": "Walking the dog", "activity_1_score": "4"}
NUMBER_FIELDS = [
    ("about-you", "age", "Your age"),
    ("about-you", "onset_amount", "How long this has lasted"),
    ("pain-now", "leg_now", "pain in your leg"),
    ("pain-now", "back_now", "pain in your back"),
    ("bothersome", next(iter(GOOD["bothersome"])), "choose a number from 0 to 6"),
    ("daily-life", next(iter(GOOD["daily-life"])), "choose a number from 0 to 10"),
    ("activities", "activity_1_score", "Walking the dog"),
]


@pytest.fixture
def at_last_step() -> tuple[Patient, Client]:
    """A signed-in patient who has answered every screen but the last: the next good post stores a check."""
    record, client = signed_in_patient()
    walk_as_browser(client, until=LAST_STEP)
    return record, client


@pytest.mark.parametrize(("slug", "field", "named"), NUMBER_FIELDS)
def test_the_check_refuses_numbers_not_written_in_the_digits_0_to_9(
    at_last_step: tuple[Patient, Client], slug: str, field: str, named: str
) -> None:
    record, client = at_last_step
    before = session_state(client)
    for value in NOT_ASCII_NUMBERS:
        response = post_page(client, url(slug), {**GOOD[slug], field: value})
        assert "Nothing was changed" in refused(response, named, status=(400,)), value
        assert session_state(client) == before
    assert not Intake.objects.filter(patient=record).exists()


def test_a_refused_answer_is_shown_again_as_it_was_given(at_last_step: tuple[Patient, Client]) -> None:
    _, client = at_last_step
    about = post_page(client, url("about-you"), {"age": "²", "onset_amount": "1,5", "onset_unit": "days"})
    page = refused(about, "Your age", status=(400,))
    assert 'value="²"' in page and 'value="1,5"' in page and 'id="unit-days" value="days" checked' in page
    where = post_page(client, url("where"), {"regions": ["groin", "elbow"]})
    page = where.content.decode()
    assert (
        where.status_code == 400 and 'value="groin" checked' in page and 'value="buttock" checked' not in page
    )


def test_the_check_refuses_invalid_utf8_in_a_number(at_last_step: tuple[Patient, Client]) -> None:
    _, client = at_last_step
    before = session_state(client)
    response = post_bytes(client, url("pain-now"), b"leg_now=%ED%BF%BF&back_now=\xff")
    refused(response, "pain in your leg", "pain in your back", status=(400,))
    assert session_state(client) == before


@pytest.mark.parametrize(
    ("slug", "form", "named"),
    [
        ("activities", {"activity_1": "Walking\x00the dog", "activity_1_score": "4"}, "Activity 1"),
        ("activities", {"activity_2": "\x00", "activity_2_score": "4"}, "Activity 2"),
        ("side", {"side": "left\x00"}, "Which leg is affected?"),
        ("saddle-numbness", {"answer": "no\x00"}, "back passage"),
        ("where", {"regions": ["buttock\x00"]}, "Where do you feel it?"),
    ],
)
def test_the_check_refuses_nul_in_any_answer_and_stores_nothing(
    at_last_step: tuple[Patient, Client], slug: str, form: dict[str, Any], named: str
) -> None:
    record, client = at_last_step
    before = session_state(client)
    refused(post_page(client, url(slug), form), named, status=(400,))
    assert session_state(client) == before
    assert not Intake.objects.filter(patient=record).exists()
    # The same screen with a good answer still finishes the check, once.
    assert post_page(client, url(LAST_STEP), GOOD[LAST_STEP]).status_code == 302
    assert Intake.objects.filter(patient=record).count() == 1


def test_the_check_caps_the_regions_a_form_may_list(at_last_step: tuple[Patient, Client]) -> None:
    _, client = at_last_step
    before = session_state(client)
    repeated = post_page(client, url("where"), {"regions": ["buttock"] * 900})
    refused(repeated, "Where do you feel it?", status=(400,))
    flood = post_bytes(client, url("where"), b"&".join([b"regions=buttock"] * 100_000))
    assert flood.status_code == 400  # Django's own limit on the number of fields, before any view
    assert session_state(client) == before


@pytest.mark.parametrize("step", [step for step in steps.STEPS if not isinstance(step, steps.YesNoStep)])
def test_every_check_form_refuses_a_lone_surrogate(step: steps.Step) -> None:
    good = GOOD.get(step.slug) or form_for(step, ALL_CLEAR)
    for field in good:
        data = QueryDict(mutable=True)
        for key, value in good.items():
            data.setlist(key, value if isinstance(value, list) else [value])
        data.setlist(field, ["\udfff"])
        answer, problems = step.clean(data)
        assert field in {problem.field for problem in problems} and not answer, (step.slug, field)


@pytest.mark.parametrize(
    "query", ["next=%00", "next=nowhere", "next=%ED%BF%BF", "next=saddle-numbness&next=x"]
)
def test_the_emergency_advice_refuses_a_next_that_is_no_question(query: str) -> None:
    client = browser()
    assert post_page(client, url("saddle-numbness"), {"answer": "yes"}).status_code == 302
    refused_link(client.get(f"/check/act-now/?{query}"), "next")
    assert client.get("/check/act-now/?next=bladder-change").status_code == 200


# --- The diary --------------------------------------------------------------------------------------------

DIARY = {"danger_signs": "none", "leg_pain": "6", "back_pain": "3", "reach": "thigh", "sleep": "woke_once"}


@time_machine.travel(MONDAY_EVENING, tick=False)
@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"note": "Walked\x00"}, "Note"),
        ({"leg_pain": "²"}, "Leg pain"),
        ({"back_pain": "\u0663"}, "Back pain"),
    ],
)
def test_the_diary_refuses_nul_and_odd_digits(change: dict[str, str], named: str) -> None:
    record, client = signed_in_patient()
    refused(post_page(client, "/diary/", {**DIARY, **change}), named, status=(422,))
    assert not DiaryEntry.objects.filter(patient=record).exists()


def test_the_diary_refuses_a_lone_surrogate_in_the_note() -> None:
    from sciatrack.care.forms import DiaryForm

    form = DiaryForm({**DIARY, "note": "ok \udfff"})
    assert not form.is_valid() and list(form.errors) == ["note"]


def test_the_diary_refuses_an_unknown_flag_in_its_query() -> None:
    _, client = signed_in_patient()
    refused_link(client.get("/diary/?saved=%00"), "saved")
    refused_link(client.get("/diary/?no_danger=yes"), "no_danger")
    assert client.get("/diary/?saved=1").status_code == 200


# --- The reminders calendar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("days=\u0663\u0660", "Days"),
        ("days=²", "Days"),
        ("days=1e3", "Days"),
        ("first=\u0660\u0667:\u0660\u0660", "First reminder"),
        ("first=5:0\u0660", "First reminder"),
        ("second=%00", "Second reminder"),
        ("first=07:00&first=%ED%BF%BF", "First reminder"),
        ("second=07:00:00.5", "Second reminder"),
        ("days=" + "9" * 5000, "Days"),
    ],
)
def test_the_reminders_refuse_odd_digits_naming_the_field(query: str, named: str) -> None:
    clinic = Clinic.objects.create(name="Riverside", slug="riverside")
    record = patient("alice", clinic)
    client = browser()
    assert record.user is not None
    client.force_login(record.user)
    refused_link(client.get(f"/program/reminders.ics?{query}"), f"{named}:")
    assert client.get("/program/reminders.ics?days=30").status_code == 200


# --- The clinic -------------------------------------------------------------------------------------------


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


@pytest.fixture
def alice(riverside: Clinic) -> Patient:
    return patient("alice", riverside)


@pytest.fixture
def cleo(riverside: Clinic) -> Client:
    return staff("cleo", riverside)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("q=%00", "q"),
        ("q=" + "a" * 101, "q"),
        ("page=²", "page"),
        ("page=\u0663", "page"),
        ("page=last", "page"),
        ("page=" + "9" * 5000, "page"),
        ("attention=yes", "attention"),
        ("attention=%00", "attention"),
    ],
)
def test_the_dashboard_refuses_odd_query_values_naming_them(cleo: Client, query: str, named: str) -> None:
    refused_link(cleo.get(f"/clinic/?{query}"), named)


def test_the_dashboard_still_reads_its_own_links(cleo: Client, alice: Patient) -> None:
    for query in ("", "q=ali", "q=&attention=1&page=1", "page=99", "q=Al%C3%AFce"):
        assert cleo.get(f"/clinic/?{query}").status_code == 200, query
    assert "Alice" in cleo.get("/clinic/?q=ali").content.decode()


def test_the_audit_log_refuses_an_odd_page(riverside: Clinic) -> None:
    ada = staff("ada", riverside, Clinician.Role.CLINIC_ADMIN)
    refused_link(ada.get("/clinic/audit/?page=①"), "page")
    assert ada.get("/clinic/audit/?page=1").status_code == 200


@pytest.mark.parametrize("note", ["Seen today\x00", "\x00", " \x00 "])
def test_a_clinician_note_with_nul_is_refused_and_not_stored(cleo: Client, alice: Patient, note: str) -> None:
    path = f"/clinic/patients/{alice.uuid}/"
    refused(post_page(cleo, path, {"note": note}), "Note", status=(422,))
    assert not ClinicianNote.objects.exists()


def test_clinic_forms_refuse_a_lone_surrogate(alice: Patient) -> None:
    from sciatrack.clinic.forms import ClinicianClearanceForm, DashboardQuery, NoteForm

    assert list(NoteForm({"note": "fine \udfff"}).errors) == ["note"]
    assert list(DashboardQuery({"q": "\udfff"}).errors) == ["q"]
    intake = alice.intakes.get()
    clearance = ClinicianClearanceForm(
        {"seen_on": "2026-05-04", "note": "\udfff"}, check_day=intake.created.date()
    )
    assert "note" in clearance.errors


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("²", "reps"),
        ("①", "reps"),
        ("\u0663\u0660", "reps"),
        ("5\x00", "reps"),
        ("", "reps"),
        ("9" * 5000, "reps"),
    ],
)
def test_a_program_change_refuses_odd_digits_and_changes_nothing(
    cleo: Client, alice: Patient, value: str, named: str
) -> None:
    before = alice.programs.get().exercises
    path = f"/clinic/patients/{alice.uuid}/program/"
    form = program_form(alice, **{"reps-mckenzie-extension": value})
    response = post_page(cleo, path, form, page=f"/clinic/patients/{alice.uuid}/")
    refused(response, "McKenzie press-up on the elbows", named, status=(422,))
    assert alice.programs.get().exercises == before
    assert not alice.programs.get().changes.exists()


def test_a_program_change_refuses_keeping_what_is_not_in_the_program(cleo: Client, alice: Patient) -> None:
    before = alice.programs.get().exercises
    page = f"/clinic/patients/{alice.uuid}/"
    path = f"{page}program/"
    form = program_form(alice)
    for keep in (form["keep"] + ["cartwheel"], form["keep"] + ["lift-off\x00"], form["keep"] * 50):
        refused(post_page(cleo, path, {**form, "keep": keep}, page=page), "keep", status=(422,))
    assert alice.programs.get().exercises == before


# --- The registry -----------------------------------------------------------------------------------------

REGISTRY_PAGES = ["/clinic/registry/", "/clinic/registry/compare/"]


ARABIC_DATE = quote("\u0662\u0660\u0662\u0665-\u0660\u0661-\u0663\u0661")  # 2025-01-31


@pytest.mark.parametrize("field", ["clinic", "from", "tier", "exercise", "b-clinic", "b-to"])
@pytest.mark.parametrize("value", ["%00", ARABIC_DATE, "%ED%BF%BF"])
def test_the_registry_refuses_odd_filters_naming_them(riverside: Clinic, field: str, value: str) -> None:
    ada = staff("ada", riverside, Clinician.Role.CLINIC_ADMIN)
    query = f"{field}={value}"
    page = ada.get(f"/clinic/registry/compare/?{query}")
    assert page.status_code == 400 and f"<strong>{field}</strong>" in page.content.decode()
    text = ada.get(f"/clinic/registry/export.csv?{query}")
    assert text.status_code == 400 and text.content.decode().startswith(f"{field}: ")
    data = ada.get(f"/clinic/registry/export.json?{query}")
    assert data.status_code == 400 and data.json()["error"]["field"] == field
    if not field.startswith("b-"):
        assert ada.get(f"/clinic/registry/?{query}").status_code == 400


def test_the_registry_refuses_a_lone_surrogate_and_an_odd_compare(riverside: Clinic) -> None:
    from sciatrack.registry.views import RegistryQuery

    assert "clinic" in RegistryQuery({"clinic": ["riverside\udfff"]}).errors
    ada = staff("ada", riverside, Clinician.Role.CLINIC_ADMIN)
    data = ada.get("/clinic/registry/export.json?compare=%00")
    assert data.status_code == 400 and data.json()["error"]["field"] == "compare"
    assert ada.get("/clinic/registry/export.json?compare=1").status_code == 200
