"""The vendored schemas: present, pinned (SHA-256), licensed, and loadable."""

from __future__ import annotations

import json

import pytest
from jsonschema.validators import validator_for
from lxml import etree

from omp_models.resources import SchemaEntry, catalog, schema_path, schemas_root


def test_catalog_lists_the_aas_schemas() -> None:
    assert {"aas-3.0-json", "aas-3.0-xsd", "aas-3.1-json"} <= set(catalog())


@pytest.mark.parametrize("entry", list(catalog().values()), ids=lambda e: e.id)
def test_entry_is_pinned_and_licensed(entry: SchemaEntry) -> None:
    assert entry.path.is_file()
    assert entry.verify(), f"{entry.path} changed without updating catalog.toml"
    assert entry.licence_file.is_file()
    assert entry.upstream.startswith("https://")


@pytest.mark.parametrize("sid", ["aas-3.0-json", "aas-3.1-json"])
def test_json_schemas_are_valid_json_schemas(sid: str) -> None:
    schema = json.loads(schema_path(sid).read_text(encoding="utf-8"))
    validator_for(schema).check_schema(schema)


def test_xsd_compiles() -> None:
    schema = etree.XMLSchema(etree.parse(str(schema_path("aas-3.0-xsd"))))
    assert schema is not None


def test_root_is_the_checkout_folder_here() -> None:
    assert (schemas_root() / "catalog.toml").is_file()


def test_unknown_schema_id() -> None:
    with pytest.raises(KeyError):
        schema_path("no-such-schema")
