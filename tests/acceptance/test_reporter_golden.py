"""Reporters over real validation runs: golden files, SARIF schema validity, CI invariants.

The golden files in ``tests/data/golden/<reporter>.<ext>`` hold each reporter's rendering
of ``omp validate examples`` run from the project root (relative paths, tool version pinned
to ``0.0.0+golden`` so releases do not churn them). They are compared byte for byte.

After an intended change to a reporter, a rule text or the examples, regenerate them with::

    OMP_UPDATE_GOLDEN=1 python -m pytest tests/acceptance/test_reporter_golden.py

and review the diff before committing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from omp_models.diagnostics import Severity
from omp_validators.cli import cli
from omp_validators.engine import validate
from omp_validators.report import Report
from omp_validators.reporters import FORMATS, get_reporter
from tests.conftest import ROOT, corpus_path

GOLDEN = ROOT / "tests" / "data" / "golden"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "github": "txt",
    "gitlab": "json",
}
PATTERN = (
    "aas/testgen-3.0/test_data/Json/ContainedInEnvironment/Unexpected/Invalid/"
    "PatternViolation/AdministrativeInformation"
)
UPDATE = os.environ.get("OMP_UPDATE_GOLDEN") == "1"


@pytest.fixture
def examples_report(monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(ROOT)
    report = validate(["examples"])
    return dataclasses.replace(report, tool_version="0.0.0+golden")


@pytest.fixture
def corpus_report() -> Report:
    return validate([
        corpus_path(*PATTERN.split("/"), "version", "letter.json"),
        corpus_path(*PATTERN.split("/"), "revision", "dot.json"),
        corpus_path("samm", "io.catenax.shared.uuid", "2.0.0", "gen", "Uuid.aasx"),
    ])


def test_every_reporter_has_a_golden_extension() -> None:
    assert set(EXTENSIONS) == set(FORMATS)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden(name: str, examples_report: Report) -> None:
    rendered = get_reporter(name)(examples_report)
    golden = GOLDEN / f"{name}.{EXTENSIONS[name]}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        with golden.open("w", encoding="utf-8", newline="") as out:
            out.write(rendered)
    assert golden.exists(), f"{golden} missing; run with OMP_UPDATE_GOLDEN=1 to create it"
    with golden.open(encoding="utf-8", newline="") as stored:
        expected = stored.read()
    assert rendered == expected, f"{golden.name} differs; OMP_UPDATE_GOLDEN=1 regenerates it"


def test_examples_cover_every_severity(examples_report: Report) -> None:
    """The golden files are only worth having if the examples exercise all branches."""
    counts = examples_report.counts()
    assert all(counts[s] > 0 for s in Severity)
    assert any(not r.findings for r in examples_report.files)


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "gitlab"])
def test_cli_output_is_the_reporter_output(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["validate", "examples", "-o", fmt])
    assert result.exit_code == 1, result.output
    assert result.stdout == get_reporter(fmt)(validate(["examples"]))


# --- invariants over real runs ----------------------------------------------------------------


def check_sarif(text: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(text)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    (run,) = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"].get("region", {"startLine": 1})
        assert region["startLine"] >= 1
    assert sorted({r["ruleId"] for r in run["results"]}) == rules
    return log


def check_all(report: Report) -> None:
    findings = list(report.findings())
    log = check_sarif(get_reporter("sarif")(report))
    assert len(log["runs"][0]["results"]) == len(findings)

    root = ET.fromstring(get_reporter("junit")(report).encode("utf-8"))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [r.file.replace("\\", "/") for r in report.files]
    failing = sum(1 for r in report.files if r.count(Severity.ERROR))
    assert len(root.findall(".//failure")) == failing
    assert root.get("failures") == str(failing)

    lines = get_reporter("github")(report).splitlines()
    assert len(lines) == len(findings)
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)

    issues = json.loads(get_reporter("gitlab")(report))
    assert len(issues) == len(findings)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity"} <= set(issue)
        assert issue["location"]["path"] and issue["location"]["lines"]["begin"] >= 1


def test_examples_invariants(examples_report: Report) -> None:
    check_all(examples_report)


def test_corpus_invariants(corpus_report: Report) -> None:
    check_all(corpus_report)
    log = json.loads(get_reporter("sarif")(corpus_report))
    artifacts = log["runs"][0]["artifacts"]
    inputs = [a["location"]["uri"] for a in artifacts if "parentIndex" not in a]
    assert len(inputs) == len(corpus_report.files)
    assert all(uri.startswith("file:///") for uri in inputs)  # absolute inputs: file URIs
    for result in log["runs"][0]["results"]:  # AASX members: the package, never a region
        (location,) = result["locations"]
        if "aasxMember" in location.get("properties", {}):
            assert location["physicalLocation"]["artifactLocation"]["uri"].endswith(".aasx")
            assert "region" not in location["physicalLocation"]
    assert Path(corpus_report.files[0].file).is_absolute()
