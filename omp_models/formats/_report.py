"""The conversion report: everything a conversion renamed, preserved or lost.

Codes form a closed list, so reports can be diffed and aggregated across a corpus. Every
entry points back into the source (a locator: JSON Pointer, XPath, NodeId, DTMI, CSV
row/column) and, where there is one, to the target element (an idShort path).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from omp_models.diagnostics import Finding, Location, Severity

__all__ = ["Code", "ConversionIssue", "ConversionReport", "IssueSeverity"]


class IssueSeverity(StrEnum):
    """How much a conversion step costs.

    ``info``: renamed or defaulted, nothing lost; ``preserved``: kept in an Extension so
    a round trip restores it; ``lossy``: not representable in the target; ``error``: an
    element (or the whole input) could not be converted.
    """

    INFO = "info"
    PRESERVED = "preserved"
    LOSSY = "lossy"
    ERROR = "error"


class Code(StrEnum):
    """The closed list of conversion report codes."""

    #: An idShort/name was rewritten to satisfy the target's naming rules.
    IDSHORT_RENAMED = "IDSHORT_RENAMED"
    #: A unit could not be resolved to a UNECE Rec 20 code.
    UNIT_UNRESOLVED = "UNIT_UNRESOLVED"
    #: An attribute with no home in the target was kept as an Extension.
    PRESERVED_AS_EXTENSION = "PRESERVED_AS_EXTENSION"
    #: A value type was narrowed (e.g. xs:long -> 32-bit integer).
    TYPE_NARROWED = "TYPE_NARROWED"
    #: A value type was widened or approximated.
    TYPE_WIDENED = "TYPE_WIDENED"
    #: An expression was carried as opaque text; its semantics are not converted.
    EXPRESSION_OPAQUE = "EXPRESSION_OPAQUE"
    #: Something was dropped: the target cannot hold it.
    DROPPED = "DROPPED"
    #: A default was filled in where the source had no value.
    DEFAULTED = "DEFAULTED"
    #: An identifier was derived (deterministically) because the source had none.
    ID_DERIVED = "ID_DERIVED"
    #: Inheritance (extends, parent types, class libraries) was flattened.
    INHERITANCE_FLATTENED = "INHERITANCE_FLATTENED"
    #: A dependency (imported model, required nodeset) is missing.
    DEPENDENCY_MISSING = "DEPENDENCY_MISSING"
    #: An identifier or name was escaped for the target (e.g. IRDI -> DTMI segment).
    ID_ESCAPED = "ID_ESCAPED"
    #: Telemetry or streamed data became a snapshot value.
    TELEMETRY_AS_SNAPSHOT = "TELEMETRY_AS_SNAPSHOT"
    #: The AAS metamodel version changed and something did not survive.
    VERSION_DOWNGRADE = "VERSION_DOWNGRADE"
    #: Two inputs (or elements) collided; one was kept.
    DUPLICATE = "DUPLICATE"
    #: The input is invalid in its own format.
    INVALID_INPUT = "INVALID_INPUT"
    #: A value could not be converted to the target type.
    VALUE_UNCONVERTIBLE = "VALUE_UNCONVERTIBLE"
    #: An element has no semanticId (the source gave none).
    SEMANTIC_ID_MISSING = "SEMANTIC_ID_MISSING"
    #: A value looks like a list (``a;b``) but is kept as one value.
    VALUE_LIST_LIKE = "VALUE_LIST_LIKE"
    #: A value was rewritten to its canonical lexical form (``15,5`` -> ``15.5``).
    VALUE_NORMALISED = "VALUE_NORMALISED"
    #: A value was converted between units (explicitly asked for, e.g. by a mapping).
    UNIT_CONVERTED = "UNIT_CONVERTED"


@dataclass(frozen=True, slots=True)
class ConversionIssue:
    """One entry of a conversion report.

    Attributes:
        code: What happened (closed list).
        severity: What it costs.
        message: One sentence for people.
        source: Locator in the source (file, and a pointer/XPath/NodeId/DTMI in it).
        target: Where it landed in the target (idShort path or id), if anywhere.
        original: The original value or name, if it changed.
        file: The source file the entry belongs to.
        line: 1-based line in the source file, where known.
        column: 1-based column in the source file, where known.
    """

    code: Code
    severity: IssueSeverity
    message: str
    source: str | None = None
    target: str | None = None
    original: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ``None`` fields omitted."""
        out: dict[str, Any] = {
            "code": self.code.value,
            "severity": self.severity.value,
            "message": self.message,
        }
        for key in ("source", "target", "original", "file", "line", "column"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def to_finding(self, default_file: str = "-") -> Finding:
        """The same entry as a :class:`Finding` (rule ``convert/<CODE>``), for reporters."""
        severity = {
            IssueSeverity.INFO: Severity.INFO,
            IssueSeverity.PRESERVED: Severity.INFO,
            IssueSeverity.LOSSY: Severity.WARNING,
            IssueSeverity.ERROR: Severity.ERROR,
        }[self.severity]
        message = self.message
        if self.target:
            message += f" (target: {self.target})"
        return Finding(
            rule=f"convert/{self.code.value}",
            severity=severity,
            message=message,
            location=Location(self.file or default_file, None, self.source, self.line,
                              self.column),
        )


@dataclass
class ConversionReport:
    """Everything one conversion did that was not a plain copy.

    Attributes:
        source_format: Format name of the input(s).
        target_format: Format name of the output.
        issues: The entries, in the order they arose.
        meta: Free-form facts (profile, versions, element counts).
    """

    source_format: str = ""
    target_format: str = ""
    issues: list[ConversionIssue] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        code: Code,
        severity: IssueSeverity,
        message: str,
        *,
        source: str | None = None,
        target: str | None = None,
        original: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> ConversionIssue:
        """Append an entry and return it."""
        issue = ConversionIssue(code, severity, message, source, target, original, file,
                                line, column)
        self.issues.append(issue)
        return issue

    def extend(self, other: ConversionReport | Iterable[ConversionIssue]) -> None:
        """Append the entries of another report (or any issues)."""
        items = other.issues if isinstance(other, ConversionReport) else other
        self.issues.extend(items)

    def __iter__(self) -> Iterator[ConversionIssue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def has_errors(self) -> bool:
        """Whether any element could not be converted."""
        return any(i.severity is IssueSeverity.ERROR for i in self.issues)

    @property
    def is_lossy(self) -> bool:
        """Whether anything was lost (lossy or error entries)."""
        return any(i.severity in (IssueSeverity.LOSSY, IssueSeverity.ERROR) for i in self.issues)

    def summary(self) -> dict[str, int]:
        """Number of entries per severity (all four keys present)."""
        counts = Counter(i.severity.value for i in self.issues)
        return {s.value: counts.get(s.value, 0) for s in IssueSeverity}

    def codes(self) -> Counter[str]:
        """Number of entries per code."""
        return Counter(i.code.value for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the ``--report`` JSON)."""
        return {
            "source": {"format": self.source_format},
            "target": {"format": self.target_format},
            "meta": self.meta,
            "summary": self.summary(),
            "issues": [i.to_dict() for i in self.issues],
        }

    def to_json(self) -> str:
        """Deterministic JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
