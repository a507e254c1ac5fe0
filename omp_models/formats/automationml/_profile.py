"""The AAS-in-AutomationML profile (after AR 004E, for AAS V3): write and read back.

Written as CAEX 3.0 (AutomationML 2.10):

- a role class library ``AssetAdministrationShellRoleClassLib`` with one role class per AAS
  metamodel class (``AssetAdministrationShell``, ``Submodel``, ``Property``, ...);
- the instance hierarchy ``AssetAdministrationShellInstanceHierarchy``: one InternalElement
  per shell, with the submodels it references first nested in it (as AR 004E does), then the
  submodels no shell references; concept descriptions in
  ``ConceptDescriptionInstanceHierarchy``;
- every Referable is an InternalElement with a RoleRequirements to its class and a stable
  ID (a UUIDv5 of its identifier and idShort path); submodel elements nest as in the AAS;
- every other field is a CAEX Attribute named like its JSON key: text as ``xs:string``,
  booleans as ``xs:boolean``, objects as nested Attributes, lists as Attributes named
  ``0``, ``1``... and language strings as the AML multilingual ``aml-lang=<code>``
  Attributes. A Property's value carries the Property's ``valueType`` as its
  AttributeDataType and its semanticId as RefSemantic, so AML tools see a typed value.

The marker ``<AdditionalInformation AasInAml="omp-toolkit/1"/>`` tells the reader to read
the document back exactly (the round trip is lossless); without it, AML is read with the
general mapping.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, cast

from lxml import etree

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.automationml._caex import CAEX_NS, kids, line_of, local, xml_path
from omp_models.formats.automationml._json import Json

__all__ = ["MARKER", "ROLE_LIB", "is_profile", "read_profile", "write_profile"]

MARKER = "omp-toolkit/1"
ROLE_LIB = "AssetAdministrationShellRoleClassLib"
AAS_IH = "AssetAdministrationShellInstanceHierarchy"
CD_IH = "ConceptDescriptionInstanceHierarchy"
#: Written as LastWritingDateTime: output must not depend on the clock.
FIXED_TIME = "2000-01-01T00:00:00Z"
_NS = uuid.UUID("6f6d702d-746f-6f6c-6b69-742d61616d6c")
_LANG = "aml-lang="
_BOOL_KEYS = frozenset({"orderRelevant"})
#: The key of the Referable children of each class (InternalElements).
_CHILDREN = {"Submodel": "submodelElements", "SubmodelElementCollection": "value",
             "SubmodelElementList": "value", "Entity": "statements",
             "AnnotatedRelationshipElement": "annotations"}
_ROLES = ("AssetAdministrationShell", "Submodel", "ConceptDescription",
          "SubmodelElementCollection", "SubmodelElementList", "Property",
          "MultiLanguageProperty", "Range", "File", "Blob", "ReferenceElement",
          "RelationshipElement", "AnnotatedRelationshipElement", "Entity",
          "BasicEventElement", "Operation", "Capability")
#: Lists that basyx holds as sets (their order differs between runs).
_UNORDERED = frozenset({"submodels", "isCaseOf", "refersTo", "valueReferencePairs"})
_LISTS = {"AssetAdministrationShell": "assetAdministrationShells", "Submodel": "submodels",
          "ConceptDescription": "conceptDescriptions"}


def _q(tag: str) -> str:
    return f"{{{CAEX_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _q(tag), attrs)


# -- writing ---------------------------------------------------------------------------------
def _is_langstrings(value: list[Any]) -> bool:
    if not value or not all(isinstance(v, dict) and set(v) == {"language", "text"}
                            for v in value):
        return False
    languages = [v["language"] for v in value]
    return len(set(languages)) == len(languages)


def _attribute(parent: etree._Element, name: str, value: Any,
               data_type: str | None = None, semantic: list[str] | None = None) -> None:
    attr = _sub(parent, "Attribute", Name=name)
    if isinstance(value, bool):
        attr.set("AttributeDataType", "xs:boolean")
        _sub(attr, "Value").text = "true" if value else "false"
    elif isinstance(value, str):
        attr.set("AttributeDataType", data_type or "xs:string")
        _sub(attr, "Value").text = value
        for ref in semantic or []:
            _sub(attr, "RefSemantic", CorrespondingAttributePath=ref)
    elif isinstance(value, dict):
        for key, item in value.items():
            if item != []:  # an empty list is the same as an absent one in the AAS
                _attribute(attr, key, item)
    elif isinstance(value, list) and _is_langstrings(value):
        attr.set("AttributeDataType", "xs:string")
        for item in value:
            _attribute(attr, f"{_LANG}{item['language']}", item["text"])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _attribute(attr, str(index), item)
    else:
        raise TypeError(f"unexpected JSON value for {name!r}: {type(value).__name__}")


def _element(parent: etree._Element, obj: Json, owner: str, path: str, name: str) -> None:
    model_type = str(obj.get("modelType"))
    ie = _sub(parent, "InternalElement", Name=name,
              ID=str(uuid.uuid5(_NS, f"{owner}#{path}")))
    child_key = _CHILDREN.get(model_type)
    semantic = [k["value"] for k in (obj.get("semanticId") or {}).get("keys", [])][:1]
    for key, value in obj.items():
        if key == "modelType" or key == child_key or value == []:
            continue
        typed = obj.get("valueType") if key in ("value", "min", "max") else None
        _attribute(ie, key, value, typed if isinstance(typed, str) else None,
                   semantic if key == "value" else None)
    for index, child in enumerate(obj.get(child_key) or [] if child_key else []):
        label = str(child.get("idShort") or index)
        _element(ie, child, owner, f"{path}/{label}", label)
    _sub(ie, "RoleRequirements", RefBaseRoleClassPath=f"{ROLE_LIB}/{model_type}")


def _canonical(value: Any, key: str = "") -> Any:
    """Sort the lists the object model keeps as sets, so output is the same in every run."""
    if isinstance(value, dict):
        return {k: _canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if key in _UNORDERED:
            items.sort(key=lambda item: json.dumps(item, sort_keys=True))
        return items
    return value


def write_profile(env: Json, file_name: str, origin_version: str) -> bytes:
    """A CAEX 3.0 document holding the environment (see the module docstring)."""
    env = _canonical(env)
    nsmap = cast("dict[str, str]", {None: CAEX_NS})
    root = etree.Element(_q("CAEXFile"), nsmap=nsmap, FileName=file_name, SchemaVersion="3.0")
    _sub(root, "AdditionalInformation", AutomationMLVersion="2.10")
    _sub(root, "AdditionalInformation", AasInAml=MARKER)
    _sub(root, "SuperiorStandardVersion").text = "AutomationML 2.10"
    _sub(root, "SourceDocumentInformation", OriginName="omp-toolkit", OriginID="omp-toolkit",
         OriginVersion=origin_version, LastWritingDateTime=FIXED_TIME,
         OriginVendor="omp-toolkit contributors")
    shells = env.get("assetAdministrationShells") or []
    submodels = {str(s["id"]): s for s in env.get("submodels") or []}
    placed: set[str] = set()
    ih = _sub(root, "InstanceHierarchy", Name=AAS_IH)
    for shell in shells:
        _element(ih, shell, str(shell["id"]), "", str(shell.get("idShort") or shell["id"]))
        shell_ie = ih[-1]
        role = shell_ie[-1]
        for ref in shell.get("submodels") or []:
            target = ref["keys"][-1]["value"] if ref.get("keys") else None
            if target in submodels and target not in placed:
                placed.add(target)
                sm = submodels[target]
                _element(shell_ie, sm, target, "", str(sm.get("idShort") or target))
        shell_ie.append(role)  # RoleRequirements after the nested InternalElements
    for sm_id, sm in submodels.items():
        if sm_id not in placed:
            _element(ih, sm, sm_id, "", str(sm.get("idShort") or sm_id))
    cds = env.get("conceptDescriptions") or []
    if cds:
        cd_ih = _sub(root, "InstanceHierarchy", Name=CD_IH)
        for cd in cds:
            _element(cd_ih, cd, str(cd["id"]), "", str(cd.get("idShort") or cd["id"]))
    lib = _sub(root, "RoleClassLib", Name=ROLE_LIB)
    _sub(lib, "Description").text = (
        "Roles of the Asset Administration Shell metamodel (V3), one per class; written by "
        "omp-toolkit after AutomationML AR 004E.")
    _sub(lib, "Version").text = "3.0"
    for role_name in _ROLES:
        _sub(lib, "RoleClass", Name=role_name)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


# -- reading ---------------------------------------------------------------------------------
def is_profile(root: etree._Element) -> bool:
    """Whether a CAEX document carries the profile marker."""
    return any(a.get("AasInAml") == MARKER for a in kids(root, "AdditionalInformation"))


def _decode(attr: etree._Element, key: str) -> Any:
    children = list(kids(attr, "Attribute"))
    values = list(kids(attr, "Value"))
    if children and all((c.get("Name") or "").startswith(_LANG) for c in children):
        return [{"language": str(c.get("Name"))[len(_LANG):], "text": _decode(c, "text")}
                for c in children]
    if values and not children:
        text = values[0].text or ""
        if key in _BOOL_KEYS and attr.get("AttributeDataType") == "xs:boolean":
            return text == "true"
        return text
    if children and all((c.get("Name") or "").isdigit() for c in children):
        return [_decode(c, key) for c in sorted(children, key=lambda c: int(c.get("Name") or 0))]
    return {str(c.get("Name")): _decode(c, str(c.get("Name"))) for c in children}


def _role(ie: etree._Element) -> str | None:
    for req in kids(ie, "RoleRequirements"):
        path = req.get("RefBaseRoleClassPath") or ""
        if path.startswith(f"{ROLE_LIB}/"):
            return path[len(ROLE_LIB) + 1:]
    return None


def _read_element(ie: etree._Element, model_type: str, report: ConversionReport,
                  source: str, env: dict[str, list[Json]]) -> Json:
    obj: Json = {"modelType": model_type}
    for attr in kids(ie, "Attribute"):
        name = str(attr.get("Name"))
        obj[name] = _decode(attr, name)
    child_key = _CHILDREN.get(model_type)
    children: list[Json] = []
    for child in kids(ie, "InternalElement"):
        role = _role(child)
        if role is None:
            report.add(Code.INVALID_INPUT, IssueSeverity.LOSSY,
                       "an InternalElement without an AAS role is not converted",
                       source=xml_path(child), file=source, line=line_of(child))
        elif role in _LISTS:
            env[_LISTS[role]].append(_read_element(child, role, report, source, env))
        elif child_key is None:
            report.add(Code.INVALID_INPUT, IssueSeverity.LOSSY,
                       f"a {model_type} has no child elements; this one is not converted",
                       source=xml_path(child), file=source, line=line_of(child))
        else:
            children.append(_read_element(child, role, report, source, env))
    if child_key and children:
        obj[child_key] = children
    return obj


def read_profile(root: etree._Element, report: ConversionReport, source: str) -> Json:
    """The environment (JSON form) of a document written by :func:`write_profile`."""
    env: dict[str, list[Json]] = {name: [] for name in _LISTS.values()}
    for ih in kids(root, "InstanceHierarchy"):
        for ie in kids(ih, "InternalElement"):
            role = _role(ie)
            if role in _LISTS:
                env[_LISTS[role]].append(_read_element(ie, str(role), report, source, env))
            else:
                report.add(Code.INVALID_INPUT, IssueSeverity.LOSSY,
                           f"<{local(ie)}> is not a shell, submodel or concept description",
                           source=xml_path(ie), file=source, line=line_of(ie))
    return {k: v for k, v in env.items() if v}
