"""The intermediate representation of parsed DTDL: elements by DTMI.

Lossless enough to convert and to write back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omp_models.formats.dtdl._context import Context
from omp_models.formats.dtdl._jsonld import JsonObject

__all__ = ["DtdlModel", "Element", "Problem", "Reference"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found while reading DTDL.

    Attributes:
        code: The reason (the DTDL reference parser's validation id, e.g. ``badType``).
        message: One sentence for people.
        source: The document (file name) it is in.
        pointer: JSON Pointer into that document.
    """

    code: str
    message: str
    source: str
    pointer: str


@dataclass
class Element:
    """One DTDL element (Interface, Property, Object schema, Field, ...).

    Attributes:
        id: Its DTMI (given, or derived from its parent when it had none).
        cls: Its material class (``Interface``, ``Telemetry``, ``Object``...).
        version: DTDL language version it is written in (2 or 3).
        source: Document it comes from (``""`` for standard elements).
        pointer: JSON Pointer of the element in that document.
        parent: DTMI of the element it is defined in (``None`` at the top level).
        parent_prop: The property of the parent that holds it.
        defined_in: The partition (Interface) it is defined in.
        context: The context in force (DTDL version, extensions).
        literals: Literal property values by property name (langStrings as dicts).
        objects: Object property values (DTMIs of children or referenced elements), by
            property name, in document order.
        supplemental_types: DTMIs of the co-types (semantic types, adjunct types).
        undefined_types: Co-types that are not defined by any known context.
        supplemental: Values of the properties of supplemental types, by property DTMI
            (DTMIs of referenced elements for object properties).
        undefined: Properties no context defines, as raw JSON, by name.
        raw: The JSON object as written.
        explicit_id: Whether ``@id`` was given.
        standard: Whether it is a standard element of the language (primitive schema,
            unit...).
    """

    id: str
    cls: str
    version: int
    source: str
    pointer: str
    parent: str | None
    parent_prop: str | None
    defined_in: str | None
    context: Context
    literals: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, list[str]] = field(default_factory=dict)
    supplemental_types: list[str] = field(default_factory=list)
    undefined_types: list[str] = field(default_factory=list)
    supplemental: dict[str, Any] = field(default_factory=dict)
    undefined: dict[str, Any] = field(default_factory=dict)
    raw: JsonObject = field(default_factory=JsonObject)
    explicit_id: bool = True
    standard: bool = False

    @property
    def name(self) -> str | None:
        """The ``name`` of a named element."""
        value = self.literals.get("name")
        return value if isinstance(value, str) else None

    def children(self, prop: str) -> list[str]:
        """The DTMIs an object property holds."""
        return self.objects.get(prop, [])


@dataclass
class Reference:
    """An object property value that names another element, checked after parsing."""

    owner: str
    prop: str
    target: str
    pointer: str
    source: str
    inline: bool
    expected: tuple[str, ...] | None = None
    versions: tuple[int, ...] | None = None
    child_of: str | None = None
    key: str | None = None
    values: tuple[str, ...] | None = None
    supplemental_type: str | None = None


@dataclass
class DtdlModel:
    """Everything read: elements by DTMI, and which ones the inputs define at top level."""

    elements: dict[str, Element] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unresolved: dict[str, list[Reference]] = field(default_factory=dict)

    def get(self, dtmi: str) -> Element | None:
        """The element with this DTMI."""
        return self.elements.get(dtmi)

    def interfaces(self) -> list[Element]:
        """The Interfaces defined at the top level of the inputs, in input order."""
        return [self.elements[r] for r in self.roots if self.elements[r].cls == "Interface"]
