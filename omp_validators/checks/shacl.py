"""SHACL layer (opt-in, ``--check shacl``): the official AAS 3.0 shapes through pyshacl.

The document is mapped to RDF exactly as ``omp convert --to aas-turtle`` writes it
(:mod:`omp_models.rdf`), the official ontology is added (the shapes' ``sh:class`` checks
need its class hierarchy and enumeration individuals), and pyshacl validates the result
against the vendored ``shacl-schema.ttl``. Each result becomes a finding
``shacl/<constraint>`` located at the element it is about (focus node and result path are
mapped back to a JSON Pointer or an XML path).

The official shapes reject every language string: they require a class-specific path
(``…/LangStringTextType/text``) where the ontology and the official examples use
``…/AbstractLangString/text``. Those results are reported as the info finding
``shacl/known-shape-defect`` instead of errors (see ``docs/rdf.md``).

pyshacl is the ``shacl`` extra (``pip install 'omp-toolkit[shacl]'``). Parsed shapes and
ontology are cached per process, and so are the SPARQL constraints, which pyshacl would
otherwise parse again for every focus node (three quarters of its time).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from omp_models.aas._paths import Token, xml_path_from_tokens
from omp_models.diagnostics import Finding, Rule, Severity, Where
from omp_validators.locate import pointer_from_tokens

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from omp_validators.options import ValidateOptions

__all__ = [
    "DOCUMENT_CHECK",
    "RULES",
    "ShaclResult",
    "check_shacl",
    "describe",
    "validate_graph",
]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
SH = "http://www.w3.org/ns/shacl#"
_IDENTIFIABLES = {"AssetAdministrationShell": "assetAdministrationShells",
                  "Submodel": "submodels", "ConceptDescription": "conceptDescriptions"}
_LANG_STRINGS = ("LangStringNameType", "LangStringTextType",
                 "LangStringPreferredNameTypeIec61360", "LangStringShortNameTypeIec61360",
                 "LangStringDefinitionTypeIec61360")

_SPEC = "the official AAS 3.0 SHACL shapes (IDTA-01001-3-0-1, `shacl-schema.ttl`)"


def _rule(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "shacl")


RULES: tuple[Rule, ...] = (
    _rule("shacl/min-count", "A required attribute is missing (SHACL sh:minCount)", E,
          f"A property shape of {_SPEC} requires at least `sh:minCount` values of the path.",
          "Add the attribute the message names."),
    _rule("shacl/max-count", "An attribute has too many values (SHACL sh:maxCount)", E,
          f"A property shape of {_SPEC} allows at most `sh:maxCount` values of the path.",
          "Keep one value of the attribute."),
    _rule("shacl/class", "A value has the wrong class (SHACL sh:class)", E,
          f"{_SPEC} require the value of the path to be an instance of a class (an AAS "
          "class or an enumeration).",
          "Use a value of the class the message names."),
    _rule("shacl/datatype", "A literal has the wrong datatype (SHACL sh:datatype)", E,
          f"{_SPEC} require the literal of the path to have a datatype (`xs:string`, "
          "`xs:boolean`, `xs:base64Binary`).",
          "Write the value with the datatype the message names."),
    _rule("shacl/pattern", "A value does not match its pattern (SHACL sh:pattern)", E,
          f"{_SPEC} constrain the value of the path with a regular expression (idShort, "
          "language tags, content types, dates, versions, ...).",
          "Change the value so that it matches the pattern the message shows."),
    _rule("shacl/min-length", "A value is too short (SHACL sh:minLength)", E,
          f"{_SPEC} require a minimum length of the value (most strings must not be empty).",
          "Give a non-empty value, or leave the attribute out if it is optional."),
    _rule("shacl/max-length", "A value is too long (SHACL sh:maxLength)", E,
          f"{_SPEC} limit the length of the value.",
          "Shorten the value to the length the message names."),
    _rule("shacl/sparql", "A SPARQL constraint of the shapes fails (SHACL sh:sparql)", E,
          f"{_SPEC} use SPARQL constraints to reject instances of abstract classes.",
          "Type the node with a concrete class."),
    _rule("shacl/other", "Another SHACL constraint fails", E,
          f"A constraint component of {_SPEC} without its own rule here.",
          "Read the message: it names the constraint, the focus node and the path."),
    _rule("shacl/known-shape-defect", "A result caused by a known defect of the shapes", INFO,
          f"{_SPEC} require a class-specific text path (e.g. `…/LangStringTextType/text`) "
          "for every language string, while the official ontology, the official examples "
          "and this tool's RDF use `…/AbstractLangString/text`. Every language string "
          "therefore fails `sh:minCount` there. The result is reported, as info, so that "
          "valid documents pass; see the AAS <-> RDF page for the full verdict table.",
          "Nothing to fix in the document."),
    _rule("shacl/unavailable", "The SHACL layer did not run on this document", INFO,
          f"{_SPEC} exist for AAS 3.0 only, and they need the document in RDF. A 3.1 "
          "document, or content the RDF mapping cannot express, is not checked by them "
          "(the metamodel layer checks it in full).",
          "Nothing to do, or convert the document to AAS 3.0 to run the shapes."),
)

_COMPONENT_RULES = {
    "MinCount": "shacl/min-count", "MaxCount": "shacl/max-count", "Class": "shacl/class",
    "Datatype": "shacl/datatype", "Pattern": "shacl/pattern",
    "MinLength": "shacl/min-length", "MaxLength": "shacl/max-length", "SPARQL": "shacl/sparql",
}


class ShaclResult(NamedTuple):
    """One SHACL validation result.

    Attributes:
        component: The constraint component's local name (``MinCountConstraintComponent``).
        severity: ``Violation``, ``Warning`` or ``Info``.
        focus: The focus node.
        path: The result path (a predicate IRI), if any.
        value: The offending value, if any.
        message: pyshacl's message.
        shape: The shape (in the shapes graph) that produced the result.
    """

    component: str
    severity: str
    focus: Node
    path: str | None
    value: Node | None
    message: str
    shape: Node | None = None

    @property
    def rule(self) -> str:
        """The rule id (``shacl/min-count``)."""
        return _COMPONENT_RULES.get(self.component.removesuffix("ConstraintComponent"),
                                    "shacl/other")


@cache
def _graphs() -> tuple[Graph, Graph]:
    """The official shapes and ontology, parsed once per process."""
    from rdflib import Graph

    from omp_models.resources import schema_path

    shapes = Graph().parse(schema_path("aas-3.0-shacl"), format="turtle")
    ontology = Graph().parse(schema_path("aas-3.0-rdf-ontology"), format="turtle")
    return shapes, ontology


@cache
def _data_graph_class() -> type[Graph]:
    """A graph whose SPARQL queries are parsed once per process, not once per focus node."""
    from rdflib import Graph
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    class _PreparedQueryGraph(Graph):
        def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
                  initNs: Any = None, initBindings: Any = None,
                  use_store_provided: bool = True, **kwargs: Any) -> Any:
            if isinstance(query_object, str):
                namespaces = initNs or dict(self.namespaces())
                key = (query_object, tuple(sorted((k, str(v)) for k, v in namespaces.items())))
                if key not in prepared:
                    prepared[key] = translateQuery(parseQuery(query_object), None, namespaces)
                query_object = prepared[key]
            return super().query(query_object, processor, result, initNs, initBindings,
                                 use_store_provided, **kwargs)

    return _PreparedQueryGraph


def validate_graph(graph: Graph) -> list[ShaclResult]:
    """Validate an AAS 3.0 graph against the official shapes (with the ontology added).

    Raises:
        RuntimeError: pyshacl is not installed.
    """
    try:
        import pyshacl
    except ImportError as exc:
        raise RuntimeError("the SHACL layer needs pyshacl: pip install 'omp-toolkit[shacl]'"
                           ) from exc
    from rdflib import RDF, Namespace

    shapes, ontology = _graphs()
    data = _data_graph_class()()
    for triple in ontology:
        data.add(triple)
    for triple in graph:
        data.add(triple)
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", inplace=True, allow_warnings=True)
    sh = Namespace(SH)
    results: list[ShaclResult] = []
    for node in report.subjects(RDF.type, sh.ValidationResult):
        path = report.value(node, sh.resultPath)
        component = str(report.value(node, sh.sourceConstraintComponent) or "")
        severity = str(report.value(node, sh.resultSeverity) or "")
        results.append(ShaclResult(
            component=component.rsplit("#", 1)[-1],
            severity=severity.rsplit("#", 1)[-1],
            focus=report.value(node, sh.focusNode),
            path=None if path is None else str(path),
            value=report.value(node, sh.value),
            message=" ".join(str(report.value(node, sh.resultMessage) or "").split()),
            shape=report.value(node, sh.sourceShape),
        ))
    results.sort(key=lambda r: (r.component, str(r.focus), r.path or "", r.message))
    return results


def _is_known_defect(result: ShaclResult, graph: Graph) -> bool:
    """A LangString ``…/<Class>/text`` minCount result on a node that has the text."""
    from rdflib import URIRef

    from omp_models.rdf import namespace

    ns = namespace("3.0")
    if result.component != "MinCountConstraintComponent" or result.path is None:
        return False
    if result.path not in {f"{ns}{c}/text" for c in _LANG_STRINGS}:
        return False
    return (result.focus, URIRef(f"{ns}AbstractLangString/text"), None) in graph


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(result: ShaclResult, data: Graph) -> str:
    """One sentence about a result, from the constraint's parameter in the shapes graph."""
    from rdflib import Literal as RdfLiteral
    from rdflib import URIRef

    from omp_models.rdf import namespace

    shapes, _ontology = _graphs()
    ns = namespace("3.0")
    attr = (result.path or "").removeprefix(ns) or "the node"
    value = result.value
    shown = (repr(_short(str(value))) if isinstance(value, RdfLiteral)
             else (str(value).removeprefix(ns) if value is not None else "?"))
    component = result.component.removesuffix("ConstraintComponent")

    def param(name: str) -> str:
        found = shapes.value(result.shape, URIRef(SH + name)) if result.shape else None
        return "?" if found is None else str(found)

    count = (len(list(data.objects(result.focus, URIRef(result.path))))
             if result.path else 0)
    if component == "MinCount":
        return f"{attr} needs at least {param('minCount')} value(s); it has {count}"
    if component == "MaxCount":
        return f"{attr} allows at most {param('maxCount')} value(s); it has {count}"
    if component == "Class":
        return f"the value {shown} of {attr} is not an aas:{param('class').removeprefix(ns)}"
    if component == "Datatype":
        return (f"the value {shown} of {attr} is not an "
                f"xs:{param('datatype').rsplit('#', 1)[-1]} literal")
    if component == "Pattern":
        return (f"the value {shown} of {attr} does not match the pattern "
                f"{_failed_pattern(shapes, result)}")
    if component == "MinLength":
        return f"the value {shown} of {attr} is shorter than {param('minLength')} characters"
    if component == "MaxLength":
        return f"the value {shown} of {attr} is longer than {param('maxLength')} characters"
    return _short(result.message or component, 300)


def _failed_pattern(shapes: Graph, result: ShaclResult) -> str:
    """The first ``sh:pattern`` of the shape that the value does not match (shortened)."""
    import re

    from rdflib import URIRef

    patterns = sorted(str(p) for p in shapes.objects(result.shape, URIRef(SH + "pattern")))
    for pattern in patterns:
        try:
            if re.search(pattern, str(result.value)) is None:
                return _short(pattern, 100)
        except re.error:
            continue
    return _short(patterns[0], 100) if patterns else "?"


def _severity(result: ShaclResult) -> Severity:
    return {"Warning": W, "Info": INFO}.get(result.severity, E)


def _item(document: Any, tokens: Sequence[Token]) -> Any:
    current = document
    for token in tokens:
        current = current[token]
    return current


def _tokens_for(result: ShaclResult, document: Any, base: tuple[Token, ...]) -> list[Token]:
    """The JSON tokens of the attribute a result is about (else of its focus node)."""
    tokens = list(base)
    if result.path is None:
        return tokens
    name = result.path.rsplit("/", 1)[-1]
    current = _item(document, tokens)
    if isinstance(current, dict) and name in current:
        return [*tokens, name]
    return tokens


def check_shacl(document: dict[str, Any], model_type: str, version: str, where: Where,
                kind: Literal["json", "xml"]) -> list[Finding]:
    """Run the official SHACL shapes on an environment (or one identifiable) in JSON form.

    Returns:
        Findings located by JSON Pointer (``kind == "json"``) or XML path.
    """
    from omp_models.rdf import RdfMappingError, to_graph

    if version != "3.0":
        return [where.finding("shacl/unavailable",
                              f"The official SHACL shapes are for AAS 3.0; this document is "
                              f"AAS {version} and was not checked against them.", None, INFO)]
    wrapped = model_type in _IDENTIFIABLES
    env = {_IDENTIFIABLES[model_type]: [document]} if wrapped else document
    strip = 2 if wrapped else 0

    def path_of(tokens: Sequence[Token]) -> str:
        inner = list(tokens[strip:])
        if kind == "json":
            return pointer_from_tokens(inner)
        return xml_path_from_tokens("Environment" if not wrapped else model_type, inner)

    try:
        mapped = to_graph(env, "3.0")
    except RdfMappingError as exc:
        return [where.finding("shacl/unavailable",
                              f"The document cannot be mapped to RDF ({exc}); the SHACL "
                              "shapes were not run.", path_of(exc.tokens), INFO)]
    findings: list[Finding] = []
    for result in validate_graph(mapped.graph):
        base = mapped.paths.get(result.focus)
        tokens = _tokens_for(result, env, base) if base is not None else None
        location = path_of(tokens) if tokens is not None else None
        focus = (f"<{_item(env, base).get('id')}>" if base is not None and len(base) == 2
                 else f"_:{result.focus}")
        about = f"focus node {focus}" + (f", path <{result.path}>" if result.path else "")
        text = describe(result, mapped.graph)
        if _is_known_defect(result, mapped.graph):
            findings.append(where.finding(
                "shacl/known-shape-defect",
                f"{text} ({about}): a known defect of the official shapes, which expect a "
                "class-specific text path where the ontology uses AbstractLangString/text.",
                location, INFO))
            continue
        findings.append(where.finding(result.rule, f"{text} ({about}).", location,
                                      _severity(result)))
    return findings


def _document_check(document: dict[str, Any], model_type: str, version: str, where: Where,
                    kind: Literal["json", "xml"], options: ValidateOptions) -> list[Finding]:
    if "shacl" not in options.checks:
        return []
    if model_type != "Environment" and model_type not in _IDENTIFIABLES:
        return []
    return check_shacl(document, model_type, version, where, kind)


#: Registered in :func:`omp_validators.checks.document_checks` (runs only with --check shacl).
DOCUMENT_CHECK = _document_check
