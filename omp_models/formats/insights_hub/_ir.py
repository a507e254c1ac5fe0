"""The lossless intermediate form of Insights Hub asset types and aspect types.

Every node keeps the JSON Pointer it came from and the keys the converter does not model
(``extra``), so report entries point into the source and a round trip restores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AspectRef", "AspectType", "AssetType", "Bundle", "Variable", "bundle_to_json"]

DATA_TYPES = ("BOOLEAN", "INT", "LONG", "DOUBLE", "STRING", "BIG_STRING", "TIMESTAMP")


@dataclass
class Variable:
    """A variable of an aspect type or asset type."""

    name: str
    data_type: str
    pointer: str = ""
    unit: str | None = None
    searchable: bool | None = None
    length: int | None = None
    quality_code: bool | None = None
    #: The default value as it was in the JSON (string, number, boolean or ``None``).
    default_value: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AspectType:
    """An aspect type: a named group of variables, static or dynamic."""

    id: str
    name: str
    category: str
    pointer: str = ""
    description: str | None = None
    scope: str | None = None
    variables: list[Variable] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AspectRef:
    """An aspect of an asset type: a name and the aspect type it uses."""

    name: str
    aspect_type_id: str
    pointer: str = ""
    #: The aspect type when the asset type embeds it (``aspects[].aspectType``).
    embedded: AspectType | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AssetType:
    """An asset type: variables and aspects, inherited from ``parent_type_id``."""

    id: str
    name: str
    pointer: str = ""
    description: str | None = None
    parent_type_id: str | None = None
    instantiable: bool | None = None
    scope: str | None = None
    variables: list[Variable] = field(default_factory=list)
    aspects: list[AspectRef] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Bundle:
    """Aspect types and asset types read from (or written to) one document."""

    aspect_types: list[AspectType] = field(default_factory=list)
    asset_types: list[AssetType] = field(default_factory=list)


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != [] and value != {}:
        out[key] = value


def variable_json(v: Variable) -> dict[str, Any]:
    """One variable as Insights Hub JSON."""
    out: dict[str, Any] = {"name": v.name, "dataType": v.data_type}
    _put(out, "unit", v.unit)
    _put(out, "searchable", v.searchable)
    _put(out, "length", v.length)
    _put(out, "qualityCode", v.quality_code)
    _put(out, "defaultValue", v.default_value)
    out.update(v.extra)
    return out


def aspect_type_json(a: AspectType) -> dict[str, Any]:
    """One aspect type as Insights Hub JSON."""
    out: dict[str, Any] = {"id": a.id, "name": a.name, "category": a.category}
    _put(out, "scope", a.scope)
    _put(out, "description", a.description)
    out["variables"] = [variable_json(v) for v in a.variables]
    out.update(a.extra)
    return out


def asset_type_json(t: AssetType) -> dict[str, Any]:
    """One asset type as Insights Hub JSON."""
    out: dict[str, Any] = {"id": t.id, "name": t.name}
    _put(out, "description", t.description)
    _put(out, "parentTypeId", t.parent_type_id)
    _put(out, "instantiable", t.instantiable)
    _put(out, "scope", t.scope)
    out["variables"] = [variable_json(v) for v in t.variables]
    aspects = []
    for ref in t.aspects:
        item: dict[str, Any] = {"name": ref.name, "aspectTypeId": ref.aspect_type_id}
        item.update(ref.extra)
        aspects.append(item)
    out["aspects"] = aspects
    out.update(t.extra)
    return out


def bundle_to_json(bundle: Bundle) -> dict[str, Any]:
    """``{"aspectTypes": [...], "assetTypes": [...]}`` sorted by id."""
    return {
        "aspectTypes": [aspect_type_json(a) for a in sorted(bundle.aspect_types,
                                                            key=lambda a: a.id)],
        "assetTypes": [asset_type_json(t) for t in sorted(bundle.asset_types,
                                                          key=lambda t: t.id)],
    }
