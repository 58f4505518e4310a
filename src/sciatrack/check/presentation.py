"""Turns a stored or fresh check (answers, result JSON, measures) into what the result page shows.

The page is built only from the JSON that is also stored, so a result seen today and the same result
opened from the history next year look the same.
"""

from __future__ import annotations

from typing import Any

from sciatrack.domain.vocabulary import EXERCISE_TIERS

from . import wording


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _listed(keys: list[str], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(key, key) for key in keys) or "None"


def answer_rows(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Every answer in the words the person saw, for the page and for printing."""
    if not answers:
        return []
    flags = answers.get("red_flags", {})
    rows = [
        (question.question, _yes_no(flags[question.key]))
        for group in wording.RED_FLAG_GROUPS
        for question in group.questions
        if question.key in flags
    ]
    weeks = answers.get("onset_weeks")
    rows += [
        ("Age", str(answers.get("age", ""))),
        ("How long this episode has lasted", f"{weeks:g} weeks" if isinstance(weeks, int | float) else ""),
        ("Which side", wording.SIDE_LABELS.get(answers.get("side", ""), answers.get("side", ""))),
        ("Where", _listed(answers.get("regions", []), wording.REGION_LABELS)),
        ("What it feels like", _listed(answers.get("sensations", []), wording.SENSATION_LABELS)),
        ("Worse with", _listed(answers.get("worse_with", []), wording.TRIGGER_LABELS)),
        ("Better with", _listed(answers.get("better_with", []), wording.TRIGGER_LABELS)),
    ]
    return rows


def score_rows(measures: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    pain = measures.get("nprs") or {}
    if "leg_now" in pain:
        rows.append({"name": "Leg pain now", "value": f"{pain['leg_now']} / 10", "note": ""})
    if "back_now" in pain:
        rows.append({"name": "Back pain now", "value": f"{pain['back_now']} / 10", "note": ""})
    sbi = measures.get("sbi") or {}
    if sbi.get("score") is not None:
        rows.append(
            {
                "name": "Sciatica Bothersomeness Index",
                "value": f"{sbi['score']} / 24",
                "note": "How much leg pain, numbness, weakness and sitting pain bother you. Higher is worse.",
            }
        )
    peg = measures.get("peg") or {}
    if peg.get("score") is not None:
        rows.append(
            {
                "name": "PEG (pain, enjoyment of life, general activity)",
                "value": f"{peg['score']:g} / 10",
                "note": "The average of three 0 to 10 ratings. Higher is worse.",
            }
        )
    psfs = measures.get("psfs") or {}
    rows.extend(
        {
            "name": activity["activity"],
            "value": f"{activity['score']} / 10",
            "note": "How well you can do this now. 10 is as well as before.",
        }
        for activity in psfs.get("activities", [])
    )
    return rows


def result_context(
    answers: dict[str, Any], result: dict[str, Any], measures: dict[str, Any]
) -> dict[str, Any]:
    """What the result page needs, read only from the stored JSON of one check."""
    tier = str(result.get("tier", ""))
    advice = result.get("advice") or {}
    hint = result.get("nerve_root_hint")
    pattern = result.get("mckenzie_pattern")
    # The tier decides, whatever the stored flag says: exercise is never offered above routine.
    exercise_allowed = bool(result.get("exercise_allowed")) and tier in EXERCISE_TIERS
    return {
        "tier": tier,
        "tier_short": wording.TIER_SHORT.get(tier, tier),
        "headline": advice.get("headline", ""),
        "where_label": advice.get("where", ""),
        "todo": list(advice.get("what_to_do_now", [])),
        "not_asked_notice": result.get("not_asked_notice", ""),
        "exercise_allowed": exercise_allowed,
        "hide_exercises": not exercise_allowed,
        "reasons": list(result.get("reasons", [])),
        "conditions": list(result.get("conditions_to_discuss", [])),
        "conditions_notice": result.get("conditions_notice", ""),
        "root_hint": hint.get("text") if isinstance(hint, dict) else None,
        "pattern": wording.PATTERN_LABELS.get(pattern, pattern) if isinstance(pattern, str) else None,
        "scores": score_rows(measures),
        "answer_rows": answer_rows(answers),
    }
