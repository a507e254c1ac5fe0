"""The helpers every part of the builder uses: the cache, literals, values, units."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from rdflib import Literal, URIRef
from rdflib.term import Node

from omp_models.samm import _model as m
from omp_models.samm._metamodel import quantity_kinds, units
from omp_models.samm._rdf import Index
from omp_models.samm._vocab import RDF, SAMM, UNIT, XSD, local_name, xsd_type

__all__ = ["BuilderBase", "Issue", "literal_value"]

T = TypeVar("T", bound=m.ModelElement)


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with one element: rule id, message, the element's IRI (or ``None``)."""

    rule: str
    message: str
    iri: str | None = None
    severity: str = "error"


_LANG_STRING = f"{RDF}langString"


def literal_value(literal: Literal, datatype: str | None = None) -> Any:
    """The JSON value of a literal, read as ``datatype`` (default: its own datatype).

    Numbers become int/float, booleans bool, everything else its lexical form; a lexical
    form that does not fit the type is returned as the string.
    """
    lexical = str(literal)
    info = xsd_type(datatype or str(literal.datatype or f"{XSD}string"))
    if info is None or info.json_type == "string":
        return lexical
    if info.json_type == "boolean":
        return {"true": True, "1": True, "false": False, "0": False}.get(lexical.strip(), lexical)
    if info.json_type == "number":
        text = lexical.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return lexical
        return int(number) if info.integral and number.is_integer() else number
    return lexical


class BuilderBase(ABC):
    """Builds values, units and the shared bits; :class:`Builder` adds the elements."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.issues: list[Issue] = []
        self._cache: dict[Node, m.ModelElement] = {}
        self._scalars: dict[str, m.Scalar] = {}

    @abstractmethod
    def entity(self, node: Node) -> m.ComplexType:
        """An Entity or AbstractEntity (built by :class:`Builder`)."""

    # -- helpers -----------------------------------------------------------------------------
    def issue(self, rule: str, message: str, node: Node | None, severity: str = "error") -> None:
        """Record a problem with ``node``."""
        iri = str(node) if isinstance(node, URIRef) else None
        self.issues.append(Issue(rule, message, iri, severity))

    def _label(self, node: Node) -> str:
        return local_name(str(node)) if isinstance(node, URIRef) else "an anonymous element"

    def _base(self, element: m.ModelElement, node: Node) -> None:
        if isinstance(node, URIRef):
            element.urn = str(node)
            element.name = local_name(str(node))
            turtle = self.index.origin.get(str(node))
            if turtle is not None:
                element.origin = m.Origin(str(turtle.path),
                                          partial(turtle.line_of, str(node)))
        for attribute, target in (("preferredName", element.preferred_names),
                                  ("description", element.descriptions)):
            for value in self.index.objects(node, f"{SAMM}{attribute}"):
                if isinstance(value, Literal):
                    target.setdefault(value.language or "", str(value))
        for see in self.index.objects(node, f"{SAMM}see"):
            element.see.append(str(see))

    def _cached(self, node: Node, factory: Callable[[], T], fill: Callable[[T], None]) -> T:
        found = self._cache.get(node)
        if found is not None:
            return found  # type: ignore[return-value]  # the cache maps a node to one class
        element = factory()
        self._cache[node] = element
        self._base(element, node)
        fill(element)
        return element

    def _bool(self, node: Node, predicate: str) -> bool:
        value = self.index.value(node, predicate)
        return isinstance(value, Literal) and str(value).strip().lower() in ("true", "1")

    def _int(self, node: Node, predicate: str) -> int | None:
        value = self.index.value(node, predicate)
        if isinstance(value, Literal):
            try:
                return int(str(value).strip())
            except ValueError:
                self.issue("samm/invalid-value", f"{self._label(node)}: "
                           f"{local_name(predicate)} {str(value)!r} is not an integer.", node)
        return None

    def _text(self, node: Node, predicate: str) -> str | None:
        value = self.index.value(node, predicate)
        return None if value is None else str(value)

    def _list(self, node: Node, predicate: str) -> list[Node]:
        head = self.index.value(node, predicate)
        if head is None:
            return []
        items = self.index.rdf_list(head)
        if items is None:
            self.issue("samm/malformed-list",
                       f"{self._label(node)}: {local_name(predicate)} is not an RDF list.", node)
            return []
        return items

    def scalar(self, iri: str) -> m.Scalar:
        """The (shared) Scalar object of a data type IRI."""
        found = self._scalars.get(iri)
        if found is None:
            found = m.Scalar(urn=iri, name=local_name(iri))
            self._scalars[iri] = found
        return found

    def exists(self, node: Node) -> bool:
        """Whether anything is known about ``node``."""
        return self.index.has(node)

    # -- values ------------------------------------------------------------------------------
    def scalar_value(self, node: Node, datatype: str | None = None) -> m.ScalarValue:
        """A literal (or a ``samm:Value`` individual) as a :class:`ScalarValue`."""
        if isinstance(node, Literal):
            own = str(node.datatype) if node.datatype is not None else (
                _LANG_STRING if node.language else f"{XSD}string")
            ill_typed = bool(node.ill_typed) or (
                own == f"{XSD}anyURI" and any(c.isspace() for c in str(node)))
            return m.ScalarValue(value=literal_value(node, datatype or own), lexical=str(node),
                                 datatype=own, language=node.language, ill_typed=ill_typed)
        inner = self.index.value(node, f"{SAMM}value")
        value = self.scalar_value(inner, datatype) if isinstance(inner, Literal) else (
            m.ScalarValue(value=str(node), lexical=str(node), datatype=None))
        self._base(value, node)
        return value

    def value(self, node: Node, datatype: m.Type | None) -> m.Value:
        """An enumeration value: a literal, a ``samm:Value`` or an entity instance."""
        if isinstance(node, Literal):
            return self.scalar_value(node, datatype.urn if isinstance(datatype, m.Scalar) else None)
        types = self.index.types(node)
        if f"{SAMM}Value" in types or not types:
            if not types and not isinstance(node, Literal) and not self.exists(node):
                self.issue("samm/unresolved-reference",
                           f"The value {self._label(node)} is not defined.", node)
            return self.scalar_value(node, datatype.urn if isinstance(datatype, m.Scalar) else None)
        return self.entity_instance(node)

    def entity_instance(self, node: Node) -> m.EntityInstance:
        """An instance of an Entity (its ``rdf:type`` is the Entity)."""
        def fill(instance: m.EntityInstance) -> None:
            entity_node = next((URIRef(t) for t in self.index.types(node)
                                if t != f"{SAMM}Value"), None)
            if entity_node is None or not self.exists(entity_node):
                self.issue("samm/unresolved-reference",
                           f"The entity of instance {self._label(node)} is not defined.", node)
                return
            instance.entity = self.entity(entity_node)
            for use in instance.entity.all_properties():
                prop = use.property
                if prop.urn is None:
                    continue
                objects = self.index.objects(node, prop.urn)
                if not objects:
                    continue
                data_type = prop.characteristic.data_type if prop.characteristic else None
                head = objects[0]
                items = None if isinstance(head, Literal) else self.index.rdf_list(head)
                if items is not None and isinstance(prop.characteristic, m.Collection):
                    instance.assertions[prop] = [self.value(i, data_type) for i in items]
                else:
                    instance.assertions[prop] = self.value(head, data_type)

        return self._cached(node, m.EntityInstance, fill)

    # -- units -------------------------------------------------------------------------------
    def unit(self, node: Node) -> m.Unit | None:
        """A unit from the catalog or defined in the model."""
        iri = str(node)
        if iri.startswith(UNIT) and not self.exists(node):
            found = units().get(iri[len(UNIT):])
            if found is None:
                self.issue("samm/unknown-unit",
                           f"The unit {local_name(iri)!r} is not in the SAMM unit catalog.", node)
            return found

        def fill(unit: m.Unit) -> None:
            unit.symbol = self._text(node, f"{SAMM}symbol")
            unit.common_code = self._text(node, f"{SAMM}commonCode")
            unit.conversion_factor = self._text(node, f"{SAMM}conversionFactor")
            unit.numeric_conversion_factor = self._text(node, f"{SAMM}numericConversionFactor")
            reference = self.index.value(node, f"{SAMM}referenceUnit")
            unit.reference_unit = str(reference) if reference is not None else None
            for kind in self.index.objects(node, f"{SAMM}quantityKind"):
                name = local_name(str(kind))
                if str(kind).startswith(UNIT) and name not in quantity_kinds() and not (
                        self.exists(kind)):
                    self.issue("samm/unknown-unit",
                               f"The quantity kind {name!r} is not in the unit catalog.", node)
                unit.quantity_kinds.append(name)

        if not self.exists(node):
            self.issue("samm/unresolved-reference", f"The unit {local_name(iri)} is not defined.",
                       node)
            return None
        return self._cached(node, m.Unit, fill)
