"""Read and check Insights Hub type JSON into the intermediate form.

Accepted documents: one aspect type or asset type (the body the Asset Management API
returns), an array of them, a list response (``{"_embedded": {"aspectTypes": [...]}}``), or
a bundle ``{"aspectTypes": [...], "assetTypes": [...]}`` (what the writer produces). Asset
types may embed their aspect types (``aspects[].aspectType``). Every structural problem is an
``INVALID_INPUT`` error at a JSON Pointer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.insights_hub._common import Issues
from omp_models.formats.insights_hub._ir import (
    DATA_TYPES,
    AspectRef,
    AspectType,
    AssetType,
    Bundle,
    Variable,
)
from omp_models.locate import escape_pointer_token

__all__ = ["classify", "parse_bundle"]

_TYPE_ID = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$")
_VARIABLE = re.compile(r"^[A-Za-z0-9_]+$")
_TEXT = re.compile(r"^[^\x00-\x1f\x7f]+$")
#: Response-only keys of the API (server metadata) that carry nothing of the model.
SERVER_KEYS = ("etag", "_links", "tenantId")
MAX_STRING, MAX_BIG_STRING = 255, 100_000


def _ptr(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer_token(t) for t in tokens)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            type(None): "null", int: "a number", float: "a number"}.get(type(value), "?")


def classify(obj: dict[str, Any]) -> str | None:
    """``"aspect"``, ``"asset"`` or ``None`` for one type object."""
    if "category" in obj:
        return "aspect"
    if any(k in obj for k in ("parentTypeId", "aspects", "instantiable")):
        return "asset"
    return None


def parse_bundle(value: Any, issues: Issues, tenant: str | None) -> Bundle:
    """Every aspect type and asset type of a document (problems go to ``issues``)."""
    bundle = Bundle()
    for item, ptr in _items(value, issues):
        obj = item if isinstance(item, dict) else None
        if obj is None:
            issues.error(ptr, f"a type must be an object, not {_kind(item)}")
            continue
        kind = classify(obj)
        if kind == "aspect":
            aspect = _aspect_type(obj, ptr, issues, tenant)
            if aspect is not None:
                bundle.aspect_types.append(aspect)
        elif kind == "asset":
            asset = _asset_type(obj, ptr, issues, tenant)
            if asset is not None:
                bundle.asset_types.append(asset)
        else:
            issues.error(ptr, "neither an aspect type (no 'category') nor an asset type (no "
                              "'parentTypeId' or 'aspects')")
    _unique(issues, ((a.id, _ptr(a.pointer, "id")) for a in bundle.aspect_types),
            "aspect type id")
    _unique(issues, ((t.id, _ptr(t.pointer, "id")) for t in bundle.asset_types),
            "asset type id")
    return bundle


def _items(value: Any, issues: Issues) -> list[tuple[Any, str]]:
    if isinstance(value, list):
        return [(item, _ptr("", i)) for i, item in enumerate(value)]
    if not isinstance(value, dict):
        issues.error("", f"not an Insights Hub type document: the top-level value is "
                         f"{_kind(value)}")
        return []
    if "_embedded" in value and isinstance(value["_embedded"], dict):
        value, base = value["_embedded"], "/_embedded"
    else:
        base = ""
    if "aspectTypes" in value or "assetTypes" in value:
        out: list[tuple[Any, str]] = []
        for key in ("aspectTypes", "assetTypes"):
            items = value.get(key, [])
            if not isinstance(items, list):
                issues.error(_ptr(base, key), f"{key!r} must be an array, not {_kind(items)}")
                continue
            out.extend((item, _ptr(base, key, i)) for i, item in enumerate(items))
        return out
    return [(value, "")]


def _unique(issues: Issues, items: Iterable[tuple[str | None, str]], what: str) -> None:
    seen: dict[str, str] = {}
    for key, pointer in items:
        if key is None:
            continue
        folded = key.casefold()
        if folded in seen:
            issues.error(pointer, f"duplicate {what} {key!r} (first at {seen[folded]})")
        else:
            seen[folded] = pointer


def _text(obj: dict[str, Any], key: str, ptr: str, issues: Issues, *, required: bool = False,
          max_len: int = 128, pattern: re.Pattern[str] = _TEXT, null_ok: bool = True
          ) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            issues.error(ptr, f"{key!r} is required")
        return None
    if not isinstance(value, str):
        issues.error(_ptr(ptr, key), f"{key!r} must be a string, not {_kind(value)}")
        return None
    if not 1 <= len(value) <= max_len or not pattern.match(value):
        issues.error(_ptr(ptr, key), f"{key!r} value {value[:80]!r} must have 1 to {max_len} "
                                     f"characters matching {pattern.pattern}")
        return None
    return value


def _flag(obj: dict[str, Any], key: str, ptr: str, issues: Issues) -> bool | None:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    issues.error(_ptr(ptr, key), f"{key!r} must be true or false, not {_kind(value)}")
    return None


def _choice(obj: dict[str, Any], key: str, ptr: str, issues: Issues, allowed: tuple[str, ...],
            *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            issues.error(ptr, f"{key!r} is required (one of {', '.join(allowed)})")
        return None
    if value not in allowed:
        issues.error(_ptr(ptr, key), f"{key!r} must be one of {', '.join(allowed)}, not "
                                     f"{value!r}")
        return None
    return str(value)


def _type_id(obj: dict[str, Any], ptr: str, issues: Issues, tenant: str | None,
             name: str | None) -> str | None:
    if "id" in obj:
        return _text(obj, "id", ptr, issues, pattern=_TYPE_ID)
    if tenant and name:
        derived = f"{tenant}.{re.sub(r'[^A-Za-z0-9_-]', '_', name)}"
        issues.add(Code.ID_DERIVED, IssueSeverity.INFO,
                   f"the type has no 'id'; {derived!r} is derived from the tenant and its name",
                   pointer=ptr)
        return derived
    issues.error(ptr, "'id' ('<tenant>.<name>') is required (or give --option tenant=NAME to "
                      "derive it from the name)")
    return None


def _extra(obj: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    skip = set(known) | set(SERVER_KEYS)
    return {k: v for k, v in obj.items() if k not in skip}


def _server_keys(obj: dict[str, Any], ptr: str, issues: Issues) -> None:
    for key in SERVER_KEYS:
        if key in obj:
            issues.add(Code.DROPPED, IssueSeverity.INFO, f"{key!r} is server metadata of the "
                       "API response; not kept", pointer=_ptr(ptr, key))


_ASPECT_KEYS = ("id", "name", "category", "scope", "description", "variables")


def _aspect_type(obj: dict[str, Any], ptr: str, issues: Issues, tenant: str | None
                 ) -> AspectType | None:
    name = _text(obj, "name", ptr, issues, required=True)
    type_id = _type_id(obj, ptr, issues, tenant, name)
    _server_keys(obj, ptr, issues)
    category = _choice(obj, "category", ptr, issues, ("static", "dynamic"), required=True)
    aspect = AspectType(id=type_id or "", name=name or "", category=category or "static",
                        pointer=ptr,
                        description=_text(obj, "description", ptr, issues, max_len=2048),
                        scope=_choice(obj, "scope", ptr, issues, ("private", "public")),
                        variables=_variables(obj, ptr, issues),
                        extra=_extra(obj, _ASPECT_KEYS))
    big = sum(v.length or 0 for v in aspect.variables if v.data_type == "BIG_STRING")
    if big > MAX_BIG_STRING:
        issues.error(_ptr(ptr, "variables"), f"the BIG_STRING variables' lengths add up to "
                                             f"{big}; an aspect type allows {MAX_BIG_STRING}")
    return aspect if type_id else None


_ASSET_KEYS = ("id", "name", "description", "parentTypeId", "instantiable", "scope",
               "variables", "aspects")


def _asset_type(obj: dict[str, Any], ptr: str, issues: Issues, tenant: str | None
                ) -> AssetType | None:
    name = _text(obj, "name", ptr, issues, required=True)
    type_id = _type_id(obj, ptr, issues, tenant, name)
    _server_keys(obj, ptr, issues)
    asset = AssetType(id=type_id or "", name=name or "", pointer=ptr,
                      description=_text(obj, "description", ptr, issues, max_len=2048),
                      parent_type_id=_text(obj, "parentTypeId", ptr, issues, pattern=_TYPE_ID),
                      instantiable=_flag(obj, "instantiable", ptr, issues),
                      scope=_choice(obj, "scope", ptr, issues, ("private", "public")),
                      variables=_variables(obj, ptr, issues), extra=_extra(obj, _ASSET_KEYS))
    aspects = obj.get("aspects", [])
    if not isinstance(aspects, list):
        issues.error(_ptr(ptr, "aspects"), f"'aspects' must be an array, not {_kind(aspects)}")
        aspects = []
    for i, item in enumerate(aspects):
        where = _ptr(ptr, "aspects", i)
        if not isinstance(item, dict):
            issues.error(where, f"an aspect must be an object, not {_kind(item)}")
            continue
        aname = _text(item, "name", where, issues, required=True, max_len=64, pattern=_VARIABLE)
        embedded = None
        if isinstance(item.get("aspectType"), dict):
            embedded = _aspect_type(item["aspectType"], _ptr(where, "aspectType"), issues,
                                    tenant)
        type_ref = _text(item, "aspectTypeId", where, issues, required=embedded is None,
                         pattern=_TYPE_ID) or (embedded.id if embedded else None)
        if aname is not None and type_ref is not None:
            asset.aspects.append(AspectRef(aname, type_ref, where, embedded,
                                           _extra(item, ("name", "aspectTypeId",
                                                         "aspectType"))))
    _unique(issues, ((a.name, _ptr(a.pointer, "name")) for a in asset.aspects), "aspect name")
    return asset if type_id else None


_VARIABLE_KEYS = ("name", "dataType", "unit", "searchable", "length", "qualityCode",
                  "defaultValue")


def _variables(obj: dict[str, Any], ptr: str, issues: Issues) -> list[Variable]:
    items = obj.get("variables", [])
    if items is None:
        return []
    if not isinstance(items, list):
        issues.error(_ptr(ptr, "variables"), f"'variables' must be an array, not {_kind(items)}")
        return []
    out: list[Variable] = []
    for i, item in enumerate(items):
        where = _ptr(ptr, "variables", i)
        if not isinstance(item, dict):
            issues.error(where, f"a variable must be an object, not {_kind(item)}")
            continue
        name = _text(item, "name", where, issues, required=True, max_len=64, pattern=_VARIABLE)
        data_type = _choice(item, "dataType", where, issues, DATA_TYPES, required=True)
        unit = item.get("unit")
        if unit is not None and not isinstance(unit, str):
            issues.error(_ptr(where, "unit"), f"'unit' must be a string, not {_kind(unit)}")
            unit = None
        elif isinstance(unit, str) and (len(unit) > 32 or not (unit == "" or _TEXT.match(unit))):
            issues.error(_ptr(where, "unit"), f"'unit' {unit[:40]!r} must have at most 32 "
                                              "printable characters")
            unit = None
        length = item.get("length")
        if length is not None and (not isinstance(length, int) or isinstance(length, bool)
                                   or length < 1):
            issues.error(_ptr(where, "length"), "'length' must be a positive integer")
            length = None
        elif length is not None and data_type == "STRING" and length > MAX_STRING:
            issues.error(_ptr(where, "length"), f"a STRING variable has at most {MAX_STRING} "
                                                f"characters (use BIG_STRING), not {length}")
        default = item.get("defaultValue")
        if isinstance(default, (dict, list)):
            issues.error(_ptr(where, "defaultValue"), "'defaultValue' must be a string, number "
                                                      "or boolean")
            default = None
        if name is None or data_type is None:
            continue
        out.append(Variable(name=name, data_type=data_type, pointer=where, unit=unit,
                            searchable=_flag(item, "searchable", where, issues),
                            length=length, quality_code=_flag(item, "qualityCode", where,
                                                              issues),
                            default_value=default, extra=_extra(item, _VARIABLE_KEYS)))
    _unique(issues, ((v.name, _ptr(v.pointer, "name")) for v in out), "variable name")
    return out
