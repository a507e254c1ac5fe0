"""Read and check SiteWise metadata-transfer JSON into the intermediate form.

The structure is checked as it is read (types, required keys, enumerations, patterns and
lengths of the metadata-transfer job schema), then across objects: duplicate names and
identifiers, and references (expression variables, hierarchies, composed component models,
asset properties and hierarchies). Every problem is an ``INVALID_INPUT`` error at a JSON
Pointer; a reference to a model the document does not define is ``DEPENDENCY_MISSING``
(bulk imports often refer to models that already exist in the account).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from omp_models.formats.sitewise._common import Issues
from omp_models.formats.sitewise._ir import (
    KINDS,
    Asset,
    AssetHierarchy,
    AssetModel,
    AssetProperty,
    CompositeModel,
    Document,
    Hierarchy,
    ModelProperty,
    Variable,
)
from omp_models.locate import escape_pointer_token

__all__ = ["parse_document"]

_TEXT = re.compile(r"^[^\x00-\x1f\x7f]+$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_EXTERNAL_ID = re.compile(r"^[a-zA-Z0-9_][a-zA-Z_\-0-9.:]*[a-zA-Z0-9_]+$")
_VARIABLE = re.compile(r"^[a-z][a-z0-9_]*$")
_INTERVAL = re.compile(r"^[1-9][0-9]*[smhdw]$")
DATA_TYPES = ("STRING", "INTEGER", "DOUBLE", "BOOLEAN", "STRUCT")
MODEL_TYPES = ("ASSET_MODEL", "COMPONENT_MODEL")
#: Keys of the job *request* (``sources``/``destination``), not of a metadata document.
_JOB_KEYS = ("sources", "destination", "iotSiteWiseConfiguration")


def _ptr(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer_token(t) for t in tokens)


class _Reader:
    """Typed access to JSON objects that records every problem with its pointer."""

    def __init__(self, issues: Issues) -> None:
        self.issues = issues

    def obj(self, value: Any, ptr: str, what: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.issues.error(ptr, f"{what} must be an object, not {_kind(value)}")
        return None

    def array(self, obj: dict[str, Any], key: str, ptr: str) -> list[Any]:
        value = obj.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.issues.error(_ptr(ptr, key), f"{key!r} must be an array, not {_kind(value)}")
        return []

    def text(self, obj: dict[str, Any], key: str, ptr: str, *, required: bool = False,
             max_len: int = 256, pattern: re.Pattern[str] = _TEXT, min_len: int = 1,
             what: str = "") -> str | None:
        value = obj.get(key)
        where = _ptr(ptr, key)
        if value is None:
            if required:
                self.issues.error(ptr, f"{key!r} is required{what}")
            return None
        if not isinstance(value, str):
            self.issues.error(where, f"{key!r} must be a string, not {_kind(value)}")
            return None
        if not min_len <= len(value) <= max_len:
            self.issues.error(where, f"{key!r} must have {min_len} to {max_len} characters "
                                     f"(has {len(value)})")
            return None
        if not pattern.match(value):
            self.issues.error(where, f"{key!r} value {value[:80]!r} does not match the pattern "
                                     f"{pattern.pattern}")
            return None
        return value

    def choice(self, obj: dict[str, Any], key: str, ptr: str, allowed: Iterable[str], *,
               required: bool = False) -> str | None:
        value = obj.get(key)
        allowed = tuple(allowed)
        if value is None:
            if required:
                self.issues.error(ptr, f"{key!r} is required (one of {', '.join(allowed)})")
            return None
        if value not in allowed:
            self.issues.error(_ptr(ptr, key),
                              f"{key!r} must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return str(value)

    def ident(self, obj: dict[str, Any], id_key: str, ext_key: str, ptr: str
              ) -> tuple[str | None, str | None]:
        return (self.text(obj, id_key, ptr, min_len=36, max_len=36, pattern=_UUID),
                self.text(obj, ext_key, ptr, min_len=2, max_len=128, pattern=_EXTERNAL_ID))


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            type(None): "null", int: "a number", float: "a number"}.get(type(value), "?")


def _extra(obj: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    known_set = set(known)
    return {k: v for k, v in obj.items() if k not in known_set}


def parse_document(value: Any, issues: Issues) -> Document | None:
    """The document, or ``None`` when it is not a metadata-transfer document at all."""
    r = _Reader(issues)
    if not isinstance(value, dict):
        issues.error("", "not a SiteWise metadata-transfer document: the top-level value must "
                         f"be an object with assetModels and/or assets, not {_kind(value)}")
        return None
    if "assetModels" not in value and "assets" not in value:
        if any(k in value for k in _JOB_KEYS):
            issues.error("", "this is a metadata-transfer job request (sources/destination): "
                             "it says what to export but holds no asset models or assets")
        else:
            issues.error("", "not a SiteWise metadata-transfer document: no 'assetModels' "
                             "or 'assets' array")
        return None
    doc = Document(extra=_extra(value, ("assetModels", "assets")))
    for i, item in enumerate(r.array(value, "assetModels", "")):
        model = _model(r, item, _ptr("", "assetModels", i))
        if model is not None:
            doc.models.append(model)
    for i, item in enumerate(r.array(value, "assets", "")):
        asset = _asset(r, item, _ptr("", "assets", i))
        if asset is not None:
            doc.assets.append(asset)
    if not issues.has_errors:
        _check(doc, issues)
    return doc


_MODEL_KEYS = ("assetModelId", "assetModelExternalId", "assetModelName",
               "assetModelDescription", "assetModelType", "assetModelProperties",
               "assetModelHierarchies", "assetModelCompositeModels", "tags")


def _model(r: _Reader, value: Any, ptr: str) -> AssetModel | None:
    obj = r.obj(value, ptr, "an asset model")
    if obj is None:
        return None
    id_, ext = r.ident(obj, "assetModelId", "assetModelExternalId", ptr)
    model = AssetModel(
        name=r.text(obj, "assetModelName", ptr, required=True) or "", pointer=ptr,
        id=id_, external_id=ext,
        description=r.text(obj, "assetModelDescription", ptr, max_len=2048),
        model_type=r.choice(obj, "assetModelType", ptr, MODEL_TYPES),
        tags=_tags(r, obj, ptr), extra=_extra(obj, _MODEL_KEYS),
    )
    for i, item in enumerate(r.array(obj, "assetModelProperties", ptr)):
        prop = _property(r, item, _ptr(ptr, "assetModelProperties", i))
        if prop is not None:
            model.properties.append(prop)
    for i, item in enumerate(r.array(obj, "assetModelHierarchies", ptr)):
        hierarchy = _hierarchy(r, item, _ptr(ptr, "assetModelHierarchies", i))
        if hierarchy is not None:
            model.hierarchies.append(hierarchy)
    for i, item in enumerate(r.array(obj, "assetModelCompositeModels", ptr)):
        composite = _composite(r, item, _ptr(ptr, "assetModelCompositeModels", i))
        if composite is not None:
            model.composites.append(composite)
    return model


def _tags(r: _Reader, obj: dict[str, Any], ptr: str) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(r.array(obj, "tags", ptr)):
        where = _ptr(ptr, "tags", i)
        tag = r.obj(item, where, "a tag")
        if tag is None:
            continue
        r.text(tag, "key", where, required=True, max_len=128)
        value = tag.get("value")
        if value is not None and not isinstance(value, str):
            r.issues.error(_ptr(where, "value"), "a tag value must be a string")
        out.append(tag)
    return out


_PROPERTY_KEYS = ("id", "externalId", "name", "dataType", "dataTypeSpec", "unit", "type")


def _property(r: _Reader, value: Any, ptr: str) -> ModelProperty | None:
    obj = r.obj(value, ptr, "a property")
    if obj is None:
        return None
    id_, ext = r.ident(obj, "id", "externalId", ptr)
    prop = ModelProperty(
        name=r.text(obj, "name", ptr, required=True) or "",
        data_type=r.choice(obj, "dataType", ptr, DATA_TYPES, required=True) or "STRING",
        kind="measurement", pointer=ptr, id=id_, external_id=ext,
        data_type_spec=r.text(obj, "dataTypeSpec", ptr),
        unit=r.text(obj, "unit", ptr), extra=_extra(obj, _PROPERTY_KEYS),
    )
    type_obj = r.obj(obj.get("type"), _ptr(ptr, "type"), "'type'") if "type" in obj else None
    if type_obj is None:
        if "type" not in obj:
            r.issues.error(ptr, "'type' is required (attribute, measurement, transform or "
                                "metric)")
        return prop
    kinds = [k for k in KINDS if k in type_obj]
    tptr = _ptr(ptr, "type")
    if len(kinds) != 1:
        r.issues.error(tptr, "'type' must hold exactly one of attribute, measurement, "
                             f"transform, metric (found {', '.join(kinds) or 'none'})")
        return prop
    prop.kind = kinds[0]
    kptr = _ptr(tptr, prop.kind)
    body = r.obj(type_obj[prop.kind], kptr, f"'{prop.kind}'")
    extra_type = _extra(type_obj, (prop.kind,))
    if extra_type:
        r.issues.error(tptr, f"'type' has unexpected keys: {', '.join(sorted(extra_type))}")
    if body is None:
        return prop
    modelled: tuple[str, ...] = ()
    if prop.kind == "attribute":
        prop.default_value = r.text(body, "defaultValue", kptr, max_len=1024)
        modelled = ("defaultValue",)
    elif prop.kind in ("transform", "metric"):
        prop.expression = r.text(body, "expression", kptr, required=True, max_len=1024)
        prop.variables = _variables(r, body, kptr)
        modelled = ("expression", "variables")
        if prop.kind == "metric":
            prop.window = _window(r, body, kptr)
            modelled += ("window",)
    prop.type_extra = _extra(body, modelled)
    return prop


def _variables(r: _Reader, body: dict[str, Any], ptr: str) -> list[Variable]:
    out: list[Variable] = []
    seen: set[str] = set()
    for i, item in enumerate(r.array(body, "variables", ptr)):
        where = _ptr(ptr, "variables", i)
        obj = r.obj(item, where, "a variable")
        if obj is None:
            continue
        name = r.text(obj, "name", where, required=True, max_len=64, pattern=_VARIABLE)
        value = r.obj(obj.get("value"), _ptr(where, "value"), "a variable's 'value'")
        if name is None or value is None:
            continue
        if name in seen:
            r.issues.error(_ptr(where, "name"), f"duplicate variable name {name!r}")
        seen.add(name)
        if not any(k in value for k in ("propertyId", "propertyExternalId", "propertyPath")):
            r.issues.error(_ptr(where, "value"), "a variable must name a property "
                           "(propertyId, propertyExternalId or propertyPath)")
        out.append(Variable(name, value, where))
    return out


def _window(r: _Reader, body: dict[str, Any], ptr: str) -> dict[str, Any] | None:
    window = r.obj(body.get("window"), _ptr(ptr, "window"), "'window'") if "window" in body \
        else None
    if window is None:
        if "window" not in body:
            r.issues.error(ptr, "a metric needs a 'window'")
        return None
    tumbling = window.get("tumbling")
    if isinstance(tumbling, dict):
        r.text(tumbling, "interval", _ptr(ptr, "window", "tumbling"), required=True,
               max_len=23, pattern=_INTERVAL)
    return window


_HIERARCHY_KEYS = ("id", "externalId", "name", "childAssetModelId", "childAssetModelExternalId")


def _hierarchy(r: _Reader, value: Any, ptr: str) -> Hierarchy | None:
    obj = r.obj(value, ptr, "a hierarchy")
    if obj is None:
        return None
    id_, ext = r.ident(obj, "id", "externalId", ptr)
    child_id, child_ext = r.ident(obj, "childAssetModelId", "childAssetModelExternalId", ptr)
    if child_id is None and child_ext is None and not _has_any(
            obj, "childAssetModelId", "childAssetModelExternalId"):
        r.issues.error(ptr, "a hierarchy needs 'childAssetModelExternalId' or "
                            "'childAssetModelId'")
    return Hierarchy(name=r.text(obj, "name", ptr, required=True) or "", pointer=ptr, id=id_,
                     external_id=ext, child_model_id=child_id,
                     child_model_external_id=child_ext, extra=_extra(obj, _HIERARCHY_KEYS))


def _has_any(obj: dict[str, Any], *keys: str) -> bool:
    return any(k in obj for k in keys)


_COMPOSITE_KEYS = ("id", "externalId", "name", "description", "type", "composedAssetModelId",
                   "composedAssetModelExternalId", "properties")


def _composite(r: _Reader, value: Any, ptr: str) -> CompositeModel | None:
    obj = r.obj(value, ptr, "a composite model")
    if obj is None:
        return None
    id_, ext = r.ident(obj, "id", "externalId", ptr)
    composed_id, composed_ext = r.ident(obj, "composedAssetModelId",
                                        "composedAssetModelExternalId", ptr)
    composite = CompositeModel(
        name=r.text(obj, "name", ptr, required=True) or "",
        type=r.text(obj, "type", ptr, required=True) or "CUSTOM", pointer=ptr, id=id_,
        external_id=ext, description=r.text(obj, "description", ptr, max_len=2048),
        composed_model_id=composed_id, composed_model_external_id=composed_ext,
        extra=_extra(obj, _COMPOSITE_KEYS),
    )
    for i, item in enumerate(r.array(obj, "properties", ptr)):
        prop = _property(r, item, _ptr(ptr, "properties", i))
        if prop is not None:
            composite.properties.append(prop)
    return composite


_ASSET_KEYS = ("assetId", "assetExternalId", "assetName", "assetDescription", "assetModelId",
               "assetModelExternalId", "assetProperties", "assetHierarchies")


def _asset(r: _Reader, value: Any, ptr: str) -> Asset | None:
    obj = r.obj(value, ptr, "an asset")
    if obj is None:
        return None
    id_, ext = r.ident(obj, "assetId", "assetExternalId", ptr)
    model_id, model_ext = r.ident(obj, "assetModelId", "assetModelExternalId", ptr)
    if not _has_any(obj, "assetModelId", "assetModelExternalId"):
        r.issues.error(ptr, "an asset needs 'assetModelExternalId' or 'assetModelId'")
    if not _has_any(obj, "assetId", "assetExternalId"):
        r.issues.error(ptr, "an asset needs 'assetExternalId' or 'assetId'")
    asset = Asset(name=r.text(obj, "assetName", ptr, required=True) or "", pointer=ptr,
                  id=id_, external_id=ext, model_id=model_id, model_external_id=model_ext,
                  description=r.text(obj, "assetDescription", ptr, max_len=2048),
                  extra=_extra(obj, _ASSET_KEYS))
    for i, item in enumerate(r.array(obj, "assetProperties", ptr)):
        where = _ptr(ptr, "assetProperties", i)
        prop = r.obj(item, where, "an asset property")
        if prop is None:
            continue
        pid, pext = r.ident(prop, "id", "externalId", where)
        if not _has_any(prop, "id", "externalId"):
            r.issues.error(where, "an asset property needs 'externalId' or 'id'")
        asset.properties.append(AssetProperty(
            pointer=where, id=pid, external_id=pext,
            alias=r.text(prop, "alias", where, max_len=1000),
            unit=r.text(prop, "unit", where),
            attribute_value=r.text(prop, "attributeValue", where, max_len=1024),
            extra=_extra(prop, ("id", "externalId", "alias", "unit", "attributeValue"))))
    for i, item in enumerate(r.array(obj, "assetHierarchies", ptr)):
        where = _ptr(ptr, "assetHierarchies", i)
        h = r.obj(item, where, "an asset hierarchy")
        if h is None:
            continue
        hid, hext = r.ident(h, "id", "externalId", where)
        cid, cext = r.ident(h, "childAssetId", "childAssetExternalId", where)
        if not _has_any(h, "id", "externalId"):
            r.issues.error(where, "an asset hierarchy needs 'externalId' or 'id'")
        if not _has_any(h, "childAssetId", "childAssetExternalId"):
            r.issues.error(where, "an asset hierarchy needs 'childAssetExternalId' or "
                                  "'childAssetId'")
        asset.hierarchies.append(AssetHierarchy(
            pointer=where, id=hid, external_id=hext, child_id=cid, child_external_id=cext,
            extra=_extra(h, ("id", "externalId", "childAssetId", "childAssetExternalId"))))
    return asset


def _unique(issues: Issues, items: Iterable[tuple[str | None, str]], what: str) -> None:
    """Report every repeated key (``None`` keys are skipped)."""
    seen: dict[str, str] = {}
    for key, pointer in items:
        if key is None:
            continue
        if key in seen:
            issues.error(pointer, f"duplicate {what} {key!r} (first at {seen[key]})")
        else:
            seen[key] = pointer


def _check(doc: Document, issues: Issues) -> None:
    """Names, identifiers and references across objects."""
    from omp_models.formats.sitewise._check import check_references

    _unique(issues, ((m.name, _ptr(m.pointer, "assetModelName")) for m in doc.models),
            "asset model name")
    _unique(issues, ((m.external_id, _ptr(m.pointer, "assetModelExternalId"))
                     for m in doc.models), "asset model external id")
    _unique(issues, ((m.id, _ptr(m.pointer, "assetModelId")) for m in doc.models),
            "asset model id")
    _unique(issues, ((a.external_id, _ptr(a.pointer, "assetExternalId")) for a in doc.assets),
            "asset external id")
    _unique(issues, ((a.id, _ptr(a.pointer, "assetId")) for a in doc.assets), "asset id")
    for model in doc.models:
        _unique(issues, ((p.name, _ptr(p.pointer, "name")) for p in model.properties),
                f"property name in asset model {model.name!r}:")
        _unique(issues, ((h.name, _ptr(h.pointer, "name")) for h in model.hierarchies),
                f"hierarchy name in asset model {model.name!r}:")
        _unique(issues, ((c.name, _ptr(c.pointer, "name")) for c in model.composites),
                f"composite model name in asset model {model.name!r}:")
        members: list[ModelProperty | Hierarchy | CompositeModel] = [
            *model.properties, *model.hierarchies, *model.composites,
            *(p for c in model.composites for p in c.properties)]
        _unique(issues, ((m.external_id, _ptr(m.pointer, "externalId")) for m in members),
                f"external id in asset model {model.name!r}:")
        _unique(issues, ((m.id, _ptr(m.pointer, "id")) for m in members),
                f"id in asset model {model.name!r}:")
        for composite in model.composites:
            _unique(issues, ((p.name, _ptr(p.pointer, "name")) for p in composite.properties),
                    f"property name in composite model {composite.name!r}:")
    for asset in doc.assets:
        _unique(issues, ((p.ref, p.pointer) for p in asset.properties),
                f"property reference in asset {asset.name!r}:")
        _unique(issues, ((f"{h.ref} -> {h.child_ref}", h.pointer) for h in asset.hierarchies),
                f"hierarchy entry in asset {asset.name!r}:")
    check_references(doc, issues)
