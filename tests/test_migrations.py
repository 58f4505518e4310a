"""The migrations describe the models as they are: a model change without its migration fails here."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_has_a_migration_for_every_model_change() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # makemigrations --check exits non-zero when a migration is missing
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")
