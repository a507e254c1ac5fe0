"""``omp convert`` with the cloud formats: AWS IoT SiteWise and Siemens Insights Hub.

Every fixture converts to AAS that validates, twice to the same bytes; SiteWise -> AAS ->
SiteWise and Insights Hub -> AAS -> Insights Hub give the same normalised JSON; the IDTA
Digital Nameplate and Technical Data templates survive AAS -> format -> AAS except for what
the conversion report declares; bad input is a located error, exit 1, and no output file.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import ConversionReport, ConvertOptions, Source, get_format
from omp_validators import ValidateOptions, validate
from omp_validators.cli import cli
from tests.conftest import CORPUS, ROOT, corpus_path

SITEWISE_CORPUS = ("formats", "sitewise", "metadata-bulk-operations-sample", "src")
IH_CORPUS = ("formats", "insights-hub", "synthetic")
DATA = ROOT / "tests" / "data"

SITEWISE_IMPORTS = sorted(
    p.name for p in (CORPUS.joinpath(*SITEWISE_CORPUS) / "import").glob("*.json")
) if CORPUS.joinpath(*SITEWISE_CORPUS).exists() else ["(corpus absent)"]
IH_SYNTHETIC = sorted(
    p.name for p in CORPUS.joinpath(*IH_CORPUS).glob("*.json")
) if CORPUS.joinpath(*IH_CORPUS).exists() else ["(corpus absent)"]

TEMPLATE_FILES = [
    ("Digital nameplate", "3", "0", "1", "IDTA 02006-3-0-1_Template_Digital Nameplate.json"),
    ("Technical_Data", "2", "0", "1", "IDTA 02003_2-0-1_Template_TechnicalData.json"),
    ("Technical_Data", "2", "0", "1",
     "IDTA 02003_2-0-1_Template_TechnicalData_forAASMetamodelV3.1.json"),
]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _sitewise(name: str) -> Path:
    return corpus_path(*SITEWISE_CORPUS, "import", name)


def _convert_twice(tmp_path: Path, source: Path, *extra: str) -> bytes:
    """Convert to AAS JSON twice; assert exit 0, identical bytes, and a valid result."""
    outs = []
    for run_no in (1, 2):
        out = tmp_path / f"run{run_no}.json"
        result = run("convert", str(source), "--to", "aas-json", "-o", str(out), *extra)
        assert result.exit_code == 0, result.output
        outs.append(out)
    first = outs[0].read_bytes()
    assert first == outs[1].read_bytes()
    report = validate([str(outs[0])], ValidateOptions())
    assert report.files[0].ok, report.files[0].findings
    assert not [f for f in report.files[0].findings if f.severity.value == "error"]
    return first


# -- every fixture converts ------------------------------------------------------------------


@pytest.mark.parametrize("name", SITEWISE_IMPORTS)
def test_sitewise_corpus_converts_validates_and_is_deterministic(tmp_path: Path,
                                                                 name: str) -> None:
    out = json.loads(_convert_twice(tmp_path, _sitewise(name)))
    original = json.loads(_sitewise(name).read_text())
    shells = out.get("assetAdministrationShells", [])
    # one Type shell per asset model, one Instance shell per asset
    kinds = [s["assetInformation"]["assetKind"] for s in shells]
    assert kinds.count("Type") == len(original.get("assetModels", []))
    assert kinds.count("Instance") == len(original.get("assets", []))


def test_sitewise_corpus_converts_as_aas_3_0(tmp_path: Path) -> None:
    source = _sitewise("1_onboard_models_assets.json")
    out = tmp_path / "out.json"
    assert run("convert", str(source), "--to", "aas-json", "--aas-version", "3.0", "-o",
               str(out)).exit_code == 0
    report = validate([str(out)], ValidateOptions(aas_version="3.0"))
    assert report.files[0].ok and report.files[0].aas_version == "3.0"


def test_sitewise_export_job_request_is_refused_with_a_reason(tmp_path: Path) -> None:
    """The export folder holds a job *request*, not a metadata document."""
    source = corpus_path(*SITEWISE_CORPUS, "export", "8_backup_models_assets.json")
    out = tmp_path / "out.json"
    result = run("convert", str(source), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 1
    assert "metadata-transfer job request" in result.output
    assert not out.exists()


@pytest.mark.parametrize("name", IH_SYNTHETIC)
def test_insights_hub_corpus_converts_validates_and_is_deterministic(tmp_path: Path,
                                                                     name: str) -> None:
    source = corpus_path(*IH_CORPUS, name)
    out = json.loads(_convert_twice(tmp_path, source))
    assert out["submodels"]


@pytest.mark.parametrize("name", ["press-line.json"])
def test_own_sitewise_fixtures_convert(tmp_path: Path, name: str) -> None:
    out = json.loads(_convert_twice(tmp_path, DATA / "sitewise" / name))
    assert len(out["assetAdministrationShells"]) == 6


@pytest.mark.parametrize("name", ["all-datatypes.json", "inheritance.json",
                                  "list-response.json"])
def test_own_insights_hub_fixtures_convert(tmp_path: Path, name: str) -> None:
    _convert_twice(tmp_path, DATA / "insights-hub" / name)


def test_a_folder_becomes_one_environment(tmp_path: Path) -> None:
    folder = corpus_path(*IH_CORPUS)
    out = tmp_path / "all.json"
    result = run("convert", str(folder), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_bytes())
    assert len(doc["assetAdministrationShells"]) == 1
    short = {s["idShort"] for s in doc["submodels"]}
    assert {"Spindle", "MainSpindle", "Variables"} <= short


_HASHES = """
import hashlib, sys
from pathlib import Path
from omp_models.formats import ConvertOptions, Source, get_format
for fmt, target, path in (a.split("|") for a in sys.argv[1:]):
    data = Path(path).read_bytes()
    env, _ = get_format(fmt).read(Source(path, data, Path(path)), ConvertOptions())
    out, _ = get_format(target).write(env, ConvertOptions())
    print(hashlib.sha256(out).hexdigest())
"""


def test_output_does_not_depend_on_the_process(tmp_path: Path) -> None:
    """Same bytes under different hash seeds (sets in the object model must not leak)."""
    import os
    import subprocess
    import sys

    template = corpus_path("templates", "published", *TEMPLATE_FILES[0])
    jobs = [f"sitewise|aas-json|{DATA / 'sitewise' / 'press-line.json'}",
            f"insights-hub|aas-json|{DATA / 'insights-hub' / 'all-datatypes.json'}",
            f"insights-hub|aas-json|{DATA / 'insights-hub' / 'inheritance.json'}",
            f"aas-json|sitewise|{template}", f"aas-json|insights-hub|{template}"]
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _HASHES, *jobs], capture_output=True,
                              text=True, env=env, cwd=ROOT, check=True, timeout=120)
        outputs.append(done.stdout.split())
    assert len(outputs[0]) == len(jobs) and outputs[0] == outputs[1]


# -- round trips: format -> AAS -> format ----------------------------------------------------


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ([], {}, None)}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def _same_number(value: Any) -> Any:
    """xs:double and xs:dateTime values come back in canonical form (2400 -> 2400.0,
    Z -> +00:00): compare them by value."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is not None and math.isfinite(number) and re.fullmatch(r"[-+0-9.eE]+", value):
            return number
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            return value
    if isinstance(value, dict):
        return {k: _same_number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same_number(v) for v in value]
    return value


def _identity(item: dict[str, Any]) -> str:
    keys = ("assetModelExternalId", "assetModelId", "assetExternalId", "assetId", "id",
            "externalId", "childAssetId", "childAssetExternalId")
    return json.dumps({k: item.get(k) for k in keys}, sort_keys=True)


def _normal_sitewise(doc: dict[str, Any]) -> dict[str, Any]:
    """Normalised metadata-transfer JSON: empty lists and defaults dropped, the order of
    models, assets and asset settings (not meaningful in SiteWise) sorted."""
    doc = _same_number(_drop_empty(doc))
    for key in ("assetModels", "assets"):
        if key in doc:
            doc[key] = sorted(doc[key], key=_identity)
    for asset in doc.get("assets", []):
        for key in ("assetProperties", "assetHierarchies"):
            if key in asset:
                asset[key] = sorted(asset[key], key=_identity)
    return doc


def _sitewise_round_trip(source: Path) -> tuple[dict[str, Any], dict[str, Any],
                                                ConversionReport]:
    fmt = get_format("sitewise")
    data = source.read_bytes()
    env, read_report = fmt.read(Source(str(source), data, source), ConvertOptions())
    assert not read_report.has_errors
    out, write_report = fmt.write(env, ConvertOptions())
    return json.loads(data), json.loads(out), write_report


@pytest.mark.parametrize("name", SITEWISE_IMPORTS)
def test_sitewise_round_trip_corpus(name: str) -> None:
    original, again, report = _sitewise_round_trip(_sitewise(name))
    assert _normal_sitewise(again) == _normal_sitewise(original)
    assert not report.issues  # nothing to declare: every attribute came back


def test_sitewise_round_trip_composites_alarms_transforms_tags() -> None:
    original, again, report = _sitewise_round_trip(DATA / "sitewise" / "press-line.json")
    assert _normal_sitewise(again) == _normal_sitewise(original)
    assert not report.issues


def _types(doc: Any) -> dict[str, Any]:
    if isinstance(doc, list):
        items = doc
    else:
        body = doc.get("_embedded", doc)
        items = body.get("aspectTypes", []) + body.get("assetTypes", []) if (
            "aspectTypes" in body or "assetTypes" in body) else [body]
    out = {}
    for item in items:
        item = _same_number(_drop_empty(item))
        for var in item.get("variables", []):
            if var.get("unit") == "":  # "no unit" is written as an absent unit
                del var["unit"]
        if "aspects" in item:  # aspects are a set of named slots: written sorted by name
            item["aspects"] = sorted(item["aspects"], key=lambda a: a["name"])
        out[item["id"]] = item
    return out


@pytest.mark.parametrize("source", [
    *(("corpus", n) for n in IH_SYNTHETIC),
    ("data", "all-datatypes.json"), ("data", "inheritance.json"),
])
def test_insights_hub_round_trip(source: tuple[str, str]) -> None:
    where, name = source
    path = corpus_path(*IH_CORPUS, name) if where == "corpus" else DATA / "insights-hub" / name
    fmt = get_format("insights-hub")
    data = path.read_bytes()
    env, read_report = fmt.read(Source(str(path), data, path),
                                ConvertOptions(search_paths=(path.parent,)))
    assert not read_report.has_errors
    out, report = fmt.write(env, ConvertOptions())
    assert _types(json.loads(out)) == _types(json.loads(data))
    assert not report.issues


def test_insights_hub_list_response_round_trip_declares_what_changed() -> None:
    path = DATA / "insights-hub" / "list-response.json"
    fmt = get_format("insights-hub")
    env, read_report = fmt.read(Source(str(path), path.read_bytes(), path), ConvertOptions())
    dropped = [i.source for i in read_report.issues if i.code.value == "DROPPED"]
    assert "/_embedded/assetTypes/0/aspects/0/aspectType" in dropped
    assert "/_embedded/assetTypes/0/_links" in dropped
    out, _ = fmt.write(env, ConvertOptions())
    types = _types(json.loads(out))
    assert types["demotenant.Chiller"]["aspects"] == [
        {"name": "Cooling", "aspectTypeId": "demotenant.Cooling"}]
    assert types["demotenant.Cooling"]["variables"][0]["name"] == "SupplyTemperature"


# -- round trips: AAS -> format -> AAS for the IDTA templates --------------------------------


def _elements(elements: list[dict[str, Any]], path: str, out: dict[str, dict[str, Any]]
              ) -> None:
    for index, element in enumerate(elements):
        short = element.get("idShort")
        sub = (f"{path}.{short}" if path else str(short)) if short else f"{path}[{index}]"
        flat = {k: v for k, v in element.items() if k not in ("value", "statements")}
        if element.get("modelType") not in ("SubmodelElementCollection",
                                             "SubmodelElementList", "Entity"):
            flat["value"] = element.get("value")
        out[sub] = _same_number(flat)
        value = element.get("value")
        children: list[dict[str, Any]] = value if isinstance(value, list) else []
        if element.get("modelType") in ("SubmodelElementCollection", "SubmodelElementList"):
            _elements(children, sub, out)
        _elements(element.get("statements", []), sub, out)


def _flat(submodel: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    _elements(submodel.get("submodelElements", []), "", out)
    return out


def _differs(original: dict[str, Any], again: dict[str, Any] | None) -> bool:
    """Whether an attribute the original has is missing or different (additions, such as
    Extensions a reader adds, are not losses)."""
    if again is None:
        return True
    return any(k != "extensions" and again.get(k) != v for k, v in original.items()) or any(
        e not in again.get("extensions", []) for e in original.get("extensions", []))


def _match(submodel: dict[str, Any], candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    by_id = [c for c in candidates if c["id"] == submodel["id"]]
    if by_id:
        return by_id[0]
    mine = {e.get("idShort") for e in submodel.get("submodelElements", [])}
    scored = sorted(candidates, key=lambda c: (
        -len(mine & {e.get("idShort") for e in c.get("submodelElements", [])}),
        c.get("idShort") != submodel.get("idShort"), c["id"]))
    return scored[0] if scored else None


def _undeclared(original: dict[str, Any], again: dict[str, Any],
                report: ConversionReport) -> list[str]:
    """Everything of ``original`` that ``again`` lost or changed without a report entry on
    it (or, for flattened nesting, on the container that was flattened)."""
    targets = {i.target for i in report.issues if i.target}
    typed = {i.target for i in report.issues
             if i.code.value in ("TYPE_NARROWED", "TYPE_WIDENED")}
    flattened = {i.target for i in report.issues if i.target and (
        "flattened" in i.message or "composite model" in i.message)}
    missing: list[str] = []
    shells_again = {s["id"]: s for s in again.get("assetAdministrationShells", [])}
    for shell in original.get("assetAdministrationShells", []):
        match = shells_again.get(shell["id"]) or next(
            (s for s in shells_again.values() if s["idShort"] == shell["idShort"]), None)
        if _differs({k: v for k, v in shell.items() if k != "submodels"}, match) and \
                shell["id"] not in targets:
            missing.append(shell["id"])
    candidates = again.get("submodels", [])
    for submodel in original.get("submodels", []):
        match = _match(submodel, candidates)
        head = {k: v for k, v in submodel.items() if k != "submodelElements"}
        if _differs(head, match) and submodel["id"] not in targets:
            missing.append(submodel["id"])
        flat_again = _flat(match) if match else {}
        for path, element in _flat(submodel).items():
            if not _differs(element, flat_again.get(path)):
                continue
            key = f"{submodel['id']}#{path}"
            ancestors = [f"{submodel['id']}#{path[:m.start()]}"
                         for m in re.finditer(r"[.\[]", path)]
            if key not in targets and not any(a in flattened for a in ancestors):
                missing.append(key)
            again_type = (flat_again.get(path) or {}).get("valueType")
            if "valueType" in element and again_type not in (None, element["valueType"]) \
                    and key not in typed:
                missing.append(f"{key} (valueType {element['valueType']} -> {again_type})")
    again_cds = {c["id"]: c for c in again.get("conceptDescriptions", [])}
    for cd in original.get("conceptDescriptions", []):
        if _differs(cd, again_cds.get(cd["id"])) and cd["id"] not in targets:
            missing.append(cd["id"])
    return missing


@pytest.mark.parametrize("fmt", ["sitewise", "insights-hub"])
@pytest.mark.parametrize("parts", TEMPLATE_FILES, ids=lambda p: p[-1])
def test_templates_survive_aas_format_aas_except_declared_losses(
        tmp_path: Path, fmt: str, parts: tuple[str, ...]) -> None:
    source = corpus_path("templates", "published", *parts)
    written = tmp_path / f"template.{fmt}.json"
    report_path = tmp_path / "report.json"
    result = run("convert", str(source), "--to", fmt, "-o", str(written), "--report",
                 str(report_path))
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.json"
    result = run("convert", str(written), "--from", fmt, "--to", "aas-json", "-o", str(back))
    assert result.exit_code == 0, result.output
    validated = validate([str(back)], ValidateOptions())
    assert validated.files[0].ok, validated.files[0].findings
    aas = get_format("aas-json")
    env, _ = aas.read(Source(str(source), source.read_bytes()), ConvertOptions())
    original = environment_to_jsonable(env)
    again_env, _ = aas.read(Source(str(back), back.read_bytes()), ConvertOptions())
    again = environment_to_jsonable(again_env)
    report = _report_from_json(json.loads(report_path.read_text()))
    assert _undeclared(original, again, report) == []
    # and the content that SiteWise / Insights Hub can hold did come back
    values = {e.get("idShort"): e.get("value") for s in again["submodels"]
              for e in s.get("submodelElements", []) if e.get("modelType") == "Property"}
    if "Nameplate" in parts[-1]:
        assert values.get("SerialNumber") == "12345678"
        assert values.get("ManufacturerProductType") == "FM-ABC-1234"


def _report_from_json(doc: dict[str, Any]) -> ConversionReport:
    from omp_models.formats import Code, IssueSeverity

    report = ConversionReport()
    for item in doc["issues"]:
        report.add(Code(item["code"]), IssueSeverity(item["severity"]), item["message"],
                   source=item.get("source"), target=item.get("target"))
    return report


# -- bad input: located error, exit 1, no output, no traceback -------------------------------


BAD_INPUT = [
    ("sitewise", "malformed.json", "not JSON", None),
    ("sitewise", "wrong-schema.json", "'dataType' is required",
     "/assetModels/0/assetModelProperties/0"),
    ("sitewise", "duplicate-names.json", "duplicate property name",
     "/assetModels/0/assetModelProperties/1/name"),
    ("sitewise", "bad-references.json", "does not have",
     "/assetModels/0/assetModelProperties/1/type/metric/variables/0/value"),
    ("sitewise", "bad-value.json", "is not a valid DOUBLE",
     "/assetModels/0/assetModelProperties/0/type/attribute/defaultValue"),
    ("insights-hub", "malformed.json", "not JSON", None),
    ("insights-hub", "wrong-schema.json", "'category' must be one of",
     "/aspectTypes/0/category"),
    ("insights-hub", "cyclic-parents.json", "cyclic parent types", "/assetTypes/0/parentTypeId"),
    ("insights-hub", "duplicate-names.json", "duplicate variable name",
     "/aspectTypes/0/variables/1/name"),
    ("insights-hub", "inherited-clash.json", "inherited from core.basicasset",
     "/assetTypes/0/variables/0/name"),
    ("insights-hub", "bad-default.json", "is not a valid INT", "/variables/0/defaultValue"),
    ("insights-hub", "missing-id.json", "'id' ('<tenant>.<name>') is required", ""),
]


@pytest.mark.parametrize(("fmt", "name", "message", "pointer"), BAD_INPUT,
                         ids=[f"{f}-{n}" for f, n, _, _ in BAD_INPUT])
def test_bad_input_is_a_located_error_and_writes_nothing(
        tmp_path: Path, fmt: str, name: str, message: str, pointer: str | None) -> None:
    source = DATA / fmt / name
    before = source.read_bytes()
    out = tmp_path / "out.json"
    report_path = tmp_path / "report.json"
    result = run("convert", str(source), "--from", fmt, "--to", "aas-json", "-o", str(out),
                 "--report", str(report_path))
    assert result.exit_code == 1
    assert not out.exists()
    assert "Traceback" not in result.output
    assert message in result.output
    assert re.search(re.escape(str(source)) + r":\d+:\d+: convert/INVALID_INPUT", result.output)
    errors = [i for i in json.loads(report_path.read_text())["issues"]
              if i["severity"] == "error"]
    assert errors and all(e["line"] >= 1 and e["column"] >= 1 for e in errors)
    if pointer is not None:
        assert pointer in {e.get("source", "") for e in errors}
    assert source.read_bytes() == before  # the input is never changed


@pytest.mark.parametrize("fmt", ["sitewise", "insights-hub"])
def test_unknown_units_are_lossy_by_default_and_errors_on_request(tmp_path: Path,
                                                                  fmt: str) -> None:
    source = DATA / fmt / "unknown-unit.json"
    out = tmp_path / "out.json"
    result = run("convert", str(source), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "convert/UNIT_UNRESOLVED" in result.output
    doc = json.loads(out.read_bytes())
    (cd,) = doc["conceptDescriptions"]
    content = cd["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert content["unit"] in ("furlongs per fortnight", "scoops/h")  # the text is kept
    assert "unitId" not in content
    out.unlink()
    strict = run("convert", str(source), "--to", "aas-json", "-o", str(out), "--strict")
    assert strict.exit_code == 1  # lossy with --strict
    refused = tmp_path / "refused.json"
    result = run("convert", str(source), "--to", "aas-json", "-o", str(refused), "--option",
                 "unknown-units=error")
    assert result.exit_code == 1
    assert not refused.exists()
    assert re.search(r":\d+:\d+: convert/INVALID_INPUT unit '", result.output)


def test_formats_are_listed_both_ways() -> None:
    doc = json.loads(run("formats", "--format", "json").output)
    found = {f["name"]: f for f in doc["formats"]}
    for name in ("sitewise", "insights-hub"):
        assert found[name]["read"] and found[name]["write"]
    assert not {k for k in doc["broken"] if "sitewise" in k or "insights" in k}
