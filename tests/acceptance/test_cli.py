"""``omp validate`` end to end (CliRunner): exit codes, formats, reports, config, stdin."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from omp_validators.cli import cli
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
VALID = EXAMPLES / "valid"
INVALID = EXAMPLES / "invalid"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_valid_examples_exit_0(runner: CliRunner) -> None:
    result = run(runner, "validate", str(VALID))
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_invalid_examples_exit_1_with_located_findings(runner: CliRunner) -> None:
    result = run(runner, "validate", str(INVALID / "wrong-value-type.json"))
    assert result.exit_code == 1
    assert "wrong-value-type.json:16:22: AASd-002 " in result.output
    assert "wrong-value-type.json:8:9: aas/value-type " in result.output


def test_unparseable_input_is_a_finding_not_a_crash(runner: CliRunner) -> None:
    result = run(runner, "validate", str(INVALID / "truncated.json"))
    assert result.exit_code == 1
    assert "truncated.json:7:1: syntax/json" in result.output


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_thresholds(runner: CliRunner, tmp_path: Path, fail_on: str, code: int) -> None:
    # Only a warning (a dangling model reference) and no error.
    doc = {
        "submodels": [{
            "modelType": "Submodel", "id": "urn:x:sm", "submodelElements": [{
                "modelType": "ReferenceElement", "idShort": "Ref",
                "value": {"type": "ModelReference",
                          "keys": [{"type": "Submodel", "value": "urn:x:missing"}]},
            }],
        }]
    }
    path = tmp_path / "warn.json"
    path.write_text(json.dumps(doc))
    result = run(runner, "validate", "--fail-on", fail_on, str(path))
    assert result.exit_code == code, result.output
    assert "env/unresolved-reference" in result.output


def test_never_still_reports_errors(runner: CliRunner) -> None:
    result = run(runner, "validate", "--fail-on", "never", str(INVALID))
    assert result.exit_code == 0
    assert "syntax/json" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "does/not/exist.json"],
        ["validate", "no-match-*.json"],
        ["validate", "--aas-version", "2.0", str(VALID)],
        ["validate", "--model-type", "NoSuchClass", str(VALID)],
        ["validate", "--report", "nonsense", str(VALID)],
        ["validate", "--report", "pdf:x.pdf", str(VALID)],
        ["validate", "--jobs", "zero", str(VALID)],
        ["validate", "--no-such-flag", str(VALID)],
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2, result.output


def test_internal_error_exits_3_without_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import omp_validators.engine as engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("schema failed to load")

    monkeypatch.setattr(engine, "validate", boom)
    result = runner.invoke(cli, ["validate", str(VALID)])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: schema failed to load" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["validate", "--traceback", str(VALID)])
    assert result.exit_code == 3
    assert "Traceback" in result.output


def test_per_file_internal_error_keeps_the_batch_and_exits_3(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import omp_validators.engine as engine

    real = engine.check_document

    def flaky(data, kind, where, options):  # type: ignore[no-untyped-def]
        if where.file.endswith(".xml"):
            raise ValueError("boom")
        return real(data, kind, where, options)

    monkeypatch.setattr(engine, "check_document", flaky)
    result = run(runner, "validate", "-o", "json", str(VALID))
    assert result.exit_code == 3
    doc = json.loads(result.output)
    rules = {f["file"]: [x["rule"] for x in f["findings"]] for f in doc["files"]}
    assert rules[str(VALID / "spindle-3.1.xml")] == ["tool/internal-error"]
    assert rules[str(VALID / "press-line-3.0.json")] == []


def test_json_output_names_version_and_class(runner: CliRunner) -> None:
    result = run(runner, "validate", "-o", "json", str(VALID))
    doc = json.loads(result.output)
    by_name = {Path(f["file"]).name: f for f in doc["files"]}
    assert by_name["spindle-3.1.xml"]["aasVersion"] == "3.1"
    assert by_name["spindle-3.1.xml"]["versionSource"] == "namespace"
    assert by_name["operating-hours-submodel.json"]["modelType"] == "Submodel"
    assert by_name["press-line-3.0.json"]["versionSource"] == "matched"


def test_pinned_version_is_strict(runner: CliRunner) -> None:
    result = run(runner, "validate", "--aas-version", "3.0", str(VALID / "spindle-3.1.xml"))
    assert result.exit_code == 1
    assert "aas/version-mismatch" in result.output


def test_several_reports_in_one_run(runner: CliRunner, tmp_path: Path) -> None:
    reports = {fmt: tmp_path / "out" / f"r.{fmt}" for fmt in ("json", "sarif", "junit", "gitlab",
                                                           "github", "text")}
    args = ["validate", str(EXAMPLES)]
    for fmt, path in reports.items():
        args += ["--report", f"{fmt}:{path}"]
    result = run(runner, *args)
    assert result.exit_code == 1
    for path in reports.values():
        assert path.is_file() and path.stat().st_size > 0
    assert json.loads(reports["json"].read_text())["summary"]["files"] == len(
        [p for p in EXAMPLES.rglob("*") if p.suffix in (".json", ".xml", ".aasx")]
    )
    # No temporary files are left behind by the atomic writes.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        p.name for p in reports.values()
    )


def test_unwritable_report_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run(runner, "validate", "--report", f"json:{blocker}/sub/r.json", str(VALID))
    assert result.exit_code == 2


def test_stdin_with_filename(runner: CliRunner) -> None:
    data = (INVALID / "wrong-value-type.json").read_bytes()
    result = run(runner, "validate", "-", "--stdin-filename", "payload.json", input=data)
    assert result.exit_code == 1
    assert "payload.json:16:22: AASd-002" in result.output


def test_stdin_xml_is_sniffed(runner: CliRunner) -> None:
    data = (VALID / "spindle-3.1.xml").read_bytes()
    result = run(runner, "validate", "-", input=data)
    assert result.exit_code == 0, result.output


def test_select_and_ignore(runner: CliRunner) -> None:
    target = str(INVALID / "wrong-value-type.json")
    only = run(runner, "validate", "--select", "AASd-", "-o", "json", target)
    rules = [f["rule"] for f in json.loads(only.output)["files"][0]["findings"]]
    assert rules == ["AASd-002"]
    ignored = run(runner, "validate", "--ignore", "AASd-002,aas/value-type", target)
    assert ignored.exit_code == 0, ignored.output


def test_max_findings_per_file(runner: CliRunner) -> None:
    result = run(runner, "validate", "--max-findings-per-file", "1", "-o", "json",
                 str(INVALID / "wrong-value-type.json"))
    findings = json.loads(result.output)["files"][0]["findings"]
    assert [f["rule"] for f in findings][-1] == "limits/findings"
    assert len(findings) == 2
    assert json.loads(result.output)["files"][0]["suppressed"] == 2


def test_jobs_two_equals_jobs_one(runner: CliRunner) -> None:
    corpus = ROOT.parent / "shared" / "corpus" / "aas" / "testgen-3.0" / "test_data" / "Json"
    if not corpus.exists():
        pytest.skip("shared corpus not available")
    files = sorted(str(p) for p in (corpus / "ContainedInEnvironment" / "Unexpected" / "Invalid"
                                    / "ConstraintViolation").rglob("*.json"))
    files += [str(p) for p in EXAMPLES.rglob("*.json")]
    one = run(runner, "validate", "-o", "json", "--jobs", "1", *files)
    two = run(runner, "validate", "-o", "json", "--jobs", "2", *files)
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output


def test_config_in_omp_toml(runner: CliRunner, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "omp.toml").write_text('ignore = ["AASd-002", "aas/value-type"]\n')
    monkeypatch.chdir(tmp_path)
    result = run(runner, "validate", str(INVALID / "wrong-value-type.json"))
    assert result.exit_code == 0, result.output


def test_config_in_pyproject_found_from_a_subfolder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.omp]\nfail-on = "never"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    result = run(runner, "validate", str(INVALID))
    assert result.exit_code == 0


def test_cli_overrides_config(runner: CliRunner, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "omp.toml").write_text('fail-on = "never"\n')
    monkeypatch.chdir(tmp_path)
    result = run(runner, "validate", "--fail-on", "error", str(INVALID))
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('fail-on = "sometimes"\n', "fail-on"),
        ("no-such-key = 1\n", "no-such-key"),
        ("max-findings-per-file = 0\n", "max-findings-per-file"),
        ('reports = ["sarif"]\n', "reports"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_config_exits_2_naming_the_key(
    runner: CliRunner, tmp_path: Path, content: str, needle: str
) -> None:
    config = tmp_path / "omp.toml"
    config.write_text(content)
    result = run(runner, "validate", "--config", str(config), str(VALID))
    assert result.exit_code == 2
    assert needle in result.output


def test_bad_pyproject_table_names_the_dotted_key(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.omp]\naas-version = "2.0"\n')
    result = run(runner, "validate", "--config", str(config), str(VALID))
    assert result.exit_code == 2
    assert "tool.omp.aas-version" in result.output


def test_inputs_are_never_modified(runner: CliRunner) -> None:
    before = {p: p.read_bytes() for p in EXAMPLES.rglob("*") if p.is_file()}
    run(runner, "validate", str(EXAMPLES))
    after = {p: p.read_bytes() for p in EXAMPLES.rglob("*") if p.is_file()}
    assert before == after


def test_rules_list_and_explain(runner: CliRunner) -> None:
    listed = run(runner, "rules", "list")
    assert listed.exit_code == 0
    for rule in ("AASd-119", "env/duplicate-id", "syntax/json", "xml/doctype"):
        assert rule in listed.output
    explained = run(runner, "rules", "explain", "AASd-119")
    assert explained.exit_code == 0
    assert explained.output.startswith("# AASd-119")
    assert run(runner, "rules", "explain", "nope").exit_code == 2


def test_help_is_available(runner: CliRunner) -> None:
    result = run(runner, "validate", "--help")
    assert result.exit_code == 0
    assert "--aas-version" in result.output
    assert os.linesep in result.output


def test_ignore_applies_to_syntax_and_file_level_findings(runner: CliRunner) -> None:
    result = run(runner, "validate", "--ignore", "syntax/", str(INVALID / "truncated.json"))
    assert result.exit_code == 0, result.output
    result = run(runner, "validate", "--select", "AASd-", "-", "--stdin-filename", "x.bin",
                 input=b"not a document")
    assert result.exit_code == 0, result.output


def test_interrupt_exits_130(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import omp_validators.engine as engine

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "validate", interrupted)
    result = runner.invoke(cli, ["validate", str(VALID)])
    assert result.exit_code == 130


def test_console_script_convert_exits_fast_with_flushed_output_and_exit_codes(
    tmp_path: Path,
) -> None:
    """`omp convert` ends the process without tearing objects down (os._exit): the
    output on stdout, the report on stderr and the exit code must all survive that."""
    import subprocess
    import sys

    from click.testing import CliRunner as Runner

    source = str(VALID / "press-line-3.0.json")
    code = "from omp_validators.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, "convert", source, "--to", "aas-json"],
                          capture_output=True, timeout=120, check=False)
    expected = Runner().invoke(cli, ["convert", source, "--to", "aas-json"],
                               catch_exceptions=False)
    assert done.returncode == 0
    assert done.stdout.decode() == expected.stdout
    assert done.stdout.rstrip().endswith(b"}")
    broken = subprocess.run(
        [sys.executable, "-c", code, "convert", str(INVALID / "truncated.json"), "--to",
         "aas-xml", "-o", str(tmp_path / "out.xml")],
        capture_output=True, timeout=120, check=False)
    assert broken.returncode == 1 and not (tmp_path / "out.xml").exists()
    assert b"truncated.json" in broken.stderr
    usage = subprocess.run([sys.executable, "-c", code, "convert", source, "--to", "nope"],
                           capture_output=True, timeout=120, check=False)
    assert usage.returncode == 2 and b"unknown format" in usage.stderr


def test_console_script_validate_exits_fast_with_flushed_output_reports_and_exit_codes(
    tmp_path: Path,
) -> None:
    """`omp validate` also ends with os._exit: its text output, its report files and its
    exit codes (0 clean, 1 findings, 2 usage) are those of a normal run."""
    import subprocess
    import sys

    from click.testing import CliRunner as Runner

    code = "from omp_validators.cli import main; main()"
    files = [str(VALID / "press-line-3.0.json"), str(INVALID / "truncated.json")]
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-c", code, "validate", *files, "--report", f"json:{report}"],
        capture_output=True, timeout=120, check=False)
    expected = Runner().invoke(cli, ["validate", *files], catch_exceptions=False)
    assert done.returncode == 1 == expected.exit_code
    assert done.stdout.decode() == expected.stdout
    assert json.loads(report.read_text(encoding="utf-8"))["files"][1]["ok"] is False
    clean = subprocess.run([sys.executable, "-c", code, "validate", files[0]],
                           capture_output=True, timeout=120, check=False)
    assert clean.returncode == 0 and b"1 file" in clean.stdout
    usage = subprocess.run([sys.executable, "-c", code, "validate", "--fail-on", "nope",
                            files[0]], capture_output=True, timeout=120, check=False)
    assert usage.returncode == 2 and b"--fail-on" in usage.stderr
