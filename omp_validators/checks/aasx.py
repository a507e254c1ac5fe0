"""AASX packaging layer: the package walk of :mod:`omp_models.aas.package`, checked.

``check_package(data, where, options, check_document)`` walks the package (zip limits,
``[Content_Types].xml``, relationships, aasx-origin, aas-spec, aas-suppl, thumbnail) and
hands every AAS spec part to ``check_document``; File elements of the parts must name
files in the package. Every problem is a located finding; the check never raises on bad
data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from omp_models.aas.package import RULES as PACKAGE_RULES
from omp_models.aas.package import DocKind, walk_package
from omp_models.aas.package._zip import PackageSource
from omp_models.diagnostics import Finding, Rule, Where
from omp_validators.checks.metamodel import Outcome
from omp_validators.options import ValidateOptions

__all__ = ["RULES", "PackageOutcome", "check_package"]

#: The rules of this layer (registered in ``omp_validators.rules``).
RULES: tuple[Rule, ...] = PACKAGE_RULES


@dataclass
class PackageOutcome:
    """What the packaging layer found in one AASX file.

    Attributes:
        findings: Every finding of the package and its parts.
        aas_version: The metamodel version of the spec parts (comma-joined when they differ).
        version_source: How the version was determined (likewise).
        model_type: The metamodel class of the spec parts (likewise).
        dropped: Findings of the spec parts dropped by the per-file cap (counted only).
        truncated: Whether a spec part's verification stopped at its limit.
    """

    findings: list[Finding] = field(default_factory=list)
    aas_version: str | None = None
    version_source: str | None = None
    model_type: str | None = None
    dropped: int = 0
    truncated: bool = False


CheckDocument = Callable[[bytes, DocKind, Where, ValidateOptions], Outcome]


def check_package(
    data: PackageSource, where: Where, options: ValidateOptions,
    check_document: Callable[..., Any],
) -> PackageOutcome:
    """Check an AASX package.

    Args:
        data: The package's bytes, or a seekable binary file (then the package is
            streamed: only the parts that are checked are read into memory).
        where: The input file.
        options: The run's options (``options.limits`` bound the zip reading).
        check_document: Checks one JSON or XML document,
            ``check_document(data, kind, where, options) -> Outcome``; called for every
            AAS spec part with ``where.member`` set to the part's zip member.

    Returns:
        The findings (of the package and of its spec parts) and the version and class of
        the spec parts.
    """
    # Part 5: an aas-spec part holds an Environment (unless the user pinned a class).
    part_options = options if options.model_type else replace(options, model_type="Environment")
    outcomes: list[Outcome] = []

    def on_spec(member: str, kind: DocKind, part: bytes) -> dict[str, Any] | None:
        outcome: Outcome = check_document(part, kind, Where(where.file, member), part_options)
        outcomes.append(outcome)
        return outcome.environment

    findings = walk_package(data, where, options.limits, on_spec)
    part_findings = [f for o in outcomes for f in o.findings]
    return PackageOutcome(
        findings=[f for f in findings if options.wants(f.rule)] + part_findings,
        aas_version=_joined(o.version for o in outcomes),
        version_source=_joined(o.version_source for o in outcomes),
        model_type=_joined(o.model_type for o in outcomes),
        dropped=sum(o.dropped for o in outcomes),
        truncated=any(o.truncated for o in outcomes),
    )


def _joined(values: Iterator[str | None]) -> str | None:
    unique = sorted({v for v in values if v})
    return ",".join(unique) if unique else None
