"""omp_validators: is it right, and how do we say so.

The public API mirrors the ``omp validate`` command:

```python
from omp_validators import ValidateOptions, validate

report = validate(["examples/valid"], ValidateOptions(aas_version="3.1"))
for finding in report.findings():
    print(finding.location.render(), finding.rule, finding.message)
```

Names are imported on first use, so that ``omp --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omp_models._lazy import load_lazy

__version__ = "0.1.0"

if TYPE_CHECKING:
    from omp_models.diagnostics import Finding, Location, Severity
    from omp_validators.engine import InputError, expand_inputs, validate, validate_bytes
    from omp_validators.options import Limits, ValidateOptions
    from omp_validators.report import FileResult, Report

_LAZY: dict[str, str] = {
    "Finding": "omp_models.diagnostics",
    "Location": "omp_models.diagnostics",
    "Severity": "omp_models.diagnostics",
    "InputError": "omp_validators.engine",
    "expand_inputs": "omp_validators.engine",
    "validate": "omp_validators.engine",
    "validate_bytes": "omp_validators.engine",
    "Limits": "omp_validators.options",
    "ValidateOptions": "omp_validators.options",
    "FileResult": "omp_validators.report",
    "Report": "omp_validators.report",
}

__all__ = [
    "FileResult",
    "Finding",
    "InputError",
    "Limits",
    "Location",
    "Report",
    "Severity",
    "ValidateOptions",
    "__version__",
    "expand_inputs",
    "validate",
    "validate_bytes",
]


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, name)


def __dir__() -> list[str]:
    return sorted(__all__)
