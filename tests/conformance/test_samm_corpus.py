"""Every aspect model version of the shared Catena-X corpus, end to end.

For each ``<namespace>/<version>/<Aspect>.ttl`` under ../shared/corpus/samm:

- it loads, and the structural validation reports exactly the findings recorded in
  ``tests/data/samm/corpus-findings.json`` (each one an upstream defect, see docs/samm.md;
  ``OMP_UPDATE_GOLDEN=1`` rewrites the file);
- our generated payload schema and samm-cli's ``gen/<Aspect>-schema.json`` give the same
  verdict on the shipped example ``gen/<Aspect>.json`` and on at least 20 mutated payloads
  (required property dropped, wrong type, value outside an enumeration, pattern, length and
  range violations, duplicates in sets, both sides of an Either);
- jsonschema-rs and python-jsonschema agree on our schema (differential test);
- our AAS template (3.0 and 3.1) passes ``omp validate``; our example payload passes our
  schema; payload -> AAS submodel instance -> payload gives back the payload.
"""

from __future__ import annotations

import json
import os
import re
import time
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft4Validator

from omp_models.aas.io import serialize_environment
from omp_models.diagnostics import Severity
from omp_models.samm import (
    AspectModel,
    PayloadValidator,
    aas_template,
    aspect_schema,
    check_model,
    example_payload,
    load_aspect,
    payload_of_submodel,
    submodel_environment,
)
from omp_models.samm._mutate import mutations
from omp_validators.engine import validate_bytes
from tests.conftest import CORPUS, ROOT, corpus_path

SAMM = CORPUS / "samm"
GOLDEN = ROOT / "tests" / "data" / "samm" / "corpus-findings.json"
MODELS = sorted(SAMM.glob("*/*/*.ttl")) if SAMM.is_dir() else []
#: Mutations per base payload (the shipped example and ours): at least 20 per model.
PER_BASE = 24


def _id(path: Path) -> str:
    return "/".join(path.parts[-3:-1])


@cache
def _model(path: Path) -> AspectModel:
    return load_aspect(path)


@cache
def _schema(path: Path) -> dict[str, Any]:
    model = _model(path)
    assert model.aspect is not None
    return aspect_schema(model.aspect)


def _shipped(path: Path, model: AspectModel) -> tuple[Path, Path] | None:
    assert model.aspect is not None
    gen = path.parent / "gen"
    schema, example = gen / f"{model.aspect.name}-schema.json", gen / f"{model.aspect.name}.json"
    return (schema, example) if schema.is_file() and example.is_file() else None


def _duplicate_required(node: Any) -> bool:
    if isinstance(node, dict):
        required = node.get("required")
        if isinstance(required, list) and len(set(map(str, required))) != len(required):
            return True
        return any(_duplicate_required(v) for v in node.values())
    return isinstance(node, list) and any(_duplicate_required(v) for v in node)


def _compiled(schema: dict[str, Any]) -> Any:
    """samm-cli's schema, compiled: jsonschema-rs, or python-jsonschema where rs is wrong.

    samm-cli copies properties listed twice in a model into ``required`` twice
    (single_level_bom_as_specified 1.0.0 and 2.0.0). Such a schema breaks the draft-04
    meta-schema, and jsonschema-rs 0.60 answers ``is_valid() == False`` for every object
    it applies to while ``iter_errors()`` finds nothing; python-jsonschema reads the list as
    intended. (Our schema lists each required property once.)
    """
    if _duplicate_required(schema):
        return Draft4Validator(schema)
    return jsonschema_rs.Draft4Validator(schema, validate_formats=False, offline=True)


def test_corpus_is_there() -> None:
    corpus_path("samm")
    assert len(MODELS) >= 90


def test_structural_findings_are_the_recorded_ones() -> None:
    corpus_path("samm")
    found: dict[str, list[list[str]]] = {}
    started = time.monotonic()
    for path in MODELS:
        model = _model(path)
        findings = model.findings + check_model(model)
        if findings:
            found[str(path.relative_to(SAMM))] = sorted(
                [f.rule, f.severity.value, f.location.path or ""] for f in findings)
    # the whole corpus, loaded and checked structurally, well inside the 30 s budget
    assert time.monotonic() - started < 30
    if os.environ.get("OMP_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MODELS, ids=_id)
def test_model_loads(path: Path) -> None:
    model = _model(path)
    assert model.main is not None and model.main.triples
    assert model.meta_model_version in ("2.0.0", "2.1.0", "2.2.0", "bamm-1.0.0", "bamm-2.0.0")
    assert not [f for f in model.findings if f.severity is Severity.ERROR]
    if (path.parent / "gen").is_dir() and model.aspect is None:
        # samm-cli wrote gen/ files for some shared models: they describe another aspect.
        shipped = next((path.parent / "gen").glob("*-schema.json"))
        urn = json.loads(shipped.read_text(encoding="utf-8"))["x-samm-aspect-model-urn"]
        assert urn.split("#")[0] != next(iter(model.elements)).split("#")[0]


_ASPECT = re.compile(r"\ba\s+(samm|bamm):Aspect\b")
#: Model versions with an Aspect and samm-cli output (the others are shared models).
ASPECTS = [p for p in MODELS if (p.parent / "gen").is_dir()
           and _ASPECT.search(p.read_text(encoding="utf-8", errors="replace"))]


@pytest.mark.parametrize("path", ASPECTS, ids=_id)
def test_schema_verdicts_agree_with_samm_cli(path: Path) -> None:
    model = _model(path)
    assert model.aspect is not None
    shipped = _shipped(path, model)
    assert shipped is not None
    theirs = _compiled(json.loads(shipped[0].read_text(encoding="utf-8")))
    ours = PayloadValidator(_schema(path), fast=True)
    example = json.loads(shipped[1].read_text(encoding="utf-8"))
    cases = [("shipped example", example)]
    cases += mutations(example, _schema(path), PER_BASE)
    cases += mutations(example_payload(model.aspect), _schema(path), PER_BASE)
    assert len(cases) >= 21
    disagreements = [(label, ours.is_valid(c)) for label, c in cases
                     if ours.is_valid(c) != theirs.is_valid(c)]
    assert disagreements == []
    assert sum(1 for _, c in cases[1:] if not ours.is_valid(c)) >= 20


@pytest.mark.parametrize("path", ASPECTS, ids=_id)
def test_fast_and_reference_validators_agree(path: Path) -> None:
    model = _model(path)
    assert model.aspect is not None
    shipped = _shipped(path, model)
    assert shipped is not None
    validator = PayloadValidator(_schema(path), fast=True)
    example = json.loads(shipped[1].read_text(encoding="utf-8"))
    cases = [example, example_payload(model.aspect, seed=7)]
    cases += [c for _, c in mutations(example, _schema(path), 6)]
    for case in cases:
        assert validator.fast_is_valid(case) == validator.reference_is_valid(case)
        assert (validator.errors(case) == []) == validator.reference_is_valid(case)


@pytest.mark.parametrize("path", ASPECTS, ids=_id)
def test_aas_template_passes_validation(path: Path) -> None:
    model = _model(path)
    assert model.aspect is not None
    result = aas_template(model.aspect, "3.0", "json")
    assert result.problems == []
    report = validate_bytes(result.data, "template.json")
    assert report.aas_version == "3.0"
    assert [f for f in report.findings if f.severity is not Severity.INFO] == []
    assert b"SMT/Cardinality" in result.data
    # 3.1 XML: aas-core3.1 verifies it while serialising (the problems list)
    result = aas_template(model.aspect, "3.1", "xml")
    assert result.problems == []
    assert result.data.startswith(b"<?xml") and b"https://admin-shell.io/aas/3/1" in result.data


@pytest.mark.parametrize("path", ASPECTS, ids=_id)
def test_example_is_valid_and_round_trips(path: Path) -> None:
    model = _model(path)
    assert model.aspect is not None
    validator = PayloadValidator(_schema(path), fast=True)
    shipped = _shipped(path, model)
    payloads = [example_payload(model.aspect), example_payload(model.aspect, seed=3)]
    for payload in payloads:
        assert validator.errors(payload) == []
    if shipped is not None:
        example = json.loads(shipped[1].read_text(encoding="utf-8"))
        if validator.is_valid(example):
            payloads.append(example)
    for index, payload in enumerate(payloads):
        environment, notes, _ = submodel_environment(model.aspect, payload=payload)
        assert [n for n in notes if n.severity == "error"] == []
        if index == 0:  # the instance is valid AAS (aas-core3.0 verification)
            assert serialize_environment(environment, "3.0", "json").problems == []
        back, back_notes = payload_of_submodel(model.aspect, environment["submodels"][0])
        assert back_notes == []
        assert back == payload
