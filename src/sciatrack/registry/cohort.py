"""Who a registry report counts: the cohort, read from request or command-line parameters and checked.

This module decides which parameters a cohort accepts (:data:`FIELDS`), which values each field allows
(clinics the user may see, ISO dates in order, the age bands, tiers, patterns, exercises and adherence bands
of the registry content) and how a refusal is worded: :meth:`Cohort.from_params` raises a
:class:`CohortError` naming the field and what it allows. It also decides how a cohort is written back as
query parameters, as JSON and in plain words; it counts nothing (that is :mod:`.report`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sciatrack.accounts.models import Clinic
from sciatrack.content.loader import exercise_names
from sciatrack.content.registry_schema import RegistryContent, load_registry_content
from sciatrack.domain.plain_input import text_problem
from sciatrack.domain.vocabulary import TIER_ORDER, Pattern

# The adherence band of a case without prescribed sessions or without any weekly record is ''.
NO_ADHERENCE = "none"
NO_ADHERENCE_NAME = "no sessions prescribed or none recorded"
TIER_NAMES = {tier.value: tier.word for tier in TIER_ORDER}  # most urgent first
PATTERN_NAMES = {
    Pattern.EXTENSION_BIASED.value: "eases when leaning back (extension)",
    Pattern.FLEXION_BIASED.value: "eases when bending forward (flexion)",
    Pattern.UNCLEAR.value: "no clear pattern",
}
# The parameter names, as in a query string or the command line; they name the field in every error.
FIELDS = ("clinic", "from", "to", "age_band", "tier", "pattern", "exercise", "adherence")
MAX_VALUES = 50  # no honest filter lists more values than this for one field


class CohortError(ValueError):
    """A cohort parameter that is not allowed; ``field`` is its name, the message says what is allowed."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class ClinicRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Cohort:
    """Who a report counts. An empty tuple means "any" for that field; no clinics means the whole network.

    A case is in the cohort when it was enrolled between ``enrolled_from`` and ``enrolled_to`` (both
    included), belongs to one of the clinics and has one of the listed values of each other field; its
    program must include every listed exercise.
    """

    clinics: tuple[ClinicRef, ...] = ()
    enrolled_from: date | None = None
    enrolled_to: date | None = None
    age_bands: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()
    adherence: tuple[str, ...] = ()

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, Any],
        allowed_clinic_ids: Collection[int] | None,
        *,
        prefix: str = "",
        content: RegistryContent | None = None,
    ) -> Cohort:
        """The cohort the parameters ask for (keys ``prefix`` + one of :data:`FIELDS`; others are ignored).

        A value is a string or a list of strings (a query is read through ``views.RegistryQuery`` first),
        comma-separated for a list field if wished; text with NUL or unpaired surrogates is refused.
        ``allowed_clinic_ids`` is None for someone who may see the whole network; otherwise the clinics
        asked for must be among them, and asking for none means all of them.
        Raises :class:`CohortError` naming the first field that is wrong and what it allows.
        """
        content = content or load_registry_content()

        def values(name: str) -> list[str]:
            key = prefix + name
            given, none = params.get(key), list[Any]()  # one value, many, or none
            raw = list(given) if isinstance(given, list | tuple) else none if given is None else [given]
            found: list[str] = []
            for item in raw:
                if not isinstance(item, str):
                    raise CohortError(key, f"give text, not {type(item).__name__}")
                if (problem := text_problem(item)) is not None:
                    raise CohortError(key, f"a value {problem}")
                found.extend(part.strip() for part in item.split(",") if part.strip())
            if len(found) > MAX_VALUES:
                raise CohortError(key, f"give at most {MAX_VALUES} values")
            return list(dict.fromkeys(found))  # repeated values count once, in the order given

        def one_of(name: str, allowed: Iterable[str]) -> tuple[str, ...]:
            choices = tuple(allowed)
            chosen = values(name)
            for value in chosen:
                if value not in choices:
                    raise CohortError(
                        prefix + name, f"{value!r} is not allowed; choose from {', '.join(choices)}"
                    )
            return tuple(chosen)

        def day(name: str) -> date | None:
            given = values(name)
            if not given:
                return None
            if len(given) > 1:
                raise CohortError(prefix + name, "give one date")
            try:
                return date.fromisoformat(given[0])
            except ValueError:
                raise CohortError(
                    prefix + name, f"{given[0]!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31"
                ) from None

        clinics = _clinics(values("clinic"), allowed_clinic_ids, prefix + "clinic")
        enrolled_from, enrolled_to = day("from"), day("to")
        if enrolled_from and enrolled_to and enrolled_from > enrolled_to:
            raise CohortError(
                prefix + "from",
                f"{enrolled_from.isoformat()} is after the 'to' date {enrolled_to.isoformat()}; "
                "give a 'from' date on or before it",
            )
        return cls(
            clinics=clinics,
            enrolled_from=enrolled_from,
            enrolled_to=enrolled_to,
            age_bands=one_of("age_band", (band.id for band in content.age_bands)),
            tiers=one_of("tier", TIER_NAMES),
            patterns=one_of("pattern", PATTERN_NAMES),
            exercises=one_of("exercise", content.program_bits),
            adherence=one_of("adherence", (*(band.id for band in content.adherence_bands), NO_ADHERENCE)),
        )

    @property
    def whole_network(self) -> bool:
        return not self.clinics

    def program_bits(self, content: RegistryContent) -> int:
        """The mask every listed exercise sets; a case's program includes them all when it has these bits."""
        mask = 0
        for exercise in self.exercises:
            mask |= 1 << content.program_bits[exercise]
        return mask

    def as_params(self, prefix: str = "") -> list[tuple[str, str]]:
        """The cohort as query parameters (``from_params`` reads them back to the same cohort)."""
        pairs: list[tuple[str, str]] = [(prefix + "clinic", clinic.slug) for clinic in self.clinics]
        if self.enrolled_from:
            pairs.append((prefix + "from", self.enrolled_from.isoformat()))
        if self.enrolled_to:
            pairs.append((prefix + "to", self.enrolled_to.isoformat()))
        for name, chosen in (
            ("age_band", self.age_bands),
            ("tier", self.tiers),
            ("pattern", self.patterns),
            ("exercise", self.exercises),
            ("adherence", self.adherence),
        ):
            pairs.extend((prefix + name, value) for value in chosen)
        return pairs

    def as_dict(self) -> dict[str, Any]:
        """The cohort for JSON: every field, with "all" for the whole network."""
        return {
            "clinics": [clinic.slug for clinic in self.clinics] or "all",
            "enrolled_from": self.enrolled_from.isoformat() if self.enrolled_from else None,
            "enrolled_to": self.enrolled_to.isoformat() if self.enrolled_to else None,
            "age_bands": list(self.age_bands),
            "tiers": list(self.tiers),
            "patterns": list(self.patterns),
            "exercises": list(self.exercises),
            "adherence": list(self.adherence),
            "description": self.describe(),
        }

    def describe(self) -> str:
        """The cohort in plain words, e.g. "Riverside; enrolled from 1 January 2025; aged 30-39"."""
        parts = [
            _words(clinic.name for clinic in self.clinics) if self.clinics else "All clinics in the network"
        ]
        if self.enrolled_from and self.enrolled_to:
            parts.append(f"enrolled from {_day(self.enrolled_from)} to {_day(self.enrolled_to)}")
        elif self.enrolled_from:
            parts.append(f"enrolled on or after {_day(self.enrolled_from)}")
        elif self.enrolled_to:
            parts.append(f"enrolled on or before {_day(self.enrolled_to)}")
        if self.age_bands:
            parts.append(f"aged {_words(self.age_bands, 'or')}")
        if self.tiers:
            parts.append(f"triage result {_words((TIER_NAMES[tier] for tier in self.tiers), 'or')}")
        if self.patterns:
            parts.append(f"pain pattern: {_words((PATTERN_NAMES[p] for p in self.patterns), 'or')}")
        if self.exercises:
            names = exercise_names()
            parts.append(f"program includes {_words(names.get(e, e) for e in self.exercises)}")
        if self.adherence:
            parts.append(
                f"sessions done: {_words((adherence_names().get(a, a) for a in self.adherence), 'or')}"
            )
        return "; ".join(parts)


def adherence_names(content: RegistryContent | None = None) -> dict[str, str]:
    """Each adherence band id (and :data:`NO_ADHERENCE`) with its name in words."""
    content = content or load_registry_content()
    return {**{band.id: band.name for band in content.adherence_bands}, NO_ADHERENCE: NO_ADHERENCE_NAME}


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _words(items: Iterable[str], joiner: str = "and") -> str:
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    return f"{', '.join(listed[:-1])} {joiner} {listed[-1]}"


def _clinics(slugs: list[str], allowed_ids: Collection[int] | None, field_name: str) -> tuple[ClinicRef, ...]:
    """The clinics asked for, each one the user may see; all the allowed ones when none is asked for."""
    if allowed_ids is not None and not allowed_ids:
        raise CohortError(field_name, "you may not see the registry of any clinic")
    visible = Clinic.objects.all() if allowed_ids is None else Clinic.objects.filter(id__in=list(allowed_ids))
    if not slugs:
        if allowed_ids is None:
            return ()  # the whole network
        return tuple(ClinicRef(c.id, c.slug, c.name) for c in visible.order_by("name", "id"))
    found = {c.slug: ClinicRef(c.id, c.slug, c.name) for c in visible.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            # The same words whether the clinic exists elsewhere or not: its existence is not revealed.
            if allowed_ids is None:
                raise CohortError(
                    field_name, f"there is no clinic {slug!r}; give a clinic's short name (slug)"
                )
            allowed = ", ".join(visible.order_by("slug").values_list("slug", flat=True))
            raise CohortError(field_name, f"{slug!r} is not a clinic you may see; you may see {allowed}")
    return tuple(found[slug] for slug in slugs)
