"""The environment converters exchange, and writing it with and without aas-core.

An :class:`~omp_models.aas.io.AasEnvironment` holds basyx objects or their JSON form
(readers that build the JSON form hand it over; basyx objects are made when a consumer
asks for ``store``). :func:`~omp_models.aas.io.serialize_environment` writes with aas-core,
or, when a fast check vouches for the document, from the JSON form itself with its keys in
aas-core's order: the two routes must give the same bytes and the same problems.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from basyx.aas import model
from basyx.aas.adapter.json import read_aas_json_file
from basyx.aas.examples.data import create_example

from omp_models.aas._core import AasVersion
from omp_models.aas._jsonable import KEY_ORDER, canonical_jsonable, store_to_jsonable
from omp_models.aas.io import (
    AasEnvironment,
    AasReadError,
    DocKind,
    environment_from_jsonable,
    environment_to_jsonable,
    read_aas_json,
    serialize_environment,
)
from omp_models.formats import ConvertOptions, Source, get_format
from omp_validators.checks._fast import accepts
from tests.conftest import ROOT

VALID = ROOT / "examples" / "valid"


def _example() -> dict[str, Any]:
    """basyx's complete example environment, as a JSON form (keys in basyx's order)."""
    return store_to_jsonable(create_example())


def _documents() -> list[dict[str, Any]]:
    """JSON forms of the valid examples (aas-core's key order) and of basyx's example."""
    out = [_example()]
    for name in ("press-line-3.0.json", "operating-hours-submodel.json"):
        out.append(read_aas_json((VALID / name).read_bytes())[0])
    return out


# ---------------------------------------------------------------------- the environment

def test_a_json_environment_makes_no_objects_until_asked() -> None:
    jsonable = _example()
    env = AasEnvironment(jsonable=jsonable, ordered=False)
    assert not env.holds_objects
    assert env.ids() == [i["id"] for key in ("assetAdministrationShells", "submodels",
                                             "conceptDescriptions")
                         for i in jsonable.get(key, [])]
    assert environment_to_jsonable(env, copy=False) is jsonable
    copied = environment_to_jsonable(env)
    assert copied == jsonable and copied is not jsonable
    copied["submodels"].clear()  # the copy is the caller's own
    assert jsonable["submodels"]


def test_asking_for_the_store_makes_it_the_content() -> None:
    jsonable = _example()
    env = AasEnvironment(jsonable=jsonable, ordered=True)
    before = (env.holds_objects, env.ordered)
    store = env.store
    assert before == (False, True)
    assert (env.holds_objects, env.ordered) == (True, False) and env.store is store
    assert sorted(env.ids()) == sorted(i.id for i in store)
    assert store_to_jsonable(store) == jsonable
    submodel = next(i for i in store if isinstance(i, model.Submodel))
    submodel.id_short = "ChangedInTheStore"
    changed = environment_to_jsonable(env)
    assert any(s.get("idShort") == "ChangedInTheStore" for s in changed["submodels"])


def test_an_environment_is_a_store_or_a_json_form() -> None:
    with pytest.raises(ValueError):
        AasEnvironment(store=model.DictIdentifiableStore(), jsonable={})
    empty = AasEnvironment()
    assert empty.ids() == [] and environment_to_jsonable(empty) == {}
    assert list(empty.store) == []


def test_the_store_is_what_basyx_reads_from_the_json_text() -> None:
    # The store is built from the JSON form without the text in between: it must hold
    # what basyx's strict JSON reader makes of the text.
    for jsonable in _documents():
        built = environment_from_jsonable(jsonable).store
        text = read_aas_json_file(io.StringIO(json.dumps(jsonable)), failsafe=False)
        assert store_to_jsonable(built) == store_to_jsonable(text)


def test_basyx_refusing_the_json_form_is_a_read_error() -> None:
    jsonable = _example()
    del jsonable["submodels"][0]["id"]
    with pytest.raises(AasReadError):
        _ = AasEnvironment(jsonable=jsonable).store
    twice = _example()
    twice["submodels"].append(twice["submodels"][0])
    with pytest.raises(AasReadError):
        environment_from_jsonable(twice)


# ---------------------------------------------------------------------- aas-core's key order

def _aas_core_orders(package: str) -> dict[str, list[str]]:
    """Class -> keys in the order aas-core's serialiser writes them (read from its source)."""
    import importlib.util

    spec = importlib.util.find_spec(f"{package}.jsonization")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for match in re.finditer(r"    def transform_\w+\(\s*self, that: aas_types\.(\w+)\s*\)"
                             r" -> MutableJsonable:(.*?)(?=\n    def |\Z)", source, re.S):
        found[match.group(1)] = re.findall(r'jsonable\["(\w+)"\]', match.group(2))
    return found


@pytest.mark.parametrize("package", ["aas_core3", "aas_core3_1"])
def test_the_key_order_is_aas_cores(package: str) -> None:
    orders = _aas_core_orders(package)
    names = {"SpecificAssetID": "#SpecificAssetId",
             "DataSpecificationIEC61360": "DataSpecificationIec61360"}
    for cls, keys in orders.items():
        if cls.startswith("LangString"):
            assert keys == list(KEY_ORDER["#LangString"])
            continue
        if cls == "EventPayload":  # (not part of an environment)
            continue
        name = names.get(cls, cls if "modelType" in keys else f"#{cls}")
        assert list(KEY_ORDER[name]) == keys, cls


def test_canonical_order_gives_aas_cores_bytes() -> None:
    for jsonable in _documents():
        expected = serialize_environment(jsonable, "3.1", "json").data
        canonical = canonical_jsonable(jsonable)
        assert canonical is not None
        assert orjson.dumps(canonical, option=orjson.OPT_INDENT_2) + b"\n" == expected
        # A form in that order already is used as it is, not copied.
        assert canonical_jsonable(canonical) is canonical


def test_canonical_order_refuses_what_it_does_not_know() -> None:
    jsonable = _example()
    jsonable["submodels"][0]["unknownKey"] = 1
    assert canonical_jsonable(jsonable) is None
    jsonable = _example()
    jsonable["submodels"][0]["submodelElements"] = "not a list"
    assert canonical_jsonable(jsonable) is None


# ---------------------------------------------------------------------- the fast route

@pytest.mark.parametrize("kind", ["json", "xml"])
@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_the_fast_route_writes_aas_cores_bytes(kind: DocKind, version: AasVersion) -> None:
    vouched: list[bool] = []

    def check(doc: dict[str, Any], cls: str, ver: Any) -> bool:
        vouched.append(accepts(doc, cls, ver))
        return vouched[-1]

    for jsonable in _documents():
        reference = serialize_environment(jsonable, version, kind)
        fast = serialize_environment(jsonable, version, kind, fast_check=check)
        assert vouched[-1] is not bool(reference.problems)
        assert fast.data == reference.data
        assert fast.problems == reference.problems
    assert vouched.count(True) >= 2  # (the fast route was taken)


def test_what_the_fast_check_does_not_vouch_for_aas_core_reports() -> None:
    jsonable = read_aas_json((VALID / "operating-hours-submodel.json").read_bytes())[0]
    jsonable["submodels"][0]["idShort"] = "Operating-Data"  # valid in 3.1 only
    def unsure(doc: dict[str, Any], cls: str, version: Any) -> bool:
        return False

    def broken(doc: dict[str, Any], cls: str, version: Any) -> bool:
        raise RuntimeError("a check that fails must not stop the write")

    for check in (accepts, unsure, broken):
        result = serialize_environment(jsonable, "3.0", "json", fast_check=check)
        assert result.problems
        assert result == serialize_environment(jsonable, "3.0", "json")
    ok = serialize_environment(jsonable, "3.1", "json", fast_check=accepts)
    assert not ok.problems
    assert ok.data == serialize_environment(jsonable, "3.1", "json").data


def _reversed(value: Any) -> Any:
    """``value`` with the keys of every object in reverse order."""
    if isinstance(value, dict):
        return {key: _reversed(value[key]) for key in reversed(value)}
    if isinstance(value, list):
        return [_reversed(item) for item in value]
    return value


def test_an_ordered_form_is_written_as_it_is() -> None:
    jsonable = _reversed(read_aas_json((VALID / "press-line-3.0.json").read_bytes())[0])
    assert accepts(jsonable, "Environment", "3.1")
    as_given = serialize_environment(jsonable, "3.1", "json", fast_check=accepts,
                                     ordered=True)
    assert as_given.data == orjson.dumps(jsonable, option=orjson.OPT_INDENT_2) + b"\n"
    reordered = serialize_environment(jsonable, "3.1", "json", fast_check=accepts)
    assert reordered.data == serialize_environment(jsonable, "3.1", "json").data
    assert json.loads(as_given.data) == json.loads(reordered.data)


def test_the_aas_writers_take_the_fast_check_from_the_options(tmp_path: Path) -> None:
    data = (VALID / "press-line-3.0.json").read_bytes()
    fmt = get_format("aas-json")
    env, report = fmt.read(Source("press-line-3.0.json", data), ConvertOptions())
    assert not report.has_errors
    calls: list[str] = []

    def check(doc: dict[str, Any], cls: str, version: Any) -> bool:
        calls.append(version)
        return accepts(doc, cls, version)

    for target in ("aas-json", "aas-xml", "aasx"):
        plain, _ = get_format(target).write(env, ConvertOptions(aas_version="3.0"))
        fast, written = get_format(target).write(env, ConvertOptions(aas_version="3.0",
                                                                     fast_check=check))
        assert fast == plain and not written.has_errors
    assert calls == ["3.0", "3.0", "3.0"]
