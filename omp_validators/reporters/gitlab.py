"""GitLab Code Quality reporter (``artifacts:reports:codequality``).

A JSON array with one object per finding, holding the keys GitLab reads from the Code
Climate format: ``description`` (``RULE: message``), ``check_name`` (rule id),
``fingerprint``, ``severity`` (error ``major``, warning ``minor``, info ``info``),
``location.path`` and ``location.lines.begin`` (1 when the line is unknown).

Fingerprints are the findings' own line-free fingerprints, so an edit that moves a
problem does not make GitLab report it as fixed and new. GitLab needs them unique within
a report; when two findings share one (the same message at the same place), the second
and later ones get a fingerprint derived from it and their occurrence number, which stays
stable as long as the order of the findings does.

AASX members: ``location.path`` is the package and ``lines.begin`` is 1; the description
names the member with its line and column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from omp_models.diagnostics import Finding, Severity
from omp_validators.report import Report
from omp_validators.reporters._common import display_path, with_member

__all__ = ["render", "unique_fingerprints"]

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, *, color: bool = False) -> str:
    """Render ``report`` as a GitLab Code Quality report.

    Args:
        report: The validation report.
        color: Ignored.

    Returns:
        A JSON array (two-space indent) followed by a newline.
    """
    del color
    findings = list(report.findings())
    issues = [
        _issue(finding, fingerprint)
        for finding, fingerprint in zip(findings, unique_fingerprints(findings), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def unique_fingerprints(findings: Iterable[Finding]) -> list[str]:
    """The findings' fingerprints, made unique deterministically.

    The first finding with a fingerprint keeps it; the n-th repetition gets the first 32
    hex digits of ``sha256("<fingerprint>#<n>")`` (n = 2, 3, ...), skipping any value
    already taken.
    """
    found = list(findings)
    taken = {f.fingerprint for f in found}
    seen: dict[str, int] = {}
    out: list[str] = []
    for finding in found:
        base = finding.fingerprint
        count = seen.get(base, 0) + 1
        seen[base] = count
        fingerprint = base
        while count > 1:
            fingerprint = hashlib.sha256(f"{base}#{count}".encode()).hexdigest()[:32]
            if fingerprint not in taken:
                break
            count += 1
            seen[base] = count
        taken.add(fingerprint)
        out.append(fingerprint)
    return out


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    loc = finding.location
    line = 1 if loc.member or loc.line is None else max(1, loc.line)
    return {
        "description": f"{finding.rule}: {with_member(finding)}",
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": _SEVERITY[finding.severity],
        "location": {"path": display_path(loc.file), "lines": {"begin": line}},
    }
