"""Building blocks of the DTDL -> AAS mapping: value types, references, Extensions, units.

Shared by :mod:`._to_aas` (Interfaces), :mod:`._twins` (twin values), :mod:`._restore` and
:mod:`._from_aas` (the reverse direction).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from omp_models.formats.dtdl._checks import resolve_alias
from omp_models.formats.dtdl._model import DtdlModel, Element
from omp_models.units import Unit, units

__all__ = [
    "FORMAT",
    "IEC61360",
    "PRIMITIVE_TO_XS",
    "DtdlUnit",
    "all_of",
    "ext_ref",
    "extension",
    "first_of",
    "langs",
    "plain",
    "raw_property",
    "resolve_unit",
    "transitive_extends",
    "unit_of",
]

FORMAT = "dtdl"

#: DTDL primitive schema class -> XSD value type.
PRIMITIVE_TO_XS = {
    "Boolean": "xs:boolean", "Date": "xs:date", "DateTime": "xs:dateTime",
    "Double": "xs:double", "Duration": "xs:duration", "Float": "xs:float",
    "Integer": "xs:int", "Long": "xs:long", "String": "xs:string", "Time": "xs:time",
}

IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"




def ext_ref(value: str) -> dict[str, Any]:
    """An ExternalReference with one GlobalReference key."""
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def extension(attribute: str, value: Any) -> dict[str, Any]:
    """An Extension ``src:dtdl:<attribute>`` (the JSON form of :func:`omp_models.ids.preserve`).

    Non-string values are stored as JSON text.
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)
    return {"name": f"src:{FORMAT}:{attribute}", "valueType": "xs:string", "value": text}


@dataclass(frozen=True, slots=True)
class DtdlUnit:
    """A DTDL unit: its name (``degreeCelsius``), display name and symbol."""

    name: str
    display: str | None
    symbol: str | None


def unit_of(model: DtdlModel, element: Element) -> DtdlUnit | None:
    """The unit of an element with a semantic type."""
    for key, value in element.supplemental.items():
        if not key.endswith(("property:unit;2", ":property:unit")) or not value:
            continue
        unit = model.elements.get(value[0])
        if unit is None:
            return DtdlUnit(value[0].rsplit(":", 1)[-1].split(";")[0], None, None)
        name = unit.name or unit.id.rsplit(":", 1)[-1].split(";")[0]
        symbol = unit.literals.get("symbol") or unit.supplemental.get(
            "dtmi:dtdl:property:symbol;3")
        display = (unit.literals.get("displayName") or {}).get("en")
        return DtdlUnit(name, display if isinstance(display, str) else None,
                        symbol if isinstance(symbol, str) else None)
    return None


def _plain_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\[.*?\]|\(.*?\)", "", text.lower()))


def resolve_unit(unit: DtdlUnit) -> Unit | None:
    """The UNECE Rec 20 unit of a DTDL unit, or ``None``.

    By the unit's name, then its display name; by its symbol only when the registry unit
    found has the same name (symbols alone are ambiguous: ``g`` is gram and g-force).
    """
    registry = units()
    found = registry.lookup(unit.name) or (registry.lookup(unit.display)
                                           if unit.display else None)
    if found is not None:
        return found
    if unit.symbol and unit.display:
        by_symbol = registry.lookup(unit.symbol)
        if by_symbol is not None and _plain_name(by_symbol.name) == _plain_name(unit.display):
            return by_symbol
    return None


def langs(value: Any, limit: int) -> tuple[list[dict[str, str]], bool]:
    out: list[dict[str, str]] = []
    cut = False
    if isinstance(value, dict):
        for lang, text in sorted(value.items()):
            if not text:
                continue
            if len(text) > limit:
                text, cut = text[:limit], True
            out.append({"language": lang, "text": text})
    return out, cut


def raw_property(element: Element, name: str) -> Any:
    """The JSON value of a property as written (by term or by full DTMI)."""
    keys = (name, f"dtmi:dtdl:property:{name};{element.version}")
    for key, value in element.raw:
        if key in keys:
            return value
    return None


def first_of(model: DtdlModel, element: Element, prop: str) -> Element | None:
    found = element.children(prop)
    if not found:
        return None
    return model.elements.get(resolve_alias(model, found[0]))


def all_of(model: DtdlModel, element: Element, prop: str) -> list[Element]:
    out = []
    for dtmi in element.children(prop):
        found = model.elements.get(resolve_alias(model, dtmi))
        if found is not None:
            out.append(found)
    return out


def transitive_extends(model: DtdlModel, interface: Element) -> list[str]:
    out: list[str] = []
    queue = list(interface.children("extends"))
    while queue:
        dtmi = queue.pop(0)
        if dtmi in out or dtmi == interface.id:
            continue
        out.append(dtmi)
        found = model.elements.get(dtmi)
        if found is not None:
            queue.extend(found.children("extends"))
    return out


def plain(value: Any) -> Any:
    """JSON data (JsonObject pairs -> dicts; duplicate keys: last wins)."""
    from omp_models.formats.dtdl._jsonld import JsonObject

    if isinstance(value, JsonObject):
        return {k: plain(v) for k, v in value}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
