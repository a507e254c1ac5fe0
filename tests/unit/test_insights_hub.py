"""The Insights Hub converter: document shapes, data types, inheritance, resolution, writing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.io import environment_from_jsonable, environment_to_jsonable
from omp_models.formats import ConversionReport, ConvertOptions, Source
from omp_models.formats.insights_hub import InsightsHubFormat
from tests.conftest import ROOT, corpus_path

DATA = ROOT / "tests" / "data" / "insights-hub"
FMT = InsightsHubFormat()


def read(doc: Any, path: Path | None = None, search: tuple[Path, ...] = (),
         **extra: str) -> tuple[dict[str, Any], ConversionReport]:
    data = doc if isinstance(doc, bytes) else json.dumps(doc, indent=1).encode()
    env, report = FMT.read(Source(str(path or "in.json"), data, path),
                           ConvertOptions(search_paths=search, extra=dict(extra)))
    return environment_to_jsonable(env), report


def props(submodel: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["idShort"]: e for e in submodel.get("submodelElements", [])}


def quals(element: dict[str, Any]) -> dict[str, str]:
    return {q["type"]: q["value"] for q in element.get("qualifiers", [])}


def exts(element: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in element.get("extensions", [])}


def test_sniffing() -> None:
    for name in ("aspecttype.spindle.json", "assettype.millingmachine.json"):
        data = corpus_path("formats", "insights-hub", "synthetic", name).read_bytes()
        assert FMT.sniff(name, data)
    assert FMT.sniff("x.json", (DATA / "list-response.json").read_bytes())
    assert not FMT.sniff("x.json", b'{"assetModels": []}')
    assert not FMT.sniff("x.json", b'{"submodels": [], "modelType": "Submodel"}')


def test_every_data_type_maps_to_its_xsd_type() -> None:
    env, report = read((DATA / "all-datatypes.json").read_bytes())
    assert not report.has_errors
    (submodel,) = env["submodels"]
    assert submodel["kind"] == "Template"
    elements = props(submodel)
    types = {k: (v["valueType"], v.get("value")) for k, v in elements.items()}
    assert types == {
        "Enabled": ("xs:boolean", "true"), "Axes": ("xs:int", "3"),
        "OperatingSeconds": ("xs:long", "31536000000"), "NominalPower": ("xs:double", "7.5"),
        "Model": ("xs:string", "MX-500"), "Notes": ("xs:string", "commissioned 2021"),
        "Commissioned": ("xs:dateTime", "2021-04-01T08:00:00+00:00"),
        "Pressure": ("xs:double", None),
    }
    assert all(e["category"] == "PARAMETER" for e in elements.values())  # static
    assert exts(elements["Notes"])["src:insights-hub:dataType"] == "BIG_STRING"
    assert quals(elements["Notes"])["insights-hub:length"] == "20000"
    assert quals(elements["Model"]) == {"insights-hub:length": "40",
                                        "insights-hub:searchable": "true"}
    assert quals(elements["Pressure"]) == {"insights-hub:qualityCode": "true"}
    # a non-string JSON default keeps its JSON type for the way back
    assert exts(elements["Enabled"])["src:insights-hub:defaultValue"] == "true"
    units = {c["idShort"]: c["embeddedDataSpecifications"][0]["dataSpecificationContent"]
             .get("unit") for c in env["conceptDescriptions"]}
    assert units["NominalPower"] == "kW" and units["Axes"] is None


def test_dynamic_aspects_are_variables() -> None:
    data = corpus_path("formats", "insights-hub", "synthetic", "aspecttype.spindle.json")
    env, _ = read(data.read_bytes())
    (submodel,) = env["submodels"]
    assert {e["category"] for e in submodel["submodelElements"]} == {"VARIABLE"}
    assert exts(submodel)["src:insights-hub:category"] == "dynamic"
    cds = {c["idShort"]: c["embeddedDataSpecifications"][0]["dataSpecificationContent"]
           for c in env["conceptDescriptions"]}
    assert cds["Speed"]["unitId"]["keys"][0]["value"].endswith(":RPM")
    assert cds["Temperature"]["unitId"]["keys"][0]["value"].endswith(":CEL")


def test_parent_chains_are_flattened_and_marked() -> None:
    env, report = read((DATA / "inheritance.json").read_bytes())
    shells = {s["idShort"]: s for s in env["assetAdministrationShells"]}
    servo = shells["ServoPress"]
    assert servo["derivedFrom"]["keys"][0]["value"].endswith("assettype/demotenant.Press")
    submodels = {s["id"]: s for s in env["submodels"]}
    # (the object model keeps a shell's submodel references as a set: compare by name)
    mine = {s["idShort"]: s for s in (submodels[r["keys"][0]["value"]]
                                      for r in servo["submodels"])}
    assert set(mine) == {"Variables", "Nameplate", "Hydraulics", "MainServo"}
    variables = props(mine["Variables"])
    assert list(variables) == ["externalId", "InstallationYear", "MaxForce"]
    assert exts(variables["externalId"])["src:insights-hub:inheritedFrom"] == "core.basicasset"
    assert exts(variables["MaxForce"])["src:insights-hub:inheritedFrom"] == "demotenant.Press"
    assert exts(mine["Nameplate"])["src:insights-hub:inheritedFrom"] == "demotenant.Machine"
    servo_aspect = mine["MainServo"]
    assert "src:insights-hub:inheritedFrom" not in exts(servo_aspect)
    assert [e["idShort"] for e in servo_aspect["submodelElements"]] == ["Position", "Current"]
    assert servo_aspect["semanticId"]["keys"][0]["value"].endswith(
        "aspecttype/demotenant.Servo")
    flattened = [i for i in report.issues if i.code.value == "INHERITANCE_FLATTENED"]
    assert "demotenant.Press -> demotenant.Machine -> core.basicasset" in flattened[-1].message


def test_aspect_types_are_found_beside_the_file() -> None:
    path = corpus_path("formats", "insights-hub", "synthetic", "assettype.millingmachine.json")
    env, report = read(path.read_bytes(), path, (path.parent,))
    spindle = next(s for s in env["submodels"] if s["idShort"] == "MainSpindle")
    assert [e["idShort"] for e in spindle["submodelElements"]] == [
        "Speed", "Load", "Temperature", "ToolId"]
    assert "demotenant.Spindle" in report.meta["insightsHub"]["resolvedFromSearchPaths"]
    _, report = read(path.read_bytes(), path, ())
    (missing,) = [i for i in report.issues if i.code.value == "DEPENDENCY_MISSING"]
    assert missing.source == "/aspects/0/aspectTypeId"
    assert missing.severity.value == "lossy"


def test_unknown_parent_is_a_missing_dependency() -> None:
    _, report = read({"id": "t.Robot", "name": "Robot", "parentTypeId": "t.Unknown",
                      "variables": []})
    (missing,) = [i for i in report.issues if i.code.value == "DEPENDENCY_MISSING"]
    assert missing.source == "/parentTypeId" and missing.original == "t.Unknown"
    assert not report.has_errors


def test_a_cycle_is_reported_once() -> None:
    _, report = read((DATA / "cyclic-parents.json").read_bytes())
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert len(errors) == 1 and errors[0].line == 3


def test_missing_ids_are_derived_with_a_tenant() -> None:
    env, report = read((DATA / "missing-id.json").read_bytes(), tenant="plant7")
    assert not report.has_errors
    assert exts(env["submodels"][0])["src:insights-hub:id"] == "plant7.Tooling"
    assert report.codes()["ID_DERIVED"] == 1


@pytest.mark.parametrize(("doc", "pointer", "text"), [
    ("nope", "", "the top-level value is a string"),
    ({"name": "X", "variables": []}, "", "neither an aspect type"),
    ({"id": "bad id", "name": "X", "category": "static"}, "/id", "must have 1 to 128"),
    ({"id": "t.X", "name": "X", "category": "static",
      "variables": [{"name": "a b", "dataType": "INT"}]}, "/variables/0/name", "must have"),
    ({"id": "t.X", "name": "X", "category": "static",
      "variables": [{"name": "s", "dataType": "STRING", "length": 300}]},
     "/variables/0/length", "at most 255"),
    ({"id": "t.X", "name": "X", "category": "static",
      "variables": [{"name": "b", "dataType": "BIG_STRING", "length": 60000},
                    {"name": "c", "dataType": "BIG_STRING", "length": 60000}]},
     "/variables", "add up to 120000"),
    ({"id": "t.A", "name": "A", "parentTypeId": "core.basicasset",
      "aspects": [{"name": "x"}, {"name": "x", "aspectTypeId": "t.B"}]},
     "/aspects/0", "'aspectTypeId' is required"),
    ([{"id": "t.A", "name": "A", "category": "static"},
      {"id": "t.a", "name": "A2", "category": "static"}], "/1/id", "duplicate aspect type id"),
])
def test_invalid_documents_are_located_errors(doc: Any, pointer: str, text: str) -> None:
    env, report = read(doc)
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert any(i.source == pointer and text in i.message for i in errors), errors
    assert not env.get("submodels")


def _generic() -> dict[str, Any]:
    return {
        "assetAdministrationShells": [{
            "modelType": "AssetAdministrationShell", "id": "urn:x:aas", "idShort": "Pump",
            "assetInformation": {"assetKind": "Type", "globalAssetId": "urn:x:asset"},
            "submodels": [{"type": "ModelReference",
                           "keys": [{"type": "Submodel", "value": "urn:x:sm"}]}]}],
        "submodels": [{"modelType": "Submodel", "id": "urn:x:sm", "idShort": "Operation",
                       "submodelElements": [
                           {"modelType": "Property", "idShort": "Flow", "category": "VARIABLE",
                            "valueType": "xs:float"},
                           {"modelType": "Property", "idShort": "Made", "valueType": "xs:date",
                            "value": "2020-01-01"},
                           {"modelType": "SubmodelElementCollection", "idShort": "Motor",
                            "value": [{"modelType": "Property", "idShort": "Power",
                                       "valueType": "xs:unsignedLong", "value": "5"}]},
                           {"modelType": "ReferenceElement", "idShort": "Manual"}]}],
    }


def test_writing_any_aas_makes_asset_and_aspect_types() -> None:
    data, report = FMT.write(environment_from_jsonable(_generic()),
                             ConvertOptions(extra={"tenant": "plant7"}))
    doc = json.loads(data)
    (asset,) = doc["assetTypes"]
    assert asset["id"] == "plant7.Pump" and asset["parentTypeId"] == "core.basicasset"
    assert asset["aspects"] == [{"name": "Operation", "aspectTypeId": "plant7.Operation"}]
    (aspect,) = doc["aspectTypes"]
    assert aspect["category"] == "dynamic"  # it holds a VARIABLE
    variables = {v["name"]: v for v in aspect["variables"]}
    assert variables["Flow"]["dataType"] == "DOUBLE"
    assert variables["Made"]["dataType"] == "STRING"
    assert variables["Motor_Power"]["dataType"] == "LONG"
    codes: dict[str, set[str]] = {}
    for issue in report.issues:
        codes.setdefault(issue.target or "", set()).add(issue.code.value)
    assert "TYPE_WIDENED" in codes["urn:x:sm#Flow"]
    assert "TYPE_NARROWED" in codes["urn:x:sm#Motor.Power"]
    assert "DROPPED" in codes["urn:x:sm#Motor"]  # flattened
    assert "DROPPED" in codes["urn:x:sm#Manual"]
    assert "ID_DERIVED" in codes["urn:x:aas"]


def test_writing_is_deterministic_and_reads_back() -> None:
    env = environment_from_jsonable(_generic())
    first, _ = FMT.write(env, ConvertOptions())
    second, _ = FMT.write(env, ConvertOptions())
    assert first == second
    again, report = read(first)
    assert not report.has_errors
    assert {s["idShort"] for s in again["submodels"]} >= {"Operation", "Variables"}
