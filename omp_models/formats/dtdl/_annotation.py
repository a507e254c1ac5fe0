"""AAS attributes DTDL cannot express, kept in the DTDL ``comment`` of the element.

DTDL has no place for semantic ids, qualifiers, categories or AAS element kinds (File,
Range, Entity...), and DTDL v3 refuses undefined properties. So :mod:`._from_aas` writes
them as a compact JSON object after the marker ``AAS:`` in the element's ``comment`` (a
free text for model authors, at most 512 characters), and :mod:`._to_aas` reads them back.

Example comment::

    AAS:{"qualifiers":[["SMT/Cardinality","xs:string","One"]],"semanticId":"0173-1#02-AAO677#002"}

An annotation longer than a comment continues in the ``zxx`` entries (ISO 639 "no
linguistic content") of the element's ``description`` and then ``displayName``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "CONTINUATION",
    "DROP_ORDER",
    "MARKER",
    "REFERENCE_KEYS",
    "compact_ref",
    "decode",
    "encode",
    "expand_ref",
]

MARKER = "AAS:"
MAX_COMMENT = 512
#: The language tag of the continuation parts (in description, then displayName).
CONTINUATION = "zxx"

#: What goes first when an annotation does not fit in a comment (least important first).
DROP_ORDER = ("extensions", "embeddedDataSpecifications", "value", "supplementalSemanticIds",
              "qualifiers", "administration", "semanticId")


def compact_ref(ref: dict[str, Any]) -> Any:
    """A global reference as its key value (one key) or values (several keys)."""
    keys = ref.get("keys", [])
    if (ref.get("type") == "ExternalReference" and keys and "referredSemanticId" not in ref
            and all(k.get("type") == "GlobalReference" for k in keys)):
        values = [k["value"] for k in keys]
        return values[0] if len(values) == 1 else values
    return ref


def expand_ref(value: Any) -> dict[str, Any]:
    """The reference :func:`compact_ref` compacted."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return {"type": "ExternalReference",
                "keys": [{"type": "GlobalReference", "value": v} for v in value]}
    assert isinstance(value, dict)
    return value


#: Attributes whose value is one Reference (stored compacted).
REFERENCE_KEYS = frozenset({"semanticId", "valueId", "semanticIdListElement", "first",
                            "second", "observed", "messageBroker"})

_KINDS = {"TemplateQualifier": "T", "ConceptQualifier": "C", "ValueQualifier": "V"}
_KIND_NAMES = {v: k for k, v in _KINDS.items()}


def compact_qualifier(qualifier: dict[str, Any]) -> Any:
    """A qualifier compacted to ``[type, valueType, value, kind, semanticId, valueId]``.

    Trailing parts are left out when absent and the kind is abbreviated; a qualifier with
    other attributes stays as it is.
    """
    if not set(qualifier) <= {"type", "valueType", "value", "kind", "semanticId", "valueId"}:
        return qualifier
    out: list[Any] = [qualifier["type"], qualifier["valueType"], qualifier.get("value"),
                      _KINDS.get(qualifier.get("kind", ""), qualifier.get("kind")),
                      compact_ref(qualifier["semanticId"]) if "semanticId" in qualifier
                      else None,
                      compact_ref(qualifier["valueId"]) if "valueId" in qualifier else None]
    while out and out[-1] is None:
        out.pop()
    return out


def expand_qualifier(value: Any) -> dict[str, Any]:
    """The qualifier :func:`compact_qualifier` compacted."""
    if isinstance(value, list):
        out: dict[str, Any] = {"type": value[0], "valueType": value[1]}
        if len(value) > 2 and value[2] is not None:
            out["value"] = value[2]
        if len(value) > 3 and value[3] is not None:
            out["kind"] = _KIND_NAMES.get(value[3], value[3])
        if len(value) > 4 and value[4] is not None:
            out["semanticId"] = expand_ref(value[4])
        if len(value) > 5 and value[5] is not None:
            out["valueId"] = expand_ref(value[5])
        return out
    assert isinstance(value, dict)
    return value


def _dump(data: dict[str, Any]) -> str:
    return MARKER + json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode(data: dict[str, Any], limits: tuple[int, ...] = (MAX_COMMENT,)
           ) -> tuple[list[str], list[str]]:
    """The annotation text cut into parts (comment first) and the keys dropped to fit.

    Args:
        data: The attributes.
        limits: The length of each part that is available.
    """
    if not data:
        return [], []
    data = dict(data)
    dropped: list[str] = []
    total = sum(limits)
    text = _dump(data)
    for key in DROP_ORDER:
        if len(text) <= total:
            break
        if key in data:
            del data[key]
            dropped.append(key)
            text = _dump(data)
    while len(text) > total and data:
        key = sorted(data)[0]
        del data[key]
        dropped.append(key)
        text = _dump(data)
    parts: list[str] = []
    if not data:
        return parts, dropped
    for limit in limits:
        if not text:
            break
        parts.append(text[:limit])
        text = text[limit:]
    return parts, dropped


def decode(comment: Any, *continuations: Any) -> dict[str, Any] | None:
    """The annotation in a comment (and its continuations), or ``None`` when not one."""
    if not isinstance(comment, str) or not comment.startswith(MARKER):
        return None
    text = comment[len(MARKER):]
    for part in continuations:
        if isinstance(part, dict) and isinstance(part.get(CONTINUATION), str):
            text += part[CONTINUATION]
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
