"""Typed objects of a SAMM aspect model (the SAMM 2.2.0 meta-model; older models are migrated).

Elements are plain dataclasses compared by identity (models can be cyclic: an Entity may
reach itself through an optional Property). Named elements carry their URN; anonymous ones
(blank nodes) have ``urn=None`` and a name derived from where they are used.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "Aspect", "Characteristic", "Code", "Collection", "ComplexType", "Constraint", "Duration",
    "Either", "EncodingConstraint", "Entity", "EntityInstance", "Enumeration", "Event",
    "FixedPointConstraint", "LanguageConstraint", "LengthConstraint", "List", "LocaleConstraint",
    "Measurement", "ModelElement", "Operation", "Origin", "Property", "PropertyUse",
    "Quantifiable", "QuantityKind", "RangeConstraint", "RegularExpressionConstraint", "Scalar",
    "ScalarValue", "Set", "SingleEntity", "SortedSet", "State", "StructuredValue", "TimeSeries",
    "Trait", "Type", "Unit", "Value",
]


class Origin:
    """Where an element is defined: the Turtle file and (found on first use) the line."""

    __slots__ = ("_find", "_line", "file")

    def __init__(self, file: str, find_line: Callable[[], int | None] | None = None) -> None:
        self.file = file
        self._find = find_line
        self._line: int | None = None

    @property
    def line(self) -> int | None:
        """The 1-based line of the definition, if it can be found."""
        if self._find is not None:
            self._line = self._find()
            self._find = None
        return self._line

    def __repr__(self) -> str:
        return f"Origin({self.file!r})"


@dataclass(eq=False)
class ModelElement:
    """What every element has: identity, names, descriptions, ``samm:see`` links.

    Attributes:
        urn: The element's URN (``urn:samm:<namespace>:<version>#<Name>``); ``None`` for an
            anonymous element (a blank node).
        name: The local name (for anonymous elements a name derived from the context).
        preferred_names: ``samm:preferredName`` by language tag.
        descriptions: ``samm:description`` by language tag.
        see: ``samm:see`` links.
        origin: The defining file and line.
    """

    kind: ClassVar[str] = "ModelElement"
    urn: str | None = None
    name: str = ""
    preferred_names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    see: list[str] = field(default_factory=list)
    origin: Origin | None = None

    @property
    def is_anonymous(self) -> bool:
        """Whether the element is a blank node."""
        return self.urn is None

    def preferred_name(self, language: str = "en") -> str | None:
        """The preferred name in ``language`` (else English, else any)."""
        return _pick(self.preferred_names, language)

    def description(self, language: str = "en") -> str | None:
        """The description in ``language`` (else English, else any)."""
        return _pick(self.descriptions, language)

    def __repr__(self) -> str:
        return f"<{self.kind} {self.urn or self.name}>"


def _pick(texts: dict[str, str], language: str) -> str | None:
    for key in (language, "en"):
        if key in texts:
            return texts[key]
    return next(iter(texts.values()), None)


@dataclass(eq=False, repr=False)
class Scalar(ModelElement):
    """A scalar data type: an XSD type, ``rdf:langString`` or ``samm:curie``."""

    kind: ClassVar[str] = "Scalar"


@dataclass(eq=False, repr=False)
class QuantityKind(ModelElement):
    """A quantity kind of the unit catalog (``unit:length``)."""

    kind: ClassVar[str] = "QuantityKind"


@dataclass(eq=False, repr=False)
class Unit(ModelElement):
    """A unit (from the SAMM unit catalog or defined in the model).

    Attributes:
        symbol: Display symbol (``mm``).
        common_code: UNECE Rec 20 common code (``MMT``).
        conversion_factor: Conversion to the reference unit, as text.
        numeric_conversion_factor: The same as a number, if given.
        reference_unit: URN of the reference unit.
        quantity_kinds: Names of the quantity kinds it measures.
    """

    kind: ClassVar[str] = "Unit"
    symbol: str | None = None
    common_code: str | None = None
    conversion_factor: str | None = None
    numeric_conversion_factor: str | None = None
    reference_unit: str | None = None
    quantity_kinds: list[str] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class ScalarValue(ModelElement):
    """A literal value (example value, enumeration value, constraint bound).

    Attributes:
        value: The Python value (str, int, float, bool, ...).
        lexical: The literal's lexical form.
        datatype: The literal's datatype IRI (``None`` for a language-tagged string).
        language: The language tag of a ``rdf:langString`` literal.
        ill_typed: Whether the lexical form is not valid for the datatype.
    """

    kind: ClassVar[str] = "Value"
    value: Any = None
    lexical: str = ""
    datatype: str | None = None
    language: str | None = None
    ill_typed: bool = False


@dataclass(eq=False, repr=False)
class EntityInstance(ModelElement):
    """An instance of an Entity (a complex enumeration value).

    Attributes:
        entity: Its Entity.
        assertions: Values by Property (a value, or a list of values for collections).
    """

    kind: ClassVar[str] = "EntityInstance"
    entity: ComplexType | None = None
    assertions: dict[Property, Any] = field(default_factory=dict)


#: An enumeration value: a literal or an entity instance.
Value = ScalarValue | EntityInstance


@dataclass(eq=False, repr=False)
class Property(ModelElement):
    """A Property (or an AbstractProperty).

    Attributes:
        characteristic: Its Characteristic (``None`` for abstract properties).
        example_value: ``samm:exampleValue``.
        is_abstract: Whether it is a ``samm:AbstractProperty``.
        extends: The abstract property it refines, if any.
    """

    kind: ClassVar[str] = "Property"
    characteristic: Characteristic | None = None
    example_value: ScalarValue | None = None
    is_abstract: bool = False
    extends: Property | None = None


@dataclass(eq=False)
class PropertyUse:
    """A property as used in the properties list of an Aspect, Entity, Operation or Event.

    Attributes:
        property: The Property.
        optional: ``samm:optional``.
        not_in_payload: ``samm:notInPayload``.
        payload_name: ``samm:payloadName``, if any.
    """

    property: Property
    optional: bool = False
    not_in_payload: bool = False
    payload_name: str | None = None

    @builtins.property
    def key(self) -> str:
        """The name of the property in payloads."""
        return self.payload_name or self.property.name


@dataclass(eq=False, repr=False)
class ComplexType(ModelElement):
    """An Entity or an AbstractEntity.

    Attributes:
        properties: Its own properties, in order.
        extends: The (abstract) entity it extends.
        is_abstract: Whether it is a ``samm:AbstractEntity``.
        extending: Entities that extend it.
    """

    kind: ClassVar[str] = "Entity"
    properties: list[PropertyUse] = field(default_factory=list)
    extends: ComplexType | None = None
    is_abstract: bool = False
    extending: list[ComplexType] = field(default_factory=list)

    def all_properties(self) -> list[PropertyUse]:
        """Inherited properties first, then its own (abstract ones left out)."""
        seen: set[int] = set()
        chain: list[ComplexType] = []
        current: ComplexType | None = self
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            chain.append(current)
            current = current.extends
        out: list[PropertyUse] = []
        for entity in reversed(chain):
            out.extend(u for u in entity.properties if not u.property.is_abstract)
        return out


@dataclass(eq=False, repr=False)
class Entity(ComplexType):
    """An Entity (``samm:Entity``; ``is_abstract`` for ``samm:AbstractEntity``)."""


#: A data type: a scalar or an entity.
Type = Scalar | ComplexType


@dataclass(eq=False, repr=False)
class Constraint(ModelElement):
    """A constraint of a Trait."""

    kind: ClassVar[str] = "Constraint"


@dataclass(eq=False, repr=False)
class RegularExpressionConstraint(Constraint):
    """Values match a regular expression."""

    kind: ClassVar[str] = "RegularExpressionConstraint"
    value: str = ""


@dataclass(eq=False, repr=False)
class RangeConstraint(Constraint):
    """Values lie in a range (bounds ``AT_LEAST``/``GREATER_THAN``, ``AT_MOST``/``LESS_THAN``)."""

    kind: ClassVar[str] = "RangeConstraint"
    min_value: ScalarValue | None = None
    max_value: ScalarValue | None = None
    lower_bound: str = "AT_LEAST"
    upper_bound: str = "AT_MOST"


@dataclass(eq=False, repr=False)
class LengthConstraint(Constraint):
    """The length of a string or collection lies in a range."""

    kind: ClassVar[str] = "LengthConstraint"
    min_value: int | None = None
    max_value: int | None = None


@dataclass(eq=False, repr=False)
class EncodingConstraint(Constraint):
    """Values are encoded in one character encoding (``UTF-8``...)."""

    kind: ClassVar[str] = "EncodingConstraint"
    value: str = ""


@dataclass(eq=False, repr=False)
class LanguageConstraint(Constraint):
    """Language-tagged values are in one language (ISO 639-1)."""

    kind: ClassVar[str] = "LanguageConstraint"
    language_code: str = ""


@dataclass(eq=False, repr=False)
class LocaleConstraint(Constraint):
    """Values are in one locale (IETF BCP 47)."""

    kind: ClassVar[str] = "LocaleConstraint"
    locale_code: str = ""


@dataclass(eq=False, repr=False)
class FixedPointConstraint(Constraint):
    """Decimal values have a fixed number of integer and fraction digits."""

    kind: ClassVar[str] = "FixedPointConstraint"
    scale: int | None = None
    integer: int | None = None


@dataclass(eq=False, repr=False)
class Characteristic(ModelElement):
    """A Characteristic (``samm:Characteristic`` itself and the base of all SAMM-C types).

    Attributes:
        data_type: Its data type (for a Trait: that of the base characteristic).
    """

    kind: ClassVar[str] = "Characteristic"
    data_type: Type | None = None


@dataclass(eq=False, repr=False)
class Trait(Characteristic):
    """A base characteristic refined by constraints."""

    kind: ClassVar[str] = "Trait"
    base: Characteristic | None = None
    constraints: list[Constraint] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Quantifiable(Characteristic):
    """A quantity, optionally with a unit."""

    kind: ClassVar[str] = "Quantifiable"
    unit: Unit | None = None


@dataclass(eq=False, repr=False)
class Measurement(Quantifiable):
    """A measured quantity with a unit."""

    kind: ClassVar[str] = "Measurement"


@dataclass(eq=False, repr=False)
class Duration(Quantifiable):
    """A time span with a time unit."""

    kind: ClassVar[str] = "Duration"


@dataclass(eq=False, repr=False)
class Enumeration(Characteristic):
    """One of a fixed list of values."""

    kind: ClassVar[str] = "Enumeration"
    values: list[Value] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class State(Enumeration):
    """An enumeration with a default value."""

    kind: ClassVar[str] = "State"
    default_value: Value | None = None


@dataclass(eq=False, repr=False)
class Collection(Characteristic):
    """A group of values (``samm-c:Collection``: unordered, duplicates allowed).

    Attributes:
        element_characteristic: The characteristic of each element, if given.
    """

    kind: ClassVar[str] = "Collection"
    ordered: ClassVar[bool] = False
    unique: ClassVar[bool] = False
    element_characteristic: Characteristic | None = None


@dataclass(eq=False, repr=False)
class List(Collection):
    """An ordered collection with duplicates."""

    kind: ClassVar[str] = "List"
    ordered: ClassVar[bool] = True


@dataclass(eq=False, repr=False)
class Set(Collection):
    """An unordered collection without duplicates."""

    kind: ClassVar[str] = "Set"
    unique: ClassVar[bool] = True


@dataclass(eq=False, repr=False)
class SortedSet(Collection):
    """An ordered collection without duplicates."""

    kind: ClassVar[str] = "SortedSet"
    ordered: ClassVar[bool] = True
    unique: ClassVar[bool] = True


@dataclass(eq=False, repr=False)
class TimeSeries(SortedSet):
    """A sorted set of timestamped values (entities extending ``samm-e:TimeSeriesEntity``)."""

    kind: ClassVar[str] = "TimeSeries"


@dataclass(eq=False, repr=False)
class Either(Characteristic):
    """A value of one of two characteristics (``{"left": ...}`` or ``{"right": ...}``)."""

    kind: ClassVar[str] = "Either"
    left: Characteristic | None = None
    right: Characteristic | None = None


@dataclass(eq=False, repr=False)
class Code(Characteristic):
    """A code or identifier."""

    kind: ClassVar[str] = "Code"


@dataclass(eq=False, repr=False)
class StructuredValue(Characteristic):
    """A string built from parts (``deconstruction_rule`` splits it into ``elements``)."""

    kind: ClassVar[str] = "StructuredValue"
    deconstruction_rule: str = ""
    elements: list[str | Property] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class SingleEntity(Characteristic):
    """A single entity value."""

    kind: ClassVar[str] = "SingleEntity"


@dataclass(eq=False, repr=False)
class Operation(ModelElement):
    """An operation of an Aspect."""

    kind: ClassVar[str] = "Operation"
    input: list[PropertyUse] = field(default_factory=list)
    output: PropertyUse | None = None


@dataclass(eq=False, repr=False)
class Event(ModelElement):
    """An event of an Aspect."""

    kind: ClassVar[str] = "Event"
    parameters: list[PropertyUse] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Aspect(ModelElement):
    """The root of an aspect model: its properties, operations and events."""

    kind: ClassVar[str] = "Aspect"
    properties: list[PropertyUse] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
