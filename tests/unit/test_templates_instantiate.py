"""Instantiate: valid skeletons for every kind of element, origins, values that fit."""

from __future__ import annotations

from typing import Any

import pytest

from omp_models.aas import AasVersion
from omp_models.diagnostics import Where
from omp_models.templates import Mode, build_template, instantiate, load_templates
from omp_validators.checks.metamodel import Target, check_json_value
from omp_validators.checks.template import check_submodel
from tests.conftest import ROOT

WIDGET = ROOT / "tests" / "data" / "templates" / "widget-template.json"


def _ref(value: str) -> dict[str, Any]:
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def _card(value: str) -> list[dict[str, str]]:
    return [{"kind": "TemplateQualifier", "type": "SMT/Cardinality", "valueType": "xs:string",
             "value": value}]


EVERY_KIND = {
    "idShort": "Everything", "id": "urn:example:everything", "kind": "Template",
    "semanticId": _ref("urn:example:smt:everything"), "modelType": "Submodel",
    "submodelElements": [
        {"idShort": "Window", "modelType": "Range", "valueType": "xs:dateTime",
         "semanticId": _ref("urn:e:window"), "qualifiers": _card("One"), "min": "yesterday"},
        {"idShort": "Image", "modelType": "Blob", "semanticId": _ref("urn:e:image"),
         "qualifiers": _card("One")},
        {"idShort": "Link", "modelType": "RelationshipElement", "semanticId": _ref("urn:e:link"),
         "qualifiers": _card("One")},
        {"idShort": "Note", "modelType": "AnnotatedRelationshipElement",
         "semanticId": _ref("urn:e:note"), "qualifiers": _card("One"),
         "first": _ref("urn:e:a"), "second": _ref("urn:e:b"),
         "annotations": [{"idShort": "Why", "modelType": "Property", "valueType": "xs:string",
                          "semanticId": _ref("urn:e:why"), "qualifiers": _card("One")}]},
        {"idShort": "Node", "modelType": "Entity", "entityType": "SelfManagedEntity",
         "semanticId": _ref("urn:e:node"), "qualifiers": _card("One"),
         "statements": [{"idShort": "Count", "modelType": "Property",
                         "valueType": "xs:unsignedLong", "semanticId": _ref("urn:e:count"),
                         "qualifiers": _card("One")}]},
        {"idShort": "Started", "modelType": "BasicEventElement",
         "semanticId": _ref("urn:e:started"), "qualifiers": _card("One")},
        {"idShort": "Derive", "modelType": "Operation", "semanticId": _ref("urn:e:derive"),
         "qualifiers": _card("One"),
         "inputVariables": [{"value": {"idShort": "Span", "modelType": "Range",
                                       "valueType": "xs:double", "semanticId": _ref("urn:e:s"),
                                       "min": "0", "max": "1"}}],
         "outputVariables": [{"value": {"idShort": "Result", "modelType": "Property",
                                        "valueType": "xs:boolean",
                                        "semanticId": _ref("urn:e:r")}}]},
        {"idShort": "Able", "modelType": "Capability", "semanticId": _ref("urn:e:able"),
         "qualifiers": _card("ZeroToOne")},
        {"idShort": "Target", "modelType": "ReferenceElement", "semanticId": _ref("urn:e:t"),
         "qualifiers": _card("One"), "value": _ref("urn:e:somewhere")},
    ],
}


@pytest.mark.parametrize("mode", ["minimal", "maximal"])
@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_every_element_kind_gives_a_valid_instance(mode: Mode, version: AasVersion) -> None:
    template = build_template(EVERY_KIND)
    instance = instantiate(template, mode, version=version)
    outcome = check_json_value(instance.environment(), Where("x.json"), Target(version))
    assert outcome.findings == []
    assert check_submodel(instance.submodel, template, Where("x.json")) == []
    names = [e["idShort"] for e in instance.submodel["submodelElements"]]
    assert ("Able" in names) is (mode == "maximal")


def test_generated_values_and_defaults() -> None:
    instance = instantiate(build_template(EVERY_KIND), "minimal")
    elements = {e["idShort"]: e for e in instance.submodel["submodelElements"]}
    assert "min" not in elements["Window"]  # "yesterday" is no xs:dateTime
    assert elements["Node"]["globalAssetId"].startswith("urn:omp-toolkit:instance:")
    assert elements["Link"]["first"]["keys"][0]["value"] == "urn:omp-toolkit:instance:first"
    assert elements["Note"]["first"] == _ref("urn:e:a")
    assert elements["Image"]["contentType"] == "application/octet-stream"
    assert elements["Target"]["value"] == _ref("urn:e:somewhere")
    derive = elements["Derive"]
    assert derive["inputVariables"][0]["value"]["min"] == "0"
    assert derive["outputVariables"][0]["value"]["value"] == "true"


def test_origins_lead_back_to_the_template() -> None:
    template = load_templates(WIDGET)[0]
    instance = instantiate(template, "maximal")
    assert instance.origins[()] is None
    for tokens, element in instance.origins.items():
        if not tokens:
            continue
        node: Any = instance.submodel
        for token in tokens:
            node = node[token]
        assert element is not None and node["modelType"] == element.model_type
    part = instance.origins[("submodelElements", 6)]
    assert part is not None and part.id_short == "Part__00__"


def test_minimal_takes_one_member_of_each_either_or_group() -> None:
    template = load_templates(WIDGET)[0]
    names = [e["idShort"] for e in instantiate(template).submodel["submodelElements"]]
    assert "SerialNumber" in names and "BatchId" not in names
    assert names.count("Mode") + names.count("Mode02") + names.count("Mode03") == 3


def test_values_respect_allowed_values_and_required_languages() -> None:
    template = build_template({
        "idShort": "T", "id": "urn:t", "modelType": "Submodel", "submodelElements": [
            {"idShort": "Flag", "modelType": "Property", "valueType": "xs:boolean",
             "qualifiers": [{"type": "SMT/AllowedValue", "value": "True;false"}]},
            {"idShort": "Level", "modelType": "Property", "valueType": "xs:int",
             "qualifiers": [{"type": "SMT/AllowedRange", "value": "(5,10]"}]},
            {"idShort": "Title", "modelType": "MultiLanguageProperty",
             "qualifiers": [{"type": "SMT/RequiredLang", "value": "de, fr"},
                            {"type": "SMT/ExampleValue", "value": "Titel@de"}]},
            {"idShort": "Pick", "modelType": "Property", "valueType": "xs:string",
             "qualifiers": [{"type": "FormChoices", "value": "up;down"},
                            {"type": "SMT/DefaultValue", "value": "down"}]}]})
    values = {e["idShort"]: e["value"] for e in instantiate(template).submodel[
        "submodelElements"]}
    assert values["Flag"] == "false"  # "True" is no xs:boolean literal
    assert values["Level"] == "10"
    assert values["Title"] == [{"language": "de", "text": "Titel"},
                               {"language": "fr", "text": "Titel"}]
    assert values["Pick"] == "down"
