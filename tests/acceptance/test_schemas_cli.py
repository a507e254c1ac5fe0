"""``omp schemas`` and ``omp validate --template`` end to end (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from omp_validators.cli import cli
from tests.conftest import ROOT

COMMITTED = ROOT / "schemas" / "submodels"
NAMEPLATE = COMMITTED / "digital-nameplate" / "3.0.1" / "value-only.schema.json"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_list_shows_vendored_and_value_only_schemas(runner: CliRunner) -> None:
    result = run(runner, "schemas", "list")
    assert result.exit_code == 0, result.output
    assert "aas-3.1-json" in result.output
    assert "value-only:digital-nameplate@3.0.1" in result.output
    rows = json.loads(run(runner, "schemas", "list", "--format", "json").output)
    generated = [r for r in rows if r["id"].startswith("value-only:")]
    assert len(generated) == 7
    for row in generated:
        assert (ROOT / "schemas" / row["file"]).is_file(), row


def test_show_prints_the_schema(runner: CliRunner) -> None:
    result = run(runner, "schemas", "show", "value-only:digital-nameplate@3.0.1")
    assert result.exit_code == 0
    assert result.output == NAMEPLATE.read_text(encoding="utf-8")
    by_name = run(runner, "schemas", "show", "Digital Nameplate")
    assert by_name.output == result.output
    strict = json.loads(run(runner, "schemas", "show", "nameplate", "--strict").output)
    assert strict["additionalProperties"] is False
    vendored = run(runner, "schemas", "show", "aas-3.1-json")
    assert json.loads(vendored.output)["$schema"].startswith("https://json-schema.org/")
    unknown = runner.invoke(cli, ["schemas", "show", "no-such-schema"])
    assert unknown.exit_code == 2
    assert "unknown submodel template 'no-such-schema'" in unknown.output


def test_export_writes_one_schema_per_template_version(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    target = tmp_path / "out"
    result = run(runner, "schemas", "export", str(target))
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.json"))
    assert written == sorted(p.relative_to(COMMITTED).as_posix()
                             for p in COMMITTED.rglob("*.json"))
    assert (target / "digital-nameplate" / "3.0.1" / "value-only.schema.json").read_text(
        encoding="utf-8") == NAMEPLATE.read_text(encoding="utf-8")
    again = run(runner, "schemas", "export", str(target))
    assert "7 schema(s), 0 written, 7 unchanged" in again.output
    assert run(runner, "schemas", "export", str(target), "--check").exit_code == 0
    stale = target / "carbon-footprint" / "1.0.1" / "value-only.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    checked = run(runner, "schemas", "export", str(target), "--check")
    assert checked.exit_code == 1
    assert f"{stale}: out of date" in checked.output
    assert stale.read_text(encoding="utf-8") == "{}\n"  # --check writes nothing


def test_committed_schemas_match_export(runner: CliRunner) -> None:
    result = run(runner, "schemas", "export", str(COMMITTED), "--check")
    assert result.exit_code == 0, result.output


def test_validate_a_value_only_payload(runner: CliRunner, tmp_path: Path) -> None:
    example = run(runner, "schemas", "example", "Digital Nameplate", "--maximal")
    assert example.exit_code == 0
    payload = json.loads(example.output)
    good = tmp_path / "nameplate.json"
    good.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    result = run(runner, "validate", str(good), "--template", "Digital Nameplate")
    assert result.exit_code == 0, result.output

    payload["YearOfConstruction"] = 2022
    del payload["OrderCodeOfManufacturer"]
    payload["SerialNo"] = "4711"
    bad = tmp_path / "supplier-nameplate.json"
    text = json.dumps(payload, indent=2)
    bad.write_text(text, encoding="utf-8")
    report = run(runner, "validate", str(bad), "--template",
                 "https://admin-shell.io/idta/nameplate/3/0/Nameplate", "-o", "json")
    assert report.exit_code == 1
    data = json.loads(report.output)
    findings = [f for file in data["files"] for f in file["findings"]]
    got = {(f["rule"], f["severity"], f["location"].get("path")) for f in findings}
    assert got == {("smt-value/missing-element", "error", ""),
                   ("smt-value/value-type", "error", "/YearOfConstruction"),
                   ("smt-value/unexpected-element", "warning", "/SerialNo")}
    located = {f["location"]["path"]: f["location"].get("line") for f in findings}
    assert located["/YearOfConstruction"] == text.splitlines().index(
        '  "YearOfConstruction": 2022,') + 1
    assert all(f.get("hint") for f in findings)
    assert bad.read_text(encoding="utf-8") == text  # the input is never changed
    strict = run(runner, "validate", str(bad), "--template", "nameplate",
                 "--strict-templates", "-o", "json")
    severities = {f["rule"]: f["severity"] for file in json.loads(strict.output)["files"]
                  for f in file["findings"]}
    assert severities["smt-value/unexpected-element"] == "error"


def test_validate_with_an_unknown_template(runner: CliRunner, tmp_path: Path) -> None:
    payload = tmp_path / "p.json"
    payload.write_text("{}", encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(payload), "--template", "no-such-template"])
    assert result.exit_code in (1, 2)
    assert "no-such-template" in result.output
    assert "Traceback" not in result.output
