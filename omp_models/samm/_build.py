"""Build typed SAMM objects from the triple index, recording what cannot be built.

Every element is built once (the cache is keyed by RDF node) and registered before its
fields are filled, so cyclic models terminate. Problems that make an element unusable
(a property without a characteristic, a characteristic without a data type, a reference to
nothing) are recorded as :class:`Issue` values; the loader turns them into findings.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from omp_models.samm import _model as m
from omp_models.samm._build_base import BuilderBase, Issue, literal_value
from omp_models.samm._vocab import RDF, SAMM, SAMMC, XSD, local_name, xsd_type

__all__ = ["Builder", "Issue", "literal_value"]

#: Characteristic classes, most specific first.
_CHARACTERISTICS: tuple[tuple[str, type[m.Characteristic]], ...] = (
    (f"{SAMMC}TimeSeries", m.TimeSeries),
    (f"{SAMMC}SortedSet", m.SortedSet),
    (f"{SAMMC}Set", m.Set),
    (f"{SAMMC}List", m.List),
    (f"{SAMMC}Collection", m.Collection),
    (f"{SAMMC}State", m.State),
    (f"{SAMMC}Enumeration", m.Enumeration),
    (f"{SAMMC}Measurement", m.Measurement),
    (f"{SAMMC}Duration", m.Duration),
    (f"{SAMMC}Quantifiable", m.Quantifiable),
    (f"{SAMMC}Trait", m.Trait),
    (f"{SAMMC}Either", m.Either),
    (f"{SAMMC}Code", m.Code),
    (f"{SAMMC}StructuredValue", m.StructuredValue),
    (f"{SAMMC}SingleEntity", m.SingleEntity),
    (f"{SAMM}Characteristic", m.Characteristic),
)
_CONSTRAINTS: tuple[tuple[str, type[m.Constraint]], ...] = (
    (f"{SAMMC}RegularExpressionConstraint", m.RegularExpressionConstraint),
    (f"{SAMMC}RangeConstraint", m.RangeConstraint),
    (f"{SAMMC}LengthConstraint", m.LengthConstraint),
    (f"{SAMMC}EncodingConstraint", m.EncodingConstraint),
    (f"{SAMMC}LanguageConstraint", m.LanguageConstraint),
    (f"{SAMMC}LocaleConstraint", m.LocaleConstraint),
    (f"{SAMMC}FixedPointConstraint", m.FixedPointConstraint),
    (f"{SAMM}Constraint", m.Constraint),
)


class Builder(BuilderBase):
    """Builds the typed objects of one model from its index."""

    # -- types -------------------------------------------------------------------------------
    def data_type(self, node: Node, owner: Node) -> m.Type | None:
        """The data type a ``samm:dataType`` names: a scalar or an (abstract) entity."""
        iri = str(node)
        if isinstance(node, URIRef) and (iri.startswith((XSD, RDF)) or iri == f"{SAMM}curie"):
            if xsd_type(iri) is None:
                self.issue("samm/unknown-datatype",
                           f"{self._label(owner)}: the data type {local_name(iri)!r} is not "
                           "one SAMM allows.", owner)
            return self.scalar(iri)
        types = self.index.types(node)
        if f"{SAMM}Entity" in types or f"{SAMM}AbstractEntity" in types:
            return self.entity(node)
        if not self.exists(node):
            self.issue("samm/unresolved-reference",
                       f"{self._label(owner)}: its data type {self._label(node)} is not defined.",
                       owner)
        else:
            self.issue("samm/unknown-datatype",
                       f"{self._label(owner)}: the data type {self._label(node)} is neither a "
                       "scalar type nor an Entity.", owner)
        return None

    def entity(self, node: Node) -> m.ComplexType:
        """An Entity or AbstractEntity."""
        def fill(entity: m.ComplexType) -> None:
            entity.is_abstract = f"{SAMM}AbstractEntity" in self.index.types(node)
            entity.properties = self.property_uses(node, f"{SAMM}properties")
            parent = self.index.value(node, f"{SAMM}extends")
            if parent is not None:
                if not self.exists(parent):
                    self.issue("samm/unresolved-reference", f"{self._label(node)} extends "
                               f"{self._label(parent)}, which is not defined.", node)
                else:
                    entity.extends = self.entity(parent)
                    if not any(e is entity for e in entity.extends.extending):
                        entity.extends.extending.append(entity)
            if entity.is_abstract:
                for subject in self.index.subjects():
                    if self.index.value(subject, f"{SAMM}extends") == node and (
                            f"{SAMM}Entity" in self.index.types(subject)
                            or f"{SAMM}AbstractEntity" in self.index.types(subject)):
                        self.entity(subject)

        return self._cached(node, m.Entity, fill)

    # -- properties --------------------------------------------------------------------------
    def property_uses(self, node: Node, predicate: str) -> list[m.PropertyUse]:
        """The properties list of an Aspect, Entity, Operation or Event."""
        return [use for item in self._list(node, predicate)
                if (use := self.property_use(item, node)) is not None]

    def property_use(self, item: Node, owner: Node) -> m.PropertyUse | None:
        """One entry of a properties list: a Property, or a blank node referring to one."""
        if isinstance(item, BNode) and self.index.value(item, f"{SAMM}property") is not None:
            target = self.index.value(item, f"{SAMM}property")
            assert target is not None
            prop = self.property(target)
            if prop is None:
                return None
            payload_name = self.index.value(item, f"{SAMM}payloadName")
            return m.PropertyUse(prop, self._bool(item, f"{SAMM}optional"),
                                 self._bool(item, f"{SAMM}notInPayload"),
                                 str(payload_name) if payload_name is not None else None)
        if isinstance(item, Literal):
            self.issue("samm/invalid-value", f"{self._label(owner)}: the properties list holds "
                       f"the literal {str(item)!r}, not a Property.", owner)
            return None
        prop = self.property(item)
        return None if prop is None else m.PropertyUse(prop)

    def property(self, node: Node) -> m.Property | None:
        """A Property (or AbstractProperty, or a blank node extending one)."""
        if not self.exists(node):
            self.issue("samm/unresolved-reference",
                       f"The property {self._label(node)} is not defined.", node)
            return None

        def fill(prop: m.Property) -> None:
            types = self.index.types(node)
            prop.is_abstract = f"{SAMM}AbstractProperty" in types
            parent = self.index.value(node, f"{SAMM}extends")
            if parent is not None:
                prop.extends = self.property(parent)
                if prop.extends is not None and not prop.name:
                    prop.name = prop.extends.name
            example = self.index.value(node, f"{SAMM}exampleValue")
            characteristic = self.index.value(node, f"{SAMM}characteristic")
            if characteristic is not None:
                prop.characteristic = self.characteristic(characteristic, prop.name)
            elif not prop.is_abstract:
                self.issue("samm/missing-characteristic",
                           f"The property {prop.name or 'anonymous'} has no samm:characteristic.",
                           node)
            if isinstance(example, Literal):
                data_type = prop.characteristic.data_type if prop.characteristic else None
                prop.example_value = self.scalar_value(
                    example, data_type.urn if isinstance(data_type, m.Scalar) else None)

        return self._cached(node, m.Property, fill)

    # -- characteristics ---------------------------------------------------------------------
    def characteristic(self, node: Node, context: str = "") -> m.Characteristic | None:
        """A Characteristic of any SAMM-C class (anonymous ones named after ``context``)."""
        if not self.exists(node):
            self.issue("samm/unresolved-reference",
                       f"The characteristic {self._label(node)} is not defined.", node)
            return None
        types = self.index.types(node)
        cls = next((c for iri, c in _CHARACTERISTICS if iri in types), None)
        if cls is None:
            self.issue("samm/unknown-type", f"{self._label(node)} is used as a Characteristic "
                       f"but is typed {', '.join(local_name(t) for t in types) or 'nothing'}.",
                       node)
            cls = m.Characteristic

        def fill(char: m.Characteristic) -> None:
            if not char.name:
                char.name = (context[:1].upper() + context[1:] + "Characteristic") if (
                    context) else "Characteristic"
            self._fill_characteristic(char, node)

        return self._cached(node, cls, fill)

    def _fill_characteristic(self, char: m.Characteristic, node: Node) -> None:
        declared = self.index.value(node, f"{SAMM}dataType")
        if declared is not None:
            char.data_type = self.data_type(declared, node)
        if isinstance(char, m.Trait):
            self._fill_trait(char, node)
        elif isinstance(char, m.Quantifiable):
            unit = self.index.value(node, f"{SAMMC}unit")
            if unit is not None:
                char.unit = self.unit(unit)
            elif isinstance(char, m.Measurement | m.Duration):
                self.issue("samm/missing-unit", f"The {char.kind} {char.name} has no unit.", node)
        elif isinstance(char, m.Enumeration):
            for item in self._list(node, f"{SAMMC}values"):
                char.values.append(self.value(item, char.data_type))
            if not char.values:
                self.issue("samm/empty-enumeration",
                           f"The {char.kind} {char.name} has no values.", node)
            if isinstance(char, m.State):
                default = self.index.value(node, f"{SAMMC}defaultValue")
                if default is None:
                    self.issue("samm/missing-attribute",
                               f"The State {char.name} has no samm-c:defaultValue.", node)
                else:
                    char.default_value = self.value(default, char.data_type)
        elif isinstance(char, m.Collection):
            element = self.index.value(node, f"{SAMMC}elementCharacteristic")
            if element is not None:
                char.element_characteristic = self.characteristic(element, char.name + "Element")
                if char.data_type is None and char.element_characteristic is not None:
                    char.data_type = char.element_characteristic.data_type
        elif isinstance(char, m.Either):
            for side in ("left", "right"):
                target = self.index.value(node, f"{SAMMC}{side}")
                if target is None:
                    self.issue("samm/missing-attribute",
                               f"The Either {char.name} has no samm-c:{side}.", node)
                else:
                    setattr(char, side, self.characteristic(target, char.name + side.title()))
        elif isinstance(char, m.StructuredValue):
            char.deconstruction_rule = self._text(node, f"{SAMMC}deconstructionRule") or ""
            for item in self._list(node, f"{SAMMC}elements"):
                if isinstance(item, Literal):
                    char.elements.append(str(item))
                elif (prop := self.property(item)) is not None:
                    char.elements.append(prop)
        if char.data_type is None and not isinstance(char, m.Trait | m.Either) and (
                declared is None):
            self.issue("samm/missing-datatype",
                       f"The {char.kind} {char.name} has no samm:dataType.", node)

    def _fill_trait(self, trait: m.Trait, node: Node) -> None:
        base = self.index.value(node, f"{SAMMC}baseCharacteristic")
        if base is None:
            self.issue("samm/missing-attribute",
                       f"The Trait {trait.name} has no samm-c:baseCharacteristic.", node)
        else:
            trait.base = self.characteristic(base, trait.name + "Base")
            if trait.base is not None and trait.data_type is None:
                trait.data_type = trait.base.data_type
        for item in self.index.objects(node, f"{SAMMC}constraint"):
            constraint = self.constraint(item)
            if constraint is not None:
                trait.constraints.append(constraint)
        if not trait.constraints:
            self.issue("samm/missing-attribute",
                       f"The Trait {trait.name} has no samm-c:constraint.", node)

    def constraint(self, node: Node) -> m.Constraint | None:
        """A Constraint of any SAMM-C class."""
        if not self.exists(node):
            self.issue("samm/unresolved-reference",
                       f"The constraint {self._label(node)} is not defined.", node)
            return None
        types = self.index.types(node)
        cls = next((c for iri, c in _CONSTRAINTS if iri in types), None)
        if cls is None:
            self.issue("samm/unknown-type", f"{self._label(node)} is used as a Constraint but is "
                       f"typed {', '.join(local_name(t) for t in types) or 'nothing'}.", node)
            cls = m.Constraint

        def fill(c: m.Constraint) -> None:
            if isinstance(c, m.RegularExpressionConstraint):
                c.value = self._text(node, f"{SAMM}value") or ""
            elif isinstance(c, m.RangeConstraint):
                for attribute, slot in (("minValue", "min_value"), ("maxValue", "max_value")):
                    value = self.index.value(node, f"{SAMMC}{attribute}")
                    if isinstance(value, Literal):
                        setattr(c, slot, self.scalar_value(value))
                for attribute, slot in (("lowerBoundDefinition", "lower_bound"),
                                        ("upperBoundDefinition", "upper_bound")):
                    value = self.index.value(node, f"{SAMMC}{attribute}")
                    if value is not None:
                        setattr(c, slot, local_name(str(value)))
            elif isinstance(c, m.LengthConstraint):
                c.min_value = self._int(node, f"{SAMMC}minValue")
                c.max_value = self._int(node, f"{SAMMC}maxValue")
            elif isinstance(c, m.EncodingConstraint):
                c.value = local_name(self._text(node, f"{SAMM}value") or "")
            elif isinstance(c, m.LanguageConstraint):
                c.language_code = self._text(node, f"{SAMMC}languageCode") or ""
            elif isinstance(c, m.LocaleConstraint):
                c.locale_code = self._text(node, f"{SAMMC}localeCode") or ""
            elif isinstance(c, m.FixedPointConstraint):
                c.scale = self._int(node, f"{SAMMC}scale")
                c.integer = self._int(node, f"{SAMMC}integer")

        return self._cached(node, cls, fill)

    # -- aspect, operations, events ------------------------------------------------------------
    def operation(self, node: Node) -> m.Operation:
        """An Operation."""
        def fill(op: m.Operation) -> None:
            op.input = self.property_uses(node, f"{SAMM}input")
            output = self.index.value(node, f"{SAMM}output")
            if output is not None:
                op.output = self.property_use(output, node)

        return self._cached(node, m.Operation, fill)

    def event(self, node: Node) -> m.Event:
        """An Event."""
        def fill(event: m.Event) -> None:
            event.parameters = self.property_uses(node, f"{SAMM}parameters")

        return self._cached(node, m.Event, fill)

    def aspect(self, node: Node) -> m.Aspect:
        """The Aspect."""
        def fill(aspect: m.Aspect) -> None:
            aspect.properties = self.property_uses(node, f"{SAMM}properties")
            aspect.operations = [self.operation(n) for n in self._list(node, f"{SAMM}operations")]
            aspect.events = [self.event(n) for n in self._list(node, f"{SAMM}events")]

        return self._cached(node, m.Aspect, fill)

    def element(self, node: Node) -> m.ModelElement | None:
        """Any named element, by its ``rdf:type``."""
        types = self.index.types(node)
        if f"{SAMM}Aspect" in types:
            return self.aspect(node)
        if f"{SAMM}Property" in types or f"{SAMM}AbstractProperty" in types:
            return self.property(node)
        if f"{SAMM}Entity" in types or f"{SAMM}AbstractEntity" in types:
            return self.entity(node)
        if f"{SAMM}Operation" in types:
            return self.operation(node)
        if f"{SAMM}Event" in types:
            return self.event(node)
        if f"{SAMM}Unit" in types:
            return self.unit(node)
        if any(iri in types for iri, _ in _CHARACTERISTICS):
            return self.characteristic(node)
        if any(iri in types for iri, _ in _CONSTRAINTS):
            return self.constraint(node)
        if f"{SAMM}Value" in types:
            return self.scalar_value(node)
        if types and any(self.exists(URIRef(t)) and f"{SAMM}Entity" in self.index.types(URIRef(t))
                         for t in types):
            return self.entity_instance(node)
        return None

    def built(self) -> dict[Node, m.ModelElement]:
        """Every element built so far, by node."""
        return dict(self._cache)
