"""``omp convert`` and ``omp formats`` with the AAS formats (the 3.0 <-> 3.1 bridge)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omp_models.formats import (
    ConvertOptions,
    Format,
    Source,
    available_formats,
    get_format,
    sniff_format,
)
from omp_validators import ValidateOptions, validate, validate_bytes
from omp_validators.cli import cli
from tests.conftest import ROOT

VALID = ROOT / "examples" / "valid"
INVALID = ROOT / "examples" / "invalid"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_formats_lists_the_builtins() -> None:
    result = run("formats")
    assert result.exit_code == 0
    for name in ("aas-json", "aas-xml", "aasx"):
        assert name in result.output
    doc = json.loads(run("formats", "--format", "json").output)
    assert doc["broken"] == {}


def test_every_format_satisfies_the_protocol() -> None:
    for fmt in available_formats().values():
        assert isinstance(fmt, Format)
        assert fmt.name and fmt.title and fmt.extension.startswith(".")


def test_the_registry_does_not_import_the_format_machinery(tmp_path: Path) -> None:
    """Every `omp convert` builds the registry: formats load their machinery when used."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from omp_models.formats import available_formats, sniff_format\n"
        "assert len(available_formats()) > 10\n"
        "sniff_format('x.csv', b'a,b')\n"
        "heavy = ('omp_models.formats.table._', 'omp_models.formats.mtconnect._',\n"
        "         'omp_models.formats.sitewise._', 'omp_models.formats.insights_hub._',\n"
        "         'omp_models.formats.opcua._', 'omp_models.formats.dtdl._',\n"
        "         'omp_models.formats.automationml._', 'basyx', 'openpyxl', 'rdflib')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)\n"
        "             and not m.endswith('._format')))\n"  # (a format's own light class)
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("target", ["aas-json", "aas-xml", "aasx"])
@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("source", ["press-line-3.0.json", "spindle-3.1.xml",
                                    "press-line-3.0.aasx"])
def test_output_validates_and_is_deterministic(
    tmp_path: Path, source: str, version: str, target: str
) -> None:
    out1, out2 = tmp_path / "a", tmp_path / "b"
    out1.mkdir()
    out2.mkdir()
    args = [str(VALID / source), "--to", target, "--aas-version", version]
    first = run("convert", *args, "-o", str(out1))
    second = run("convert", *args, "-o", str(out2))
    assert first.exit_code == second.exit_code == 0, first.output
    (written,) = list(out1.iterdir())
    assert written.read_bytes() == (out2 / written.name).read_bytes()
    # Valid as the version asked for (pinned: JSON itself does not say which it is).
    report = validate([str(written)], ValidateOptions(aas_version=version))  # type: ignore[arg-type]
    assert report.files[0].ok, report.files[0].findings
    assert report.files[0].aas_version == version


def test_round_trip_keeps_the_content() -> None:
    data = (VALID / "press-line-3.0.json").read_bytes()
    fmt = get_format("aas-json")
    env, report = fmt.read(Source("x.json", data), ConvertOptions())
    assert not report.issues
    out, _ = fmt.write(env, ConvertOptions(aas_version="3.0"))
    again, _ = fmt.read(Source("y.json", out), ConvertOptions())
    out2, _ = fmt.write(again, ConvertOptions(aas_version="3.0"))
    assert out == out2
    original = json.loads(data)
    converted = json.loads(out)
    assert {s["id"] for s in original["submodels"]} == {s["id"] for s in converted["submodels"]}


def test_aasx_keeps_supplementary_files_and_json_reports_their_loss(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    result = run("convert", str(VALID / "press-line-3.0.aasx"), "--to", "aasx",
                 "-o", str(tmp_path / "out.aasx"), "--report", str(report_path))
    assert result.exit_code == 0
    assert json.loads(report_path.read_text())["issues"] == []
    assert validate([str(tmp_path / "out.aasx")]).files[0].findings == ()
    result = run("convert", str(VALID / "press-line-3.0.aasx"), "--to", "aas-json",
                 "-o", str(tmp_path / "out.json"), "--report", str(report_path), "--strict")
    assert result.exit_code == 1  # lossy under --strict
    issues = json.loads(report_path.read_text())["issues"]
    assert [i["code"] for i in issues] == ["DROPPED"]


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.aasx"
    result = run("convert", str(INVALID / "truncated.json"), "--to", "aasx", "-o", str(out))
    assert result.exit_code == 1
    assert "convert/INVALID_INPUT" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_downgrade_reports_what_30_cannot_hold(tmp_path: Path) -> None:
    # A hyphen in an idShort is valid in 3.1 only.
    doc = json.loads((VALID / "operating-hours-submodel.json").read_text())
    doc["idShort"] = "Operating-Data"
    src = tmp_path / "sm.json"
    src.write_text(json.dumps(doc))
    result = run("convert", str(src), "--to", "aas-json", "--aas-version", "3.0",
                 "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 1
    assert "convert/VERSION_DOWNGRADE" in result.output
    assert not (tmp_path / "out.json").exists()
    ok = run("convert", str(src), "--to", "aas-json", "--aas-version", "3.1")
    assert ok.exit_code == 0
    assert validate_bytes(ok.output.encode(), "out.json").ok


def test_several_inputs_become_one_environment(tmp_path: Path) -> None:
    result = run("convert", str(VALID / "press-line-3.0.json"), str(VALID / "spindle-3.1.xml"),
                 "--to", "aas-json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert len(doc["submodels"]) == 2


def test_duplicate_identifiables_across_inputs_are_reported(tmp_path: Path) -> None:
    result = run("convert", str(VALID / "press-line-3.0.json"),
                 str(VALID / "press-line-3.0.aasx"), "--to", "aas-json")
    assert result.exit_code == 0
    assert "convert/DUPLICATE" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["convert", str(VALID / "spindle-3.1.xml"), "--to", "pdf"],
        ["convert", str(VALID / "spindle-3.1.xml"), "--to", "aasx", "--from", "nope"],
        ["convert", "missing.json", "--to", "aasx"],
        ["convert", str(VALID / "spindle-3.1.xml")],
        ["convert", str(VALID / "spindle-3.1.xml"), "--to", "aasx", "--option", "novalue"],
    ],
)
def test_usage_errors(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_unknown_content_needs_from(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = run("convert", str(path), "--to", "aas-json")
    assert result.exit_code == 2
    assert "--from" in result.output


def test_sniffing_by_content() -> None:
    data = (VALID / "spindle-3.1.xml").read_bytes()
    fmt = sniff_format("whatever.dat", data)
    assert fmt is not None and fmt.name == "aas-xml"
    aasx = (VALID / "press-line-3.0.aasx").read_bytes()
    found = sniff_format("p.aasx", aasx)
    assert found is not None and found.name == "aasx"
