"""OPC UA NodeSet2 -> AAS: parsing, dependency closure, and the semantic mapping.

Real companion specifications from the shared corpus: Machinery (and its example
instances), DI, MachineTool, Machinery ProcessValues (with PA-DIM from tests/data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import ConvertOptions, Source, get_format
from omp_models.formats.opcua._deps import compare_versions, find_models, resolve_closure
from omp_models.formats.opcua._ir import Model, NodeSetError, parse_nodeset
from tests.conftest import ROOT, corpus_path

EXTRA = ROOT / "tests" / "data" / "opcua-nodeset"
DI = "http://opcfoundation.org/UA/DI/"
MACHINERY = "http://opcfoundation.org/UA/Machinery/"
EXAMPLE = "http://opcfoundation.org/UA/Machinery_Example/"
CARDINALITY = "https://admin-shell.io/SubmodelTemplates/Cardinality/1/0"


def nodesets() -> Path:
    return corpus_path("formats", "opcua-nodeset")


def read(path: Path, *search: Path) -> tuple[dict[str, Any], Any]:
    options = ConvertOptions(search_paths=search or (nodesets(), EXTRA))
    env, report = get_format("opcua-nodeset").read(Source(str(path), path.read_bytes(), path),
                                                   options)
    return environment_to_jsonable(env), report


def walk(element: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [element]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if "modelType" in current:
                out.append(current)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return out


def by_id_short(items: list[dict[str, Any]], id_short: str) -> dict[str, Any]:
    return next(i for i in items if i.get("idShort") == id_short)


def semantic(element: dict[str, Any]) -> str:
    return str(element["semanticId"]["keys"][0]["value"])


def ext(element: dict[str, Any], name: str) -> str | None:
    return next((e["value"] for e in element.get("extensions", [])
                 if e["name"] == f"src:opcua-nodeset:{name}"), None)


def cardinality(element: dict[str, Any]) -> str | None:
    return next((q["value"] for q in element.get("qualifiers", [])
                 if q["type"] == "SMT/Cardinality"), None)


@pytest.fixture(scope="module")
def example() -> tuple[dict[str, Any], Any]:
    return read(nodesets() / "Machinery" / "Opc.Ua.Machinery.Examples.NodeSet2.xml")


@pytest.fixture(scope="module")
def core() -> dict[str, Any]:
    return read(nodesets() / "Schema" / "Opc.Ua.NodeSet2.xml")[0]


# ---------------------------------------------------------------------- parsing
def test_namespace_indexes_resolve_through_the_file_table() -> None:
    path = nodesets() / "Machinery" / "Opc.Ua.Machinery.Examples.NodeSet2.xml"
    doc = parse_nodeset(path.read_bytes(), path.name)
    # ns=1 is the example model, and BrowseName "3:Identification" is in DI's namespace.
    identification = doc.nodes[f"nsu={EXAMPLE};i=5001"]
    assert (identification.browse_uri, identification.browse_name) == (DI, "Identification")
    # Aliases (HasProperty) and namespace 0 keys resolve to expanded NodeIds.
    assert ("nsu=http://opcfoundation.org/UA/;i=46", f"nsu={EXAMPLE};i=6004", True) in (
        identification.refs)
    assert doc.models[0].uri == EXAMPLE and doc.models[0].version == "1.0.0"


@pytest.mark.parametrize(("data", "message"), [
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]><UANodeSet/>', "DOCTYPE"),
    (b"<UANodeSet xmlns='http://opcfoundation.org/UA/2011/03/UANodeSet.xsd'>\n<UAObject>",
     "not well-formed"),
    (b"<Environment xmlns='https://admin-shell.io/aas/3/0'/>", "not a UANodeSet"),
    (b"<UANodeSet xmlns='http://opcfoundation.org/UA/2011/03/UANodeSet.xsd'>"
     b"<UAObject BrowseName='x'/></UANodeSet>", "no valid NodeId"),
])
def test_hostile_or_broken_input_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(NodeSetError, match=message):
        parse_nodeset(data, "bad.xml")


def test_broken_input_is_a_located_report_entry_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "broken.NodeSet2.xml"
    path.write_bytes(b"<UANodeSet xmlns='http://opcfoundation.org/UA/2011/03/UANodeSet.xsd'>"
                     b"\n\n<UAObject NodeId='i=1' BrowseName='x'>\n</UANodeSet>")
    env, report = get_format("opcua-nodeset").read(
        Source(str(path), path.read_bytes(), path), ConvertOptions())
    (issue,) = report.issues
    assert issue.code.value == "INVALID_INPUT" and issue.severity.value == "error"
    assert issue.line == 4 and issue.file == str(path)
    assert not list(env.store)


# ---------------------------------------------------------------------- dependencies
def test_versions_compare_numerically() -> None:
    assert compare_versions("1.05.03", "1.05.02") == 1
    assert compare_versions("1.0.2", "1.01.0") == -1
    assert compare_versions("1.04", "1.04.0") == 0


def test_the_machine_tool_closure_is_found_in_the_search_folders() -> None:
    own = parse_nodeset((nodesets() / "MachineTool" / "Opc.Ua.MachineTool.NodeSet2.xml")
                        .read_bytes(), "mt").models
    docs, resolutions, failures = resolve_closure(own, (nodesets(),))
    assert not failures
    assert [d.models[0].uri for d in docs][-1] == "http://opcfoundation.org/UA/Machinery/Jobs/"
    assert {d.models[0].uri for d in docs} >= {DI, MACHINERY, "http://opcfoundation.org/UA/"}
    # MachineTool requires DI 1.04.0 and gets it; IA asks for DI 1.03.1 and gets the newer.
    di = [r for r in resolutions if r.required.uri == DI]
    assert {(r.required.version, r.mismatch) for r in di} >= {("1.04.0", None),
                                                              ("1.03.1", "newer")}


def test_a_missing_dependency_is_an_error_naming_model_and_version() -> None:
    path = nodesets() / "Machinery" / "ProcessValues" / (
        "Opc.Ua.Machinery.ProcessValues.NodeSet2.xml")
    env, report = read(path, nodesets())
    missing = [i for i in report.issues if i.code.value == "DEPENDENCY_MISSING"
               and i.severity.value == "error"]
    assert {(i.source, i.original) for i in missing} == {
        ("http://opcfoundation.org/UA/PADIM/", "1.0.2"),
        ("http://opcfoundation.org/UA/Dictionary/IRDI", "1.00"),
    }
    assert "PADIM/ version 1.0.2" in missing[0].message + missing[1].message
    assert env == {}


def test_an_older_dependency_is_used_and_reported_as_lossy(tmp_path: Path) -> None:
    source = (nodesets() / "Machinery" / "Opc.Ua.Machinery.NodeSet2.xml").read_text("utf-8")
    path = tmp_path / "newer.NodeSet2.xml"
    path.write_text(source.replace('ModelUri="http://opcfoundation.org/UA/DI/" '
                                   'Version="1.04.0"', 'ModelUri="http://opcfoundation.org/UA/'
                                   'DI/" Version="9.0.0"'), "utf-8")
    _, report = read(path, nodesets())
    (older,) = [i for i in report.issues if i.severity.value == "lossy"
                and i.code.value == "DEPENDENCY_MISSING"]
    assert older.source == DI and older.original == "9.0.0"
    assert "older version 1.04.0" in older.message


def test_the_index_reads_only_model_headers_and_skips_other_xml(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.xml").write_bytes(b"<root/>")
    (tmp_path / "sub" / "evil.xml").write_bytes(
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><UANodeSet>&e;</UANodeSet>')
    di = nodesets() / "DI" / "Opc.Ua.Di.NodeSet2.xml"
    (tmp_path / "sub" / "di.xml").write_bytes(di.read_bytes())
    found = find_models([tmp_path])
    assert list(found) == [DI]
    assert found[DI][0].model.version == "1.04.0"
    assert find_models([tmp_path / "missing"]) == {}


def test_a_required_model_without_version_takes_the_newest(tmp_path: Path) -> None:
    docs, resolutions, _ = resolve_closure(
        [Model("urn:x", required=(Model(DI),))], (nodesets(),))
    assert resolutions[0].found is not None and resolutions[0].mismatch is None
    assert docs[-1].models[0].uri == DI


# ---------------------------------------------------------------------- mapping
def test_object_types_become_templates_with_flattened_declarations() -> None:
    env, report = read(nodesets() / "Machinery" / "Opc.Ua.Machinery.NodeSet2.xml")
    submodels = env["submodels"]
    ident = by_id_short(submodels, "MachineIdentificationType")
    assert ident["kind"] == "Template"
    assert ident["id"] == "http://opcfoundation.org/UA/Machinery/SubmodelTemplate/" \
                          "MachineIdentificationType"
    assert semantic(ident) == f"nsu={MACHINERY};i=1012"
    # The supertype chain is in supplementalSemanticIds, nearest first.
    assert [s["keys"][0]["value"] for s in ident["supplementalSemanticIds"]][:1] == [
        f"nsu={MACHINERY};i=1004"]
    names = {e["idShort"]: e for e in ident["submodelElements"]}
    # Inherited (supertype and DI nameplate interfaces) and own declarations, flattened.
    assert {"Manufacturer", "SerialNumber", "YearOfConstruction", "ProductInstanceUri",
            "Location", "DefaultInstanceBrowseName"} <= set(names)
    # Mandatory -> One, Optional -> ZeroToOne; the IDTA qualifier form.
    assert cardinality(names["Manufacturer"]) == "One"
    assert cardinality(names["Location"]) == "ZeroToOne"
    qualifier = names["Location"]["qualifiers"][0]
    assert qualifier["kind"] == "TemplateQualifier"
    assert qualifier["semanticId"]["keys"][0]["value"] == CARDINALITY
    assert any(i.code.value == "INHERITANCE_FLATTENED" for i in report.issues)
    # Placeholders -> ZeroToMany, the BrowseName <Component> kept in an Extension.
    component = by_id_short(by_id_short(submodels, "MachineComponentsType")[
        "submodelElements"], "Component")
    assert cardinality(component) == "ZeroToMany"
    assert ext(component, "BrowseName") == f"nsu={MACHINERY};<Component>"
    assert any(i.code.value == "IDSHORT_RENAMED" and i.original == "<Component>"
               for i in report.issues)


def test_declarations_and_types_get_iec61360_concept_descriptions() -> None:
    env, _ = read(nodesets() / "Machinery" / "Opc.Ua.Machinery.NodeSet2.xml")
    cds = {cd["id"]: cd for cd in env["conceptDescriptions"]}
    location = cds[f"nsu={MACHINERY};i=6029"]
    content = location["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert content["preferredName"] == [{"language": "en", "text": "Location"}]
    assert content["dataType"] == "STRING"
    assert content["definition"][0]["text"].startswith("To be used by end users")
    ident_type = cds[f"nsu={MACHINERY};i=1012"]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"]
    assert ident_type["sourceOfDefinition"] == (
        "https://reference.opcfoundation.org/Machinery/v103/docs/8.6")


def test_machine_identification_maps_onto_digital_nameplate_semantic_ids(
        example: tuple[dict[str, Any], Any]) -> None:
    env, _ = example
    ident = next(s for s in env["submodels"] if s["idShort"] == "Identification")
    elements = {e["idShort"]: e for e in ident["submodelElements"]}
    expected = {  # from the IDTA 02006-3-0 Digital Nameplate template
        "Manufacturer": "0112/2///61987#ABA565#009",
        "Model": "0112/2///61987#ABA567#009",
        "SerialNumber": "0112/2///61987#ABA951#009",
        "ProductInstanceUri": "0112/2///61987#ABN590#002",
        "HardwareRevision": "0112/2///61987#ABA926#008",
        "SoftwareRevision": "0112/2///61987#ABA601#008",
        "YearOfConstruction": "0112/2///61987#ABP000#002",
    }
    assert {k: semantic(elements[k]) for k in expected} == expected
    # The UA declaration stays as supplementalSemanticId.
    assert elements["SerialNumber"]["supplementalSemanticIds"][0]["keys"][0]["value"] == (
        f"nsu={EXAMPLE};i=6003")
    assert elements["SerialNumber"]["value"] == "235223"
    assert elements["Manufacturer"]["modelType"] == "MultiLanguageProperty"
    assert elements["Manufacturer"]["value"][0]["text"].startswith("ENGEL")
    assert elements["YearOfConstruction"]["valueType"] == "xs:unsignedShort"
    assert semantic(elements["Location"]) == f"nsu={EXAMPLE};i=6009"


def test_instances_become_submodels_and_a_shell_for_the_machine(
        example: tuple[dict[str, Any], Any]) -> None:
    env, _ = example
    (shell,) = env["assetAdministrationShells"]
    assert shell["idShort"] == "ExampleMachine01"
    assert shell["assetInformation"] == {"assetKind": "Instance",
                                         "globalAssetId": "http://www.engelglobal.com/Viper06/"
                                                          "235223"}
    machine = by_id_short(env["submodels"], "ExampleMachine01")
    assert machine.get("kind", "Instance") == "Instance"  # basyx leaves the default out
    assert semantic(machine) == f"nsu={EXAMPLE};i=1002"
    refs = {r["keys"][0]["value"] for r in shell["submodels"]}
    assert machine["id"] in refs and len(refs) == 2
    # The instance's children carry the semanticIds of the type's declarations.
    components = by_id_short(machine["submodelElements"], "Components")
    assert semantic(components) == f"nsu={EXAMPLE};i=5005"
    assert ext(components, "NodeId") == f"nsu={EXAMPLE};i=5006"
    # A second hierarchical reference to an already placed node is a ReferenceElement.
    blocks = by_id_short(machine["submodelElements"], "MachineryBuildingBlocks")
    reference = by_id_short(blocks["value"], "Components")
    assert reference["modelType"] == "ReferenceElement"
    assert [k["value"] for k in reference["value"]["keys"]] == [machine["id"], "Components"]


def test_enumerations_methods_and_arrays() -> None:
    env, _ = read(nodesets() / "DI" / "Opc.Ua.Di.NodeSet2.xml")
    cds = {cd["id"]: cd for cd in env["conceptDescriptions"]}
    health = cds[f"nsu={DI};i=6244"]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"]
    pairs = health["valueList"]["valueReferencePairs"]
    assert pairs[0] == {"value": "0", "valueId": {"type": "ExternalReference", "keys": [
        {"type": "GlobalReference", "value": f"nsu={DI};i=6244#NORMAL"}]}}
    assert len(pairs) == 5
    operations = [e for e in walk(env["submodels"]) if e.get("idShort") == "TransferToDevice"]
    out = operations[0]["outputVariables"]
    assert [(v["value"]["idShort"], v["value"]["valueType"]) for v in out] == [
        ("TransferID", "xs:int"), ("InitTransferStatus", "xs:int")]
    arrays = [e for e in walk(env["submodels"]) if e.get("idShort") == "StaticNodeIdTypes"]
    assert arrays and arrays[0]["modelType"] == "SubmodelElementList"
    assert arrays[0]["typeValueListElement"] == "Property"


def test_units_come_from_euinformation_through_the_unit_registry() -> None:
    path = nodesets() / "Machinery" / "ProcessValues" / (
        "Opc.Ua.Machinery.ProcessValues.NodeSet2.xml")
    env, report = read(path)
    assert not report.has_errors
    used = {d["uri"] for d in report.meta["dependencies"]}
    assert "http://opcfoundation.org/UA/PADIM/" in used
    cds = {cd["id"]: cd for cd in env["conceptDescriptions"]}
    content = cds["nsu=http://opcfoundation.org/UA/Machinery/ProcessValues/;i=6104"][
        "embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert content["unit"] == "%"
    assert content["unitId"]["keys"][0]["value"] == "urn:un:unece:uncefact:rec20:P1"
    assert content["dataType"] == "REAL_MEASURE"
    value = next(e for e in walk(env["submodels"]) if e.get("idShort") == "PercentageValue")
    qualifiers = {q["type"]: q.get("value") for q in value["qualifiers"]}
    assert qualifiers["OPCUA/EngineeringUnits"] == "P1"
    assert qualifiers["OPCUA/EURange"] == "[0, 100]"


def test_structures_become_collections_of_their_fields(core: dict[str, Any]) -> None:
    root = by_id_short(core["submodels"], "Root")
    status = next(e for e in walk(root) if e.get("idShort") == "ServerStatus")
    fields = {e.get("idShort"): e for e in status["value"]}
    assert {"StartTime", "CurrentTime", "State", "BuildInfo", "SecondsTillShutdown",
            "ShutdownReason"} <= set(fields)
    assert fields["BuildInfo"]["modelType"] == "SubmodelElementCollection"
    assert fields["ShutdownReason"]["modelType"] == "MultiLanguageProperty"


def test_non_hierarchical_references_become_relationships(core: dict[str, Any]) -> None:
    template = by_id_short(core["submodels"], "ExclusiveLimitStateMachineType")
    relations = [e for e in walk(template) if e["modelType"] == "RelationshipElement"]
    from_state = [r for r in relations if semantic(r) == "nsu=http://opcfoundation.org/UA/;i=51"]
    assert from_state, [r["idShort"] for r in relations]
    first = from_state[0]["first"]
    assert first["type"] == "ModelReference"
    assert first["keys"][0]["value"] == template["id"]


def test_conversion_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    import subprocess
    import sys

    # The example has a shell with two submodels; Machinery has nodes with several
    # preserved attributes (SymbolicName and AccessLevel): nothing may follow hash order.
    paths = [str(nodesets() / "Machinery" / name) for name in (
        "Opc.Ua.Machinery.Examples.NodeSet2.xml", "Opc.Ua.Machinery.NodeSet2.xml")]
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}.json"
        subprocess.run(
            [sys.executable, "-m", "omp_validators", "convert", *paths, "--to", "aas-json",
             "--search-path", str(nodesets()), "-o", str(out)],
            check=True, capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": "",
                                                  "OMP_DISABLE_PLUGINS": "1"},
            cwd=ROOT)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


CYCLE = b"""<?xml version="1.0" encoding="utf-8"?>
<UANodeSet xmlns="http://opcfoundation.org/UA/2011/03/UANodeSet.xsd">
  <NamespaceUris><Uri>urn:test:cycle</Uri></NamespaceUris>
  <Models><Model ModelUri="urn:test:cycle" Version="1.0.0">
    <RequiredModel ModelUri="http://opcfoundation.org/UA/" Version="1.05.02"/>
  </Model></Models>
  <UAObject NodeId="ns=1;i=1" BrowseName="1:Root">
    <References>
      <Reference ReferenceType="i=35" IsForward="false">i=85</Reference>
      <Reference ReferenceType="i=40">i=58</Reference>
      <Reference ReferenceType="i=47">ns=1;i=2</Reference>
    </References>
  </UAObject>
  <UAObject NodeId="ns=1;i=2" BrowseName="1:Alpha" ParentNodeId="ns=1;i=1">
    <References><Reference ReferenceType="i=47">ns=1;i=3</Reference></References>
  </UAObject>
  <UAObject NodeId="ns=1;i=3" BrowseName="1:Beta" ParentNodeId="ns=1;i=2">
    <References><Reference ReferenceType="i=47">ns=1;i=2</Reference>
      <Reference ReferenceType="i=47">ns=1;i=3</Reference></References>
  </UAObject>
</UANodeSet>
"""


def test_hierarchy_cycles_become_references(tmp_path: Path) -> None:
    path = tmp_path / "cycle.NodeSet2.xml"
    path.write_bytes(CYCLE)
    env, report = read(path, nodesets())
    assert not report.has_errors
    (root,) = env["submodels"]
    alpha = by_id_short(root["submodelElements"], "Alpha")
    beta = by_id_short(alpha["value"], "Beta")
    back = {e["idShort"]: e for e in beta["value"]}
    assert back["Alpha"]["modelType"] == back["Beta"]["modelType"] == "ReferenceElement"
    assert [k["value"] for k in back["Alpha"]["value"]["keys"]] == [root["id"], "Alpha"]
    assert [k["value"] for k in back["Beta"]["value"]["keys"]] == [root["id"], "Alpha",
                                                                    "Beta"]
