"""Writing through the fast check gives aas-core's bytes on every test-gen environment.

``omp convert`` hands the writers the fast metamodel check: what it vouches for is written
from the JSON form (keys in aas-core's order) without aas-core's verification. Over every
valid test-gen 3.0 environment (all metamodel classes, every value type, Blob values,
language strings, data specifications), written as 3.0 and as 3.1 JSON, the fast route
must give exactly the bytes and problems of the aas-core route, and must be taken.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest

from omp_models.aas._core import AasVersion
from omp_models.aas.io import serialize_environment
from omp_validators.checks._fast import accepts
from tests.conftest import CORPUS

ROOT = CORPUS / "aas" / "testgen-3.0" / "test_data" / "Json" / "ContainedInEnvironment"

@cache
def _environments() -> tuple[tuple[str, dict[str, Any]], ...]:
    files = sorted((ROOT / "Expected").rglob("*.json"))
    return tuple((str(p.relative_to(ROOT)), orjson.loads(p.read_bytes())) for p in files)


def _groups() -> list[str]:
    return sorted({Path(name).parts[1] for name, _ in _environments()}) if ROOT.exists() else []


@pytest.mark.parametrize("group", _groups())
@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_the_fast_route_writes_aas_cores_bytes(group: str, version: AasVersion) -> None:
    """One metamodel class of the corpus at a time (its Expected folder)."""
    taken = 0
    for name, jsonable in _environments():
        if Path(name).parts[1] != group:
            continue
        reference = serialize_environment(jsonable, version, "json")
        fast = serialize_environment(jsonable, version, "json", fast_check=accepts)
        assert (fast.data, fast.problems) == (reference.data, reference.problems), name
        taken += not reference.problems and accepts(jsonable, "Environment", version)
    assert taken > 0  # the fast route was really taken for this class


def test_the_corpus_is_there() -> None:
    assert len(_environments()) > 2000
