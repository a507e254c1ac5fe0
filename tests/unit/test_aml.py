"""The AutomationML format: general CAEX -> AAS, and the AAS-in-AML profile both ways."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.io import environment_from_jsonable, environment_to_jsonable
from omp_models.formats import (
    Code,
    ConversionReport,
    ConvertOptions,
    IssueSeverity,
    Source,
    get_format,
    sniff_format,
)
from omp_models.formats.automationml._caex import validate_bytes
from omp_models.formats.automationml._profile import MARKER
from tests.conftest import corpus_path

ROLE = "urn:automationml:caex:RoleClass:"
SUC = "urn:automationml:caex:SystemUnitClass:"


def read(data: bytes, name: str = "plant.aml", path: Path | None = None,
         **extra: str) -> tuple[dict[str, Any], ConversionReport]:
    env, report = get_format("aml").read(Source(name, data, path), ConvertOptions(extra=extra))
    return environment_to_jsonable(env), report


def elements(env: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(prefix: str, items: list[dict[str, Any]]) -> None:
        for item in items:
            path = f"{prefix}/{item.get('idShort')}"
            out[path] = item
            value = item.get("value")
            if isinstance(value, list) and value and "modelType" in value[0]:
                walk(path, value)

    for sm in env.get("submodels", []):
        walk(sm["idShort"], sm.get("submodelElements", []))
    return out


def sid(item: dict[str, Any]) -> str:
    return str(item["semanticId"]["keys"][0]["value"])


def sids(item: dict[str, Any]) -> list[str]:
    return [sid(item)] + [str(s["keys"][0]["value"])
                          for s in item.get("supplementalSemanticIds", [])]


# A small CAEX 3.0 plant (written for these tests): classes with inheritance, an instance
# with typed attributes, units, constraints, an external data reference and a link.
PLANT = b"""<?xml version="1.0" encoding="utf-8"?>
<CAEXFile xmlns="http://www.dke.de/CAEX" SchemaVersion="3.0" FileName="plant.aml">
  <SourceDocumentInformation OriginName="t" OriginID="t" OriginVersion="1"
      LastWritingDateTime="2024-01-01T00:00:00Z"/>
  <InstanceHierarchy Name="Plant">
    <InternalElement Name="Robot 1" ID="r1" RefBaseSystemUnitPath="Units/Robot">
      <Description>The welding robot</Description>
      <Attribute Name="Payload" AttributeDataType="xs:double" Unit="kg">
        <Value>12.5</Value>
        <RefSemantic CorrespondingAttributePath="0173-1#02-AAB713#005"/>
      </Attribute>
      <Attribute Name="Axes" AttributeDataType="xs:int"><Value>six</Value></Attribute>
      <Attribute Name="Mode" AttributeDataType="xs:string">
        <DefaultValue>Auto</DefaultValue>
        <Constraint Name="Modes"><NominalScaledType>
          <RequiredValue>Auto</RequiredValue><RequiredValue>Manual</RequiredValue>
        </NominalScaledType></Constraint>
      </Attribute>
      <Attribute Name="Frame">
        <Attribute Name="x" AttributeDataType="xs:double"><Value>1</Value></Attribute>
      </Attribute>
      <Attribute Name="Reach" AttributeDataType="xs:double" RefAttributeType="Types/Length">
        <Value>1.2</Value>
      </Attribute>
      <ExternalInterface Name="Geometry" ID="g1" RefBaseClassPath="Ifaces/COLLADA">
        <Attribute Name="refURI" AttributeDataType="xs:anyURI">
          <Value>geometry/robot.dae</Value>
        </Attribute>
      </ExternalInterface>
      <ExternalInterface Name="Power" ID="p1" RefBaseClassPath="Ifaces/Energy"/>
      <RoleRequirements RefBaseRoleClassPath="Roles/Robot"/>
    </InternalElement>
    <InternalElement Name="Supply" ID="s1">
      <ExternalInterface Name="Power" ID="p2" RefBaseClassPath="Ifaces/Energy"/>
      <InternalLink Name="cable" RefPartnerSideA="r1:Power" RefPartnerSideB="p2"/>
      <InternalLink Name="loose" RefPartnerSideA="r1:Nothing" RefPartnerSideB="p2"/>
      <RoleRequirements RefBaseRoleClassPath="Roles/Resource"/>
    </InternalElement>
  </InstanceHierarchy>
  <InterfaceClassLib Name="Ifaces">
    <InterfaceClass Name="Base"/>
    <InterfaceClass Name="ExternalDataConnector" RefBaseClassPath="Base">
      <Attribute Name="refURI" AttributeDataType="xs:anyURI"/>
    </InterfaceClass>
    <InterfaceClass Name="COLLADA" RefBaseClassPath="Ifaces/ExternalDataConnector"/>
    <InterfaceClass Name="Energy" RefBaseClassPath="Base"/>
  </InterfaceClassLib>
  <RoleClassLib Name="Roles">
    <RoleClass Name="Resource">
      <Description>A resource</Description>
      <Attribute Name="Owner" AttributeDataType="xs:string"/>
      <RoleClass Name="Robot" RefBaseClassPath="Roles/Resource">
        <Attribute Name="Payload" AttributeDataType="xs:double" Unit="kg"/>
      </RoleClass>
    </RoleClass>
  </RoleClassLib>
  <SystemUnitClassLib Name="Units">
    <SystemUnitClass Name="Robot">
      <SupportedRoleClass RefRoleClassPath="Roles/Robot"/>
    </SystemUnitClass>
  </SystemUnitClassLib>
  <AttributeTypeLib Name="Types">
    <AttributeType Name="Length" AttributeDataType="xs:double" Unit="m"/>
  </AttributeTypeLib>
</CAEXFile>
"""


def test_sniff() -> None:
    assert sniff_format("plant.aml", PLANT[:300]) is get_format("aml")
    assert not get_format("aml").sniff("x.xml", b"<MTConnectDevices/>")


def test_plant_is_valid_caex() -> None:
    assert validate_bytes(PLANT) == []


def test_instance_hierarchy() -> None:
    env, report = read(PLANT)
    assert not report.has_errors
    items = elements(env)
    robot = items["Plant/Robot_1"]
    assert robot["modelType"] == "SubmodelElementCollection"
    assert sids(robot) == [f"{ROLE}Roles/Robot", f"{SUC}Units/Robot"]
    assert robot["description"] == [{"language": "en", "text": "The welding robot"}]
    payload = items["Plant/Robot_1/Payload"]
    assert (payload["valueType"], payload["value"]) == ("xs:double", "12.5")
    assert sid(payload) == "0173-1#02-AAB713#005"
    spec = payload["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert spec["unit"] == "kg" and spec["unitId"]["keys"][0]["value"].endswith(":KGM")
    mode = items["Plant/Robot_1/Mode"]
    assert mode["value"] == "Auto"  # the DefaultValue
    assert mode["qualifiers"] == [{"kind": "ConceptQualifier", "type": "aml:Constraint:Modes",
                                   "valueType": "xs:string", "value": "Auto | Manual"}]
    assert items["Plant/Robot_1/Frame"]["modelType"] == "SubmodelElementCollection"
    assert items["Plant/Robot_1/Frame/x_"]["value"] == "1.0"
    geometry = items["Plant/Robot_1/Geometry"]
    assert geometry["modelType"] == "File"
    assert (geometry["value"], geometry["contentType"]) == (
        "geometry/robot.dae", "model/vnd.collada+xml")
    cable = items["Plant/Supply/cable"]
    assert [k["value"] for k in cable["first"]["keys"]][1:] == ["Robot_1", "Power"]
    assert [k["value"] for k in cable["second"]["keys"]][1:] == ["Supply", "Power"]
    assert "Plant/Supply/loose" not in items
    codes = {(i.code, i.severity) for i in report}
    assert (Code.VALUE_UNCONVERTIBLE, IssueSeverity.LOSSY) in codes  # xs:int "six"
    assert (Code.DROPPED, IssueSeverity.LOSSY) in codes  # the loose link
    assert (Code.IDSHORT_RENAMED, IssueSeverity.INFO) in codes  # "Robot 1"
    assert "Plant/Robot_1/Axes" in items and "value" not in items["Plant/Robot_1/Axes"]


def test_class_libraries_are_templates_with_inheritance_flattened() -> None:
    env, report = read(PLANT)
    kinds = {sm["idShort"]: sm.get("kind", "Instance") for sm in env["submodels"]}
    assert kinds == {"Plant": "Instance", "Ifaces": "Template", "Roles": "Template",
                     "Units": "Template", "Types": "Template"}
    items = elements(env)
    length = items["Types/Length"]
    assert (length["valueType"], sid(length)) == (
        "xs:double", "urn:automationml:caex:AttributeType:Types/Length")
    assert sid(items["Plant/Robot_1/Reach"]) == sid(length)
    robot_role = items["Roles/Resource_Robot"]
    assert sids(robot_role) == [f"{ROLE}Roles/Resource/Robot", f"{ROLE}Roles/Resource"]
    assert [p["idShort"] for p in robot_role["value"]] == ["Owner", "Payload"]
    assert any(i.code is Code.INHERITANCE_FLATTENED for i in report)
    cds = {cd["id"]: cd for cd in env["conceptDescriptions"]}
    content = cds[f"{ROLE}Roles/Resource"]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"]
    assert content["definition"] == [{"language": "en", "text": "A resource"}]


def test_malformed_corpus_file_is_a_located_error() -> None:
    path = corpus_path("formats", "automationml", "AML-UA-XSLT", "TestData_AML",
                       "ARAPCAllClassLibsV_1_2_1.aml")
    env, report = read(path.read_bytes(), path.name, path)
    assert env == {} and report.has_errors
    (issue,) = report.issues
    assert (issue.code, issue.line, issue.column) == (Code.INVALID_INPUT, 15, 54)
    assert "not well-formed" in issue.message


def test_doctype_and_non_caex_are_refused() -> None:
    _, report = read(b'<?xml version="1.0"?>\n<!DOCTYPE CAEXFile [<!ENTITY x "y">]>\n<CAEXFile/>')
    assert report.has_errors and "DOCTYPE" in report.issues[0].message
    _, report = read(b"<Other/>")
    assert report.has_errors and "CAEXFile" in report.issues[0].message


def test_schema_violations_are_located() -> None:
    broken = PLANT.replace(b'<Attribute Name="Frame">', b'<Attribute Name="Frame" Bad="1">')
    _, report = read(broken)
    found = [i for i in report if i.code is Code.INVALID_INPUT]
    assert len(found) == 1 and found[0].line == 19 and "Bad" in found[0].message
    assert not report.has_errors
    assert read(broken, schema="error")[1].has_errors


def test_missing_external_library_is_reported() -> None:
    path = corpus_path("formats", "automationml", "AML-UA-XSLT", "TestData_AML",
                       "Test3_IH_IE_ExtInt.aml")
    env, report = read(path.read_bytes(), path.name, path)
    missing = [i for i in report if i.code is Code.DEPENDENCY_MISSING]
    assert [i.line for i in missing] == [31, 32]
    energy = elements(env)["MyInterfaces/Energy"]
    assert sids(energy)[-1] == (
        "urn:automationml:caex:InterfaceClass:AutomationMLInterfaceClassLib/"
        "AutomationMLBaseInterface")


SMALL = {
    "assetAdministrationShells": [{
        "modelType": "AssetAdministrationShell", "id": "urn:x:aas", "idShort": "Shell",
        "assetInformation": {"assetKind": "Instance", "globalAssetId": "urn:x:asset"},
        "submodels": [{"type": "ModelReference",
                       "keys": [{"type": "Submodel", "value": "urn:x:sm"}]}]}],
    "submodels": [{
        "modelType": "Submodel", "id": "urn:x:sm", "idShort": "Data",
        "submodelElements": [
            {"modelType": "Property", "idShort": "Flag", "valueType": "xs:boolean",
             "value": "false", "semanticId": {"type": "ExternalReference", "keys": [
                 {"type": "GlobalReference", "value": "0173-1#02-ABC123#001"}]}},
            {"modelType": "SubmodelElementList", "idShort": "Values", "orderRelevant": False,
             "typeValueListElement": "Property", "valueTypeListElement": "xs:string",
             "value": [{"modelType": "Property", "valueType": "xs:string", "value": " a\r\nb "},
                       {"modelType": "Property", "valueType": "xs:string", "value": ""}]},
            {"modelType": "MultiLanguageProperty", "idShort": "Name",
             "value": [{"language": "de", "text": "Größe <&>"},
                       {"language": "en", "text": "Size"}]},
        ]}],
}


def test_profile_round_trip_and_schema() -> None:
    aml = get_format("aml")
    env = environment_from_jsonable(SMALL)
    data, report = aml.write(env, ConvertOptions())
    assert not report.issues
    assert validate_bytes(data) == []
    assert MARKER.encode() in data and b'AttributeDataType="xs:boolean"' in data
    assert b'<RefSemantic CorrespondingAttributePath="0173-1#02-ABC123#001"/>' in data
    assert aml.write(env, ConvertOptions())[0] == data
    back, read_report = aml.read(Source("x.aml", data), ConvertOptions())
    assert read_report.meta["profile"] == "aas-in-aml" and not read_report.issues
    assert json.dumps(environment_to_jsonable(back), sort_keys=True) == json.dumps(
        environment_to_jsonable(env), sort_keys=True)


@pytest.mark.parametrize("tamper", [
    (b"RefBaseRoleClassPath=\"AssetAdministrationShellRoleClassLib/Property\"",
     b"RefBaseRoleClassPath=\"Elsewhere/Property\""),
])
def test_profile_element_without_role_is_reported(tamper: tuple[bytes, bytes]) -> None:
    data, _ = get_format("aml").write(environment_from_jsonable(SMALL), ConvertOptions())
    env, report = read(data.replace(*tamper, 1))
    lost = [i for i in report if i.code is Code.INVALID_INPUT]
    assert len(lost) == 1 and lost[0].line is not None
    assert [e["idShort"] for e in env["submodels"][0]["submodelElements"]] == [
        "Values", "Name"]


def test_bundled_schemas_are_the_documented_upstream_files() -> None:
    folder = Path(__file__).resolve().parents[2] / "omp_models/formats/automationml/_xsd"
    table = dict(re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$",
                            (folder / "README.md").read_text(encoding="utf-8"), re.MULTILINE))
    assert sorted(table) == ["CAEX_ClassModel_V.3.0.xsd", "CAEX_ClassModel_V2.15.xsd"]
    for name, digest in table.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
