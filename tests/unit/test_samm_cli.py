"""The command line: ``omp samm``, ``omp validate --aspect``, ``omp convert`` with SAMM payloads."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from omp_models.samm import aspect_schema, load_aspect
from omp_validators.cli import cli
from tests.conftest import CORPUS, corpus_path

# The Eclipse ESMF SDK's test models (MPL-2.0) are public data that belongs in the shared
# corpus (../shared/corpus/samm-esmf, laid out as upstream: valid/, invalid/, payloads/);
# without it this module is skipped, with this reason.
ESMF = CORPUS / "samm-esmf"
pytestmark = pytest.mark.skipif(
    not ESMF.exists(), reason=f"ESMF SDK test models not in the shared corpus: {ESMF}"
)
VALID = ESMF / "valid" / "org.eclipse.esmf.test" / "1.0.0"
INVALID = ESMF / "invalid" / "org.eclipse.esmf.test" / "1.0.0"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _serial_part() -> Path:
    return corpus_path("samm", "io.catenax.serial_part", "3.0.1", "SerialPart.ttl")


# -- omp samm validate -------------------------------------------------------------------------
def test_validate_models_and_report_formats(tmp_path: Path) -> None:
    bamm = corpus_path("samm", "io.catenax.batch", "1.0.2", "Batch.ttl")
    code, out, _ = _run("samm", "validate", str(bamm))
    assert code == 0 and "samm/bamm-legacy" in out and "(warning)" in out
    code, _, _ = _run("samm", "validate", str(bamm), "--fail-on", "warning")
    assert code == 1
    code, out, _ = _run("samm", "validate", str(INVALID), "-o", "json",
                        "--report", f"sarif:{tmp_path / 'samm.sarif'}")
    assert code == 1
    report = json.loads(out)
    by_file = {Path(f["file"]).stem: f for f in report["files"]}
    assert by_file["ValidAspect"]["ok"] is True
    assert by_file["InvalidSyntax"]["findings"][0]["rule"] == "samm/syntax"
    assert by_file["InvalidSyntax"]["findings"][0]["location"]["line"] == 17
    assert by_file["ValidAspect"]["modelType"] == (
        "urn:samm:org.eclipse.esmf.test:1.0.0#ValidAspect")
    sarif = json.loads((tmp_path / "samm.sarif").read_text(encoding="utf-8"))
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "samm/syntax" in rules


def test_validate_a_whole_folder_quickly() -> None:
    folder = corpus_path("samm", "io.catenax.generic.digital_product_passport")
    code, out, _ = _run("samm", "validate", str(folder))
    assert code == 0, out
    assert out.splitlines()[-1].startswith("7 files checked, 0 with errors")


def test_validate_usage_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, _, err = _run("samm", "validate", str(tmp_path / "missing.ttl"))
    assert code == 2 and "no such file" in err
    code, _, err = _run("samm", "validate", str(tmp_path))
    assert code == 2 and "no .ttl file" in err
    from omp_models.samm import _shacl

    def unavailable() -> None:
        raise _shacl.ShaclUnavailable("SHACL validation needs pyshacl")

    monkeypatch.setattr(_shacl, "_pyshacl", unavailable)
    code, _, err = _run("samm", "validate", "--shacl", str(VALID / "AspectWithEither.ttl"))
    assert code == 2 and "pyshacl" in err


# -- generators --------------------------------------------------------------------------------
def test_schema_and_example(tmp_path: Path) -> None:
    path = VALID / "AspectWithConstraints.ttl"
    code, out, _ = _run("samm", "schema", str(path))
    assert code == 0
    model = load_aspect(path)
    assert model.aspect is not None
    assert json.loads(out) == aspect_schema(model.aspect)
    target = tmp_path / "out" / "example.json"
    code, out, err = _run("samm", "example", str(path), "--seed", "3", "-o", str(target))
    assert code == 0 and out == "" and err == ""
    from omp_models.samm import PayloadValidator

    payload = json.loads(target.read_text(encoding="utf-8"))
    assert PayloadValidator(aspect_schema(model.aspect)).errors(payload) == []


def test_aas_template_in_every_format(tmp_path: Path) -> None:
    for version, kind in (("3.0", "aasx"), ("3.1", "xml"), ("3.1", "json")):
        target = tmp_path / f"template-{version}.{kind}"
        code, _, _ = _run("samm", "aas", str(_serial_part()), "--aas-version", version,
                          "--format", kind, "-o", str(target))
        assert code == 0
        code, out, _ = _run("validate", str(target))
        assert code == 0, out
        data = target.read_bytes()
        if kind == "aasx":
            import io
            import zipfile

            data = zipfile.ZipFile(io.BytesIO(data)).read("aasx/data.xml")
        assert b"SMT/Cardinality" in data


def test_pydantic_module(tmp_path: Path) -> None:
    target = tmp_path / "serial_part.py"
    code, _, _ = _run("samm", "pydantic", str(_serial_part()), "-o", str(target))
    assert code == 0
    module = types.ModuleType("serial_part")
    exec(compile(target.read_text(encoding="utf-8"), str(target), "exec"), module.__dict__)
    example = json.loads((_serial_part().parent / "gen" / "SerialPart.json").read_text())
    parsed = module.SerialPart.model_validate(example)
    assert parsed.catenaXId == example["catenaXId"]


def test_generators_refuse_broken_models(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    code, _, err = _run("samm", "schema", str(INVALID / "InvalidSyntax.ttl"), "-o", str(target))
    assert code == 1 and "samm/syntax" in err and "nothing written" in err
    assert not target.exists() and not list(tmp_path.iterdir())
    shared = corpus_path("samm", "io.catenax.shared.uuid", "2.1.0", "Uuid.ttl")
    code, _, err = _run("samm", "example", str(shared))
    assert code == 1 and "defines no Aspect" in err
    code, _, err = _run("samm", "aas", str(tmp_path / "missing.ttl"))
    assert code == 2 and "no such aspect model file" in err


def test_generator_warnings_go_to_stderr() -> None:
    bamm = corpus_path("samm", "io.catenax.batch", "1.0.2", "Batch.ttl")
    code, out, err = _run("samm", "schema", str(bamm))
    assert code == 0 and "samm/bamm-legacy" in err and json.loads(out)["type"] == "object"


# -- omp validate --aspect ---------------------------------------------------------------------
def test_validate_payloads_against_an_aspect(tmp_path: Path) -> None:
    aspect = _serial_part()
    example = aspect.parent / "gen" / "SerialPart.json"
    code, out, _ = _run("validate", str(example), "--aspect", str(aspect))
    assert code == 0, out
    bad = json.loads(example.read_text(encoding="utf-8"))
    bad["localIdentifiers"][0]["key"] = "not a key"
    del bad["catenaXId"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, indent=2), encoding="utf-8")
    code, out, _ = _run("validate", str(path), "--aspect",
                        "urn:samm:io.catenax.serial_part:3.0.1#SerialPart",
                        "--models-dir", str(corpus_path("samm")), "-o", "json")
    assert code == 1
    (result,) = json.loads(out)["files"]
    assert result["modelType"] == "urn:samm:io.catenax.serial_part:3.0.1#SerialPart"
    found = {(f["rule"], f["location"].get("path")) for f in result["findings"]}
    assert found == {("samm/payload-required", ""),
                     ("samm/payload-pattern", "/localIdentifiers/0/key")}
    pattern = next(f for f in result["findings"] if f["rule"] == "samm/payload-pattern")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"not a key"' in lines[pattern["location"]["line"] - 1]


def test_validate_with_an_unusable_aspect(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("{}", encoding="utf-8")
    code, out, _ = _run("validate", str(path), "--aspect", str(INVALID / "InvalidSyntax.ttl"))
    assert code == 1 and "samm/aspect-unavailable" in out


# -- omp convert -------------------------------------------------------------------------------
def test_convert_payload_to_aas_and_back(tmp_path: Path) -> None:
    aspect = _serial_part()
    example = aspect.parent / "gen" / "SerialPart.json"
    instance = tmp_path / "instance.json"
    code, _, err = _run("convert", str(example), "--from", "samm-payload", "--to", "aas-json",
                        "--option", f"aspect={aspect}", "-o", str(instance))
    assert code == 0, err
    code, out, _ = _run("validate", str(instance))
    assert code == 0, out
    back = tmp_path / "back.json"
    code, _, err = _run("convert", str(instance), "--to", "samm-payload",
                        "--option", f"models-dir={corpus_path('samm')}", "-o", str(back))
    assert code == 0, err
    assert json.loads(back.read_text()) == json.loads(example.read_text())
    again = tmp_path / "again.json"
    _run("convert", str(example), "--from", "samm-payload", "--to", "aas-json",
         "--option", f"aspect={aspect}", "-o", str(again))
    assert again.read_bytes() == instance.read_bytes()  # deterministic


def test_convert_refuses_bad_payloads(tmp_path: Path) -> None:
    aspect = _serial_part()
    target = tmp_path / "out.json"
    code, _, err = _run("convert", str(aspect.parent / "gen" / "SerialPart.json"), "--from",
                        "samm-payload", "--to", "aas-json", "-o", str(target))
    assert code == 1 and "--option aspect=" in err and not target.exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"catenaXId": 5}', encoding="utf-8")
    code, _, err = _run("convert", str(bad), "--from", "samm-payload", "--to", "aas-json",
                        "--option", f"aspect={aspect}", "-o", str(target))
    assert code == 1 and "/catenaXId" in err and not target.exists()


def test_rules_are_explained() -> None:
    code, out, _ = _run("rules", "explain", "samm/bamm-legacy")
    assert code == 0 and "BAMM" in out
