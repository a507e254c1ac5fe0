"""YAML (and JSON, its subset) with the line and column of every value and key.

PyYAML composes the document into nodes that carry their marks; this module builds the
plain Python value from them and keeps ``path -> (line, column)`` beside it, so errors
found later (schema, semantics) point into the mapping file. Only the safe core schema is
read; anchors and aliases, custom tags, duplicate keys and very deep nesting are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Located", "YamlError", "load_located"]

MAX_DEPTH = 64
MAX_SIZE = 4 << 20

Path = tuple[str | int, ...]


class YamlError(Exception):
    """The text is not a readable mapping document (with its position)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None
                 ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class Located:
    """A document and the positions (1-based line, column) of its values and keys."""

    doc: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The position of the value (or key) at ``path``, else of its nearest ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if key and probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_located(text: str) -> Located:
    """Parse one YAML document, keeping positions.

    Raises:
        YamlError: Not YAML, several documents, anchors/aliases, custom tags, duplicate
            keys, non-scalar keys, or nesting deeper than :data:`MAX_DEPTH`.
    """
    import yaml

    if len(text) > MAX_SIZE:
        raise YamlError(f"the file is larger than {MAX_SIZE} characters")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError("the file is empty", 1, 1)
        located = Located(None)
        located.doc = _build(loader, node, (), located, set(), 0)
        return located
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or str(exc)
        raise YamlError(f"not valid YAML: {problem}", *where) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()


def _build(loader: Any, node: Any, path: Path, out: Located, seen: set[int], depth: int
           ) -> Any:
    import yaml

    if depth > MAX_DEPTH:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels", *_mark(node))
    if id(node) in seen or getattr(node, "anchor", None):
        raise YamlError("anchors and aliases (&name, *name) are not supported in mapping "
                        "files", *_mark(node))
    seen.add(id(node))
    out.values[path] = _mark(node)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
        raise YamlError(f"the tag {node.tag!r} is not supported in mapping files", *_mark(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("keys must be plain text", *_mark(key_node))
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("merge keys (<<) are not supported in mapping files",
                                *_mark(key_node))
            key = str(_scalar(loader, key_node))
            if key in result:
                raise YamlError(f"the key {key!r} appears twice", *_mark(key_node))
            out.keys[(*path, key)] = _mark(key_node)
            result[key] = _build(loader, value_node, (*path, key), out, seen, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), out, seen, depth + 1)
                for i, item in enumerate(node.value)]
    return _scalar(loader, node)


_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null"))


def _scalar(loader: Any, node: Any) -> Any:
    if node.tag in _PLAIN_TAGS:
        return loader.construct_object(node, deep=False)
    if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
        return str(node.value)  # dates stay as written: they are text in a mapping
    raise YamlError(f"the tag {node.tag!r} is not supported in mapping files", *_mark(node))
