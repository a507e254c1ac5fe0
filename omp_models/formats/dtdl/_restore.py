"""Reading back DTDL written from AAS.

Interfaces annotated ``AAS:{...}`` become the submodels they came from (the inverse of the
annotated mapping in ``_from_aas.py``).
"""

from __future__ import annotations

from typing import Any

from omp_models.formats.dtdl._aas_parts import PRIMITIVE_TO_XS
from omp_models.formats.dtdl._annotation import (
    CONTINUATION,
    REFERENCE_KEYS,
    decode,
    expand_qualifier,
    expand_ref,
)
from omp_models.formats.dtdl._checks import resolve_alias
from omp_models.formats.dtdl._dtmi import unescape_dtmi
from omp_models.formats.dtdl._model import DtdlModel, Element

__all__ = ["annotation_of", "restore_submodel"]


def annotation_of(element: Element) -> dict[str, Any] | None:
    """The AAS annotation in an element's comment (and continuations), if any."""
    return decode(element.literals.get("comment"), element.literals.get("description"),
                  element.literals.get("displayName"))


def _langs(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, dict):
        return []
    return [{"language": k, "text": v} for k, v in value.items()
            if v and k != CONTINUATION]


def _merge(out: dict[str, Any], annotation: dict[str, Any]) -> None:
    for key, value in annotation.items():
        if key in ("t", "idShort", "id", "multi", "item"):
            continue
        if key in REFERENCE_KEYS:
            out[key] = expand_ref(value)
        elif key == "supplementalSemanticIds":
            out[key] = [expand_ref(v) for v in value]
        elif key == "qualifiers":
            out[key] = [expand_qualifier(q) for q in value]
        else:
            out[key] = value


class _Restorer:
    def __init__(self, model: DtdlModel) -> None:
        self.model = model

    def get(self, element: Element, prop: str) -> Element | None:
        found = element.children(prop)
        return self.model.elements.get(resolve_alias(self.model, found[0])) if found else None

    def all(self, element: Element, prop: str) -> list[Element]:
        out = []
        for dtmi in element.children(prop):
            found = self.model.elements.get(resolve_alias(self.model, dtmi))
            if found is not None:
                out.append(found)
        return out

    def named(self, element: Element, out: dict[str, Any], annotation: dict[str, Any],
              with_id_short: bool = True) -> None:
        if with_id_short:
            out["idShort"] = annotation.get("idShort", element.name)
        display = _langs(element.literals.get("displayName"))
        if display:
            out["displayName"] = display
        description = _langs(element.literals.get("description"))
        if description:
            out["description"] = description

    def value_element(self, schema: Element | None, annotation: dict[str, Any],
                      ) -> dict[str, Any]:
        """The AAS element a schema (and its annotation) stands for (without idShort)."""
        kind = annotation.get("t")
        out: dict[str, Any]
        if schema is None or schema.cls in PRIMITIVE_TO_XS:
            value_type = PRIMITIVE_TO_XS.get(schema.cls if schema else "String", "xs:string")
            if kind in ("File", "Blob", "ReferenceElement", "Capability",
                        "BasicEventElement", "RelationshipElement", "SubmodelElementCollection",
                        "Entity", "MultiLanguageProperty", "SubmodelElementList"):
                out = {"modelType": kind}
            else:
                out = {"modelType": kind or "Property", "valueType": value_type}
        elif schema.cls == "Map":
            out = {"modelType": kind or "MultiLanguageProperty"}
        elif schema.cls == "Object":
            fields = [self.field(f) for f in self.all(schema, "fields")]
            if kind == "Range":
                first = self.get(self.all(schema, "fields")[0], "schema") if fields else None
                out = {"modelType": "Range",
                       "valueType": PRIMITIVE_TO_XS.get(first.cls if first else "",
                                                        "xs:string")}
            elif kind == "Entity":
                out = {"modelType": "Entity"}
                if fields:
                    out["statements"] = fields
            else:
                out = {"modelType": kind or "SubmodelElementCollection"}
                if fields:
                    out["value"] = fields
        elif schema.cls == "Array":
            out = {"modelType": kind or "SubmodelElementList"}
            item_schema = self.get(schema, "elementSchema")
            item_annotation = (annotation_of(schema) or {}).get("item")
            if item_annotation is not None:
                item = self.value_element(item_schema, item_annotation)
                _merge(item, item_annotation)
                out["value"] = [item]
                out.setdefault("typeValueListElement", item["modelType"])
                if "valueType" in item:
                    out.setdefault("valueTypeListElement", item["valueType"])
            elif "typeValueListElement" in annotation:
                pass  # an empty list: its types are in the annotation
            elif item_schema is not None and item_schema.cls in PRIMITIVE_TO_XS:
                out["typeValueListElement"] = "Property"
                out["valueTypeListElement"] = PRIMITIVE_TO_XS[item_schema.cls]
        else:
            out = {"modelType": kind or "Property", "valueType": "xs:string"}
        return out

    def field(self, field: Element) -> dict[str, Any]:
        annotation = annotation_of(field) or {}
        out = self.value_element(self.get(field, "schema"), annotation)
        self.named(field, out, annotation)
        _merge(out, annotation)
        return _ordered(out)

    def content(self, element: Element) -> dict[str, Any] | None:
        annotation = annotation_of(element) or {}
        out: dict[str, Any]
        if element.cls == "Command":
            out = {"modelType": "Operation"}
            for prop, key in (("request", "inputVariables"), ("response", "outputVariables")):
                payload = self.get(element, prop)
                if payload is None:
                    continue
                if key in annotation.get("multi", []):
                    schema = self.get(payload, "schema")
                    fields = self.all(schema, "fields") if schema else []
                    out[key] = [{"value": self.field(f)} for f in fields]
                else:
                    out[key] = [{"value": self.field(payload)}]
        elif element.cls == "Relationship":
            props = [self.field(p) for p in self.all(element, "properties")]
            out = {"modelType": annotation.get("t") or (
                "AnnotatedRelationshipElement" if props else "RelationshipElement")}
            if props:
                out["annotations"] = props
        elif element.cls in ("Property", "Telemetry"):
            out = self.value_element(self.get(element, "schema"), annotation)
        else:
            return None
        self.named(element, out, annotation)
        _merge(out, annotation)
        return _ordered(out)

    def submodel(self, interface: Element, annotation: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "modelType": "Submodel",
            "id": annotation.get("id") or unescape_dtmi(interface.id),
        }
        self.named(interface, out, annotation, with_id_short=False)
        if "idShort" in annotation:
            out["idShort"] = annotation["idShort"]
        _merge(out, annotation)
        elements = [c for c in (self.content(e) for e in self.all(interface, "contents")) if c]
        if elements:
            out["submodelElements"] = elements
        return _ordered(out)


def _ordered(element: dict[str, Any]) -> dict[str, Any]:
    return dict(sorted(element.items()))


def restore_submodel(model: DtdlModel, interface: Element,
                     annotation: dict[str, Any]) -> dict[str, Any]:
    """The submodel an annotated Interface was written from."""
    return _Restorer(model).submodel(interface, annotation)
