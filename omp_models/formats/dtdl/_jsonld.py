"""The JSON(-LD) layer of the DTDL reader: JSON text -> located JSON-LD elements.

JSON is parsed with the standard library, keeping duplicate member names (DTDL forbids
some of them, so they must be seen) and refusing ``NaN``/``Infinity``. Every element,
property and value carries the JSON Pointer of its place in the document, so findings can
be located (and later turned into line/column by :class:`omp_models.locate.JsonLocator`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from omp_models.locate import escape_pointer_token

__all__ = [
    "ContextComponent",
    "JsonError",
    "JsonObject",
    "LdElement",
    "LdProperty",
    "LdSyntaxError",
    "LdValue",
    "load_json",
    "to_element",
]

#: Inputs above this size are refused (the DTDL partition limit is 1 MiB per Interface;
#: files with many Interfaces are larger, but not this large).
MAX_BYTES = 64 * 1024 * 1024


class JsonObject(list[tuple[str, Any]]):
    """A JSON object as its member pairs, in document order, duplicates kept."""

    def get(self, key: str, default: Any = None) -> Any:
        """The value of the first member called ``key``."""
        for name, value in self:
            if name == key:
                return value
        return default

    def keys(self) -> list[str]:
        """The member names in order."""
        return [name for name, _ in self]


class JsonError(Exception):
    """The bytes are not JSON (message, 1-based line and column)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(data: bytes | str) -> Any:
    """Parse JSON text (UTF-8, BOM allowed) into plain values and :class:`JsonObject`.

    Raises:
        JsonError: Not UTF-8, not JSON, too large or nested too deeply.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise JsonError(f"the input is larger than {MAX_BYTES} bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonError(f"not UTF-8: {exc.reason} at byte {exc.start}") from exc
    else:
        text = data
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text, object_pairs_hook=JsonObject, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JsonError(f"not JSON: {exc.msg}", exc.lineno, exc.colno) from exc
    except ValueError as exc:
        raise JsonError(f"not JSON: {exc}") from exc
    except RecursionError as exc:
        raise JsonError("the JSON is nested too deeply") from exc


class LdSyntaxError(Exception):
    """A JSON-LD structure error that stops the reading of a document."""

    def __init__(self, code: str, message: str, pointer: str):
        super().__init__(message)
        self.code = code
        self.pointer = pointer


ValueKind = Literal["null", "boolean", "number", "string", "element", "array"]


@dataclass(slots=True)
class LdValue:
    """One value of a property (arrays are flattened into several values)."""

    kind: ValueKind
    value: Any
    pointer: str
    raw: Any = None

    @property
    def element(self) -> LdElement:
        """The element of an ``element`` value."""
        assert isinstance(self.value, LdElement)
        return self.value


@dataclass(slots=True)
class LdProperty:
    """A non-keyword member of an element."""

    name: str
    values: list[LdValue]
    plural: bool
    pointer: str
    raw: Any


@dataclass(slots=True)
class ContextComponent:
    """One entry of an ``@context``: a remote context DTMI or a local term map."""

    remote: str | None
    terms: dict[str, str | None] | None
    pointer: str

    @property
    def is_local(self) -> bool:
        """Whether this is a local (object) context."""
        return self.remote is None


@dataclass(slots=True)
class LdElement:
    """A JSON object read as a JSON-LD node."""

    pointer: str
    property_count: int = 0
    graph: bool = False
    context: list[ContextComponent] | None = None
    id: str | None = None
    types: list[str | None] | None = None
    value: LdValue | None = None
    language: str | None = None
    keywords: list[str] = field(default_factory=list)
    properties: list[LdProperty] = field(default_factory=list)
    raw: JsonObject = field(default_factory=JsonObject)

    def find(self, name: str) -> LdProperty | None:
        """The first property called ``name``."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None


def _child(pointer: str, token: str | int) -> str:
    return f"{pointer}/{escape_pointer_token(token)}"


def _value(raw: Any, pointer: str) -> LdValue:
    if raw is None:
        return LdValue("null", None, pointer, raw)
    if isinstance(raw, bool):
        return LdValue("boolean", raw, pointer, raw)
    if isinstance(raw, int | float):
        return LdValue("number", raw, pointer, raw)
    if isinstance(raw, str):
        return LdValue("string", raw, pointer, raw)
    if isinstance(raw, JsonObject):
        return LdValue("element", to_element(raw, pointer), pointer, raw)
    return LdValue("array", raw, pointer, raw)  # only where arrays are not flattened (@value)


def _values(raw: Any, pointer: str, out: list[LdValue]) -> None:
    if isinstance(raw, list) and not isinstance(raw, JsonObject):
        for index, item in enumerate(raw):
            _values(item, _child(pointer, index), out)
    else:
        out.append(_value(raw, pointer))


def _context_component(raw: Any, pointer: str) -> ContextComponent:
    if isinstance(raw, str):
        return ContextComponent(raw, None, pointer)
    if not isinstance(raw, JsonObject):
        raise LdSyntaxError("invalidContext", "an @context value is neither a string nor an "
                            "object", pointer)
    terms: dict[str, str | None] = {}
    for term, definition in raw:
        where = _child(pointer, term)
        if term in terms:
            raise LdSyntaxError("duplicateTermInContextObject",
                                f"the context defines the term {term!r} twice", where)
        if definition is None or isinstance(definition, str):
            terms[term] = definition
        elif isinstance(definition, JsonObject):
            found = definition.get("@id")
            if not isinstance(found, str):
                raise LdSyntaxError("termDefinitionIdProperty",
                                    f"the definition of term {term!r} has no string '@id'", where)
            terms[term] = found
        else:
            raise LdSyntaxError("termDefinitionNotStringOrObject",
                                f"the definition of term {term!r} is not a string or object",
                                where)
    return ContextComponent(None, terms, pointer)


def to_element(raw: JsonObject, pointer: str) -> LdElement:
    """Read a JSON object as a JSON-LD element (recursively).

    Raises:
        LdSyntaxError: A repeated keyword, or an ``@context`` that is not JSON-LD.
    """
    elt = LdElement(pointer=pointer, raw=raw)
    seen: set[str] = set()
    for name, value in raw:
        elt.property_count += 1
        where = _child(pointer, name)
        if name.startswith("@"):
            if name in seen:
                raise LdSyntaxError("repeatedKeyword", f"{name!r} is repeated", where)
            seen.add(name)
            if name == "@graph":
                elt.graph = True
            elif name == "@context":
                is_array = isinstance(value, list) and not isinstance(value, JsonObject)
                items = value if is_array else [value]
                base = where if is_array else None
                elt.context = [
                    _context_component(item, _child(base, i) if base is not None else where)
                    for i, item in enumerate(items)
                ]
            elif name == "@id":
                elt.id = value if isinstance(value, str) else ""
            elif name == "@type":
                if isinstance(value, str):
                    elt.types = [value]
                elif isinstance(value, list) and not isinstance(value, JsonObject):
                    elt.types = [t if isinstance(t, str) else None for t in value]
                else:
                    elt.types = []
            elif name == "@value":
                elt.value = _value(value, where)
            elif name == "@language":
                elt.language = value if isinstance(value, str) else ""
            else:
                elt.keywords.append(name)
        else:
            values: list[LdValue] = []
            _values(value, where, values)
            plural = isinstance(value, list) and not isinstance(value, JsonObject)
            elt.properties.append(LdProperty(name, values, plural, where, value))
    return elt
