"""The door to the care tables for writes that carry a rule: storing a finished check."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from sciatrack.content.version import content_version as current_content_version

from .retriage import place_of

if TYPE_CHECKING:
    from sciatrack.accounts.models import Patient

    from .models import Intake


class IntakeManager(models.Manager["Intake"]):
    def record(
        self,
        patient: Patient,
        answers: Mapping[str, Any],
        result: Mapping[str, Any],
        measures: Mapping[str, Any] | None = None,
        content_version: str | None = None,
        submission: uuid.UUID | None = None,
    ) -> Intake:
        """Store a finished check: its answers and result as the triage gave them, current as made.

        The tier and place the pages act on are read from the result, so a stored check can never
        disagree with its own advice. ``submission``: the key of the person's submission it came from
        (see :func:`sciatrack.care.checking.submission_key`), which the database lets in only once.
        """
        tier = str(result.get("tier", ""))
        where = place_of(result)
        return self.create(
            patient=patient,
            answers=dict(answers),
            result=dict(result),
            tier=tier,
            current_tier=tier,
            where=where.value if where is not None else "",
            measures=dict(measures or {}),
            content_version=content_version or current_content_version(),
            submission=submission,
        )
