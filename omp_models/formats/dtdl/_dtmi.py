"""Digital Twin Model Identifiers (DTMI): syntax, versions, and escaping foreign ids.

A DTMI is ``dtmi:<segment>(:<segment>)*;<major>[.<minor>]``; segments are letters, digits
and underscores, start with a letter and do not end with an underscore (user DTMIs; system
DTMIs may start with underscores). :func:`escape_to_dtmi` turns any identifier (an IRDI such
as ``0173-1#02-AAO677#002`` or an IRI) into a valid DTMI that :func:`unescape_dtmi` turns
back into the identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DTMI_SYNTAX", "ESCAPE_PREFIX", "Dtmi", "escape_to_dtmi", "parse_dtmi",
           "unescape_dtmi"]

#: The general DTMI syntax (system and user DTMIs, optional version and fragment).
DTMI_SYNTAX = re.compile(
    r"^dtmi:(?:_+[A-Za-z0-9]|[A-Za-z])(?:[A-Za-z0-9_]*[A-Za-z0-9])?"
    r"(?::(?:_+[A-Za-z0-9]|[A-Za-z])(?:[A-Za-z0-9_]*[A-Za-z0-9])?)*"
    r"(?:;[1-9][0-9]{0,8}(?:\.[1-9][0-9]{0,5})?)?"
    r"(?:#(?:(?:_+[A-Za-z0-9]|[A-Za-z])(?:[A-Za-z0-9_]*[A-Za-z0-9])?)?)?$"
)

#: A user DTMI with a version, as DTDL v2 and v3 both accept for definitions.
_USER_DTMI = re.compile(
    r"^dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*"
    r";[1-9][0-9]{0,8}$"
)

#: DTMIs made by :func:`escape_to_dtmi` start with this.
ESCAPE_PREFIX = "dtmi:omp:esc:x"

_ESCAPED = re.compile(r"_([0-9A-F]{2})")


@dataclass(frozen=True, slots=True)
class Dtmi:
    """A parsed DTMI."""

    text: str
    versionless: str
    major: int
    minor: int
    fragment: str  # "" or "#..."

    @property
    def fragmentless(self) -> str:
        """The DTMI without its fragment."""
        return self.text.split("#", 1)[0]

    @property
    def is_reserved(self) -> bool:
        """Whether it is a system (auto-generated) DTMI: a segment starts with ``_``."""
        return ":_" in self.text or self.fragment.startswith("#_")


def parse_dtmi(text: str) -> Dtmi | None:
    """Parse ``text`` as a DTMI (general syntax), or ``None``.

    Example:
        >>> parse_dtmi("dtmi:com:example:Thermostat;1").major
        1
    """
    if not DTMI_SYNTAX.match(text):
        return None
    body, hash_, fragment = text.partition("#")
    versionless, _, version = body.partition(";")
    major_text, _, minor_text = version.partition(".")
    return Dtmi(text, versionless, int(major_text or 0), int(minor_text or 0),
                f"#{fragment}" if hash_ else "")


def is_user_dtmi(text: str) -> bool:
    """Whether ``text`` is a DTMI usable as an ``@id`` in DTDL v2 and v3."""
    return bool(_USER_DTMI.match(text)) and len(text) <= 2048


def escape_to_dtmi(identifier: str) -> str:
    """A valid DTMI for any identifier (IRDI, IRI, URN...), reversibly.

    A DTMI passes unchanged. Otherwise letters and digits are kept and every other
    character becomes ``_`` and the two hex digits of each of its UTF-8 bytes.

    Example:
        >>> escape_to_dtmi("0173-1#02-AAO677#002")
        'dtmi:omp:esc:x0173_2D1_2302_2DAAO677_23002;1'
        >>> unescape_dtmi(escape_to_dtmi("0173-1#02-AAO677#002"))
        '0173-1#02-AAO677#002'
    """
    if is_user_dtmi(identifier):
        return identifier
    encoded = "".join(
        ch if ch.isascii() and ch.isalnum()
        else "".join(f"_{byte:02X}" for byte in ch.encode("utf-8"))
        for ch in identifier
    )
    return f"{ESCAPE_PREFIX}{encoded};1"


def unescape_dtmi(dtmi: str) -> str:
    """The identifier :func:`escape_to_dtmi` escaped (other DTMIs are returned as they are)."""
    if not dtmi.startswith(ESCAPE_PREFIX) or not dtmi.endswith(";1"):
        return dtmi
    body = dtmi[len(ESCAPE_PREFIX):-2]
    raw = bytearray()
    pos = 0
    for match in _ESCAPED.finditer(body):
        raw.extend(body[pos:match.start()].encode("ascii"))
        raw.append(int(match.group(1), 16))
        pos = match.end()
    raw.extend(body[pos:].encode("ascii"))
    return raw.decode("utf-8", errors="replace")
