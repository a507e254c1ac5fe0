"""AAS <-> RDF against the official RDF test data of aas-core3.0-testgen.

- Every Expected case (``Json/ContainedInEnvironment/Expected`` and the two
  ``SelfContained`` environments): our Turtle of the JSON is byte-identical to, and
  parsed graph-isomorphic with, the official ``Rdf/.../<same path>.ttl``; reading it back
  (RDF -> AAS, deserialised by aas-core -> JSON) gives the original JSON, with no issue.
  Isomorphism uses :func:`omp_models.rdf.isomorphic`, cross-checked against
  :func:`rdflib.compare.isomorphic` on a deterministic sample.
- JSON-LD (every fifth case) holds the same triples.
- Invalid (deserialisable) Unexpected JSON maps to the official Unexpected RDF as well.
- The official SHACL shapes on a deterministic sample of the RDF files give the verdicts
  committed in ``tests/data/rdf/shacl-verdicts.json`` (the full table is made by
  ``scripts/generate_rdf_report.py``), and ``docs/rdf.md`` is rendered from that data.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest
from rdflib.compare import isomorphic as rdflib_isomorphic

from omp_models.aas import engine
from omp_models.rdf import graph_to_environment, isomorphic, parse_rdf, to_jsonld, to_turtle
from tests.conftest import CORPUS, ROOT, corpus_path

TESTGEN = CORPUS / "aas" / "testgen-3.0" / "test_data"
EXPECTED = ("Json", "ContainedInEnvironment", "Expected")
SELF_CONTAINED = ("Json", "SelfContained", "Expected", "Environment")


def _folders() -> list[str]:
    root = TESTGEN.joinpath(*EXPECTED)
    found = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    return [*found, "SelfContained"]


def _cases(folder: str) -> list[Path]:
    if folder == "SelfContained":
        return sorted(corpus_path("aas", "testgen-3.0", "test_data", *SELF_CONTAINED)
                      .glob("*.json"))
    return sorted(corpus_path("aas", "testgen-3.0", "test_data", *EXPECTED, folder)
                  .rglob("*.json"))


def _official(json_file: Path) -> Path:
    rel = json_file.relative_to(TESTGEN / "Json").with_suffix(".ttl")
    return TESTGEN / "Rdf" / rel


def _json_back(jsonable: dict[str, Any]) -> Any:
    """RDF -> AAS -> JSON: the environment read from RDF, through aas-core 3.0."""
    core = engine("3.0").jsonization
    return core.to_jsonable(core.environment_from_jsonable(jsonable))


@pytest.mark.parametrize("folder", _folders())
def test_expected_cases_map_to_the_official_rdf_and_back(folder: str) -> None:
    problems: list[str] = []
    cases = _cases(folder)
    assert cases, folder
    for index, json_file in enumerate(cases):
        name = json_file.relative_to(TESTGEN).as_posix()
        original = orjson.loads(json_file.read_bytes())
        ours = to_turtle(original, "3.0").encode("utf-8")
        official_bytes = _official(json_file).read_bytes()
        official = parse_rdf(official_bytes, "turtle")
        graph = official if ours == official_bytes else parse_rdf(ours, "turtle")
        if ours != official_bytes:
            problems.append(f"{name}: Turtle not byte-identical to the official file")
        if not isomorphic(graph, official):
            problems.append(f"{name}: not isomorphic to the official RDF")
            continue
        if index % 20 == 0 and not rdflib_isomorphic(graph, official):
            problems.append(f"{name}: rdflib.compare.isomorphic disagrees")
        read = graph_to_environment(graph)
        if read.issues or read.version != "3.0":
            problems.append(f"{name}: reading reported {read.issues[:3]}")
        if _json_back(read.jsonable) != original:
            problems.append(f"{name}: RDF -> AAS -> JSON differs from the original JSON")
    assert problems == []


def test_every_expected_case_is_covered() -> None:
    total = sum(len(_cases(folder)) for folder in _folders())
    assert total == 2558 + 2


def test_jsonld_holds_the_same_triples() -> None:
    cases = [p for folder in _folders() for p in _cases(folder)][::5]
    problems = []
    for json_file in cases:
        original = orjson.loads(json_file.read_bytes())
        graph = parse_rdf(to_jsonld(original, "3.0").encode("utf-8"), "json-ld")
        official = parse_rdf(_official(json_file).read_bytes(), "turtle")
        if not isomorphic(graph, official):
            problems.append(f"{json_file.name}: JSON-LD not isomorphic to the official RDF")
        elif graph_to_environment(graph).jsonable != original:
            problems.append(f"{json_file.name}: JSON-LD read back differs")
    assert len(cases) > 500
    assert problems == []


def test_invalid_unexpected_json_maps_to_the_official_unexpected_rdf() -> None:
    """Isomorphic, except where the official file is broken (see the committed data)."""
    root = corpus_path("aas", "testgen-3.0", "test_data", "Json", "ContainedInEnvironment",
                       "Unexpected", "Invalid")
    script = _report_script()
    data = _verdicts()
    reindented = {f"{folder}/{name}" for folder, names in
                  data["mappingDifferences"].get("upstream-reindented", {}).items()
                  for name in names}
    checked, problems, explained = 0, [], 0
    for json_file in sorted(root.rglob("*.json"))[::3]:
        rel = ("ContainedInEnvironment/Unexpected/"
               + json_file.relative_to(root).with_suffix(".ttl").as_posix())
        official_file = TESTGEN / "Rdf" / rel
        if rel in data["unparseable"] or not official_file.is_file():
            continue  # not Turtle upstream; or no RDF twin (an empty list has no RDF form)
        ours = parse_rdf(to_turtle(orjson.loads(json_file.read_bytes()), "3.0").encode(),
                         "turtle")
        official = parse_rdf(official_file.read_bytes(), "turtle")
        checked += 1
        if isomorphic(ours, official):
            continue
        if rel in reindented and isomorphic(script.without_reindentation(ours),
                                            script.without_reindentation(official)):
            explained += 1
            continue
        problems.append(rel)
    assert checked > 300
    assert explained > 0
    assert problems == []


@cache
def _report_script() -> ModuleType:
    path = ROOT / "scripts" / "generate_rdf_report.py"
    spec = importlib.util.spec_from_file_location("omp_generate_rdf_report", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _verdicts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_report_script().DATA.read_text(encoding="utf-8"))
    return data


def test_shacl_verdicts_on_a_sample_match_the_committed_table() -> None:
    pytest.importorskip("pyshacl", reason="pyshacl (the shacl extra) is not installed")
    corpus_path("aas", "testgen-3.0", "test_data", "Rdf")
    script = _report_script()
    data = _verdicts()
    chosen = script.sample(data, 40)
    causes = {script.expected_cause(data, rel) for rel in chosen}
    assert set(data["disagreements"]) <= causes  # every disagreement class is sampled
    mismatches = []
    for rel in chosen:
        row = script.classify_file(script.RDF_ROOT / rel)
        if row["cause"] != script.expected_cause(data, rel):
            mismatches.append((rel, row["cause"], row["components"]))
        if row["mapping"] == "differs":
            mismatches.append((rel, "our mapping differs", row["mapping"]))
    assert mismatches == []


def test_committed_verdicts_are_consistent() -> None:
    data = _verdicts()
    sets = data["sets"]
    assert sets["Expected"]["files"] == 2560
    assert sets["Unexpected"]["files"] == 1494
    # no difference between our RDF and the official RDF that the data does not explain,
    # and none that changes the shapes' verdict
    assert data["mapping"].get("differs", 0) == 0
    assert "differs" not in data["mappingDifferences"]
    assert data["oursVerdictDiffers"] == []
    assert "our-mapping" not in data["disagreements"]
    rejected = sum(e["count"] for e in
                   data["disagreements"]["shape-defect/langstring-text"].values())
    assert rejected == sets["Expected"]["rejected"]


def test_rdf_page_is_rendered_from_the_committed_verdicts() -> None:
    assert _report_script().main(["--check"]) == 0
