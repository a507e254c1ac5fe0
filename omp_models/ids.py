"""Identifiers and names for converted content: deterministic, valid, reported.

- :func:`derive_id` builds an AAS identifier from the source's own identity (never a
  random UUID: same input, same output);
- :class:`IdShortAllocator` turns any source name into a valid idShort (AASd-002 in both
  3.0 and 3.1), unique among its siblings, and says when it had to rename;
- :func:`preserve` keeps a source attribute that has no AAS home as an Extension
  ``src:<format>:<attribute>``, so round trips can restore it.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote

__all__ = ["IdShortAllocator", "derive_id", "preserve", "sanitize_id_short"]

#: The intersection of the 3.0 and 3.1 idShort rules (no hyphen: 3.0 forbids it; at least
#: two characters: 3.1's pattern needs them).
_VALID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9_]$")
_INVALID_CHARS = re.compile(r"[^A-Za-z0-9_]+")
MAX_ID_SHORT = 128


def derive_id(base: str, *parts: str) -> str:
    """A deterministic identifier: ``base`` followed by the URL-quoted ``parts``.

    Example:
        >>> derive_id("urn:omp-toolkit:", "sitewise", "Welding Robot")
        'urn:omp-toolkit:sitewise/Welding%20Robot'
    """
    tail = "/".join(quote(p, safe=":@!$&'()*+,;=-._~") for p in parts)
    out = base + tail
    if len(out) > 2000:  # the 3.0 limit; keep it unique with a digest
        digest = hashlib.sha256(out.encode()).hexdigest()[:16]
        out = out[:1980] + "#" + digest
    return out


def sanitize_id_short(name: str) -> str:
    """A valid idShort close to ``name`` (not unique: see :class:`IdShortAllocator`).

    Example:
        >>> sanitize_id_short("Joint 1 Current")
        'Joint_1_Current'
        >>> sanitize_id_short("<ParameterIdentifier>")
        'ParameterIdentifier'
    """
    if _VALID.match(name) and len(name) <= MAX_ID_SHORT:
        return name  # already valid: keep it exactly (``Marking__00__`` stays)
    text = _INVALID_CHARS.sub("_", name.strip()).strip("_")
    if not text:
        text = "Element"
    if not text[0].isalpha():
        text = "X_" + text
    if len(text) < 2:
        text += "_"
    return text[:MAX_ID_SHORT]


class IdShortAllocator:
    """Hands out valid idShorts, unique within one parent (scope).

    Example:
        >>> names = IdShortAllocator()
        >>> names.allocate("Temp (C)"), names.allocate("Temp [C]")
        (('Temp_C', True), ('Temp_C_2', True))
    """

    def __init__(self) -> None:
        self._used: set[str] = set()

    def allocate(self, name: str) -> tuple[str, bool]:
        """A unique valid idShort for ``name`` and whether it differs from ``name``."""
        base = sanitize_id_short(name)
        candidate, n = base, 1
        while candidate.casefold() in self._used:
            n += 1
            suffix = f"_{n}"
            candidate = base[: MAX_ID_SHORT - len(suffix)] + suffix
        self._used.add(candidate.casefold())
        return candidate, candidate != name or not _VALID.match(name)


def preserve(element: Any, fmt: str, attribute: str, value: str) -> None:
    """Keep ``attribute=value`` of a source element as an Extension on a basyx element.

    The Extension is named ``src:<format>:<attribute>``, typed ``xs:string``; readers of
    the same format restore the attribute from it.
    """
    from basyx.aas import model

    element.extension.add(
        model.Extension(name=f"src:{fmt}:{attribute}", value_type=model.datatypes.String,
                        value=value)
    )
