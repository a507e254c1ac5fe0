"""The node plan of the NodeSet writer: one :class:`OutNode` per AAS element.

See :mod:`omp_models.formats.opcua._write` for the mapping; this module decides node
classes, NodeIds, references, values and the AAS extension blob of every node.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import (
    CARDINALITY_SEMANTIC_ID,
    FMT,
    RULE_OF_CARDINALITY,
    Tally,
)
from omp_models.formats.opcua._ir import NS0, TYPES_NS, escape_uri, split_key
from omp_models.formats.opcua._space import (
    HAS_COMPONENT,
    HAS_DICTIONARY_ENTRY,
    HAS_MODELLING_RULE,
    HAS_ORDERED_COMPONENT,
    HAS_PROPERTY,
    HAS_SUBTYPE,
    HAS_TYPE_DEFINITION,
    ORGANIZES,
    ns0,
)
from omp_models.formats.opcua._values import UA_OF_XS, XS_OF_UA, value_element

__all__ = ["CHILD_KEYS", "NodePlan", "OutNode", "canonical_cardinality", "plain_reference"]

_T = f"{{{TYPES_NS}}}"
_SRC = f"src:{FMT}:"
#: Keys of the JSON form that hold child elements (written as child nodes).
CHILD_KEYS: dict[str, str] = {
    "Submodel": "submodelElements", "SubmodelElementCollection": "value",
    "SubmodelElementList": "value", "Entity": "statements",
    "AnnotatedRelationshipElement": "annotations",
}
_NATIVE = ("idShort", "displayName", "description")
_OBJECTS = frozenset({"SubmodelElementCollection", "Entity", "RelationshipElement",
                      "AnnotatedRelationshipElement", "BasicEventElement", "Capability",
                      "SubmodelElementList"})
_INT_RANGES = {8: (-(2 ** 63), 2 ** 63 - 1), 9: (0, 2 ** 64 - 1)}
_OBJECTS_FOLDER = ns0(85)
_DICTIONARIES = ns0(17594)


@dataclass
class OutNode:
    """One node to write."""

    key: str
    node_class: str
    browse_uri: str
    browse_name: str
    parent: str | None = None
    data_type: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    display: list[tuple[str, str]] = field(default_factory=list)
    description: list[tuple[str, str]] = field(default_factory=list)
    documentation: str | None = None
    refs: list[tuple[str, str, bool]] = field(default_factory=list)
    blob: dict[str, Any] | None = None
    value: Any = None
    translations: list[tuple[str, str]] = field(default_factory=list)


def plain_reference(value: str) -> dict[str, Any]:
    """The JSON form of an ExternalReference with one GlobalReference key."""
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def canonical_cardinality(value: str) -> dict[str, Any]:
    """The SMT/Cardinality qualifier the reader makes from a ModellingRule."""
    return {"kind": "TemplateQualifier", "semanticId": plain_reference(CARDINALITY_SEMANTIC_ID),
            "type": "SMT/Cardinality", "valueType": "xs:string", "value": value}


def _src(element: dict[str, Any], name: str) -> str | None:
    for extension in element.get("extensions") or ():
        if extension.get("name") == _SRC + name:
            value = extension.get("value")
            return value if isinstance(value, str) else None
    return None


def _langs(entries: Any) -> list[tuple[str, str]]:
    return [(e.get("language", ""), e.get("text", "")) for e in entries or ()
            if isinstance(e, dict)]


class NodePlan:
    """Decides the nodes of the output (no XML here)."""

    def __init__(self, jsonable: dict[str, Any], options: ConvertOptions,
                 report: ConversionReport, keep: bool) -> None:
        self.env = jsonable
        self.options = options
        self.report = report
        self.keep = keep
        self.tally = Tally()
        self.nodes: list[OutNode] = []
        self.used: set[str] = set()
        self.required: dict[str, tuple[str | None, str | None]] = {}
        self.model_uri, self.model_version, self.publication_date = self._model()
        self.prefix = f"nsu={escape_uri(self.model_uri)};"
        self.concepts: dict[str, str] = {}

    # ------------------------------------------------------------------ model
    def _model(self) -> tuple[str, str | None, str | None]:
        extra = self.options.extra
        submodels = self.env.get("submodels") or []
        recorded = None
        for submodel in submodels:
            text = _src(submodel, "Model")
            if text:
                try:
                    recorded = json.loads(text)
                except ValueError:
                    recorded = None
                if isinstance(recorded, dict):
                    break
        if isinstance(recorded, dict):
            for req in recorded.get("required") or ():
                if isinstance(req, dict) and isinstance(req.get("uri"), str):
                    self.required[req["uri"]] = (req.get("version"), req.get("publicationDate"))
        uri = extra.get("model-uri") or (recorded or {}).get("uri")
        if not uri:
            if len(submodels) == 1:
                uri = submodels[0]["id"]
            else:
                uri = self.options.base_iri + "opcua-nodeset"
        version = extra.get("model-version") or (recorded or {}).get("version")
        if not version and len(submodels) == 1:
            admin = submodels[0].get("administration") or {}
            if admin.get("version"):
                version = ".".join(p for p in (admin.get("version"), admin.get("revision")) if p)
        date = extra.get("publication-date") or (recorded or {}).get("publicationDate")
        return uri, version or "1.0.0", date

    # ------------------------------------------------------------------ ids
    def _alloc(self, preferred: str | None, name: str) -> str:
        if preferred and preferred.startswith(self.prefix) and preferred not in self.used:
            self.used.add(preferred)
            return preferred
        base = self.prefix + "s=" + name
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}~{n}"
        self.used.add(candidate)
        return candidate

    def _preferred(self, element: dict[str, Any]) -> str | None:
        found = _src(element, "NodeId")
        if found:
            return found
        for ref in [element.get("semanticId"), *(element.get("supplementalSemanticIds") or ())]:
            keys = (ref or {}).get("keys") or []
            if len(keys) == 1 and str(keys[0].get("value", "")).startswith(self.prefix):
                return str(keys[0]["value"])
        return None

    def _browse(self, element: dict[str, Any], fallback: str) -> tuple[str, str]:
        recorded = _src(element, "BrowseName")
        if recorded and recorded.startswith("nsu="):
            uri, _, name = recorded[4:].partition(";")
            return uri.replace("%3B", ";").replace("%25", "%"), name
        return self.model_uri, element.get("idShort") or fallback

    # ------------------------------------------------------------------ build
    def build(self) -> list[OutNode]:
        """Every node, in output order."""
        for cd in self.env.get("conceptDescriptions") or ():
            self.concepts[cd["id"]] = ""
        folder = None
        if self.concepts:
            folder = self._folder()
        for cd in self.env.get("conceptDescriptions") or ():
            self._concept(cd, folder)
        for shell in self.env.get("assetAdministrationShells") or ():
            self._identifiable(shell, "Object", ns0(58), None)
        for submodel in self.env.get("submodels") or ():
            template = submodel.get("kind") == "Template"
            self._submodel(submodel, template)
        return self.nodes

    def _folder(self) -> str:
        key = self._alloc(None, "ConceptDescriptions")
        node = OutNode(key, "Object", self.model_uri, "ConceptDescriptions",
                       parent=_DICTIONARIES, display=[("", "ConceptDescriptions")])
        node.refs = [(HAS_COMPONENT, _DICTIONARIES, False), (HAS_TYPE_DEFINITION, ns0(17591),
                                                             True)]
        self.nodes.append(node)
        return key

    def _concept(self, cd: dict[str, Any], folder: str | None) -> None:
        ident = cd["id"]
        key = self._alloc(None, ident)
        self.concepts[ident] = key
        name = cd.get("idShort") or _short(ident)
        irdi = "#" in ident and not ident.startswith(("http", "urn", "nsu="))
        node = OutNode(key, "Object", self.model_uri, name, parent=folder)
        node.refs = [(HAS_TYPE_DEFINITION, ns0(17598 if irdi else 17600), True)]
        if folder is not None:
            node.refs.insert(0, (HAS_COMPONENT, folder, False))
        self._texts(node, cd, name)
        node.blob = self._blob(cd, node, set())
        self.nodes.append(node)

    def _identifiable(self, item: dict[str, Any], node_class: str, typedef: str,
                      parent: str | None) -> OutNode:
        name = item.get("idShort") or _short(item["id"])
        key = self._alloc(_src(item, "NodeId"), item.get("idShort") or _short(item["id"]))
        uri, browse = self._browse(item, name)
        node = OutNode(key, node_class, uri, browse)
        if node_class == "Object":
            src_parent = _src(item, "Parent")
            parent_key = src_parent or parent or _OBJECTS_FOLDER
            node.refs.append((ORGANIZES, parent_key, False))
            node.refs.append((HAS_TYPE_DEFINITION, typedef, True))
        self._texts(node, item, browse)
        node.blob = self._blob(item, node, set())
        self.nodes.append(node)
        return node

    def _submodel(self, submodel: dict[str, Any], template: bool) -> None:
        if template:
            name = submodel.get("idShort") or _short(submodel["id"])
            key = self._alloc(self._preferred(submodel), name)
            uri, browse = self._browse(submodel, name)
            node = OutNode(key, "ObjectType", uri, browse)
            supertype = _src(submodel, "SubtypeOf") or ns0(58)
            node.refs.append((HAS_SUBTYPE, supertype, False))
            if _src(submodel, "IsAbstract") == "true":
                node.attrs["IsAbstract"] = "true"
            self._texts(node, submodel, browse)
            node.blob = self._blob(submodel, node, set())
            self.nodes.append(node)
        else:
            typedef = ns0(58)
            node = self._identifiable(submodel, "Object", typedef, None)
        self._children(node, submodel.get("submodelElements") or [], template,
                       submodel.get("idShort") or _short(submodel["id"]), HAS_COMPONENT)

    def _children(self, parent: OutNode, elements: list[dict[str, Any]], template: bool,
                  path: str, ref_type: str, in_list: bool = False) -> None:
        for index, element in enumerate(elements):
            name = str(index) if in_list else (element.get("idShort") or f"Element{index}")
            self._element(parent, element, template, f"{path}.{name}", name, ref_type, in_list)

    # ------------------------------------------------------------------ elements
    def _element(self, parent: OutNode, element: dict[str, Any], template: bool, path: str,
                 name: str, ref_type: str, in_list: bool) -> None:
        kind = element.get("modelType", "")
        key = self._alloc(self._preferred(element), path)
        uri, browse = self._browse(element, name)
        native_id_short = not in_list and element.get("idShort") == browse
        array = kind == "SubmodelElementList" and _plain_items(element)
        arguments: list[OutNode] = []
        node_class = "Method" if kind == "Operation" else (
            "Object" if kind in _OBJECTS and not array else "Variable")
        node = OutNode(key, node_class, uri, browse, parent=parent.key)
        parent.refs.append((ref_type, key, True))
        node.refs.append((ref_type, parent.key, False))
        natives: set[str] = set()
        if node_class == "Object":
            node.refs.append((HAS_TYPE_DEFINITION, ns0(58), True))
        elif node_class == "Variable":
            node.refs.append((HAS_TYPE_DEFINITION, ns0(68 if ref_type == HAS_PROPERTY else 63),
                              True))
            natives |= self._variable(node, element, kind, array)
        else:
            arguments = self._arguments(node, element)
        if native_id_short:
            natives.add("idShort")
        natives |= self._semantics(node, element)
        natives |= self._cardinality(node, element, template)
        self._texts(node, element, browse)
        node.blob = self._blob(element, node, natives)
        if in_list and node.blob is not None:
            node.blob.pop("idShort", None)
        self.nodes.append(node)
        self.nodes.extend(arguments)
        children_key = CHILD_KEYS.get(kind)
        if children_key and not array:
            children = element.get(children_key) or []
            child_ref = HAS_ORDERED_COMPONENT if kind == "SubmodelElementList" else HAS_COMPONENT
            self._children(node, children, template, path, child_ref,
                           in_list=kind == "SubmodelElementList")

    def _semantics(self, node: OutNode, element: dict[str, Any]) -> set[str]:
        semantic = element.get("semanticId")
        keys = (semantic or {}).get("keys") or []
        if len(keys) == 1 and keys[0].get("value") in self.concepts and self.concepts.get(
                keys[0]["value"]):
            node.refs.append((HAS_DICTIONARY_ENTRY, self.concepts[keys[0]["value"]], True))
            if semantic == plain_reference(keys[0]["value"]):
                return {"semanticId"}
        return set()

    def _cardinality(self, node: OutNode, element: dict[str, Any], template: bool) -> set[str]:
        """ModellingRule from the SMT cardinality; whether the qualifiers need no blob."""
        qualifiers = element.get("qualifiers") or []
        cards = [q for q in qualifiers if q.get("type") == "SMT/Cardinality"]
        value = cards[0].get("value") if cards else None
        rule = RULE_OF_CARDINALITY.get(value) if isinstance(value, str) else None
        if rule is not None:
            node.refs.append((HAS_MODELLING_RULE, ns0(rule), True))
        if not qualifiers:
            return {"qualifiers"}
        if template and isinstance(value, str) and qualifiers == [canonical_cardinality(value)]:
            return {"qualifiers"}
        return set()

    def _texts(self, node: OutNode, element: dict[str, Any], browse: str) -> None:
        node.display = _langs(element.get("displayName")) or [("", browse)]
        node.description = _langs(element.get("description"))

    def _variable(self, node: OutNode, element: dict[str, Any], kind: str, array: bool
                  ) -> set[str]:
        natives: set[str] = set()
        if kind == "Property":
            xs = element.get("valueType", "xs:string")
            builtin = self._builtin(xs, element.get("value"))
            node.data_type = ns0(builtin)
            if XS_OF_UA.get(builtin, ("", True))[0] == xs:
                natives.add("valueType")
            if element.get("value") is not None:
                node.value = value_element(builtin, str(element["value"]))
            natives.add("value")
        elif kind == "MultiLanguageProperty":
            node.data_type = ns0(21)
            texts = _langs(element.get("value"))
            if texts:
                node.value = _ltext(*texts[0])
                node.translations = texts[1:]
            natives.add("value")
        elif kind == "Range" and element.get("valueType") in ("xs:double", "xs:float"):
            node.data_type = ns0(884)
            node.value = _range(element.get("min"), element.get("max"))
            natives |= {"min", "max"} | ({"valueType"} if element.get("valueType") ==
                                          "xs:double" else set())
        elif array:
            xs = element.get("valueTypeListElement", "xs:string")
            items = element.get("value") or []
            builtin = self._builtin(xs, None)
            node.data_type = ns0(builtin)
            node.attrs["ValueRank"] = "1"
            node.attrs["ArrayDimensions"] = "0"
            item_texts = [str(i.get("value", "")) for i in items]
            if items:
                node.value = value_element(builtin, item_texts)
        elif kind == "Blob":
            node.data_type = ns0(15)
            if element.get("value"):
                node.value = value_element(15, str(element["value"]))
            natives.add("value")
        else:
            node.data_type = ns0(12)
            text = _display_value(element)
            if text:
                node.value = value_element(12, text)
        for name in ("AccessLevel", "UserAccessLevel", "MinimumSamplingInterval", "Historizing"):
            recorded = _src(element, name)
            if recorded:
                node.attrs[name] = recorded
        return natives

    def _builtin(self, xs: str, value: Any) -> int:
        builtin, narrowed = UA_OF_XS.get(xs, (12, True))
        if builtin in _INT_RANGES and narrowed and value is not None:
            low, high = _INT_RANGES[builtin]
            try:
                if not low <= int(str(value)) <= high:
                    builtin = 12
            except ValueError:
                builtin = 12
        if narrowed:
            self.tally.add(Code.TYPE_NARROWED, IssueSeverity.PRESERVED if self.keep
                           else IssueSeverity.LOSSY,
                           f"{xs} values are written as OPC UA "
                           f"{_BUILTIN.get(builtin, 'String')}", None)
        return builtin

    def _arguments(self, node: OutNode, element: dict[str, Any]) -> list[OutNode]:
        """InputArguments / OutputArguments of a Method (the Operation's variables)."""
        out: list[OutNode] = []
        for name, key in (("InputArguments", "inputVariables"),
                          ("OutputArguments", "outputVariables")):
            variables: list[dict[str, Any]] = [
                v["value"] for v in element.get(key) or ()
                if isinstance(v, dict) and isinstance(v.get("value"), dict)]
            if not variables:
                continue
            arg_key = self._alloc(None, split_key(node.key)[1][2:] + "." + name)
            arg = OutNode(arg_key, "Variable", NS0, name, parent=node.key, data_type=ns0(296))
            arg.attrs = {"ValueRank": "1", "ArrayDimensions": str(len(variables))}
            arg.display = [("", name)]
            arg.refs = [(HAS_PROPERTY, node.key, False), (HAS_TYPE_DEFINITION, ns0(68), True),
                        (HAS_MODELLING_RULE, ns0(78), True)]
            arg.value = _arguments([self._argument(v) for v in variables])
            node.refs.append((HAS_PROPERTY, arg_key, True))
            out.append(arg)
        return out

    def _argument(self, variable: dict[str, Any]) -> tuple[str, int, int, list[tuple[str, str]]]:
        kind = variable.get("modelType")
        if kind == "Property":
            builtin = UA_OF_XS.get(variable.get("valueType", "xs:string"), (12, True))[0]
            rank = -1
        elif kind == "MultiLanguageProperty":
            builtin, rank = 21, -1
        elif kind == "SubmodelElementList":
            builtin = UA_OF_XS.get(variable.get("valueTypeListElement", "xs:string"),
                                   (12, True))[0]
            rank = 1
        else:
            builtin, rank = 22, -1
        return (variable.get("idShort") or "Argument", builtin, rank,
                _langs(variable.get("description")))

    # ------------------------------------------------------------------ blob
    def _blob(self, element: dict[str, Any], node: OutNode, natives: set[str]
              ) -> dict[str, Any] | None:
        kind = element.get("modelType", "")
        children_key = CHILD_KEYS.get(kind)
        blob = {k: v for k, v in element.items()
                if k != children_key and k not in natives and k not in _NATIVE}
        if "idShort" not in natives and "idShort" in element and element.get(
                "idShort") != node.browse_name:
            blob["idShort"] = element["idShort"]
        if "idShort" not in element:
            blob["idShort"] = None  # none in the AAS: the BrowseName is made up
        if not self.keep:
            for name in sorted(blob):
                if name != "modelType":
                    self.tally.add(Code.DROPPED, IssueSeverity.LOSSY,
                                   f"the AAS attribute {name} ({kind}) has no OPC UA "
                                   "counterpart (aas-extensions=false)", element.get("id"))
            return None
        self.tally.add(Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                       "AAS attributes without an OPC UA counterpart are kept in the node's "
                       f"Extensions ({{{_EXT}}}Element)", None)
        return blob


_EXT = "urn:omp-toolkit:opcua-nodeset:aas:1"
_BUILTIN = {1: "Boolean", 2: "SByte", 3: "Byte", 4: "Int16", 5: "UInt16", 6: "Int32",
            7: "UInt32", 8: "Int64", 9: "UInt64", 10: "Float", 11: "Double", 12: "String",
            13: "DateTime", 15: "ByteString"}


def _short(identifier: str) -> str:
    tail = identifier.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    return tail or identifier


def _plain_items(element: dict[str, Any]) -> bool:
    if element.get("typeValueListElement") != "Property":
        return False
    return all(set(item) <= {"modelType", "valueType", "value"}
               for item in element.get("value") or ())


def _display_value(element: dict[str, Any]) -> str | None:
    value = element.get("value")
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        keys = value.get("keys") or []
        return str(keys[-1].get("value")) if keys else None
    return None


def _ltext(locale: str, text: str) -> Any:
    elem = etree.Element(f"{_T}LocalizedText", nsmap={"uax": TYPES_NS})
    etree.SubElement(elem, f"{_T}Locale").text = locale
    etree.SubElement(elem, f"{_T}Text").text = text
    return elem


def _range(low: Any, high: Any) -> Any:
    elem = etree.Element(f"{_T}ExtensionObject", nsmap={"uax": TYPES_NS})
    type_id = etree.SubElement(elem, f"{_T}TypeId")
    etree.SubElement(type_id, f"{_T}Identifier").text = "i=885"
    body = etree.SubElement(etree.SubElement(elem, f"{_T}Body"), f"{_T}Range")
    etree.SubElement(body, f"{_T}Low").text = str(low) if low is not None else "0"
    etree.SubElement(body, f"{_T}High").text = str(high) if high is not None else "0"
    return elem


def _arguments(arguments: list[tuple[str, int, int, list[tuple[str, str]]]]) -> Any:
    outer = etree.Element(f"{_T}ListOfExtensionObject", nsmap={"uax": TYPES_NS})
    for name, builtin, rank, description in arguments:
        item = etree.SubElement(outer, f"{_T}ExtensionObject")
        type_id = etree.SubElement(item, f"{_T}TypeId")
        etree.SubElement(type_id, f"{_T}Identifier").text = "i=297"
        body = etree.SubElement(etree.SubElement(item, f"{_T}Body"), f"{_T}Argument")
        etree.SubElement(body, f"{_T}Name").text = name
        data_type = etree.SubElement(body, f"{_T}DataType")
        etree.SubElement(data_type, f"{_T}Identifier").text = f"i={builtin}"
        etree.SubElement(body, f"{_T}ValueRank").text = str(rank)
        etree.SubElement(body, f"{_T}ArrayDimensions")
        desc = etree.SubElement(body, f"{_T}Description")
        if description:
            etree.SubElement(desc, f"{_T}Locale").text = description[0][0]
            etree.SubElement(desc, f"{_T}Text").text = description[0][1]
    return outer
