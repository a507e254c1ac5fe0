"""Generators: payload schema, examples, AAS template and instance, pydantic models."""

from __future__ import annotations

import io
import json
import types
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from omp_models import samm
from omp_models.aas.io import serialize_environment
from omp_models.diagnostics import Severity
from omp_models.samm import (
    PayloadValidator,
    aas_template,
    aspect_schema,
    example_payload,
    load_aspect,
    payload_of_submodel,
    payload_to_aas,
    pydantic_source,
    submodel_environment,
)
from omp_models.samm._mutate import mutations
from omp_models.samm._regex import matching_string
from omp_validators.engine import validate_bytes
from tests.conftest import CORPUS

# The Eclipse ESMF SDK's test models (MPL-2.0) are public data that belongs in the shared
# corpus (../shared/corpus/samm-esmf, laid out as upstream: valid/, invalid/, payloads/);
# without it this module is skipped, with this reason.
ESMF = CORPUS / "samm-esmf"
pytestmark = pytest.mark.skipif(
    not ESMF.exists(), reason=f"ESMF SDK test models not in the shared corpus: {ESMF}"
)
VALID = ESMF / "valid" / "org.eclipse.esmf.test" / "1.0.0"
MODELS = sorted(VALID.glob("*.ttl"))


@cache
def _aspect(name: str) -> samm.Aspect:
    model = load_aspect(VALID / f"{name}.ttl")
    assert model.ok and model.aspect is not None
    return model.aspect


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _property(schema: dict[str, Any], name: str = "testProperty") -> dict[str, Any]:
    return _resolve(schema, schema["properties"][name])


# -- payload schema ----------------------------------------------------------------------------
def test_schema_shape_like_samm_cli() -> None:
    schema = aspect_schema(_aspect("AspectWithEither"))
    Draft4Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema"
    assert schema["x-samm-aspect-model-urn"] == (
        "urn:samm:org.eclipse.esmf.test:1.0.0#AspectWithEither")
    assert schema["required"] == ["testProperty"]
    either = _property(schema)
    assert either["additionalProperties"] is False
    assert either["oneOf"] == [{"required": ["left"]}, {"required": ["right"]}]
    assert either["properties"]["left"]["type"] == "string"
    assert either["properties"]["right"]["type"] == "boolean"


@pytest.mark.parametrize(("name", "valid", "invalid"), [
    ("AspectWithEither", {"testProperty": {"left": "x"}},
     {"testProperty": {"left": "x", "right": True}}),
    ("AspectWithState", {"status": "Error"}, {"status": "Unknown"}),
    ("AspectWithSet", {"testProperty": ["a", "b"]}, {"testProperty": ["a", "a"]}),
    ("AspectWithList", {"testProperty": ["a", "a"]}, {"testProperty": "a"}),
    ("AspectWithCurie", {"testCurie": "unit:hectopascal", "testCurieWithoutExampleValue":
                         "unit:metre"}, {"testCurie": "hectopascal",
                                         "testCurieWithoutExampleValue": "unit:metre"}),
    ("AspectWithMultiLanguageText", {"prop": {"en": "x", "de": "y"}}, {"prop": "x"}),
    ("AspectWithDuration", {"testProperty": 1.5}, {"testProperty": 4294967296}),
    ("AspectWithBoolean", {"testBoolean": False}, {"testBoolean": "false"}),
])
def test_schema_semantics(name: str, valid: dict[str, Any], invalid: dict[str, Any]) -> None:
    validator = PayloadValidator(aspect_schema(_aspect(name)))
    schema = validator.schema
    keys = list(schema["properties"])
    assert set(valid) <= set(keys), keys
    assert validator.errors(valid) == []
    assert validator.errors(invalid) != []


def test_ranges_lengths_and_patterns() -> None:
    schema = aspect_schema(_aspect("AspectWithConstraints"))
    nodes = {name: _property(schema, name) for name in schema["properties"]}
    decimal = nodes["testPropertyWithDecimalMinDecimalMaxRangeConstraint"]
    assert (decimal["minimum"], decimal["maximum"]) == (2.3, 10.5)
    assert decimal["exclusiveMinimum"] is False and decimal["exclusiveMaximum"] is False
    assert nodes["testPropertyWithRegularExpression"]["pattern"] == r"^[a-zA-Z]\.[0-9]"
    assert nodes["testPropertyWithMinMaxLengthConstraint"]["maxLength"] == 10
    collection = nodes["testPropertyCollectionLengthConstraint"]
    assert collection["type"] == "array" and "minItems" in collection
    exclusive = _property(aspect_schema(_aspect("AspectWithExclusiveRangeConstraint")),
                          "floatProp")
    assert exclusive["exclusiveMinimum"] is True
    dates = aspect_schema(_aspect("AspectWithDateTimeTypeForRangeConstraints"))
    for name in dates["properties"]:
        node = _property(dates, name)
        assert "minimum" not in node and "maximum" not in node  # non-numeric bounds: samm-cli
        assert node["type"] == "string"


def test_entities_extends_and_abstract() -> None:
    schema = aspect_schema(_aspect("AspectWithExtendedEntity"))
    components = schema["components"]["schemas"]
    extended = [n for n in components.values() if "allOf" in n and n.get("type") == "object"]
    assert extended
    abstract = aspect_schema(_aspect("AspectWithAbstractEntity"))
    single = _property(abstract)
    assert single["type"] == "object" and single["allOf"][0]["$ref"].endswith(
        "ExtendingTestEntity")
    validator = PayloadValidator(abstract)
    assert validator.errors({"testProperty": {"entityProperty": "x",
                                              "abstractTestProperty": 5}}) == []
    assert validator.errors({"testProperty": {"entityProperty": "x"}})[0].keyword == "required"


def test_esmf_payloads_pass_our_schemas() -> None:
    payloads = sorted((ESMF / "payloads").glob("*.json"))
    assert len(payloads) == 10
    for path in payloads:
        validator = PayloadValidator(aspect_schema(_aspect(path.stem)))
        assert validator.errors(json.loads(path.read_text(encoding="utf-8"))) == [], path.name


def test_errors_carry_pointers_and_keywords() -> None:
    validator = PayloadValidator(aspect_schema(_aspect("AspectWithConstraints")))
    payload = example_payload(_aspect("AspectWithConstraints"))
    payload["testPropertyWithRegularExpression"] = "nope"
    payload["testPropertyWithMinMaxLengthConstraint"] = "x" * 50
    del payload["testPropertyWithMinRangeConstraint"]
    errors = {(e.pointer, e.keyword) for e in validator.errors(payload)}
    assert errors == {("/testPropertyWithRegularExpression", "pattern"),
                      ("/testPropertyWithMinMaxLengthConstraint", "maxLength"),
                      ("", "required")}
    assert validator.backend == "jsonschema-rs"
    assert PayloadValidator(validator.schema, fast=False).backend == "jsonschema"


# -- every esmf model through every generator --------------------------------------------------
@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_generators_on_every_model(path: Path) -> None:
    aspect = _aspect(path.stem)
    validator = PayloadValidator(aspect_schema(aspect))
    payloads = [example_payload(aspect), example_payload(aspect, seed=11)]
    for payload in payloads:
        assert validator.errors(payload) == []
        for label, mutated in mutations(payload, validator.schema, 8):
            assert validator.fast_is_valid(mutated) == validator.reference_is_valid(mutated), label
    template = aas_template(aspect, "3.0", "json")
    assert template.problems == []
    report = validate_bytes(template.data, "t.json")
    assert [f for f in report.findings if f.severity is not Severity.INFO] == []
    for payload in payloads:
        environment, notes, _ = submodel_environment(aspect, payload=payload)
        assert [n for n in notes if n.severity == "error"] == []
        assert serialize_environment(environment, "3.1", "json").problems == []
        back, _ = payload_of_submodel(aspect, environment["submodels"][0])
        assert back == payload
    module = types.ModuleType("generated")
    exec(compile(pydantic_source(aspect, path.name), path.name, "exec"), module.__dict__)
    model_class = getattr(module, aspect.name)
    for payload in payloads:
        dumped = model_class.model_validate(payload).model_dump(
            by_alias=True, exclude_unset=True, mode="json")
        assert dumped == payload


# -- examples ----------------------------------------------------------------------------------
def test_examples_use_example_values_and_are_reproducible() -> None:
    aspect = _aspect("AspectWithEvent")  # no properties
    assert example_payload(aspect) == {}
    curie = example_payload(_aspect("AspectWithCurie"))
    assert curie["testCurie"] == "unit:hectopascal"  # its samm:exampleValue
    first = example_payload(_aspect("AspectWithConstraints"), seed=5)
    assert first == example_payload(_aspect("AspectWithConstraints"), seed=5)
    assert first != example_payload(_aspect("AspectWithConstraints"), seed=6)


@pytest.mark.parametrize("pattern", [
    r"^BPNS[a-zA-Z0-9]{12}$", r"(^[0-9a-f]{8}-[0-9a-f]{4}$)|(^urn:uuid:[0-9a-f]{8}$)",
    r"^(a|bb|ccc)+-\d{2,3}$", r"[^ABC]x?", r"^\w+@\w+\.(de|com)$", r"^$",
])
def test_matching_strings(pattern: str) -> None:
    import re

    for seed in (None, 1, 2, 3):
        text = matching_string(pattern, seed)
        assert text is not None and re.search(pattern, text)


def test_impossible_patterns() -> None:
    assert matching_string("(") is None
    assert matching_string(r"^(?!a)a$") is None


# -- AAS ---------------------------------------------------------------------------------------
def _submodel(aspect: samm.Aspect, **kw: Any) -> dict[str, Any]:
    environment, _, _ = submodel_environment(aspect, **kw)
    submodel: dict[str, Any] = environment["submodels"][0]
    return submodel


def _qualifiers(element: dict[str, Any]) -> dict[str, str]:
    return {q["type"]: q["value"] for q in element.get("qualifiers", [])}


def test_template_qualifiers_and_lists() -> None:
    submodel = _submodel(_aspect("AspectWithOptionalProperties"))
    assert submodel["kind"] == "Template"
    cardinalities = [_qualifiers(e)["SMT/Cardinality"] for e in submodel["submodelElements"]]
    assert "ZeroToOne" in cardinalities and "One" in cardinalities
    assert all(q["kind"] == "TemplateQualifier" for e in submodel["submodelElements"]
               for q in e["qualifiers"])
    listing = _submodel(_aspect("AspectWithEntityList"))["submodelElements"][0]
    assert listing["modelType"] == "SubmodelElementList"
    assert listing["orderRelevant"] is True
    assert listing["typeValueListElement"] == "SubmodelElementCollection"
    (item,) = listing["value"]
    assert "idShort" not in item  # AASd-120
    assert _qualifiers(item)["SMT/Cardinality"] == "ZeroToMany"
    assert item["semanticId"] == listing["semanticIdListElement"]
    either = _submodel(_aspect("AspectWithEither"))["submodelElements"][0]
    assert [c["idShort"] for c in either["value"]] == ["left", "right"]
    assert all("SMT/EitherOr" in _qualifiers(c) for c in either["value"])


def test_concept_descriptions() -> None:
    environment, _, _ = submodel_environment(_aspect("AspectWithMeasurement"))
    concepts = {c["id"]: c for c in environment["conceptDescriptions"]}
    prop = concepts["urn:samm:org.eclipse.esmf.test:1.0.0#testProperty"]
    content = prop["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert content["unit"] == "K" and content["dataType"] == "REAL_MEASURE"
    assert any(n["language"] == "en" for n in content["preferredName"])
    state, _, _ = submodel_environment(_aspect("AspectWithState"))
    content = state["conceptDescriptions"][-1]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"]
    values = [p["value"] for p in content["valueList"]["valueReferencePairs"]]
    assert values == ["Success", "Error", "In Progress"]


def test_template_formats_and_versions() -> None:
    aspect = _aspect("AspectWithEntityList")
    for version in ("3.0", "3.1"):
        for kind in ("json", "xml", "aasx"):
            result = aas_template(aspect, version, kind)  # type: ignore[arg-type]
            assert result.problems == []
            assert result.data == aas_template(aspect, version, kind).data  # deterministic
            name = {"json": "t.json", "xml": "t.xml", "aasx": "t.aasx"}[kind]
            report = validate_bytes(result.data, name)
            assert report.ok and not report.findings, report.findings
            if kind != "json":  # JSON carries no version; XML says it in its namespace
                assert report.aas_version == version
    package = zipfile.ZipFile(io.BytesIO(aas_template(aspect, "3.1", "aasx").data))
    assert "aasx/data.xml" in package.namelist()


def test_long_texts_are_shortened_with_a_note() -> None:
    aspect = _aspect("AspectWithEither")
    aspect.descriptions["en"] = "x" * 1500
    try:
        result = aas_template(aspect, "3.0", "json")
    finally:
        del aspect.descriptions["en"]
    assert result.problems == []
    assert any("1023" in n.message and n.severity == "lossy" for n in result.notes)


def test_instance_keeps_unknown_keys_and_events_are_left_out() -> None:
    aspect = _aspect("AspectWithEntity")
    payload = example_payload(aspect)
    payload["extra"] = {"a": [1, 2]}
    result = payload_to_aas(aspect, payload, "3.0", "json")
    assert result.problems == []
    assert any(n.code == "PRESERVED_AS_EXTENSION" and n.pointer == "/extra"
               for n in result.notes)
    document = json.loads(result.data)
    submodel = document["submodels"][0]
    assert submodel["kind"] == "Instance" and "qualifiers" not in json.dumps(submodel)
    back, _ = payload_of_submodel(aspect, submodel)
    assert back == payload
    events = aas_template(_aspect("AspectWithEvent"))
    assert any("event" in n.message for n in events.notes)


def test_instance_refuses_what_the_value_type_cannot_hold() -> None:
    aspect = _aspect("AspectWithDuration")  # xsd:int
    _, notes, _ = submodel_environment(aspect, payload={"testProperty": 1.5})
    assert [(n.code, n.pointer) for n in notes if n.severity == "error"] == [
        ("VALUE_UNCONVERTIBLE", "/testProperty")]
