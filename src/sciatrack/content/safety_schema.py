"""Pydantic models for the safety text every program shares: ``stop_rules.yaml`` and ``pregnancy.yaml``.

``stop_rules.yaml`` holds the stops every exercise carries (spec section 3), one field per stop, so the
wording is written once and none of the four can go missing. ``pregnancy.yaml`` holds what a program adds
for a person who is pregnant or had a baby recently: how the side-lying note starts and the warning signs
that mean "stop and call your maternity unit now". Which exercises are left out is ``program_rules.yaml``'s.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .rules_schema import FlagKey, Source
from .schema import StrictModel, Text


class CommonStopRules(StrictModel):
    """The four stops of the spec, in the order they are shown, before each exercise's own."""

    new_leg_pain: Text
    spreading: Text
    numbness_or_weakness_worse: Text
    danger_sign: Text

    def in_order(self) -> tuple[str, ...]:
        return (self.new_leg_pain, self.spreading, self.numbness_or_weakness_worse, self.danger_sign)


class PregnancyWarning(StrictModel):
    """The signs that mean stop and call the maternity unit, with what to do, and where it comes from."""

    action: Text
    signs: Annotated[tuple[Text, ...], Field(min_length=1)]
    source: Source


class PregnancyAdvice(StrictModel):
    flag: FlagKey  # the red flag that means pregnant or recently gave birth
    side_lying_intro: Text  # put before an exercise's ``side_lying`` text in the program
    warning: PregnancyWarning
