"""Findings: the one record every check and converter emits.

A :class:`Finding` says what is wrong (a stable ``rule`` id and a ``message``), how bad it
is (:class:`Severity`), how to fix it (``hint``) and where it is (:class:`Location`: file,
zip member, JSON Pointer or XML path, line and column). Its :attr:`Finding.fingerprint`
identifies the same problem across runs even when lines move, so CI systems can track it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from omp_models._record import Record, set_field

__all__ = ["Finding", "Location", "Rule", "Severity", "Where"]


class Severity(StrEnum):
    """How serious a finding is; ordered ``INFO < WARNING < ERROR``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Numeric rank for comparisons: info 0, warning 1, error 2."""
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        """Whether this severity is at or above ``other``."""
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(init=False, repr=False, eq=False, slots=True)
class Location(Record):
    """Where a finding is.

    Attributes:
        file: The input as the user named it (a path, or the ``--stdin-filename``).
        member: The zip member inside an AASX package, if any (e.g. ``aasx/data.xml``).
        path: A JSON Pointer (RFC 6901) for JSON documents, an XPath-like path for XML
            (``/environment/submodels/*[1]/idShort``), or ``None`` for the whole file.
        line: 1-based line, if known.
        column: 1-based column, if known.
    """

    file: str
    member: str | None
    path: str | None
    line: int | None
    column: int | None

    def __init__(self, file: str, member: str | None = None, path: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        set_field(self, "file", file)
        set_field(self, "member", member)
        set_field(self, "path", path)
        set_field(self, "line", line)
        set_field(self, "column", column)

    def render(self) -> str:
        """Render as ``file[:member]:line:col`` for editors and grep."""
        out = self.file
        if self.member:
            out += f"!{self.member}"
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (keys with ``None`` values omitted)."""
        return {k: v for k, v in _location_items(self) if v is not None}


def _location_items(loc: Location) -> list[tuple[str, Any]]:
    return [
        ("file", loc.file),
        ("member", loc.member),
        ("path", loc.path),
        ("line", loc.line),
        ("column", loc.column),
    ]


@dataclass(init=False, repr=False, eq=False, slots=True)
class Finding(Record):
    """One problem found in one input.

    Attributes:
        rule: Stable rule id, e.g. ``AASd-119``, ``aasx/missing-origin``, ``syntax/json``.
        severity: How serious it is.
        message: What is wrong, in one sentence.
        location: Where it is.
        hint: How to fix it, if there is something useful to say.
    """

    rule: str
    severity: Severity
    message: str
    location: Location
    hint: str | None
    _fingerprint: str = field(init=False, repr=False, compare=False)

    def __init__(self, rule: str, severity: Severity, message: str, location: Location,
                 hint: str | None = None) -> None:
        set_field(self, "rule", rule)
        set_field(self, "severity", severity)
        set_field(self, "message", message)
        set_field(self, "location", location)
        set_field(self, "hint", hint)
        set_field(self, "_fingerprint", "")

    @property
    def fingerprint(self) -> str:
        """A stable identity: rule, file, member, path and message; no line numbers."""
        if not self._fingerprint:
            loc = self.location
            key = "\x1f".join(
                (self.rule, loc.file, loc.member or "", loc.path or "", self.message)
            )
            import hashlib  # on first use: OpenSSL's start-up is not free

            digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
            set_field(self, "_fingerprint", digest)
        return self._fingerprint

    def located(self, line: int | None, column: int | None) -> Finding:
        """A copy with line and column set."""
        # Direct construction: dataclasses.replace costs several times as much, and this
        # runs for every finding of every file.
        loc = self.location
        return Finding(self.rule, self.severity, self.message,
                       Location(loc.file, loc.member, loc.path, line, column), self.hint)

    def hinted(self, hint: str) -> Finding:
        """A copy with the fix hint set."""
        return Finding(self.rule, self.severity, self.message, self.location, hint)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form used by the JSON reporter."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
            "fingerprint": self.fingerprint,
        }
        if self.hint:
            out["hint"] = self.hint
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Inverse of :meth:`to_dict`."""
        loc = data["location"]
        return cls(
            rule=data["rule"],
            severity=Severity(data["severity"]),
            message=data["message"],
            location=Location(
                file=loc["file"],
                member=loc.get("member"),
                path=loc.get("path"),
                line=loc.get("line"),
                column=loc.get("column"),
            ),
            hint=data.get("hint"),
        )

    def sort_key(self) -> tuple[str, str, int, int, str, str]:
        """Deterministic order: file, member, line, column, rule, message."""
        loc = self.location
        return (
            loc.file,
            loc.member or "",
            loc.line or 0,
            loc.column or 0,
            self.rule,
            self.message,
        )


class Where(NamedTuple):
    """The document a check is looking at: the input file and, for AASX, the part.

    A small factory for located findings.
    """

    file: str
    member: str | None = None

    def finding(
        self,
        rule: str,
        message: str,
        path: str | None = None,
        severity: Severity = Severity.ERROR,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> Finding:
        """A finding at ``path`` (JSON Pointer / XML path) in this document."""
        return Finding(
            rule=rule,
            severity=severity,
            message=message,
            location=Location(self.file, self.member, path, line, column),
            hint=hint,
        )


class Rule(NamedTuple):
    """One rule: a stable id and what to tell people about it.

    Modules that emit findings define their rules beside the code (a module-level
    ``RULES`` tuple); ``omp_validators.rules`` collects them into the registry behind
    ``omp rules`` and the documentation.

    Attributes:
        id: Stable id, e.g. ``AASd-119`` or ``aasx/missing-origin``.
        title: One-line summary.
        severity: The severity its findings usually carry.
        description: What the rule checks and why, in Markdown.
        hint: How to fix a finding of this rule.
        source: Which layer emits it (``syntax``, ``metamodel``, ``environment``, ``aasx``,
            ``limits``, ``tool``, ``convert``).
    """

    id: str
    title: str
    severity: Severity
    description: str
    hint: str
    source: str
