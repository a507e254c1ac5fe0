"""AAS <-> RDF (omp_models.rdf): the mapping rules, determinism, order, and hostile input."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic as rdflib_isomorphic

from omp_models.aas import engine
from omp_models.rdf import (
    RdfMappingError,
    RdfReadError,
    graph_to_environment,
    isomorphic,
    namespace,
    parse_rdf,
    read_rdf,
    subject_iri,
    to_graph,
    to_jsonld,
    to_turtle,
)
from omp_models.rdf._schema import model
from omp_models.resources import schema_path

NS = namespace("3.0")
XS = "http://www.w3.org/2001/XMLSchema#"

ENV: dict[str, Any] = {
    "assetAdministrationShells": [{
        "modelType": "AssetAdministrationShell",
        "id": "https://example.com/aas/1",
        "idShort": "Shell",
        "assetInformation": {"assetKind": "Instance",
                             "globalAssetId": "https://example.com/asset/1"},
        "submodels": [{"type": "ModelReference",
                       "keys": [{"type": "Submodel", "value": "https://example.com/sm/1"}]}],
    }],
    "submodels": [{
        "modelType": "Submodel",
        "id": "https://example.com/sm/1",
        "idShort": "Data",
        "description": [{"language": "en", "text": "Data"}, {"language": "de", "text": "Daten"}],
        "semanticId": {"type": "ExternalReference",
                       "keys": [{"type": "GlobalReference", "value": "0173-1#02-AAO677#002"}]},
        "submodelElements": [
            {"modelType": "Property", "idShort": "Speed", "valueType": "xs:int", "value": "42"},
            {"modelType": "MultiLanguageProperty", "idShort": "Name", "value": [
                {"language": "fr", "text": "Nom"}, {"language": "en", "text": "Name"},
                {"language": "de", "text": "Name"}]},
            {"modelType": "Blob", "idShort": "Image", "contentType": "image/png",
             "value": "AQID"},
            {"modelType": "Range", "idShort": "Limits", "valueType": "xs:double",
             "min": "0.5", "max": "9.5"},
            {"modelType": "SubmodelElementList", "idShort": "Points", "orderRelevant": False,
             "typeValueListElement": "Property", "valueTypeListElement": "xs:string",
             "value": [{"modelType": "Property", "valueType": "xs:string", "value": "b"},
                       {"modelType": "Property", "valueType": "xs:string", "value": "a"}]},
            {"modelType": "SubmodelElementCollection", "idShort": "Nested", "value": [
                {"modelType": "ReferenceElement", "idShort": "Link", "value": {
                    "type": "ModelReference", "keys": [
                        {"type": "Submodel", "value": "https://example.com/sm/1"},
                        {"type": "Property", "value": "Speed"}]}},
                {"modelType": "AnnotatedRelationshipElement", "idShort": "Rel",
                 "first": {"type": "ExternalReference",
                           "keys": [{"type": "GlobalReference", "value": "urn:a"}]},
                 "second": {"type": "ExternalReference",
                            "keys": [{"type": "GlobalReference", "value": "urn:b"}]},
                 "annotations": [{"modelType": "File", "idShort": "Doc",
                                  "contentType": "application/pdf", "value": "/doc.pdf"}]},
            ]},
        ],
    }],
    "conceptDescriptions": [{
        "modelType": "ConceptDescription",
        "id": "0173-1#02-AAO677#002",
        "embeddedDataSpecifications": [{
            "dataSpecification": {"type": "ExternalReference", "keys": [
                {"type": "GlobalReference", "value": "https://admin-shell.io/"
                 "DataSpecificationTemplates/DataSpecificationIEC61360/3/0"}]},
            "dataSpecificationContent": {
                "modelType": "DataSpecificationIec61360",
                "preferredName": [{"language": "en", "text": "Speed"}],
                "definition": [{"language": "en", "text": "Rotational speed"}],
                "dataType": "INTEGER_COUNT"},
        }],
    }],
}

PREFIXES = f"@prefix aas: <{NS}> .\n@prefix xs: <{XS}> .\n"


def _env() -> dict[str, Any]:
    return copy.deepcopy(ENV)


def test_the_example_is_a_valid_aas_3_0_environment() -> None:
    core = engine("3.0")
    instance = core.jsonization.environment_from_jsonable(ENV)
    assert list(core.verification.verify(instance)) == []
    assert core.jsonization.to_jsonable(instance) == ENV


def test_turtle_round_trip_is_exact_and_deterministic() -> None:
    first, second = to_turtle(_env(), "3.0"), to_turtle(_env(), "3.0")
    assert first == second
    result = read_rdf(first.encode(), "turtle")
    assert result.issues == []
    assert result.version == "3.0"
    assert result.jsonable == ENV


def test_jsonld_holds_the_same_triples_and_reads_back() -> None:
    text = to_jsonld(_env(), "3.0")
    assert text == to_jsonld(_env(), "3.0")
    from_jsonld = parse_rdf(text.encode(), "json-ld")
    from_turtle = parse_rdf(to_turtle(_env(), "3.0").encode(), "turtle")
    assert isomorphic(from_jsonld, from_turtle)
    assert rdflib_isomorphic(from_jsonld, from_turtle)
    assert read_rdf(text.encode(), "json-ld").jsonable == ENV


def test_the_in_memory_graph_equals_the_parsed_turtle() -> None:
    mapped = to_graph(_env(), "3.0")
    parsed = parse_rdf(to_turtle(_env(), "3.0").encode(), "turtle")
    assert isomorphic(mapped.graph, parsed)
    speed = next(node for node, tokens in mapped.paths.items()
                 if tokens == ("submodels", 0, "submodelElements", 0))
    assert (speed, URIRef(NS + "Referable/idShort"), Literal("Speed", datatype=URIRef(
        XS + "string"))) in mapped.graph


def test_mapping_follows_the_official_rules() -> None:
    graph = to_graph(_env(), "3.0").graph
    sm = URIRef("https://example.com/sm/1")
    assert (sm, RDF.type, URIRef(NS + "Submodel")) in graph
    assert (sm, URIRef(NS + "Identifiable/id"),
            Literal("https://example.com/sm/1", datatype=URIRef(XS + "string"))) in graph

    def objects(pred: str) -> list[Any]:
        return list(graph.objects(None, URIRef(NS + pred)))

    # enumeration literals are individuals named after aas-core's literal names
    assert URIRef(NS + "DataTypeDefXsd/Int") in objects("Property/valueType")
    assert objects("DataSpecificationIec61360/dataType") == [
        URIRef(NS + "DataTypeIec61360/IntegerCount")]
    assert objects("Blob/value") == [Literal("AQID", datatype=URIRef(XS + "base64Binary"))]
    assert objects("SubmodelElementList/orderRelevant") == [
        Literal("false", datatype=URIRef(XS + "boolean"))]
    # attributes are named by the class that declares them
    assert len(objects("RelationshipElement/first")) == 1
    assert len(objects("AbstractLangString/text")) == 7
    assert objects("LangStringTextType/text") == []
    # lists repeat the property; every object but an identifiable is a blank node
    assert len(objects("Submodel/submodelElements")) == 6
    assert all(isinstance(o, BNode) for o in objects("Submodel/submodelElements"))


def test_derived_terms_are_those_of_the_official_ontology() -> None:
    ontology = Graph().parse(schema_path("aas-3.0-rdf-ontology"), format="turtle")
    m = model("3.0")
    individuals = {str(iri) for table in m.enum_iri.values() for iri in table.values()}
    for enum_name, table in m.enum_iri.items():
        for iri in table.values():
            assert (URIRef(iri), RDF.type, URIRef(NS + enum_name)) in ontology, iri
    in_ontology = {
        str(s) for s, o in ontology.subject_objects(RDF.type)
        if str(o).startswith(NS) and str(o)[len(NS):] in m.enum_iri
    }
    assert individuals == in_ontology
    declared = {str(s) for s in ontology.subjects(RDF.type, None)
                if str(s).startswith(NS) and "/" in str(s)[len(NS):]} - individuals
    used = {p.iri for props in m.props.values() for p in props}
    assert used <= declared
    assert {iri for iri in declared if not iri.startswith(NS + "Environment/")} <= used


def test_aas_3_1_is_written_in_its_own_namespace() -> None:
    env = {"assetAdministrationShells": [{
        "modelType": "AssetAdministrationShell", "id": "urn:x:aas",
        "assetInformation": {"assetKind": "Role"}}]}
    text = to_turtle(env, "3.1")
    assert "<https://admin-shell.io/aas/3/1/AssetKind/Role>" in text
    assert "https://admin-shell.io/aas/3/0/" not in text
    result = read_rdf(text.encode(), "turtle")
    assert (result.version, result.jsonable, result.issues) == ("3.1", env, [])
    with pytest.raises(RdfMappingError, match="not a AssetKind literal") as caught:
        to_turtle(env, "3.0")
    assert caught.value.tokens == ("assetAdministrationShells", 0, "assetInformation",
                                   "assetKind")


def test_list_order_is_the_document_order() -> None:
    env = _env()
    names = env["submodels"][0]["submodelElements"][1]["value"]
    names.reverse()
    for text, syntax in ((to_turtle(env, "3.0"), "turtle"), (to_jsonld(env, "3.0"), "json-ld")):
        back = read_rdf(text.encode(), syntax).jsonable
        assert back["submodels"][0]["submodelElements"][1]["value"] == names


def test_a_graph_without_document_order_is_read_in_a_stable_order() -> None:
    triples = list(to_graph(_env(), "3.0").graph)
    forward, backward = Graph(), Graph()
    for triple in sorted(triples):
        forward.add(triple)
    for triple in sorted(triples, reverse=True):
        backward.add(triple)
    first, second = graph_to_environment(forward), graph_to_environment(backward)
    assert first.issues == []
    assert first.jsonable == second.jsonable
    name = next(e for e in first.jsonable["submodels"][0]["submodelElements"]
                if e["idShort"] == "Name")
    langs = [s["language"] for s in name["value"]]
    assert sorted(langs) == ["de", "en", "fr"]


@pytest.mark.parametrize("identifier", [
    "urn:x:a b<c>", "_:looks-like-a-blank-node", "xs:looks-like-a-curie", "@keyword-like",
    "relative/id", "",
])
def test_any_id_survives_both_syntaxes(identifier: str) -> None:
    env = {"submodels": [{"modelType": "Submodel", "id": identifier}]}
    turtle = parse_rdf(to_turtle(env, "3.0").encode(), "turtle")
    jsonld = parse_rdf(to_jsonld(env, "3.0").encode(), "json-ld")
    assert isomorphic(turtle, jsonld)
    for graph in (turtle, jsonld):
        assert graph_to_environment(graph).jsonable == env


def test_subject_iris_escape_what_an_iri_cannot_hold() -> None:
    assert subject_iri("urn:x:plain") == "urn:x:plain"
    assert subject_iri('a b<c>"{|}^`\\') == "a%20b%3Cc%3E%22%7B%7C%7D%5E%60%5C"


@pytest.mark.parametrize(("env", "message", "tokens"), [
    ({"submodels": [{"modelType": "Submodel", "id": "a"},
                    {"modelType": "Submodel", "id": "a"}]}, "also the id of /submodels/0",
     ("submodels", 1, "id")),
    ({"submodels": [None]}, "needs a string id", ("submodels", 0)),
    ({"submodels": [{"modelType": "Submodel", "id": "a", "colour": "red"}]},
     "no attribute 'colour'", ("submodels", 0, "colour")),
    ({"submodels": [{"modelType": "Submodel", "id": "a", "submodelElements": [
        {"modelType": "Key", "type": "Submodel", "value": "x"}]}]},
     "unknown modelType", ("submodels", 0, "submodelElements", 0, "modelType")),
    ({"submodels": [{"modelType": "Submodel", "id": "a", "submodelElements": [
        {"idShort": "x"}]}]}, "without modelType", ("submodels", 0, "submodelElements", 0)),
    ({"shells": []}, "no attribute 'shells'", ("shells",)),
    ({"submodels": []}, "empty list", ("submodels",)),
    ({"submodels": [{"modelType": "Submodel", "id": "a", "description": []}]}, "empty list",
     ("submodels", 0, "description")),
])
def test_content_the_mapping_cannot_express_is_refused(
        env: dict[str, Any], message: str, tokens: tuple[Any, ...]) -> None:
    with pytest.raises(RdfMappingError, match=message) as caught:
        to_turtle(env, "3.0")
    assert caught.value.tokens == tokens


# --- reading: hostile and unusual input ---------------------------------------------------


def _read(body: str) -> Any:
    return graph_to_environment(parse_rdf((PREFIXES + body).encode(), "turtle"))


def _kinds(result: Any) -> list[tuple[str, str | None]]:
    return [(i.kind, i.target) for i in result.issues]


@pytest.mark.parametrize(("data", "syntax", "message"), [
    (b"<a> <b> .", "turtle", "not valid turtle"),
    (b"\xff\xfe<a>", "turtle", "not UTF-8"),
    (b'{"@context": "https://example.com/ctx.jsonld", "@id": "x"}', "json-ld",
     "remote @context"),
    (b'{"@context": [{"@import": "https://example.com/c"}], "@id": "x"}', "json-ld",
     "remote @context"),
    (b'{"@graph": [{"@context": {"x": {"@context": "http://e/c"}}}]}', "json-ld",
     "remote @context"),
    (b"{not json", "json-ld", "not JSON"),
    (b"[" * 5000 + b"]" * 5000, "turtle", "not valid turtle|nested too deeply"),
])
def test_unreadable_input_is_a_clear_error(data: bytes, syntax: Any, message: str) -> None:
    with pytest.raises(RdfReadError, match=message):
        parse_rdf(data, syntax)


def test_a_graph_without_aas_terms_or_with_both_versions_is_refused() -> None:
    with pytest.raises(RdfReadError, match="no AAS content"):
        graph_to_environment(parse_rdf(b"<a> <b> <c> .", "turtle"))
    mixed = (f"<a> a <{NS}Submodel> ; <https://admin-shell.io/aas/3/1/Identifiable/id> "
             '"a" .')
    with pytest.raises(RdfReadError, match=r"mixes AAS 3\.0 and 3\.1"):
        graph_to_environment(parse_rdf(mixed.encode(), "turtle"))


def test_an_empty_environment_reads_as_empty() -> None:
    result = read_rdf(to_turtle({}, "3.0").encode(), "turtle")
    assert (result.jsonable, result.version, result.issues) == ({}, "3.0", [])


def test_triples_outside_the_mapping_are_reported_as_dropped() -> None:
    result = _read(
        '<urn:sm> a aas:Submodel ; <https://admin-shell.io/aas/3/0/Identifiable/id> "urn:sm" ;'
        ' <http://www.w3.org/2000/01/rdf-schema#label> "Submodel" .\n'
        '<urn:orphan> a aas:Property ; <https://admin-shell.io/aas/3/0/Referable/idShort> "x" .')
    assert result.jsonable == {"submodels": [{"modelType": "Submodel", "id": "urn:sm"}]}
    dropped = sorted(i.source for i in result.issues if i.kind == "dropped")
    assert dropped == [
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        f"<{NS}Referable/idShort>",
    ]
    assert result.ok


def test_literals_keep_their_lexical_form_and_odd_types_are_reported() -> None:
    body = ('<urn:sm> a aas:Submodel ; <https://admin-shell.io/aas/3/0/Identifiable/id> '
            '"urn:sm" ; <https://admin-shell.io/aas/3/0/Referable/idShort> "Tag"@en ;'
            ' <https://admin-shell.io/aas/3/0/Submodel/submodelElements> [ a aas:Blob ;'
            '   <https://admin-shell.io/aas/3/0/Blob/contentType> "a/b"^^xs:string ;'
            '   <https://admin-shell.io/aas/3/0/Blob/value> " AQ ID "^^xs:base64Binary ] .')
    result = _read(body)
    blob = result.jsonable["submodels"][0]["submodelElements"][0]
    assert blob["value"] == " AQ ID "  # the lexical form, as written
    assert result.jsonable["submodels"][0]["idShort"] == "Tag"
    assert _kinds(result) == [("retyped", "/submodels/0/idShort")]
    # rdflib would "normalise" an invalid base64 literal into an empty one; here it is an error
    invalid = _read(body.replace(" AQ ID ", "!not base64!"))
    assert _kinds(invalid)[-1] == ("invalid", "/submodels/0/submodelElements/0/value")
    assert "'!not base64!' is not an xs:base64Binary" in invalid.issues[-1].message


def test_a_missing_type_is_taken_from_the_range_where_that_is_unambiguous() -> None:
    result = _read(
        '<urn:sm> a aas:Submodel ; <https://admin-shell.io/aas/3/0/Identifiable/id> "urn:sm" ;'
        ' <https://admin-shell.io/aas/3/0/HasSemantics/semanticId> ['
        '   <https://admin-shell.io/aas/3/0/Reference/type> '
        '     <https://admin-shell.io/aas/3/0/ReferenceTypes/ExternalReference> ;'
        '   <https://admin-shell.io/aas/3/0/Reference/keys> ['
        '     <https://admin-shell.io/aas/3/0/Key/type> '
        '       <https://admin-shell.io/aas/3/0/KeyTypes/GlobalReference> ;'
        '     <https://admin-shell.io/aas/3/0/Key/value> "urn:k" ] ] ;'
        ' <https://admin-shell.io/aas/3/0/Submodel/submodelElements> ['
        '   <https://admin-shell.io/aas/3/0/Referable/idShort> "x" ] .')
    assert result.jsonable["submodels"][0]["semanticId"] == {
        "type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": "urn:k"}]}
    assert _kinds(result) == [
        ("defaulted", "/submodels/0/semanticId"),
        ("defaulted", "/submodels/0/semanticId/keys/0"),
        ("invalid", "/submodels/0/submodelElements/0"),
        ("dropped", None),  # the idShort of the element that could not be read
    ]
    assert not result.ok


@pytest.mark.parametrize(("body", "message", "target"), [
    ('<https://admin-shell.io/aas/3/0/Submodel/kind> '
     '<https://admin-shell.io/aas/3/0/AssetKind/Instance>', "not a ModellingKind individual",
     "/submodels/0/kind"),
    ('<https://admin-shell.io/aas/3/0/Referable/idShort> "a", "b"', "has 2 values",
     "/submodels/0/idShort"),
    ('<https://admin-shell.io/aas/3/0/Referable/idShort> <urn:x>', "needs a literal",
     "/submodels/0/idShort"),
    ('<https://admin-shell.io/aas/3/0/HasSemantics/semanticId> "x"', "needs a node",
     "/submodels/0/semanticId"),
    ('<https://admin-shell.io/aas/3/0/HasSemantics/semanticId> [ a aas:Key ]',
     "a Key cannot stand where a Reference", "/submodels/0/semanticId"),
    ('<https://admin-shell.io/aas/3/0/Submodel/submodelElements> [ a aas:Property, aas:Range ]',
     "several AAS classes", "/submodels/0/submodelElements/0"),
])
def test_content_that_cannot_be_read_is_located(body: str, message: str, target: str) -> None:
    if "kind" in body:
        body = body.replace("Submodel/kind", "HasKind/kind")
    result = _read('<urn:sm> a aas:Submodel ; '
                   '<https://admin-shell.io/aas/3/0/Identifiable/id> "urn:sm" ; ' + body + " .")
    invalid = [i for i in result.issues if i.kind == "invalid"]
    assert len(invalid) == 1
    assert message in invalid[0].message
    assert invalid[0].target == target
    assert not result.ok


def test_inferred_supertypes_are_not_extra_classes() -> None:
    result = _read(
        '<urn:sm> a aas:Submodel, aas:Identifiable, aas:Referable ;'
        ' <https://admin-shell.io/aas/3/0/Identifiable/id> "urn:sm" ;'
        ' <https://admin-shell.io/aas/3/0/Submodel/submodelElements> ['
        '   a aas:AnnotatedRelationshipElement, aas:RelationshipElement, aas:SubmodelElement ;'
        '   <https://admin-shell.io/aas/3/0/Referable/idShort> "r" ] .')
    assert result.issues == []
    assert result.jsonable["submodels"][0]["submodelElements"] == [
        {"modelType": "AnnotatedRelationshipElement", "idShort": "r"}]


def _collection(node: str, children: list[str]) -> str:
    values = " ; ".join(
        f"<https://admin-shell.io/aas/3/0/SubmodelElementCollection/value> {c}"
        for c in children)
    return f"{node} a aas:SubmodelElementCollection" + (f" ; {values}" if values else "") + " .\n"


def test_a_cycle_is_an_error_not_a_hang() -> None:
    result = _read(
        '<urn:sm> a aas:Submodel ; <https://admin-shell.io/aas/3/0/Identifiable/id> "urn:sm" ;'
        ' <https://admin-shell.io/aas/3/0/Submodel/submodelElements> _:a .\n'
        + _collection("_:a", ["_:b"]) + _collection("_:b", ["_:a"]))
    assert [i.message for i in result.issues if i.kind == "invalid"] == [
        "the node contains itself (a cycle)"]


def test_shared_nodes_cannot_blow_the_tree_up() -> None:
    levels = 40
    body = ('<urn:sm> a aas:Submodel ; <https://admin-shell.io/aas/3/0/Identifiable/id> '
            '"urn:sm" ; <https://admin-shell.io/aas/3/0/Submodel/submodelElements> _:x0, _:y0 .\n')
    for i in range(levels):
        nxt = [f"_:x{i + 1}", f"_:y{i + 1}"] if i + 1 < levels else []
        body += _collection(f"_:x{i}", nxt) + _collection(f"_:y{i}", nxt)
    with pytest.raises(RdfReadError, match="explode"):
        _read(body)


def test_deep_nesting_is_refused() -> None:
    depth = 400
    body = ('<urn:sm> a aas:Submodel ; <https://admin-shell.io/aas/3/0/Identifiable/id> '
            '"urn:sm" ; <https://admin-shell.io/aas/3/0/Submodel/submodelElements> _:n0 .\n')
    for i in range(depth):
        body += _collection(f"_:n{i}", [f"_:n{i + 1}"] if i + 1 < depth else [])
    with pytest.raises(RdfReadError, match="nested"):
        _read(body)


# --- comparison ---------------------------------------------------------------------------


def test_isomorphic_agrees_with_rdflib() -> None:
    graph = to_graph(_env(), "3.0").graph
    same = parse_rdf(to_turtle(_env(), "3.0").encode(), "turtle")
    changed = Graph()
    for s, p, o in same:
        changed.add((s, p, Literal("43", datatype=o.datatype) if str(o) == "42" else o))
    assert isomorphic(graph, same) and rdflib_isomorphic(graph, same)
    assert not isomorphic(same, changed) and not rdflib_isomorphic(same, changed)
    # identical sibling subtrees (two equal keys) count twice
    env = _env()
    keys = env["assetAdministrationShells"][0]["submodels"][0]["keys"]
    keys.append(dict(keys[0]))
    doubled = to_graph(env, "3.0").graph
    assert not isomorphic(graph, doubled)
    assert isomorphic(doubled, parse_rdf(to_turtle(env, "3.0").encode(), "turtle"))


def test_isomorphic_falls_back_to_rdflib_for_shared_blank_nodes() -> None:
    shared = BNode()
    a, b = Graph(), Graph()
    for graph, node in ((a, shared), (b, BNode())):
        graph.add((URIRef("urn:s"), URIRef("urn:p"), node))
        graph.add((URIRef("urn:t"), URIRef("urn:p"), node))
        graph.add((node, URIRef("urn:q"), Literal("v")))
    c = Graph()
    for s in ("urn:s", "urn:t"):
        node = BNode()
        c.add((URIRef(s), URIRef("urn:p"), node))
        c.add((node, URIRef("urn:q"), Literal("v")))
    assert isomorphic(a, b)
    assert not isomorphic(a, c)
