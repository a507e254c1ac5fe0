"""Value-only payloads: rendering, the generated schemas, the payload check, both validators."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omp_models.diagnostics import Severity, Where
from omp_models.submodels import (
    schema_files,
    value_only,
    value_only_element,
    value_only_schema,
)
from omp_models.templates import (
    ONE,
    ZERO_TO_MANY,
    AllowedRange,
    Template,
    TemplateElement,
    bundled_templates,
    default_registry,
    instantiate,
)
from omp_validators.checks.payload_template import (
    RULES,
    check_options,
    check_payload,
    check_value_only,
    compiled,
)
from omp_validators.options import ValidateOptions

ROOT = Path(__file__).resolve().parents[2]
WHERE = Where("payload.json")


def _template(name: str) -> Template:
    template = default_registry(plugins=False).resolve(name)
    assert template is not None
    return template


def _bundled() -> list[Template]:
    registry = default_registry(plugins=False)
    out = [registry.get(b.semantic_id) for b in bundled_templates()]
    assert all(t is not None for t in out)
    return [t for t in out if t is not None]


def _rules(payload: Any, template: Template, strict: bool = False) -> list[tuple[str, str]]:
    return [(f.rule, f.location.path or "")
            for f in check_value_only(payload, template, WHERE, strict=strict)]


# --- rendering (IDTA-01001 3.1, Format "Value") ----------------------------------------------


def _ref(value: str) -> dict[str, Any]:
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def test_renders_every_element_kind() -> None:
    submodel = {"modelType": "Submodel", "submodelElements": [
        {"idShort": "MaxRotationSpeed", "modelType": "Property", "valueType": "xs:int",
         "value": "5000"},
        {"idShort": "Enabled", "modelType": "Property", "valueType": "xs:boolean",
         "value": "1"},
        {"idShort": "Weight", "modelType": "Property", "valueType": "xs:decimal",
         "value": "12.50"},
        {"idShort": "Count", "modelType": "Property", "valueType": "xs:decimal", "value": "3"},
        {"idShort": "Ratio", "modelType": "Property", "valueType": "xs:double",
         "value": "1.5E3"},
        {"idShort": "Made", "modelType": "Property", "valueType": "xs:date",
         "value": "2024-05-31"},
        {"idShort": "Empty", "modelType": "Property", "valueType": "xs:string"},
        {"idShort": "Label", "modelType": "MultiLanguageProperty", "value": [
            {"language": "de", "text": "Bezeichner"}, {"language": "en", "text": "Label"}]},
        {"idShort": "TorqueRange", "modelType": "Range", "valueType": "xs:int", "min": "3",
         "max": "15"},
        {"idShort": "Document", "modelType": "File", "contentType": "application/pdf",
         "value": "SafetyInstructions.pdf"},
        {"idShort": "Library", "modelType": "Blob", "contentType": "application/octet-stream"},
        {"idShort": "Ref", "modelType": "ReferenceElement", "value": _ref("urn:x")},
        {"idShort": "Flows", "modelType": "RelationshipElement", "first": _ref("urn:a"),
         "second": _ref("urn:b")},
        {"idShort": "Annotated", "modelType": "AnnotatedRelationshipElement",
         "first": _ref("urn:a"), "second": _ref("urn:b"), "annotations": [
             {"idShort": "AppliedRule", "modelType": "Property", "valueType": "xs:string",
              "value": "R1"}]},
        {"idShort": "Sub", "modelType": "Entity", "entityType": "SelfManagedEntity",
         "globalAssetId": "urn:asset", "statements": [
             {"idShort": "Speed", "modelType": "Property", "valueType": "xs:int",
              "value": "5"}]},
        {"idShort": "Event", "modelType": "BasicEventElement", "observed": _ref("urn:o"),
         "direction": "output", "state": "on"},
        {"idShort": "Authors", "modelType": "SubmodelElementList",
         "typeValueListElement": "Property", "valueTypeListElement": "xs:string", "value": [
             {"modelType": "Property", "valueType": "xs:string", "value": "Martha"},
             {"modelType": "Property", "valueType": "xs:string"}]},
        {"idShort": "Names", "modelType": "SubmodelElementCollection", "value": [
            {"idShort": "Mother", "modelType": "Property", "valueType": "xs:string",
             "value": "Martha"}]},
        {"idShort": "Run", "modelType": "Operation"},
        {"idShort": "Can", "modelType": "Capability"},
    ]}
    assert value_only(submodel) == {
        "MaxRotationSpeed": 5000, "Enabled": True, "Weight": 12.5, "Count": 3,
        "Ratio": 1500.0, "Made": "2024-05-31",
        "Label": [{"de": "Bezeichner"}, {"en": "Label"}],
        "TorqueRange": {"min": 3, "max": 15},
        "Document": {"contentType": "application/pdf", "value": "SafetyInstructions.pdf"},
        "Library": {"contentType": "application/octet-stream"},
        "Ref": _ref("urn:x"),
        "Flows": {"first": _ref("urn:a"), "second": _ref("urn:b")},
        "Annotated": {"first": _ref("urn:a"), "second": _ref("urn:b"),
                      "annotations": {"AppliedRule": "R1"}},
        "Sub": {"statements": {"Speed": 5}, "entityType": "SelfManagedEntity",
                "globalAssetId": "urn:asset"},
        "Event": {"observed": _ref("urn:o")},
        "Authors": ["Martha", None],
        "Names": {"Mother": "Martha"},
    }
    assert value_only(submodel, keep_empty=True)["Empty"] is None
    assert value_only_element(submodel["submodelElements"][0]) == 5000
    # Literals that are no valid number stay strings (the schema reports them).
    assert value_only_element({"modelType": "Property", "valueType": "xs:int",
                               "value": "12a"}) == "12a"
    assert value_only_element({"modelType": "Property", "valueType": "xs:double",
                               "value": "INF"}) == "INF"


# --- the schemas -----------------------------------------------------------------------------


def test_committed_schemas_are_up_to_date() -> None:
    root = ROOT / "schemas" / "submodels"
    expected = schema_files(_bundled())
    stale = [str(p) for p, text in expected.items()
             if not root.joinpath(*p.parts).is_file()
             or root.joinpath(*p.parts).read_text(encoding="utf-8") != text]
    extra = sorted(str(p.relative_to(root)) for p in root.rglob("*.json")
                   if Path(p.relative_to(root)).as_posix() not in {str(e) for e in expected})
    assert stale == [], "run `omp schemas export` (schemas/submodels is stale)"
    assert extra == [], "schemas of templates that are no longer bundled"


@pytest.mark.parametrize("strict", [False, True])
def test_schemas_are_valid_json_schema(strict: bool) -> None:
    for template in _bundled():
        schema = value_only_schema(template, strict=strict)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema_rs.validator_for(schema)
        assert json.loads(json.dumps(schema)) == schema


def test_schema_encodes_the_template() -> None:
    schema = value_only_schema(_template("Digital Nameplate"))
    assert "URIOfTheProduct" in schema["required"]
    assert "SerialNumber" not in schema["required"]
    markings = schema["properties"]["Markings"]
    assert markings["type"] == "array" and markings["minItems"] == 1
    marking = markings["items"]
    assert set(marking["required"]) == {"MarkingName", "MarkingFile"}
    date = schema["properties"]["DateOfManufacture"]["else"]
    assert date["$comment"] == "valueType xs:date" and date["type"] == "string"
    assert "additionalProperties" not in schema
    strict = value_only_schema(_template("Digital Nameplate"), strict=True)
    assert strict["additionalProperties"] is False
    # Arbitrary placeholders: any key, if its value fits one of them.
    specific = strict["properties"]["AssetSpecificProperties"]
    assert len(specific["additionalProperties"]["anyOf"]) == 3
    contact = value_only_schema(_template("Contact Information"))
    # OneToMany without a counter: the idShort and a number, as instantiate writes it.
    info = contact["patternProperties"]["^ContactInformation[0-9]*$"]
    assert contact["allOf"][0]["$comment"] == "at least one ContactInformation (OneToMany)"
    assert info["properties"]["Phone"]["type"] == "object"
    assert list(info["patternProperties"]) == ["^Language[0-9]*$", "^IPCommunication[0-9]+$"]
    series = value_only_schema(_template("Time Series Data"))
    record = series["properties"]["Metadata"]["properties"]["Record"]
    assert list(record["patternProperties"]) == [r"^(?:Time\d{2,3})$"]
    assert record["allOf"][0]["$comment"] == "at least one Time (OneToMany)"
    long = record["patternProperties"][r"^(?:Time\d{2,3})$"]["else"]
    assert (long["type"], long["minimum"], long["maximum"]) == ("integer", -(2**63),
                                                                2**63 - 1)


def _element(**kwargs: Any) -> TemplateElement:
    base: dict[str, Any] = {"id_short": "Value", "model_type": "Property",
                            "semantic_id": "urn:x", "cardinality": ONE,
                            "value_type": "xs:string"}
    return TemplateElement(**{**base, **kwargs})


def _one(*elements: TemplateElement) -> Template:
    return Template(id="urn:t", id_short="T", semantic_id="urn:t:sm", kind="Template",
                    elements=elements, version="1.0")


def test_schema_of_qualifiers() -> None:
    template = _one(
        _element(id_short="Colour", allowed_values=("red;green",)),
        _element(id_short="Code", allowed_values=("[A-Z]{2}[0-9]+",)),
        _element(id_short="Level", value_type="xs:int", allowed_range=None,
                 form_choices=("1", "2")),
        _element(id_short="Percent", value_type="xs:decimal",
                 allowed_range=AllowedRange.parse("[0,100)")),
        _element(id_short="Name", model_type="MultiLanguageProperty", value_type=None,
                 required_langs=("en", "de")),
        _element(id_short="Mail", either_or="contact"),
        _element(id_short="Phone", either_or="contact"),
        _element(id_short="Tags", model_type="SubmodelElementList",
                 cardinality=ONE, value_type=None, type_value_list_element="Property",
                 children=(_element(id_short=None, in_list=True, cardinality=ZERO_TO_MANY),)),
    )
    ok = {"Colour": "green", "Code": "AB12", "Level": 2, "Percent": 99.5,
          "Name": [{"en": "x"}, {"de-DE": "y"}], "Phone": "1", "Tags": ["a", None]}
    assert _rules(ok, template) == []
    assert _rules({**ok, "Colour": "blue", "Code": "ab", "Level": 3, "Percent": 100},
                  template) == [
        ("smt-value/allowed-value", "/Code"), ("smt-value/allowed-value", "/Colour"),
        ("smt-value/allowed-value", "/Level"), ("smt-value/allowed-range", "/Percent")]
    assert _rules({**ok, "Name": [{"fr": "z"}]}, template) == [
        ("smt-value/required-lang", "/Name"), ("smt-value/required-lang", "/Name")]
    no_contact = {k: v for k, v in ok.items() if k != "Phone"}
    assert _rules(no_contact, template) == [("smt-value/either-or", "")]
    assert _rules({**ok, "Colour": ""}, template) == []  # empty values are not checked


# --- the payload check -----------------------------------------------------------------------


def test_findings_are_located_and_explained() -> None:
    template = _template("Digital Nameplate")
    good = value_only(instantiate(template, "maximal").submodel, keep_empty=True)
    assert check_value_only(good, template, WHERE) == []
    bad = copy.deepcopy(good)
    del bad["ManufacturerName"]
    bad["YearOfConstruction"] = 2024
    bad["DateOfManufacture"] = "31.12.2024"
    bad["Markings"][0]["MarkingNmae"] = "x"
    bad["Markings"][1] = []
    bad["CompanyLogo"] = {"contentType": "image/png", "path": "x"}
    bad["ManufacturerProductDesignation"] = [{"en": "a", "de": "b"}]
    findings = check_value_only(bad, template, WHERE)
    got = {(f.rule, f.location.path, f.severity) for f in findings}
    assert got == {
        ("smt-value/missing-element", "", Severity.ERROR),
        ("smt-value/value-type", "/YearOfConstruction", Severity.ERROR),
        ("smt-value/value-type", "/DateOfManufacture", Severity.ERROR),
        ("smt-value/unexpected-element", "/Markings/0/MarkingNmae", Severity.WARNING),
        ("smt-value/shape", "/Markings/1", Severity.ERROR),
        ("smt-value/shape", "/CompanyLogo", Severity.ERROR),
        ("smt-value/shape", "/ManufacturerProductDesignation/0", Severity.ERROR),
    }
    messages = {f.location.path: f.message for f in findings}
    assert messages[""] == "The mandatory element 'ManufacturerName' is missing in the submodel."
    assert messages["/YearOfConstruction"] == (
        "The value 2024 is a JSON number; xs:string values are strings in value-only "
        "payloads.")
    assert "not a literal of xs:date (such as '2024-01-01')" in messages["/DateOfManufacture"]
    strict = check_value_only(bad, template, WHERE, strict=True)
    assert {f.severity for f in strict if f.rule == "smt-value/unexpected-element"} == {
        Severity.ERROR}
    assert all(rule.id.startswith("smt-value/") and rule.hint for rule in RULES)
    assert {f.rule for f in findings} <= {rule.id for rule in RULES}


def test_check_payload_resolves_the_template() -> None:
    template = _template("Carbon Footprint")
    payload = value_only(instantiate(template, "minimal").submodel, keep_empty=True)
    for name in ("Carbon Footprint", "carbon-footprint", "02023", template.semantic_id or ""):
        findings, label = check_payload(payload, WHERE, ValidateOptions(template=name))
        assert (findings, label) == ([], "value-only:Carbon Footprint 1.0.1")
    findings, label = check_payload(payload, WHERE, ValidateOptions(template="no-such"))
    assert [f.rule for f in findings] == ["smt-value/unknown-template"]
    assert label == "value-only:no-such"
    with pytest.raises(ValueError, match="unknown submodel template 'no-such'"):
        check_options(ValidateOptions(template="no-such"))
    check_options(ValidateOptions(template="nameplate"))
    findings, _ = check_payload([1, 2], WHERE, ValidateOptions(template="nameplate"))
    assert [(f.rule, f.location.path) for f in findings] == [("smt-value/shape", "")]


# --- the two validators agree ----------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(
        allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=6), inner, max_size=3), max_leaves=12)


def _mutations(payload: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The payload with one member dropped, replaced by any JSON, or one added."""
    keys = sorted(payload)

    def drop(key: str) -> dict[str, Any]:
        return {k: v for k, v in payload.items() if k != key}

    def replace(key: str, value: Any) -> dict[str, Any]:
        return {**payload, key: value}

    return st.one_of(st.sampled_from(keys).map(drop),
                     st.builds(replace, st.sampled_from(keys), _JSON),
                     st.builds(replace, st.text(min_size=1, max_size=6), _JSON))


@pytest.mark.parametrize("template", _bundled(), ids=lambda t: t.id_short or "?")
def test_jsonschema_rs_and_python_jsonschema_agree(template: Template) -> None:
    schemas = [compiled(template, strict) for strict in (False, True)]
    payloads = [value_only(instantiate(template, mode).submodel, keep_empty=True)
                for mode in ("minimal", "maximal")]

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(payloads).flatmap(_mutations))
    def agree(payload: dict[str, Any]) -> None:
        for schema in schemas:
            assert schema.fast.is_valid(payload) == schema.reference.is_valid(payload)

    agree()
