"""Map aas-core messages to stable rule ids.

aas-core names the constraint in its message where the specification numbers one
(``Constraint AASd-119: ...``); the other messages (lengths, patterns, value types, ...)
are grouped into a small set of ``aas/...`` rules so that ``--select``/``--ignore`` and
SARIF rule lists stay meaningful.
"""

from __future__ import annotations

import re

_CONSTRAINT = re.compile(r"\bConstraint (AAS[a-z]-[0-9a-z]+(?:-\d+)?)\b")
_ACCORDING = re.compile(r"according to (AAS[a-z]-\d+)")

_VERIFICATION_RULES: tuple[tuple[str, str], ...] = (
    ("ID-short of Referables shall only feature", "AASd-002"),
    ("consistent with the value type", "aas/value-type"),
    ("must match the value type", "aas/value-type"),
    ("maximum length", "aas/max-length"),
    ("String with max", "aas/max-length"),
    ("at least one item", "aas/min-length"),
    ("must not be empty", "aas/min-length"),
    ("unique", "aas/unique"),
    ("must be a model reference", "aas/reference-type"),
    ("must be model references", "aas/reference-type"),
    ("pattern", "aas/pattern"),
    ("must represent a valid", "aas/pattern"),
    ("language tag", "aas/pattern"),
)

_DESERIALIZATION_RULES: tuple[tuple[str, str], ...] = (
    ("required property", "aas/required"),
    ("Unexpected property", "aas/unexpected-property"),
    ("modelType", "aas/model-type"),
    ("model type", "aas/model-type"),
    ("Not a valid string representation of a literal", "aas/enum"),
    ("Expected a", "aas/type"),
    ("but got", "aas/type"),
)


def verification_rule(cause: str) -> str:
    """Rule id for an aas-core verification error message."""
    match = _CONSTRAINT.search(cause) or _ACCORDING.search(cause)
    if match:
        return match.group(1)
    for needle, rule in _VERIFICATION_RULES:
        if needle in cause:
            return rule
    return "aas/invariant"


def deserialization_rule(cause: str) -> str:
    """Rule id for an aas-core deserialisation error message."""
    for needle, rule in _DESERIALIZATION_RULES:
        if needle in cause:
            return rule
    return "aas/structure"
