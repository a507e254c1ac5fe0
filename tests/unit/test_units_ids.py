"""The shared converter helpers: units, identifiers, idShorts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omp_models.ids import IdShortAllocator, derive_id, preserve, sanitize_id_short
from omp_models.units import ALIASES, units


def test_registry_is_complete_and_aliases_resolve() -> None:
    registry = units()
    assert len(registry) > 1800
    for alias, code in ALIASES.items():
        assert registry.by_code(code) is not None, (alias, code)


@pytest.mark.parametrize(
    ("text", "code"),
    [("kPa", "KPA"), ("Amps", "AMP"), ("%", "P1"), ("Fahrenheit", "FAH"), ("°C", "CEL"),
     ("MILLIMETER/SECOND", "C16"), ("REVOLUTION/MINUTE", "RPM"), ("degreeCelsius", "CEL"),
     ("EA", "H87"), ("mm", "MMT"), ("MMT", "MMT"), ("kilopascal", "KPA"), (" kPa ", "KPA")],
)
def test_lookup(text: str, code: str) -> None:
    unit = units().lookup(text)
    assert unit is not None and unit.code == code


@pytest.mark.parametrize("text", ["", "   ", "furlongs per fortnight", None])
def test_unknown_units_are_none(text: str | None) -> None:
    assert units().lookup(text) is None


def test_unit_id_round_trip() -> None:
    unit = units().by_code("CEL")
    assert unit is not None and units().by_unit_id(unit.unit_id) == unit
    assert unit.unit_id == 4408652


ID_SHORT = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]*[a-zA-Z0-9_]$")


@given(st.text(max_size=200))
def test_sanitized_id_shorts_are_valid_in_both_versions(name: str) -> None:
    assert ID_SHORT.match(sanitize_id_short(name))
    assert len(sanitize_id_short(name)) <= 128


@given(st.lists(st.text(max_size=20), max_size=30))
def test_allocated_id_shorts_are_unique(names: list[str]) -> None:
    allocator = IdShortAllocator()
    got = [allocator.allocate(n)[0] for n in names]
    assert len({g.casefold() for g in got}) == len(got)


def test_allocate_reports_renames() -> None:
    allocator = IdShortAllocator()
    assert allocator.allocate("Speed") == ("Speed", False)
    assert allocator.allocate("Speed") == ("Speed_2", True)
    assert allocator.allocate("1st axis") == ("X_1st_axis", True)


def test_derived_ids_are_deterministic() -> None:
    assert derive_id("urn:x:", "a b", "c/d") == derive_id("urn:x:", "a b", "c/d")
    assert derive_id("urn:x:", "a b") == "urn:x:a%20b"
    assert len(derive_id("urn:x:", "y" * 5000)) <= 2000


def test_preserve_adds_an_extension() -> None:
    from basyx.aas import model

    prop = model.Property("Speed", model.datatypes.Double)
    preserve(prop, "dtdl", "comment", "measured at the spindle")
    ext = prop.extension.get("name", "src:dtdl:comment")
    assert ext.value == "measured at the spindle"
