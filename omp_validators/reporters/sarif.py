"""SARIF 2.1.0 reporter, for GitHub code scanning, Jenkins warnings-ng and IDE viewers.

One run. ``tool.driver.rules`` lists only the rules that occur, each with its title, its
description, its fix hint and the documentation page (``helpUri``). Every result carries
the rule's id and index, a level (``error``/``warning``/``note``), the message plus the hint,
the file as a URI reference relative to ``%SRCROOT%`` (absolute paths become ``file:`` URIs),
the line and column, the JSON Pointer or XML path as a logical location, and the finding's
line-free fingerprint as ``partialFingerprints["ompFinding/v1"]``.

AASX members: the physical location is always the package file itself, because that is
what exists in the repository and what GitHub can show. A member's line and column count
inside the member, so no ``region`` is given for them; instead the member is
named three times: as the prefix of the logical location (``aasx/data.xml#/environment/...``),
in the location's property bag (``aasxMember`` and ``memberRegion``), and at the start of
the message text (``aasx/data.xml:12:5: ...``), which is all GitHub displays. The member is
also listed in ``artifacts`` as a nested artifact whose ``parentIndex`` is the package.

GitHub accepts at most 25,000 results per run. Beyond :data:`MAX_RESULTS` the results are
shared fairly between rules (rare rules keep all their results, the most frequent ones are
cut) and a ``toolExecutionNotifications`` entry says how many were left out.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from omp_models.diagnostics import Finding, Severity
from omp_validators.report import Report
from omp_validators.reporters._common import display_path, doc_kind, hint_text, with_member
from omp_validators.rules import DOCS_URL, get_rule, help_uri

__all__ = ["MAX_RESULTS", "SCHEMA_URI", "artifact_uri", "build_log", "render"]

#: The ``$schema`` of the log (the OASIS errata01 schema).
SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: Results per run that GitHub code scanning accepts.
MAX_RESULTS = 25_000

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# RFC 3986 sub-delims and pchar minus ":" (a colon in a first segment would read as a scheme).
_SAFE = "/!$&'()*+,;=@"
_DRIVE = re.compile(r"^[A-Za-z]:/")
_SRCROOT = "%SRCROOT%"


def render(report: Report, *, color: bool = False) -> str:
    """Render ``report`` as a SARIF 2.1.0 log (JSON, two-space indent).

    Args:
        report: The validation report.
        color: Ignored (SARIF is for machines).

    Returns:
        The SARIF document followed by a newline.
    """
    del color
    return json.dumps(build_log(report), indent=2, ensure_ascii=False) + "\n"


def build_log(report: Report, *, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log of ``report`` as plain data.

    Args:
        report: The validation report.
        max_results: At most this many results (the rest are counted in a notification).

    Returns:
        A dict that serialises to a SARIF 2.1.0 log with one run.
    """
    formats = {r.file: r.format for r in report.files}
    findings = list(report.findings())
    kept = _cap(findings, max_results)
    rule_ids = sorted({f.rule for f in kept})
    rule_index = {rid: i for i, rid in enumerate(rule_ids)}
    artifacts, artifact_index = _artifacts(report)
    results = [
        _result(f, rule_index[f.rule], artifact_index, formats.get(f.location.file))
        for f in kept
    ]
    invocation: dict[str, Any] = {"executionSuccessful": report.internal_errors == 0}
    if len(kept) < len(findings):
        invocation["toolExecutionNotifications"] = [
            _truncation_note(findings, kept, max_results)
        ]
    driver: dict[str, Any] = {"name": "omp-toolkit"}
    if report.tool_version:
        driver["version"] = report.tool_version
    driver["informationUri"] = f"{DOCS_URL}/"
    driver["rules"] = [_rule(rid) for rid in rule_ids]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def artifact_uri(file: str) -> tuple[str, str | None]:
    """The SARIF URI of an input path and its ``uriBaseId``.

    Relative paths become percent-encoded relative references based on ``%SRCROOT%``;
    absolute paths become ``file:`` URIs without a base.
    """
    path = display_path(file)
    if _DRIVE.match(path):
        return f"file:///{path[:2]}{quote(path[2:], safe=_SAFE)}", None
    if path.startswith("/"):
        return "file:" + ("" if path.startswith("//") else "//") + quote(path, safe=_SAFE), None
    return quote(path, safe=_SAFE), _SRCROOT


def _artifact_location(file: str) -> dict[str, Any]:
    uri, base = artifact_uri(file)
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def _artifacts(report: Report) -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    """Every input file, then the AASX members that have findings, nested in their package.

    Returns:
        The ``artifacts`` array and an index keyed by ``(file, member or "")``.
    """
    out: list[dict[str, Any]] = []
    index: dict[tuple[str, str], int] = {}

    def add(file: str, member: str = "") -> int:
        key = (file, member)
        if key not in index:
            index[key] = len(out)
            if member:
                out.append({
                    "location": {"uri": quote(member.lstrip("/"), safe=_SAFE)},
                    "parentIndex": add(file),
                })
            else:
                out.append({"location": _artifact_location(file), "roles": ["analysisTarget"]})
        return index[key]

    for result in report.files:
        add(result.file)
    for result in report.files:
        for finding in result.findings:
            add(finding.location.file, finding.location.member or "")
    return out, index


def _result(
    finding: Finding, rule_index: int, artifacts: dict[tuple[str, str], int], fmt: str | None
) -> dict[str, Any]:
    loc = finding.location
    text = with_member(finding)
    hint = hint_text(finding)
    if hint:
        text += "\n" + hint
    artifact = _artifact_location(loc.file)
    artifact["index"] = artifacts[(loc.file, "")]
    physical: dict[str, Any] = {"artifactLocation": artifact}
    region = _region(loc.line, loc.column)
    if region and not loc.member:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = _logical(finding, fmt)
    if logical:
        location["logicalLocations"] = [logical]
    if loc.member:
        bag: dict[str, Any] = {"aasxMember": loc.member}
        if region:
            bag["memberRegion"] = region
        location["properties"] = bag
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"ompFinding/v1": finding.fingerprint},
    }


def _region(line: int | None, column: int | None) -> dict[str, int] | None:
    if line is None:
        return None
    region = {"startLine": max(1, line)}
    if column is not None:
        region["startColumn"] = max(1, column)
    return region


def _logical(finding: Finding, fmt: str | None) -> dict[str, Any] | None:
    """The JSON Pointer / XML path (prefixed with ``member#`` for AASX members)."""
    loc = finding.location
    if not loc.path and not loc.member:
        return None
    if not loc.path:
        return {"name": loc.member, "fullyQualifiedName": loc.member, "kind": "resource"}
    name = loc.path.rstrip("/").rsplit("/", 1)[-1] or loc.path
    qualified = f"{loc.member}#{loc.path}" if loc.member else loc.path
    kind = "element" if doc_kind(loc, fmt) == "xml" else "member"
    return {"name": name, "fullyQualifiedName": qualified, "kind": kind}


def _rule(rule_id: str) -> dict[str, Any]:
    rule = get_rule(rule_id)
    out: dict[str, Any] = {"id": rule_id, "name": _rule_name(rule_id)}
    if rule is None:
        return out
    out["shortDescription"] = {"text": rule.title}
    out["fullDescription"] = {"text": rule.description, "markdown": rule.description}
    out["defaultConfiguration"] = {"level": _LEVEL[rule.severity]}
    out["helpUri"] = help_uri(rule_id)
    out["help"] = {"text": rule.hint, "markdown": rule.hint}
    out["properties"] = {"tags": [rule.source]}
    return out


def _rule_name(rule_id: str) -> str:
    """A PascalCase identifier for SARIF's ``name`` (``env/duplicate-id`` -> ``EnvDuplicateId``)."""
    parts = re.split(r"[^0-9A-Za-z]+", rule_id)
    return "".join(p[:1].upper() + p[1:] for p in parts if p) or rule_id


def _cap(findings: list[Finding], limit: int) -> list[Finding]:
    """At most ``limit`` findings, shared fairly between rules, in report order."""
    if len(findings) <= limit:
        return findings
    quota = _quotas(Counter(f.rule for f in findings), limit)
    kept: list[Finding] = []
    for finding in findings:
        if quota[finding.rule] > 0:
            quota[finding.rule] -= 1
            kept.append(finding)
    return kept


def _quotas(counts: Counter[str], limit: int) -> dict[str, int]:
    """Water-filling: rules with few findings keep them all; the rest share what is left."""
    quotas: dict[str, int] = {}
    remaining = max(0, limit)
    pending = sorted(counts, key=lambda rid: (counts[rid], rid))
    while pending:
        share = remaining // len(pending)
        smallest = pending[0]
        if counts[smallest] <= share:
            quotas[smallest] = counts[smallest]
            remaining -= counts[smallest]
            pending.pop(0)
            continue
        extra = remaining - share * len(pending)
        for i, rid in enumerate(sorted(pending)):
            quotas[rid] = share + (1 if i < extra else 0)
        break
    return quotas


def _truncation_note(findings: list[Finding], kept: list[Finding], limit: int) -> dict[str, Any]:
    total, shown = Counter(f.rule for f in findings), Counter(f.rule for f in kept)
    by_rule = {rid: total[rid] - shown[rid] for rid in sorted(total) if total[rid] > shown[rid]}
    left_out = len(findings) - len(kept)
    return {
        "level": "warning",
        "message": {
            "text": (
                f"{left_out} of {len(findings)} results were left out: SARIF consumers accept "
                f"at most {limit} results per run. Rules with few results kept all of "
                "them; use the json reporter for the complete list."
            )
        },
        "descriptor": {"id": "omp/sarif-truncated"},
        "properties": {"omittedResultsByRule": by_rule},
    }
