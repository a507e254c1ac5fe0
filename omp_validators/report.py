"""The result of one validation run: per-file results and their findings.

Reporters are pure functions of a :class:`Report`; the CLI derives its exit code from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from omp_models._record import Record, set_field
from omp_models.diagnostics import Finding, Severity

__all__ = ["FailOn", "FileResult", "Report"]

FailOn = Literal["error", "warning", "info", "never"]


@dataclass(init=False, repr=False, eq=False, slots=True)
class FileResult(Record):
    """What was found in one input file.

    Attributes:
        file: The input as the user named it.
        format: ``json``, ``xml``, ``aasx`` or ``unknown``.
        aas_version: Metamodel version the file was checked as (for AASX: of its parts,
            comma-separated when they differ).
        version_source: How the version was chosen: ``pinned``, ``namespace``,
            ``matched`` or ``closest``.
        model_type: The metamodel class of the document (``Environment``, ``Submodel``...).
        findings: The findings, sorted by position.
        suppressed: Findings not reported because of ``--max-findings-per-file``.
    """

    file: str
    format: str
    aas_version: str | None
    version_source: str | None
    model_type: str | None
    findings: tuple[Finding, ...]
    suppressed: int

    def __init__(
        self,
        file: str,
        format: str,
        aas_version: str | None = None,
        version_source: str | None = None,
        model_type: str | None = None,
        findings: tuple[Finding, ...] = (),
        suppressed: int = 0,
    ) -> None:
        set_field(self, "file", file)
        set_field(self, "format", format)
        set_field(self, "aas_version", aas_version)
        set_field(self, "version_source", version_source)
        set_field(self, "model_type", model_type)
        set_field(self, "findings", findings)
        set_field(self, "suppressed", suppressed)

    def count(self, severity: Severity) -> int:
        """Number of findings of exactly this severity."""
        if not self.findings:
            return 0
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def ok(self) -> bool:
        """True when the file has no error findings."""
        return self.count(Severity.ERROR) == 0

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form used by the JSON reporter."""
        return {
            "file": self.file,
            "format": self.format,
            "aasVersion": self.aas_version,
            "versionSource": self.version_source,
            "modelType": self.model_type,
            "ok": self.ok,
            "suppressed": self.suppressed,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(init=False, repr=False, eq=False, slots=True)
class Report(Record):
    """All results of one run, in input order.

    Attributes:
        files: One result per input file.
        tool_version: The omp-toolkit version that produced it.
    """

    files: tuple[FileResult, ...]
    tool_version: str
    meta: dict[str, Any]

    def __init__(self, files: tuple[FileResult, ...], tool_version: str = "",
                 meta: dict[str, Any] | None = None) -> None:
        set_field(self, "files", files)
        set_field(self, "tool_version", tool_version)
        set_field(self, "meta", {} if meta is None else meta)

    def findings(self) -> Iterator[Finding]:
        """Every finding of every file."""
        for result in self.files:
            yield from result.findings

    def counts(self) -> dict[Severity, int]:
        """Number of findings per severity."""
        out = dict.fromkeys(Severity, 0)
        for finding in self.findings():
            out[finding.severity] += 1
        return out

    @property
    def internal_errors(self) -> int:
        """Findings that mean the tool itself failed on an input."""
        return sum(1 for f in self.findings() if f.rule == "tool/internal-error")

    def failed(self, fail_on: FailOn) -> bool:
        """Whether any finding is at or above ``fail_on`` (never for ``never``)."""
        if fail_on == "never":
            return False
        threshold = Severity(fail_on)
        return any(f.severity.at_least(threshold) for f in self.findings())

    def exit_code(self, fail_on: FailOn) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 3 the tool failed on an input."""
        if self.internal_errors:
            return 3
        return 1 if self.failed(fail_on) else 0
