"""AAS (normalised JSON form) -> RDF: the node tree, then Turtle, JSON-LD or an rdflib graph.

The tree is a pure function of the input: identifiables in environment order, attributes in
the order of the class model, list items in list order. Every serialisation walks it the
same way, so output is byte-identical across runs without sorting anything, and blank
nodes get stable labels (``b1``, ``b2``, ... in document order) in graphs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from omp_models.aas._core import AasVersion
from omp_models.aas._paths import Token
from omp_models.rdf._schema import DEFAULT_BASE, IDENTIFIABLE_LISTS, Model, Prop, model

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Identifier
    from rdflib.term import Node as RdfNode

__all__ = [
    "XS",
    "Lit",
    "Node",
    "RdfMappingError",
    "build_tree",
    "subject_iri",
    "tree_to_graph",
    "tree_to_jsonld",
    "tree_to_turtle",
]

XS = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xs", XS),
)
_DATATYPES = {"string": "string", "boolean": "boolean", "base64": "base64Binary"}
#: Characters an IRI cannot carry (RFC 3987 / Turtle IRIREF); percent-encoded in subjects.
_IRI_UNSAFE = frozenset('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*\Z")


class RdfMappingError(ValueError):
    """The content cannot be mapped (the message says why; ``tokens`` says where)."""

    def __init__(self, message: str, tokens: Sequence[Token] = ()) -> None:
        super().__init__(message)
        self.tokens: tuple[Token, ...] = tuple(tokens)


@dataclass(frozen=True, slots=True)
class Lit:
    """A typed literal: lexical form and ``xs:`` datatype local name."""

    lexical: str
    datatype: str


@dataclass(frozen=True, slots=True)
class Iri:
    """An IRI value (an enumeration individual)."""

    iri: str


@dataclass(slots=True)
class Node:
    """One RDF node: an identifiable (with an IRI) or a blank node.

    Attributes:
        cls: Its concrete class.
        iri: The IRI of an identifiable; ``None`` for blank nodes.
        props: (attribute, values) in writing order.
        tokens: Where it sits in the environment's JSON form.
    """

    cls: str
    iri: str | None
    tokens: tuple[Token, ...]
    props: list[tuple[Prop, list[Node | Lit | Iri]]] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in document order."""
        yield self
        for _prop, values in self.props:
            for value in values:
                if isinstance(value, Node):
                    yield from value.walk()


def subject_iri(identifier: str) -> str:
    """The IRI (reference) of an identifiable: its id, made safe to write.

    Characters no IRI may hold are percent-encoded, and a relative reference whose first
    segment has a colon but no valid scheme before it (``_:x``) gets a ``./`` in front, as
    RFC 3986 requires; everything else is the id as it is. (The id itself is kept exactly
    in the ``Identifiable/id`` literal, which is what reading uses.)
    """
    iri = identifier
    if any(ch in _IRI_UNSAFE for ch in iri):
        iri = "".join(
            "".join(f"%{b:02X}" for b in ch.encode("utf-8")) if ch in _IRI_UNSAFE else ch
            for ch in iri
        )
    first = re.split(r"[/?#]", iri, maxsplit=1)[0]
    if ":" in first and not _SCHEME.match(first.split(":", 1)[0]):
        iri = "./" + iri
    return iri


def _class_of(value: dict[str, Any], prop_target: str, m: Model, tokens: list[Token]) -> str:
    declared = value.get("modelType")
    if declared is None:
        if prop_target in m.model_type or prop_target not in m.props:
            raise RdfMappingError(f"a {prop_target} without modelType", tokens)
        if any(m.is_a(c, prop_target) and c != prop_target for c in m.model_type):
            raise RdfMappingError(f"a {prop_target} without modelType", tokens)
        return prop_target
    if not isinstance(declared, str) or declared not in m.model_type:
        raise RdfMappingError(f"unknown modelType {declared!r}", [*tokens, "modelType"])
    if not m.is_a(declared, prop_target):
        raise RdfMappingError(f"a {declared} cannot stand where a {prop_target} is expected",
                              [*tokens, "modelType"])
    return declared


def _scalar(prop: Prop, value: Any, m: Model, tokens: list[Token]) -> Lit | Iri:
    if prop.kind == "enum":
        iri = m.enum_iri[prop.target].get(value) if isinstance(value, str) else None
        if iri is None:
            raise RdfMappingError(f"{value!r} is not a {prop.target} literal", tokens)
        return Iri(iri)
    if prop.kind == "boolean":
        if not isinstance(value, bool):
            raise RdfMappingError(f"{prop.name} must be a boolean", tokens)
        return Lit("true" if value else "false", "boolean")
    if not isinstance(value, str):
        raise RdfMappingError(f"{prop.name} must be a string", tokens)
    return Lit(value, _DATATYPES[prop.kind])


def _node(obj: Any, cls: str, iri: str | None, m: Model, tokens: list[Token]) -> Node:
    if not isinstance(obj, dict):
        raise RdfMappingError(f"a {cls} must be a JSON object", tokens)
    props = m.props[cls]
    known = {p.name for p in props}
    for key in obj:
        if key != "modelType" and key not in known:
            raise RdfMappingError(f"{cls} has no attribute {key!r}", [*tokens, key])
    node = Node(cls, iri, tuple(tokens))
    for prop in props:
        if prop.name not in obj:
            continue
        raw = obj[prop.name]
        here = [*tokens, prop.name]
        if prop.many:
            if not isinstance(raw, list):
                raise RdfMappingError(f"{prop.name} must be a list", here)
            if not raw:
                raise RdfMappingError(f"{prop.name} is an empty list, which has no RDF form "
                                      "(and which the metamodel does not allow)", here)
            items = [(item, [*here, i]) for i, item in enumerate(raw)]
        else:
            items = [(raw, here)]
        values: list[Node | Lit | Iri] = []
        for item, where in items:
            if prop.kind == "node":
                if not isinstance(item, dict):
                    raise RdfMappingError(f"{prop.name} must hold JSON objects", where)
                child = _class_of(item, prop.target, m, where)
                values.append(_node(item, child, None, m, where))
            else:
                values.append(_scalar(prop, item, m, where))
        if values:
            node.props.append((prop, values))
    return node


def build_tree(env: dict[str, Any], version: AasVersion) -> list[Node]:
    """The RDF node tree of an environment (identifiables in environment order).

    Raises:
        RdfMappingError: Content the mapping cannot express (an unknown attribute or
            enumeration literal, a wrong JSON type), or two identifiables with one id
            (RDF would merge them into one node).
    """
    m = model(version)
    if not isinstance(env, dict):
        raise RdfMappingError("an environment must be a JSON object")
    for key in env:
        if key not in {name for name, _cls in IDENTIFIABLE_LISTS}:
            raise RdfMappingError(f"Environment has no attribute {key!r}", [key])
    roots: list[Node] = []
    seen: dict[str, tuple[Token, ...]] = {}
    try:
        for list_name, cls in IDENTIFIABLE_LISTS:
            if list_name not in env:
                continue
            items = env[list_name]
            if items == [] or not isinstance(items, list):
                what = "an empty list, which has no RDF form" if items == [] else "not a list"
                raise RdfMappingError(f"{list_name} is {what}", [list_name])
            for index, item in enumerate(items):
                tokens: list[Token] = [list_name, index]
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, str):
                    raise RdfMappingError(f"a {cls} needs a string id", tokens)
                if ident in seen:
                    first = "/".join(str(t) for t in seen[ident])
                    raise RdfMappingError(
                        f"the id {ident!r} is also the id of /{first}; RDF would merge both "
                        "into one node", [*tokens, "id"])
                seen[ident] = tuple(tokens)
                actual = _class_of(item, cls, m, tokens)
                roots.append(_node(item, actual, subject_iri(ident), m, tokens))
    except RecursionError as exc:
        raise RdfMappingError("the environment is nested too deeply") from exc
    return roots


# --- Turtle ------------------------------------------------------------------------------


def _turtle_string(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif (ord(ch) < 0x20 and ch != "\t") or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _turtle_value(value: Node | Lit | Iri, ns: str, depth: int, out: list[str]) -> None:
    if isinstance(value, Lit):
        out.append(f"{_turtle_string(value.lexical)}^^xs:{value.datatype}")
    elif isinstance(value, Iri):
        out.append(f"<{value.iri}>")
    else:
        out.append("[\n")
        _turtle_body(value, ns, depth + 1, out)
        out.append("    " * depth + "]")


def _turtle_body(node: Node, ns: str, depth: int, out: list[str]) -> None:
    indent = "    " * depth
    out.append(f"{indent}rdf:type aas:{node.cls} ;\n" if node.iri is None
               else f"rdf:type aas:{node.cls} ;\n")
    for prop, values in node.props:
        for value in values:
            out.append(f"{indent}<{prop.iri}> ")
            _turtle_value(value, ns, depth, out)
            out.append(" ;\n")


def tree_to_turtle(roots: Sequence[Node], version: AasVersion) -> str:
    """Turtle text in the layout of the official examples (nested blank nodes)."""
    ns = model(version).ns
    out = [f"@prefix aas: <{ns}> .\n"]
    out.extend(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in _PREFIXES)
    for root in roots:
        out.append(f"\n<{root.iri}> ")
        _turtle_body(root, ns, 1, out)
        out.append(".\n")
    return "".join(out)


# --- JSON-LD -----------------------------------------------------------------------------


def _jsonld_id(iri: str) -> str:
    """An ``@id`` that a JSON-LD processor will not read as a keyword (``@...``)."""
    return "./" + iri if iri.startswith("@") else iri


def _jsonld_value(value: Node | Lit | Iri, ns: str, xs: str) -> Any:
    if isinstance(value, Lit):
        return {"@value": value.lexical, "@type": f"{xs}{value.datatype}"}
    if isinstance(value, Iri):
        return {"@id": value.iri}
    return _jsonld_node(value, ns, xs)


def _jsonld_node(node: Node, ns: str, xs: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if node.iri is not None:
        out["@id"] = _jsonld_id(node.iri)
    out["@type"] = node.cls
    for prop, values in node.props:
        items = [_jsonld_value(v, ns, xs) for v in values]
        out[prop.iri[len(ns):]] = items if prop.many else items[0]
    return out


def tree_to_jsonld(roots: Sequence[Node], version: AasVersion) -> str:
    """JSON-LD text: ``@vocab`` is the AAS namespace, one node object per identifiable.

    The ``xs`` prefix is left out (datatypes written in full) when an identifiable's id
    would read as an ``xs:`` CURIE, so every id keeps its meaning.
    """
    ns = model(version).ns
    clash = any(r.iri is not None and r.iri.startswith("xs:") for r in roots)
    context: dict[str, str] = {"@vocab": ns}
    xs = XS
    if not clash:
        context["xs"] = XS
        xs = "xs:"
    doc = {"@context": context, "@graph": [_jsonld_node(r, ns, xs) for r in roots]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# --- rdflib graph ------------------------------------------------------------------------


def tree_to_graph(roots: Sequence[Node], version: AasVersion, base: str | None = DEFAULT_BASE
                  ) -> tuple[Graph, dict[RdfNode, tuple[Token, ...]]]:
    """An rdflib graph of the tree, and the JSON tokens of every node in it.

    Relative identifiable IRIs are resolved against ``base`` (as a parser of the Turtle
    would); blank nodes are labelled ``b1``, ``b2``, ... in document order.
    """
    from rdflib import BNode, Graph, Literal, URIRef

    m = model(version)
    graph = Graph(bind_namespaces="none")
    graph.bind("aas", m.ns)
    graph.bind("xs", XS)
    rdf_type = URIRef(RDF_TYPE)
    datatypes = {local: URIRef(XS + local) for local in _DATATYPES.values()}
    paths: dict[RdfNode, tuple[Token, ...]] = {}
    counter = 0

    def term(node: Node) -> Identifier:
        nonlocal counter
        if node.iri is not None:
            return URIRef(node.iri, base=base) if base else URIRef(node.iri)
        counter += 1
        return BNode(f"b{counter}")

    stack: list[tuple[Node, Identifier]] = [(r, term(r)) for r in reversed(roots)]
    while stack:
        node, subject = stack.pop()
        paths[subject] = node.tokens
        graph.add((subject, rdf_type, URIRef(m.class_iri(node.cls))))
        children: list[tuple[Node, Identifier]] = []
        for prop, values in node.props:
            pred = URIRef(prop.iri)
            for value in values:
                obj: Identifier
                if isinstance(value, Lit):
                    obj = Literal(value.lexical, datatype=datatypes[value.datatype],
                                  normalize=False)
                elif isinstance(value, Iri):
                    obj = URIRef(value.iri)
                else:
                    obj = term(value)
                    children.append((value, obj))
                graph.add((subject, pred, obj))
        stack.extend(reversed(children))
    return graph, paths
