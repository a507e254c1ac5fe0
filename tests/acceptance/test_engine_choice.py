"""``--engine fast`` (the default) and ``--engine reference`` report the same findings.

Run over the bundled examples and a slice of the test-gen corpus (valid and invalid
files), with every reporter that carries findings; the complete corpus comparison of the
fast path with aas-core is tests/conformance/test_fast_path.py.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from omp_validators.checks import _fast
from omp_validators.cli import cli
from tests.conftest import CORPUS, ROOT

TESTGEN = CORPUS / "aas" / "testgen-3.0" / "test_data" / "Json" / "ContainedInEnvironment"


def test_the_fast_path_is_there_in_every_install() -> None:
    """jsonschema-rs is a dependency: the default engine must not fall back silently."""
    assert _fast.available()


def _inputs() -> list[str]:
    files = sorted(str(p) for p in TESTGEN.rglob("*.json"))
    return [str(ROOT / "examples"), *random.Random(7).sample(files, 300)]


def _report(engine: str, fmt: str, inputs: list[str]) -> str:
    result = CliRunner().invoke(
        cli, ["validate", "--engine", engine, "-o", fmt, *inputs], catch_exceptions=False
    )
    assert result.exit_code == 1, result.output[-2000:]  # the slice holds invalid files
    return result.output


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_same_report(fmt: str) -> None:
    inputs = _inputs()
    fast, reference = _report("fast", fmt, inputs), _report("reference", fmt, inputs)
    assert fast == reference
    if fmt == "json":
        summary = json.loads(fast)["summary"]
        assert summary["errors"] > 100 and summary["filesWithErrors"] > 100


def test_undecodable_blob_is_a_located_finding(tmp_path: Path) -> None:
    """Regression: aas-core's reader raises binascii.Error (exit 3 before the fix)."""
    doc = {"submodels": [{"modelType": "Submodel", "id": "urn:x", "submodelElements": [
        {"modelType": "Blob", "idShort": "b", "contentType": "text/plain", "value": "abcde"}
    ]}]}
    path = tmp_path / "blob.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for engine in ("fast", "reference"):
        result = CliRunner().invoke(
            cli, ["validate", "--engine", engine, "--aas-version", "3.0", str(path)],
            catch_exceptions=False,
        )
        assert result.exit_code == 1, result.output
        assert "aas/type The value is not valid base64" in result.output
        assert "[/submodels/0/submodelElements/0/value]" in result.output


def test_undecodable_event_payload_is_a_located_finding(tmp_path: Path) -> None:
    """The other base64 member: an EventPayload's payload (same reader, same crash)."""
    doc = {
        "source": {"type": "ModelReference", "keys": [
            {"type": "Submodel", "value": "urn:x"},
            {"type": "BasicEventElement", "value": "e"}]},
        "observableReference": {"type": "ModelReference", "keys": [
            {"type": "Submodel", "value": "urn:x"}]},
        "timeStamp": "2024-01-01T00:00:00Z",
        "payload": "abcde",
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for engine in ("fast", "reference"):
        result = CliRunner().invoke(
            cli, ["validate", "--engine", engine, "--aas-version", "3.0",
                  "--model-type", "EventPayload", str(path)],
            catch_exceptions=False,
        )
        assert result.exit_code == 1, result.output
        assert "aas/type The value is not valid base64" in result.output
        assert "[/payload]" in result.output
