"""ConceptDescriptions (IEC 61360) for the types and declarations of a NodeSet (JSON form)."""

from __future__ import annotations

import json

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.opcua._common import (
    FMT,
    MAX_TEXT,
    Json,
    Tally,
    ext_ref,
    keep,
    lang_map,
    lang_strings,
)
from omp_models.formats.opcua._common import norm_lang as _lang
from omp_models.formats.opcua._ir import UA_NS, Node, split_key
from omp_models.formats.opcua._space import Space
from omp_models.formats.opcua._values import LText
from omp_models.ids import sanitize_id_short
from omp_models.units import Unit

__all__ = ["IEC61360", "concept_description"]

IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"
_INTEGERS = frozenset(range(2, 10)) | {27, 28}
_REALS = frozenset({10, 11, 26})
_ENUM_VALUES = f"{{{UA_NS}}}Definition"
_DOCUMENTATION = f"{{{UA_NS}}}Documentation"
_CATEGORY = f"{{{UA_NS}}}Category"


def _iec_type(builtin: int | None, has_unit: bool) -> str | None:
    if builtin == 1:
        return "BOOLEAN"
    if builtin in _INTEGERS:
        return "INTEGER_MEASURE" if has_unit else "INTEGER_COUNT"
    if builtin in _REALS:
        return "REAL_MEASURE" if has_unit else None
    if builtin in (12, 14, 17, 18, 20):
        return "STRING"
    if builtin == 13:
        return "TIMESTAMP"
    if builtin == 15:
        return "BLOB"
    if builtin == 21:
        return "STRING_TRANSLATABLE"
    if builtin == 29:
        return "INTEGER_COUNT"
    return None


def concept_description(node: Node, space: Space, found_unit: tuple[Unit, str] | None,
                        tally: Tally, cd_id: str | None = None) -> Json:
    """The ConceptDescription of a type, a declaration or a dictionary entry.

    Its id is the node's expanded NodeId, or ``cd_id`` (a dictionary entry's IRDI/IRI).
    ``found_unit`` is the unit of its EngineeringUnits with the source's display text
    (which becomes ``unit``; the UNECE code becomes ``unitId``).
    """
    unit, shown = found_unit if found_unit is not None else (None, "")
    preferred: dict[str, str] = {}
    for locale, text in node.display:
        if text:
            lang = _lang(locale)
            if lang not in preferred:
                preferred[lang] = text[:255]
    if "en" not in preferred:
        preferred["en"] = node.browse_name[:255] or split_key(node.key)[1]
    texts, _ = lang_map(node.description, None, MAX_TEXT)
    if "en" not in texts:
        kind = {"ObjectType": "object type", "VariableType": "variable type",
                "DataType": "data type", "ReferenceType": "reference type"}.get(
                    node.node_class, node.node_class.lower())
        texts["en"] = f"OPC UA {kind} {node.browse_name} ({split_key(node.key)[0]})"
        tally.add(Code.DEFAULTED, IssueSeverity.INFO,
                  "a ConceptDescription definition was generated from the BrowseName (the node "
                  "has no English Description)", node.key, node.line)
    builtin = None
    if node.node_class in ("Variable", "VariableType"):
        builtin = space.builtin(node.data_type)
    elif node.node_class == "DataType":
        builtin = space.builtin(node.key)
    value_list = _value_list(node, space) if builtin == 29 else None
    documentation: str | None = None
    categories: list[str] = []
    for _, child in node.extras or ():
        tag = child.tag
        if tag == _DOCUMENTATION and documentation is None:
            documentation = child.text or ""
        elif tag == _CATEGORY and child.text:
            categories.append(child.text)
    content: Json = {"preferredName": lang_strings(preferred)}
    if unit is not None:
        content["unit"] = (shown or unit.symbol or unit.code)[:255]
        content["unitId"] = ext_ref(unit.unece_iri)
    if documentation:
        content["sourceOfDefinition"] = documentation.strip()[:2000]
    data_type = _iec_type(builtin, unit is not None)
    if data_type is not None:
        content["dataType"] = data_type
    content["definition"] = lang_strings(texts)
    if value_list is not None:
        # (sorted as the JSON form sorts the pairs basyx keeps in a set)
        content["valueList"] = {"valueReferencePairs": sorted(
            value_list, key=lambda pair: json.dumps(pair, sort_keys=True))}
    content["modelType"] = "DataSpecificationIec61360"
    extensions: list[Json] = []
    if categories:
        keep(extensions, FMT, "Category", "\n".join(categories))
    cd: Json = {"extensions": extensions} if extensions else {}
    cd["idShort"] = sanitize_id_short(node.browse_name)
    cd["id"] = cd_id or node.key
    cd["embeddedDataSpecifications"] = [{"dataSpecification": ext_ref(IEC61360),
                                         "dataSpecificationContent": content}]
    if node.node_class in ("ObjectType", "VariableType", "DataType", "ReferenceType"):
        super_key = space.supertype(node.key)
        if super_key is not None:
            cd["isCaseOf"] = [ext_ref(super_key)]
    cd["modelType"] = "ConceptDescription"
    return cd


def _value_list(node: Node, space: Space) -> list[Json] | None:
    data_type = node if node.node_class == "DataType" else space.get(node.data_type)
    if data_type is None:
        return None
    pairs: list[Json] = []
    definition = data_type.elem.find(_ENUM_VALUES)
    if definition is not None:
        for item in definition.iterchildren(f"{{{UA_NS}}}Field"):
            name = item.get("Name") or ""
            number = item.get("Value") or str(len(pairs))
            if name:
                pairs.append({"value": number, "valueId": ext_ref(f"{data_type.key}#{name}")})
    if not pairs:
        for _, child in space.children(data_type.key):
            if child.browse_name == "EnumStrings":
                from omp_models.formats.opcua._values import parse_value

                items = parse_value(child.value, child.doc) if child.value is not None else None
                if isinstance(items, list):
                    for index, text in enumerate(items):
                        label = text.text if isinstance(text, LText) else str(text)
                        pairs.append({"value": str(index),
                                      "valueId": ext_ref(f"{data_type.key}#{label}")})
    return pairs or None
