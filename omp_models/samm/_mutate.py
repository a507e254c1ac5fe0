"""Mutated payloads: each one breaks one constraint of an aspect's JSON Schema.

A testing aid: the corpus tests check that two schemas (ours and samm-cli's), and two
validators (python-jsonschema and jsonschema-rs), give the same verdict on each mutation.
The payload is walked along the schema; at every place a mutation is made that the schema
should reject: a required property dropped, a value of the wrong JSON type, a value outside
an enumeration, a string that breaks a pattern or length limit, a number outside a range,
a duplicate in a set, both sides of an Either.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["mutations"]

Path = tuple[str | int, ...]
_WRONG_TYPE: dict[type, list[Any]] = {
    str: [12345, True, None, {"x": 1}, ["x"]],
    int: ["12", None, False, [1]],
    float: ["1.5", None, {"v": 1.5}],
    bool: ["true", 1, None],
    dict: ["object", [], None, 7],
    list: [{"0": "x"}, "list", None],
}
_NON_MATCHING = ("", "\u00a7", " ", "INVALID \u00a7 VALUE", "x" * 300, "0")


def _resolve(node: dict[str, Any], root: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """The node and every node it includes (``$ref``, ``allOf``), refs followed."""
    if depth > 20 or not isinstance(node, dict):
        return []
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token, {}) if isinstance(target, dict) else {}
        return _resolve(target, root, depth + 1)
    out = [node]
    for part in node.get("allOf", []) or []:
        out.extend(_resolve(part, root, depth + 1))
    return out


def _set(payload: Any, path: Path, value: Any) -> Any:
    result = copy.deepcopy(payload)
    if not path:
        return value
    target = result
    for token in path[:-1]:
        target = target[token]
    target[path[-1]] = value
    return result


def _delete(payload: Any, path: Path) -> Any:
    result = copy.deepcopy(payload)
    target = result
    for token in path[:-1]:
        target = target[token]
    del target[path[-1]]
    return result


def _label(kind: str, path: Path) -> str:
    return f"{kind} at /" + "/".join(str(t) for t in path)


def _walk(value: Any, node: dict[str, Any], root: dict[str, Any], path: Path,
          depth: int) -> Iterator[tuple[str, Any]]:
    if depth > 40:
        return
    nodes = _resolve(node, root)
    if not nodes:
        return
    yield from _scalar_mutations(value, nodes, path)
    if isinstance(value, dict):
        yield from _object_mutations(value, nodes, root, path, depth)
    elif isinstance(value, list):
        yield from _array_mutations(value, nodes, root, path, depth)


def _object_mutations(value: dict[str, Any], nodes: list[dict[str, Any]],
                      root: dict[str, Any], path: Path, depth: int
                      ) -> Iterator[tuple[str, Any]]:
    for n in nodes:
        for key in n.get("required", []) or []:
            if key in value:
                yield _label("drop required", (*path, key)), (path, "delete", key)
        properties = n.get("properties", {}) or {}
        if n.get("additionalProperties") is False and {"left", "right"} <= set(properties):
            side = "right" if "left" in value else "left"
            yield _label("both sides of Either", path), (path, "add", (side, "x"))
        for key, child in properties.items():
            if key in value:
                yield from _walk(value[key], child, root, (*path, key), depth + 1)


def _array_mutations(value: list[Any], nodes: list[dict[str, Any]], root: dict[str, Any],
                     path: Path, depth: int) -> Iterator[tuple[str, Any]]:
    for n in nodes:
        if n.get("uniqueItems") and value:
            yield _label("duplicate item", path), (path, "set", [*value, value[0]])
        if isinstance(n.get("maxItems"), int) and value:
            yield _label("too many items", path), (path, "set", value * (n["maxItems"] + 1))
        if isinstance(n.get("minItems"), int) and n["minItems"] > 0:
            yield _label("too few items", path), (path, "set", [])
        items = n.get("items")
        if isinstance(items, dict) and value:
            yield from _walk(value[0], items, root, (*path, 0), depth + 1)


def _scalar_mutations(value: Any, nodes: list[dict[str, Any]], path: Path
                      ) -> Iterator[tuple[str, Any]]:
    for wrong in _WRONG_TYPE.get(type(value), []):
        yield _label(f"wrong type {type(wrong).__name__}", path), (path, "set", wrong)
    for n in nodes:
        if "enum" in n:
            yield _label("not in enum", path), (
                path, "set", 987654321 if isinstance(value, int | float) else "__NOT_IN_ENUM__")
        if isinstance(value, str):
            pattern = n.get("pattern")
            if isinstance(pattern, str):
                bad = _breaking(pattern)
                if bad is not None:
                    yield _label("pattern violated", path), (path, "set", bad)
            if isinstance(n.get("maxLength"), int):
                yield _label("too long", path), (path, "set", "x" * (n["maxLength"] + 1))
            if isinstance(n.get("minLength"), int) and n["minLength"] > 0:
                yield _label("too short", path), (path, "set", "")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(n.get("minimum"), int | float):
                low = n["minimum"]
                yield _label("below minimum", path), (
                    path, "set", low if n.get("exclusiveMinimum") else low - 1)
            if isinstance(n.get("maximum"), int | float):
                high = n["maximum"]
                yield _label("above maximum", path), (
                    path, "set", high if n.get("exclusiveMaximum") else high + 1)


def _breaking(pattern: str) -> str | None:
    try:
        compiled = re.compile(pattern)
    except re.error:
        return None
    return next((s for s in _NON_MATCHING if compiled.search(s) is None), None)


def _apply(payload: Any, action: tuple[Path, str, Any]) -> Any:
    path, kind, arg = action
    if kind == "delete":
        return _delete(payload, (*path, arg))
    if kind == "add":
        key, value = arg
        return _set(payload, (*path, key), value)
    return _set(payload, path, arg)


def mutations(payload: Any, schema: dict[str, Any], limit: int | None = None
              ) -> list[tuple[str, Any]]:
    """Mutated copies of ``payload``, each labelled with what was broken where.

    Args:
        payload: A payload (normally a valid one).
        schema: The aspect's JSON Schema (``$ref`` into ``#/components/schemas``).
        limit: Keep at most this many (spread over the whole payload).

    Returns:
        ``(label, mutated payload)`` pairs, distinct and in document order.
    """
    fixed: list[tuple[str, Any]] = [
        ("root is an array", []), ("root is a string", "payload"), ("empty object", {}),
    ]
    actions: list[tuple[str, tuple[Path, str, Any]]] = []
    seen: set[str] = set()
    for label, action in _walk(payload, schema, schema, (), 0):
        if label not in seen:
            seen.add(label)
            actions.append((label, action))
    if limit is not None and len(fixed) + len(actions) > limit:
        keep = max(limit - len(fixed), 0)
        step = len(actions) / keep if keep else 0
        actions = [actions[int(i * step)] for i in range(keep)]
    return fixed + [(label, _apply(payload, action)) for label, action in actions]
