"""DTDL <-> AAS mapping details (the table in docs/formats/dtdl.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import Code, ConversionReport, ConvertOptions, Source, get_format
from omp_models.formats.dtdl import escape_to_dtmi, unescape_dtmi
from omp_models.formats.dtdl._aas_parts import DtdlUnit, resolve_unit
from omp_models.formats.dtdl._annotation import CONTINUATION, MARKER, decode, encode
from tests.conftest import ROOT, corpus_path

PRESS_LINE = ROOT / "tests" / "data" / "dtdl" / "press-line.json"
NAMEPLATE = ("templates", "published", "Digital nameplate", "3", "0", "1",
             "IDTA 02006-3-0-1_Template_Digital Nameplate.json")


def by_id_short(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["idShort"]: e for e in elements}


def ext(element: dict[str, Any], name: str) -> str | None:
    for item in element.get("extensions", []):
        if item["name"] == f"src:dtdl:{name}":
            return str(item["value"])
    return None


@pytest.fixture(scope="module")
def press_line() -> tuple[dict[str, Any], ConversionReport]:
    fmt = get_format("dtdl")
    env, report = fmt.read(Source("press-line.json", PRESS_LINE.read_bytes()),
                           ConvertOptions())
    assert not report.has_errors, report.issues
    return environment_to_jsonable(env), report


def test_interfaces_become_submodel_templates(press_line: tuple[dict[str, Any], Any]) -> None:
    env, _ = press_line
    submodels = {s["id"]: s for s in env["submodels"]}
    sub = submodels["dtmi:com:example:omp:PressLine;1"]
    assert sub["kind"] == "Template"
    assert sub["semanticId"]["keys"][0]["value"] == "dtmi:com:example:omp:PressLine;1"
    assert [r["keys"][0]["value"] for r in sub["supplementalSemanticIds"]] == [
        "dtmi:com:example:omp:Machine;1"]
    assert {d["language"]: d["text"] for d in sub["displayName"]} == {
        "en": "Press line", "de": "Pressenlinie"}
    assert ext(sub, "comment") == "Example model of the omp-toolkit test suite."
    assert json.loads(ext(sub, "extends") or "[]") == ["dtmi:com:example:omp:Machine;1"]


def test_contents_map_by_kind_and_schema(press_line: tuple[dict[str, Any], Any]) -> None:
    env, _ = press_line
    sub = next(s for s in env["submodels"] if s["idShort"] == "PressLine")
    elements = by_id_short(sub["submodelElements"])
    oil = elements["oilTemperature"]
    assert (oil["modelType"], oil["valueType"], oil["category"]) == (
        "Property", "xs:double", "VARIABLE")
    assert ext(oil, "type") == "Telemetry" and ext(oil, "unit") == "degreeCelsius"
    assert oil["semanticId"]["keys"][0]["value"] == \
        "dtmi:com:example:omp:PressLine:_contents:__oilTemperature;1"
    pressure = elements["nominalPressure"]
    assert pressure["category"] == "PARAMETER"
    assert pressure["qualifiers"][0]["type"] == "dtdl:writable"
    assert elements["tooling"]["modelType"] == "SubmodelElementCollection"
    assert [c["idShort"] for c in elements["tooling"]["value"]] == [
        "dieId", "strokes", "lastChange"]
    curve = elements["forceCurve"]
    assert (curve["modelType"], curve["valueTypeListElement"]) == (
        "SubmodelElementList", "xs:double")
    assert elements["settings"]["modelType"] == "SubmodelElementCollection"
    assert json.loads(ext(elements["settings"], "schema") or "{}")["@type"] == "Map"
    mode = json.loads(ext(elements["mode"], "schema") or "{}")
    assert mode["@id"] == "dtmi:com:example:omp:PressLine:Mode;1"
    assert [v["enumValue"] for v in mode["enumValues"]] == ["SETUP", "AUTO"]
    stroke = elements["startStroke"]
    assert stroke["modelType"] == "Operation"
    assert stroke["inputVariables"][0]["value"]["idShort"] == "strokes"
    assert stroke["outputVariables"][0]["value"]["valueType"] == "xs:boolean"
    feeds = elements["feeds"]
    assert feeds["modelType"] == "AnnotatedRelationshipElement"
    assert feeds["second"]["keys"][0]["value"] == "dtmi:com:example:omp:Machine;1"
    assert {q["type"]: q.get("value") for q in feeds["qualifiers"]} == {
        "dtdl:maxMultiplicity": "3"}
    feeder = elements["feeder"]
    assert feeder["semanticId"]["keys"][0]["value"] == "dtmi:com:example:omp:Machine;1"
    assert [c["idShort"] for c in feeder["value"]] == ["serialNumber"]
    inherited = elements["serialNumber"]
    assert ext(inherited, "inheritedFrom") == "dtmi:com:example:omp:Machine;1"


def test_units_become_iec61360_concept_descriptions(
        press_line: tuple[dict[str, Any], ConversionReport]) -> None:
    env, report = press_line
    concepts = {c["id"]: c for c in env["conceptDescriptions"]}
    oil = concepts["dtmi:com:example:omp:PressLine:_contents:__oilTemperature;1"]
    content = oil["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert content["unit"] == "°C"
    assert content["unitId"]["keys"][0]["value"] == "urn:un:unece:uncefact:rec20:CEL"
    angle = concepts["dtmi:com:example:omp:PressLine:_contents:__crankAngle;1"]
    angle_content = angle["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert angle_content["unitId"]["keys"][0]["value"] == "urn:un:unece:uncefact:rec20:DD"
    assert not [i for i in report.issues if i.code is Code.UNIT_UNRESOLVED]
    codes = report.codes()
    assert codes["TELEMETRY_AS_SNAPSHOT"] == 3 and codes["INHERITANCE_FLATTENED"] == 1


def test_units_resolve_by_name_never_by_a_lookalike_symbol() -> None:
    resolved = resolve_unit(DtdlUnit("metrePerSecondSquared", "metre per second squared",
                                     "m/s²"))
    assert resolved is not None and resolved.code == "MSK"
    assert resolve_unit(DtdlUnit("gForce", "g-force", "g")) is None  # "g" is gram


def test_aas_ids_are_escaped_to_dtmis_and_reported() -> None:
    path = corpus_path(*NAMEPLATE)
    env, _ = get_format("aas-json").read(Source(path.name, path.read_bytes()),
                                         ConvertOptions())
    out, report = get_format("dtdl").write(env, ConvertOptions())
    (interface,) = json.loads(out)
    sub_id = "https://admin-shell.io/idta/SubmodelTemplate/DigitalNameplate/3/0"
    assert interface["@id"] == escape_to_dtmi(sub_id)
    assert unescape_dtmi(interface["@id"]) == sub_id
    escaped = [i for i in report.issues if i.code is Code.ID_ESCAPED]
    assert [(i.original, i.target) for i in escaped] == [(sub_id, interface["@id"])]
    contents = {c["name"]: c for c in interface["contents"]}
    name = contents["ManufacturerName"]
    assert name["schema"]["@type"] == "Map"  # a MultiLanguageProperty
    annotation = decode(name["comment"], name.get("description"), name.get("displayName"))
    assert annotation is not None
    assert "t" not in annotation  # a Map is a MultiLanguageProperty unless said otherwise
    assert annotation["semanticId"] == "0112/2///61987#ABA565#009"
    assert annotation["qualifiers"] == [
        ["SMT/Cardinality", "xs:string", "One", "T",
         "https://admin-shell.io/SubmodelTemplates/Cardinality/1/0"]]
    lost = {i.message.split(" has no DTDL")[0] for i in report.issues
            if i.code is Code.DROPPED}
    assert any(m.startswith("the shell ") for m in lost)
    assert sum(m.startswith("the concept description ") for m in lost) == 30


def test_long_annotations_continue_in_description_and_display_name() -> None:
    data = {"qualifiers": [["SMT/Cardinality", "xs:string", "One", "T", "x" * 200]] * 5}
    parts, dropped = encode(data, (512, 512, 512))
    assert dropped == [] and len(parts) == 3 and parts[0].startswith(MARKER)
    assert decode(parts[0], {CONTINUATION: parts[1]}, {CONTINUATION: parts[2]}) == data
    parts, dropped = encode(data, (100,))
    assert dropped == ["qualifiers"] and parts == []
