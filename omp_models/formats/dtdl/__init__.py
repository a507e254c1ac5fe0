"""DTDL v2 and v3 (Digital Twins Definition Language) <-> AAS.

Reading checks the document with the DTDL validator (:func:`validate_dtdl`: the v2 and v3
language rules, including extensions such as quantitativeTypes) and maps every Interface to
a submodel template; Azure Digital Twins Explorer exports (``digitalTwinsModels`` plus the
twin graph) are read too, their twins becoming submodel instances. Writing maps submodels
back to Interfaces. See ``docs/formats/dtdl.md`` for the mapping.

Format options (``--option key=value``):

- ``undefined-extensions=allow|refuse``: accept unknown extension contexts (default: as the
  DTDL version says, v2 accepts, v3 refuses);
- ``twins=false``: do not convert the twin graph of an ADT Explorer export;
- ``dtdl-version=2|3``: the DTDL version written (default 3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omp_models._lazy import load_lazy
from omp_models.formats.dtdl._format import DtdlFormat

if TYPE_CHECKING:
    from omp_models.formats.dtdl._dtmi import escape_to_dtmi, parse_dtmi, unescape_dtmi
    from omp_models.formats.dtdl._model import DtdlModel, Element, Problem
    from omp_models.formats.dtdl._normalize import normalize_dtdl
    from omp_models.formats.dtdl._validate import RULES, read_dtdl, validate_dtdl

#: Public name -> its module, imported on first use (building the format registry only
#: needs :class:`DtdlFormat`).
_LAZY: dict[str, str] = {
    "escape_to_dtmi": "omp_models.formats.dtdl._dtmi",
    "parse_dtmi": "omp_models.formats.dtdl._dtmi",
    "unescape_dtmi": "omp_models.formats.dtdl._dtmi",
    "DtdlModel": "omp_models.formats.dtdl._model",
    "Element": "omp_models.formats.dtdl._model",
    "Problem": "omp_models.formats.dtdl._model",
    "normalize_dtdl": "omp_models.formats.dtdl._normalize",
    "RULES": "omp_models.formats.dtdl._validate",
    "read_dtdl": "omp_models.formats.dtdl._validate",
    "validate_dtdl": "omp_models.formats.dtdl._validate",
}


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, name)

__all__ = [
    "FORMATS",
    "RULES",
    "DtdlFormat",
    "DtdlModel",
    "Element",
    "Problem",
    "escape_to_dtmi",
    "normalize_dtdl",
    "parse_dtmi",
    "read_dtdl",
    "unescape_dtmi",
    "validate_dtdl",
]

#: The formats this package provides (found by the registry).
FORMATS = (DtdlFormat,)
