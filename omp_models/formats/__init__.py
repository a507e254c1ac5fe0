"""Converters between the AAS and the formats plants and clouds use.

Every format satisfies the :class:`Format` protocol and is registered through the
``omp.formats`` entry-point group (built-ins the same way as plugins). A conversion reads
its inputs into an :class:`~omp_models.aas.io.AasEnvironment` (basyx objects, or their
JSON form until a consumer asks for objects), writes
the target, and keeps a :class:`ConversionReport` of everything renamed, preserved in an
Extension, or lost.
"""

from omp_models.formats._registry import (
    ConvertOptions,
    Format,
    FormatError,
    Source,
    available_formats,
    broken_formats,
    get_format,
    sniff_format,
)
from omp_models.formats._report import Code, ConversionIssue, ConversionReport, IssueSeverity

__all__ = [
    "Code",
    "ConversionIssue",
    "ConversionReport",
    "ConvertOptions",
    "Format",
    "FormatError",
    "IssueSeverity",
    "Source",
    "available_formats",
    "broken_formats",
    "get_format",
    "sniff_format",
]
