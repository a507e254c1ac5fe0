"""Render AAS submodels (JSON form) as value-only payloads (IDTA-01001 3.1, "Format Value").

The rules, per element:

=================================  ======================================================
element                            value-only form
=================================  ======================================================
Submodel, SubmodelElementCollection  object: idShort -> value of each child
SubmodelElementList                array of the items' values, in order
Property                           its value as JSON, typed by ``valueType`` (``xs:int``
                                   -> number, ``xs:boolean`` -> ``true``/``false``, ...)
MultiLanguageProperty              ``[{"en": "text"}, {"de": "Text"}]``
Range                              ``{"min": ..., "max": ...}`` (typed like a Property)
File, Blob                         ``{"contentType": ..., "value": ...}``
ReferenceElement                   the reference (``{"type": ..., "keys": [...]}``)
RelationshipElement                ``{"first": ref, "second": ref}``
AnnotatedRelationshipElement       the same and ``"annotations": {idShort: value}``
Entity                             ``{"statements": {...}, "entityType": ...,
                                   "globalAssetId": ..., "specificAssetIds": [...]}``
BasicEventElement                  ``{"observed": ref}``
Operation, Capability              not serialised
=================================  ======================================================

Elements without a value (a Property, MultiLanguageProperty or ReferenceElement without
``value``) are left out, as the specification says; inside a list, where positions count,
they are ``null``. With ``keep_empty=True`` they are ``null`` everywhere, so that the
payload still says that the element exists (the template check counts such elements; the
value-only schemas accept ``null`` for them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from omp_models.submodels._values import to_value_only_scalar

__all__ = ["NOT_SERIALISED", "VALUE_ELEMENTS", "value_only", "value_only_element"]

#: Model types the value-only format leaves out.
NOT_SERIALISED = frozenset({"Operation", "Capability"})
#: Model types whose value-only form is their value alone (absent without one).
VALUE_ELEMENTS = frozenset({"Property", "MultiLanguageProperty", "ReferenceElement"})
_MISSING = object()


def value_only(submodel: Mapping[str, Any], *, keep_empty: bool = False) -> dict[str, Any]:
    """The value-only payload of a submodel (or of a collection: its children).

    Args:
        submodel: A Submodel (``submodelElements``) or SubmodelElementCollection
            (``value``) in the JSON form of AAS 3.0/3.1.
        keep_empty: Elements without a value become ``null`` instead of being left out.

    Returns:
        The payload: an object keyed by the children's idShorts.
    """
    key = "submodelElements" if submodel.get("modelType", "Submodel") == "Submodel" else "value"
    return _Renderer(keep_empty).object(submodel.get(key))


def value_only_element(element: Mapping[str, Any]) -> Any:
    """The value-only form of one submodel element (``None`` when it has no value)."""
    value = _Renderer(False).value(element)
    return None if value is _MISSING else value


def _elements(items: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(items, list):
        return (item for item in items if isinstance(item, Mapping))
    return ()


def _langs(strings: Any) -> list[dict[str, str]]:
    return [{str(s.get("language")): str(s.get("text"))} for s in _elements(strings)]


class _Renderer:
    def __init__(self, keep_empty: bool) -> None:
        self.keep_empty = keep_empty

    def object(self, items: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in _elements(items):
            id_short = item.get("idShort")
            if not isinstance(id_short, str):
                continue
            value = self.value(item)
            if value is _MISSING and self.keep_empty and item.get("modelType") in VALUE_ELEMENTS:
                value = None
            if value is not _MISSING:
                out[id_short] = value
        return out

    def value(self, element: Mapping[str, Any]) -> Any:
        """The value-only form of an element, or ``_MISSING`` when it is not serialised."""
        kind = element.get("modelType")
        value = element.get("value")
        if kind == "Property":
            if not isinstance(value, str):
                return _MISSING
            return to_value_only_scalar(value, element.get("valueType"))
        if kind == "MultiLanguageProperty":
            return _langs(value) if isinstance(value, list) and value else _MISSING
        if kind == "ReferenceElement":
            return dict(value) if isinstance(value, Mapping) else _MISSING
        if kind in ("SubmodelElementCollection", "Submodel"):
            return self.object(element.get("value" if kind != "Submodel"
                                           else "submodelElements"))
        if kind == "SubmodelElementList":
            return self.list(element)
        if kind == "Range":
            value_type = element.get("valueType")
            return {bound: to_value_only_scalar(element[bound], value_type)
                    for bound in ("min", "max") if isinstance(element.get(bound), str)}
        if kind in ("File", "Blob"):
            return {key: element[key] for key in ("contentType", "value")
                    if isinstance(element.get(key), str)}
        return self.structured(kind, element)

    def list(self, element: Mapping[str, Any]) -> Any:
        if element.get("typeValueListElement") in NOT_SERIALISED:
            return _MISSING
        out: list[Any] = []
        for item in _elements(element.get("value")):
            if item.get("modelType") in NOT_SERIALISED:
                continue
            value = self.value(item)
            out.append(None if value is _MISSING else value)
        return out

    def structured(self, kind: Any, element: Mapping[str, Any]) -> Any:
        out: dict[str, Any] = {}
        if kind in ("RelationshipElement", "AnnotatedRelationshipElement"):
            for key in ("first", "second"):
                if isinstance(element.get(key), Mapping):
                    out[key] = dict(element[key])
            if kind == "AnnotatedRelationshipElement" and isinstance(
                    element.get("annotations"), list):
                out["annotations"] = self.object(element["annotations"])
            return out
        if kind == "Entity":
            if isinstance(element.get("statements"), list):
                out["statements"] = self.object(element["statements"])
            for key in ("entityType", "globalAssetId"):
                if isinstance(element.get(key), str):
                    out[key] = element[key]
            if isinstance(element.get("specificAssetIds"), list):
                out["specificAssetIds"] = [dict(s) for s in
                                           _elements(element["specificAssetIds"])]
            return out
        if kind == "BasicEventElement":
            if isinstance(element.get("observed"), Mapping):
                out["observed"] = dict(element["observed"])
            return out
        return _MISSING  # Operation, Capability, unknown model types
