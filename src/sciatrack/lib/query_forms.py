"""Query values (``?page=``, ``?q=``, ``?next=``) read through a declared Django form, like any posted form.

A page declares the values its links carry as a form; :func:`read_query` binds it to the request's query
string and :func:`refused_query` answers a link whose values the form refuses: a 400 page that names each
bad value and what it may be. Links the pages write themselves always pass; only a link typed or changed
by hand is refused.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

FormT = TypeVar("FormT", bound=forms.Form)


def read_query(request: HttpRequest, form_class: type[FormT]) -> FormT:
    """``form_class`` bound to the request's query values (an empty query is a bound, empty form)."""
    return form_class(request.GET)


def query_problems(form: forms.Form) -> list[tuple[str, str]]:
    """Each refused query value of a bound ``form``: its name and what is wrong, in the form's order."""
    errors = form.errors
    names = [name for name in form.fields if name in errors] + [n for n in errors if n not in form.fields]
    return [(name, " ".join(str(message) for message in errors[name])) for name in names]


def refused_query(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """The 400 page for a link whose query values ``form`` refuses."""
    context = {"page_title": "That link did not work", "problems": query_problems(form)}
    return render(request, "bad_link.html", context, status=400)
