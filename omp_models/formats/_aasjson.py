"""AAS content in its JSON form, for converters whose sources are tables or payloads.

The table (``csv``, ``xlsx``) and ``mapping`` formats build submodels as plain JSON (the
form :func:`omp_models.aas.io.environment_from_jsonable` reads) and read them back from
:func:`omp_models.aas.io.environment_to_jsonable`. What they share lives here once:
lexical value checks (aas-core's own), decimal commas, references as text, and units as
an IEC 61360 data specification.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from omp_models.formats._report import Code
from omp_models.ids import MAX_ID_SHORT, sanitize_id_short
from omp_models.units import units

__all__ = [
    "IEC61360_TEMPLATE",
    "LANG_TAG",
    "NO_CODE",
    "NUMERIC_TYPES",
    "SEMANTIC_ID_MISSING",
    "UNECE_PREFIX",
    "UNIT_CONVERTED",
    "VALUE_LIST_LIKE",
    "VALUE_NORMALISED",
    "XS_TYPES",
    "Names",
    "UnitInfo",
    "code",
    "common_semantic_id",
    "data_specification",
    "decimal_comma",
    "global_reference",
    "lang_strings",
    "list_separator",
    "reference_from_text",
    "reference_to_text",
    "resolve_unit",
    "same_value",
    "unit_columns",
    "value_ok",
]


def code(name: str, fallback: Code) -> Code:
    """The report code ``name`` if the closed list has it, else ``fallback``."""
    return Code.__members__.get(name, fallback)


#: Codes these converters would use if the closed list had them (asked for); until then
#: the nearest existing code.
SEMANTIC_ID_MISSING = code("SEMANTIC_ID_MISSING", Code.DEFAULTED)
VALUE_LIST_LIKE = code("VALUE_LIST_LIKE", Code.DEFAULTED)
VALUE_NORMALISED = code("VALUE_NORMALISED", Code.DEFAULTED)
UNIT_CONVERTED = code("UNIT_CONVERTED", Code.TYPE_WIDENED)


_XS_NAMES = (
    "anyURI", "base64Binary", "boolean", "byte", "date", "dateTime", "decimal", "double",
    "duration", "float", "gDay", "gMonth", "gMonthDay", "gYear", "gYearMonth", "hexBinary",
    "int", "integer", "long", "negativeInteger", "nonNegativeInteger", "nonPositiveInteger",
    "positiveInteger", "short", "string", "time", "unsignedByte", "unsignedInt",
    "unsignedLong", "unsignedShort",
)
XS_TYPES: frozenset[str] = frozenset("xs:" + t for t in _XS_NAMES)
_INTEGER_NAMES = (
    "byte", "int", "integer", "long", "negativeInteger", "nonNegativeInteger",
    "nonPositiveInteger", "positiveInteger", "short", "unsignedByte", "unsignedInt",
    "unsignedLong", "unsignedShort",
)
_INTEGER_TYPES = frozenset("xs:" + t for t in _INTEGER_NAMES)
#: Value types whose values are numbers (where decimal commas and unit conversions apply).
NUMERIC_TYPES: frozenset[str] = frozenset({"xs:decimal", "xs:double", "xs:float"}) | (
    _INTEGER_TYPES
)
#: IETF BCP 47 language tags, as loosely as the AAS schemas check them.
LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
IEC61360_TEMPLATE = (
    "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3/0"
)
#: A unit code that says "this unit has no code": its text is kept, nothing is looked up.
NO_CODE = "-"
#: Prefix of the unitId values this project writes (see :attr:`omp_models.units.Unit.unece_iri`).
UNECE_PREFIX = "urn:un:unece:uncefact:rec20:"


def value_ok(value: str, value_type: str) -> bool:
    """Whether ``value`` is a valid lexical form of the XSD type (aas-core's own check)."""
    from omp_models.aas._core import engine

    core = engine("3.1")
    return bool(core.verification.value_consistent_with_xsd_type(
        value, core.types.DataTypeDefXSD(value_type)))


def same_value(a: str, b: str, value_type: str) -> bool:
    """Whether two lexical forms mean the same value (numbers compared as numbers)."""
    if a == b:
        return True
    if value_type in NUMERIC_TYPES:
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return False


_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_COMMA_ONLY = re.compile(r"^[+-]?\d*,\d+$")


def decimal_comma(text: str) -> tuple[str | None, bool]:
    """Read a number written with a decimal comma.

    Returns:
        ``(normalised, False)`` when the comma is unambiguously the decimal separator
        (``"15,5"``, ``"1.234,5"``), ``(None, True)`` when it could also be a thousands
        separator (``"1,234"``), ``(None, False)`` when the text has no decimal comma.
    """
    raw = text.strip()
    if _THOUSANDS_DOT.match(raw):
        return raw.replace(".", "").replace(",", "."), False
    if _COMMA_ONLY.match(raw):
        integer, _, fraction = raw.partition(",")
        if len(fraction) == 3 and integer.lstrip("+-") not in ("", "0"):
            return None, True
        return (integer or "0") + "." + fraction, False
    return None, False


_LIST_SEPARATORS = (";", "|", "\n")


def list_separator(text: str) -> str | None:
    """The separator if a text value looks like a list (``"OPC UA;MTConnect"``)."""
    stripped = text.strip()
    for sep in _LIST_SEPARATORS:
        parts = [p.strip() for p in stripped.split(sep)]
        if len(parts) > 1 and all(parts):
            return sep
    return None


def global_reference(value: str) -> dict[str, Any]:
    """An ExternalReference with one GlobalReference key (a semanticId, a unitId)."""
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


_KEY_TYPES = frozenset((
    "AnnotatedRelationshipElement", "AssetAdministrationShell", "BasicEventElement", "Blob",
    "Capability", "ConceptDescription", "DataElement", "Entity", "EventElement", "File",
    "FragmentReference", "GlobalReference", "Identifiable", "MultiLanguageProperty",
    "Operation", "Property", "Range", "Referable", "ReferenceElement", "RelationshipElement",
    "Submodel", "SubmodelElement", "SubmodelElementCollection", "SubmodelElementList",
))
_REF_HEAD = re.compile(r"^\[(ModelRef|ExternalRef)\]\s*")
_KEY = re.compile(r"\((?P<type>[A-Za-z]+)\)(?P<value>.*?)(?=,\s*\([A-Za-z]+\)|$)", re.DOTALL)
_REF_NAMES = {"ModelRef": "ModelReference", "ExternalRef": "ExternalReference"}


def reference_to_text(ref: Mapping[str, Any]) -> str:
    """The text form of a reference (a ``referredSemanticId`` is not part of it).

    A one-key external reference to a global id is just the id
    (``0173-1#02-AAO677#002``); anything else uses the text serialisation of AAS Part 1
    (``[ModelRef](Submodel)urn:x, (Property)Temp``).
    """
    keys = ref.get("keys", [])
    if (ref.get("type") == "ExternalReference" and len(keys) == 1
            and keys[0].get("type") == "GlobalReference" and not keys[0]["value"].startswith(
                ("[", "("))):
        return str(keys[0]["value"])
    head = "[ModelRef]" if ref.get("type") == "ModelReference" else "[ExternalRef]"
    return head + ", ".join(f"({k['type']}){k['value']}" for k in keys)


def reference_from_text(text: str) -> dict[str, Any]:
    """Parse the text form of :func:`reference_to_text`.

    Raises:
        ValueError: When the text has the bracket form but is not a valid reference.
    """
    raw = text.strip()
    head = _REF_HEAD.match(raw)
    if head is None and not raw.startswith("("):
        return global_reference(text)  # as written: an id may carry spaces
    body = raw[head.end():] if head else raw
    keys = []
    pos = 0
    for match in _KEY.finditer(body):
        if match.start() != pos:
            break
        if match.group("type") not in _KEY_TYPES:
            raise ValueError(f"unknown key type {match.group('type')!r}")
        if not match.group("value").strip():
            raise ValueError(f"the {match.group('type')} key has no value")
        keys.append({"type": match.group("type"), "value": match.group("value").strip()})
        pos = match.end()
        comma = re.match(r",\s*", body[pos:])
        if comma:
            pos += comma.end()
    if not keys or pos != len(body):
        raise ValueError("expected keys like (GlobalReference)value, separated by ', '")
    kind = _REF_NAMES[head.group(1)] if head else "ExternalReference"
    return {"type": kind, "keys": keys}


def common_semantic_id(items: list[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The semanticId all items of a list share (each has one), or ``None``.

    Table-like sources have no place for a list's ``semanticIdListElement``; it is
    derived from the items (AASd-107 makes them equal to it anyway).
    """
    if not items or any("semanticId" not in i for i in items):
        return None
    first = items[0]["semanticId"]
    return dict(first) if all(i["semanticId"] == first for i in items) else None


#: Valid idShorts per target version ("both": valid in 3.0 and 3.1).
_VALID_ID_SHORT = {
    "3.0": re.compile(r"^[A-Za-z][A-Za-z0-9_]*$"),
    "3.1": re.compile(r"^[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9_]$"),
    "both": re.compile(r"^[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9_]$"),
}


class Names:
    """idShorts unique within one parent: valid names are kept as they are.

    Like :class:`omp_models.ids.IdShortAllocator`, except that a name valid in the target
    version (``Mode__00__``, a template's placeholder; ``X`` in 3.0) is never rewritten,
    only made unique.

    Args:
        version: The AAS version written (``"3.0"``, ``"3.1"``), or ``"both"``.
    """

    def __init__(self, version: str = "both") -> None:
        self._used: set[str] = set()
        self._valid = _VALID_ID_SHORT.get(version, _VALID_ID_SHORT["both"])

    def allocate(self, name: str) -> tuple[str, bool]:
        """A unique valid idShort for ``name`` and whether it differs from ``name``."""
        if (self._valid.match(name) and len(name) <= MAX_ID_SHORT
                and name.casefold() not in self._used):
            self._used.add(name.casefold())
            return name, False
        base = sanitize_id_short(name)
        candidate, n = base, 1
        while candidate.casefold() in self._used:
            n += 1
            suffix = f"_{n}"
            candidate = base[: MAX_ID_SHORT - len(suffix)] + suffix
        self._used.add(candidate.casefold())
        return candidate, True


def lang_strings(texts: Mapping[str, str]) -> list[dict[str, str]]:
    """Language-tagged strings in the JSON form, in the order given, empty texts left out."""
    return [{"language": lang, "text": text} for lang, text in texts.items() if text]


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A unit as a converter resolved it.

    Attributes:
        text: The unit as the source wrote it (IEC 61360 ``unit``), maybe empty.
        code: The UNECE Rec 20 code, when known.
        unit_id: The ``unitId`` reference, when there is one.
        derived: Whether the code was derived from the text (the source gave none).
    """

    text: str
    code: str | None
    unit_id: dict[str, Any] | None
    derived: bool = False


def resolve_unit(text: str, code_text: str) -> tuple[UnitInfo | None, str | None]:
    """Resolve a unit given as symbol/name and/or code.

    ``code_text`` is a UNECE Rec 20 code (``MMT``) or any other unit id (an ECLASS IRDI,
    an IRI, or a reference in text form), used as given; :data:`NO_CODE` (``-``) says the
    unit has no code on purpose (the text is kept as it is).

    Returns:
        ``(unit, None)``; ``(None, None)`` when both are empty; ``(partial, problem)``
        when the unit cannot be resolved (``partial`` keeps the text, without unitId) or
        the symbol and code contradict each other.
    """
    text, code_text = text.strip(), code_text.strip()
    if not text and not code_text:
        return None, None
    registry = units()
    if code_text == NO_CODE:
        return (UnitInfo(text, None, None) if text else None), None
    if code_text:
        unit = registry.by_code(code_text)
        if unit is not None:
            by_text = registry.lookup(text) if text else None
            if by_text is not None and by_text.code != unit.code:
                return UnitInfo(text, None, None), (
                    f"the unit {text!r} is {by_text.code} ({by_text.name}) but the unit "
                    f"code says {unit.code} ({unit.name})")
            return UnitInfo(text, unit.code, global_reference(unit.unece_iri)), None
        if any(c in code_text for c in ":#/") or code_text.startswith(("[", "(")):
            try:
                return UnitInfo(text, None, reference_from_text(code_text)), None
            except ValueError as exc:
                return UnitInfo(text, None, None), f"the unit id {code_text!r}: {exc}"
        return UnitInfo(text, None, None), (
            f"{code_text!r} is not a UNECE Rec 20 unit code (nor an IRDI or IRI)")
    unit = registry.lookup(text)
    if unit is None:
        return UnitInfo(text, None, None), f"the unit {text!r} is not in the unit registry"
    return UnitInfo(text, unit.code, global_reference(unit.unece_iri), derived=True), None


_DATA_TYPES = {
    "xs:string": "STRING", "xs:boolean": "BOOLEAN", "xs:date": "DATE",
    "xs:dateTime": "TIMESTAMP", "xs:time": "TIME", "xs:anyURI": "IRI",
}


def data_specification(preferred_name: Mapping[str, str], unit: UnitInfo,
                       value_type: str | None) -> dict[str, Any]:
    """An embedded IEC 61360 data specification carrying a unit.

    ``preferred_name`` must hold an English text (AASc-3a-002).
    """
    content: dict[str, Any] = {
        "modelType": "DataSpecificationIec61360",
        "preferredName": lang_strings(preferred_name),
    }
    if unit.text:
        content["unit"] = unit.text
    if unit.unit_id is not None:
        content["unitId"] = unit.unit_id
    if value_type in _INTEGER_TYPES:
        content["dataType"] = "INTEGER_MEASURE"
    elif value_type in NUMERIC_TYPES:
        content["dataType"] = "REAL_MEASURE"
    elif value_type in _DATA_TYPES:
        content["dataType"] = _DATA_TYPES[value_type]
    return {"dataSpecification": global_reference(IEC61360_TEMPLATE),
            "dataSpecificationContent": content}


def unit_columns(element: Mapping[str, Any],
                 concepts: Mapping[str, Mapping[str, Any]]) -> tuple[str, str, str | None]:
    """The unit text and unit code of an element, and where they came from.

    Looked up in the element's own IEC 61360 data specification first, then in the
    concept description its semanticId names.

    Returns:
        ``(unit, unit_code, origin)``; origin is ``"element"``, ``"concept"`` or ``None``.
    """
    for origin, holder in (("element", element), ("concept", _concept(element, concepts))):
        if holder is None:
            continue
        for spec in holder.get("embeddedDataSpecifications", []):
            content = spec.get("dataSpecificationContent", {})
            if content.get("modelType") != "DataSpecificationIec61360":
                continue
            unit_text = str(content.get("unit", ""))
            unit_id = content.get("unitId")
            code_text = ""
            if unit_id:
                keys = unit_id.get("keys", [])
                if (len(keys) == 1 and keys[0].get("type") == "GlobalReference"
                        and keys[0]["value"].startswith(UNECE_PREFIX)):
                    code_text = keys[0]["value"][len(UNECE_PREFIX):]
                else:
                    code_text = reference_to_text(unit_id)
            if unit_text or code_text:
                return unit_text, code_text, origin
    return "", "", None


def _concept(element: Mapping[str, Any], concepts: Mapping[str, Mapping[str, Any]]
             ) -> Mapping[str, Any] | None:
    keys = (element.get("semanticId") or {}).get("keys", [])
    if len(keys) == 1:
        return concepts.get(keys[0]["value"])
    return None
