"""Strings that match a regular expression: example values for constrained properties.

The pattern is parsed with the standard library's regular-expression parser and walked:
literals are copied, classes give their first (or a random) member, repetitions repeat
their minimum (at least once), alternatives take the first (or a random) branch. The result
is checked with ``re.search``; patterns this cannot satisfy (lookarounds that exclude the
obvious choice, backreferences to alternatives) give ``None``.
"""

from __future__ import annotations

import random
import re
from typing import Any

__all__ = ["matching_string"]

_parser: Any = getattr(re, "_parser", None)
_constants: Any = getattr(re, "_constants", None)
if _parser is None:  # pragma: no cover - Python < 3.11 keeps them at the top level
    import sre_constants as _constants
    import sre_parse as _parser

_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": "0123456789",
    "CATEGORY_NOT_DIGIT": "abcXYZ",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "abc0",
    "CATEGORY_WORD": "abcxyz09_",
    "CATEGORY_NOT_WORD": "-. ",
}
_CANDIDATES = "aA0b_B1 -.:/zZ9"


def _class_members(items: list[tuple[Any, Any]]) -> tuple[bool, list[str]]:
    negate = False
    members: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            members.append(chr(arg))
        elif name == "RANGE":
            low, high = arg
            members.extend(chr(c) for c in range(low, min(high, low + 25) + 1))
        elif name == "CATEGORY":
            members.extend(_CATEGORY_CHARS.get(str(arg), "a"))
    return negate, members


class _Walker:
    def __init__(self, rng: random.Random | None) -> None:
        self.rng = rng
        self.groups: dict[int, str] = {}

    def pick(self, options: list[Any]) -> Any:
        return self.rng.choice(options) if self.rng is not None else options[0]

    def walk(self, parsed: Any) -> str:
        return "".join(self.node(op, arg) for op, arg in parsed)

    def node(self, op: Any, arg: Any) -> str:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "NOT_LITERAL":
            return str(next(c for c in _CANDIDATES if ord(c) != arg))
        if name == "ANY":
            return str(self.pick(["a", "x", "0"]))
        if name == "IN":
            negate, members = _class_members(arg)
            if negate:
                allowed = [c for c in _CANDIDATES if c not in members]
                return str(self.pick(allowed)) if allowed else "a"
            return str(self.pick(members)) if members else "a"
        if name == "BRANCH":
            return self.walk(self.pick(list(arg[1])))
        if name == "SUBPATTERN":
            group, _add, _del, sub = arg
            text = self.walk(sub)
            if group is not None:
                self.groups[group] = text
            return text
        if name in ("ATOMIC_GROUP",):
            return self.walk(arg)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = max(low, 1) if high != 0 else 0
            if self.rng is not None and high != 0:
                top = min(high, low + 3) if high != _constants.MAXREPEAT else low + 3
                count = self.rng.randint(max(low, 1 if low == 0 and top >= 1 else low), top)
            return "".join(self.walk(sub) for _ in range(count))
        if name == "GROUPREF":
            return self.groups.get(arg, "")
        if name == "CATEGORY":
            return str(self.pick(list(_CATEGORY_CHARS.get(str(arg), "a"))))
        return ""  # AT (anchors), ASSERT, ASSERT_NOT, GROUPREF_EXISTS: nothing to emit


def matching_string(pattern: str, seed: int | None = None, attempts: int = 20) -> str | None:
    """A string that ``re.search(pattern, ...)`` accepts, or ``None``.

    Args:
        pattern: The regular expression (JSON Schema patterns are searched, not anchored).
        seed: ``None`` for the canonical (first-choice) string; an int for a random one.
        attempts: Random tries after the canonical one fails.
    """
    try:
        compiled = re.compile(pattern)
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    rngs: list[random.Random | None] = [None] if seed is None else []
    base = 0 if seed is None else seed
    rngs.extend(random.Random(base + i) for i in range(attempts))  # noqa: S311 - not security
    for rng in rngs:
        try:
            text = _Walker(rng).walk(parsed)
        except (RecursionError, StopIteration, ValueError, OverflowError):
            continue
        if compiled.search(text) is not None:
            return text
    return None
