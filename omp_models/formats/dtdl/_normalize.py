"""A canonical JSON form of DTDL Interfaces, to compare models written differently.

Two documents that define the same Interfaces (schemas inline or referenced, names in any
order, terms or full DTMIs, strings or language maps) have equal canonical forms. Used by
the round-trip tests and handy to diff two versions of a model.
"""

from __future__ import annotations

from typing import Any

from omp_models.formats.dtdl._checks import resolve_alias
from omp_models.formats.dtdl._model import DtdlModel, Element
from omp_models.formats.dtdl._vocab import vocabulary

__all__ = ["normalize_dtdl"]

_BY_NAME = ("contents", "fields", "enumValues", "properties")
_BY_REFERENCE = ("extends",)


def _term(dtmi: str) -> str:
    return vocabulary().term_or_uri(dtmi)


def _canonical(model: DtdlModel, element: Element, stack: tuple[str, ...]) -> Any:
    if element.standard:
        return _term(element.id)
    if element.id in stack:
        return {"@ref": element.id}
    stack = (*stack, element.id)
    out: dict[str, Any] = {
        "@type": [element.cls, *sorted(_term(t) for t in element.supplemental_types),
                  *sorted(element.undefined_types)],
    }
    if element.explicit_id:
        out["@id"] = element.id
    for key, value in sorted(element.literals.items()):
        if isinstance(value, dict) and not value:
            continue  # an empty language map is the same as none
        if key in ("displayName", "description") and isinstance(value, dict):
            out[key] = dict(sorted(value.items()))
        else:
            out[key] = value
    for key, value in sorted(element.supplemental.items()):
        if isinstance(value, list):
            out[_term(key)] = [_term(v) for v in value]
        else:
            out[_term(key)] = value
    if element.undefined:
        out["@undefined"] = element.undefined
    for prop, targets in sorted(element.objects.items()):
        if not targets:
            continue  # an empty list is the same as no value
        values: list[Any] = []
        for target in targets:
            found = model.elements.get(resolve_alias(model, target))
            interface_ref = found is not None and found.cls == "Interface" and (
                prop in _BY_REFERENCE or element.cls == "Component")
            if found is None or interface_ref:
                values.append(target)
            else:
                values.append(_canonical(model, found, stack))
        if prop in _BY_NAME:
            named = {}
            for item in values:
                named[str(item.get("name") if isinstance(item, dict) else item)] = item
            out[prop] = dict(sorted(named.items()))
        elif prop in _BY_REFERENCE:
            out[prop] = sorted(str(v) for v in values)
        else:
            out[prop] = values[0] if len(values) == 1 else values
    return out


def normalize_dtdl(model: DtdlModel, interfaces: list[Element] | None = None
                   ) -> dict[str, Any]:
    """Canonical JSON of the Interfaces of a model, by DTMI.

    Args:
        model: A model read by :func:`read_dtdl`.
        interfaces: Which Interfaces (default: every Interface the inputs define, nested
            ones included).
    """
    chosen = interfaces if interfaces is not None else [
        e for e in model.elements.values() if e.cls == "Interface" and not e.standard]
    return {i.id: _canonical(model, i, ()) for i in sorted(chosen, key=lambda e: e.id)}
