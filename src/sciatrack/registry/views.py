"""The outcome registry's pages: a cohort's figures, two cohorts compared, and their CSV and JSON exports.

Who sees what:

- a clinic administrator sees their own clinic's registry only; asking for another clinic is a 400 that
  names the ``clinic`` field;
- a site administrator (superuser), or anyone with the ``registry.view_network`` permission, sees the
  whole network and may choose any clinics;
- anyone else signed in (a patient, a clinician who is not an administrator) gets a 403 page; visitors
  are sent to sign in.

Every page reads only GET parameters, through the declared :class:`RegistryQuery` (the names
:meth:`Cohort.from_params` reads; the comparison's second cohort has them prefixed with ``b-``), and changes
nothing. A parameter that is not allowed is a 400 with the :class:`CohortError` message naming the field.
Cohorts smaller than ``settings.SCIATRACK_REGISTRY_MIN_COHORT`` show no figures, on the page or in the
exports. The exports hold aggregates only (see :mod:`.report_export`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from sciatrack.accounts.models import Clinic
from sciatrack.clinic import access
from sciatrack.clinic.views import forbidden
from sciatrack.content.loader import exercise_names
from sciatrack.content.registry_schema import OutcomeDefinition, load_registry_content
from sciatrack.domain.plain_input import text_problem
from sciatrack.domain.registry_stats import Difference, Proportion

from .charts import percent, response_chart
from .cohort import FIELDS, PATTERN_NAMES, TIER_NAMES, Cohort, CohortError, adherence_names
from .report import MEASURE_NAMES, MISSING_POLICY_WORDS, CohortReport, OutcomeFigures, cohort_report, compare
from .report_export import comparison_as_dict, report_as_dict, write_csv

PREFIX_B = "b-"
VALUE_MAX = 100  # a clinic's slug or a date; no honest value is longer


# --- Who may see what: clinic.access.registry_scope, the one rule the staff menu asks too -------------


def refused(request: HttpRequest) -> HttpResponse:
    """The 403 page: the clinic pages' own for patients, one naming who the registry is for otherwise."""
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    return render(request, "registry/not_allowed.html", status=403)


# --- The form ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class ChoiceField:
    """A multi-value cohort field shown as a group of check boxes."""

    name: str
    legend: str
    hint: str
    choices: list[Choice]


@dataclass(frozen=True)
class CohortForm:
    """The cohort fields for one cohort, with ``prefix`` on every name and id (e.g. ``b-``)."""

    prefix: str
    clinics: list[Choice]  # empty when the user may see only one clinic
    own_clinic: str  # that one clinic's name, or ""
    date_from: str
    date_to: str
    fields: list[ChoiceField]


class ValueList(forms.Field):
    """Every value a query gives for one name (``?tier=a&tier=b``), as text; what each may be is
    :meth:`Cohort.from_params`'s to say. Each value is at most ``VALUE_MAX`` characters."""

    widget = forms.MultipleHiddenInput  # reads every value of the name, not only the last

    def to_python(self, value: Any) -> list[str]:
        given = [str(item) for item in value or []]
        for item in given:
            if (problem := text_problem(item)) is not None:
                raise forms.ValidationError(f"a value {problem}")
            if len(item) > VALUE_MAX:
                raise forms.ValidationError(f"give values of {VALUE_MAX} characters or fewer")
        return given


class RegistryQuery(forms.Form):
    """The registry's query: each cohort field of :data:`FIELDS` for the first group and, prefixed
    ``b-``, for the second; and ``compare=1`` for an export of the two. Other names are ignored."""

    compare = forms.ChoiceField(
        required=False,
        choices=[("1", "compare")],
        error_messages={"invalid_choice": "leave it out, or give 1"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix in ("", PREFIX_B):
            for name in FIELDS:
                self.fields[prefix + name] = ValueList(required=False)

    def shown(self) -> dict[str, list[str]]:
        """Each field's values as given, to fill the form in again (even when they were refused)."""
        return {name: list(self[name].value() or []) for name in self.fields if name != "compare"}

    def error(self) -> CohortError | None:
        """The first refused field as the registry pages report it, or None when all are text."""
        if self.is_valid():
            return None
        name, messages = next(iter(self.errors.items()))
        return CohortError(name, " ".join(str(message) for message in messages))

    def wants_comparison(self) -> bool:
        """An export compares two groups when asked to, or when any ``b-`` value is given."""
        return self.cleaned_data["compare"] == "1" or any(key.startswith(PREFIX_B) for key in self.data)


def _chosen(shown: dict[str, list[str]], key: str) -> set[str]:
    """The values given for ``key``, split on commas as :meth:`Cohort.from_params` does."""
    return {part.strip() for item in shown.get(key, []) for part in item.split(",") if part.strip()}


def cohort_form(shown: dict[str, list[str]], allowed: list[int] | None, prefix: str = "") -> CohortForm:
    """The form for one cohort, filled in with what was asked for (``shown``, even if it was refused)."""
    content = load_registry_content()

    def choices(name: str, options: dict[str, str]) -> list[Choice]:
        chosen = _chosen(shown, prefix + name)
        return [Choice(value, label, value in chosen) for value, label in options.items()]

    visible = Clinic.objects.order_by("name", "id")
    if allowed is not None:
        visible = visible.filter(id__in=allowed)
    clinic_names = {clinic.slug: clinic.name for clinic in visible}
    own = next(iter(clinic_names.values())) if len(clinic_names) == 1 and allowed is not None else ""
    names = exercise_names()
    fields = [
        ChoiceField(
            "age_band",
            "Age at the first check",
            "",
            choices("age_band", {b.id: b.id for b in content.age_bands}),
        ),
        ChoiceField("tier", "Safety check result", "", choices("tier", TIER_NAMES)),
        ChoiceField("pattern", "Pain pattern", "", choices("pattern", PATTERN_NAMES)),
        ChoiceField(
            "exercise",
            "Exercises in the program",
            "Only people whose program had every exercise ticked.",
            choices("exercise", {bit: names.get(bit, bit) for bit in content.program_bits}),
        ),
        ChoiceField("adherence", "Sessions done", "", choices("adherence", adherence_names(content))),
    ]
    return CohortForm(
        prefix=prefix,
        clinics=[] if own else choices("clinic", clinic_names),
        own_clinic=own,
        date_from=(shown.get(prefix + "from") or [""])[-1][:10],
        date_to=(shown.get(prefix + "to") or [""])[-1][:10],
        fields=fields,
    )


# --- The figures in words ---------------------------------------------------------------------------------


def share(value: Proportion) -> dict[str, Any]:
    """A share for the template: the rate, its range and its count, each as text."""
    return {
        "rate": percent(value.rate),
        "low": percent(value.low),
        "high": percent(value.high),
        "count": value.count,
        "total": value.total,
        "known": value.rate is not None,
        # Positions for the decorative bar, in percent of its width.
        "rate_pct": f"{100 * (value.rate or 0):.1f}",
        "low_pct": f"{100 * (value.low or 0):.1f}",
        "width_pct": f"{100 * ((value.high or 0) - (value.low or 0)):.1f}",
    }


def window_words(definition: OutcomeDefinition) -> str:
    """The follow-up window, e.g. "the follow-up closest to day 84 (week 12), between days 70 and 112"."""
    return (
        f"the follow-up closest to day {definition.target_day} (week {definition.target_day // 7}), "
        f"if there is one between days {definition.first_day} and {definition.last_day} after the first check"
    )


def number(value: float | None) -> str:
    return "no figure" if value is None else f"{value:g}".replace("-", "\N{MINUS SIGN}")


def outcome_view(figures: OutcomeFigures, index: int, prefix: str = "") -> dict[str, Any]:
    """One outcome's figures as the template shows them (chart included when it has a time to response)."""
    definition = figures.definition
    change = figures.change
    curve = figures.time_to_response
    return {
        "definition": definition,
        "window": window_words(definition),
        "missing_policy": MISSING_POLICY_WORDS[definition.missing],
        "measure": MEASURE_NAMES.get(definition.measure, definition.measure),
        "figures": figures,
        "rate": share(figures.rate),
        "followed_up": share(figures.followed_up),
        "change": {
            "count": change.count,
            "median": number(change.median),
            "lower": number(change.lower_quartile),
            "upper": number(change.upper_quartile),
        },
        "chart": response_chart(curve, f"{prefix}response-{index}", definition.name) if curve else None,
        "number": f"{prefix}{index}",
    }


def report_view(report: CohortReport, prefix: str = "") -> dict[str, Any]:
    return {
        "report": report,
        "description": report.cohort.describe(),
        "outcomes": [outcome_view(f, i, prefix) for i, f in enumerate(report.outcomes, start=1)],
    }


def difference_view(difference: Difference | None) -> dict[str, Any] | None:
    if difference is None or difference.difference is None:
        return None

    def points(value: float | None) -> str:
        if value is None:
            return "no figure"
        text = f"{100 * value:+.1f}".replace("-", "\N{MINUS SIGN}")
        return f"{text} points"

    return {
        "difference": points(difference.difference),
        "low": points(difference.low),
        "high": points(difference.high),
    }


# --- Pages ------------------------------------------------------------------------------------------------


def minimum() -> int:
    return int(settings.SCIATRACK_REGISTRY_MIN_COHORT)


def query_of(cohort: Cohort, prefix: str = "") -> str:
    return urlencode(cohort.as_params(prefix))


def _cohorts_or_response(
    request: HttpRequest, template: str, prefixes: dict[str, str], **context: Any
) -> tuple[list[Cohort], dict[str, Any], HttpResponse | None]:
    """The cohorts a registry page asks for, in the order of ``prefixes`` (form name -> parameter prefix).

    Returns them with the page's context so far (each form filled in, the minimum, ``context``), or the
    response that ends the page instead: the 403 for someone who may not see the registry, or ``template``
    with the error as a 400 when a parameter is not allowed.
    """
    scope = access.registry_scope(request.user)
    if scope is None:
        return [], {}, refused(request)
    allowed = scope.clinic_ids
    query = RegistryQuery(request.GET)
    shown = query.shown()
    context.update({name: cohort_form(shown, allowed, prefix) for name, prefix in prefixes.items()})
    context["minimum"] = minimum()
    try:
        if (refused_value := query.error()) is not None:
            raise refused_value
        params = query.cleaned_data
        cohorts = [Cohort.from_params(params, allowed, prefix=prefix) for prefix in prefixes.values()]
    except CohortError as error:
        context["error"] = error
        return [], context, render(request, template, context, status=400)
    return cohorts, context, None


@login_required
def registry_page(request: HttpRequest) -> HttpResponse:
    """One cohort's figures (GET parameters: the cohort); 400 with the message when one is not allowed."""
    template = "registry/report.html"
    cohorts, context, response = _cohorts_or_response(request, template, {"form": ""})
    if response is not None:
        return response
    (cohort,) = cohorts
    report = cohort_report(cohort, minimum())
    context.update(
        {
            **report_view(report),
            "query": query_of(cohort),
            "compare_query": urlencode([*cohort.as_params(), *cohort.as_params(PREFIX_B)]),
        }
    )
    return render(request, template, context)


@login_required
def compare_page(request: HttpRequest) -> HttpResponse:
    """Two cohorts side by side (the second one's parameters prefixed ``b-``) and each rate's difference."""
    template = "registry/compare.html"
    prefixes = {"form_a": "", "form_b": PREFIX_B}
    cohorts, context, response = _cohorts_or_response(request, template, prefixes, form_open=True)
    if response is not None:
        return response
    cohort_a, cohort_b = cohorts
    comparison = compare(cohort_report(cohort_a, minimum()), cohort_report(cohort_b, minimum()))
    rows = [
        {
            "definition": item.definition,
            "sides": [share(item.a.rate) if item.a else None, share(item.b.rate) if item.b else None],
            "difference": difference_view(item.difference),
        }
        for item in comparison.outcomes
    ]
    context.update(
        {
            "comparison": comparison,
            # Two groups alike (as when arriving from a group's page) still need choosing apart.
            "form_open": cohort_a == cohort_b,
            "a": report_view(comparison.a, "a-"),
            "b": report_view(comparison.b, "b-"),
            "rows": rows,
            "query": urlencode([*cohort_a.as_params(), *cohort_b.as_params(PREFIX_B)]),
            "query_a": query_of(cohort_a),
            "query_b": query_of(cohort_b),
        }
    )
    return render(request, template, context)


# --- Exports ----------------------------------------------------------------------------------------------


def _export_reports(request: HttpRequest) -> tuple[list[tuple[str, CohortReport]], HttpResponse | None]:
    """The report (or the two compared) the export's parameters ask for; or the response that refuses it.

    Raises :class:`CohortError` for a parameter that is not allowed."""
    scope = access.registry_scope(request.user)
    if scope is None:
        return [], refused(request)
    allowed = scope.clinic_ids
    query = RegistryQuery(request.GET)
    if (refused_value := query.error()) is not None:
        raise refused_value
    cohort_a = Cohort.from_params(query.cleaned_data, allowed)
    reports = [("a", cohort_report(cohort_a, minimum()))]
    if query.wants_comparison():
        cohort_b = Cohort.from_params(query.cleaned_data, allowed, prefix=PREFIX_B)
        reports.append(("b", cohort_report(cohort_b, minimum())))
    return reports, None


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """The figures as CSV (one row per cohort and outcome); a text 400 naming the field for bad input."""
    try:
        reports, refusal = _export_reports(request)
    except CohortError as error:
        return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")
    if refusal is not None:
        return refusal
    out = io.StringIO()
    write_csv(out, reports)
    name = "sciatrack-registry-comparison.csv" if len(reports) == 2 else "sciatrack-registry.csv"
    return _attachment(HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8"), name)


@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    """The figures as JSON (:func:`report_as_dict`, or :func:`comparison_as_dict` with ``b-`` parameters).

    Bad input is a 400 ``{"error": {"field": ..., "message": ...}}``.
    """
    try:
        reports, refusal = _export_reports(request)
    except CohortError as error:
        message = str(error).split(": ", 1)[1]
        return JsonResponse({"error": {"field": error.field, "message": message}}, status=400)
    if refusal is not None:
        return refusal
    if len(reports) == 2:
        data = comparison_as_dict(compare(reports[0][1], reports[1][1]))
        name = "sciatrack-registry-comparison.json"
    else:
        data = report_as_dict(reports[0][1])
        name = "sciatrack-registry.json"
    body = json.dumps(data, indent=2)
    return _attachment(HttpResponse(body, content_type="application/json"), name)
