"""Unit tests of the reporters over hand-built reports (SARIF, JUnit, GitHub, GitLab, ...)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omp_models.diagnostics import Finding, Location, Severity
from omp_validators.report import FileResult, Report
from omp_validators.reporters import FORMATS, get_reporter, github, gitlab, junit, sarif
from omp_validators.reporters._common import display_path
from omp_validators.rules import get_rule, help_uri

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.json"
E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: note/info


def finding(
    rule: str = "aas/pattern",
    severity: Severity = E,
    message: str = "Bad value.",
    file: str = "a.json",
    *,
    member: str | None = None,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
    hint: str | None = None,
) -> Finding:
    return Finding(rule, severity, message, Location(file, member, path, line, column), hint)


def report_of(*files: tuple[str, str, list[Finding]], version: str = "9.9.9") -> Report:
    return Report(
        files=tuple(FileResult(file=f, format=fmt, findings=tuple(fs)) for f, fmt, fs in files),
        tool_version=version,
    )


def sample_report() -> Report:
    """Errors, warnings and infos in JSON, XML and AASX inputs, plus a clean file."""
    return report_of(
        ("examples/a.json", "json", [
            finding("aas/pattern", E, "Bad version.", "examples/a.json",
                    path="/submodels/0/version", line=3, column=7, hint="Fix it."),
            finding("env/unresolved-reference", W, "Dangling.", "examples/a.json",
                    path="/submodels/0/semanticId", line=9, column=1),
            finding("aas/version-undetermined", N, "Undecided.", "examples/a.json", path="",
                    line=1, column=1),
        ]),
        ("sub dir/b.xml", "xml", [
            finding("env/duplicate-id", E, "Duplicate id.", "sub dir/b.xml",
                    path="/environment/submodels/*[2]/id", line=0, column=0),
        ]),
        ("pkg.aasx", "aasx", [
            finding("AASd-002", E, "Bad idShort.", "pkg.aasx", member="aasx/data.xml",
                    path="/environment/submodels/*[1]/idShort", line=12, column=5),
            finding("aasx/missing-origin", E, "No origin.", "pkg.aasx"),
            finding("my-plugin/check", W, "Plugin says so.", "pkg.aasx", member="aasx/x.json"),
        ]),
        ("examples/clean.json", "json", []),
    )


# --- registry -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_reporter_is_pure_and_deterministic(name: str) -> None:
    render = get_reporter(name)
    report = sample_report()
    first = render(report)
    assert isinstance(first, str)
    assert first == render(report)
    assert first == render(report, color=False)
    if name != "text":
        assert render(report, color=True) == first  # colour means nothing to CI formats


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_reporter_handles_an_empty_report(name: str) -> None:
    assert isinstance(get_reporter(name)(Report(files=())), str)


# --- SARIF --------------------------------------------------------------------------------


@cache
def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


_URI_REFERENCE = re.compile(r"^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$")


def check_sarif(log: dict[str, Any]) -> None:
    """Schema-valid, rules referenced correctly, URIs are URI references."""
    sarif_validator().validate(log)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert _URI_REFERENCE.match(artifact["uri"])
        assert run["artifacts"][artifact["index"]]["location"]["uri"] == artifact["uri"]
    assert {r["ruleId"] for r in run["results"]} == set(ids)


def test_sarif_is_schema_valid_and_consistent() -> None:
    log = json.loads(sarif.render(sample_report()))
    check_sarif(log)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == sarif.SCHEMA_URI
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("omp-toolkit", "9.9.9")
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert len(run["results"]) == 7


def test_sarif_empty_report_is_valid() -> None:
    log = json.loads(sarif.render(Report(files=())))
    check_sarif(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []
    assert "version" not in log["runs"][0]["tool"]["driver"]


def test_sarif_rules_only_those_that_occur_with_registry_metadata() -> None:
    run = sarif.build_log(sample_report())["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {f.rule for f in sample_report().findings()}
    known = rules["env/duplicate-id"]
    rule = get_rule("env/duplicate-id")
    assert rule is not None
    assert known["shortDescription"]["text"] == rule.title
    assert known["fullDescription"]["text"] == rule.description
    assert known["help"]["text"] == rule.hint
    assert known["helpUri"] == help_uri("env/duplicate-id")
    assert known["defaultConfiguration"]["level"] == "error"
    assert known["name"] == "EnvDuplicateId"
    assert rules["env/unresolved-reference"]["defaultConfiguration"]["level"] == "warning"
    # a rule the registry does not know (a plugin's) still gets an entry, without docs
    assert rules["my-plugin/check"] == {"id": "my-plugin/check", "name": "MyPluginCheck"}


def results_by_rule(report: Report) -> dict[str, dict[str, Any]]:
    return {r["ruleId"]: r for r in sarif.build_log(report)["runs"][0]["results"]}


def test_sarif_result_fields() -> None:
    result = results_by_rule(sample_report())["aas/pattern"]
    assert result["level"] == "error"
    assert result["message"]["text"] == "Bad version.\nHint: Fix it."
    (loc,) = result["locations"]
    assert loc["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/a.json", "uriBaseId": "%SRCROOT%", "index": 0},
        "region": {"startLine": 3, "startColumn": 7},
    }
    assert loc["logicalLocations"] == [
        {"name": "version", "fullyQualifiedName": "/submodels/0/version", "kind": "member"}
    ]
    fingerprint = next(iter(sample_report().findings())).fingerprint
    assert result["partialFingerprints"] == {"ompFinding/v1": fingerprint}
    levels = {rid: r["level"] for rid, r in results_by_rule(sample_report()).items()}
    assert levels["env/unresolved-reference"] == "warning"
    assert levels["aas/version-undetermined"] == "note"


def test_sarif_region_clamped_and_omitted() -> None:
    results = results_by_rule(sample_report())
    xml = results["env/duplicate-id"]["locations"][0]
    assert xml["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
    assert xml["physicalLocation"]["artifactLocation"]["uri"] == "sub%20dir/b.xml"
    assert xml["logicalLocations"][0]["kind"] == "element"
    no_line = results["aasx/missing-origin"]["locations"][0]
    assert "region" not in no_line["physicalLocation"]
    assert "logicalLocations" not in no_line  # no path: the whole file
    # the root pointer "" names the whole document: no logical location either
    assert "logicalLocations" not in results["aas/version-undetermined"]["locations"][0]
    line_only = sarif.build_log(report_of(("x.json", "json", [finding(line=4)])))
    region = line_only["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4}


def test_sarif_aasx_member_points_at_the_package() -> None:
    log = sarif.build_log(sample_report())
    run = log["runs"][0]
    result = results_by_rule(sample_report())["AASd-002"]
    (loc,) = result["locations"]
    physical = loc["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "pkg.aasx"
    assert "region" not in physical  # line 12 is a line of the member, not of the package
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == (
        "aasx/data.xml#/environment/submodels/*[1]/idShort"
    )
    assert loc["logicalLocations"][0]["kind"] == "element"
    assert loc["properties"] == {
        "aasxMember": "aasx/data.xml",
        "memberRegion": {"startLine": 12, "startColumn": 5},
    }
    assert result["message"]["text"].startswith("aasx/data.xml:12:5: Bad idShort.")
    # the member is a nested artifact of the package
    package = physical["artifactLocation"]["index"]
    nested = [a for a in run["artifacts"] if a.get("parentIndex") == package]
    assert [a["location"]["uri"] for a in nested] == ["aasx/data.xml", "aasx/x.json"]
    plugin = results_by_rule(sample_report())["my-plugin/check"]["locations"][0]
    assert plugin["logicalLocations"] == [
        {"name": "aasx/x.json", "fullyQualifiedName": "aasx/x.json", "kind": "resource"}
    ]
    check_sarif(log)


@pytest.mark.parametrize(
    ("file", "fmt", "member", "kind"),
    [
        ("p.aasx", "aasx", "_rels/.rels", "element"),
        ("p.aasx", "aasx", "aasx/data.json", "member"),
        ("p.aasx", "aasx", "[Content_Types].xml", "element"),
        ("x.txt", "xml", None, "element"),
        ("x.txt", "json", None, "member"),
        ("x.xml", "unknown", None, "element"),
    ],
)
def test_sarif_logical_location_kind(file: str, fmt: str, member: str | None, kind: str) -> None:
    report = report_of((file, fmt, [finding(file=file, member=member, path="/a/b")]))
    (result,) = sarif.build_log(report)["runs"][0]["results"]
    assert result["locations"][0]["logicalLocations"][0]["kind"] == kind


def test_sarif_artifacts_list_every_input_once() -> None:
    run = sarif.build_log(sample_report())["runs"][0]
    top = [a["location"]["uri"] for a in run["artifacts"] if "parentIndex" not in a]
    assert top == ["examples/a.json", "sub%20dir/b.xml", "pkg.aasx", "examples/clean.json"]


@pytest.mark.parametrize(
    ("path", "uri", "base"),
    [
        ("examples/a.json", "examples/a.json", "%SRCROOT%"),
        ("./examples/a.json", "examples/a.json", "%SRCROOT%"),
        ("examples\\win\\a.json", "examples/win/a.json", "%SRCROOT%"),
        ("a b/ü#1?%.json", "a%20b/%C3%BC%231%3F%25.json", "%SRCROOT%"),
        ("c:d.json", "c%3Ad.json", "%SRCROOT%"),
        ("../shared/x.json", "../shared/x.json", "%SRCROOT%"),
        ("/abs/path x.json", "file:///abs/path%20x.json", None),
        ("C:\\data\\m.aasx", "file:///C:/data/m.aasx", None),
    ],
)
def test_sarif_artifact_uri(path: str, uri: str, base: str | None) -> None:
    assert sarif.artifact_uri(path) == (uri, base)


def test_sarif_execution_unsuccessful_on_internal_error() -> None:
    report = report_of(("x.json", "json", [finding("tool/internal-error", message="Boom")]))
    log = sarif.build_log(report)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    check_sarif(log)


def test_sarif_truncation_is_fair_and_announced() -> None:
    many = [finding("aas/pattern", line=i + 1, message=f"m{i}") for i in range(50)]
    some = [finding("aas/enum", line=i + 1, message=f"e{i}") for i in range(8)]
    few = [finding("env/duplicate-id", message="d")]
    report = report_of(("x.json", "json", many + some + few))
    log = sarif.build_log(report, max_results=20)
    check_sarif(log)
    run = log["runs"][0]
    counts: dict[str, int] = {}
    for result in run["results"]:
        counts[result["ruleId"]] = counts.get(result["ruleId"], 0) + 1
    assert counts == {"aas/pattern": 11, "aas/enum": 8, "env/duplicate-id": 1}
    # the first results of a rule are the ones kept, in report order
    kept = [r["message"]["text"] for r in run["results"] if r["ruleId"] == "aas/pattern"]
    assert kept == [f"m{i}" for i in range(11)]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["message"]["text"].startswith("39 of 59 results were left out")
    assert note["properties"]["omittedResultsByRule"] == {"aas/pattern": 39}
    untruncated = sarif.build_log(report, max_results=59)["runs"][0]
    assert "toolExecutionNotifications" not in untruncated["invocations"][0]
    assert len(untruncated["results"]) == 59


def test_sarif_quota_spreads_the_remainder_deterministically() -> None:
    report = report_of(("x.json", "json", [
        finding(rule, message=f"{rule}{i}") for rule in ("b", "a", "c") for i in range(10)
    ]))
    run = sarif.build_log(report, max_results=10)["runs"][0]
    counts = {r["id"]: 0 for r in run["tool"]["driver"]["rules"]}
    for result in run["results"]:
        counts[result["ruleId"]] += 1
    assert counts == {"a": 4, "b": 3, "c": 3}


def test_sarif_default_cap_is_githubs() -> None:
    assert sarif.MAX_RESULTS == 25_000


# --- JUnit --------------------------------------------------------------------------------


def parse_junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_junit_one_testcase_per_file_and_one_failure_per_failing_file() -> None:
    report = sample_report()
    root = parse_junit(junit.render(report))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "omp validate"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [f.file for f in report.files]
    assert {c.get("classname") for c in cases} == {"omp.validate"}
    failing = sum(1 for f in report.files if not f.ok)
    assert len(root.findall(".//failure")) == failing == 3
    assert all(len(c.findall("failure")) <= 1 for c in cases)
    for element in (root, suite):
        assert element.get("tests") == "4"
        assert element.get("failures") == str(failing)
        assert (element.get("errors"), element.get("skipped")) == ("0", "0")
    clean = cases[3]
    assert list(clean) == []  # a file without findings is a passing test case


def test_junit_failure_content_and_system_out() -> None:
    cases = parse_junit(junit.render(sample_report())).findall(".//testcase")
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("type") == "aas/pattern"
    assert failure.get("message") == "aas/pattern Bad version."
    assert failure.text == (
        "aas/pattern Bad version.\nexamples/a.json:3:7 at /submodels/0/version\nHint: Fix it."
    )
    out = cases[0].find("system-out")
    assert out is not None and out.text is not None
    assert "warning: env/unresolved-reference Dangling." in out.text
    assert "info: aas/version-undetermined Undecided." in out.text
    member = cases[2].findall("failure")[0]
    assert member.text == (
        "AASd-002 Bad idShort.\n"
        "pkg.aasx (AASX part aasx/data.xml:12:5) at /environment/submodels/*[1]/idShort\n\n"
        "aasx/missing-origin No origin.\npkg.aasx"
    )


def test_junit_escapes_markup_quotes_and_newlines() -> None:
    message = 'a "quoted" <tag> & \'apostrophe\'\nsecond line\r\n\ttab ]]> end'
    report = report_of(("x&<y>.json", "json", [finding(message=message, file="x&<y>.json")]))
    root = parse_junit(junit.render(report))
    failure = root.find(".//failure")
    assert failure is not None
    assert failure.get("message") == f"aas/pattern {message}"
    case = root.find(".//testcase")
    assert case is not None and case.get("name") == "x&<y>.json"


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    message = "bell\x07 esc\x1b nul\x00 ok\tline\nsurrogate\udcff nonchar\ufffe"
    report = report_of(("x.json", "json", [
        finding(message=message, file="x.json"),
        finding(severity=W, message=message, file="x.json"),
    ]))
    root = parse_junit(junit.render(report))
    failure = root.find(".//failure")
    assert failure is not None
    assert failure.get("message") == (
        "aas/pattern bell\\x07 esc\\x1b nul\\x00 ok\tline\nsurrogate\\udcff nonchar\\ufffe"
    )
    out = root.find(".//system-out")
    assert out is not None and out.text is not None and "esc\\x1b" in out.text


@given(st.text())
def test_junit_any_text_yields_well_formed_xml(text: str) -> None:
    report = report_of((text or "f", "json", [finding(message=text, file=text or "f",
                                                       hint=text, path=text)]))
    root = parse_junit(junit.render(report))
    assert root.find(".//failure") is not None


# --- GitHub -------------------------------------------------------------------------------


def test_github_lines() -> None:
    lines = github.render(sample_report()).splitlines()
    assert lines == [
        "::error file=examples/a.json,line=3,col=7,title=aas/pattern::"
        "Bad version. [/submodels/0/version]%0AHint: Fix it.",
        "::warning file=examples/a.json,line=9,col=1,title=env/unresolved-reference::"
        "Dangling. [/submodels/0/semanticId]",
        "::notice file=examples/a.json,line=1,col=1,title=aas/version-undetermined::Undecided.",
        "::error file=sub dir/b.xml,line=1,col=1,title=env/duplicate-id::"
        "Duplicate id. [/environment/submodels/*[2]/id]",
        "::error file=pkg.aasx,title=AASd-002::"
        "aasx/data.xml:12:5: Bad idShort. [/environment/submodels/*[1]/idShort]",
        "::error file=pkg.aasx,title=aasx/missing-origin::No origin.",
        "::warning file=pkg.aasx,title=my-plugin/check::aasx/x.json: Plugin says so.",
    ]


def test_github_escapes_data_and_properties() -> None:
    tricky = finding(
        "odd:rule,x", E, "100% wrong\r\nnext line: a, b::c", "dir,1/a:b%.json",
        line=2, hint="Use 50%.",
    )
    (line,) = github.render(report_of(("dir,1/a:b%.json", "json", [tricky]))).splitlines()
    assert line == (
        "::error file=dir%2C1/a%3Ab%25.json,line=2,title=odd%3Arule%2Cx::"
        "100%25 wrong%0D%0Anext line: a, b::c%0AHint: Use 50%25."
    )


def test_github_escape_functions() -> None:
    assert github.escape_data("%\r\n:,") == "%25%0D%0A:,"
    assert github.escape_property("%\r\n:,") == "%25%0D%0A%3A%2C"


def test_github_empty_report_has_no_output() -> None:
    assert github.render(report_of(("a.json", "json", []))) == ""


def _unescape(text: str) -> str:
    table = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
    return re.sub("%25|%0D|%0A|%3A|%2C", lambda m: table[m.group()], text)


@given(st.text(), st.text(min_size=1))
def test_github_any_message_stays_one_command(message: str, file: str) -> None:
    out = github.render(report_of((file, "json", [finding(message=message, file=file)])))
    assert out.endswith("\n") and out.count("\n") == 1 and "\r" not in out
    head, _, data = out[:-1].partition("::")[2].partition("::")
    assert _unescape(data) == message
    props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
    assert _unescape(props["file"]) == display_path(file)


# --- GitLab -------------------------------------------------------------------------------


def test_gitlab_required_keys_and_mapping() -> None:
    issues = json.loads(gitlab.render(sample_report()))
    assert len(issues) == 7
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
    first = issues[0]
    assert first == {
        "description": "aas/pattern: Bad version.",
        "check_name": "aas/pattern",
        "fingerprint": next(iter(sample_report().findings())).fingerprint,
        "severity": "major",
        "location": {"path": "examples/a.json", "lines": {"begin": 3}},
    }
    assert [i["severity"] for i in issues[:3]] == ["major", "minor", "info"]
    member = issues[4]
    assert member["location"] == {"path": "pkg.aasx", "lines": {"begin": 1}}
    assert member["description"] == "AASd-002: aasx/data.xml:12:5: Bad idShort."
    assert issues[5]["location"]["lines"]["begin"] == 1  # no line known


def test_gitlab_fingerprints_unique_and_deterministic() -> None:
    same = finding(message="Same.", path="/a", line=1)
    moved = finding(message="Same.", path="/a", line=7)  # same fingerprint, other line
    report = report_of(("a.json", "json", [same, moved, same, finding(message="Other.")]))
    issues = json.loads(gitlab.render(report))
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == 4
    assert fingerprints[0] == same.fingerprint
    assert fingerprints == [i["fingerprint"] for i in json.loads(gitlab.render(report))]
    assert all(re.fullmatch(r"[0-9a-f]{32}", fp) for fp in fingerprints)


def test_gitlab_empty_report_is_an_empty_array() -> None:
    assert json.loads(gitlab.render(Report(files=()))) == []


# --- text and json (owned elsewhere; smoke tests only) ----------------------------------------


def test_json_reporter_round_trips_findings() -> None:
    report = sample_report()
    doc = json.loads(get_reporter("json")(report))
    restored = [Finding.from_dict(f) for entry in doc["files"] for f in entry["findings"]]
    assert restored == list(report.findings())


def test_text_reporter_summary_line() -> None:
    text = get_reporter("text")(sample_report())
    assert text.endswith("4 files checked, 3 with errors: 4 errors, 2 warnings, 1 info.\n")
