"""One AAS data element -> one SiteWise model property (with type, unit and expression)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.sitewise._from_aas import (
    NARROWED,
    PRINTABLE,
    STRING_ATTRIBUTES,
    TO_SITEWISE,
    WIDENED_INT,
    WIDENED_REAL,
    ext_map,
    external_id,
    lang_text,
)
from omp_models.formats.sitewise._ir import ModelProperty, Variable
from omp_models.units import units

if TYPE_CHECKING:
    from omp_models.formats.sitewise._from_aas import ModelWriter

__all__ = ["convert_property", "fits", "unit_of"]

_INT32 = (-(2**31), 2**31 - 1)
_KNOWN_EXTS = STRING_ATTRIBUTES
_DATA_ELEMENTS = ("Property", "MultiLanguageProperty", "File")


def unit_of(writer: ModelWriter, element: dict[str, Any]) -> str | None:
    """The unit text of the element's ConceptDescription.

    The IEC 61360 unit, else the symbol of its unitId.
    """
    keys = (element.get("semanticId") or {}).get("keys") or [{}]
    cd = writer.concepts.get(str(keys[0].get("value", "")))
    if cd is None:
        return None
    writer.used_concepts.add(cd["id"])
    for spec in cd.get("embeddedDataSpecifications", []):
        content = spec.get("dataSpecificationContent", {})
        if content.get("unit"):
            return str(content["unit"])[:256]
        unit_id = ((content.get("unitId") or {}).get("keys") or [{}])[0].get("value", "")
        code = str(unit_id).rsplit(":", 1)[-1]
        found = units().by_code(code) if code else None
        if found is not None:
            return found.symbol
    return None


def _data_type(writer: ModelWriter, element: dict[str, Any], exts: dict[str, Any],
               target: str) -> str:
    if exts.get("dataType") == "STRUCT":
        return "STRUCT"
    kind = element.get("modelType")
    if kind != "Property":
        return "STRING"
    value_type = element.get("valueType", "xs:string")
    if value_type in TO_SITEWISE:
        return TO_SITEWISE[value_type]
    if value_type in NARROWED:
        writer.lossy(Code.TYPE_NARROWED, f"{value_type} became the 32-bit INTEGER of SiteWise",
                     target, value_type)
        return "INTEGER"
    if value_type in WIDENED_INT:
        writer.lossy(Code.TYPE_WIDENED, f"{value_type} became INTEGER (read back as xs:int)",
                     target, value_type)
        return "INTEGER"
    if value_type in WIDENED_REAL:
        writer.lossy(Code.TYPE_WIDENED, f"{value_type} became DOUBLE (read back as xs:double)",
                     target, value_type)
        return "DOUBLE"
    writer.lossy(Code.TYPE_WIDENED, f"{value_type} has no SiteWise data type; it became "
                                    "STRING (read back as xs:string)", target, value_type)
    return "STRING"


def _value_of(writer: ModelWriter, element: dict[str, Any], target: str) -> str | None:
    kind = element.get("modelType")
    if kind == "MultiLanguageProperty":
        text, more = lang_text(element.get("value"))
        writer.lossy(Code.DROPPED, "a MultiLanguageProperty becomes a STRING property"
                     + (" holding one language" if more else ""), target)
        return text
    if kind == "File":
        writer.lossy(Code.DROPPED, "a File becomes a STRING property holding its path "
                                   "(contentType is not kept)", target)
        value = element.get("value")
        return str(value) if value is not None else None
    value = element.get("value")
    return str(value) if value is not None else None


def fits(value: str, data_type: str) -> bool:
    if not value or len(value) > 1024 or not PRINTABLE.match(value):
        return False
    if data_type == "INTEGER":
        return re.fullmatch(r"[+-]?\d+", value) is not None and \
            _INT32[0] <= int(value) <= _INT32[1]
    if data_type == "DOUBLE":
        try:
            float(value)
        except ValueError:
            return False
        return True
    if data_type == "BOOLEAN":
        return value in ("true", "false")
    return True


def _kind(element: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """Property kind, sitewise qualifiers by type, and their valueIds."""
    quals = {q["type"]: str(q.get("value", "")) for q in element.get("qualifiers", [])
             if str(q.get("type", "")).startswith("sitewise:")}
    ids = {q["type"]: q.get("valueId") for q in element.get("qualifiers", [])
           if str(q.get("type", "")).startswith("sitewise:")}
    if "sitewise:expression" in quals:
        window = any(k.startswith("sitewise:window") for k in quals)
        return ("metric" if window else "transform"), quals, ids
    if element.get("category") == "VARIABLE":
        return "measurement", quals, ids
    return "attribute", quals, ids


def convert_property(writer: ModelWriter, element: dict[str, Any], target: str, path: str,
                     name: str | None) -> ModelProperty | None:
    """The model property for ``element`` (``None`` when SiteWise cannot hold it)."""
    kind_name = element.get("modelType")
    if kind_name not in _DATA_ELEMENTS:
        writer.lossy(Code.DROPPED, f"a {kind_name} has no SiteWise counterpart; dropped",
                     target)
        return None
    exts = ext_map(element)
    data_type = _data_type(writer, element, exts, target)
    kind, quals, value_ids = _kind(element)
    prop = ModelProperty(
        name=name or writer.name_of(element, exts), data_type=data_type, kind=kind,
        id=exts.get("id"), external_id=exts.get("externalId"),
        data_type_spec=exts.get("dataTypeSpec"), unit=unit_of(writer, element))
    if prop.id is None and prop.external_id is None:
        prop.external_id = external_id(path)
    writer.lost(element, frozenset({"value", "valueType", "contentType"}), target)
    value = _value_of(writer, element, target)
    if value is not None:
        if kind != "attribute":
            writer.lossy(Code.DROPPED, f"the value {value[:40]!r} of a {kind} property is not "
                                       "kept (only attributes have a default value)", target)
        elif fits(value, data_type):
            prop.default_value = value
        else:
            writer.lossy(Code.VALUE_UNCONVERTIBLE, f"the value {value[:40]!r} cannot be a "
                         f"SiteWise {data_type} default value (1 to 1024 printable "
                         "characters of that type)", target, value)
    if kind in ("transform", "metric"):
        _expression(writer, prop, quals, value_ids, target)
    for key, val in exts.items():
        if key.startswith("type."):
            prop.type_extra[key[5:]] = val
        elif key not in _KNOWN_EXTS:
            prop.extra[key] = val
    return prop


def _expression(writer: ModelWriter, prop: ModelProperty, quals: dict[str, str],
                value_ids: dict[str, Any], target: str) -> None:
    prop.expression = quals.get("sitewise:expression")
    for key in quals:
        if not key.startswith("sitewise:variable:"):
            continue
        var_name = key[len("sitewise:variable:"):]
        try:
            value = json.loads(quals[key])
        except ValueError:
            value = None
        if not isinstance(value, dict):
            writer.report.add(Code.DROPPED, IssueSeverity.LOSSY,
                              f"variable {var_name!r} has no readable target", target=target)
            continue
        prop.variables.append(Variable(var_name, value))
    if "sitewise:window" in quals:
        try:
            prop.window = json.loads(quals["sitewise:window"])
        except ValueError:
            prop.window = None
    else:
        tumbling = {k: quals[f"sitewise:window:tumbling:{k}"] for k in ("interval", "offset")
                    if f"sitewise:window:tumbling:{k}" in quals}
        if tumbling:
            prop.window = {"tumbling": tumbling}
