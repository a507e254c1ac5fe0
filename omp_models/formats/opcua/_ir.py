"""The NodeSet2 intermediate representation: nodes keyed by expanded NodeId, parsed with lxml.

A NodeSet file speaks of namespaces by index (``ns=2;i=1001``); indexes are local to the
file, so every NodeId is resolved through the file's ``NamespaceUris`` (and ``Aliases``)
into an expanded key ``nsu=<uri>;i=1001`` the moment it is read. Keys of different files
are then comparable, which is what a dependency closure needs.

The parser keeps the lxml element of every node: rarely needed parts (values, data type
definitions, arguments, extensions) are read from it on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from omp_models.aas._xml import has_doctype, safe_parser

__all__ = [
    "NS0",
    "TYPES_NS",
    "UA_NS",
    "Model",
    "Node",
    "NodeSetDoc",
    "NodeSetError",
    "declares_doctype",
    "escape_uri",
    "local_ident",
    "parse_nodeset",
    "split_key",
]

#: The NodeSet2 XML namespace.
UA_NS = "http://opcfoundation.org/UA/2011/03/UANodeSet.xsd"
#: The namespace of values (``uax:``).
TYPES_NS = "http://opcfoundation.org/UA/2008/02/Types.xsd"
#: The namespace URI of namespace 0.
NS0 = "http://opcfoundation.org/UA/"

_NODE_CLASSES = {
    f"{{{UA_NS}}}UAObject": "Object",
    f"{{{UA_NS}}}UAVariable": "Variable",
    f"{{{UA_NS}}}UAMethod": "Method",
    f"{{{UA_NS}}}UAView": "View",
    f"{{{UA_NS}}}UAObjectType": "ObjectType",
    f"{{{UA_NS}}}UAVariableType": "VariableType",
    f"{{{UA_NS}}}UADataType": "DataType",
    f"{{{UA_NS}}}UAReferenceType": "ReferenceType",
}
_DISPLAY = f"{{{UA_NS}}}DisplayName"
_DESCRIPTION = f"{{{UA_NS}}}Description"
_REFERENCES = f"{{{UA_NS}}}References"
_VALUE = f"{{{UA_NS}}}Value"
_LOCAL = len(UA_NS) + 2
_MODEL = f"{{{UA_NS}}}Model"
_REQUIRED = f"{{{UA_NS}}}RequiredModel"
_HEAD = 1 << 16  # (the part of a document has_doctype looks at)
#: IsForward as written -> whether the reference is forward (absent: forward).
_FORWARD: dict[str | None, bool] = {None: True, "true": True, "false": False}


class NodeSetError(Exception):
    """The document is not a NodeSet2 file (the message says why, ``line`` where)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def escape_uri(uri: str) -> str:
    """A namespace URI as it appears inside an expanded NodeId (``;`` escaped)."""
    return uri.replace("%", "%25").replace(";", "%3B")


def split_key(key: str) -> tuple[str, str]:
    """``nsu=<uri>;i=1`` -> (``<uri>``, ``i=1``)."""
    uri, _, ident = key[4:].partition(";")
    return uri.replace("%3B", ";").replace("%25", "%"), ident


def local_ident(key: str) -> str:
    """The identifier part (``i=1``, ``s=Name``) of an expanded key."""
    return key[4:].partition(";")[2]


@dataclass(frozen=True, slots=True)
class Model:
    """A ``<Model>`` (or ``<RequiredModel>``) entry."""

    uri: str
    version: str | None = None
    publication_date: str | None = None
    required: tuple[Model, ...] = ()

    def label(self) -> str:
        """``<uri> <version> (<date>)`` for messages."""
        out = self.uri
        if self.version:
            out += f" version {self.version}"
        if self.publication_date:
            out += f" ({self.publication_date[:10]})"
        return out


@dataclass(slots=True, eq=False)
class Node:
    """One node of a NodeSet.

    Attributes:
        key: Expanded NodeId (``nsu=<uri>;i=1``).
        node_class: ``Object``, ``Variable``, ``Method``, ``View``, ``ObjectType``,
            ``VariableType``, ``DataType`` or ``ReferenceType``.
        browse_uri: Namespace URI of the BrowseName.
        browse_name: Name part of the BrowseName.
        display: DisplayName entries (locale, text).
        description: Description entries (locale, text).
        refs: References as written (reference type key, target key, is forward).
        parent: ParentNodeId, when given.
        data_type: DataType key (Variables, VariableTypes).
        elem: The lxml element (values, definitions, extensions are read from it).
        doc: The document the node came from.
        value: The ``<Value>`` element, if any.
        extras: Other children worth keeping, by local name (``Documentation``,
            ``Category``, ``RolePermissions``, ``Translation``...), in document order.
    """

    key: str
    node_class: str
    browse_uri: str
    browse_name: str
    display: list[tuple[str, str]]
    description: list[tuple[str, str]]
    refs: list[tuple[str, str, bool]]
    parent: str | None
    data_type: str | None
    elem: Any
    doc: NodeSetDoc
    value: Any = None
    extras: list[tuple[str, Any]] | None = None

    def attr(self, name: str, default: str | None = None) -> str | None:
        """A raw XML attribute of the node."""
        value: str | None = self.elem.get(name)
        return default if value is None else value

    @property
    def line(self) -> int | None:
        """Source line of the node's element."""
        line: int | None = self.elem.sourceline
        return line

    @property
    def ident(self) -> str:
        """The identifier part of the NodeId (``i=1001``)."""
        return local_ident(self.key)


@dataclass(slots=True, eq=False)
class NodeSetDoc:
    """A parsed NodeSet file.

    Attributes:
        name: The file name to report.
        uris: Namespace URI by file-local index (index 0 is the OPC UA namespace).
        models: The models the file defines.
        nodes: The nodes, in document order, by key.
        fwd: Hierarchical and other references per source node, forward direction
            (declared forward on the source, or declared inverse on the target).
        inv: The same references seen from the target (target -> (type, source)).
    """

    name: str
    uris: list[str]
    models: list[Model]
    nodes: dict[str, Node]
    fwd: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    inv: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)
    _aliases: dict[str, str] = field(default_factory=dict)
    _prefixes: list[str] = field(default_factory=list)

    def resolve(self, text: str | None) -> str | None:
        """The expanded key of a NodeId (or alias) written in this file."""
        if text is None:
            return None
        found = self._keys.get(text)
        if found is not None:
            return found
        raw_text = text
        text = text.strip()
        found = self._keys.get(text)
        if found is not None:
            self._keys[raw_text] = found
            return found
        raw = self._aliases.get(text, text)
        key: str | None
        if raw.startswith("ns="):
            index, _, ident = raw[3:].partition(";")
            try:
                key = self._prefixes[int(index)] + ident if ident else None
            except (ValueError, IndexError):
                key = None
        elif raw.startswith("nsu="):
            uri, _, ident = raw[4:].partition(";")
            key = f"nsu={escape_uri(uri)};{ident}" if ident else None
        elif raw[:2] in ("i=", "s=", "g=", "b="):
            key = self._prefixes[0] + raw
        else:
            key = None
        if key is not None:
            self._keys[text] = key
            self._keys[raw_text] = key
        return key

    def qualified(self, text: str) -> tuple[str, str]:
        """A QualifiedName (``2:Name``) as (namespace URI, name)."""
        index, sep, name = text.partition(":")
        if sep and index.isdigit():
            i = int(index)
            if i < len(self.uris):
                return self.uris[i], name
        return self.uris[0], text

    def uri_of_index(self, index: int) -> str | None:
        """Namespace URI of a file-local index."""
        return self.uris[index] if 0 <= index < len(self.uris) else None


def declares_doctype(data: bytes) -> bool:
    """:func:`~omp_models.aas._xml.has_doctype`, with the common answer found first.

    Its regular expression takes milliseconds on a 64 KB head, and a conversion looks at
    the head of every NodeSet in the search folders. Unless the head is UTF-16 (which
    ``has_doctype`` decodes first), it cannot match without the literal ``<!DOCTYPE``.
    """
    head = data[:_HEAD]
    if b"<!DOCTYPE" not in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return has_doctype(data)


def parse_nodeset(data: bytes, name: str) -> NodeSetDoc:
    """Parse NodeSet2 XML (safely: no DTD, no entities, no network).

    Raises:
        NodeSetError: Not well-formed, not a ``UANodeSet``, or a node without NodeId.
    """
    if declares_doctype(data):
        raise NodeSetError("the document has a <!DOCTYPE> declaration (refused)")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        lineno: object = getattr(exc, "lineno", None)
        line = lineno if isinstance(lineno, int) else None
        raise NodeSetError(f"not well-formed XML: {exc.msg}", line) from exc
    if root.tag != f"{{{UA_NS}}}UANodeSet":
        raise NodeSetError(f"the root element is <{etree.QName(root).localname}>, not a "
                           f"UANodeSet in {UA_NS}", _sourceline(root))
    uris = [NS0]
    table = root.find(f"{{{UA_NS}}}NamespaceUris")
    if table is not None:
        uris.extend((u.text or "").strip() for u in table.iterchildren(f"{{{UA_NS}}}Uri"))
    doc = NodeSetDoc(name=name, uris=uris, models=[], nodes={})
    doc._prefixes = [f"nsu={escape_uri(u)};" for u in uris]
    aliases = root.find(f"{{{UA_NS}}}Aliases")
    if aliases is not None:
        for alias in aliases.iterchildren(f"{{{UA_NS}}}Alias"):
            alias_name = alias.get("Alias")
            if alias_name and alias.text:
                doc._aliases[alias_name] = alias.text.strip()
    models = root.find(f"{{{UA_NS}}}Models")
    if models is not None:
        doc.models = [_model(m) for m in models.iterchildren(_MODEL)]
    _read_nodes(root, doc)
    return doc


def _sourceline(elem: Any) -> int | None:
    line = elem.sourceline
    return line if isinstance(line, int) else None


def _model(elem: Any) -> Model:
    return Model(
        elem.get("ModelUri") or "",
        elem.get("Version"),
        elem.get("PublicationDate"),
        tuple(_model(r) for r in elem.iterchildren(_REQUIRED)),
    )


def _read_nodes(root: Any, doc: NodeSetDoc) -> None:
    resolve = doc.resolve
    known = doc._keys.get  # (resolve's own table: most NodeIds repeat)
    nodes = doc.nodes
    fwd = doc.fwd
    inv = doc.inv
    # (iterating an element is faster than its iterchildren(), and yields the same)
    for elem in root:
        node_class = _NODE_CLASSES.get(elem.tag)
        if node_class is None:
            continue
        key = resolve(elem.get("NodeId"))
        if key is None:
            raise NodeSetError(f"<{etree.QName(elem).localname}> has no valid NodeId "
                               f"({elem.get('NodeId')!r})", elem.sourceline)
        browse_uri, browse_name = doc.qualified(elem.get("BrowseName") or "")
        refs: list[tuple[str, str, bool]] = []
        display: list[tuple[str, str]] = []
        description: list[tuple[str, str]] = []
        value = None
        extras: list[tuple[str, Any]] | None = None
        for child in elem:
            tag = child.tag
            if tag == _REFERENCES:
                for ref in child:
                    get = ref.get
                    text = get("ReferenceType")
                    ref_type = known(text) or resolve(text)
                    text = ref.text
                    target = known(text) or resolve(text)
                    if ref_type is None or target is None:
                        continue
                    is_forward = get("IsForward")
                    forward = _FORWARD.get(is_forward)
                    if forward is None:
                        forward = is_forward.strip().lower() not in ("false", "0")
                    refs.append((ref_type, target, forward))
                    source, target = (key, target) if forward else (target, key)
                    found = fwd.get(source)
                    if found is None:
                        fwd[source] = [(ref_type, target)]
                    else:
                        found.append((ref_type, target))
                    found = inv.get(target)
                    if found is None:
                        inv[target] = [(ref_type, source)]
                    else:
                        found.append((ref_type, source))
            elif tag == _DISPLAY:
                display.append((child.get("Locale") or "", child.text or ""))
            elif tag == _DESCRIPTION:
                description.append((child.get("Locale") or "", child.text or ""))
            elif tag == _VALUE:
                value = child
            elif isinstance(tag, str):
                if extras is None:
                    extras = []
                extras.append((tag[_LOCAL:], child))
        data_type = None
        if node_class in ("Variable", "VariableType"):
            data_type = resolve(elem.get("DataType") or "i=24")
        nodes[key] = Node(
            key, node_class, browse_uri, browse_name, display, description, refs,
            resolve(elem.get("ParentNodeId")), data_type, elem, doc, value, extras,
        )
