"""The fast path's XSD lexical checks give aas-core's verdicts.

Every (value, valueType) pair of the test-gen corpora (3.0 and 3.1, valid and invalid
examples) is tried against every value type, plus seeded mutants of the values (a
character inserted, dropped or replaced). For every type but ``xs:anyURI`` the verdicts
must be equal; for ``xs:anyURI`` a quick "yes" must be aas-core's "yes".
"""

from __future__ import annotations

import random
from functools import cache

import orjson
import pytest

from omp_models.aas._core import AasVersion, engine
from omp_validators.checks._fast._lexical import quick_verdict
from tests.conftest import CORPUS

ROOTS = {
    "3.0": CORPUS / "aas" / "testgen-3.0" / "test_data" / "Json",
    "3.1": CORPUS / "aas" / "testgen-3.1" / "dev" / "test_data" / "Json",
}
_ALPHABET = "0123456789+-.:TZPYMDHS eE/#?%@[]INFa\n\u00e9\U0001f600\x01\x0b\t\ud800\ufffe"


def _values(node: object, out: set[str]) -> None:
    if isinstance(node, dict):
        for key in ("value", "min", "max"):
            if isinstance(node.get(key), str):
                out.add(node[key])
        for child in node.values():
            _values(child, out)
    elif isinstance(node, list):
        for child in node:
            _values(child, out)


@cache
def _pool(version: AasVersion) -> tuple[str, ...]:
    found: set[str] = set()
    for path in sorted(ROOTS[version].rglob("*.json")):
        try:
            _values(orjson.loads(path.read_bytes()), found)
        except orjson.JSONDecodeError:
            continue
    values = sorted(v for v in found if len(v) < 200)
    rng = random.Random(version)
    mutants = set()
    for value in values:
        for _ in range(6):
            i = rng.randrange(len(value) + 1)
            op = rng.randrange(3)
            c = rng.choice(_ALPHABET)
            if op == 0:
                mutants.add(value[:i] + c + value[i:])
            elif op == 1:
                mutants.add(value[:i] + value[i + 1 :])
            else:
                mutants.add(value[:i] + c + value[i + 1 :])
    return tuple(sorted(set(values) | mutants))


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_verdicts_match_aas_core(version: AasVersion) -> None:
    core = engine(version)
    check = core.verification.value_consistent_with_xsd_type
    values = _pool(version)
    assert len(values) > 2000
    wrong = []
    for literal in core.types.DataTypeDefXSD:
        for value in values:
            quick = quick_verdict(value, literal.value, version)
            if quick is None:
                assert literal.value == "xs:anyURI" or len(value) > 4000
                continue
            if quick != check(value, literal):
                wrong.append((literal.value, value))
    assert wrong == []


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_any_uri_quick_test_covers_ordinary_uris(version: AasVersion) -> None:
    for uri in (
        "https://admin-shell.io/aas/3/0",
        "urn:example:machine:1",
        "file:///tmp/x.pdf",
        "/aasx/files/manual.pdf",
        "relative/path?q=1#frag",
    ):
        assert quick_verdict(uri, "xs:anyURI", version) is True, uri
