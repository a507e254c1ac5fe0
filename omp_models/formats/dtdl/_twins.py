"""The twin graph of an Azure Digital Twins Explorer export -> submodel instances.

Each twin becomes a Submodel (kind Instance) whose semanticId is its model's DTMI and whose
id is derived from the twin id; its property values fill Properties shaped like the model's
contents (Components become collections), and each relationship becomes a
RelationshipElement pointing at the target twin's submodel. Service metadata (``$etag``,
``$metadata`` timestamps) is not carried over and is reported once per export.
"""

from __future__ import annotations

import json
from typing import Any

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.dtdl._aas_parts import PRIMITIVE_TO_XS, ext_ref, extension
from omp_models.formats.dtdl._checks import inherited_contents, resolve_alias
from omp_models.formats.dtdl._jsonld import JsonObject
from omp_models.formats.dtdl._model import DtdlModel, Element
from omp_models.ids import IdShortAllocator, derive_id, sanitize_id_short

__all__ = ["twins_to_aas"]


def _plain(value: Any) -> Any:
    if isinstance(value, JsonObject):
        return {k: _plain(v) for k, v in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class _Twins:
    def __init__(self, model: DtdlModel, report: ConversionReport, source: str,
                 base_iri: str) -> None:
        self.model = model
        self.report = report
        self.source = source
        self.base_iri = base_iri
        self._contents: dict[str, list[Element]] = {}

    def inherited(self, interface: Element) -> list[Element]:
        """The contents of an Interface, inherited ones included (computed once)."""
        found = self._contents.get(interface.id)
        if found is None:
            found = self._contents[interface.id] = inherited_contents(self.model, interface)
        return found

    def twin_id(self, dt_id: str) -> str:
        return derive_id(self.base_iri, "dtdl", "twin", dt_id)

    def schema_of(self, element: Element) -> Element | None:
        found = element.children("schema")
        return self.model.elements.get(resolve_alias(self.model, found[0])) if found else None

    def value(self, schema: Element | None, value: Any, id_short: str | None,
              pointer: str) -> dict[str, Any]:
        out: dict[str, Any]
        if schema is not None and schema.cls == "Object" and isinstance(value, dict):
            names = IdShortAllocator()
            children = []
            for field_id in schema.children("fields"):
                field = self.model.elements.get(field_id)
                if field is None or field.name not in value:
                    continue
                child = self.value(self.schema_of(field), value[field.name],
                                   names.allocate(field.name or "field")[0],
                                   f"{pointer}/{field.name}")
                children.append(child)
            out = {"modelType": "SubmodelElementCollection"}
            if children:
                out["value"] = children
        elif schema is not None and schema.cls in PRIMITIVE_TO_XS and not isinstance(
                value, dict | list):
            out = {"modelType": "Property", "valueType": PRIMITIVE_TO_XS[schema.cls],
                   "value": _text(value)}
        else:
            out = {"modelType": "Property", "valueType": "xs:string", "value": _text(value),
                   "extensions": [extension("json", "true")]}
        if id_short is not None:
            out["idShort"] = id_short
        return out

    def contents(self, interface: Element, values: dict[str, Any], pointer: str
                 ) -> list[dict[str, Any]]:
        names = IdShortAllocator()
        out = []
        for content in self.inherited(interface):
            name = content.name
            if name is None or name not in values or content.cls not in (
                    "Property", "Component"):
                continue
            id_short = names.allocate(name)[0]
            here = f"{pointer}/{name}"
            if content.cls == "Component":
                schema = self.schema_of(content)
                raw = values[name] if isinstance(values[name], dict) else {}
                inner = self.contents(schema, raw, here) if schema is not None else []
                item: dict[str, Any] = {"modelType": "SubmodelElementCollection",
                                        "idShort": id_short}
                if schema is not None:
                    item["semanticId"] = ext_ref(schema.id)
                if inner:
                    item["value"] = inner
            else:
                item = self.value(self.schema_of(content), values[name], id_short, here)
                item["semanticId"] = ext_ref(content.id)
            out.append(item)
        return out

    def submodel(self, twin: dict[str, Any], index: int) -> dict[str, Any] | None:
        dt_id = twin.get("$dtId")
        model_id = (twin.get("$metadata") or {}).get("$model")
        if not isinstance(dt_id, str) or not isinstance(model_id, str):
            self.report.add(Code.DROPPED, IssueSeverity.LOSSY, "a twin without $dtId or "
                            "$metadata.$model was skipped",
                            source=f"/digitalTwinsGraph/digitalTwins/{index}", file=self.source)
            return None
        values = {k: v for k, v in twin.items() if not k.startswith("$")}
        interface = self.model.elements.get(model_id)
        sub: dict[str, Any] = {
            "modelType": "Submodel", "id": self.twin_id(dt_id),
            "idShort": sanitize_id_short(dt_id), "kind": "Instance",
            "semanticId": ext_ref(model_id), "extensions": [extension("$dtId", dt_id)],
        }
        pointer = f"/digitalTwinsGraph/digitalTwins/{index}"
        if interface is None:
            self.report.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY, f"the model "
                            f"{model_id} of twin {dt_id!r} is not in the export; its values "
                            "were not converted", source=pointer, file=self.source,
                            original=model_id)
            return sub
        known = {c.name for c in self.inherited(interface)}
        unknown = sorted(set(values) - known)
        if unknown:
            self.report.add(Code.DROPPED, IssueSeverity.LOSSY, f"twin {dt_id!r} has values "
                            f"its model does not define: {', '.join(unknown)}",
                            source=pointer, file=self.source)
        elements = self.contents(interface, values, pointer)
        if elements:
            sub["submodelElements"] = elements
        return sub


def twins_to_aas(model: DtdlModel, graph: JsonObject, env: dict[str, Any],
                 report: ConversionReport, source: str, base_iri: str) -> None:
    """Add the twins and relationships of an export's graph to ``env`` (JSON form)."""
    mapper = _Twins(model, report, source, base_iri)
    twins = graph.get("digitalTwins")
    relationships = graph.get("relationships")
    submodels: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate(twins if isinstance(twins, list) else []):
        if not isinstance(raw, JsonObject):
            continue
        twin = _plain(raw)
        sub = mapper.submodel(twin, index)
        if sub is not None and sub["id"] not in submodels:
            submodels[sub["id"]] = sub
    names: dict[str, IdShortAllocator] = {}
    for index, raw in enumerate(relationships if isinstance(relationships, list) else []):
        rel = _plain(raw) if isinstance(raw, JsonObject) else None
        if rel is None:
            continue
        source_id = mapper.twin_id(str(rel.get("$sourceId")))
        target_id = mapper.twin_id(str(rel.get("$targetId")))
        sub = submodels.get(source_id)
        if sub is None or target_id not in submodels:
            report.add(Code.DROPPED, IssueSeverity.LOSSY, "a relationship between twins that "
                       "are not in the export was skipped",
                       source=f"/digitalTwinsGraph/relationships/{index}", file=source)
            continue
        allocator = names.get(source_id)
        if allocator is None:
            allocator = names[source_id] = IdShortAllocator()
            for existing in sub.get("submodelElements", []):
                allocator.allocate(existing["idShort"])
        element = {
            "modelType": "RelationshipElement",
            "idShort": allocator.allocate(str(rel.get("$relationshipName") or "rel"))[0],
            "first": {"type": "ModelReference", "keys": [{"type": "Submodel",
                                                          "value": source_id}]},
            "second": {"type": "ModelReference", "keys": [{"type": "Submodel",
                                                           "value": target_id}]},
            "extensions": [extension("$relationshipId", str(rel.get("$relationshipId")))],
        }
        sub.setdefault("submodelElements", []).append(element)
    if submodels:
        report.add(Code.DROPPED, IssueSeverity.INFO, f"{len(submodels)} twins became submodel "
                   "instances; the service metadata ($etag, $metadata timestamps) was not "
                   "carried over", source="/digitalTwinsGraph", file=source)
        env["submodels"] = env.get("submodels", []) + [submodels[k] for k in sorted(submodels)]
