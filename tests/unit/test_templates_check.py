"""The template conformance check: every smt/ rule, at the right place, JSON and XML."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omp_models.aas.io import serialize_environment
from omp_models.diagnostics import Finding, Severity, Where
from omp_models.templates import (
    Mode,
    Template,
    TemplateRegistry,
    default_registry,
    instantiate,
    load_templates,
    reference_from_id,
)
from omp_validators import ValidateOptions, validate_bytes
from omp_validators.checks.template import RULES, check_document, check_submodel
from omp_validators.rules import get_rule
from tests.conftest import ROOT

WIDGET_FILE = ROOT / "tests" / "data" / "templates" / "widget-template.json"
WHERE = Where("instance.json")


@pytest.fixture(scope="module")
def widget() -> Template:
    return load_templates(WIDGET_FILE)[0]


@pytest.fixture(scope="module")
def nameplate() -> Template:
    found = default_registry(plugins=False).resolve("nameplate")
    assert found is not None
    return found


def _sub(template: Template, mode: Mode = "maximal") -> dict[str, Any]:
    return copy.deepcopy(instantiate(template, mode).submodel)


def _index(submodel: dict[str, Any], id_short: str) -> int:
    return next(i for i, e in enumerate(submodel["submodelElements"])
                if e.get("idShort") == id_short)


def _found(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.location.path or "") for f in findings]


def test_every_rule_is_registered_and_documented() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.id.startswith(("smt/", "smt-lint/"))
        assert get_rule(rule.id) == rule
        assert rule.description and rule.hint


def test_generated_instances_pass(widget: Template, nameplate: Template) -> None:
    for template in (widget, nameplate):
        for mode in ("minimal", "maximal"):
            assert check_submodel(_sub(template, mode), template, WHERE) == []


def test_missing_mandatory_element_is_located_at_the_parent(widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    del submodel["submodelElements"][_index(submodel, "Name")]
    found = check_submodel(submodel, widget, WHERE, ["submodels", 0])
    assert _found(found) == [("smt/missing-element", "/submodels/0")]
    assert "'Name'" in found[0].message and "One" in found[0].message


def test_cardinality_too_many_and_too_few(widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    colour = {"idShort": "Colour", "modelType": "Property", "valueType": "xs:string",
              "value": "red",
              "semanticId": reference_from_id("https://example.com/smt/Widget/Colour")}
    submodel["submodelElements"] += [colour, dict(colour, idShort="Colour2")]
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/id-short", "/submodelElements/7/idShort"),  # found by semanticId, renamed
        ("smt/cardinality", "/submodelElements/7")]  # the second of ZeroToOne
    submodel = _sub(widget, "minimal")
    del submodel["submodelElements"][_index(submodel, "Mode03")]  # Three: one too few
    found = check_submodel(submodel, widget, WHERE)
    assert _found(found) == [("smt/cardinality", "")]
    assert "2 instance(s)" in found[0].message


def test_unexpected_elements_warn_or_fail_with_strict(widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    submodel["submodelElements"].append({"idShort": "Colur", "modelType": "Property",
                                         "valueType": "xs:string"})
    lenient = check_submodel(submodel, widget, WHERE)
    assert _found(lenient) == [("smt/unexpected-element", "/submodelElements/6")]
    assert lenient[0].severity is Severity.WARNING
    strict = check_submodel(submodel, widget, WHERE, strict=True)
    assert strict[0].severity is Severity.ERROR


def test_arbitrary_placeholders_admit_any_element_of_their_type(widget: Template) -> None:
    submodel = _sub(widget)
    extras = submodel["submodelElements"][_index(submodel, "Extras")]
    extras["value"].append({"idShort": "Torque", "modelType": "Property", "valueType":
                            "xs:double", "value": "3.5",
                            "semanticId": reference_from_id("0173-1#02-AAA123#001")})
    assert check_submodel(submodel, widget, WHERE) == []
    extras["value"].append({"idShort": "Manual", "modelType": "File",
                            "contentType": "application/pdf"})
    assert [r for r, _ in _found(check_submodel(submodel, widget, WHERE))] == [
        "smt/unexpected-element"]


def test_model_type_value_type_and_semantic_id(widget: Template) -> None:
    submodel = _sub(widget)
    i = _index(submodel, "Colour")
    submodel["submodelElements"][i]["modelType"] = "MultiLanguageProperty"
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/model-type", f"/submodelElements/{i}")]
    submodel = _sub(widget)
    i = _index(submodel, "Load")
    submodel["submodelElements"][i]["valueType"] = "xs:string"
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/value-type", f"/submodelElements/{i}/valueType")]
    submodel["submodelElements"][i]["valueType"] = "xs:int"
    submodel["submodelElements"][i]["semanticId"] = reference_from_id("urn:other")
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/semantic-id", f"/submodelElements/{i}/semanticId")]
    del submodel["submodelElements"][i]["semanticId"]
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/semantic-id", f"/submodelElements/{i}")]


def test_near_miss_semantic_ids_name_the_expected_id(nameplate: Template) -> None:
    submodel = _sub(nameplate)
    i = _index(submodel, "SerialNumber")
    submodel["semanticId"] = reference_from_id(
        "https://admin-shell.io/idta/nameplate/3/0/Nameplate/")
    submodel["submodelElements"][i]["semanticId"] = reference_from_id(
        "0112/2///61987#ABA951#008")
    registry = TemplateRegistry()
    registry.add(nameplate)
    found = check_document({"submodels": [submodel]}, "Environment", "3.0", WHERE, "json",
                           ValidateOptions(), registry)
    assert _found(found) == [
        ("smt/semantic-id-near-miss", "/submodels/0/semanticId"),
        ("smt/semantic-id-near-miss", f"/submodels/0/submodelElements/{i}/semanticId")]
    assert all(f.severity is Severity.WARNING for f in found)
    assert "'0112/2///61987#ABA951#009'" in found[1].message
    assert "#008 instead of #009" in found[1].message
    assert "trailing '/'" in found[0].message


def test_near_miss_also_finds_renamed_elements(nameplate: Template) -> None:
    submodel = _sub(nameplate, "minimal")
    i = _index(submodel, "OrderCodeOfManufacturer")
    submodel["submodelElements"][i]["idShort"] = "OrderCode"
    submodel["submodelElements"][i]["semanticId"] = reference_from_id(
        "0112/2///61987#ABA950#007")
    assert _found(check_submodel(submodel, nameplate, WHERE)) == [
        ("smt/semantic-id-near-miss", f"/submodelElements/{i}/semanticId"),
        ("smt/id-short", f"/submodelElements/{i}/idShort")]


def test_id_short_differs_or_breaks_the_pattern(widget: Template) -> None:
    submodel = _sub(widget)
    i = _index(submodel, "Colour")
    submodel["submodelElements"][i]["idShort"] = "Color"
    found = check_submodel(submodel, widget, WHERE)
    assert _found(found) == [("smt/id-short", f"/submodelElements/{i}/idShort")]
    assert "'Colour'" in found[0].message


def test_allowed_values_ranges_and_choices(widget: Template) -> None:
    submodel = _sub(widget)
    colour, load, mode = (_index(submodel, n) for n in ("Colour", "Load", "Mode"))
    submodel["submodelElements"][colour]["value"] = "purple"
    submodel["submodelElements"][load]["value"] = "101"
    submodel["submodelElements"][mode]["value"] = "turbo"
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/allowed-value", f"/submodelElements/{colour}/value"),
        ("smt/allowed-range", f"/submodelElements/{load}/value"),
        ("smt/allowed-value", f"/submodelElements/{mode}/value")]


def test_required_languages(widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    i = _index(submodel, "Name")
    submodel["submodelElements"][i]["value"] = [{"language": "en", "text": "Widget"}]
    found = check_submodel(submodel, widget, WHERE)
    assert _found(found) == [("smt/required-lang", f"/submodelElements/{i}/value")]
    assert "de" in found[0].message
    submodel["submodelElements"][i]["value"].append({"language": "de-CH", "text": "Teil"})
    assert check_submodel(submodel, widget, WHERE) == []


def test_either_or_groups(widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    del submodel["submodelElements"][_index(submodel, "SerialNumber")]
    found = check_submodel(submodel, widget, WHERE)
    assert _found(found) == [("smt/either-or", "")]
    assert "'SerialNumber'" in found[0].message and "'BatchId'" in found[0].message
    submodel["submodelElements"].append({
        "idShort": "BatchId", "modelType": "Property", "valueType": "xs:string",
        "semanticId": reference_from_id("https://example.com/smt/Widget/BatchId")})
    assert check_submodel(submodel, widget, WHERE) == []


def test_list_typing_and_item_counts(widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    i = _index(submodel, "Ratings")
    ratings = submodel["submodelElements"][i]
    ratings["valueTypeListElement"] = "xs:float"
    ratings["value"][0]["valueType"] = "xs:float"
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/list-element", f"/submodelElements/{i}/valueTypeListElement"),
        ("smt/value-type", f"/submodelElements/{i}/value/0/valueType")]
    submodel = _sub(widget, "minimal")
    del submodel["submodelElements"][i]["value"]
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/missing-element", f"/submodelElements/{i}")]


def test_template_qualifiers_left_in_the_instance(widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    submodel["submodelElements"][0]["qualifiers"] = [
        {"type": "SMT/Cardinality", "valueType": "xs:string", "value": "One"},
        {"type": "LifeCycleQual", "valueType": "xs:string", "value": "SPEC"}]
    found = check_submodel(submodel, widget, WHERE)
    assert _found(found) == [("smt/template-qualifier", "/submodelElements/0/qualifiers/0")]
    assert found[0].severity is Severity.WARNING


def test_counters_and_list_items_are_matched(widget: Template) -> None:
    submodel = _sub(widget)
    parts = [e for e in submodel["submodelElements"] if e["idShort"].startswith("Part")]
    assert [p["idShort"] for p in parts] == ["Part01", "Part02"]
    del parts[0]["semanticId"]  # still found, by its counter idShort
    i = submodel["submodelElements"].index(parts[0])
    assert _found(check_submodel(submodel, widget, WHERE)) == [
        ("smt/semantic-id", f"/submodelElements/{i}")]


def test_xml_documents_get_xml_paths(nameplate: Template) -> None:
    submodel = _sub(nameplate, "minimal")
    i = _index(submodel, "URIOfTheProduct")
    submodel["submodelElements"][i]["valueType"] = "xs:string"
    data = serialize_environment({"submodels": [submodel]}, "3.0", "xml").data
    result = validate_bytes(data, "nameplate.xml")
    found = [(f.rule, f.location.path, f.location.line) for f in result.findings]
    assert found == [("smt/value-type",
                      f"/environment/submodels/*[1]/submodelElements/*[{i + 1}]/valueType",
                      found[0][2])]
    assert found[0][2] is not None


def test_a_single_submodel_document(nameplate: Template) -> None:
    submodel = _sub(nameplate, "minimal")
    del submodel["submodelElements"][0]
    result = validate_bytes(json.dumps(submodel).encode(), "submodel.json")
    assert [(f.rule, f.location.path) for f in result.findings] == [("smt/missing-element", "")]
    assert result.findings[0].location.line == 1


def test_templates_and_unknown_submodels_are_not_checked(nameplate: Template) -> None:
    submodel = _sub(nameplate, "minimal")
    del submodel["submodelElements"][0]
    as_template = dict(submodel, kind="Template")
    unknown = dict(submodel, semanticId=reference_from_id("urn:example:unknown"))
    no_id = {k: v for k, v in submodel.items() if k != "semanticId"}
    document = {"submodels": [as_template, unknown, no_id]}
    assert check_document(document, "Environment", "3.0", WHERE, "json",
                          ValidateOptions()) == []
    assert check_document(document, "Submodel", "3.0", WHERE, "json", ValidateOptions()) == []
    assert check_document({}, "Property", "3.0", WHERE, "json", ValidateOptions()) == []


def test_template_dirs_and_strict_templates_options(tmp_path: Path, widget: Template) -> None:
    submodel = _sub(widget, "minimal")
    submodel["submodelElements"].append({"idShort": "Surplus", "modelType": "Property",
                                         "valueType": "xs:string"})
    data = json.dumps({"submodels": [submodel]}).encode()
    assert validate_bytes(data, "w.json").findings == ()  # the widget is not bundled
    folder = str(WIDGET_FILE.parent)
    lenient = validate_bytes(data, "w.json", ValidateOptions(template_dirs=(folder,)))
    assert [(f.rule, f.severity) for f in lenient.findings] == [
        ("smt/unexpected-element", Severity.WARNING)]
    assert lenient.findings[0].hint  # the rule's hint is attached by the engine
    strict = validate_bytes(data, "w.json", ValidateOptions(template_dirs=(folder,),
                                                            strict_templates=True))
    assert [(f.rule, f.severity) for f in strict.findings] == [
        ("smt/unexpected-element", Severity.ERROR)]


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                     st.sampled_from(["Property", "SubmodelElementCollection",
                                      "SubmodelElementList", "MultiLanguageProperty",
                                      "Operation", "Entity", "xs:int", "Name", "Colour"]))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["idShort", "modelType", "value", "valueType",
                                     "semanticId", "keys", "qualifiers", "language",
                                     "statements", "inputVariables", "type"]),
                    inner, max_size=5)), max_leaves=25)


@settings(max_examples=80, deadline=None)
@given(elements=st.lists(_JSON, max_size=5))
def test_the_check_never_raises_on_odd_documents(widget: Template, elements: list[Any]
                                                 ) -> None:
    submodel = {"modelType": "Submodel", "submodelElements": elements}
    for finding in check_submodel(submodel, widget, WHERE):
        assert finding.rule.startswith("smt/")
