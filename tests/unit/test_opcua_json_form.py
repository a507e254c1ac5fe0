"""The NodeSet reader builds the AAS JSON form itself (no basyx objects).

Its typed values are written as basyx writes them, a declaration inherited by many
templates is one shared object, ModelReferences are paths in the right submodel, and the
parsed input is freed by reference counting once read.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from basyx.aas.model import datatypes
from hypothesis import given
from hypothesis import strategies as st

from omp_models.aas.io import AasEnvironment, environment_to_jsonable
from omp_models.formats import ConvertOptions, Source, get_format
from omp_models.formats.opcua._json import xs_text
from tests.conftest import corpus_path

_CORE = ("formats", "opcua-nodeset", "Schema", "Opc.Ua.NodeSet2.xml")


def _read(path: Path) -> tuple[AasEnvironment, Any]:
    options = ConvertOptions(search_paths=(path.parents[1],))
    return get_format("opcua-nodeset").read(Source(str(path), path.read_bytes(), path), options)


@pytest.fixture(scope="module")
def core() -> dict[str, Any]:
    env, report = _read(corpus_path(*_CORE))
    assert not report.has_errors and env.ordered and not env.holds_objects
    return environment_to_jsonable(env, copy=False)


# ---------------------------------------------------------------------- typed values

def _basyx(text: str, xs: str) -> str | None:
    """What basyx writes for ``text`` read as ``xs`` (``None``: basyx refuses it)."""
    try:
        return str(datatypes.xsd_repr(datatypes.from_xsd(text, datatypes.XSD_TYPE_CLASSES[xs])))
    except (ValueError, TypeError, KeyError, ArithmeticError, NotImplementedError):
        return None


_INTEGERS = ("xs:byte", "xs:short", "xs:int", "xs:long", "xs:unsignedByte",
             "xs:unsignedShort", "xs:unsignedInt", "xs:unsignedLong")
_SAMPLES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(_INTEGERS, ("0", "-0", "+5", "007", "127", "128", "-128", "-129", "255",
                                "256", "65535", "2147483647", "2147483648", "-2147483649",
                                "4294967295", "4294967296", "9223372036854775807",
                                "18446744073709551615", "18446744073709551616", " 5", "5 ",
                                "1_000", "1.0", "", "abc", "-", "٣")),
    "xs:boolean": ("true", "false", "1", "0", "True", "FALSE", " true", "yes", ""),
    **dict.fromkeys(("xs:double", "xs:float"), (
        "0", "-0", "1", "-1.5", ".5", "5.", "1e10", "1E-7", "+3", "1e400", "-1e400", "0.1",
        "123456789012345678901234567890", "inf", "-INF", "NaN", "1_0", " 2", "", "e5", "1e",
        "0x10", "٣")),
    "xs:dateTime": (
        "2000-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z",
        "2000-01-01T24:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "2000-13-01T00:00:00Z", "2000-01-01T00:60:00Z",
        "2000-01-01T00:00:00.5Z", "2000-01-01T00:00:00+01:00", "2000-01-01T00:00:00",
        "2000-1-01T00:00:00Z", "20000-01-01T00:00:00Z", "2000-01-01 00:00:00Z"),
    "xs:string": ("", " x ", "äöü", "1.0"),
}


@pytest.mark.parametrize("xs", sorted(_SAMPLES))
def test_typed_values_are_written_as_basyx_writes_them(xs: str) -> None:
    for text in _SAMPLES[xs]:
        assert xs_text(text, xs) == _basyx(text, xs), (xs, text)


def test_values_that_are_not_text_are_refused_as_basyx_refuses_them() -> None:
    # (a malformed Range can hold a LocalizedText where a number belongs)
    from omp_models.formats.opcua._values import LText

    value: Any = LText("en", "high")
    for xs in (*_INTEGERS, "xs:double", "xs:boolean", "xs:dateTime"):
        assert xs_text(value, xs) is None


@given(st.integers(min_value=-(2 ** 65), max_value=2 ** 65), st.sampled_from(_INTEGERS))
def test_integers_are_written_as_basyx_writes_them(number: int, xs: str) -> None:
    assert xs_text(str(number), xs) == _basyx(str(number), xs)


@given(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["xs:double",
                                                                        "xs:float"]))
def test_floats_are_written_as_basyx_writes_them(number: float, xs: str) -> None:
    for text in (repr(number), f"{number:.3e}", f"{number:f}"):
        assert xs_text(text, xs) == _basyx(text, xs), text


# ---------------------------------------------------------------------- shared declarations

def _template(core: dict[str, Any], id_short: str) -> dict[str, Any]:
    return next(s for s in core["submodels"]
                if s.get("idShort") == id_short and s.get("kind") == "Template")


def test_an_inherited_declaration_is_one_object_in_every_template(
        core: dict[str, Any]) -> None:
    base = _template(core, "BaseEventType")
    audit = _template(core, "AuditEventType")
    event_id = next(e for e in base["submodelElements"] if e["idShort"] == "EventId")
    inherited = next(e for e in audit["submodelElements"] if e["idShort"] == "EventId")
    assert inherited is event_id


def _model_references(value: Any) -> Iterator[dict[str, Any]]:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if current.get("type") == "ModelReference" and "keys" in current:
                yield current
                continue
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _follow(core: dict[str, Any], keys: list[dict[str, str]]) -> dict[str, Any]:
    """The submodel or element a ModelReference's keys lead to (KeyError if none)."""
    found: dict[str, Any] = next(s for s in core["submodels"] if s["id"] == keys[0]["value"])
    for key in keys[1:]:
        if found["modelType"] == "SubmodelElementList":
            item = found["value"][int(key["value"])]
        else:
            children = found.get("submodelElements") or found.get("value") or found.get(
                "statements") or []
            item = next(c for c in children if c.get("idShort") == key["value"])
        assert item["modelType"] == key["type"]
        found = item
    return found


def test_model_references_are_paths_in_their_own_template(core: dict[str, Any]) -> None:
    templates = {s["id"] for s in core["submodels"] if s.get("kind") == "Template"}
    followed = 0
    for submodel in core["submodels"]:
        for reference in _model_references(submodel.get("submodelElements", [])):
            keys = reference["keys"]
            _follow(core, keys)
            if keys[0]["value"] in templates:
                # (a template refers only into itself: its elements may be shared with the
                # templates of subtypes, but a reference is a path in one submodel)
                assert keys[0]["value"] == submodel["id"]
            followed += 1
    assert followed > 10


# ---------------------------------------------------------------------- memory

def test_the_parsed_input_is_freed_by_reference_counting() -> None:
    path = corpus_path(*_CORE)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        env, _ = _read(path)
        del env
        # Before, the input's nodes and their document formed a cycle (about 90,000
        # objects of the core NodeSet were left to the cyclic collector).
        assert gc.collect() < 5_000
    finally:
        if enabled:
            gc.enable()
