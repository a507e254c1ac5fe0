"""``omp convert`` with OPC UA NodeSets: dependencies, reports, exit codes, round trips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from omp_validators import ValidateOptions, validate
from omp_validators.cli import cli
from tests.conftest import corpus_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def nodesets() -> Path:
    return corpus_path("formats", "opcua-nodeset")


def test_nodeset_is_detected_and_converted_with_its_dependencies(tmp_path: Path) -> None:
    source = nodesets() / "Machinery" / "Opc.Ua.Machinery.Examples.NodeSet2.xml"
    out, report_path = tmp_path / "machine.json", tmp_path / "report.json"
    result = run("convert", str(source), "--to", "aas-json", "--search-path", str(nodesets()),
                 "-o", str(out), "--report", str(report_path))
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text())
    assert report["source"]["format"] == "opcua-nodeset"
    # The example requires older versions than the corpus has: each substitution is noted.
    newer = {i["source"]: i["original"] for i in report["issues"]
             if i["code"] == "DEPENDENCY_MISSING" and i["severity"] == "info"}
    assert newer["http://opcfoundation.org/UA/Machinery/"] == "1.02.0"
    assert newer["http://opcfoundation.org/UA/DI/"] == "1.02.2"
    assert report["summary"]["error"] == report["summary"]["lossy"] == 0
    checked = validate([str(out)], ValidateOptions(aas_version="3.1"))
    assert checked.files[0].ok, checked.files[0].findings


def test_default_search_path_is_the_inputs_folder(tmp_path: Path) -> None:
    # Alone in a folder the example cannot find Machinery: nothing is written, exit 1.
    alone = tmp_path / "alone"
    alone.mkdir()
    source = alone / "example.NodeSet2.xml"
    shutil.copy(nodesets() / "Machinery" / "Opc.Ua.Machinery.Examples.NodeSet2.xml", source)
    out, report_path = tmp_path / "out.json", tmp_path / "report.json"
    result = run("convert", str(source), "--to", "aas-json", "-o", str(out),
                 "--report", str(report_path))
    assert result.exit_code == 1
    assert not out.exists()
    issues = json.loads(report_path.read_text())["issues"]
    missing = {(i["source"], i.get("original")) for i in issues
               if i["code"] == "DEPENDENCY_MISSING" and i["severity"] == "error"}
    assert ("http://opcfoundation.org/UA/Machinery/", "1.02.0") in missing
    assert "convert/DEPENDENCY_MISSING" in result.output
    # Copying the dependencies beside it (any depth) is enough.
    for folder in ("Schema", "DI", "Machinery"):
        shutil.copytree(nodesets() / folder, alone / "deps" / folder)
    result = run("convert", str(source), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_aas_to_nodeset_and_back_on_the_command_line(tmp_path: Path) -> None:
    template = corpus_path("templates", "published", "Technical_Data", "2", "0", "1",
                           "IDTA 02003_2-0-1_Template_TechnicalData.json")
    direct = tmp_path / "direct.json"
    assert run("convert", str(template), "--to", "aas-json", "-o", str(direct)).exit_code == 0
    nodeset = tmp_path / "TechnicalData.NodeSet2.xml"
    result = run("convert", str(template), "--to", "opcua-nodeset", "-o", str(nodeset),
                 "--strict")
    assert result.exit_code == 0, result.output
    assert nodeset.read_bytes().startswith(b"<?xml")
    back = tmp_path / "back.json"
    result = run("convert", str(nodeset), "--to", "aas-json", "-o", str(back),
                 "--search-path", str(nodesets()))
    assert result.exit_code == 0, result.output
    assert back.read_bytes() == direct.read_bytes()


def test_malformed_nodeset_gives_a_located_finding_and_no_output(tmp_path: Path) -> None:
    source = tmp_path / "broken.NodeSet2.xml"
    source.write_bytes(b"<?xml version='1.0'?>\n<UANodeSet xmlns="
                       b"'http://opcfoundation.org/UA/2011/03/UANodeSet.xsd'>\n"
                       b"<UAObject NodeId='ns=1;i=1' BrowseName='1:X'>\n</UANodeSet>\n")
    out = tmp_path / "out.json"
    result = run("convert", str(source), "--to", "aas-json", "-o", str(out),
                 "--from", "opcua-nodeset")
    assert result.exit_code == 1
    assert not out.exists()
    assert "convert/INVALID_INPUT" in result.output and ":4" in result.output


def test_strict_fails_on_lossy_native_export(tmp_path: Path) -> None:
    template = corpus_path("templates", "published", "Digital nameplate", "3", "0", "1",
                           "IDTA 02006-3-0-1_Template_Digital Nameplate.json")
    out = tmp_path / "plain.NodeSet2.xml"
    result = run("convert", str(template), "--to", "opcua-nodeset", "-o", str(out),
                 "--option", "aas-extensions=false", "--strict")
    assert result.exit_code == 1
    assert "convert/DROPPED" in result.output
    assert out.exists()  # lossy is not an error: written, and --strict says so
