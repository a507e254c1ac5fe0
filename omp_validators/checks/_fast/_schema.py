r"""The official AAS JSON Schema, compiled by jsonschema-rs, and the class layout it implies.

The schema (``schemas/aas/<version>/aas.json``) writes non-BMP characters in its
XML-serialisable-string pattern as UTF-16 surrogate pairs, which only ECMA-262 regex
engines accept; jsonschema-rs refuses the schema as published. The 28 occurrences of that
one pattern are replaced, in memory, by the same character set written with code points
(``\U00010000-\U0010FFFF``), which is also how aas-core writes it. Any other surrogate
pattern (a schema update) is refused, so a changed schema cannot silently weaken the check.

From the same schema, :func:`layouts` derives what the invariant walk needs per class:
the JSON keys the class may carry (aas-core refuses any other) and which keys hold
further objects of which class.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from omp_models.aas._core import AasVersion
from omp_models.resources import schemas_root

__all__ = ["Layout", "choices", "layouts", "schema_file", "validator"]

#: The official pattern (JSON-decoded) and its code-point form.
_SURROGATE_FORM = (
    "^([\\x09\\x0a\\x0d\\x20-\\ud7ff\\ue000-\\ufffd]|\\ud800[\\udc00-\\udfff]|"
    "[\\ud801-\\udbfe][\\udc00-\\udfff]|\\udbff[\\udc00-\\udfff])*$"
)
_CODE_POINT_FORM = "^[\\x09\\x0a\\x0d\\x20-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010FFFF]*$"

_REF = "#/definitions/"


class SchemaChanged(RuntimeError):
    """The vendored schema has a pattern this module does not know how to rewrite."""


def _patch(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                if value == _SURROGATE_FORM:
                    value = _CODE_POINT_FORM
                elif "\\ud8" in value.lower() or "\\udb" in value.lower():
                    raise SchemaChanged(f"unknown surrogate pattern {value[:60]!r}")
                out[key] = value
            else:
                out[key] = _patch(value)
        return out
    if isinstance(node, list):
        return [_patch(item) for item in node]
    return node


def schema_file(version: AasVersion) -> Path:
    """The vendored official JSON Schema of ``version``."""
    return schemas_root() / "aas" / version / "aas.json"


@cache
def _schema(version: AasVersion) -> dict[str, Any]:
    # The catalogue's ``aas-<version>-json`` (tests/unit/test_fast_schema.py checks it; its
    # TOML is not parsed here, to keep the TOML parser out of a validation run).
    raw = json.loads(schema_file(version).read_text(encoding="utf-8"))
    patched: dict[str, Any] = _patch(raw)
    return patched


@cache
def validator(version: AasVersion, cls: str) -> Any:
    """A jsonschema-rs validator of class ``cls`` (``Environment``: the whole schema).

    Raises:
        ImportError: jsonschema-rs is not installed (the ``fast`` extra).
        SchemaChanged: The vendored schema cannot be compiled as it is known to be.
    """
    import jsonschema_rs

    schema = _schema(version)
    if cls != "Environment":
        schema = {
            "$schema": schema["$schema"],
            "$id": schema["$id"],
            "$ref": _REF + cls,  # the schema names its definitions as the spec's classes
            "definitions": schema["definitions"],
        }
    return jsonschema_rs.validator_for(schema, validate_formats=False)


class Layout(NamedTuple):
    """What one class looks like in JSON."""

    #: Every key the class may carry.
    keys: frozenset[str]
    #: Key -> (class of the object(s) under it, or a ``*_choice``; whether it is a list).
    children: dict[str, tuple[str, bool]]


def _collect(defs: dict[str, Any], name: str, props: dict[str, Any]) -> None:
    node = defs[name]
    if "$ref" in node:
        _collect(defs, node["$ref"].removeprefix(_REF), props)
    for part in node.get("allOf", []):
        ref = part.get("$ref")
        if ref:
            _collect(defs, ref.removeprefix(_REF), props)
        props.update(part.get("properties", {}))
    props.update(node.get("properties", {}))


def _is_object_class(defs: dict[str, Any], name: str) -> bool:
    node = defs[name]
    return "enum" not in node and node.get("type") != "string"


@cache
def layouts(version: AasVersion) -> dict[str, Layout]:
    """Every object class (and ``*_choice``) of the schema, by definition name."""
    defs: dict[str, Any] = _schema(version)["definitions"]
    out: dict[str, Layout] = {}
    for name in defs:
        if not _is_object_class(defs, name) or "oneOf" in defs[name]:
            continue
        props: dict[str, Any] = {}
        _collect(defs, name, props)
        children: dict[str, tuple[str, bool]] = {}
        for key, spec in props.items():
            many = spec.get("type") == "array"
            ref = (spec.get("items", {}) if many else spec).get("$ref")
            if ref and _is_object_class(defs, ref.removeprefix(_REF)):
                children[key] = (ref.removeprefix(_REF), many)
        # aas-core ignores ``modelType`` on every class (it checks it where it dispatches).
        out[name] = Layout(frozenset(props) | {"modelType"}, children)
    return out


@cache
def choices(version: AasVersion) -> dict[str, frozenset[str]]:
    """Every ``*_choice`` definition: the concrete classes it admits."""
    defs: dict[str, Any] = _schema(version)["definitions"]
    return {
        name: frozenset(o["$ref"].removeprefix(_REF) for o in node["oneOf"])
        for name, node in defs.items()
        if "oneOf" in node
    }
