"""The fast path's view of the official JSON Schema, checked against aas-core and the catalogue."""

from __future__ import annotations

import pytest

from omp_models.aas._core import AasVersion, engine, snake_case
from omp_models.resources import schema_path
from omp_validators.checks import _fast
from omp_validators.checks._fast import _schema


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_schema_file_is_the_catalogued_one(version: AasVersion) -> None:
    assert _schema.schema_file(version) == schema_path(f"aas-{version}-json")


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_layout_keys_are_the_keys_aas_core_reads(version: AasVersion) -> None:
    jsonization = engine(version).jsonization
    compared = 0
    for name, layout in _schema.layouts(version).items():
        setters = getattr(jsonization, f"_SETTER_MAP_FOR_{snake_case(name).upper()}", None)
        if setters is None:  # abstract classes have no reader of their own
            continue
        assert set(setters) == layout.keys, name
        compared += 1
    assert compared == 38


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_every_class_compiles(version: AasVersion) -> None:
    for name in _schema.layouts(version):
        assert _schema.validator(version, name) is not None


def test_surrogate_patterns_are_rewritten_and_unknown_ones_refused() -> None:
    text = repr(_schema._schema("3.0"))
    assert "\\\\ud800" not in text
    with pytest.raises(_schema.SchemaChanged):
        _schema._patch({"pattern": "^[\\ud800-\\udbff][\\udc00-\\udfff]$"})


def test_single_instances_and_environments() -> None:
    prop = {"modelType": "Property", "idShort": "p", "valueType": "xs:int", "value": "7"}
    assert _fast.accepts(prop, "Property", "3.0")
    assert not _fast.accepts({**prop, "value": "seven"}, "Property", "3.0")
    assert not _fast.accepts({**prop, "unknown": 1}, "Property", "3.0")
    env = {"submodels": [{"modelType": "Submodel", "id": "urn:x", "submodelElements": [prop]}]}
    assert _fast.accepts(env, "Environment", "3.0")
    twice = {"submodels": [{**env["submodels"][0], "submodelElements": [prop, prop]}]}
    assert not _fast.accepts(twice, "Environment", "3.0")  # AASd-022
    # One-letter idShorts are valid in 3.0 and not in 3.1 (the 3.1 schema still allows them)
    assert _fast.accepts(prop, "Property", "3.0")
    assert not _fast.accepts(prop, "Property", "3.1")
    assert _fast.accepts({**prop, "idShort": "pp"}, "Property", "3.1")


def test_generated_constants_match_aas_core() -> None:
    """The generated constant sets are aas-core's (regenerate after an aas-core update)."""
    import importlib.util
    import sys

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "generate_fast_constants", ROOT / "scripts" / "generate_fast_constants.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.OUT.read_text(encoding="utf-8") == module.render()
