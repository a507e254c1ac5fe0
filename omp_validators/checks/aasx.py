"""AASX packaging layer (Open Packaging Conventions): placeholder contract.

``check_package(data, where, options, check_document)`` reads the package with zipfile
under the limits in ``options.limits``, checks its OPC structure and hands every AAS spec
part (JSON or XML) to ``check_document``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from omp_models.diagnostics import Finding
from omp_validators.checks.metamodel import Where
from omp_validators.options import ValidateOptions
from omp_validators.rules import Rule

__all__ = ["RULES", "PackageOutcome", "check_package"]

#: The rules of this layer (registered in ``omp_validators.rules``).
RULES: tuple[Rule, ...] = ()


@dataclass
class PackageOutcome:
    """What the packaging layer found in one AASX file."""

    findings: list[Finding] = field(default_factory=list)
    aas_version: str | None = None
    version_source: str | None = None
    model_type: str | None = None


def check_package(
    data: bytes, where: Where, options: ValidateOptions, check_document: Callable[..., Any]
) -> PackageOutcome:
    """Check an AASX package (to be completed)."""
    raise NotImplementedError
