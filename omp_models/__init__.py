"""omp_models: what things are — AAS documents, semantic models, findings.

The validators (``omp_validators``) and converters build on this package; it never
imports them.
"""

from omp_models.diagnostics import Finding, Location, Severity

__all__ = ["Finding", "Location", "Severity", "__version__"]

__version__ = "0.1.0"
