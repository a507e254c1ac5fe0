"""OPC UA values (the ``uax:`` XML of ``<Value>``) and built-in types <-> XML Schema types.

Reading turns a ``<Value>`` into plain Python data: ``str`` for scalars (the XML text,
unchanged), :class:`LText` for LocalizedText, ``list`` for ``ListOf*`` and :class:`Struct`
for ExtensionObjects. Writing turns AAS value text back into ``uax:`` elements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from omp_models.formats.opcua._ir import TYPES_NS, NodeSetDoc, escape_uri

__all__ = [
    "BUILTIN_NAMES",
    "UA_OF_XS",
    "XS_OF_UA",
    "LText",
    "Struct",
    "parse_value",
    "value_element",
]

_T = f"{{{TYPES_NS}}}"

#: Built-in DataType number -> name (namespace 0).
BUILTIN_NAMES: dict[int, str] = {
    1: "Boolean", 2: "SByte", 3: "Byte", 4: "Int16", 5: "UInt16", 6: "Int32", 7: "UInt32",
    8: "Int64", 9: "UInt64", 10: "Float", 11: "Double", 12: "String", 13: "DateTime",
    14: "Guid", 15: "ByteString", 16: "XmlElement", 17: "NodeId", 18: "ExpandedNodeId",
    19: "StatusCode", 20: "QualifiedName", 21: "LocalizedText", 22: "Structure",
    23: "DataValue", 24: "BaseDataType", 25: "DiagnosticInfo", 26: "Number", 27: "Integer",
    28: "UInteger", 29: "Enumeration",
}

#: Built-in -> xs type, and whether the mapping widens (loses precision or meaning).
XS_OF_UA: dict[int, tuple[str, bool]] = {
    1: ("xs:boolean", False), 2: ("xs:byte", False), 3: ("xs:unsignedByte", False),
    4: ("xs:short", False), 5: ("xs:unsignedShort", False), 6: ("xs:int", False),
    7: ("xs:unsignedInt", False), 8: ("xs:long", False), 9: ("xs:unsignedLong", False),
    10: ("xs:float", False), 11: ("xs:double", False), 12: ("xs:string", False),
    13: ("xs:dateTime", False), 14: ("xs:string", True), 15: ("xs:base64Binary", False),
    16: ("xs:string", True), 17: ("xs:string", True), 18: ("xs:string", True),
    19: ("xs:unsignedInt", True), 20: ("xs:string", True), 23: ("xs:string", True),
    24: ("xs:string", True), 25: ("xs:string", True), 26: ("xs:double", True),
    27: ("xs:long", True), 28: ("xs:unsignedLong", True), 29: ("xs:int", False),
}

#: xs type -> built-in number, and whether the mapping narrows.
UA_OF_XS: dict[str, tuple[int, bool]] = {
    "xs:boolean": (1, False), "xs:byte": (2, False), "xs:unsignedByte": (3, False),
    "xs:short": (4, False), "xs:unsignedShort": (5, False), "xs:int": (6, False),
    "xs:unsignedInt": (7, False), "xs:long": (8, False), "xs:unsignedLong": (9, False),
    "xs:float": (10, False), "xs:double": (11, False), "xs:string": (12, False),
    "xs:dateTime": (13, False), "xs:base64Binary": (15, False),
    "xs:integer": (8, True), "xs:nonNegativeInteger": (9, True),
    "xs:positiveInteger": (9, True), "xs:nonPositiveInteger": (8, True),
    "xs:negativeInteger": (8, True), "xs:decimal": (11, True), "xs:hexBinary": (12, True),
    "xs:anyURI": (12, True), "xs:date": (12, True), "xs:time": (12, True),
    "xs:duration": (12, True), "xs:gYear": (12, True), "xs:gMonth": (12, True),
    "xs:gDay": (12, True), "xs:gYearMonth": (12, True), "xs:gMonthDay": (12, True),
}


@dataclass(frozen=True, slots=True)
class LText:
    """A LocalizedText value."""

    locale: str
    text: str


@dataclass(slots=True)
class Struct:
    """An ExtensionObject: its encoding (or type) key and its fields by name."""

    type_key: str | None
    name: str
    fields: dict[str, Any] = field(default_factory=dict)


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def parse_value(value_elem: Any, doc: NodeSetDoc) -> Any:
    """The content of a ``<Value>`` element, or ``None`` when it is empty."""
    for child in value_elem:
        if isinstance(child.tag, str):
            return _parse(child, doc)
    return None


def _parse(elem: Any, doc: NodeSetDoc) -> Any:
    name = _local(elem.tag)
    if name.startswith("ListOf"):
        return [_parse(item, doc) for item in elem if isinstance(item.tag, str)]
    if name == "LocalizedText":
        return _ltext(elem)
    if name == "ExtensionObject":
        return _extension_object(elem, doc)
    if name in ("NodeId", "ExpandedNodeId"):
        ident = elem.find(f"{_T}Identifier")
        text = (ident.text if ident is not None else elem.text) or ""
        return doc.resolve(text) or text.strip()
    if name == "QualifiedName":
        return _qualified(elem, doc)
    if name == "Guid":
        inner = elem.find(f"{_T}String")
        return ((inner.text if inner is not None else elem.text) or "").strip()
    if name == "StatusCode":
        inner = elem.find(f"{_T}Code")
        return ((inner.text if inner is not None else elem.text) or "").strip()
    if name == "ByteString":
        return "".join((elem.text or "").split())
    if name == "XmlElement":
        return "".join(etree.tostring(c, encoding="unicode") for c in elem)
    if name == "Variant":
        inner = elem.find(f"{_T}Value")
        if inner is not None:
            return parse_value(inner, doc)
        return None
    if len(elem):
        return _fields(elem, doc, None)
    return elem.text or ""


def _ltext(elem: Any) -> LText:
    locale = elem.find(f"{_T}Locale")
    text = elem.find(f"{_T}Text")
    return LText((locale.text or "") if locale is not None else "",
                 (text.text or "") if text is not None else (elem.text or ""))


def _qualified(elem: Any, doc: NodeSetDoc) -> str:
    index = elem.find(f"{_T}NamespaceIndex")
    name = elem.find(f"{_T}Name")
    number = int(index.text) if index is not None and (index.text or "").strip().isdigit() else 0
    uri = doc.uri_of_index(number) or str(number)
    return f"nsu={escape_uri(uri)};{(name.text or '') if name is not None else ''}"


_TYPE_ID = f"{_T}TypeId/{_T}Identifier"
_BODY = f"{_T}Body"


def _extension_object(elem: Any, doc: NodeSetDoc) -> Struct:
    type_id = elem.find(_TYPE_ID)
    type_key = doc.resolve(type_id.text) if type_id is not None and type_id.text else None
    body = elem.find(_BODY)
    inner = None
    if body is not None:
        inner = next((c for c in body if isinstance(c.tag, str)), None)
    if inner is None:
        return Struct(type_key, "")
    return _fields(inner, doc, type_key)


def _fields(elem: Any, doc: NodeSetDoc, type_key: str | None) -> Struct:
    out = Struct(type_key, _local(elem.tag))
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        tags = frozenset(_local(c.tag) for c in child if isinstance(c.tag, str)) if len(
            child) else frozenset()
        if not tags:
            out.fields[name] = child.text or ""
        elif tags <= {"Locale", "Text"}:
            out.fields[name] = _ltext(child)
        elif tags == {"Identifier"}:
            out.fields[name] = _parse_nodeid_field(child, doc)
        elif tags <= {"NamespaceIndex", "Name"} and "Name" in tags:
            out.fields[name] = _qualified(child, doc)
        elif len(tags) == 1 and next(iter(tags)).startswith("ListOf"):
            out.fields[name] = _parse(child[0], doc)
        else:
            out.fields[name] = _fields(child, doc, None)
    return out


def _parse_nodeid_field(elem: Any, doc: NodeSetDoc) -> str:
    ident = elem.find(f"{_T}Identifier")
    text = (ident.text or "").strip() if ident is not None else ""
    return doc.resolve(text) or text


def value_element(builtin: int, texts: list[str] | str | None) -> Any:
    """A ``uax:`` element for a value of built-in type ``builtin`` (scalar or list)."""
    name = BUILTIN_NAMES.get(builtin, "String")
    if isinstance(texts, list):
        outer = etree.Element(f"{_T}ListOf{name}", nsmap={"uax": TYPES_NS})
        for text in texts:
            outer.append(_scalar_element(name, text))
        return outer
    return _scalar_element(name, texts or "", root=True)


def _scalar_element(name: str, text: str, root: bool = False) -> Any:
    elem = (etree.Element(f"{_T}{name}", nsmap={"uax": TYPES_NS}) if root
            else etree.Element(f"{_T}{name}"))
    if name == "Guid":
        etree.SubElement(elem, f"{_T}String").text = text
    elif name in ("NodeId", "ExpandedNodeId"):
        etree.SubElement(elem, f"{_T}Identifier").text = text
    elif name == "StatusCode":
        etree.SubElement(elem, f"{_T}Code").text = text
    elif name == "QualifiedName":
        etree.SubElement(elem, f"{_T}Name").text = text
    else:
        elem.text = text
    return elem
