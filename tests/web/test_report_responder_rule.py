"""The clinician's report and patient page say which rule made each responder, and that a first leg pain
rating of 3 or less needs 2 points (2 to 1 is 50% lower, but not a responder)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.progress.report import render_report_html
from web.test_clinic import PASSWORD, clinician
from web.test_progress import check

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 2, 2, 12, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


@pytest.fixture
def dana(riverside: Clinic) -> Patient:
    """Leg pain 2 then 1 (50%, 1 point), back pain 7 then 5 (2 points, 29%), bother score 18 then 12 (33%)."""
    user = User.objects.create_user("dana", password=PASSWORD)
    patient = Patient.objects.create(user=user, clinic=riverside, display_name="Dana")
    check(patient, date(2026, 1, 5), leg=2, back=7, sbi=18)
    check(patient, date(2026, 1, 19), leg=1, back=5, sbi=12)
    return patient


def responder_cells(html: str) -> dict[str, str]:
    """The last cell of each row of the measures table, by the row's measure."""
    table = html.split('id="measures-title"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    found = {}
    for row in rows:
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)
        ]
        if cells and cells[0] != "Measure":
            found[cells[0]] = cells[-1]
    return found


@time_machine.travel(NOW, tick=False)
def test_the_report_says_which_rule_made_each_responder(dana: Patient) -> None:
    html = render_report_html(dana)
    cells = responder_cells(html)
    assert cells["Leg pain"] == "no"  # 2 to 1: 50% lower, but a first rating of 3 or less needs 2 points
    assert cells["Back pain"] == "yes: at least 2 points lower"  # 29%: by points only
    assert cells["Sciatica bother score"] == "yes: at least 30% lower"
    assert cells["Activity score"] == "unknown"  # skipped
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "Leg pain: at least 2 points lower, or at least 30% lower when the first score was above 3." in text
    )
    assert "Sciatica bother score: at least 30% lower." in text


@time_machine.travel(NOW, tick=False)
def test_the_clinicians_patient_page_says_it_too(dana: Patient, riverside: Clinic) -> None:
    page = clinician("cleo", riverside).get(f"/clinic/patients/{dana.uuid}/")
    assert page.status_code == 200
    cells = responder_cells(page.content.decode())
    assert (cells["Leg pain"], cells["Back pain"]) == ("no", "yes: at least 2 points lower")
    assert cells["Sciatica bother score"] == "yes: at least 30% lower"
