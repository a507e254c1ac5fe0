"""AASX packages (AAS Part 5): read them safely from bytes.

The package is never extracted; members are read under :class:`~omp_models.limits.Limits`
(member count, sizes, compression ratio, path traversal), the Open Packaging Conventions
relationships lead from the aasx-origin to the AAS spec parts, and every problem is a
located :class:`~omp_models.diagnostics.Finding`.
"""

from omp_models.aas.package._opc import RULES as _OPC_RULES
from omp_models.aas.package._opc import DocKind
from omp_models.aas.package._walk import RULES as _AASX_RULES
from omp_models.aas.package._walk import OnSpecPart, PackageContent, read_package, walk_package
from omp_models.aas.package._writer import write_package
from omp_models.aas.package._zip import RULES as _ZIP_RULES
from omp_models.diagnostics import Rule

__all__ = [
    "RULES",
    "DocKind",
    "OnSpecPart",
    "PackageContent",
    "read_package",
    "walk_package",
    "write_package",
]

#: Every rule the package reader emits: zip, OPC and AASX levels.
RULES: tuple[Rule, ...] = (*_ZIP_RULES, *_OPC_RULES, *_AASX_RULES)
