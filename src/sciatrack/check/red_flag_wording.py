"""The danger-sign questions of the safety check, in the order they are asked, read from the content.

The words live in ``content/red_flag_questions.yaml``, beside the triage rules that say what a "yes" means;
this module only gives the app its names for them. ``bilateral_new`` is listed beside
``bilateral_leg_symptoms`` but asked after the question about which leg (see :mod:`.steps`), as it only
makes sense with a second leg.
"""

from __future__ import annotations

from sciatrack.content.red_flag_questions import RedFlagGroup, RedFlagQuestion, red_flag_groups

__all__ = ["QUESTIONS_BY_KEY", "RED_FLAG_GROUPS", "SECOND_LEG_KEY", "RedFlagGroup", "RedFlagQuestion"]

SECOND_LEG_KEY = "bilateral_new"  # asked only when there is a second leg

RED_FLAG_GROUPS: tuple[RedFlagGroup, ...] = red_flag_groups()

QUESTIONS_BY_KEY = {question.key: question for group in RED_FLAG_GROUPS for question in group.questions}
