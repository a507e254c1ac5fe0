"""Typed models <-> the JSON form of AAS submodel elements, driven by the field specs."""

from __future__ import annotations

import base64
import binascii
import copy
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from omp_models.locate import pointer_from_tokens
from omp_models.submodels._fields import (
    ElementModel,
    EntityModel,
    ModelBase,
    SubmodelModelError,
    fields,
    inner_model,
)
from omp_models.submodels._spec import ElementSpec, reference_json
from omp_models.submodels._values import (
    AnnotatedRelationship,
    BasicEvent,
    BlobValue,
    FileValue,
    Range,
    Reference,
    Relationship,
    SpecificAssetId,
    from_lexical,
    to_lexical,
)
from omp_models.templates import loose_key, semantic_id_of

__all__ = ["children_data", "children_json", "element_json", "normal_element"]

Token = str | int

# --- model -> JSON ---------------------------------------------------------------------------


def children_json(model: BaseModel, *, units: bool = True) -> list[dict[str, Any]]:
    """The JSON form of the elements a model's fields hold, in template order."""
    out: list[dict[str, Any]] = []
    for name, spec in fields(type(model)):
        value = getattr(model, name)
        if spec.arbitrary:
            out.extend(copy.deepcopy(dict(item)) for item in value or [])
            continue
        if value is None:
            continue
        items = value if spec.repeatable and spec.model_type != "SubmodelElementList" else [
            value]
        for number, item in enumerate(items, 1):
            out.append(element_json(spec, item, number, units=units))
    return out


def _id_short(spec: ElementSpec, value: Any, number: int) -> str | None:
    if spec.in_list:
        return None
    own = getattr(value, "id_short", None) if isinstance(value, ElementModel) else None
    return own or spec.instance_id_short(number)


def element_json(spec: ElementSpec, value: Any, number: int = 1, *,
                 units: bool = True) -> dict[str, Any]:
    """The JSON form of one element holding ``value``."""
    out: dict[str, Any] = {}
    id_short = _id_short(spec, value, number)
    if id_short is not None:
        out["idShort"] = id_short
    semantic_id = spec.semantic_id_json()
    if semantic_id is not None:
        out["semanticId"] = semantic_id
    out["modelType"] = spec.model_type
    kind = spec.model_type
    if value is None:  # a list item without a value
        if kind in ("Property", "Range"):
            out["valueType"] = spec.value_type or "xs:string"
        return out
    if kind == "Property":
        value_type = spec.value_type or "xs:string"
        out["valueType"] = value_type
        out["value"] = to_lexical(value, value_type)
        unit = spec.unit_data_specification() if units else None
        if unit is not None:
            out["embeddedDataSpecifications"] = [unit]
    elif kind == "MultiLanguageProperty":
        if value:
            out["value"] = [{"language": lang, "text": text} for lang, text in value.items()]
    elif kind == "Range":
        value_type = spec.value_type or "xs:string"
        out["valueType"] = value_type
        for bound in ("min", "max"):
            if getattr(value, bound) is not None:
                out[bound] = to_lexical(getattr(value, bound), value_type)
    elif kind in ("File", "Blob"):
        out["contentType"] = value.content_type
        if value.value is not None:
            out["value"] = (base64.b64encode(value.value).decode("ascii")
                            if kind == "Blob" else value.value)
    elif kind == "ReferenceElement":
        out["value"] = value.to_json()
    elif kind in ("SubmodelElementCollection", "Entity"):
        _container_json(spec, value, out, units)
    elif kind == "SubmodelElementList":
        _list_json(spec, value, out, units)
    else:
        _structured_json(kind, value, out)
    return out


def _container_json(spec: ElementSpec, value: Any, out: dict[str, Any], units: bool) -> None:
    children = children_json(value, units=units)
    if spec.model_type == "SubmodelElementCollection":
        if children:
            out["value"] = children
        return
    assert isinstance(value, EntityModel)
    if children:
        out["statements"] = children
    out["entityType"] = value.entity_type or spec.entity_type or "CoManagedEntity"
    if value.global_asset_id is not None:
        out["globalAssetId"] = value.global_asset_id
    if value.specific_asset_ids:
        out["specificAssetIds"] = [s.to_json() for s in value.specific_asset_ids]


def _list_json(spec: ElementSpec, value: Any, out: dict[str, Any], units: bool) -> None:
    item = spec.item
    if spec.order_relevant is not None:
        out["orderRelevant"] = spec.order_relevant
    if spec.semantic_id_list_element is not None:
        out["semanticIdListElement"] = reference_json(spec.semantic_id_list_element)
    out["typeValueListElement"] = spec.type_value_list_element or (
        item.model_type if item is not None else "SubmodelElement")
    if spec.value_type_list_element is not None:
        out["valueTypeListElement"] = spec.value_type_list_element
    if item is not None and value:
        out["value"] = [element_json(item, v, n, units=units) for n, v in enumerate(value, 1)]


def _structured_json(kind: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, Relationship):
        out["first"] = value.first.to_json()
        out["second"] = value.second.to_json()
        if isinstance(value, AnnotatedRelationship) and value.annotations:
            out["annotations"] = copy.deepcopy(value.annotations)
    elif isinstance(value, BasicEvent):
        out["observed"] = value.observed.to_json()
        out["direction"] = "output"
        out["state"] = "off"
    else:  # pragma: no cover - the generator writes no other field types
        raise SubmodelModelError(f"cannot write a {kind} from {type(value).__name__}")


# --- JSON -> model data ----------------------------------------------------------------------


def _match(cls: type[BaseModel], element: Mapping[str, Any]) -> tuple[str, ElementSpec] | None:
    """The field an instance element belongs to: semanticId, else idShort, else arbitrary."""
    specs = [(n, s) for n, s in fields(cls) if not s.arbitrary]
    semantic_id = semantic_id_of(element.get("semanticId"))
    id_short = element.get("idShort")
    if semantic_id is not None:
        same = [(n, s) for n, s in specs if s.semantic_id is not None and (
            s.semantic_id == semantic_id or loose_key(s.semantic_id) == loose_key(semantic_id))]
        if len(same) > 1 and isinstance(id_short, str):
            same = [(n, s) for n, s in same if s.accepts_id_short(id_short)] or same
        if same:
            return same[0]
    if isinstance(id_short, str):
        for name, spec in specs:
            if spec.accepts_id_short(id_short):
                return name, spec
    kind = element.get("modelType")
    for name, spec in fields(cls):
        if spec.arbitrary and (kind in spec.kinds or not spec.kinds):
            return name, spec
    return None


def children_data(cls: type[BaseModel], elements: Any, path: list[Token]) -> dict[str, Any]:
    """The field values (for ``cls.model_validate``) of a container's child elements."""
    data: dict[str, Any] = {}
    if not isinstance(elements, list):
        return data
    for index, element in enumerate(elements):
        here = [*path, index]
        if not isinstance(element, Mapping):
            raise SubmodelModelError("not a submodel element", pointer_from_tokens(here))
        found = _match(cls, element)
        if found is None:
            raise SubmodelModelError(
                f"{element.get('modelType')} {element.get('idShort')!r} is not an element "
                f"of {cls.__name__} (its template does not define it)", pointer_from_tokens(here))
        name, spec = found
        if spec.arbitrary:
            data.setdefault(name, []).append(normal_element(element))
            continue
        if element.get("modelType") != spec.model_type:
            raise SubmodelModelError(
                f"{element.get('idShort')!r} is a {element.get('modelType')}; the template's "
                f"{spec.id_short!r} is a {spec.model_type}", pointer_from_tokens(here))
        repeated = spec.repeatable and spec.model_type != "SubmodelElementList"
        if not repeated and name in data:
            raise SubmodelModelError(
                f"a second {spec.id_short!r}; the template allows one", pointer_from_tokens(here))
        number = len(data.get(name) or []) + 1 if repeated else 1
        try:
            value = element_data(cls, name, spec, element, number, here)
        except SubmodelModelError:
            raise
        except ValueError as exc:
            raise SubmodelModelError(str(exc), pointer_from_tokens(here)) from exc
        if repeated:
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


def normal_element(element: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an element's JSON form without defaults (a list's ``orderRelevant: true``).

    The elements of ``Arbitrary...`` placeholders are kept as JSON; this makes the same
    content compare equal however it was written.
    """
    out: dict[str, Any] = {}
    for key, value in element.items():
        if key == "orderRelevant" and value is True:
            continue
        if isinstance(value, list):
            out[key] = [normal_element(v) if isinstance(v, Mapping) else copy.deepcopy(v)
                        for v in value]
        elif isinstance(value, Mapping) and key in ("value",):
            out[key] = copy.deepcopy(dict(value))
        else:
            out[key] = copy.deepcopy(value)
    return out


def element_data(cls: type[BaseModel], name: str, spec: ElementSpec,
                 element: Mapping[str, Any], number: int, path: list[Token]) -> Any:
    """The field value of one instance element."""
    kind = spec.model_type
    value = element.get("value")
    if kind == "Property":
        return from_lexical(value, spec.value_type) if isinstance(value, str) else None
    if kind == "MultiLanguageProperty":
        return {str(s.get("language")): str(s.get("text")) for s in value or []
                if isinstance(s, Mapping)} or None
    if kind == "Range":
        return Range[Any](**{b: from_lexical(element[b], spec.value_type)
                             for b in ("min", "max") if isinstance(element.get(b), str)})
    if kind == "File":
        return FileValue(content_type=str(element.get("contentType") or spec.content_type
                                          or "application/octet-stream"),
                         value=value if isinstance(value, str) else None)
    if kind == "Blob":
        return BlobValue(content_type=str(element.get("contentType") or spec.content_type
                                          or "application/octet-stream"),
                         value=_bytes(value, path))
    if kind == "ReferenceElement":
        return Reference.from_json(value) if isinstance(value, Mapping) else None
    if kind in ("SubmodelElementCollection", "Entity"):
        return _container_data(cls, name, spec, element, number, path)
    if kind == "SubmodelElementList":
        item = spec.item
        if item is None:
            return []
        return [element_data(cls, name, item, v, n, [*path, "value", i])
                for i, (n, v) in enumerate(enumerate(_mappings(value), 1))]
    return _structured_data(kind, element)


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _bytes(value: Any, path: list[Token]) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SubmodelModelError(f"the Blob value is not base64: {exc}",
                                 pointer_from_tokens([*path, "value"])) from exc


def _container_data(cls: type[BaseModel], name: str, spec: ElementSpec,
                    element: Mapping[str, Any], number: int, path: list[Token]) -> Any:
    model = inner_model(cls, name)
    if model is None:  # pragma: no cover - the generator always gives a model
        raise SubmodelModelError(f"no model for {spec.id_short!r}", pointer_from_tokens(path))
    entity = spec.model_type == "Entity"
    key = "statements" if entity else "value"
    data = children_data(model, element.get(key), [*path, key])
    id_short = element.get("idShort")  # list items have none (AASd-120): not kept
    if isinstance(id_short, str) and not spec.in_list and (
            id_short != spec.instance_id_short(number)):
        data["id_short"] = id_short
    if entity:
        data["entity_type"] = element.get("entityType")
        data["global_asset_id"] = element.get("globalAssetId")
        data["specific_asset_ids"] = [SpecificAssetId.from_json(dict(s)) for s in
                                      _mappings(element.get("specificAssetIds"))]
    return _validated(model, data, path)


def _validated(model: type[ModelBase], data: dict[str, Any], path: list[Token]) -> ModelBase:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise SubmodelModelError(f"{model.__name__}: {exc}", pointer_from_tokens(path)) from exc


def _structured_data(kind: str, element: Mapping[str, Any]) -> Any:
    if kind in ("RelationshipElement", "AnnotatedRelationshipElement"):
        first = Reference.from_json(element.get("first"))
        second = Reference.from_json(element.get("second"))
        if kind == "RelationshipElement":
            return Relationship(first=first, second=second)
        return AnnotatedRelationship(first=first, second=second, annotations=[
            copy.deepcopy(dict(a)) for a in _mappings(element.get("annotations"))])
    if kind == "BasicEventElement":
        return BasicEvent(observed=Reference.from_json(element.get("observed")))
    raise SubmodelModelError(f"{kind} elements are not supported by typed models")
