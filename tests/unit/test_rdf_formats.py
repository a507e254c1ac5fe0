"""``omp convert`` with ``aas-turtle`` and ``aas-jsonld``: both directions, reports, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from omp_models.formats import ConvertOptions, Source, get_format, sniff_format
from omp_models.rdf import namespace, to_jsonld, to_turtle
from omp_validators.cli import cli
from tests.unit.test_rdf import ENV

NS = namespace("3.0")


def _convert(*args: str) -> Result:
    return CliRunner().invoke(cli, ["convert", *args])


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    path = tmp_path / "env.json"
    path.write_text(json.dumps(ENV), encoding="utf-8")
    return path


@pytest.mark.parametrize(("fmt", "suffix"), [("aas-turtle", ".ttl"), ("aas-jsonld", ".jsonld")])
def test_json_to_rdf_and_back(env_file: Path, tmp_path: Path, fmt: str, suffix: str) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    for out in (first, second):
        result = _convert(str(env_file), "--to", fmt, "--aas-version", "3.0", "-o", str(out))
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    back = tmp_path / "back.json"
    result = _convert(str(first), "--to", "aas-json", "--aas-version", "3.0", "-o", str(back),
                      "--report", str(tmp_path / "report.json"))
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["issues"] == []
    assert report["source"]["format"] == fmt
    assert json.loads(back.read_text(encoding="utf-8")) == _by_id(ENV)


def _by_id(env: dict[str, Any]) -> dict[str, Any]:
    """The environment as the object model gives it back: identifiables sorted by id."""
    return {k: sorted(v, key=lambda i: i["id"]) for k, v in env.items()}


def test_the_turtle_names_the_version_written(env_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "env.ttl"
    assert _convert(str(env_file), "--to", "aas-turtle", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("@prefix aas: <https://admin-shell.io/aas/3/1/> .")


def test_formats_are_sniffed_from_content() -> None:
    turtle = to_turtle(ENV, "3.0").encode()
    jsonld = to_jsonld(ENV, "3.0").encode()
    turtle_fmt = sniff_format("env.data", turtle)
    jsonld_fmt = sniff_format("env.data", jsonld)
    aas_fmt = sniff_format("env.json", json.dumps(ENV).encode())
    assert turtle_fmt is not None and turtle_fmt.name == "aas-turtle"
    assert jsonld_fmt is not None and jsonld_fmt.name == "aas-jsonld"
    assert aas_fmt is not None and aas_fmt.name == "aas-json"
    assert not get_format("aas-turtle").sniff("x.ttl", b"@prefix ex: <http://e/> .")


def test_unreadable_rdf_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"@prefix aas: <{NS}> .\n<a> aas:x [ .", encoding="utf-8")
    out = tmp_path / "out.json"
    result = _convert(str(bad), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 1
    assert "not valid turtle" in result.output
    assert not out.exists()


def test_an_invalid_literal_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        f"@prefix aas: <{NS}> .\n@prefix xs: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'<urn:sm> a aas:Submodel ; <{NS}Identifiable/id> "urn:sm" ;\n'
        f"  <{NS}Submodel/submodelElements> [ a aas:Blob ;\n"
        f'    <{NS}Referable/idShort> "bb" ; <{NS}Blob/contentType> "a/b" ;\n'
        f'    <{NS}Blob/value> "!!!"^^xs:base64Binary ] .\n', encoding="utf-8")
    out = tmp_path / "out.json"
    result = _convert(str(bad), "--to", "aas-json", "-o", str(out))
    assert result.exit_code == 1
    assert "'!!!' is not an xs:base64Binary" in result.output
    assert "/submodels/0/submodelElements/0/value" in result.output
    assert not out.exists()


def test_dropped_triples_are_lossy_and_fail_strict(tmp_path: Path) -> None:
    src = tmp_path / "extra.ttl"
    src.write_text(to_turtle(ENV, "3.0") + '<urn:sm> <http://example.com/note> "x" .\n',
                   encoding="utf-8")
    out = tmp_path / "out.json"
    report_path = tmp_path / "report.json"
    result = _convert(str(src), "--to", "aas-json", "-o", str(out), "--report",
                      str(report_path))
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert [(i["code"], i["severity"]) for i in report["issues"]] == [("DROPPED", "lossy")]
    assert _convert(str(src), "--to", "aas-json", "--strict", "-o", str(out)).exit_code == 1


def test_writing_3_0_refuses_what_3_0_cannot_hold(tmp_path: Path) -> None:
    env = {"assetAdministrationShells": [{
        "modelType": "AssetAdministrationShell", "id": "urn:x:aas",
        "assetInformation": {"assetKind": "Role", "globalAssetId": "urn:x:asset"}}]}
    src = tmp_path / "env31.json"
    src.write_text(json.dumps(env), encoding="utf-8")
    out = tmp_path / "out.ttl"
    result = _convert(str(src), "--to", "aas-turtle", "--aas-version", "3.0", "-o", str(out))
    assert result.exit_code == 1
    assert "VERSION_DOWNGRADE" in result.output
    assert not out.exists()
    assert _convert(str(src), "--to", "aas-turtle", "-o", str(out)).exit_code == 0


def test_format_objects_read_and_write_directly() -> None:
    fmt = get_format("aas-jsonld")
    env, report = fmt.read(Source("env.jsonld", to_jsonld(ENV, "3.0").encode()),
                           ConvertOptions())
    assert report.issues == [] and report.meta["sourceVersions"] == ["3.0"]
    data, written = get_format("aas-turtle").write(env, ConvertOptions(aas_version="3.0"))
    assert written.issues == []
    assert data.decode() == to_turtle(_by_id(ENV), "3.0")


def test_from_names_the_syntax_of_any_file_name(tmp_path: Path) -> None:
    src = tmp_path / "export.txt"
    src.write_text(to_jsonld(ENV, "3.0"), encoding="utf-8")
    out = tmp_path / "env.ttl"
    result = _convert(str(src), "--from", "aas-jsonld", "--to", "aas-turtle",
                      "--aas-version", "3.0", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == to_turtle(_by_id(ENV), "3.0")
    wrong = _convert(str(src), "--from", "aas-turtle", "--to", "aas-json", "-o",
                     str(tmp_path / "x.json"))
    assert wrong.exit_code == 1
    assert "not valid turtle" in wrong.output
