"""The fast metamodel path against aas-core, its reference.

The fast path may only *accept*; when it does, aas-core must find nothing (deserialisation
and verification). Checked on every JSON file of the test-gen corpora (3.0 and 3.1) and on
seeded random mutants of the valid ones, built to break invariants: keys dropped, list
items duplicated, string values swapped for values seen under the same key elsewhere,
strings replaced by any string of the corpus, members copied from other objects of the
same class. The fast path must also accept
(nearly) every valid 3.0 file, or it would not be fast.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest

from omp_models.aas._core import AasVersion, engine
from omp_validators.checks._fast import accepts, accepts_shared
from tests.conftest import CORPUS

ROOTS: dict[AasVersion, Path] = {
    "3.0": CORPUS / "aas" / "testgen-3.0" / "test_data" / "Json",
    "3.1": CORPUS / "aas" / "testgen-3.1" / "dev" / "test_data" / "Json",
}


def _class_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root).parts
    if "ContainedInEnvironment" in parts:
        return "Environment"
    if "Expected" in parts:
        return parts[parts.index("Expected") + 1]
    return parts[parts.index("Unexpected") + 3]


@cache
def _corpus(version: AasVersion) -> list[tuple[Path, str, Any]]:
    root = ROOTS[version]
    out = []
    for path in sorted(root.rglob("*.json")):
        try:
            obj = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError:
            continue
        out.append((path, _class_of(path, root), obj))
    return out


def _core_accepts(obj: Any, cls: str, version: AasVersion) -> bool:
    core = engine(version)
    try:
        instance = core.from_jsonable(cls, obj)
    except (core.jsonization.DeserializationException, ValueError):
        # ValueError: aas-core's reader lets binascii.Error out for a bad Blob value.
        return False
    return next(iter(core.verification.verify(instance)), None) is None


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_never_accepts_what_aas_core_refuses(version: AasVersion) -> None:
    wrong, accepted, valid = [], 0, 0
    for path, cls, obj in _corpus(version):
        if not isinstance(obj, dict):
            continue
        fast = accepts(obj, cls, version)
        core = _core_accepts(obj, cls, version)
        valid += core
        accepted += fast
        if fast and not core:
            wrong.append(str(path))
        if "Unexpected" in path.parts:
            assert not fast, path
    assert wrong == []
    # Not a correctness property, the reason the path exists: most valid files take it.
    share = accepted / valid
    assert share > (0.99 if version == "3.0" else 0.9), share


# --- mutants -------------------------------------------------------------------------------


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def _lists(node: Any) -> Iterator[list[Any]]:
    for obj in _objects(node):
        for value in obj.values():
            if isinstance(value, list) and value:
                yield value


@cache
def _pools(version: AasVersion) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, Any]]]]:
    """String values seen per key, and members seen per modelType, over the valid files."""
    strings: dict[str, set[str]] = {}
    members: dict[str, list[tuple[str, Any]]] = {}
    for path, _cls, obj in _corpus(version):
        if "Expected" not in path.parts:
            continue
        for o in _objects(obj):
            for key, value in o.items():
                if isinstance(value, str) and len(value) < 80:
                    strings.setdefault(key, set()).add(value)
            kind = o.get("modelType") if isinstance(o.get("modelType"), str) else "?"
            if len(members.setdefault(kind, [])) < 400:
                members[kind].extend(list(o.items())[:3])
    return {k: sorted(v) for k, v in strings.items()}, members


def _mutate(obj: Any, rng: random.Random, version: AasVersion) -> Any:
    strings, members = _pools(version)
    out = copy.deepcopy(obj)
    for _ in range(rng.randint(1, 3)):
        objects = list(_objects(out))
        target = rng.choice(objects)
        op = rng.randrange(5)
        if op == 0 and target:
            del target[rng.choice(sorted(target))]
        elif op == 1:
            lists = list(_lists(out))
            if lists:
                items = rng.choice(lists)
                items.append(copy.deepcopy(rng.choice(items)))
        elif op == 2:
            keys = [k for k, v in target.items() if isinstance(v, str) and k in strings]
            if keys:
                key = rng.choice(keys)
                target[key] = rng.choice(strings[key])
        elif op == 3:
            keys = [k for k, v in target.items() if isinstance(v, str)]
            if keys:  # any string seen anywhere, under any key
                target[rng.choice(keys)] = rng.choice(strings[rng.choice(sorted(strings))])
        else:
            kind = target.get("modelType") if isinstance(target.get("modelType"), str) else "?"
            pool = members.get(kind)
            if pool:
                key, value = rng.choice(pool)
                target[key] = copy.deepcopy(value)
    return out


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("seed", range(4))
def test_mutants(version: AasVersion, seed: int) -> None:
    rng = random.Random(f"{version}-{seed}")
    valid = [(p, c, o) for p, c, o in _corpus(version) if "Expected" in p.parts]
    wrong, accepted = [], 0
    for _ in range(1500):
        path, cls, obj = rng.choice(valid)
        mutant = _mutate(obj, rng, version)
        if not isinstance(mutant, dict) or not accepts(mutant, cls, version):
            continue
        accepted += 1
        if not _core_accepts(mutant, cls, version):
            wrong.append((str(path), orjson.dumps(mutant).decode()[:300]))
    assert wrong == []
    assert accepted > 100  # the mutants exercise the accepting side too


# --- documents that share objects (as converters build them) -------------------------------


def _with_twins(env: dict[str, Any]) -> dict[str, Any]:
    """``env`` with a twin after each submodel: another id, every other member shared."""
    out = dict(env)
    submodels: list[Any] = []
    for index, submodel in enumerate(env.get("submodels") or []):
        submodels.append(submodel)
        if isinstance(submodel, dict):
            submodels.append({**submodel, "id": f"urn:twin:{index}"})
    out["submodels"] = submodels
    return out


@pytest.mark.parametrize("seed", range(2))
def test_shared_objects_are_walked_once_with_the_same_verdict(seed: int) -> None:
    """accepts_shared checks each shared object once and says what accepts says."""
    rng = random.Random(f"shared-{seed}")
    envs = [o for p, c, o in _corpus("3.0") if c == "Environment" and "Expected" in p.parts
            and isinstance(o, dict) and o.get("submodels")]
    assert len(envs) > 500
    cases = [_with_twins(o) for o in envs[seed::2]]
    cases += [_with_twins(_mutate(rng.choice(envs), rng, "3.0")) for _ in range(600)]
    accepted = 0
    for doc in cases:
        shared = accepts_shared(doc, "Environment", "3.0")
        assert shared == accepts(doc, "Environment", "3.0"), orjson.dumps(doc).decode()[:300]
        accepted += shared
    assert accepted > 200  # (and the mutants give refusals)
