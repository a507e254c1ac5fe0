"""``omp validate --check shacl``: the official AAS SHACL shapes through pyshacl."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import RDF, BNode, URIRef

from omp_models.diagnostics import Severity, Where
from omp_models.rdf import namespace, to_graph
from omp_validators import ValidateOptions, validate_bytes
from omp_validators.checks import shacl
from omp_validators.checks.shacl import DOCUMENT_CHECK, RULES, check_shacl, validate_graph
from omp_validators.cli import cli

pytest.importorskip("pyshacl", reason="pyshacl (the shacl extra) is not installed")

NS = namespace("3.0")
SHACL = ValidateOptions(checks=("shacl",))


def _submodel(id_short: str = "Speed", **extra: Any) -> dict[str, Any]:
    return {
        "modelType": "Submodel", "id": "urn:x:sm", "idShort": "Data",
        "description": [{"language": "en", "text": "Data"}],
        "submodelElements": [
            {"modelType": "Property", "idShort": id_short, "valueType": "xs:int", "value": "1",
             **extra}],
    }


def _env(**extra: Any) -> dict[str, Any]:
    return {"submodels": [_submodel(**extra)]}


def _rules(findings: Any) -> list[str]:
    return sorted(f.rule for f in findings)


def test_the_layer_is_opt_in() -> None:
    assert DOCUMENT_CHECK(_env(), "Environment", "3.0", Where("x.json"), "json",
                          ValidateOptions()) == []


def test_a_valid_document_only_meets_the_known_shape_defect() -> None:
    findings = check_shacl(_env(), "Environment", "3.0", Where("x.json"), "json")
    assert _rules(findings) == ["shacl/known-shape-defect"]
    (finding,) = findings
    assert finding.severity is Severity.INFO
    assert finding.location.path == "/submodels/0/description/0/text"
    assert "LangStringTextType/text needs at least 1 value(s); it has 0" in finding.message
    assert f"path <{NS}LangStringTextType/text>" in finding.message


def test_a_pattern_violation_is_located_in_json_and_xml() -> None:
    env = _env(id_short="1 bad")
    (finding,) = [f for f in check_shacl(env, "Environment", "3.0", Where("x.json"), "json")
                  if f.rule != "shacl/known-shape-defect"]
    assert finding.rule == "shacl/pattern"
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "/submodels/0/submodelElements/0/idShort"
    assert "'1 bad' of Referable/idShort does not match the pattern ^[a-zA-Z]" in finding.message
    assert f"path <{NS}Referable/idShort>" in finding.message
    assert re.search(r"focus node _:b\d+", finding.message)
    (xml,) = [f for f in check_shacl(env, "Environment", "3.0", Where("x.xml"), "xml")
              if f.rule != "shacl/known-shape-defect"]
    assert xml.location.path == "/environment/submodels/*[1]/submodelElements/*[1]/idShort"


def test_a_single_submodel_is_checked_with_paths_into_it() -> None:
    findings = check_shacl(_submodel(id_short="1 bad"), "Submodel", "3.0", Where("x.json"),
                           "json")
    paths = {f.rule: f.location.path for f in findings}
    assert paths == {"shacl/pattern": "/submodelElements/0/idShort",
                     "shacl/known-shape-defect": "/description/0/text"}


def test_identifiables_are_named_by_their_id() -> None:
    env = {"submodels": [{"modelType": "Submodel", "id": "urn:x:sm", "category": ""}]}
    (finding,) = check_shacl(env, "Environment", "3.0", Where("x.json"), "json")
    assert finding.rule == "shacl/min-length"
    assert "focus node <urn:x:sm>" in finding.message
    assert finding.location.path == "/submodels/0/category"


def test_aas_3_1_and_unmappable_content_are_not_checked() -> None:
    (finding,) = check_shacl(_env(), "Environment", "3.1", Where("x.json"), "json")
    assert (finding.rule, finding.severity) == ("shacl/unavailable", Severity.INFO)
    env = _env()
    env["submodels"][0]["unknownAttribute"] = 1
    (finding,) = check_shacl(env, "Environment", "3.0", Where("x.json"), "json")
    assert finding.rule == "shacl/unavailable"
    assert finding.location.path == "/submodels/0/unknownAttribute"
    assert DOCUMENT_CHECK({"type": "ExternalReference", "keys": []}, "Reference", "3.0",
                          Where("x.json"), "json", SHACL) == []


def test_abstract_classes_fail_the_sparql_constraints() -> None:
    mapped = to_graph(_env(), "3.0")
    node = BNode("abstract")
    mapped.graph.add((URIRef(f"{NS}x"), URIRef(f"{NS}Submodel/submodelElements"), node))
    mapped.graph.add((node, RDF.type, URIRef(f"{NS}SubmodelElement")))
    results = [r for r in validate_graph(mapped.graph) if r.rule == "shacl/sparql"]
    assert [r.focus for r in results] == [node]
    assert "abstract class" in shacl.describe(results[0], mapped.graph)


def test_every_emitted_rule_is_declared() -> None:
    ids = {r.id for r in RULES}
    assert all(re.fullmatch(r"shacl/[a-z]+(-[a-z]+)*", i) for i in ids)
    assert set(shacl._COMPONENT_RULES.values()) | {"shacl/other"} <= ids
    assert {r.source for r in RULES} == {"shacl"}


def test_missing_pyshacl_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyshacl", None)
    with pytest.raises(RuntimeError, match=r"pip install 'omp-toolkit\[shacl\]'"):
        validate_graph(to_graph(_env(), "3.0").graph)


def test_the_engine_runs_the_layer_and_locates_lines() -> None:
    data = json.dumps(_env(id_short="1 bad"), indent=1).encode()
    result = validate_bytes(data, "doc.json", SHACL)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert [f.rule for f in errors] == ["AASd-002", "shacl/pattern"]
    assert errors[1].location.line is not None
    plain = validate_bytes(data, "doc.json", ValidateOptions())
    assert not any(f.rule.startswith("shacl/") for f in plain.findings)


def test_cli_check_shacl(tmp_path: Any) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(_env()), encoding="utf-8")
    bad.write_text(json.dumps(_env(id_short="1 bad")), encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", "--check", "shacl", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "shacl/known-shape-defect" in ok.output
    failed = runner.invoke(cli, ["validate", "--check", "shacl", "--select", "shacl",
                                 str(bad)])
    assert failed.exit_code == 1
    assert "shacl/pattern" in failed.output
