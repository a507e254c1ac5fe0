"""Helpers shared by the cloud converters (SiteWise, Insights Hub).

Report entries with source positions, and builders for the AAS JSON form (the reader builds
JSON, basyx turns it into objects). Each converter's ``_common`` module binds the format
name (the prefix of its Extensions).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.locate import JsonLocator
from omp_models.units import Unit, units

__all__ = [
    "Issues",
    "canonical",
    "concept_description",
    "extension_builder",
    "global_ref",
    "lang",
    "model_ref",
    "qualifier",
    "value_fits",
]

IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"
#: Longest texts the AAS allows in displayName / description / preferredName.
MAX_NAME, MAX_TEXT, MAX_PREFERRED = 128, 1023, 255


@dataclass
class _Pending:
    code: Code
    severity: IssueSeverity
    message: str
    pointer: str | None
    target: str | None
    original: str | None


@dataclass
class Issues:
    """Report entries gathered while converting; positions are added once, at the end."""

    items: list[_Pending] = field(default_factory=list)

    def add(self, code: Code, severity: IssueSeverity, message: str, *,
            pointer: str | None = None, target: str | None = None,
            original: str | None = None) -> None:
        """Remember an entry (``pointer`` is a JSON Pointer into the source)."""
        self.items.append(_Pending(code, severity, message, pointer, target, original))

    def error(self, pointer: str, message: str) -> None:
        """An ``INVALID_INPUT`` error at ``pointer``."""
        self.add(Code.INVALID_INPUT, IssueSeverity.ERROR, message, pointer=pointer)

    @property
    def has_errors(self) -> bool:
        """Whether an error was recorded."""
        return any(i.severity is IssueSeverity.ERROR for i in self.items)

    def flush(self, report: ConversionReport, file: str, data: bytes | None) -> None:
        """Append the entries to ``report`` with line and column where ``data`` has them."""
        positions = {}
        if data is not None:
            pointers = {i.pointer for i in self.items if i.pointer is not None}
            if pointers:
                positions = JsonLocator(data).locate_many(pointers)
        for item in self.items:
            pos = positions.get(item.pointer) if item.pointer is not None else None
            report.add(item.code, item.severity, item.message, source=item.pointer,
                       target=item.target, original=item.original, file=file,
                       line=pos.line if pos else None, column=pos.column if pos else None)
        self.items.clear()


def lang(text: str) -> list[dict[str, str]]:
    """An English language string set."""
    return [{"language": "en", "text": text}]


def global_ref(value: str) -> dict[str, Any]:
    """An external reference with one GlobalReference key."""
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def model_ref(*keys: tuple[str, str]) -> dict[str, Any]:
    """A model reference from ``(key type, value)`` pairs."""
    return {"type": "ModelReference", "keys": [{"type": t, "value": v} for t, v in keys]}


def extension_builder(prefix: str) -> Callable[[str, Any], dict[str, Any]]:
    """A builder of Extensions ``<prefix><attribute>``; non-strings are kept as JSON text."""

    def extension(attribute: str, value: Any) -> dict[str, Any]:
        text = value if isinstance(value, str) else canonical(value)
        return {"name": prefix + attribute, "valueType": "xs:string", "value": text}

    return extension


def canonical(value: Any) -> str:
    """Compact JSON with sorted keys (stable, comparable)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def qualifier(type_: str, value: str, value_type: str = "xs:string",
              value_id: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Qualifier (``type`` unique per element, AASd-021)."""
    out: dict[str, Any] = {"type": type_, "valueType": value_type, "value": value}
    if value_id is not None:
        out["valueId"] = value_id
    return out


def value_fits(value: str, value_type: str) -> bool:
    """Whether ``value`` is a valid lexical value of the XSD type ``value_type``."""
    import aas_core3_1.types as core_types
    import aas_core3_1.verification as verification

    try:
        xsd = core_types.DataTypeDefXSD(value_type)
    except ValueError:
        return False
    return bool(verification.value_consistent_with_xsd_type(value, xsd))


_IEC_TYPES = {
    ("xs:double", True): "REAL_MEASURE", ("xs:double", False): "REAL_COUNT",
    ("xs:int", True): "INTEGER_MEASURE", ("xs:int", False): "INTEGER_COUNT",
    ("xs:long", True): "INTEGER_MEASURE", ("xs:long", False): "INTEGER_COUNT",
    ("xs:boolean", True): "BOOLEAN", ("xs:boolean", False): "BOOLEAN",
    ("xs:dateTime", True): "TIMESTAMP", ("xs:dateTime", False): "TIMESTAMP",
}


def concept_description(cd_id: str, id_short: str, name: str, unit_text: str | None,
                        value_type: str, definition: str) -> tuple[dict[str, Any], Unit | None]:
    """A ConceptDescription with IEC 61360 content: name, definition, data type, unit.

    The unitId is set when the free-text unit resolves to a UNECE Rec 20 code.
    """
    unit = units().lookup(unit_text) if unit_text else None
    content: dict[str, Any] = {
        "modelType": "DataSpecificationIec61360",
        "preferredName": [{"language": "en", "text": name[:MAX_PREFERRED]}],
        "dataType": _IEC_TYPES.get((value_type, bool(unit_text)), "STRING"),
        "definition": [{"language": "en", "text": definition[:MAX_TEXT]}],
    }
    if unit_text:
        content["unit"] = unit_text
    if unit is not None:
        content["unitId"] = global_ref(unit.unece_iri)
    cd = {
        "modelType": "ConceptDescription",
        "id": cd_id,
        "idShort": id_short,
        "embeddedDataSpecifications": [
            {"dataSpecification": global_ref(IEC61360), "dataSpecificationContent": content}
        ],
    }
    return cd, unit
