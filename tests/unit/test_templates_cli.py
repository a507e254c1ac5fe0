"""``omp templates list|show|instantiate|lint`` and ``omp validate`` on instances (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from omp_models.templates import bundled_templates
from omp_validators.cli import cli
from tests.conftest import ROOT, corpus_path

DATA = ROOT / "tests" / "data" / "templates"
SLUGS = [item.slug for item in bundled_templates()]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_names_every_bundled_template() -> None:
    result = run("templates", "list")
    assert result.exit_code == 0, result.output
    for item in bundled_templates():
        assert f"{item.title}  {item.version}  IDTA {item.idta}  {item.semantic_id}" in (
            result.output)
    listed = json.loads(run("templates", "list", "--format", "json").output)
    assert {t["semanticId"] for t in listed} == {i.semantic_id for i in bundled_templates()}


def test_list_with_a_folder_shows_hidden_templates_and_problems(tmp_path: Path) -> None:
    (tmp_path / "contacts.json").write_bytes(
        (ROOT / "omp_models/templates/_bundled/contact-information-1.0.1.json").read_bytes())
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(cli, ["templates", "list", "--templates", str(tmp_path),
                                      "--all"])
    assert result.exit_code == 1
    assert "(hidden by " in result.output and "contacts.json" in result.output
    assert "broken.json: not JSON" in result.output


def test_show_prints_the_tree() -> None:
    result = run("templates", "show", "02006")
    assert result.exit_code == 0
    assert "  MarkingName  [One]  Property xs:string  0112/2///61987#ABA231#009" in (
        result.output)
    assert "Markings  [ZeroToOne]  SubmodelElementList" in result.output


def test_unknown_template_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["templates", "instantiate", "no-such-template"])
    assert result.exit_code == 2
    assert "no template 'no-such-template'" in result.output


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("mode", ["--minimal", "--maximal"])
def test_instances_of_bundled_templates_validate_clean(tmp_path: Path, slug: str,
                                                       mode: str) -> None:
    out = tmp_path / f"{slug}.json"
    made = run("templates", "instantiate", slug, mode, "-o", str(out))
    assert made.exit_code == 0, made.output
    # Template semanticIds that are ModelReferences to the template file's concept
    # descriptions cannot resolve in an instance file: that warning is the only one allowed.
    checked = run("validate", "--fail-on", "warning", "--ignore", "env/unresolved-reference",
                  str(out))
    assert checked.exit_code == 0, checked.output
    again = tmp_path / "again.json"
    run("templates", "instantiate", slug, mode, "-o", str(again))
    assert again.read_bytes() == out.read_bytes()  # deterministic


def test_xml_instances_and_versions(tmp_path: Path) -> None:
    for version in ("3.0", "3.1"):
        out = tmp_path / f"nameplate-{version}.xml"
        made = run("templates", "instantiate", "nameplate", "--maximal", "--aas-version",
                   version, "-o", str(out))
        assert made.exit_code == 0, made.output
        assert f"https://admin-shell.io/aas/{version.replace('.', '/')}" in out.read_text()
        checked = run("validate", "--fail-on", "info", "--ignore", "env/unresolved-reference",
                      str(out))
        assert checked.exit_code == 0, checked.output


def test_instance_properties(tmp_path: Path) -> None:
    out = tmp_path / "widget.json"
    made = run("templates", "instantiate", str(DATA / "widget-template.json"), "--maximal",
               "--id", "urn:example:widget:1", "--id-short", "MyWidget", "-o", str(out))
    assert made.exit_code == 0, made.output
    submodel = json.loads(out.read_text())["submodels"][0]
    assert submodel["kind"] == "Instance" and submodel["id"] == "urn:example:widget:1"
    assert submodel["idShort"] == "MyWidget"
    assert submodel["administration"]["templateId"] == "urn:example:template:widget:1:0"
    text = out.read_text()
    assert '"qualifiers"' not in text and "Multiplicity" not in text  # AASd-129
    names = [e["idShort"] for e in submodel["submodelElements"]]
    assert [n for n in names if n.startswith("Part")] == ["Part01", "Part02"]
    values = {e["idShort"]: e.get("value") for e in submodel["submodelElements"]}
    assert values["Load"] == "42" and values["Colour"] == "red" and values["Mode"] == "auto"
    stdout = run("templates", "instantiate", str(DATA / "widget-template.json"))
    assert json.loads(stdout.output)["submodels"][0]["kind"] == "Instance"


def test_supplier_nameplates_through_validate() -> None:
    good = run("validate", "--fail-on", "warning", str(DATA / "supplier-nameplate.json"))
    assert good.exit_code == 0, good.output
    bad = CliRunner().invoke(cli, ["validate", "-o", "json",
                                   str(DATA / "supplier-nameplate-bad.json")])
    assert bad.exit_code == 1
    findings = json.loads(bad.output)["files"][0]["findings"]
    assert [(f["rule"], f["location"]["path"], f["location"]["line"]) for f in findings] == [
        ("smt/missing-element", "/submodels/0", 3),
        ("smt/semantic-id-near-miss", "/submodels/0/submodelElements/4/semanticId", 85),
        ("smt/value-type", "/submodels/0/submodelElements/5/valueType", 110)]


def test_mutated_instance_and_strict_templates(tmp_path: Path) -> None:
    out = tmp_path / "contacts.json"
    run("templates", "instantiate", "contact-information", "-o", str(out))
    document = json.loads(out.read_text())
    contact = document["submodels"][0]["submodelElements"][0]
    contact.setdefault("value", []).append(
        {"idShort": "Pager", "modelType": "Property", "valueType": "xs:string"})
    out.write_text(json.dumps(document, indent=2))
    lenient = run("validate", str(out))
    assert lenient.exit_code == 0 and "smt/unexpected-element" in lenient.output
    strict = run("validate", "--strict-templates", str(out))
    assert strict.exit_code == 1
    assert "smt/unexpected-element Property 'Pager'" in strict.output


def test_validate_with_a_template_folder(tmp_path: Path) -> None:
    out = tmp_path / "widget.json"
    run("templates", "instantiate", str(DATA / "widget-template.json"), "-o", str(out))
    document = json.loads(out.read_text())
    elements = document["submodels"][0]["submodelElements"]
    elements[:] = [e for e in elements if e["idShort"] != "Name"]
    out.write_text(json.dumps(document))
    assert run("validate", str(out)).exit_code == 0  # the widget is not known by default
    found = run("validate", "--templates", str(DATA), str(out))
    assert found.exit_code == 1
    assert "smt/missing-element MultiLanguageProperty 'Name'" in found.output


def test_lint_bundled_templates() -> None:
    result = CliRunner().invoke(cli, ["templates", "lint", "-o", "json", "--fail-on",
                                      "never"])
    assert result.exit_code == 0
    files = json.loads(result.output)["files"]
    assert len(files) == len(bundled_templates())
    rules = {f["rule"] for file in files for f in file["findings"]}
    assert "smt-lint/cardinality-spelling" in rules  # Time Series writes "Cardinality"
    assert all(f["location"].get("line") for file in files for f in file["findings"]
               if f["location"].get("path"))


def test_lint_reports_unreadable_files_and_filters(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"hello": 1}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["templates", "lint", str(tmp_path)])
    assert result.exit_code == 1
    assert "smt-lint/unreadable" in result.output
    widget = CliRunner().invoke(cli, ["templates", "lint", "--select", "smt-lint/",
                                      "--fail-on", "warning",
                                      str(DATA / "widget-template.json")])
    assert widget.exit_code == 1
    line = next(n for n, text in enumerate((DATA / "widget-template.json").read_text(
        encoding="utf-8").splitlines(), start=1) if '"type": "Cardinality"' in text)
    assert f"widget-template.json:{line}:" in widget.output  # at the "Cardinality" spelling
    assert "aas/" not in widget.output


def test_lint_writes_reports(tmp_path: Path) -> None:
    sarif = tmp_path / "lint.sarif"
    result = CliRunner().invoke(cli, ["templates", "lint", "--report", f"sarif:{sarif}",
                                      "--fail-on", "never", str(DATA / "widget-template.json")])
    assert result.exit_code == 0
    log = json.loads(sarif.read_text())
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {
        "smt-lint/cardinality-spelling", "smt-lint/cardinality-value"}


def test_lint_explains_the_known_template_problems() -> None:
    path = corpus_path("templates", "published", "Digital nameplate", "3", "0", "1",
                       "IDTA 02006-3-0-1_Template_Digital Nameplate.aasx")
    result = CliRunner().invoke(cli, ["templates", "lint", str(path)])
    assert result.exit_code == 1
    assert "aas/unique" in result.output and "hint:" in result.output
    assert "internal error" not in result.output
