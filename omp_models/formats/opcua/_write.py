"""AAS -> NodeSet2: templates become ObjectTypes, submodels and shells Objects.

ConceptDescriptions become dictionary entries; every submodel element a node below them.

What OPC UA can say is written natively (BrowseName, DisplayName, Description, DataType,
Value, ModellingRule from the SMT cardinality, HasDictionaryEntry to the concept). What it
cannot (identifiers, qualifiers, extensions, data specifications...) is kept per node in
``<Extensions><Extension><aas:Element>`` (JSON of the missing attributes) unless
``--option aas-extensions=false``; then each such attribute is a lossy report entry.

NodeIds are stable: restored from ``src:opcua-nodeset:NodeId`` when the content came from
a NodeSet, otherwise string ids built from idShort paths (adding an element renumbers
nothing). The output is sorted and has no timestamps.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from omp_models.aas.io import AasEnvironment, environment_to_jsonable
from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import AAS_EXT_NS, FMT
from omp_models.formats.opcua._ir import NS0, TYPES_NS, UA_NS, split_key
from omp_models.formats.opcua._write_nodes import NodePlan, OutNode

__all__ = ["write_nodeset"]

_U = f"{{{UA_NS}}}"
_ALIASES = {
    "Boolean": 1, "SByte": 2, "Byte": 3, "Int16": 4, "UInt16": 5, "Int32": 6, "UInt32": 7,
    "Int64": 8, "UInt64": 9, "Float": 10, "Double": 11, "String": 12, "DateTime": 13,
    "ByteString": 15, "LocalizedText": 21, "Organizes": 35, "HasModellingRule": 37,
    "HasTypeDefinition": 40, "HasSubtype": 45, "HasProperty": 46, "HasComponent": 47,
    "HasOrderedComponent": 49, "Argument": 296, "Range": 884,
    "HasDictionaryEntry": 17597,
}


def write_nodeset(env: AasEnvironment, options: ConvertOptions) -> tuple[bytes, ConversionReport]:
    """Serialise an AAS environment as NodeSet2 XML."""
    report = ConversionReport(target_format=FMT)
    jsonable = environment_to_jsonable(env)
    keep = options.extra.get("aas-extensions", "true").strip().lower() not in (
        "false", "0", "no", "off")
    plan = NodePlan(jsonable, options, report, keep)
    nodes = plan.build()
    data = _serialise(plan, nodes)
    if env.files:
        report.add(Code.DROPPED, IssueSeverity.LOSSY,
                   f"{len(env.files)} supplementary file(s) cannot be carried by a NodeSet "
                   "(File elements keep their paths)")
    plan.tally.flush(report, None)
    return data, report


class _Namespaces:
    def __init__(self, own: str) -> None:
        self.uris = [NS0, own]
        self.index = {NS0: 0, own: 1}

    def add(self, uri: str) -> int:
        found = self.index.get(uri)
        if found is None:
            found = len(self.uris)
            self.uris.append(uri)
            self.index[uri] = found
        return found

    def node_id(self, key: str) -> str:
        uri, ident = split_key(key)
        index = self.add(uri)
        return ident if index == 0 else f"ns={index};{ident}"

    def browse(self, uri: str, name: str) -> str:
        index = self.add(uri)
        return name if index == 0 else f"{index}:{name}"


def _serialise(plan: NodePlan, nodes: list[OutNode]) -> bytes:
    spaces = _Namespaces(plan.model_uri)
    # Other namespaces in a stable order: the ones the plan knows (required models) first,
    # then the rest sorted, so indexes do not depend on the order nodes are visited.
    referenced: set[str] = set()
    for node in nodes:
        referenced.add(split_key(node.key)[0])
        referenced.add(node.browse_uri)
        for ref_type, target, _ in node.refs:
            referenced.add(split_key(ref_type)[0])
            referenced.add(split_key(target)[0])
        if node.data_type:
            referenced.add(split_key(node.data_type)[0])
    for uri in sorted(referenced - {NS0, plan.model_uri}):
        spaces.add(uri)
    nsmap: Any = {None: UA_NS, "uax": TYPES_NS}
    root = etree.Element(f"{_U}UANodeSet", nsmap=nsmap)
    if len(spaces.uris) > 1:
        table = etree.SubElement(root, f"{_U}NamespaceUris")
        for uri in spaces.uris[1:]:
            etree.SubElement(table, f"{_U}Uri").text = uri
    models = etree.SubElement(root, f"{_U}Models")
    model = etree.SubElement(models, f"{_U}Model", ModelUri=plan.model_uri)
    if plan.model_version:
        model.set("Version", plan.model_version)
    if plan.publication_date:
        model.set("PublicationDate", plan.publication_date)
    for uri in spaces.uris:
        if uri == plan.model_uri:
            continue
        required = etree.SubElement(model, f"{_U}RequiredModel", ModelUri=uri)
        version, date = plan.required.get(uri, (None, None))
        if uri == NS0 and not version:
            # The oldest core with what the output uses (dictionary entries: 1.05).
            version, date = "1.05.02", "2022-11-01T00:00:00Z"
        if version:
            required.set("Version", version)
        if date:
            required.set("PublicationDate", date)
    aliases = etree.SubElement(root, f"{_U}Aliases")
    used = {spaces.node_id(key) for node in nodes for key in (
        [node.data_type] if node.data_type else []) + [r for r, _, _ in node.refs]}
    alias_of = {f"i={n}": name for name, n in _ALIASES.items() if f"i={n}" in used}
    for text, name in sorted(alias_of.items(), key=lambda item: item[1]):
        etree.SubElement(aliases, f"{_U}Alias", Alias=name).text = text
    for node in nodes:
        root.append(_node_element(node, spaces, alias_of))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _ref_text(key: str, spaces: _Namespaces, alias_of: dict[str, str]) -> str:
    text = spaces.node_id(key)
    return alias_of.get(text, text)


def _node_element(node: OutNode, spaces: _Namespaces, alias_of: dict[str, str]) -> Any:
    elem = etree.Element(f"{_U}UA{node.node_class}")
    elem.set("NodeId", spaces.node_id(node.key))
    elem.set("BrowseName", spaces.browse(node.browse_uri, node.browse_name))
    if node.parent is not None:
        elem.set("ParentNodeId", spaces.node_id(node.parent))
    if node.data_type is not None:
        elem.set("DataType", _ref_text(node.data_type, spaces, alias_of))
    for name, value in node.attrs.items():
        elem.set(name, value)
    for locale, text in node.display:
        child = etree.SubElement(elem, f"{_U}DisplayName")
        if locale:
            child.set("Locale", locale)
        child.text = text
    for locale, text in node.description:
        child = etree.SubElement(elem, f"{_U}Description", Locale=locale)
        child.text = text
    if node.documentation:
        etree.SubElement(elem, f"{_U}Documentation").text = node.documentation
    refs = etree.SubElement(elem, f"{_U}References")
    for ref_type, target, forward in node.refs:
        ref = etree.SubElement(refs, f"{_U}Reference",
                               ReferenceType=_ref_text(ref_type, spaces, alias_of))
        if not forward:
            ref.set("IsForward", "false")
        ref.text = spaces.node_id(target)
    if node.blob is not None:
        extensions = etree.SubElement(elem, f"{_U}Extensions")
        holder = etree.SubElement(extensions, f"{_U}Extension")
        aas = etree.SubElement(holder, f"{{{AAS_EXT_NS}}}Element", nsmap={"aas": AAS_EXT_NS})
        aas.text = json.dumps(node.blob, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":"))
    if node.value is not None:
        etree.SubElement(elem, f"{_U}Value").append(node.value)
    if node.translations:
        translation = etree.SubElement(elem, f"{_U}Translation")
        for locale, text in node.translations:
            etree.SubElement(translation, f"{_U}Text", Locale=locale).text = text
    return elem
