"""RDF -> AAS: parse Turtle / JSON-LD safely, then walk the graph into the JSON form.

The official mapping does not record the order of list items (a list is one repeated
property). Parsed graphs keep the order of the document: the store records when each
triple arrived, and list items are read in that order, which is the order our writer and
the official examples use. A graph from elsewhere (no recorded order) is read in a stable
order of its content instead, so reading is deterministic either way.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from rdflib import RDF, BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from omp_models.aas._core import CONCRETE_CLASSES, AasVersion
from omp_models.aas._paths import Token
from omp_models.locate import pointer_from_tokens
from omp_models.rdf._compare import subtree_hashes
from omp_models.rdf._schema import (
    DEFAULT_BASE,
    IDENTIFIABLE_LISTS,
    Model,
    Prop,
    model,
    namespace,
)
from omp_models.rdf._write import XS

__all__ = [
    "DEFAULT_BASE",
    "RdfEnvironment",
    "RdfIssue",
    "RdfReadError",
    "RdfSyntax",
    "graph_to_environment",
    "parse_rdf",
]

RdfSyntax = Literal["turtle", "json-ld"]

_MAX_DEPTH = 200
_VERSIONS: tuple[AasVersion, ...] = ("3.0", "3.1")
_CONCRETE = frozenset(CONCRETE_CLASSES) - {"Environment"}
_LOCK = threading.Lock()
_RDF_TYPE = RDF.type
_DATATYPES = {"string": XS + "string", "boolean": XS + "boolean",
              "base64": XS + "base64Binary"}


class RdfReadError(ValueError):
    """The data is not RDF in the given syntax, or not AAS content."""


@dataclass(frozen=True, slots=True)
class RdfIssue:
    """Something reading did not copy one to one.

    Attributes:
        kind: ``invalid`` (cannot be read: an error), ``dropped`` (triples outside the
            mapping: lossy), ``defaulted`` (a missing ``rdf:type`` taken from the
            attribute's range) or ``retyped`` (a literal of another datatype or with a
            language tag read as the attribute's type).
        message: One sentence.
        source: The RDF node (``<iri>`` or ``_:label``) and predicate it is about.
        target: JSON Pointer into the environment read, where there is one.
    """

    kind: Literal["invalid", "dropped", "defaulted", "retyped"]
    message: str
    source: str | None = None
    target: str | None = None


@dataclass
class RdfEnvironment:
    """An environment read from RDF.

    Attributes:
        jsonable: The environment's JSON form (what ``omp_models.aas.io`` works with).
        version: The metamodel version of the namespace used (3.0 or 3.1).
        issues: What did not map one to one; ``invalid`` ones make the result unusable.
    """

    jsonable: dict[str, Any]
    version: AasVersion
    issues: list[RdfIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing was invalid."""
        return not any(i.kind == "invalid" for i in self.issues)


class _OrderedMemory(Memory):
    """The default rdflib store, also recording the order in which triples arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.order: dict[tuple[Node, Node, Node], int] = {}

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        """Add a triple and remember when it first came."""
        self.order.setdefault(triple, len(self.order))
        super().add(triple, context, quoted)


def _remote_context(value: Any) -> bool:
    """Whether a JSON-LD document refers to a context by URL anywhere (``@context``/``@import``)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ctx = current.get("@context")
            items = ctx if isinstance(ctx, list) else [ctx]
            if any(isinstance(item, str) for item in items) or "@import" in current:
                return True
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def parse_rdf(data: bytes, syntax: RdfSyntax, base: str = DEFAULT_BASE) -> Graph:
    """Parse Turtle or JSON-LD into a graph that remembers document order.

    Literals keep their lexical form (no normalisation: an invalid ``xs:base64Binary``
    stays visible instead of becoming an empty string). Nothing is fetched: a JSON-LD
    document that names a remote context is refused.

    Raises:
        RdfReadError: Not UTF-8, not well-formed, a remote JSON-LD context, or nested
            too deeply.
    """
    import rdflib

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RdfReadError(f"not UTF-8: invalid byte at offset {exc.start}") from exc
    parsed: Any = None
    if syntax == "json-ld":
        import orjson

        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise RdfReadError(f"not JSON: {exc}") from exc
        if _remote_context(parsed):
            raise RdfReadError("the JSON-LD document refers to a remote @context or @import; "
                               "only inline contexts are read (nothing is fetched)")
    graph = Graph(store=_OrderedMemory(), bind_namespaces="none")
    with _LOCK:
        previous = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        try:
            if syntax == "turtle":
                graph.parse(data=text, format="turtle", publicID=base)
            else:
                from rdflib.plugins.parsers.jsonld import to_rdf

                # Straight into the plain graph: named graphs are read as part of it.
                to_rdf(parsed, graph, base=base, version=1.1)
        except RecursionError as exc:
            raise RdfReadError("the document is nested too deeply") from exc
        except Exception as exc:  # rdflib raises many types for malformed input
            message = " ".join(str(exc).split())
            raise RdfReadError(f"not valid {syntax}: {message[:500]}") from exc
        finally:
            rdflib.NORMALIZE_LITERALS = previous
    return graph


@cache
def _class_tables(version: AasVersion) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Concrete class IRI -> IRIs of it and its superclasses; classes read without a type.

    A node without ``rdf:type`` can be read as the attribute's class only when that class
    has no ``modelType`` and no subclasses (``Reference``, ``Key``, ...).
    """
    m = model(version)
    ancestor_iris = {
        m.class_iri(c): frozenset(m.class_iri(a) for a in m.ancestors[c])
        for c in _CONCRETE if c in m.ancestors
    }
    defaultable = frozenset(
        c for c in _CONCRETE
        if c not in m.model_type and not any(m.is_a(o, c) and o != c for o in _CONCRETE)
    )
    return ancestor_iris, defaultable


def _is_base64(lexical: str) -> bool:
    """Whether a literal is valid ``xs:base64Binary`` (whitespace allowed, nothing else)."""
    import base64
    import binascii

    try:
        base64.b64decode("".join(lexical.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else f"<{node}>"


def _detect_version(graph: Graph) -> AasVersion:
    found: set[AasVersion] = set()
    prefixes = {v: namespace(v) for v in _VERSIONS}
    for pred in set(graph.predicates()):
        for version, ns in prefixes.items():
            if str(pred).startswith(ns):
                found.add(version)
    for obj in set(graph.objects(None, _RDF_TYPE)):
        for version, ns in prefixes.items():
            if str(obj).startswith(ns):
                found.add(version)
    if not found:
        bound = {str(iri) for _prefix, iri in graph.namespaces()}
        found = {v for v, ns in prefixes.items() if ns in bound}
    if len(found) > 1:
        raise RdfReadError("the graph mixes AAS 3.0 and 3.1 terms")
    if not found:
        raise RdfReadError("no AAS content: no term of https://admin-shell.io/aas/3/0/ or "
                           "https://admin-shell.io/aas/3/1/")
    return found.pop()


class _Reader:
    def __init__(self, graph: Graph, m: Model) -> None:
        self.graph = graph
        self.m = m
        self.order: dict[Any, int] = getattr(graph.store, "order", {})
        self.issues: list[RdfIssue] = []
        self.consumed: set[tuple[Node, Node, Node]] = set()
        self.budget = len(graph) + 1
        self._hashes: dict[BNode, str] | None = None
        self.ancestor_iris, self.defaultable = _class_tables(m.version)
        # one pass over the store: every lookup below is a dictionary access
        self.edges: dict[Node, list[tuple[Node, Node]]] = {}
        self.typed: dict[Node, list[Node]] = {}
        for s, p, o in graph:
            self.edges.setdefault(s, []).append((p, o))
            if p == _RDF_TYPE:
                self.typed.setdefault(o, []).append(s)

    def _tiebreak(self, term: Node) -> str:
        if isinstance(term, BNode):
            if self._hashes is None:
                self._hashes = subtree_hashes(self.graph)
            return "B" + self._hashes.get(term, str(term))
        return ("L" if isinstance(term, RdfLiteral) else "U") + term.n3()

    def outgoing(self, subject: Node) -> dict[Node, list[Node]]:
        """The node's objects by predicate, each list in document (else content) order."""
        found: dict[Node, list[Node]] = {}
        for pred, obj in self.edges.get(subject, ()):
            found.setdefault(pred, []).append(obj)
        big = len(self.order) + 1
        for pred, objs in found.items():
            if len(objs) > 1:

                def key(obj: Node, pred: Node = pred) -> tuple[int, str]:
                    seen = self.order.get((subject, pred, obj))
                    return (seen, "") if seen is not None else (big, self._tiebreak(obj))

                objs.sort(key=key)
        return found

    def invalid(self, message: str, node: Node | None, tokens: list[Token],
                pred: str | None = None) -> None:
        source = None if node is None else _label(node) + (f" <{pred}>" if pred else "")
        self.issues.append(RdfIssue("invalid", message, source, pointer_from_tokens(tokens)))

    def class_of(self, node: Node, target: str, tokens: list[Token]) -> str | None:
        types = [t for p, t in self.edges.get(node, ()) if p == _RDF_TYPE and isinstance(t, URIRef)]
        concrete = [t for t in types if str(t) in self.ancestor_iris]
        # inferred supertypes (rdfs reasoning) are not separate classes
        concrete = [t for t in concrete
                    if not any(t != o and str(t) in self.ancestor_iris[str(o)] for o in concrete)]
        for t in types:
            if str(t) in self.ancestor_iris or any(str(t) in self.ancestor_iris[str(c)]
                                                   for c in concrete):
                self.consumed.add((node, _RDF_TYPE, t))
        if len(concrete) > 1:
            names = ", ".join(sorted(str(t) for t in concrete))
            self.invalid(f"the node has several AAS classes: {names}", node, tokens)
            return None
        if not concrete:
            if target not in self.defaultable:
                self.invalid(f"the node has no rdf:type of an AAS class (a {target} is expected)",
                             node, tokens)
                return None
            self.issues.append(RdfIssue(
                "defaulted", f"the node has no rdf:type; read as a {target}", _label(node),
                pointer_from_tokens(tokens)))
            return target
        cls = str(concrete[0])[len(self.m.ns):]
        if not self.m.is_a(cls, target):
            self.invalid(f"a {cls} cannot stand where a {target} is expected", node, tokens)
            return None
        return cls

    def scalar(self, prop: Prop, node: Node, obj: Node, tokens: list[Token]) -> Any:
        if prop.kind == "enum":
            if isinstance(obj, URIRef) and self.m.enum_value.get(str(obj), ("", ""))[0] == (
                    prop.target):
                return self.m.enum_value[str(obj)][1]
            if isinstance(obj, RdfLiteral) and str(obj) in self.m.enum_iri[prop.target]:
                self.issues.append(RdfIssue(
                    "retyped", f"the literal {str(obj)!r} was read as the {prop.target} "
                    f"individual", f"{_label(node)} <{prop.iri}>", pointer_from_tokens(tokens)))
                return str(obj)
            self.invalid(f"{obj.n3()} is not a {prop.target} individual", node, tokens, prop.iri)
            return None
        if not isinstance(obj, RdfLiteral):
            self.invalid(f"{prop.name} needs a literal, not {obj.n3()}", node, tokens, prop.iri)
            return None
        lexical = str(obj)
        expected = _DATATYPES[prop.kind]
        if obj.language or (obj.datatype is not None and str(obj.datatype) != expected):
            what = f"language tag @{obj.language}" if obj.language else f"datatype {obj.datatype}"
            self.issues.append(RdfIssue(
                "retyped", f"a literal with {what} was read as {expected.replace(XS, 'xs:')}",
                f"{_label(node)} <{prop.iri}>", pointer_from_tokens(tokens)))
        if prop.kind == "boolean":
            text = lexical.strip()
            if text in ("true", "1"):
                return True
            if text in ("false", "0"):
                return False
            self.invalid(f"{lexical!r} is not an xs:boolean", node, tokens, prop.iri)
            return None
        if prop.kind == "base64" and not _is_base64(lexical):
            self.invalid(f"{_short(lexical)!r} is not an xs:base64Binary", node, tokens,
                         prop.iri)
            return None
        return lexical

    def convert(self, node: Node, cls: str, tokens: list[Token], path: set[Node]) -> dict[str, Any]:
        self.budget -= 1
        if self.budget < 0:
            raise RdfReadError("the graph shares nodes so often that the AAS tree would explode")
        if len(tokens) > _MAX_DEPTH:
            raise RdfReadError(f"the graph is nested deeper than {_MAX_DEPTH} levels")
        out: dict[str, Any] = {}
        if cls in self.m.model_type:
            out["modelType"] = cls
        path = path | {node}
        outgoing = self.outgoing(node)
        for prop in self.m.props[cls]:
            pred = URIRef(prop.iri)
            objects = outgoing.get(pred)
            if not objects:
                continue
            for obj in objects:
                self.consumed.add((node, pred, obj))
            here: list[Token] = [*tokens, prop.name]
            if not prop.many and len(objects) > 1:
                self.invalid(f"{prop.name} has {len(objects)} values; the metamodel allows one",
                             node, here, prop.iri)
                continue
            values = []
            for index, obj in enumerate(objects):
                where = [*here, index] if prop.many else here
                value = self.value(prop, node, obj, where, path)
                if value is not None:
                    values.append(value)
            if values:
                out[prop.name] = values if prop.many else values[0]
        return out

    def value(self, prop: Prop, node: Node, obj: Node, where: list[Token], path: set[Node]
              ) -> Any:
        if prop.kind != "node":
            return self.scalar(prop, node, obj, where)
        if isinstance(obj, RdfLiteral):
            self.invalid(f"{prop.name} needs a node, not the literal {obj.n3()}", node, where,
                         prop.iri)
            return None
        if obj in path:
            self.invalid("the node contains itself (a cycle)", obj, where)
            return None
        child = self.class_of(obj, prop.target, where)
        return None if child is None else self.convert(obj, child, where, path)

    def roots(self) -> Iterator[tuple[str, str, Node]]:
        for list_name, cls in IDENTIFIABLE_LISTS:
            type_iri = URIRef(self.m.class_iri(cls))
            found = list(self.typed.get(type_iri, ()))

            def key(subject: Node, type_iri: Node = type_iri, big: int = len(self.order) + 1
                    ) -> tuple[int, str]:
                seen = self.order.get((subject, _RDF_TYPE, type_iri))
                return (seen, "") if seen is not None else (big, self._tiebreak(subject))

            found.sort(key=key)
            for subject in found:
                yield list_name, cls, subject

    def dropped(self) -> None:
        left: Counter[str] = Counter()
        for triple in self.graph:
            if triple not in self.consumed:
                left[str(triple[1])] += 1
        for pred, count in sorted(left.items()):
            self.issues.append(RdfIssue(
                "dropped", f"{count} triple(s) with predicate <{pred}> are not part of the "
                "AAS mapping (or hang from no shell, submodel or concept description) and "
                "were not read", f"<{pred}>"))


def graph_to_environment(graph: Graph) -> RdfEnvironment:
    """Read an environment (JSON form) from a graph that follows the official mapping.

    Raises:
        RdfReadError: The graph holds no AAS terms, mixes 3.0 and 3.1, or is too deep or
            too entangled to be a tree of AAS objects.
    """
    version = _detect_version(graph)
    reader = _Reader(graph, model(version))
    env: dict[str, list[dict[str, Any]]] = {}
    try:
        for list_name, cls, subject in reader.roots():
            tokens: list[Token] = [list_name, len(env.get(list_name, []))]
            actual = reader.class_of(subject, cls, tokens)
            if actual is None:
                continue
            item = reader.convert(subject, actual, tokens, set())
            env.setdefault(list_name, []).append(item)
    except RecursionError as exc:
        raise RdfReadError("the graph is nested too deeply") from exc
    reader.dropped()
    return RdfEnvironment(env, version, reader.issues)

