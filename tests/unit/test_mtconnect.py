"""The MTConnect reader: semanticId scheme, units, schema check, devices, streams."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import (
    Code,
    ConversionReport,
    ConvertOptions,
    IssueSeverity,
    Source,
    get_format,
    sniff_format,
)
from omp_models.formats.mtconnect._semantics import type_from_element_name
from omp_models.formats.mtconnect._units import MTCONNECT_UNITS, resolve_unit
from omp_models.units import units
from tests.conftest import corpus_path

XSD = Path(__file__).resolve().parents[2] / "omp_models" / "formats" / "mtconnect" / "_xsd"
MTC = "urn:mtconnect.org:MTConnectDevices"
TSD = "https://admin-shell.io/idta/TimeSeries/"


def read(data: bytes, name: str = "doc.xml", path: Path | None = None,
         **extra: str) -> tuple[dict[str, Any], ConversionReport]:
    options = ConvertOptions(search_paths=(path.parent,) if path else (), extra=extra)
    env, report = get_format("mtconnect").read(Source(name, data, path), options)
    return environment_to_jsonable(env), report


def elements(env: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every submodel element by idShort path (``Submodel/Coll/Prop``)."""
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


def semantic(item: dict[str, Any]) -> str:
    return str(item["semanticId"]["keys"][0]["value"])


def ext(item: dict[str, Any], name: str) -> str | None:
    return next((e.get("value") for e in item.get("extensions", [])
                 if e["name"] == f"src:mtconnect:{name}"), None)


DEVICES = b"""<?xml version="1.0" encoding="UTF-8"?>
<MTConnectDevices xmlns="urn:mtconnect.org:MTConnectDevices:2.7">
  <Header creationTime="2024-01-01T00:00:00Z" sender="t" instanceId="1" version="2.7"
          bufferSize="10" assetBufferSize="1" assetCount="0"
          deviceModelChangeTime="2024-01-01T00:00:00Z"/>
  <Devices>
    <Device id="d1" uuid="mill-1" name="Mill">
      <Description manufacturer="ACME" serialNumber="42">A mill</Description>
      <DataItems>
        <DataItem id="avail" type="AVAILABILITY" category="EVENT"/>
      </DataItems>
      <Components>
        <Axes id="ax">
          <Components>
            <Linear id="x" name="X">
              <DataItems>
                <DataItem id="xpos" name="Xpos" type="POSITION" subType="ACTUAL"
                          category="SAMPLE" units="MILLIMETER" nativeUnits="INCH"
                          compositionId="xmotor">
                  <Constraints><Minimum>0</Minimum><Maximum>500</Maximum></Constraints>
                </DataItem>
                <DataItem id="xload" type="LOAD" category="SAMPLE" units="PERCENT"/>
                <DataItem id="xtemp" type="TEMPERATURE" category="CONDITION"/>
              </DataItems>
              <Compositions><Composition id="xmotor" type="MOTOR"/></Compositions>
            </Linear>
          </Components>
        </Axes>
        <Controller id="ctl">
          <References>
            <DataItemRef idRef="xpos" name="xref"/>
            <ComponentRef idRef="nowhere"/>
          </References>
          <Configuration>
            <Relationships>
              <ComponentRelationship id="rel" idRef="x" type="PEER" criticality="CRITICAL"/>
            </Relationships>
          </Configuration>
        </Controller>
      </Components>
    </Device>
  </Devices>
</MTConnectDevices>
"""


def test_every_unit_of_the_27_schema_is_mapped() -> None:
    schema = etree.fromstring(gzip.decompress((XSD / "MTConnectDevices_2.7.xsd.gz").read_bytes()))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    vocab = {e.get("value") for st in schema.iter(f"{xs}simpleType")
             if st.get("name") in ("UnitsEnum", "NativeUnitsEnum")
             for e in st.iter(f"{xs}enumeration")}
    assert len(vocab) == 97
    assert vocab == set(MTCONNECT_UNITS)
    for name, code in MTCONNECT_UNITS.items():
        assert code is None or units().by_code(code) is not None, name


@pytest.mark.parametrize(("unit", "code"), [
    ("MILLIMETER", "MMT"), ("MILLIMETER_3D", "MMT"), ("REVOLUTION/MINUTE", "RPM"),
    ("CELSIUS", "CEL"), ("PERCENT", "P1"), ("INCH/REVOLUTION", "H57"), ("COUNT/SECOND", "C97"),
])
def test_units(unit: str, code: str) -> None:
    found = resolve_unit(unit)
    assert found is not None and found.code == code


@pytest.mark.parametrize("unit", ["MILLIMETER/REVOLUTION", "OTHER", "CELCIUS", "KILOAMPERE"])
def test_units_without_rec20_code(unit: str) -> None:
    assert resolve_unit(unit) is None


@pytest.mark.parametrize(("name", "type_"), [
    ("PathFeedrate", "PATH_FEEDRATE"), ("Position", "POSITION"), ("PartId", "PART_ID"),
    ("SpindleSpeed", "SPINDLE_SPEED"), ("AssetChanged", "ASSET_CHANGED"),
])
def test_type_from_streams_element_name(name: str, type_: str) -> None:
    assert type_from_element_name(name) == type_


def test_sniff() -> None:
    assert sniff_format("Devices.xml", DEVICES[:200]) is get_format("mtconnect")
    assert not get_format("mtconnect").sniff("x.xml", b"<environment/>")


def test_device_model() -> None:
    env, report = read(DEVICES)
    assert not report.has_errors
    shell = env["assetAdministrationShells"][0]
    assert shell["assetInformation"]["globalAssetId"] == "mill-1"
    assert shell["id"] == "urn:omp-toolkit:mtconnect/device/mill-1"
    items = elements(env)
    xpos = items["MTConnectDevice/Axes/X_/Xpos"]
    assert xpos["modelType"] == "Property" and xpos["valueType"] == "xs:double"
    assert semantic(xpos) == f"{MTC}:DataItem:SAMPLE:POSITION:ACTUAL"
    assert xpos["supplementalSemanticIds"][0]["keys"][0]["value"] == (
        f"{MTC}:DataItem:SAMPLE:POSITION")
    assert {q["type"]: q["value"] for q in xpos["qualifiers"]} == {
        "mtconnect:Minimum": "0", "mtconnect:Maximum": "500"}
    assert ext(xpos, "nativeUnits") == "INCH" and ext(xpos, "id") == "xpos"
    composition = next(e for e in xpos["extensions"] if e["name"].endswith("compositionId"))
    assert [k["value"] for k in composition["refersTo"][0]["keys"]][-2:] == [
        "Compositions", "MOTOR"]
    assert semantic(items["MTConnectDevice/avail"]).endswith("DataItem:EVENT:AVAILABILITY")
    condition = items["MTConnectDevice/Axes/X_/xtemp"]
    assert condition["modelType"] == "SubmodelElementCollection"
    assert condition["value"][0]["idShort"] == "State"
    description = items["MTConnectDevice/Description"]
    assert {p["idShort"]: p.get("value") for p in description["value"]} == {
        "manufacturer": "ACME", "serialNumber": "42", "Value": "A mill"}
    # references and relationships resolve to model references inside the submodel
    ref = items["MTConnectDevice/Controller/References/xref"]
    assert [k["value"] for k in ref["value"]["keys"]][1:] == ["Axes", "X_", "Xpos"]
    relation = items["MTConnectDevice/Controller/Configuration/Relationships/x_"]
    assert relation["modelType"] == "AnnotatedRelationshipElement"
    assert [k["value"] for k in relation["second"]["keys"]][1:] == ["Axes", "X_"]
    assert {a["idShort"] for a in relation["annotations"]} == {"idRef", "type", "criticality"}
    dropped = [i for i in report if i.code is Code.DROPPED]
    assert len(dropped) == 1 and "'nowhere'" in dropped[0].message and dropped[0].line == 32


def test_concept_descriptions_carry_units_and_definitions() -> None:
    env, _ = read(DEVICES)
    cds = {cd["id"]: cd["embeddedDataSpecifications"][0]["dataSpecificationContent"]
           for cd in env["conceptDescriptions"]}
    position = cds[f"{MTC}:DataItem:SAMPLE:POSITION:ACTUAL"]
    assert position["unit"] == "mm" and position["dataType"] == "REAL_MEASURE"
    assert position["unitId"]["keys"][0]["value"] == "urn:un:unece:uncefact:rec20:MMT"
    assert "cartesian coordinate system" in position["definition"][0]["text"]
    assert "Sub-type ACTUAL" in position["definition"][0]["text"]
    assert "prismatic motion" in cds[f"{MTC}:Component:Linear"]["definition"][0]["text"]
    assert cds[f"{MTC}:DataItem:SAMPLE:LOAD"]["unitId"]["keys"][0]["value"].endswith(":P1")
    # every semanticId the reader wrote has its concept description
    used = {semantic(i) for i in elements(env).values() if "semanticId" in i}
    assert used <= set(cds)


def test_schema_violations_are_located_warnings_or_errors() -> None:
    broken = DEVICES.replace(b'category="EVENT"/>', b'category="EVENT" bogus="1"/>')
    _, report = read(broken)
    found = [i for i in report if i.code is Code.INVALID_INPUT]
    assert len(found) == 1 and found[0].line == 10 and "bogus" in found[0].message
    assert found[0].severity is IssueSeverity.LOSSY and not report.has_errors
    _, strict = read(broken, schema="error")
    assert strict.has_errors
    _, skipped = read(broken, schema="off")
    assert not [i for i in skipped if i.code is Code.INVALID_INPUT]


def test_older_version_is_checked_against_the_nearest_schema() -> None:
    path = corpus_path("formats", "mtconnect", "cppagent", "test_package", "resources",
                       "samples", "fanuc.xml")
    _, report = read(path.read_bytes(), path.name)
    assert report.meta["schema"] == "MTConnectDevices_1.3.xsd"
    messages = [i.message for i in report if i.code is Code.INVALID_INPUT]
    assert messages and all("nearest bundled schema for version 1.1" in m for m in messages)


@pytest.mark.parametrize(("data", "line", "column"), [
    (b"<MTConnectDevices><Devices></MTConnectDevices>", 1, 47),
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<MTConnectDevices/>', 1, None),
])
def test_unreadable_input_is_a_located_error(data: bytes, line: int, column: int | None
                                              ) -> None:
    env, report = read(data)
    assert report.has_errors and env == {}
    issue = report.issues[0]
    assert issue.code is Code.INVALID_INPUT and issue.line == line and issue.column == column


def test_not_a_devices_or_streams_document() -> None:
    path = corpus_path("formats", "mtconnect", "schema_dev", "examples", "parts", "ge_2.xml")
    _, report = read(path.read_bytes(), path.name)
    assert report.has_errors and "MTConnectAssets" in report.issues[0].message


def test_extension_types_use_their_namespace() -> None:
    path = corpus_path("formats", "mtconnect", "cppagent", "test_package", "resources",
                       "samples", "extension.xml")
    env, report = read(path.read_bytes(), path.name)
    assert not report.has_errors
    pump = elements(env)["MTConnectDevice/pump"]
    assert semantic(pump) == "urn:example.com:ExampleDevices:1.1:Component:Pump"
    assert semantic(pump["value"][0]) == (
        "urn:example.com:ExampleDevices:1.1:DataItem:SAMPLE:FLOW")


def test_streams_fill_the_device_model_and_the_time_series() -> None:
    folder = corpus_path("formats", "mtconnect", "schema_dev", "examples")
    path = folder / "threeaxis-current.xml"
    env, report = read(path.read_bytes(), path.name, path)
    assert not report.has_errors
    shell = env["assetAdministrationShells"][0]
    assert shell["assetInformation"]["globalAssetId"] == "HM1"
    assert len(shell["submodels"]) == 2
    items = elements(env)
    yact = items["MTConnectDevice/base/Y_/Yact"]
    assert yact["value"] == "213.1232"  # the model comes from threeaxis-probe.xml
    assert ext(yact, "observation@timestamp") == "2009-11-13T08:00:00"
    assert items["MTConnectDevice/controller/path/execution"]["value"] == "ACTIVE"
    assert ext(items["MTConnectDevice/base/Z_/Zact"], "value") == "UNAVAILABLE"
    segment = "TimeSeries/Segments/InternalSegment"
    assert items[f"{segment}/RecordCount"]["value"] == "5"
    record = items[f"{segment}/Records/Record1"]
    assert semantic(record) == f"{TSD}Record/1/1"
    time, utc, first = record["value"][:3]
    assert (time["idShort"], time["valueType"], time["value"]) == ("Time01", "xs:long", "0")
    assert semantic(time) == f"{TSD}RelativePointInTime/1/1"
    assert (utc["valueType"], utc["value"], semantic(utc)) == (
        "xs:dateTime", "2009-11-13T08:00:00", f"{TSD}UtcTime/1/1")
    assert first == {**first, "idShort": "Yact", "value": "213.1232"}
    assert items[f"{segment}/StartTime"]["value"] == "2009-11-13T08:00:00"
    assert {i.code for i in report} >= {Code.TELEMETRY_AS_SNAPSHOT, Code.DROPPED}


def test_streams_without_device_model_infer_it() -> None:
    path = corpus_path("formats", "mtconnect", "schema_dev", "examples", "streams.xml")
    env, report = read(path.read_bytes(), path.name)
    assert any(i.code is Code.DEFAULTED for i in report)
    items = elements(env)
    xfor = items["MTConnectDevice/path/xfor_1"]
    assert semantic(xfor) == f"{MTC}:DataItem:EVENT:TRANSFORMATION:WORKPIECE"
    assert xfor["value"] == "G55"  # the later of two observations with one sequence number
    records = [k for k in items if k.startswith("TimeSeries/Segments/InternalSegment/Records/")
               and k.count("/") == 4]
    assert len(records) == 2  # the same data item twice at one time: two records


def test_reads_are_deterministic() -> None:
    first, _ = read(DEVICES)
    second, _ = read(DEVICES)
    assert first == second


def test_bundled_schemas_are_the_documented_upstream_files() -> None:
    table = dict(re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$",
                            (XSD / "README.md").read_text(encoding="utf-8"), re.MULTILINE))
    assert len(table) == 5
    for name, digest in table.items():
        data = (XSD / name).read_bytes()
        data = gzip.decompress(data) if name.endswith(".gz") else data
        assert hashlib.sha256(data).hexdigest() == digest, name
