"""AAS -> NodeSet2 -> AAS: schema-valid, deterministic, and a lossless round trip.

The Digital Nameplate and Technical Data templates (IDTA) and a converted Machinery
example go to NodeSet2 and back; the NodeSets validate against UANodeSet.xsd and load into
an asyncua server.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from omp_models.aas.io import AasEnvironment, environment_to_jsonable
from omp_models.formats import ConvertOptions, Source, get_format
from omp_models.formats.opcua._common import AAS_EXT_NS
from tests.conftest import corpus_path

NAMEPLATE = ("templates", "published", "Digital nameplate", "3", "0", "1",
             "IDTA 02006-3-0-1_Template_Digital Nameplate.json")
TECHNICAL_DATA = ("templates", "published", "Technical_Data", "2", "0", "1",
                  "IDTA 02003_2-0-1_Template_TechnicalData.json")
U = "{http://opcfoundation.org/UA/2011/03/UANodeSet.xsd}"


def nodesets() -> Path:
    return corpus_path("formats", "opcua-nodeset")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(nodesets() / "Schema" / "UANodeSet.xsd")))


def read_aas(path: Path) -> AasEnvironment:
    env, report = get_format("aas-json").read(Source(str(path), path.read_bytes(), path),
                                              ConvertOptions())
    assert not report.has_errors, report.issues
    return env


def to_nodeset(env: AasEnvironment, **extra: str) -> tuple[bytes, Any]:
    return get_format("opcua-nodeset").write(env, ConvertOptions(extra=extra))


def from_nodeset(data: bytes, tmp_path: Path, name: str = "out.NodeSet2.xml") -> tuple[
        AasEnvironment, Any]:
    path = tmp_path / name
    path.write_bytes(data)
    return get_format("opcua-nodeset").read(
        Source(str(path), data, path), ConvertOptions(search_paths=(nodesets(), tmp_path)))


def nodes(data: bytes) -> dict[str, Any]:
    root = etree.fromstring(data)
    return {e.get("NodeId"): e for e in root if e.get("NodeId")}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, Any, Any]]:
    """name -> (NodeSet bytes, AAS before, write report) for the three round trips."""
    out: dict[str, tuple[bytes, Any, Any]] = {}
    for name, parts in (("nameplate", NAMEPLATE), ("technical-data", TECHNICAL_DATA)):
        env = read_aas(corpus_path(*parts))
        data, report = to_nodeset(env)
        out[name] = (data, environment_to_jsonable(env), report)
    example = nodesets() / "Machinery" / "Opc.Ua.Machinery.Examples.NodeSet2.xml"
    env, report = get_format("opcua-nodeset").read(
        Source(str(example), example.read_bytes(), example),
        ConvertOptions(search_paths=(nodesets(),)))
    assert not report.has_errors
    data, written = to_nodeset(env)
    out["machinery-example"] = (data, environment_to_jsonable(env), written)
    return out


@pytest.mark.parametrize("name", ["nameplate", "technical-data", "machinery-example"])
def test_round_trip_is_lossless(name: str, exports: dict[str, Any], tmp_path: Path) -> None:
    data, before, report = exports[name]
    assert not report.is_lossy, [i.to_dict() for i in report.issues]
    env, read_report = from_nodeset(data, tmp_path)
    assert not read_report.has_errors, read_report.issues
    after = environment_to_jsonable(env)
    assert after == before


@pytest.mark.parametrize("name", ["nameplate", "technical-data", "machinery-example"])
def test_export_is_schema_valid_and_deterministic(name: str, exports: dict[str, Any],
                                                  schema: etree.XMLSchema,
                                                  tmp_path: Path) -> None:
    data, _, _ = exports[name]
    assert schema.validate(etree.fromstring(data)), schema.error_log.last_error
    # The same AAS (read back) writes the same bytes.
    env, _ = from_nodeset(data, tmp_path)
    again, _ = to_nodeset(env)
    assert again == data
    assert b"LastModified" not in data


def test_nameplate_export_is_native_opc_ua(exports: dict[str, Any]) -> None:
    data, _, _ = exports["nameplate"]
    root = etree.fromstring(data)
    model = root.find(f"{U}Models/{U}Model")
    assert model is not None
    assert model.get("ModelUri") == "https://admin-shell.io/idta/SubmodelTemplate/" \
                                    "DigitalNameplate/3/0"
    by_id = nodes(data)
    template = by_id["ns=1;s=Nameplate"]
    assert template.tag == f"{U}UAObjectType"
    name = by_id["ns=1;s=Nameplate.ManufacturerName"]
    assert name.tag == f"{U}UAVariable" and name.get("DataType") == "LocalizedText"
    refs = {(r.get("ReferenceType"), r.text) for r in name.iter(f"{U}Reference")}
    # SMT cardinality One -> Mandatory; the semanticId -> the dictionary entry.
    assert ("HasModellingRule", "i=78") in refs
    assert ("HasDictionaryEntry", "ns=1;s=0112/2///61987#ABA565#009") in refs
    entry = by_id["ns=1;s=0112/2///61987#ABA565#009"]
    assert {r.text for r in entry.iter(f"{U}Reference")} >= {"i=17598"}  # IRDI entry
    # The MLP value is a LocalizedText; further languages are Translations.
    value = name.find(f"{U}Value")
    assert value is not None and value[0].tag.endswith("LocalizedText")
    serial = by_id["ns=1;s=Nameplate.SerialNumber"]
    assert serial.get("DataType") == "String"
    assert ("HasModellingRule", "i=80") in {(r.get("ReferenceType"), r.text)
                                            for r in serial.iter(f"{U}Reference")}
    markings = by_id["ns=1;s=Nameplate.Markings"]
    assert markings.tag == f"{U}UAObject"
    assert "ns=1;s=Nameplate.Markings.0" in by_id  # list items by index, ordered
    blob = serial.find(f"{U}Extensions/{U}Extension/{{{AAS_EXT_NS}}}Element")
    assert blob is not None and "supplementalSemanticIds" in json.loads(blob.text)


def test_node_ids_are_stable_when_an_element_is_added(exports: dict[str, Any]) -> None:
    from basyx.aas import model

    data, _, _ = exports["nameplate"]
    env = read_aas(corpus_path(*NAMEPLATE))
    submodel = next(iter(s for s in env.store if isinstance(s, model.Submodel)))
    submodel.submodel_element.add(model.Property("AAAFirst", model.datatypes.String, "x"))
    changed, _ = to_nodeset(env)
    old, new = set(nodes(data)), set(nodes(changed))
    assert new - old == {"ns=1;s=Nameplate.AAAFirst"}
    assert old <= new


def test_without_aas_extensions_every_dropped_attribute_is_reported(
        tmp_path: Path, schema: etree.XMLSchema) -> None:
    env = read_aas(corpus_path(*NAMEPLATE))
    data, report = to_nodeset(env, **{"aas-extensions": "false"})
    assert AAS_EXT_NS.encode() not in data
    assert schema.validate(etree.fromstring(data))
    dropped = {i.message for i in report.issues if i.severity.value == "lossy"}
    assert any("supplementalSemanticIds (Property)" in m for m in dropped)
    assert any("embeddedDataSpecifications (ConceptDescription)" in m for m in dropped)
    # What OPC UA says natively survives: structure, names, values, cardinalities,
    # descriptions, and the semanticIds that point to a dictionary entry.
    back, read_report = from_nodeset(data, tmp_path)
    assert not read_report.has_errors
    after = environment_to_jsonable(back)
    template = next(s for s in after["submodels"] if s.get("kind") == "Template")
    elements = {e["idShort"]: e for e in template["submodelElements"]}
    before = {e["idShort"]: e for e in next(iter(environment_to_jsonable(env)["submodels"]))[
        "submodelElements"]}
    assert set(before) == set(elements)
    assert elements["SerialNumber"]["valueType"] == "xs:string"
    assert elements["ManufacturerName"]["value"] == before["ManufacturerName"]["value"]
    assert elements["ManufacturerName"]["semanticId"] == before["ManufacturerName"]["semanticId"]
    card = {e: next(q["value"] for q in elements[e]["qualifiers"]
                    if q["type"] == "SMT/Cardinality") for e in ("SerialNumber", "Markings")}
    assert card == {"SerialNumber": "ZeroToOne", "Markings": "ZeroToOne"}
    assert elements["Markings"]["modelType"] == "SubmodelElementList"
    cd_ids = {cd["id"] for cd in after["conceptDescriptions"]}
    assert "0112/2///61987#ABA565#009" in cd_ids


def test_a_broken_aas_extension_is_a_located_error(exports: dict[str, Any],
                                                   tmp_path: Path) -> None:
    data, _, _ = exports["technical-data"]
    text = data.decode()
    start = text.index('{"', text.index("aas:Element"))
    broken = (text[:start] + "{not json" + text[start + 2:]).encode()
    env, report = from_nodeset(broken, tmp_path)
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert errors and errors[0].code.value == "INVALID_INPUT" and errors[0].line
    assert not list(env.store)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # asyncua's own dependencies
def test_exports_load_into_an_asyncua_server(exports: dict[str, Any], tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    asyncua = pytest.importorskip("asyncua")
    files = {}
    for name, (data, _, _) in exports.items():
        files[name] = tmp_path / f"{name}.NodeSet2.xml"
        files[name].write_bytes(data)
    machinery = nodesets() / "Machinery" / "Opc.Ua.Machinery.NodeSet2.xml"
    di = nodesets() / "DI" / "Opc.Ua.Di.NodeSet2.xml"

    async def load() -> dict[str, Any]:
        # No endpoint is opened: the address space is built and imported in memory.
        server = asyncua.Server()
        await server.init()
        counts: dict[str, Any] = {}
        for name in ("nameplate", "technical-data"):
            counts[name] = len(await server.import_xml(str(files[name]), strict_mode=True))
        await server.import_xml(str(di), strict_mode=True)
        await server.import_xml(str(machinery), strict_mode=True)
        counts["machinery-example"] = len(
            await server.import_xml(str(files["machinery-example"]), strict_mode=True))
        index = await server.get_namespace_index(
            "https://admin-shell.io/idta/SubmodelTemplate/DigitalNameplate/3/0")
        node = server.get_node(f"ns={index};s=Nameplate.ManufacturerName")
        counts["value"] = (await node.read_value()).Text
        return counts

    with caplog.at_level(logging.WARNING, logger="asyncua"):
        counts = asyncio.run(load())
    failures = [r.getMessage() for r in caplog.records if "failure adding node" in
                r.getMessage() or "could not be imported" in r.getMessage()]
    assert not failures, failures[:3]
    for name, (data, _, _) in exports.items():
        assert counts[name] == len(nodes(data)), name
    assert counts["value"] == '"Muster AG"'


def test_an_empty_environment_is_a_valid_empty_nodeset(schema: etree.XMLSchema) -> None:
    from basyx.aas import model

    data, report = to_nodeset(AasEnvironment(store=model.DictIdentifiableStore()),
                              **{"model-uri": "urn:example:empty"})
    assert not report.issues
    assert schema.validate(etree.fromstring(data))
    assert nodes(data) == {}
    assert b'ModelUri="urn:example:empty"' in data


def test_reading_back_needs_no_dependencies(exports: dict[str, Any], tmp_path: Path) -> None:
    data, before, _ = exports["machinery-example"]
    path = tmp_path / "alone.NodeSet2.xml"
    path.write_bytes(data)
    env, report = get_format("opcua-nodeset").read(Source(str(path), data, path),
                                                   ConvertOptions())
    assert not report.has_errors
    notes = {i.source for i in report.issues if i.code.value == "DEPENDENCY_MISSING"}
    assert "http://opcfoundation.org/UA/Machinery/" in notes
    assert environment_to_jsonable(env) == before


def test_a_hierarchy_cycle_is_cut_and_reported(exports: dict[str, Any], tmp_path: Path) -> None:
    """A NodeSet whose child references loop back to an ancestor is read without recursing
    forever (regression: RecursionError on an exported core NodeSet read back)."""
    data, _, _ = exports["nameplate"]
    root = etree.fromstring(data)
    by_id = {e.get("NodeId"): e for e in root if e.get("NodeId")}
    # An object X (a collection) below P below the submodel's children: X -> P closes a loop.
    grand = next(e for e in root if e.tag == f"{U}UAObject"
                 and e.get("ParentNodeId") in by_id
                 and by_id[e.get("ParentNodeId")].get("ParentNodeId") in by_id
                 and by_id[by_id[e.get("ParentNodeId")].get("ParentNodeId")].get(
                     "ParentNodeId") in by_id)
    parent = by_id[grand.get("ParentNodeId")]
    del parent.attrib["ParentNodeId"]
    refs = grand.find(f"{U}References")
    assert refs is not None
    loop = etree.SubElement(refs, f"{U}Reference", ReferenceType="HasComponent")
    loop.text = parent.get("NodeId")
    env, report = from_nodeset(etree.tostring(root), tmp_path)
    cut = [i for i in report.issues if "its own ancestor" in i.message]
    assert len(cut) == 1
    assert (cut[0].source or "").endswith(";" + parent.get("NodeId", "").split(";", 1)[1])
    assert not report.has_errors, [i.to_dict() for i in report.issues]
    assert env.ids()  # the rest was restored
