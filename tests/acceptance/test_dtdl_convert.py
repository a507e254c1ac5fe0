"""``omp convert`` with DTDL: the corpus samples, round trips, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pytest
from click.testing import CliRunner, Result

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import ConversionReport, ConvertOptions, Source, get_format
from omp_models.formats.dtdl import normalize_dtdl, read_dtdl
from omp_models.formats.dtdl._jsonld import load_json
from omp_models.formats.dtdl._twins import twins_to_aas
from omp_validators import ValidateOptions, validate, validate_bytes
from omp_validators.cli import cli
from tests.conftest import ROOT, corpus_path

DTDL_DATA = ROOT / "tests" / "data" / "dtdl"
TEMPLATES = [
    ("Digital nameplate", "3", "0", "1", "IDTA 02006-3-0-1_Template_Digital Nameplate.json"),
    ("Technical_Data", "2", "0", "1", "IDTA 02003_2-0-1_Template_TechnicalData.json"),
    ("Technical_Data", "2", "0", "1",
     "IDTA 02003_2-0-1_Template_TechnicalData_forAASMetamodelV3.1.json"),
]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def dtdl_root() -> Path:
    return corpus_path("formats", "dtdl")


def samples() -> list[Path]:
    root = dtdl_root()
    return sorted([*root.glob("opendigitaltwins-dtdl/DTDL/v2/samples/*.json"),
                   *root.glob("opendigitaltwins-aas/Ontology/**/*.json"),
                   *root.glob("opendigitaltwins-aas/Sample/*.json")])


def own_interfaces(path: Path | str, data: bytes) -> dict[str, Any]:
    model = read_dtdl([(str(path), data)])
    mine = [e for e in model.elements.values()
            if e.cls == "Interface" and e.source == str(path)]
    return normalize_dtdl(model, mine)


def test_formats_lists_dtdl_both_ways() -> None:
    doc = json.loads(run("formats", "--format", "json").output)
    (entry,) = [f for f in doc["formats"] if f["name"] == "dtdl"]
    assert entry["read"] and entry["write"]


def test_the_corpus_has_the_samples_the_issue_names() -> None:
    found = samples()
    assert len(found) == 2 + 68 + 6


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_ontology_and_samples_convert_valid_and_deterministic(
        tmp_path: Path, version: Literal["3.0", "3.1"]) -> None:
    root = dtdl_root()
    sources = [str(root / "opendigitaltwins-aas" / "Ontology" / "**" / "*.json"),
               str(root / "opendigitaltwins-dtdl" / "DTDL" / "v2" / "samples" / "*.json")]
    outputs = []
    runs = ("a.json", "b.json") if version == "3.1" else ("a.json",)  # determinism: once
    for name in runs:
        out = tmp_path / name
        result = run("convert", *sources, "--to", "aas-json", "--aas-version", version,
                     "-o", str(out), "--report", str(tmp_path / "report.json"))
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert len(set(outputs)) == 1
    doc = json.loads(outputs[0])
    assert len(doc["submodels"]) == 68 + 2
    report = validate([str(tmp_path / "a.json")], ValidateOptions(aas_version=version))
    assert report.files[0].ok, report.files[0].findings
    issues = json.loads((tmp_path / "report.json").read_text())["issues"]
    # TemperatureController uses the public DeviceInformation interface (not in the corpus)
    missing = [i for i in issues if i["code"] == "DEPENDENCY_MISSING"]
    assert {i["original"] for i in missing} == {"dtmi:azure:DeviceManagement:DeviceInformation;1"}


def test_adt_exports_map_models_and_every_twin() -> None:
    # The six exports carry the same 66 models (converted in the round-trip test); their
    # twin graphs (up to 1,354 twins each) are mapped to AAS JSON here and, for one export,
    # built, serialised and validated in the next test: building the object model costs
    # ~10 s per large export on this machine.
    exports = sorted(dtdl_root().glob("opendigitaltwins-aas/Sample/*.json"))
    assert len(exports) == 6
    for path in exports:
        data = path.read_bytes()
        model = read_dtdl([(path.name, data)])
        assert model.problems == [] and len(model.interfaces()) == 66
        graph = load_json(data).get("digitalTwinsGraph")
        doc: dict[str, Any] = {}
        twin_report = ConversionReport()
        twins_to_aas(model, graph, doc, twin_report, path.name, "urn:omp-toolkit:")
        twins = json.loads(data)["digitalTwinsGraph"]["digitalTwins"]
        assert len(doc["submodels"]) == len(twins)
        assert not twin_report.is_lossy, [i.message for i in twin_report.issues][:3]


def test_an_export_with_its_twins_converts_to_valid_aas_deterministically() -> None:
    path = dtdl_root() / "opendigitaltwins-aas" / "Sample" / \
        "07_PhoenixContact ADTExplorer Export.json"
    data = path.read_bytes()
    outputs = []
    for _ in range(2):
        env, report = get_format("dtdl").read(Source(str(path), data, path), ConvertOptions())
        assert not report.has_errors, report.issues[:3]
        out, written = get_format("aas-json").write(env, ConvertOptions(aas_version="3.1"))
        assert not written.has_errors
        outputs.append(out)
    assert outputs[0] == outputs[1]
    doc = environment_to_jsonable(env)
    graph = json.loads(data)["digitalTwinsGraph"]
    assert len(doc["submodels"]) == 66 + len(graph["digitalTwins"]) == 66 + 360
    relationships = sum(1 for s in doc["submodels"] if s.get("kind") != "Template"
                        for e in s.get("submodelElements", [])
                        if e["modelType"] == "RelationshipElement")
    assert relationships == len(graph["relationships"])
    result = validate_bytes(outputs[0], path.name + ".aas.json")
    assert result.ok, result.findings[:3]


def test_dtdl_to_aas_to_dtdl_keeps_the_model(tmp_path: Path) -> None:
    path = DTDL_DATA / "press-line.json"
    aas = tmp_path / "model.aas.json"
    back = tmp_path / "model.dtdl.json"
    assert run("convert", str(path), "--to", "aas-json", "-o", str(aas)).exit_code == 0
    result = run("convert", str(aas), "--to", "dtdl", "-o", str(back))
    assert result.exit_code == 0, result.output
    assert own_interfaces(path, path.read_bytes()) == own_interfaces(back, back.read_bytes())


def test_every_corpus_sample_round_trips() -> None:
    fmt = get_format("dtdl")
    exports = sorted(dtdl_root().glob("opendigitaltwins-aas/Sample/*.json"))
    models = {json.dumps(json.loads(p.read_bytes())["digitalTwinsModels"]) for p in exports}
    assert len(models) == 1  # the six exports carry the same 66 models: one is enough here
    for path in [p for p in samples() if p not in exports[1:]]:
        data = path.read_bytes()
        env, report = fmt.read(Source(str(path), data, path),
                               ConvertOptions(extra={"twins": "false"}))
        assert not report.has_errors, (path, report.issues[:2])
        out, written = fmt.write(env, ConvertOptions())
        assert not written.has_errors, (path, [i.message for i in written.issues][:3])
        before = own_interfaces(path, data)
        after = own_interfaces("written", out)
        # a file's dependencies are written too: compare the file's own Interfaces
        assert before == {k: v for k, v in after.items() if k in before}, path


@pytest.mark.parametrize("parts", TEMPLATES, ids=lambda p: p[-1])
def test_templates_go_aas_to_dtdl_to_aas_unchanged(tmp_path: Path,
                                                   parts: tuple[str, ...]) -> None:
    source = corpus_path("templates", "published", *parts)
    dtdl = tmp_path / "template.dtdl.json"
    back = tmp_path / "back.json"
    report = tmp_path / "report.json"
    result = run("convert", str(source), "--to", "dtdl", "-o", str(dtdl), "--report",
                 str(report))
    assert result.exit_code == 0, result.output
    issues = json.loads(report.read_text())["issues"]
    lossy = [i for i in issues if i["severity"] == "lossy"]
    # only the shell and the concept descriptions are lost (DTDL has no place for them)
    assert lossy and all(i["code"] == "DROPPED" and (
        "concept description" in i["message"] or "shell" in i["message"]) for i in lossy)
    assert read_dtdl([("t", dtdl.read_bytes())]).problems == []
    result = run("convert", str(dtdl), "--to", "aas-json", "-o", str(back))
    assert result.exit_code == 0, result.output
    original = json.loads(source.read_text(encoding="utf-8-sig"))
    env, _ = get_format("aas-json").read(Source(source.name, source.read_bytes()),
                                         ConvertOptions())
    expected = environment_to_jsonable(env)["submodels"]
    again, _ = get_format("aas-json").read(Source(back.name, back.read_bytes()),
                                           ConvertOptions())
    assert environment_to_jsonable(again)["submodels"] == expected
    assert len(original["submodels"]) == 1
    assert validate([str(back)]).files[0].ok


BAD: dict[str, tuple[str, str]] = {
    "malformed.json": ('{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:B;1",\n'
                       '  "@type": "Interface" "contents": []}', "malformed.json:2:24"),
    "schema.json": (json.dumps({
        "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:B;1",
        "@type": "Interface",
        "contents": [{"@type": "Property", "name": "x", "schema": "strung"}]}, indent=2),
        "schema.json:9:17"),
    "unit.json": (json.dumps({
        "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"],
        "@id": "dtmi:com:example:B;1", "@type": "Interface",
        "contents": [{"@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double",
                      "unit": "furlong"}]}, indent=2), "unit.json:16:15"),
    "cycle.json": (json.dumps([
        {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:A;1",
         "@type": "Interface", "extends": "dtmi:com:example:B;1"},
        {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:B;1",
         "@type": "Interface", "extends": "dtmi:com:example:A;1"}], indent=2),
        "cycle.json:2:3"),
    "duplicate.json": (json.dumps({
        "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:B;1",
        "@type": "Interface",
        "contents": [{"@type": "Property", "name": "x", "schema": "double"},
                     {"@type": "Telemetry", "name": "x", "schema": "double"}]}, indent=2),
        "duplicate.json:11:5"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_located_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    text, where = BAD[name]
    source = tmp_path / name
    source.write_text(text)
    out = tmp_path / "out" / "result.json"
    result = CliRunner().invoke(cli, ["convert", str(source), "--from", "dtdl",
                                      "--to", "aas-json", "-o", str(out)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "convert/INVALID_INPUT" in result.output
    assert f"{tmp_path / where}" in result.output
    assert not out.exists()
    assert source.read_text() == text


def test_dtdl_is_detected_without_from(tmp_path: Path) -> None:
    result = run("convert", str(DTDL_DATA / "press-line.json"), "--to", "aas-json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["submodels"]) == 2


def test_strict_fails_on_lossy_units(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    # gForce is a DTDL unit with no UNECE Rec 20 code.
    source = tmp_path / "press-line.json"
    source.write_text((DTDL_DATA / "press-line.json").read_text(encoding="utf-8-sig")
                      .replace('["Telemetry", "Angle"]', '["Telemetry", "Acceleration"]')
                      .replace('"degreeOfArc"', '"gForce"'),
                      encoding="utf-8")
    result = run("convert", str(source), "--to", "aas-json", "--strict", "-o", str(out))
    assert result.exit_code == 1  # gForce has no UNECE code: lossy
    assert "convert/UNIT_UNRESOLVED" in result.output
