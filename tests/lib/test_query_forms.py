"""Query values read through a declared form, and the 400 page that names each one refused."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory

from sciatrack.lib.fields import SafeCharField, WholeNumberField
from sciatrack.lib.query_forms import read_query, refused_query


class ListQuery(forms.Form):
    q = SafeCharField(required=False, max_length=10)
    page = WholeNumberField(min_value=1, max_value=99, required=False)


def test_an_empty_query_is_a_valid_form_of_defaults() -> None:
    query = read_query(RequestFactory().get("/list/"), ListQuery)
    assert query.is_valid() and query.cleaned_data == {"q": "", "page": None}


@pytest.mark.django_db
def test_a_refused_query_is_a_400_naming_each_value_in_the_forms_order() -> None:
    request = RequestFactory().get("/list/?page=%C2%B2&q=%00")
    query = read_query(request, ListQuery)
    assert not query.is_valid()
    response = refused_query(request, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.index("<strong>q</strong>") < page.index("<strong>page</strong>")
    assert "0-9" in page and "Nothing was changed" in page
