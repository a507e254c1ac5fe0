"""From an AAS submodel instance back to the aspect's JSON payload.

The inverse of :func:`omp_models.samm._aas.submodel_environment` for instances: elements are
matched to properties by semanticId (the property URN), else by idShort; values are read
back as the JSON types of the characteristic's data type; Extensions named
``src:samm-payload:<key>`` restore payload keys the model does not define.
"""

from __future__ import annotations

import json
from typing import Any

from omp_models.ids import IdShortAllocator
from omp_models.samm import _model as m
from omp_models.samm._aas import AasNote
from omp_models.samm._vocab import xsd_type

__all__ = ["payload_of_submodel"]

_PREFIX = "src:samm-payload:"


def _semantic(element: dict[str, Any]) -> str | None:
    keys = (element.get("semanticId") or {}).get("keys") or []
    return str(keys[0].get("value")) if keys and isinstance(keys[0], dict) else None


def _base(char: m.Characteristic | None) -> m.Characteristic | None:
    seen: set[int] = set()
    while isinstance(char, m.Trait) and char.base is not None and id(char) not in seen:
        seen.add(id(char))
        char = char.base
    return char


class _Reader:
    def __init__(self) -> None:
        self.notes: list[AasNote] = []

    def note(self, message: str, where: str) -> None:
        self.notes.append(AasNote("error", message, where, "VALUE_UNCONVERTIBLE"))

    def object_of(self, uses: list[m.PropertyUse], elements: list[Any],
                  extensions: list[Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        by_semantic: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        by_id_short: dict[str, tuple[int, dict[str, Any]]] = {}
        for index, element in enumerate(elements):
            if not isinstance(element, dict):
                continue
            semantic = _semantic(element)
            if semantic:
                by_semantic.setdefault(semantic, []).append((index, element))
            if isinstance(element.get("idShort"), str):
                by_id_short[element["idShort"]] = (index, element)
        used: set[int] = set()
        names = IdShortAllocator()
        for use in uses:
            if use.not_in_payload or use.property.is_abstract:
                continue
            id_short = names.allocate(use.key)[0]
            found = next((c for c in by_semantic.get(use.property.urn or "", [])
                          if c[0] not in used and c[1].get("idShort") in (id_short, None)), None)
            found = found or next((c for c in by_semantic.get(use.property.urn or "", [])
                                   if c[0] not in used), None)
            if found is None and id_short in by_id_short and by_id_short[id_short][0] not in used:
                found = by_id_short[id_short]
            if found is None:
                continue
            used.add(found[0])
            char = use.property.characteristic
            if char is not None:
                out[use.key] = self.value(char, found[1], f"{where}/{found[0]}")
        for index, element in enumerate(elements):
            if index not in used and isinstance(element, dict):
                self.notes.append(AasNote("lossy", f"the element {element.get('idShort')!r} "
                                          "matches no property of the aspect", f"{where}/{index}"))
        for extension in extensions:
            name = extension.get("name", "") if isinstance(extension, dict) else ""
            if name.startswith(_PREFIX):
                try:
                    out[name[len(_PREFIX):]] = json.loads(extension.get("value", "null"))
                except ValueError:
                    out[name[len(_PREFIX):]] = extension.get("value")
        return out

    def value(self, char: m.Characteristic, element: dict[str, Any], where: str) -> Any:
        base = _base(char)
        if isinstance(base, m.Collection):
            item_char = base.element_characteristic or m.Characteristic(
                name=base.name, data_type=base.data_type)
            return [self.value(item_char, item, f"{where}/value/{i}")
                    for i, item in enumerate(element.get("value") or []) if isinstance(item, dict)]
        if isinstance(base, m.Either):
            for side in ("left", "right"):
                found = next((c for c in element.get("value") or []
                              if isinstance(c, dict) and c.get("idShort") == side), None)
                target = getattr(base, side)
                if found is not None and target is not None:
                    return {side: self.value(target, found, f"{where}/value")}
            return {}
        kind = base.data_type if base else None
        if isinstance(kind, m.ComplexType):
            uses = kind.all_properties()
            for child in kind.extending:
                uses = uses + [u for u in child.all_properties() if u not in uses]
            return self.object_of(uses, element.get("value") or [],
                                  element.get("extensions") or [], f"{where}/value")
        if element.get("modelType") == "MultiLanguageProperty":
            return {str(s.get("language")): str(s.get("text")) for s in element.get("value") or []
                    if isinstance(s, dict)}
        return self.scalar(kind, element.get("value"), where)

    def scalar(self, data_type: m.Type | None, text: Any, where: str) -> Any:
        info = xsd_type(data_type.urn) if isinstance(data_type, m.Scalar) and data_type.urn else (
            None)
        if not isinstance(text, str):
            return text
        if info is None or info.json_type == "string":
            return text
        if info.json_type == "boolean":
            return text.strip() in ("true", "1")
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float({"INF": "inf", "-INF": "-inf"}.get(text.strip(), text))
        except ValueError:
            self.note(f"{text!r} is not a number", where)
            return text


def payload_of_submodel(aspect: m.Aspect, submodel: dict[str, Any], where: str = ""
                        ) -> tuple[dict[str, Any], list[AasNote]]:
    """The payload a submodel instance (AAS JSON form) holds.

    Args:
        aspect: The aspect the submodel instantiates.
        submodel: The submodel, in AAS JSON form.
        where: JSON Pointer of the submodel in its document (for notes).

    Returns:
        The payload and notes about elements that match no property.
    """
    reader = _Reader()
    payload = reader.object_of(aspect.properties, submodel.get("submodelElements") or [],
                               submodel.get("extensions") or [], f"{where}/submodelElements")
    return payload, reader.notes
