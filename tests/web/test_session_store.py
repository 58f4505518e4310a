"""The session engine reads Django's database sessions with one statement and the same rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from sciatrack.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_reads_back_what_was_saved() -> None:
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": 42}


def test_it_treats_an_expired_session_as_none_and_forgets_its_key() -> None:
    store = SessionStore()
    store["answer"] = 42
    store.set_expiry(60)
    store.save()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        again = SessionStore(store.session_key)
        assert again.load() == {}
        assert again.session_key is None


def test_a_deleted_session_is_gone_for_every_reader() -> None:
    store = SessionStore()
    store["answer"] = 42
    store.save()
    key = store.session_key
    SessionStore(key).delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(key).load() == {}


def test_each_read_gets_its_own_copy_of_a_remembered_session() -> None:
    store = SessionStore()
    store["basket"] = {"items": ["band"]}
    store.save()
    first = SessionStore(store.session_key).load()
    first["basket"]["items"].append("ball")  # a change in place, as careless code might make
    assert SessionStore(store.session_key).load() == {"basket": {"items": ["band"]}}


def test_a_session_whose_signature_fails_is_empty_every_time(caplog: pytest.LogCaptureFixture) -> None:
    store = SessionStore()
    store["answer"] = 42
    store.save()
    session = Session.objects.get(session_key=store.session_key)
    data, _, signature = session.session_data.rpartition(":")
    tampered = f"{data}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    Session.objects.filter(session_key=store.session_key).update(session_data=tampered)
    for _ in range(2):  # a failed check is not remembered as a pass
        assert SessionStore(store.session_key).load() == {}
    assert caplog.text.count("Session data corrupted") == 2


def test_a_changed_session_is_read_with_its_change() -> None:
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": 42}
    again = SessionStore(store.session_key)
    again["answer"] = 43
    again.save()
    assert SessionStore(store.session_key).load() == {"answer": 43}
