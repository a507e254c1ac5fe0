"""AAS <-> RDF following the official RDF mapping (IDTA-01001-3-0, RDF serialisation).

The mapping works on an environment's normalised JSON form (:mod:`omp_models.aas.io`):

- every shell, submodel and concept description is a node whose IRI is its id; every
  other object is a blank node typed with its class (``rdf:type aas:Property``);
- an attribute is the predicate ``<namespace><DeclaringClass>/<attribute>``
  (``https://admin-shell.io/aas/3/0/Referable/idShort``), a list repeats it per item;
- strings are ``xs:string`` literals, ``Blob`` values ``xs:base64Binary``, flags
  ``xs:boolean``; enumeration literals are individuals (``aas:DataTypeDefXsd/Int``).

For AAS 3.0 this is the official mapping (the vendored ontology and the official test
data agree with it, triple for triple). AAS 3.1 content is written the same way in the
``https://admin-shell.io/aas/3/1/`` namespace. Output is deterministic: the same input
gives the same bytes.

Example:
    >>> from omp_models.rdf import to_turtle, read_rdf
    >>> env = {"submodels": [{"modelType": "Submodel", "id": "urn:x:sm"}]}
    >>> text = to_turtle(env, "3.0")
    >>> read_rdf(text.encode(), "turtle").jsonable == env
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from omp_models.aas._core import AasVersion
from omp_models.aas._paths import Token
from omp_models.rdf._compare import isomorphic
from omp_models.rdf._read import (
    RdfEnvironment,
    RdfIssue,
    RdfReadError,
    RdfSyntax,
    graph_to_environment,
    parse_rdf,
)
from omp_models.rdf._schema import DEFAULT_BASE, namespace
from omp_models.rdf._write import (
    RdfMappingError,
    build_tree,
    subject_iri,
    tree_to_graph,
    tree_to_jsonld,
    tree_to_turtle,
)

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "DEFAULT_BASE",
    "MappedGraph",
    "RdfEnvironment",
    "RdfIssue",
    "RdfMappingError",
    "RdfReadError",
    "RdfSyntax",
    "graph_to_environment",
    "isomorphic",
    "namespace",
    "parse_rdf",
    "read_rdf",
    "subject_iri",
    "to_graph",
    "to_jsonld",
    "to_turtle",
]


@dataclass
class MappedGraph:
    """An environment as an rdflib graph, with the way back to its JSON form.

    Attributes:
        graph: The triples of the official mapping.
        paths: For every node (identifiable IRI or blank node), the JSON tokens of the
            object it came from (``["submodels", 0, "submodelElements", 2]``).
    """

    graph: Graph
    paths: dict[Node, tuple[Token, ...]]


def to_turtle(env: dict[str, Any], version: AasVersion) -> str:
    """Turtle text of an environment (JSON form), laid out like the official examples.

    Raises:
        RdfMappingError: Content the mapping cannot express (see :func:`to_graph`).
    """
    return tree_to_turtle(build_tree(env, version), version)


def to_jsonld(env: dict[str, Any], version: AasVersion) -> str:
    """JSON-LD text of an environment: the same triples as :func:`to_turtle`.

    Raises:
        RdfMappingError: Content the mapping cannot express (see :func:`to_graph`).
    """
    return tree_to_jsonld(build_tree(env, version), version)


def to_graph(env: dict[str, Any], version: AasVersion, base: str | None = DEFAULT_BASE
             ) -> MappedGraph:
    """The environment as an rdflib graph (blank nodes labelled ``b1``, ``b2``, ...).

    Ids that are relative IRI references are resolved against ``base``, as parsing the
    Turtle of :func:`to_turtle` with that base does (``None``: keep them relative).

    Raises:
        RdfMappingError: An attribute, class or enumeration literal the metamodel does
            not have, a value of the wrong JSON type, or two identifiables sharing an id
            (RDF would merge them); ``tokens`` on the error says where.
    """
    graph, paths = tree_to_graph(build_tree(env, version), version, base)
    return MappedGraph(graph, paths)


def read_rdf(data: bytes, syntax: RdfSyntax, base: str = DEFAULT_BASE) -> RdfEnvironment:
    """Parse Turtle or JSON-LD and read the environment it holds.

    Raises:
        RdfReadError: Not well-formed, not AAS, or too deep/entangled to be read.
    """
    return graph_to_environment(parse_rdf(data, syntax, base))
