"""The official DTDL v3 conformance suite (Azure/opendigitaltwins-dtdl ``DTDL/v3/spec``).

Each file holds test cases: ``input`` (one JSON text per document), ``options``
(``AllowUndefinedExtensions`` / ``DisallowUndefinedExtensions``) and the expected verdict
``valid``. The validator must agree on at least 99 % of the 6,760 cases; the cases where it
is known to disagree are listed in :data:`ALLOWED_DISAGREEMENTS` with the reason, and the
list must not hold cases that agree (so it cannot go stale). Every valid single-document
case also goes DTDL -> AAS -> DTDL and must come back equal (canonical form).

Cases are parsed once; the test aggregates and reports every disagreement at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omp_models.formats import ConvertOptions, Source, get_format
from omp_models.formats.dtdl import normalize_dtdl, read_dtdl
from tests.conftest import corpus_path

#: (file name, case index) -> why the toolkit's verdict differs from the suite's. The
#: validator currently agrees with every case; entries go here with their reason.
ALLOWED_DISAGREEMENTS: dict[tuple[str, int], str] = {}

MIN_AGREEMENT = 0.99


def _cases(folder: Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for path in sorted(folder.glob("*.json")):
        cases = json.loads(path.read_text(encoding="utf-8-sig"))  # every file has a BOM
        for index, case in enumerate(cases):
            if "input" in case:
                yield path.name, index, case


def _allow(case: dict[str, Any]) -> bool | None:
    options = case.get("options", [])
    if "AllowUndefinedExtensions" in options:
        return True
    if "DisallowUndefinedExtensions" in options:
        return False
    return None


@pytest.fixture(scope="module")
def suite() -> list[tuple[str, int, dict[str, Any]]]:
    folder = corpus_path("formats", "dtdl", "opendigitaltwins-dtdl", "DTDL", "v3", "spec")
    return list(_cases(folder))


def test_the_suite_is_the_one_the_issue_names(suite: list[tuple[str, int, dict[str, Any]]]
                                              ) -> None:
    assert len({name for name, _, _ in suite}) == 895
    assert len(suite) == 6760
    assert sum(1 for _, _, case in suite if case["valid"]) == 1628


def test_validator_agrees_with_the_conformance_suite(
        suite: list[tuple[str, int, dict[str, Any]]]) -> None:
    disagreements: list[str] = []
    agree = 0
    for name, index, case in suite:
        documents = [(f"input{i}", json.dumps(value)) for i, value in enumerate(case["input"])]
        model = read_dtdl(documents, allow_undefined_extensions=_allow(case))
        verdict = not model.problems
        if verdict == case["valid"]:
            agree += 1
            assert (name, index) not in ALLOWED_DISAGREEMENTS, \
                f"{name}#{index} agrees now: remove it from ALLOWED_DISAGREEMENTS"
        elif (name, index) not in ALLOWED_DISAGREEMENTS:
            found = "; ".join(f"{p.code}: {p.message}" for p in model.problems[:3])
            disagreements.append(f"{name}#{index}: expected valid={case['valid']}, "
                                 f"found {found or 'no problem'} -- "
                                 f"{json.dumps(case['input'])[:300]}")
    ratio = agree / len(suite)
    assert ratio >= MIN_AGREEMENT
    assert not disagreements, f"{len(disagreements)} unexpected disagreement(s):\n" + \
        "\n".join(disagreements[:40])


def test_every_valid_case_survives_dtdl_to_aas_to_dtdl(
        suite: list[tuple[str, int, dict[str, Any]]]) -> None:
    fmt = get_format("dtdl")
    failures: list[str] = []
    count = 0
    for name, index, case in suite:
        if not case["valid"] or len(case["input"]) != 1:
            continue
        count += 1
        allow = _allow(case)
        options = ConvertOptions(extra={"undefined-extensions": "allow" if allow else "refuse"})
        data = json.dumps(case["input"][0]).encode()
        env, report = fmt.read(Source("in.json", data), options)
        out, written = fmt.write(env, options)
        if report.has_errors or written.has_errors:
            failures.append(f"{name}#{index}: " + "; ".join(
                i.message for i in [*report.issues, *written.issues]
                if i.severity.value == "error"))
            continue
        before = read_dtdl([("in", data)], allow_undefined_extensions=allow)
        after = read_dtdl([("rt", out)], allow_undefined_extensions=allow)
        own = [[e for e in m.elements.values() if e.cls == "Interface" and e.source == s]
               for m, s in ((before, "in"), (after, "rt"))]
        if normalize_dtdl(before, own[0]) != normalize_dtdl(after, own[1]):
            failures.append(f"{name}#{index}: the round trip changed the model")
    assert count == 1628 - sum(1 for _, _, c in suite if c["valid"] and len(c["input"]) > 1)
    assert not failures, "\n".join(failures[:20])
