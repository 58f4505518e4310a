"""Beyond the tier: what the answers point toward, to discuss with a clinician. Never a diagnosis.

- :func:`conditions_to_discuss`: the conditions of ``content/conditions.yaml`` whose clues match, serious
  ones first, each with its evidence as "Because you said ..." lines.
- :func:`nerve_root_hint`: the nerve roots (L4, L5, S1) whose usual skin areas the person marked.
- :func:`mckenzie_pattern`: which way of moving seems to ease or worsen the pain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciatrack.content.rules_loader import load_conditions
from sciatrack.content.rules_schema import AnswerPattern, Clue, ConditionSet

from .intake import IntakeAnswers
from .vocabulary import Pattern


@dataclass(frozen=True)
class ConditionToDiscuss:
    id: str
    name: str
    serious: bool
    about: str
    because: tuple[str, ...]  # "Because you said ...", matched clues first, then supporting ones


@dataclass(frozen=True)
class NerveRootHint:
    roots: tuple[str, ...]  # e.g. ("L5", "S1"), in the order of the content file
    regions: tuple[tuple[str, tuple[str, ...]], ...]  # (root, the marked regions that point to it)
    text: str


# What each pattern means, in triggers (see mckenzie_pattern); the names are the vocabulary's TRIGGERS.
EXTENSION_WORSE = ("sitting", "bending_forward")
EXTENSION_BETTER = ("walking", "standing", "bending_backward")
STENOSIS_BETTER = ("bending_forward", "sitting")
STENOSIS_WORSE = ("walking", "standing")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
WEEKS_PER_YEAR = 365.25 / 7


def mckenzie_pattern(answers: IntakeAnswers) -> Pattern:
    """The movement pattern of the answers.

    - ``flexion_biased`` (stenosis-like): better with bending forward or sitting AND worse with walking or
      standing.
    - ``extension_biased``: worse with sitting or bending forward AND better with walking, standing or
      bending backward, AND bending backward is not among what makes it worse.
    - ``unclear``: anything else.

    Precedence: a stenosis-like pattern wins over an extension-biased one. Answers can fit both (worse with
    sitting and standing, better with walking and sitting); reading them as stenosis-like is the safe side,
    because it keeps the McKenzie extension exercise out of the program. For the same reason, pain that
    gets worse bending backward is never read as extension-biased.
    """
    worse, better = set(answers.worse_with), set(answers.better_with)
    if better & set(STENOSIS_BETTER) and worse & set(STENOSIS_WORSE):
        return Pattern.FLEXION_BIASED
    if worse & set(EXTENSION_WORSE) and better & set(EXTENSION_BETTER) and "bending_backward" not in worse:
        return Pattern.EXTENSION_BIASED
    return Pattern.UNCLEAR


def _matches(pattern: AnswerPattern, answers: IntakeAnswers) -> bool:
    tests = (
        (pattern.flags_any, answers.effective_flags),
        (pattern.regions_any, answers.regions),
        (pattern.sensations_any, answers.sensations),
        (pattern.worse_with_any, answers.worse_with),
        (pattern.better_with_any, answers.better_with),
        (pattern.side_any, (answers.side,)),
    )
    if any(wanted is not None and not set(wanted) & set(given) for wanted, given in tests):
        return False
    years = answers.onset_weeks / WEEKS_PER_YEAR
    return (
        (pattern.age_at_least is None or answers.age >= pattern.age_at_least)
        and (pattern.onset_weeks_at_least is None or answers.onset_weeks >= pattern.onset_weeks_at_least)
        and (pattern.began_before_age is None or answers.age - years < pattern.began_before_age)
    )


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _evidence(clue: Clue, answers: IntakeAnswers, content: ConditionSet) -> str:
    """The clue's text with its placeholders filled by the matching answers, in the person's order."""
    given = {
        "regions": (clue.when.regions_any, answers.regions),
        "sensations": (clue.when.sensations_any, answers.sensations),
        "worse_with": (clue.when.worse_with_any, answers.worse_with),
        "better_with": (clue.when.better_with_any, answers.better_with),
        "side": (clue.when.side_any, (answers.side,)),
    }

    def fill(match: re.Match[str]) -> str:
        wanted, answered = given[match.group(1)]
        values = [value for value in answered if wanted is not None and value in wanted]
        return _listed([content.words.get(value, value.replace("_", " ")) for value in values])

    return f"Because you said {PLACEHOLDER.sub(fill, clue.because)}."


def conditions_to_discuss(
    answers: IntakeAnswers, content: ConditionSet | None = None
) -> tuple[ConditionToDiscuss, ...]:
    """Every condition with at least one matching clue; serious ones first, then in file order."""
    content = content if content is not None else load_conditions()
    found = []
    for entry in content.conditions:
        matched = [clue for clue in entry.clues if _matches(clue.when, answers)]
        if not matched:
            continue
        matched += [clue for clue in entry.supporting if _matches(clue.when, answers)]
        because = tuple(_evidence(clue, answers, content) for clue in matched)
        found.append(ConditionToDiscuss(entry.id, entry.name, entry.serious, entry.about, because))
    return tuple(sorted(found, key=lambda condition: not condition.serious))  # stable: file order kept


def nerve_root_hint(answers: IntakeAnswers, content: ConditionSet | None = None) -> NerveRootHint | None:
    """The roots whose usual areas the person marked (all of them), or None when no marked region maps.

    Worded as a hint: the areas supplied by each root overlap and vary between people.
    """
    content = content if content is not None else load_conditions()
    pairs = []
    for root, entry in content.nerve_roots.items():
        marked = tuple(region for region in answers.regions if region in entry.regions)
        if marked:
            pairs.append((root, marked))
    if not pairs:
        return None
    parts = [
        f"the {root} nerve root ({_listed([content.words.get(r, r.replace('_', ' ')) for r in marked])})"
        for root, marked in pairs
    ]
    text = f"The places you marked are often supplied by {_listed(parts)}. {content.nerve_root_note}"
    return NerveRootHint(tuple(root for root, _ in pairs), tuple(pairs), text)
