"""The SiteWise converter: reading, checking, mapping and writing, element by element."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.io import environment_from_jsonable, environment_to_jsonable
from omp_models.formats import ConversionReport, ConvertOptions, Source, get_format
from omp_models.formats.sitewise import SiteWiseFormat
from tests.conftest import ROOT, corpus_path

DATA = ROOT / "tests" / "data" / "sitewise"
FMT = SiteWiseFormat()


def read(doc: dict[str, Any] | bytes, **extra: str) -> tuple[dict[str, Any], ConversionReport]:
    data = doc if isinstance(doc, bytes) else json.dumps(doc, indent=1).encode()
    env, report = FMT.read(Source("in.json", data), ConvertOptions(extra=dict(extra)))
    return environment_to_jsonable(env), report


def write(env: dict[str, Any]) -> tuple[dict[str, Any], ConversionReport]:
    data, report = FMT.write(environment_from_jsonable(env), ConvertOptions())
    return json.loads(data), report


def by_short(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["idShort"]: e for e in elements if "idShort" in e}


def exts(element: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in element.get("extensions", [])}


@pytest.fixture(scope="module")
def press() -> dict[str, Any]:
    env, report = read((DATA / "press-line.json").read_bytes())
    assert not report.has_errors
    return env


def test_sniffing_tells_sitewise_from_aas_and_insights_hub() -> None:
    sample = corpus_path("formats", "sitewise", "metadata-bulk-operations-sample", "src",
                         "import", "1_onboard_models_assets.json").read_bytes()
    assert FMT.sniff("x.json", sample)
    assert not FMT.sniff("x.json", b'{"submodels": [{"modelType": "Submodel"}]}')
    assert not FMT.sniff("x.json", b'{"id": "t.A", "category": "static", "variables": []}')
    assert get_format("sitewise").name == "sitewise"


def test_asset_models_become_type_shells_with_a_template(press: dict[str, Any]) -> None:
    shells = {s["idShort"]: s for s in press["assetAdministrationShells"]}
    press_type = shells["Hydraulic_press"]
    assert press_type["assetInformation"]["assetKind"] == "Type"
    assert press_type["displayName"] == [{"language": "en", "text": "Hydraulic press"}]
    assert {"name": "sitewise:assetModelExternalId", "value": "Press"} in \
        press_type["assetInformation"]["specificAssetIds"]
    assert press_type["id"] == "urn:omp-toolkit:sitewise/assetModel/Press"
    assert shells["Press_spindle"]["assetInformation"]["assetType"] == "COMPONENT_MODEL"
    (tags,) = [e for e in press_type["extensions"] if e["name"] == "src:sitewise:tags"]
    assert json.loads(tags["value"]) == [{"key": "site", "value": "Plant 7"}]
    submodels = {s["id"]: s for s in press["submodels"]}
    template = submodels[press_type["submodels"][0]["keys"][0]["value"]]
    assert template["kind"] == "Template"


def test_property_kinds_map_to_categories_qualifiers_and_values(press: dict[str, Any]) -> None:
    template = next(s for s in press["submodels"]
                    if s["id"] == "urn:omp-toolkit:sitewise/assetModel/Press/submodel")
    elements = by_short(template["submodelElements"])
    assert elements["Max_force"]["category"] == "PARAMETER"
    assert elements["Max_force"]["value"] == "2500.5"
    assert elements["Max_force"]["valueType"] == "xs:double"
    assert elements["Strokes"]["valueType"] == "xs:int"
    assert elements["Running"]["valueType"] == "xs:boolean"
    assert elements["Strokes"]["category"] == "VARIABLE"
    assert json.loads(exts(elements["Strokes"])["src:sitewise:type.processingConfig"]) == {
        "forwardingConfig": {"state": "ENABLED"}}
    transform = {q["type"]: q for q in elements["Pressure_kPa"]["qualifiers"]}
    assert transform["sitewise:expression"]["value"] == "p * 100"
    variable = transform["sitewise:variable:p"]
    assert json.loads(variable["value"]) == {"propertyExternalId": "Press_Pressure"}
    assert variable["valueId"]["keys"][-1] == {"type": "Property", "value": "Pressure"}
    metric = {q["type"]: q["value"] for q in elements["Strokes_per_hour"]["qualifiers"]}
    assert metric["sitewise:window:tumbling:interval"] == "1h"
    assert metric["sitewise:window:tumbling:offset"] == "5m"


def test_units_go_to_concept_descriptions_with_unece_codes(press: dict[str, Any]) -> None:
    cds = {c["idShort"]: c["embeddedDataSpecifications"][0]["dataSpecificationContent"]
           for c in press["conceptDescriptions"]}
    assert cds["Max_force"]["unit"] == "kN"
    assert cds["Max_force"]["unitId"]["keys"][0]["value"] == "urn:un:unece:uncefact:rec20:B47"
    assert cds["Max_force"]["dataType"] == "REAL_MEASURE"
    assert cds["Running"]["dataType"] == "BOOLEAN" and "unit" not in cds["Running"]
    assert cds["Pressure"]["unitId"]["keys"][0]["value"].endswith(":BAR")


def test_composite_models_and_alarms(press: dict[str, Any]) -> None:
    template = next(s for s in press["submodels"]
                    if s["id"] == "urn:omp-toolkit:sitewise/assetModel/Press/submodel")
    elements = by_short(template["submodelElements"])
    spindle = elements["Main_spindle"]
    assert spindle["modelType"] == "SubmodelElementCollection"
    assert exts(spindle)["src:sitewise:composedAssetModelExternalId"] == "Press_Spindle"
    alarm = elements["Overpressure"]
    assert alarm["semanticId"]["keys"][0]["value"] == "urn:aws:iotsitewise:composite:AWS/ALARM"
    state = by_short(alarm["value"])["AWS_ALARM_STATE"]
    assert exts(state)["src:sitewise:dataType"] == "STRUCT"
    assert exts(state)["src:sitewise:dataTypeSpec"] == "AWS/ALARM_STATE"
    assert state["displayName"][0]["text"] == "AWS/ALARM_STATE"


def test_assets_become_instances_derived_from_their_model(press: dict[str, Any]) -> None:
    shells = {s["idShort"]: s for s in press["assetAdministrationShells"]}
    press1 = shells["Press_7_1"]
    assert press1["assetInformation"]["assetKind"] == "Instance"
    assert press1["derivedFrom"]["keys"][0]["value"] == \
        "urn:omp-toolkit:sitewise/assetModel/Press"
    instance = next(s for s in press["submodels"] if s["id"] == press1["submodels"][0]["keys"][0]
                    ["value"])
    assert instance.get("kind", "Instance") == "Instance"
    elements = by_short(instance["submodelElements"])
    assert elements["Serial_Number"]["value"] == "P7-0001"
    assert exts(elements["Strokes"])["src:sitewise:alias"] == "/plant7/line/press1/strokes"
    spindle = by_short(elements["Main_spindle"]["value"])["Speed"]
    assert exts(spindle)["src:sitewise:alias"] == "/plant7/line/press1/spindle/speed"
    line = next(s for s in press["submodels"] if s["id"].endswith("asset/Line_7/submodel"))
    (presses,) = line["submodelElements"][1:]
    children = [e["specificAssetIds"][0]["value"] for e in presses["value"]]
    assert children == ["Press_7_1", "Press_7_2"]


def test_report_locates_every_entry(press: dict[str, Any]) -> None:
    _, report = read((DATA / "press-line.json").read_bytes())
    codes = report.codes()
    assert codes["EXPRESSION_OPAQUE"] == 2
    assert codes["PRESERVED_AS_EXTENSION"] > 10
    assert all(i.line and i.column for i in report.issues if i.source)
    (extra,) = [i for i in report.issues if i.source == "/assetModels/1/x-vendor-note"]
    assert extra.code.value == "PRESERVED_AS_EXTENSION"


@pytest.mark.parametrize(("doc", "pointer", "text"), [
    ([], "", "the top-level value must be an object"),
    ({"models": []}, "", "no 'assetModels' or 'assets'"),
    ({"assetModels": [{"assetModelName": "A", "assetModelExternalId": "x y"}]},
     "/assetModels/0/assetModelExternalId", "does not match the pattern"),
    ({"assetModels": [{"assetModelName": "A", "assetModelType": "MODEL"}]},
     "/assetModels/0/assetModelType", "must be one of"),
    ({"assetModels": [{"assetModelName": "A", "assetModelProperties": [
        {"name": "p", "dataType": "DOUBLE", "type": {"metric": {"expression": "x",
                                                                "variables": []}}}]}]},
     "/assetModels/0/assetModelProperties/0/type/metric", "a metric needs a 'window'"),
    ({"assets": [{"assetName": "a", "assetExternalId": "a1"}]}, "/assets/0",
     "needs 'assetModelExternalId' or 'assetModelId'"),
    ({"assetModels": [{"assetModelName": "C", "assetModelExternalId": "C1",
                       "assetModelType": "COMPONENT_MODEL"}],
      "assets": [{"assetName": "a", "assetExternalId": "a1", "assetModelExternalId": "C1"}]},
     "/assets/0", "component models have no assets"),
    ({"assetModels": [{"assetModelName": "M", "assetModelExternalId": "M1"}],
      "assets": [{"assetName": "a", "assetExternalId": "a1", "assetModelExternalId": "M1",
                  "assetHierarchies": [{"externalId": "nope", "childAssetExternalId": "b1"}]}]},
     "/assets/0/assetHierarchies/0", "has no hierarchy 'nope'"),
    ({"assetModels": [{"assetModelName": "M", "assetModelExternalId": "M1",
                       "assetModelProperties": [
                           {"id": "0a0b0c0d-0000-4000-8000-000000000009",
                            "externalId": "M1_p", "name": "p", "dataType": "STRING",
                            "type": {"attribute": {}}}]}],
      "assets": [{"assetName": "a", "assetExternalId": "a1", "assetModelExternalId": "M1",
                  "assetProperties": [
                      {"externalId": "M1_p", "attributeValue": "x"},
                      {"id": "0a0b0c0d-0000-4000-8000-000000000009", "attributeValue": "y"}]}]},
     "/assets/0/assetProperties/1", "is set twice"),
])
def test_invalid_structures_are_located_errors(doc: Any, pointer: str, text: str) -> None:
    env, report = read(json.dumps(doc).encode())
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert any(i.source == pointer and text in i.message for i in errors), errors
    assert not list(env_ids(env))


def env_ids(env: dict[str, Any]) -> list[str]:
    return [s["id"] for s in env.get("assetAdministrationShells", [])]


def test_missing_child_model_is_reported_not_fatal() -> None:
    _, report = read((DATA / "bad-references.json").read_bytes())
    assert report.has_errors  # the variable and the asset property are errors
    (missing,) = [i for i in report.issues if i.code.value == "DEPENDENCY_MISSING"]
    assert missing.source == "/assetModels/0/assetModelHierarchies/0"
    assert missing.original == "Motor"


def test_models_without_ids_get_derived_ones() -> None:
    env, report = read({"assetModels": [{"assetModelName": "Boiler house",
                                         "assetModelProperties": []}]})
    assert env["assetAdministrationShells"][0]["id"] == \
        "urn:omp-toolkit:sitewise/assetModel/Boiler%20house"
    assert report.codes()["ID_DERIVED"] == 1


def test_writing_restores_a_sitewise_document_byte_for_byte_deterministic(
        press: dict[str, Any]) -> None:
    first, report = write(press)
    second, _ = write(press)
    assert first == second and not report.issues
    assert [m["assetModelExternalId"] for m in first["assetModels"]] == [
        "Press", "Press_Line", "Press_Spindle"]


def _generic(elements: list[dict[str, Any]], kind: str = "Type") -> dict[str, Any]:
    return {
        "assetAdministrationShells": [{
            "modelType": "AssetAdministrationShell", "id": "urn:x:aas", "idShort": "Machine",
            "assetInformation": {"assetKind": kind, "globalAssetId": "urn:x:asset"},
            "submodels": [{"type": "ModelReference",
                           "keys": [{"type": "Submodel", "value": "urn:x:sm"}]}]}],
        "submodels": [{"modelType": "Submodel", "id": "urn:x:sm", "idShort": "Machine",
                       "submodelElements": elements}],
    }


def test_writing_any_aas_reports_what_sitewise_cannot_hold() -> None:
    env = _generic([
        {"modelType": "Property", "idShort": "Count", "valueType": "xs:long", "value": "7"},
        {"modelType": "Property", "idShort": "Weight", "valueType": "xs:float", "value": "1.5",
         "semanticId": {"type": "ExternalReference",
                        "keys": [{"type": "GlobalReference", "value": "0173-1#02-AAB713#005"}]}},
        {"modelType": "MultiLanguageProperty", "idShort": "Title",
         "value": [{"language": "de", "text": "Presse"}, {"language": "en", "text": "Press"}]},
        {"modelType": "Range", "idShort": "Span", "valueType": "xs:int", "min": "1", "max": "2"},
        {"modelType": "SubmodelElementCollection", "idShort": "Address", "value": [
            {"modelType": "Property", "idShort": "City", "valueType": "xs:string",
             "value": "Ulm"},
            {"modelType": "SubmodelElementCollection", "idShort": "Phone", "value": [
                {"modelType": "Property", "idShort": "Number", "valueType": "xs:string",
                 "value": "+49 1"}]}]},
    ])
    doc, report = write(env)
    (model,) = doc["assetModels"]
    props = {p["name"]: p for p in model["assetModelProperties"]}
    assert props["Count"]["dataType"] == "INTEGER"
    assert props["Weight"]["dataType"] == "DOUBLE"
    assert props["Title"]["type"]["attribute"]["defaultValue"] == "Press"
    assert "Span" not in props
    (address,) = model["assetModelCompositeModels"]
    assert [p["name"] for p in address["properties"]] == ["City", "Phone.Number"]
    by_target: dict[str, set[str]] = {}
    for issue in report.issues:
        by_target.setdefault(issue.target or "", set()).add(issue.code.value)
    assert "TYPE_NARROWED" in by_target["urn:x:sm#Count"]
    assert "TYPE_WIDENED" in by_target["urn:x:sm#Weight"]
    assert "DROPPED" in by_target["urn:x:sm#Weight"]  # its semanticId
    assert "DROPPED" in by_target["urn:x:sm#Span"]
    assert "DROPPED" in by_target["urn:x:sm#Address.Phone"]
    assert {"key": "aas:id", "value": "urn:x:aas"} in model["tags"]


def test_instance_shells_become_assets_of_a_model() -> None:
    env = _generic([{"modelType": "Property", "idShort": "Serial", "valueType": "xs:string",
                     "value": "S-1"}], kind="Instance")
    doc, report = write(env)
    (asset,) = doc["assets"]
    (model,) = doc["assetModels"]
    assert asset["assetModelExternalId"] == model["assetModelExternalId"]
    assert asset["assetProperties"] == [{"externalId": "Serial", "attributeValue": "S-1"}]
    assert report.codes()["ID_DERIVED"] >= 2


def test_written_documents_are_checked_like_input(tmp_path: Path) -> None:
    """The writer re-reads what it wrote: a value that cannot be a SiteWise default is
    reported, never written as an invalid document."""
    env = _generic([{"modelType": "Property", "idShort": "Big", "valueType": "xs:long",
                     "value": "99999999999"}])
    doc, report = write(env)
    (prop,) = doc["assetModels"][0]["assetModelProperties"]
    assert "defaultValue" not in prop["type"]["attribute"]
    assert report.codes()["VALUE_UNCONVERTIBLE"] == 1
    assert not report.has_errors
