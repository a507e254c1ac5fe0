"""Turtle files as triples in the SAMM 2.2.0 vocabulary, and a small index over them.

rdflib parses each file once per process (files are cached by path, size and mtime, so a
sweep over a model repository parses each shared model once); the triples are migrated to
SAMM 2.2.0 (:func:`omp_models.samm._vocab.migrate_iri`) and indexed subject -> predicate ->
objects, which is all the builder needs and much faster than querying a Graph.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from omp_models.samm._vocab import RDF, SAMM, element_urn_parts, meta_version_of, migrate_iri

__all__ = ["Index", "Problem", "TurtleFile", "parse_turtle", "read_turtle"]

_TYPE = URIRef(f"{RDF}type")
_FIRST = URIRef(f"{RDF}first")
_REST = URIRef(f"{RDF}rest")
_NIL = URIRef(f"{RDF}nil")
_SEE = URIRef(f"{SAMM}see")

#: Largest Turtle file read (a model is a few hundred KiB at most).
MAX_TURTLE_SIZE = 32 << 20


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found while reading a file: rule id, message, 1-based line."""

    rule: str
    message: str
    line: int | None = None


@dataclass
class TurtleFile:
    """One parsed Turtle file.

    Attributes:
        path: The file.
        text: Its text (for locating elements).
        triples: Its triples, migrated to SAMM 2.2.0.
        versions: Meta-model versions it uses (``2.1.0``, ``bamm-1.0.0``...).
        prefixes: Prefix -> namespace IRI (migrated).
        defined: IRIs that have an ``rdf:type`` in this file.
        problems: What went wrong (a file that did not parse has no triples).
    """

    path: Path
    text: str
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    versions: set[str] = field(default_factory=set)
    prefixes: dict[str, str] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    _lines: dict[str, int | None] = field(default_factory=dict, repr=False)

    def line_of(self, iri: str) -> int | None:
        """The line where ``iri`` is defined (or first mentioned), if it can be found."""
        if iri not in self._lines:
            self._lines[iri] = _find_line(self.text, iri, self.prefixes)
        return self._lines[iri]

    def referenced(self) -> Iterator[str]:
        """Every model-element URN this file mentions (subject, predicate or object)."""
        seen: set[str] = set()
        for triple in self.triples:
            if triple[1] == _SEE:
                continue
            for node in triple:
                if isinstance(node, URIRef):
                    text = str(node)
                    if text not in seen:
                        seen.add(text)
                        if element_urn_parts(text) is not None:
                            yield text


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's traceback for each ill-typed literal (the checks report them)."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _migrate_node(node: Node) -> Node | None:
    if isinstance(node, URIRef):
        new = migrate_iri(str(node))
        if new is None:
            return None
        return node if new == str(node) else URIRef(new)
    if isinstance(node, Literal) and node.datatype is not None:
        new_type = migrate_iri(str(node.datatype))
        if new_type is not None and new_type != str(node.datatype):
            return Literal(str(node), datatype=URIRef(new_type))
    return node


def _decode(data: bytes, result: TurtleFile) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        result.problems.append(Problem(
            "samm/encoding", f"Invalid UTF-8 byte {data[exc.start]:#04x}; Turtle files must "
            "be UTF-8 (read as Latin-1 to continue).", line))
        return data.decode("latin-1")


def parse_turtle(data: bytes, path: Path) -> TurtleFile:
    """Parse Turtle bytes into a :class:`TurtleFile` (problems are recorded, never raised)."""
    result = TurtleFile(path=path, text="")
    if len(data) > MAX_TURTLE_SIZE:
        result.problems.append(Problem(
            "samm/syntax", f"The file has {len(data)} bytes; the limit is {MAX_TURTLE_SIZE}."))
        return result
    text = _decode(data, result)
    result.text = text
    graph = Graph()
    try:
        with _quiet_rdflib():
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except RecursionError:
        result.problems.append(Problem("samm/syntax", "The Turtle is nested too deeply."))
        return result
    except Exception as exc:  # rdflib raises BadSyntax and a few others on bad input
        line = getattr(exc, "lines", None)
        why = getattr(exc, "_why", None) or str(exc).splitlines()[0]
        result.problems.append(Problem(
            "samm/syntax", f"Not valid Turtle: {why}.",
            line + 1 if isinstance(line, int) else None))
        return result
    for prefix, namespace in graph.namespaces():
        ns = str(namespace)
        version = meta_version_of(ns + "x")
        migrated = migrate_iri(ns + "x") if version else None
        result.prefixes[str(prefix)] = migrated[:-1] if migrated else ns.replace(
            "urn:bamm:", "urn:samm:", 1)
    for s, p, o in graph:
        for node in (s, p, o):
            if isinstance(node, URIRef) and (version := meta_version_of(str(node))):
                result.versions.add(version)
        ms, mp, mo = _migrate_node(s), _migrate_node(p), _migrate_node(o)
        if ms is None or mp is None or mo is None:
            continue
        result.triples.append((ms, mp, mo))
        if mp == _TYPE and isinstance(ms, URIRef):
            result.defined.add(str(ms))
    return result


_CACHE: dict[tuple[str, int, int], TurtleFile] = {}


def read_turtle(path: Path) -> TurtleFile:
    """Read and parse a Turtle file, once per process per (path, size, mtime)."""
    try:
        stat = path.stat()
    except OSError as exc:
        result = TurtleFile(path=path, text="")
        result.problems.append(Problem("samm/unreadable", f"Cannot read the file: {exc.strerror}."))
        return result
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    try:
        data = path.read_bytes()
    except OSError as exc:
        result = TurtleFile(path=path, text="")
        result.problems.append(Problem("samm/unreadable", f"Cannot read the file: {exc.strerror}."))
        return result
    parsed = parse_turtle(data, path)
    if len(_CACHE) > 4096:
        _CACHE.clear()
    _CACHE[key] = parsed
    return parsed


def _find_line(text: str, iri: str, prefixes: dict[str, str]) -> int | None:
    forms = [re.escape(f"<{iri}>")]
    for prefix, namespace in prefixes.items():
        if namespace and iri.startswith(namespace):
            local = iri[len(namespace):]
            if re.fullmatch(r"[A-Za-z0-9_\-.]*", local):
                forms.append(re.escape(f"{prefix}:{local}"))
    alternatives = "|".join(forms)
    for pattern in (rf"(?m)^[ \t]*(?:{alternatives})(?=[\s;,.])",
                    rf"(?:{alternatives})(?=[\s;,.)\]])"):
        match = re.search(pattern, text)
        if match is not None:
            return text.count("\n", 0, match.start()) + 1
    return None


class Index:
    """Triples of several files, indexed subject -> predicate -> objects."""

    def __init__(self) -> None:
        self._spo: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.origin: dict[str, TurtleFile] = {}
        self.bnode_origin: dict[Node, TurtleFile] = {}
        self.files: list[TurtleFile] = []

    def add(self, turtle: TurtleFile) -> None:
        """Add a file's triples (each file once)."""
        if any(f is turtle for f in self.files):
            return
        self.files.append(turtle)
        for s, p, o in turtle.triples:
            objects = self._spo[s][p]
            if o not in objects:
                objects.append(o)
            if isinstance(s, BNode):
                self.bnode_origin.setdefault(s, turtle)
        for iri in turtle.defined:
            self.origin.setdefault(iri, turtle)

    def add_triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples that belong to no file (built-in definitions)."""
        for s, p, o in triples:
            objects = self._spo[s][p]
            if o not in objects:
                objects.append(o)

    def objects(self, subject: Node, predicate: str) -> list[Node]:
        """Objects of ``subject predicate ?o``."""
        by_predicate = self._spo.get(subject)
        if not by_predicate:
            return []
        return by_predicate.get(URIRef(predicate), [])

    def value(self, subject: Node, predicate: str) -> Node | None:
        """The first object of ``subject predicate ?o``."""
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def predicates(self, subject: Node) -> dict[Node, list[Node]]:
        """Every predicate of ``subject`` with its objects."""
        return self._spo.get(subject, {})

    def types(self, subject: Node) -> list[str]:
        """The ``rdf:type`` IRIs of ``subject``."""
        return [str(t) for t in self.objects(subject, f"{RDF}type")]

    def has(self, subject: Node) -> bool:
        """Whether ``subject`` has any triple."""
        return subject in self._spo

    def subjects(self) -> list[Node]:
        """Every subject."""
        return list(self._spo)

    def rdf_list(self, head: Node) -> list[Node] | None:
        """The items of an RDF list, or ``None`` when ``head`` is not a well-formed list."""
        items: list[Node] = []
        seen: set[Node] = set()
        node: Node | None = head
        while node is not None and node != _NIL:
            if node in seen or not isinstance(node, BNode | URIRef):
                return None
            seen.add(node)
            first = self.objects(node, f"{RDF}first")
            rest = self.objects(node, f"{RDF}rest")
            if len(first) != 1 or len(rest) != 1:
                return None
            items.append(first[0])
            node = rest[0]
        return items
