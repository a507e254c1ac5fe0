"""The metamodel invariants the JSON Schema cannot express, over parsed JSON.

Each function states one invariant of aas-core's ``verification`` module (named in its
comment) over the JSON form, and raises :class:`Reject` when the document breaks it *or
might*: whatever is not certainly fine is handed to aas-core, which then reports the exact
findings. They run only after the schema check passed, so types, required keys,
enumerations, patterns and lengths are known to hold. :mod:`._walk` decides which of them
apply to which class and visits the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from omp_models.aas._core import AasVersion
from omp_validators.checks._fast._lexical import consistent

__all__ = [
    "DATA_ELEMENTS",
    "SPECIFIC",
    "Context",
    "Invariant",
    "Node",
    "Reject",
    "data_element_category",
    "has_extensions",
    "has_semantics",
    "id_short_31",
    "in_rfc_2396_subset",
    "qualifiable",
    "unique_descriptions",
    "unique_display_names",
]

Node = dict[str, Any]
Invariant = Callable[[Node, "Context"], None]


class Reject(Exception):
    """The fast path cannot vouch for the document; aas-core decides."""


# --- lexical helpers the schema leaves out ------------------------------------------------

_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_U = r"(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-Fa-f]{2})"
_ABS_PATH = rf"/(?:{_U}|[:@&=+$,;/])*"
_URIC = rf"(?:{_U}|[;/?:@&=+$,])"
_QUERY = rf"(?:\?{_URIC}*)?"
#: A subset of RFC 2396 URI-references (aas-core's ``matches_rfc_2396`` accepts all of
#: them): absolute URIs with a registry-name or empty authority, absolute and relative
#: paths, opaque parts, optional query and fragment.
_RFC_2396_SUBSET = (
    rf"(?:[A-Za-z][A-Za-z0-9+\-.]*:(?:(?://(?:(?:{_U}|[$,;:@&=+])+)?(?:{_ABS_PATH})?"
    rf"|{_ABS_PATH}){_QUERY}|(?:{_U}|[;?:@&=+$,]){_URIC}*)"
    rf"|(?:{_ABS_PATH}|(?:{_U}|[;@&=+$,])+(?:{_ABS_PATH})?){_QUERY})?"
    rf"(?:#{_URIC}*)?"
)


@cache
def _rfc_2396_subset() -> re.Pattern[str]:
    return re.compile(_RFC_2396_SUBSET)  # compiled when first needed: ~2 ms


def in_rfc_2396_subset(value: str) -> bool:
    """Whether ``value`` is in the RFC 2396 subset above (then aas-core accepts it)."""
    return _rfc_2396_subset().fullmatch(value) is not None


_UTC_DATE = re.compile(r"(-?[0-9]+)-([0-9]{2})-([0-9]{2})T")
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ENGLISH = re.compile(r"(en|EN)(-[^\n]*)?")
_ID_SHORT_31 = re.compile(r"[a-zA-Z][a-zA-Z0-9_-]*[a-zA-Z0-9_]")
_NON_NEGATIVE = re.compile(r"\+?[0-9]+")


def _date_time_utc(value: str) -> None:
    # is_xs_date_time_utc: the schema has the pattern, not the day-of-month check.
    # Years before the common era count from -1 (= 1 BCE, a leap year), as in XSD 1.0.
    match = _UTC_DATE.match(value)
    if match is None or len(match.group(1)) > 18:
        raise Reject
    year, month, day = (int(g) for g in match.groups())
    if year == 0 or not 1 <= month <= 12 or day < 1:
        raise Reject
    if year < 0:
        year = -year - 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day > (_DAYS[month] if month != 2 else 29 if leap else 28):
        raise Reject


# --- the version's constants and plans ----------------------------------------------------


#: How to visit a child: its class (``None``: a choice, read ``modelType``), whether the
#: key holds a list, and for classes without invariants or children ("leaves": keys,
#: language strings) just the keys they may carry, checked without a call.
Child = tuple[str | None, bool, frozenset[str] | None]
#: An invariant and the key it is about (``None``: it always runs). An invariant with a
#: key has nothing to check when the object lacks that key, so the walk does not call it.
Check = tuple[str | None, Invariant]
#: Per class: the keys it may carry, its invariants, its children by key.
Plan = tuple[frozenset[str], tuple[Check, ...], dict[str, Child]]


class Context(NamedTuple):
    """One metamodel version's plans (per class) and aas-core constant sets."""

    version: AasVersion
    plans: dict[str, Plan]
    sets: dict[str, frozenset[str]]
    #: AasSubmodelElements literal -> concrete classes that are instances of it.
    sme_types: dict[str, frozenset[str]]


# --- shared invariants ---------------------------------------------------------------------


def _unique(items: list[Node], key: str) -> None:
    seen: set[Any] = set()
    for item in items:
        value = item.get(key)
        if value in seen:
            raise Reject
        if value is not None:
            seen.add(value)


def _all_id_shorts(items: list[Node]) -> None:
    for item in items:
        if "idShort" not in item:
            raise Reject


# Each of these looks at one key (see :data:`Check`); the walk calls it only when the
# object has that key.


def has_semantics(d: Node, ctx: Context) -> None:
    # AASd-118 (key: supplementalSemanticIds)
    if "semanticId" not in d:
        raise Reject


def has_extensions(d: Node, ctx: Context) -> None:
    # AASd-077 (key: extensions)
    _unique(d["extensions"], "name")


def id_short_31(d: Node, ctx: Context) -> None:
    # The 3.1 idShort pattern (the vendored 3.1 schema still has the 3.0 one, which
    # accepts one-letter idShorts that 3.1 refuses). (key: idShort; 3.1 only)
    if _ID_SHORT_31.fullmatch(d["idShort"]) is None:
        raise Reject


def unique_display_names(d: Node, ctx: Context) -> None:
    # lang_strings_have_unique_languages (key: displayName)
    _unique(d["displayName"], "language")


def unique_descriptions(d: Node, ctx: Context) -> None:
    # lang_strings_have_unique_languages (key: description)
    _unique(d["description"], "language")


def qualifiable(d: Node, ctx: Context) -> None:
    # AASd-021 (key: qualifiers)
    _unique(d["qualifiers"], "type")


def data_element_category(d: Node, ctx: Context) -> None:
    # AASd-090, 3.0 only (key: category)
    if d["category"] not in ctx.sets["VALID_CATEGORIES_FOR_DATA_ELEMENT"]:
        raise Reject


def _value(d: Node, key: str, value_type: str, ctx: Context) -> None:
    if key in d and not consistent(d[key], value_type, ctx.version):
        raise Reject


# --- references ----------------------------------------------------------------------------


def _model_reference_to(ref: Node, key_types: frozenset[str] | str) -> bool:
    keys = ref["keys"]
    if ref["type"] != "ModelReference" or not keys:
        return False
    last = keys[-1]["type"]
    return last == key_types if isinstance(key_types, str) else last in key_types


def _reference(d: Node, ctx: Context) -> None:
    # AASd-121 ... AASd-128
    keys = d["keys"]
    if len(keys) == 1 and keys[0]["type"] == "GlobalReference" and d["type"] == (
        "ExternalReference"
    ):
        return  # the common semanticId: one GlobalReference key, nothing more to check
    s = ctx.sets
    types = [k["type"] for k in keys]
    if not types or types[0] not in s["GLOBALLY_IDENTIFIABLES"]:
        raise Reject
    if d["type"] == "ExternalReference":
        if types[0] not in s["GENERIC_GLOBALLY_IDENTIFIABLES"]:
            raise Reject
        last = types[-1]
        if last not in s["GENERIC_GLOBALLY_IDENTIFIABLES"] and last not in s[
            "GENERIC_FRAGMENT_KEYS"
        ]:
            raise Reject
        return
    if types[0] not in s["AAS_IDENTIFIABLES"]:
        raise Reject
    if len(types) > 1:
        fragments = s["FRAGMENT_KEYS"]
        if any(t not in fragments for t in types[1:]):
            raise Reject
        generic = s["GENERIC_FRAGMENT_KEYS"]
        if any(t in generic for t in types[:-1]):
            raise Reject
        if types[-1] == "FragmentReference" and types[-2] not in ("File", "Blob"):
            raise Reject
    if len(types) > 2:
        for i in range(len(types) - 1):
            if types[i] == "SubmodelElementList" and not _NON_NEGATIVE.fullmatch(
                keys[i + 1]["value"]
            ):
                raise Reject


def _key_values(ref: Node) -> list[str]:
    return [k["value"] for k in ref["keys"]]


# --- per class -----------------------------------------------------------------------------


def _extension(d: Node, ctx: Context) -> None:
    _value(d, "value", d.get("valueType", "xs:string"), ctx)


def _administrative_information(d: Node, ctx: Context) -> None:
    # AASd-005
    if "revision" in d and "version" not in d:
        raise Reject


def _qualifier(d: Node, ctx: Context) -> None:
    # AASd-020
    _value(d, "value", d["valueType"], ctx)


def _asset_administration_shell(d: Node, ctx: Context) -> None:
    if "derivedFrom" in d and not _model_reference_to(d["derivedFrom"], "AssetAdministrationShell"):
        raise Reject
    for ref in d.get("submodels", ()):
        if not _model_reference_to(ref, "Submodel"):
            raise Reject


def _asset_information(d: Node, ctx: Context) -> None:
    # AASd-116, AASd-131
    global_id = d.get("globalAssetId")
    for sai in d.get("specificAssetIds", ()):
        if sai["name"] == "globalAssetId" and (global_id is None or sai["value"] != global_id):
            raise Reject
    if global_id is None and "specificAssetIds" not in d:
        raise Reject


def _specific_asset_id(d: Node, ctx: Context) -> None:
    # AASd-133
    if "externalSubjectId" in d and d["externalSubjectId"]["type"] != "ExternalReference":
        raise Reject


def _submodel(d: Node, ctx: Context) -> None:
    elements = d.get("submodelElements")
    template = d.get("kind", "Instance") == "Template"
    if elements is not None:
        _all_id_shorts(elements)
        _unique(elements, "idShort")  # AASd-022
        if not template:  # AASd-129
            for element in elements:
                for q in element.get("qualifiers", ()):
                    if q.get("kind", "ConceptQualifier") == "TemplateQualifier":
                        raise Reject
    if not template:  # AASd-119
        for q in d.get("qualifiers", ()):
            if q.get("kind", "ConceptQualifier") == "TemplateQualifier":
                raise Reject


def _submodel_element_list(d: Node, ctx: Context) -> None:
    value = d.get("value")
    type_value = d["typeValueListElement"]
    property_or_range = type_value in ("Property", "Range")
    if value is None:
        if ctx.version == "3.0" and property_or_range and "valueTypeListElement" not in d:
            raise Reject  # AASd-109 (3.0 asks for the value type even without values)
        return
    semantic_id = d.get("semanticIdListElement")
    first: list[str] | None = None
    allowed = ctx.sme_types[type_value]
    value_type = d.get("valueTypeListElement")
    for child in value:
        child_semantic = child.get("semanticId")
        if child_semantic is not None:
            values = _key_values(child_semantic)
            # AASd-107
            if semantic_id is not None and values != _key_values(semantic_id):
                raise Reject
            # AASd-114
            if first is None:
                first = values
            elif values != first:
                raise Reject
        # AASd-108
        if child["modelType"] not in allowed:
            raise Reject
        # AASd-109
        if property_or_range and (
            value_type is None
            or (child["modelType"] in ("Property", "Range") and child["valueType"] != value_type)
        ):
            raise Reject
        # AASd-120 (3.0)
        if ctx.version == "3.0" and "idShort" in child:
            raise Reject


def _submodel_element_collection(d: Node, ctx: Context) -> None:
    if "value" in d:
        _all_id_shorts(d["value"])
        _unique(d["value"], "idShort")


def _property(d: Node, ctx: Context) -> None:
    _value(d, "value", d["valueType"], ctx)


def _multi_language_property(d: Node, ctx: Context) -> None:
    if "value" in d:
        _unique(d["value"], "language")


def _range(d: Node, ctx: Context) -> None:
    _value(d, "min", d["valueType"], ctx)
    _value(d, "max", d["valueType"], ctx)


def _blob(d: Node, ctx: Context) -> None:
    # aas-core's reader decodes the value with base64.b64decode: only strict base64 is
    # certain to decode.
    if "value" in d and _B64.fullmatch(d["value"]) is None:
        raise Reject


def _file(d: Node, ctx: Context) -> None:
    # verify_path_type: RFC 2396, which the schema does not check
    if "value" in d and not in_rfc_2396_subset(d["value"]):
        raise Reject


def _resource(d: Node, ctx: Context) -> None:
    if not in_rfc_2396_subset(d["path"]):
        raise Reject


def _annotated_relationship_element(d: Node, ctx: Context) -> None:
    if "annotations" in d:
        _all_id_shorts(d["annotations"])


def _entity(d: Node, ctx: Context) -> None:
    if "statements" in d:
        _all_id_shorts(d["statements"])
    # AASd-014
    entity_type = d.get("entityType")
    has_global = "globalAssetId" in d
    has_specific = "specificAssetIds" in d
    if entity_type == "SelfManagedEntity":
        if has_global == has_specific:
            raise Reject
    elif ctx.version == "3.0" and (has_global or has_specific):
        raise Reject


def _event_payload(d: Node, ctx: Context) -> None:
    if not _model_reference_to(d["source"], frozenset({"EventElement", "BasicEventElement"})):
        raise Reject
    if not _model_reference_to(d["observableReference"], ctx.sets["AAS_REFERABLES"]):
        raise Reject
    _date_time_utc(d["timeStamp"])
    # aas-core's reader decodes the payload like a Blob value
    if "payload" in d and _B64.fullmatch(d["payload"]) is None:
        raise Reject


def _basic_event_element(d: Node, ctx: Context) -> None:
    if d["direction"] == "input" and "maxInterval" in d:
        raise Reject
    referables = ctx.sets["AAS_REFERABLES"]
    if not _model_reference_to(d["observed"], referables):
        raise Reject
    if "messageBroker" in d and not _model_reference_to(d["messageBroker"], referables):
        raise Reject
    if "lastUpdate" in d:
        _date_time_utc(d["lastUpdate"])


def _operation(d: Node, ctx: Context) -> None:
    # AASd-134
    seen: set[str] = set()
    for key in ("inputVariables", "outputVariables", "inoutputVariables"):
        for variable in d.get(key, ()):
            id_short = variable["value"].get("idShort")
            if id_short is not None:
                if id_short in seen:
                    raise Reject
                seen.add(id_short)


def _operation_variable(d: Node, ctx: Context) -> None:
    if "idShort" not in d["value"]:
        raise Reject


def _english(language: str) -> bool:
    return _ENGLISH.fullmatch(language) is not None


def _iec61360_contents(d: Node) -> list[Node]:
    return [
        eds["dataSpecificationContent"]
        for eds in d.get("embeddedDataSpecifications", ())
        if eds["dataSpecificationContent"].get("modelType") == "DataSpecificationIec61360"
    ]


def _concept_description(d: Node, ctx: Context) -> None:
    if "embeddedDataSpecifications" not in d:
        return
    contents = _iec61360_contents(d)
    # AASc-3a-008
    english = all(
        "definition" in c and any(_english(ls["language"]) for ls in c["definition"])
        for c in contents
    )
    if not english and not all("value" in c for c in contents):
        raise Reject
    category = d.get("category")
    allowed = {
        "QUALIFIER_TYPE": None,  # AASc-3a-007: a data type at all
        "DOCUMENT": "DATA_TYPE_IEC_61360_FOR_DOCUMENT",  # AASc-3a-006
        "REFERENCE": "DATA_TYPE_IEC_61360_FOR_REFERENCE",  # AASc-3a-005
        "PROPERTY": "DATA_TYPE_IEC_61360_FOR_PROPERTY_OR_VALUE",  # AASc-3a-004
        "VALUE": "DATA_TYPE_IEC_61360_FOR_PROPERTY_OR_VALUE",
    }
    if category in allowed:
        name = allowed[category]
        for c in contents:
            if "dataType" not in c or (name is not None and c["dataType"] not in ctx.sets[name]):
                raise Reject


def _data_specification_iec61360(d: Node, ctx: Context) -> None:
    # AASc-3a-010
    if "value" in d and "valueList" in d:
        raise Reject
    # AASc-3a-009
    if (
        d.get("dataType") in ctx.sets["IEC_61360_DATA_TYPES_WITH_UNIT"]
        and "unit" not in d
        and "unitId" not in d
    ):
        raise Reject
    for key in ("definition", "shortName", "preferredName"):
        if key in d:
            _unique(d[key], "language")
    # AASc-002 / AASc-3a-002
    if not any(_english(ls["language"]) for ls in d["preferredName"]):
        raise Reject


SPECIFIC: dict[str, Invariant] = {
    "Extension": _extension,
    "AdministrativeInformation": _administrative_information,
    "Qualifier": _qualifier,
    "AssetAdministrationShell": _asset_administration_shell,
    "AssetInformation": _asset_information,
    "SpecificAssetId": _specific_asset_id,
    "Submodel": _submodel,
    "SubmodelElementList": _submodel_element_list,
    "SubmodelElementCollection": _submodel_element_collection,
    "Property": _property,
    "MultiLanguageProperty": _multi_language_property,
    "Range": _range,
    "Blob": _blob,
    "File": _file,
    "Resource": _resource,
    "AnnotatedRelationshipElement": _annotated_relationship_element,
    "Entity": _entity,
    "EventPayload": _event_payload,
    "BasicEventElement": _basic_event_element,
    "Operation": _operation,
    "OperationVariable": _operation_variable,
    "ConceptDescription": _concept_description,
    "Reference": _reference,
    "DataSpecificationIec61360": _data_specification_iec61360,
}

DATA_ELEMENTS = frozenset(
    {"Property", "MultiLanguageProperty", "Range", "ReferenceElement", "Blob", "File"}
)
