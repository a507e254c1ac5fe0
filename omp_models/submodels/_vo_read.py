"""Value-only payloads -> typed models (the reverse of rendering a model's AAS form)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from omp_models.locate import pointer_from_tokens
from omp_models.submodels._fields import ModelBase, SubmodelModelError, fields, inner_model
from omp_models.submodels._schema import key_pattern
from omp_models.submodels._spec import ElementSpec
from omp_models.submodels._values import (
    AnnotatedRelationship,
    BasicEvent,
    BlobValue,
    FileValue,
    Range,
    Reference,
    Relationship,
    SpecificAssetId,
    to_lexical,
)

__all__ = ["children_from_value_only", "guess_element"]

Token = str | int


def _field_for(cls: type[BaseModel], key: str) -> tuple[str, ElementSpec] | None:
    specs = fields(cls)
    for name, spec in specs:
        if not spec.arbitrary and spec.id_short == key and key_pattern(spec.element) is None:
            return name, spec
    for name, spec in specs:
        pattern = None if spec.arbitrary else key_pattern(spec.element)
        if pattern is not None and re.search(pattern, key):
            return name, spec
    return next(((n, s) for n, s in specs if s.arbitrary), None)


def children_from_value_only(cls: type[BaseModel], payload: Any, path: list[Token]
                             ) -> dict[str, Any]:
    """The field values (for ``cls.model_validate``) of a value-only object."""
    if not isinstance(payload, Mapping):
        raise SubmodelModelError(f"{cls.__name__} must be an object, not "
                                 f"{type(payload).__name__}", pointer_from_tokens(path))
    data: dict[str, Any] = {}
    for key, value in payload.items():
        here = [*path, key]
        found = _field_for(cls, key)
        if found is None:
            raise SubmodelModelError(f"{key!r} is not an element of {cls.__name__} (its "
                                     "template does not define it)", pointer_from_tokens(here))
        name, spec = found
        if spec.arbitrary:
            data.setdefault(name, []).append(guess_element(key, value))
            continue
        repeated = spec.repeatable and spec.model_type != "SubmodelElementList"
        number = len(data.get(name) or []) + 1 if repeated else 1
        try:
            item = _value(cls, name, spec, value, key, number, here)
        except SubmodelModelError:
            raise
        except ValueError as exc:
            raise SubmodelModelError(str(exc), pointer_from_tokens(here)) from exc
        if repeated:
            data.setdefault(name, []).append(item)
        else:
            data[name] = item
    return data


def _value(cls: type[BaseModel], name: str, spec: ElementSpec, value: Any, key: str | None,
           number: int, path: list[Token]) -> Any:
    kind = spec.model_type
    if value is None or kind == "Property":
        return value
    if kind == "MultiLanguageProperty":
        return _langs(value, path)
    if kind == "Range":
        return Range[Any](**_object(value, path, {"min", "max"}))
    if kind in ("File", "Blob"):
        data = _object(value, path, {"contentType", "value"})
        content_type = str(data.get("contentType") or spec.content_type
                           or "application/octet-stream")
        if kind == "File":
            return FileValue(content_type=content_type, value=data.get("value"))
        return BlobValue(content_type=content_type, value=_bytes(data.get("value"), path))
    if kind == "ReferenceElement":
        return Reference.from_json(value)
    if kind in ("SubmodelElementCollection", "Entity"):
        return _container(cls, name, spec, value, key, number, path)
    if kind == "SubmodelElementList":
        if not isinstance(value, list):
            raise SubmodelModelError("a list must be an array", pointer_from_tokens(path))
        item = spec.item
        if item is None:
            return []
        return [_value(cls, name, item, v, None, i + 1, [*path, i]) for i, v in enumerate(value)]
    data = _object(value, path, {"first", "second", "annotations", "observed"})
    if kind == "BasicEventElement":
        return BasicEvent(observed=Reference.from_json(data.get("observed")))
    first, second = Reference.from_json(data.get("first")), Reference.from_json(
        data.get("second"))
    if kind == "AnnotatedRelationshipElement":
        annotations = data.get("annotations") or {}
        return AnnotatedRelationship(first=first, second=second, annotations=[
            guess_element(k, v) for k, v in _object(annotations, path, None).items()])
    return Relationship(first=first, second=second)


def _object(value: Any, path: list[Token], keys: set[str] | None) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise SubmodelModelError(f"expected an object, not {type(value).__name__}",
                                 pointer_from_tokens(path))
    extra = sorted(set(value) - keys) if keys is not None else []
    if extra:
        raise SubmodelModelError(f"unexpected member(s) {', '.join(extra)}",
                                 pointer_from_tokens(path))
    return dict(value)


def _langs(value: Any, path: list[Token]) -> dict[str, str]:
    if not isinstance(value, list):
        raise SubmodelModelError("a multi-language value must be an array of "
                                 '{"<language>": "<text>"} objects', pointer_from_tokens(path))
    out: dict[str, str] = {}
    for index, item in enumerate(value):
        if not isinstance(item, Mapping) or len(item) != 1:
            raise SubmodelModelError('expected {"<language>": "<text>"}',
                                     pointer_from_tokens([*path, index]))
        ((lang, text),) = item.items()
        out[str(lang)] = str(text)
    return out


def _bytes(value: Any, path: list[Token]) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SubmodelModelError(f"the Blob value is not base64: {exc}",
                                 pointer_from_tokens([*path, "value"])) from exc


def _container(cls: type[BaseModel], name: str, spec: ElementSpec, value: Any,
               key: str | None, number: int, path: list[Token]) -> ModelBase:
    model = inner_model(cls, name)
    if model is None:  # pragma: no cover - the generator always gives a model
        raise SubmodelModelError(f"no model for {spec.id_short!r}", pointer_from_tokens(path))
    if spec.model_type == "Entity":
        entity = _object(value, path, {"statements", "entityType", "globalAssetId",
                                       "specificAssetIds"})
        data = children_from_value_only(model, entity.get("statements") or {},
                                        [*path, "statements"])
        data["entity_type"] = entity.get("entityType")
        data["global_asset_id"] = entity.get("globalAssetId")
        data["specific_asset_ids"] = [SpecificAssetId.from_json(dict(s))
                                      for s in entity.get("specificAssetIds") or []
                                      if isinstance(s, Mapping)]
    else:
        data = children_from_value_only(model, value, path)
    if key is not None and key != spec.instance_id_short(number):
        data["id_short"] = key
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise SubmodelModelError(f"{model.__name__}: {exc}", pointer_from_tokens(path)) from exc


# --- elements for Arbitrary placeholders -----------------------------------------------------


def _scalar_type(value: Any) -> str:
    if isinstance(value, bool):
        return "xs:boolean"
    if isinstance(value, int):
        return "xs:integer"
    if isinstance(value, float):
        return "xs:double"
    return "xs:string"


def _is_langs(value: list[Any]) -> bool:
    return bool(value) and all(isinstance(v, Mapping) and len(v) == 1 and all(
        isinstance(t, str) for t in v.values()) for v in value)


def guess_element(id_short: str | None, value: Any) -> dict[str, Any]:
    """An AAS element (JSON form) for a value-only value of unknown model type.

    Used for the elements of ``Arbitrary...`` placeholders: a string, number or boolean
    becomes a Property (``xs:string``, ``xs:integer``/``xs:double``, ``xs:boolean``),
    ``[{"en": ...}]`` a MultiLanguageProperty, ``{"contentType", "value"}`` a File,
    ``{"min", "max"}`` a Range, a reference a ReferenceElement, ``{"first", "second"}`` a
    RelationshipElement, other objects a SubmodelElementCollection and other arrays a
    SubmodelElementList.
    """
    out: dict[str, Any] = {} if id_short is None else {"idShort": id_short}
    if value is None or isinstance(value, bool | int | float | str):
        value_type = _scalar_type(value)
        out.update({"modelType": "Property", "valueType": value_type})
        if value is not None:
            out["value"] = to_lexical(value, value_type)
        return out
    if isinstance(value, list):
        if _is_langs(value):
            out.update({"modelType": "MultiLanguageProperty", "value": [
                {"language": k, "text": t} for item in value for k, t in item.items()]})
            return out
        items = [guess_element(None, v) for v in value]
        out["modelType"] = "SubmodelElementList"
        out["typeValueListElement"] = items[0]["modelType"] if items else "SubmodelElement"
        types = {i.get("valueType") for i in items}
        if items and out["typeValueListElement"] == "Property" and len(types) == 1:
            out["valueTypeListElement"] = types.pop()
        if items:
            out["value"] = items
        return out
    return _guess_object(out, dict(value) if isinstance(value, Mapping) else {})


def _guess_object(out: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    keys = set(value)
    if "contentType" in keys and keys <= {"contentType", "value"}:
        out.update({"modelType": "File", **value})
    elif keys and keys <= {"min", "max"}:
        types = {_scalar_type(v) for v in value.values()}
        value_type = types.pop() if len(types) == 1 else "xs:string"
        out.update({"modelType": "Range", "valueType": value_type})
        out.update({k: to_lexical(v, value_type) for k, v in value.items() if v is not None})
    elif keys == {"type", "keys"} or keys == {"type", "keys", "referredSemanticId"}:
        out.update({"modelType": "ReferenceElement", "value": value})
    elif keys == {"first", "second"}:
        out.update({"modelType": "RelationshipElement", **value})
    else:
        out["modelType"] = "SubmodelElementCollection"
        children = [guess_element(k, v) for k, v in value.items()]
        if children:
            out["value"] = children
    return out
