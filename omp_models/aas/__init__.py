"""Asset Administration Shell documents: metamodel versions 3.0 and 3.1.

The metamodel engines are aas-core3.0 and aas-core3.1; this package picks the right one per
document and converts between their paths and the paths users see in their files.
"""

from omp_models.aas._core import (
    CONCRETE_CLASSES,
    MODEL_TYPE_CLASSES,
    NAMESPACES,
    SUPPORTED_VERSIONS,
    AasVersion,
    canonical_class_name,
    engine,
)

__all__ = [
    "CONCRETE_CLASSES",
    "MODEL_TYPE_CLASSES",
    "NAMESPACES",
    "SUPPORTED_VERSIONS",
    "AasVersion",
    "canonical_class_name",
    "engine",
]
