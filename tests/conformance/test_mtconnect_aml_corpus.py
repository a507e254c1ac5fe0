"""MTConnect and AutomationML over the shared corpus.

- every MTConnect Devices and Streams document and every well-formed AML file converts to
  AAS JSON that ``omp validate`` passes without an error, and converting twice gives the
  same bytes (within a process, and for the AML writer and a Devices file across
  processes, whose hash seeds differ);
- the malformed AML file is one located error, nothing is written;
- AAS -> AML -> AAS is the identity for published IDTA templates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.io import environment_to_jsonable
from omp_models.formats import ConvertOptions, Source, get_format
from omp_models.formats.automationml._caex import validate_bytes
from omp_validators import validate
from tests.conftest import CORPUS, corpus_path

MTCONNECT = CORPUS / "formats" / "mtconnect"
AML = CORPUS / "formats" / "automationml" / "AML-UA-XSLT" / "TestData_AML"
MALFORMED = "ARAPCAllClassLibsV_1_2_1.aml"
TEMPLATES = CORPUS / "templates" / "published"


def _mtconnect_documents() -> list[Path]:
    if not MTCONNECT.exists():
        return []
    return sorted(p for p in MTCONNECT.rglob("*.xml")
                  if b"<MTConnectDevices" in p.read_bytes()[:2048]
                  or b"<MTConnectStreams" in p.read_bytes()[:2048])


MTC_FILES = _mtconnect_documents()
AML_FILES = sorted(p for p in AML.glob("*.aml") if p.name != MALFORMED) if AML.exists() else []
#: Published templates for the AML round trip (one per family, AAS 3.0 and 3.1 content).
ROUND_TRIP = [
    "Asset Interfaces Mapping Configuration/1/0/1/IDTA 02027-1-0-1_Template_AIMC.json",
    "Hierarchical Structures enabling Bills of Material/1/1/1/"
    "IDTA 02011-1-1-1_Template_HSEBoM_forAASMetamodelV3.1.json",
    "Control Component Type/2/0/IDTA 02015-2-0 _Template_ControlComponentType.json",
    "Control Component Instance/2/0/IDTA 02016-2-0 _Template_ControlComponentInstance.json",
    "Digital Product Passport/Digital Product Passport Part-1/1/0/1/"
    "IDTA 02099-1_Template Digital Product Passport - Part 1.json",
    "Digital Battery Passport/3_Product Carbon Footprint/1/0/"
    "IDTA 02035-3_DBP-Part-3_ProductCarbonFootprint.json",
    "Contact Information/1/0/IDTA 02002-1-0_Template_ContactInformation.json",
    "Digital nameplate/3/0/1/IDTA 02006-3-0-1_Template_Digital Nameplate.json",
    "Time Series Data/1/1/1/IDTA 02008-1-1-1_Template_withOperations_TimeSeriesData.json",
    "Carbon Footprint/1/0/IDTA 02023 _Template_CarbonFootprint.json",
    "Artificial Intelligence Dataset/1/0/1/"
    "IDTA 02058-1-0-1_Template_AIDataset_forAASMetamodelV3.1.json",
    "Technical_Data/2/0/1/IDTA 02003_2-0-1_Template_TechnicalData_forAASMetamodelV3.1.json",
]


def _convert(fmt: str, path: Path) -> bytes:
    options = ConvertOptions(search_paths=(path.parent,))
    env, report = get_format(fmt).read(Source(str(path), path.read_bytes(), path), options)
    assert not report.has_errors, [i.to_dict() for i in report if i.severity == "error"]
    data, written = get_format("aas-json").write(env, options)
    assert not written.has_errors, [i.message for i in written]
    return data


def _check_output(data: bytes, tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.json"
    out.write_bytes(data)
    result = validate([str(out)]).files[0]
    errors = [f"{f.rule}: {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors, errors


def test_corpus_present() -> None:
    corpus_path("formats", "mtconnect")
    corpus_path("formats", "automationml")
    assert len([p for p in MTC_FILES if b"<MTConnectDevices" in p.read_bytes()[:2048]]) >= 20
    assert len(AML_FILES) >= 15


@pytest.mark.parametrize("path", MTC_FILES, ids=lambda p: str(p.relative_to(MTCONNECT)))
def test_mtconnect_converts_and_validates(path: Path, tmp_path: Path) -> None:
    data = _convert("mtconnect", path)
    _check_output(data, tmp_path, path.stem)
    assert _convert("mtconnect", path) == data
    shells = json.loads(data).get("assetAdministrationShells", [])
    assert shells or path.name == "empty.xml"


@pytest.mark.parametrize("path", AML_FILES, ids=lambda p: p.name)
def test_aml_converts_and_validates(path: Path, tmp_path: Path) -> None:
    data = _convert("aml", path)
    _check_output(data, tmp_path, path.stem)
    assert _convert("aml", path) == data


def test_malformed_aml_is_a_located_finding(tmp_path: Path) -> None:
    path = corpus_path("formats", "automationml", "AML-UA-XSLT", "TestData_AML", MALFORMED)
    out = tmp_path / "out.json"
    result = _cli("convert", str(path), "--to", "aas-json", "-o", str(out))
    assert result.returncode == 1 and not out.exists()
    assert f"{path}:15:54: convert/INVALID_INPUT not well-formed XML" in result.stderr
    assert "Traceback" not in result.stderr


def _cli(*args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", "from omp_validators.cli import main; main()",
                           *args], capture_output=True, text=True, env=env, check=False,
                          timeout=120)


def test_reruns_in_other_processes_are_byte_identical(tmp_path: Path) -> None:
    devices = corpus_path("formats", "mtconnect", "cppagent", "demo", "agent", "Devices.xml")
    aml = corpus_path("formats", "automationml", "AML-UA-XSLT", "TestData_AML", "Part2.aml")
    out = tmp_path / "devices.json"
    assert _cli("convert", str(devices), "--to", "aas-json", "-o", str(out),
                seed="1").returncode == 0
    assert out.read_bytes() == _convert("mtconnect", devices)
    out = tmp_path / "part2.aml"
    assert _cli("convert", str(aml), "--to", "aml", "-o", str(out), seed="2").returncode == 0
    env, _ = get_format("aml").read(Source(str(aml), aml.read_bytes(), aml), ConvertOptions())
    assert out.read_bytes() == get_format("aml").write(env, ConvertOptions())[0]
    assert validate_bytes(out.read_bytes()) == []


def _normal(value: Any) -> Any:
    """The JSON form with lists in a canonical order (basyx keeps some lists as sets)."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_normal(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


@pytest.mark.parametrize("relative", ROUND_TRIP, ids=lambda r: r.rsplit("/", 1)[-1])
def test_aas_to_aml_to_aas(relative: str) -> None:
    path = corpus_path("templates", "published", *relative.split("/"))
    options = ConvertOptions()
    env, report = get_format("aas-json").read(Source(str(path), path.read_bytes(), path),
                                              options)
    assert not report.has_errors
    data, written = get_format("aml").write(env, options)
    assert not written.issues
    assert validate_bytes(data) == []
    back, read_report = get_format("aml").read(Source("x.aml", data), options)
    assert not read_report.issues
    assert _normal(environment_to_jsonable(back)) == _normal(environment_to_jsonable(env))
