"""Builders of the AAS JSON form for the NodeSet reader: elements and typed values.

Each object's keys are in the order aas-core writes them (``KEY_ORDER``), so that the
writer can use the form as it is. Typed values are written in the lexical form basyx
gives them (``1`` as ``xs:double`` is ``1.0``), as the reader did when it built basyx
objects: :func:`xs_text` answers the common lexical forms itself (without importing
basyx) and asks basyx for the rest; ``tests/unit/test_opcua_read.py`` compares the two.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from omp_models.aas.io import KEY_ORDER
from omp_models.formats.opcua._common import Json

__all__ = [
    "PLACEHOLDER",
    "assemble",
    "collection",
    "element_list",
    "entity",
    "set_value",
    "with_qualifier",
    "xs_text",
]

#: A ModelReference to fill in once the referred element is known.
PLACEHOLDER: Json = {"type": "ModelReference", "keys": [{"type": "Submodel", "value": "x"}]}


def collection(id_short: str | None, children: list[Json], semantic_id: Json | None = None
               ) -> Json:
    """A SubmodelElementCollection of ``children``."""
    out: Json = {"idShort": id_short} if id_short else {}
    if semantic_id is not None:
        out["semanticId"] = semantic_id
    if children:
        out["value"] = children
    out["modelType"] = "SubmodelElementCollection"
    return out


def element_list(id_short: str | None, kind: str, items: list[Json], value_type: str | None,
                 semantic_id: Json | None = None) -> Json:
    """A SubmodelElementList of ``items`` of model type ``kind``."""
    out: Json = {"idShort": id_short} if id_short else {}
    out["orderRelevant"] = True
    if semantic_id is not None:
        out["semanticIdListElement"] = semantic_id
    out["typeValueListElement"] = kind
    if value_type is not None:
        out["valueTypeListElement"] = value_type
    if items:
        out["value"] = items
    out["modelType"] = "SubmodelElementList"
    return out


def entity(id_short: str | None, kind: str, statements: list[Json], asset: str | None) -> Json:
    """An Entity; without specific asset ids (none are known)."""
    out: Json = {"idShort": id_short} if id_short else {}
    if statements:
        out["statements"] = statements
    out["entityType"] = kind
    if asset is not None:
        out["globalAssetId"] = asset
    out["modelType"] = "Entity"
    return out


def assemble(element: Json, common: Json) -> Json:
    """``element`` with the attributes in ``common`` added or replaced (a new object)."""
    out: Json = {}
    for key in KEY_ORDER[element["modelType"]]:
        if key in common:
            out[key] = common[key]
        elif key in element:
            out[key] = element[key]
    return out


def with_qualifier(element: Json, added: Json) -> Json:
    """``element`` with one more qualifier (the same object when it has qualifiers)."""
    if "qualifiers" in element:
        element["qualifiers"].append(added)
        return element
    return assemble(element, {"qualifiers": [added]})


def set_value(element: Json, key: str, value: Json) -> None:
    """Set ``element[key]`` in place, a new key going where aas-core writes it.

    (For the values filled in at the end: a ReferenceElement's ``value``, a relationship's
    ``first`` and ``second``, an event's ``observed``; all of them come just before
    ``modelType`` or are there already.)
    """
    if key not in element:
        model_type = element.pop("modelType")
        element[key] = value
        element["modelType"] = model_type
    else:
        element[key] = value


# ---------------------------------------------------------------------- typed values

_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UTC = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")
_RANGES: dict[str, tuple[int, int]] = {
    "xs:byte": (-(2 ** 7), 2 ** 7 - 1), "xs:short": (-(2 ** 15), 2 ** 15 - 1),
    "xs:int": (-(2 ** 31), 2 ** 31 - 1), "xs:long": (-(2 ** 63), 2 ** 63 - 1),
    "xs:unsignedByte": (0, 2 ** 8 - 1), "xs:unsignedShort": (0, 2 ** 16 - 1),
    "xs:unsignedInt": (0, 2 ** 32 - 1), "xs:unsignedLong": (0, 2 ** 64 - 1),
}
#: How basyx writes a float (``repr``, exponent and specials in upper case).
_FLOAT_LETTERS = {0x65: "E", 0x66: "F", 0x69: "I", 0x6E: "N"}


def _common_form(text: str, xs: str) -> str | None:
    """The form basyx gives ``text`` as ``xs``, for the common lexical forms (else ``None``)."""
    if type(text) is not str:
        return None
    bounds = _RANGES.get(xs)
    if bounds is not None:
        if _INTEGER.fullmatch(text) and bounds[0] <= int(text) <= bounds[1]:
            return text
        return None
    if xs == "xs:boolean":
        return text if text in ("true", "false") else None
    if xs in ("xs:double", "xs:float"):
        return repr(float(text)).translate(_FLOAT_LETTERS) if _DECIMAL.fullmatch(text) else None
    if xs == "xs:dateTime":
        match = _UTC.fullmatch(text)
        if match is None:
            return None
        try:
            year, month, day, hour, minute, second = (int(part) for part in match.groups())
            when = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
        except ValueError:
            return None
        return when.isoformat()
    return None


@cache
def _xs_classes() -> dict[str, Any]:
    from basyx.aas.model import datatypes

    return dict(datatypes.XSD_TYPE_CLASSES)


def xs_text(text: str, xs: str) -> str | None:
    """``text`` as basyx writes an ``xs`` value read from it; ``None`` if it is not one.

    basyx's parser decides what is valid and its serialiser how it is written (``1`` as
    ``xs:double`` becomes ``1.0``, ``+5`` as ``xs:int`` becomes ``5``).
    """
    if xs == "xs:string" and type(text) is str:
        return text
    found = _common_form(text, xs)
    if found is not None:
        return found
    from basyx.aas.model import datatypes

    try:
        return str(datatypes.xsd_repr(datatypes.from_xsd(text, _xs_classes()[xs])))
    except (ValueError, TypeError, KeyError, ArithmeticError, NotImplementedError):
        return None
