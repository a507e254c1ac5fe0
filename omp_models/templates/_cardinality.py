"""Cardinality: how many instances of a template element a submodel may hold.

Published templates spell the qualifier four ways (``SMT/Cardinality``, ``Cardinality``,
``Multiplicity``, ``SMT/SMT/Cardinality``) and its value with stray case, spaces and typos
(``ZerotoMany``, ``ZeroToOne ``, ``ZerotToOne``) or outside the four SMT literals
(``Three``, ``TwoToMany``). :func:`parse_cardinality` reads all of them and says what was
odd, so that the lint can report it while the check uses the intended meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CARDINALITY_TYPES",
    "ONE",
    "ONE_TO_MANY",
    "ZERO_TO_MANY",
    "ZERO_TO_ONE",
    "Cardinality",
    "is_cardinality_type",
    "parse_cardinality",
]

#: The canonical qualifier type (IDTA-01004, "SMT/Cardinality") and the spellings seen.
CARDINALITY_TYPES = ("SMT/Cardinality", "Cardinality", "Multiplicity", "SMT/SMT/Cardinality")

_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}
_WORD = "|".join(_NUMBERS)
_SHAPE = re.compile(rf"^({_WORD}|\d+)(?:t*to({_WORD}|many|\d+|n|\*))?$")
_UML = re.compile(r"^(\d+)\s*\.\.\s*(\d+|\*|n)$")
_TYPE_PREFIX = re.compile(r"^(?:smt/)+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Cardinality:
    """How many instances of an element are allowed: ``min`` to ``max`` (``None``: many).

    Attributes:
        min: The least number of instances.
        max: The most, or ``None`` for no upper bound.
    """

    min: int
    max: int | None

    @property
    def name(self) -> str:
        """The SMT literal (``One``, ``ZeroToOne``, ``ZeroToMany``, ``OneToMany``).

        Other bounds are spelled in the same style (``Three``, ``TwoToMany``).
        """
        low = _word(self.min)
        if self.max == self.min:
            return low
        high = "Many" if self.max is None else _word(self.max)
        return f"{low}To{high}"

    @property
    def mandatory(self) -> bool:
        """At least one instance is required."""
        return self.min >= 1

    @property
    def repeatable(self) -> bool:
        """More than one instance is allowed."""
        return self.max is None or self.max > 1

    @property
    def standard(self) -> bool:
        """One of the four literals of the SMT specification."""
        return self in (ONE, ZERO_TO_ONE, ZERO_TO_MANY, ONE_TO_MANY)

    def admits(self, count: int) -> bool:
        """Whether ``count`` instances are allowed."""
        return count >= self.min and (self.max is None or count <= self.max)

    def __str__(self) -> str:
        return self.name


def _word(number: int) -> str:
    for word, value in _NUMBERS.items():
        if value == number:
            return word.capitalize()
    return str(number)


ONE = Cardinality(1, 1)
ZERO_TO_ONE = Cardinality(0, 1)
ZERO_TO_MANY = Cardinality(0, None)
ONE_TO_MANY = Cardinality(1, None)


def is_cardinality_type(qualifier_type: str) -> bool:
    """Whether a qualifier type is one of the spellings of the cardinality qualifier."""
    bare = _TYPE_PREFIX.sub("", qualifier_type.strip())
    return bare.lower() in ("cardinality", "multiplicity")


def parse_cardinality(value: object) -> tuple[Cardinality | None, str | None]:
    """Read a cardinality qualifier's value.

    Args:
        value: The qualifier's ``value`` as written.

    Returns:
        The cardinality (``None`` when the value means nothing) and a note when the
        spelling was not one of the four SMT literals exactly (``None`` when it was).

    Example:
        >>> parse_cardinality("One")
        (Cardinality(min=1, max=1), None)
        >>> parse_cardinality("0..*")[0]
        Cardinality(min=0, max=None)
    """
    if not isinstance(value, str) or not value.strip():
        return None, f"the value {value!r} is not a cardinality"
    uml = _UML.match(value.strip())
    if uml is not None:
        compact = f"{uml.group(1)}to{uml.group(2)}"
    else:
        compact = re.sub(r"[^a-z0-9*]", "", value.lower())
    match = _SHAPE.match(compact)
    if match is None:
        return None, f"the value {value!r} is not a cardinality"
    low = _number(match.group(1))
    high_text = match.group(2)
    if high_text is None:
        high: int | None = low
    elif high_text in ("many", "n", "*"):
        high = None
    else:
        high = _number(high_text)
    if high is not None and high < low:
        return None, f"the value {value!r} has its upper bound below its lower bound"
    cardinality = Cardinality(low, high)
    if value == cardinality.name and cardinality.standard:
        return cardinality, None
    if not cardinality.standard:
        return cardinality, (
            f"the value {value!r} is not one of One, ZeroToOne, ZeroToMany, OneToMany; "
            f"read as {cardinality.min}..{'*' if high is None else high}"
        )
    return cardinality, (
        f"{value!r} is written {cardinality.name!r} in the SMT specification"
    )


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text]
