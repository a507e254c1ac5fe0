"""Fast structural checks of a loaded model: the SAMM shapes' main rules, in Python.

They run on the typed objects and the triple index in milliseconds (the SHACL shapes take
pyshacl about 20 s per model) and report located findings: the Turtle file and line where
the element is defined, and its URN. Only elements defined in the checked file are
reported; imported files are checked when they are validated themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from omp_models.diagnostics import Finding, Location, Severity
from omp_models.samm import _model as m
from omp_models.samm._example import fits
from omp_models.samm._loader import AspectModel
from omp_models.samm._vocab import RDF, SAMM, SAMME, XSD, local_name, xsd_type

__all__ = ["check_model", "owner_iri", "regex_error"]

#: ``samm:canBeCastTo`` (type-conversions.ttl), as local XSD names.
_CASTS = {
    "byte": "short", "short": "int", "int": "long", "long": "integer", "integer": "decimal",
    "unsignedByte": "unsignedShort", "unsignedShort": "unsignedInt",
    "unsignedInt": "unsignedLong", "unsignedLong": "nonNegativeInteger",
    "positiveInteger": "nonNegativeInteger", "nonNegativeInteger": "integer",
    "negativeInteger": "nonPositiveInteger", "nonPositiveInteger": "integer",
    "dateTimeStamp": "dateTime", "yearMonthDuration": "duration",
    "dayTimeDuration": "duration",
}
_LANG_STRING = f"{RDF}langString"


def _castable(provided: str, target: str) -> bool:
    if provided == target:
        return True
    if not (provided.startswith(XSD) and target.startswith(XSD)):
        return False
    current: str | None = provided[len(XSD):]
    seen: set[str] = set()
    while current is not None and current not in seen:
        if current == target[len(XSD):]:
            return True
        seen.add(current)
        current = _CASTS.get(current)
    return False


def regex_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable regular expression, or ``None``.

    The payload schema's patterns must compile in both engines that check payloads:
    Python's ``re`` (python-jsonschema) and, when installed, jsonschema-rs (ECMAScript).
    Named groups ``(?<name>...)``, for one, are refused by Python.
    """
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"Python: {exc}"
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        jsonschema_rs.validator_for({"pattern": pattern})
    except Exception as exc:  # jsonschema_rs.ValidationError, or a regex error
        return f"ECMAScript: {str(exc).splitlines()[0]}"
    return None


class _Checker:
    def __init__(self, model: AspectModel, shown: str) -> None:
        self.model = model
        self.shown = shown
        self.findings: list[Finding] = []
        main = model.main
        assert main is not None
        self.main = main

    def report(self, rule: str, message: str, element: m.ModelElement | None,
               severity: Severity = Severity.ERROR, iri: str | None = None) -> None:
        urn = iri or (element.urn if element else None)
        line = self.main.line_of(urn) if urn else None
        self.findings.append(Finding(rule, severity, message,
                                     Location(self.shown, None, urn, line)))

    def ours(self, node: Node) -> bool:
        index = self.model.index
        if isinstance(node, URIRef):
            return index.origin.get(str(node)) is self.main
        return isinstance(node, BNode) and index.bnode_origin.get(node) is self.main

    def elements(self) -> Iterator[tuple[Node, m.ModelElement]]:
        builder = self.model.builder
        if builder is None:
            return
        for node, element in builder.built().items():
            if self.ours(node):
                yield node, element

    def label(self, element: m.ModelElement) -> str:
        return f"{element.kind} {element.name or 'anonymous'}"

    # -- checks --------------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        self.language_tags()
        for _node, element in self.elements():
            if isinstance(element, m.Property):
                self.example(element)
            elif isinstance(element, m.Trait):
                self.trait(element)
            elif isinstance(element, m.Enumeration):
                self.enumeration(element)
            elif isinstance(element, m.Either):
                if element.left is not None and element.left is element.right:
                    self.report("samm/either", f"{self.label(element)}: samm-c:left and "
                                "samm-c:right are the same characteristic.", element)
            elif isinstance(element, m.StructuredValue):
                why = regex_error(element.deconstruction_rule)
                if not element.deconstruction_rule or not element.elements:
                    self.report("samm/missing-attribute", f"{self.label(element)} needs "
                                "samm-c:deconstructionRule and samm-c:elements.",
                                element if element.urn else None,
                                iri=None if element.urn else owner_iri(self.model, _node))
                elif why:
                    self.report("samm/invalid-regex", f"{self.label(element)}: the "
                                f"deconstructionRule is not a valid regular expression ({why}).",
                                element)
            elif isinstance(element, m.ComplexType | m.Aspect):
                self.properties(element)
            if isinstance(element, m.Characteristic):
                self.data_type(element)
            if isinstance(element, m.Duration) and element.unit is not None and (
                    "time" not in element.unit.quantity_kinds):
                self.report("samm/duration-unit", f"{self.label(element)}: the unit "
                            f"{element.unit.name} is not a unit of time.", element)
        self.recursion()
        return self.findings

    def language_tags(self) -> None:
        index = self.model.index
        for subject in index.subjects():
            if not self.ours(subject):
                continue
            for attribute in ("preferredName", "description"):
                seen: set[str] = set()
                for value in index.objects(subject, f"{SAMM}{attribute}"):
                    iri = str(subject) if isinstance(subject, URIRef) else None
                    name = local_name(iri) if iri else "an anonymous element"
                    if not isinstance(value, Literal) or not value.language:
                        self.report("samm/language-tag", f"{name}: samm:{attribute} "
                                    f"{str(value)!r} has no language tag.", None, iri=iri)
                    elif value.language.lower() in seen:
                        self.report("samm/language-tag", f"{name}: more than one samm:"
                                    f"{attribute} in language {value.language!r}.", None, iri=iri)
                    else:
                        seen.add(value.language.lower())
            for value in index.objects(subject, f"{SAMM}see"):
                if not isinstance(value, URIRef):
                    iri = str(subject) if isinstance(subject, URIRef) else None
                    name = local_name(iri) if iri else "an anonymous element"
                    self.report("samm/invalid-value", f"{name}: samm:see {str(value)!r} is not "
                                "an IRI.", None, iri=iri)

    def example(self, prop: m.Property) -> None:
        example, char = prop.example_value, prop.characteristic
        if example is None or char is None:
            return
        declared = char.data_type
        provided = example.datatype or f"{XSD}string"
        if isinstance(declared, m.Scalar) and declared.urn and not _castable(
                provided, declared.urn):
            self.report("samm/example-datatype", f"Property {prop.name}: the example value "
                        f"{example.lexical!r} is typed {local_name(provided)}, which is not "
                        f"the data type {local_name(declared.urn)} nor castable to it.", prop)
            return
        if example.ill_typed:
            self.report("samm/example-datatype", f"Property {prop.name}: the example value "
                        f"{example.lexical!r} is not a valid {local_name(provided)} literal.",
                        prop)
            return
        value: Any = example.value
        if provided == _LANG_STRING:
            value = {example.language or "en": example.lexical}
        if isinstance(char, m.Collection) or isinstance(declared, m.ComplexType):
            return
        broken = [c.value for c in _constraints(char)
                  if isinstance(c, m.RegularExpressionConstraint) and isinstance(value, str)
                  and _search(c.value, value) is False]
        if broken:
            self.report("samm/example-value", f"Property {prop.name}: the example value "
                        f"{example.lexical!r} does not match the pattern {broken[0]!r} of its "
                        "RegularExpressionConstraint.", prop)
        elif fits(value, char) is False:
            self.report("samm/example-value", f"Property {prop.name}: the example value "
                        f"{example.lexical!r} does not satisfy the property's payload schema "
                        "(data type pattern, range, length or enumeration), so example payloads "
                        "built from it are invalid.", prop, Severity.WARNING)

    def trait(self, trait: m.Trait) -> None:
        base = trait.base
        data_type = trait.data_type
        info = xsd_type(data_type.urn) if isinstance(data_type, m.Scalar) and data_type.urn else (
            None)
        collection = isinstance(base, m.Collection)
        for constraint in trait.constraints:
            if isinstance(constraint, m.RegularExpressionConstraint):
                why = regex_error(constraint.value)
                if why:
                    self.report("samm/invalid-regex", f"{self.label(constraint)}: "
                                f"{constraint.value!r} is not a valid regular expression "
                                f"({why}).", constraint if constraint.urn else trait)
                if info is not None and info.json_type != "string" and not collection:
                    self.report("samm/constraint", f"{self.label(constraint)} applies to "
                                f"{info.name} values, which are not strings.",
                                constraint if constraint.urn else trait)
            elif isinstance(constraint, m.LengthConstraint):
                self.length(constraint, trait, info, collection)
            elif isinstance(constraint, m.RangeConstraint):
                self.range(constraint, trait)

    def length(self, constraint: m.LengthConstraint, trait: m.Trait, info: Any,
               collection: bool) -> None:
        where = constraint if constraint.urn else trait
        low, high = constraint.min_value, constraint.max_value
        if low is None and high is None:
            self.report("samm/constraint", f"{self.label(constraint)} has neither minValue "
                        "nor maxValue.", where)
        if (low is not None and low < 0) or (high is not None and high < 0):
            self.report("samm/constraint", f"{self.label(constraint)} has a negative bound.",
                        where)
        if low is not None and high is not None and low > high:
            self.report("samm/constraint", f"{self.label(constraint)}: minValue {low} is "
                        f"greater than maxValue {high}.", where)
        if not collection and info is not None and info.json_type in ("number", "boolean"):
            self.report("samm/constraint", f"{self.label(constraint)} does not apply to "
                        f"{info.name} values.", where)

    def range(self, constraint: m.RangeConstraint, trait: m.Trait) -> None:
        where = constraint if constraint.urn else trait
        declared = trait.data_type.urn if isinstance(trait.data_type, m.Scalar) else None
        for bound in (constraint.min_value, constraint.max_value):
            if bound is not None and declared and bound.datatype != declared:
                self.report("samm/constraint", f"{self.label(constraint)}: the bound "
                            f"{bound.lexical!r} is typed {local_name(bound.datatype or '')}, "
                            f"not {local_name(declared)}.", where)
        if constraint.min_value is None and constraint.max_value is None:
            self.report("samm/constraint", f"{self.label(constraint)} has neither minValue "
                        "nor maxValue.", where)
        low = constraint.min_value.value if constraint.min_value else None
        high = constraint.max_value.value if constraint.max_value else None
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            self.report("samm/constraint", f"{self.label(constraint)}: minValue {low} is "
                        f"greater than maxValue {high}.", where)

    def enumeration(self, char: m.Enumeration) -> None:
        declared = char.data_type
        if isinstance(declared, m.Scalar) and declared.urn:
            for value in char.values:
                if isinstance(value, m.ScalarValue) and value.datatype and not _castable(
                        value.datatype, declared.urn):
                    self.report("samm/enumeration-value", f"{self.label(char)}: the value "
                                f"{value.lexical!r} is typed {local_name(value.datatype)}, not "
                                f"{local_name(declared.urn)}.", char)
        if isinstance(char, m.State) and char.default_value is not None:
            wanted = _value_key(char.default_value)
            if wanted not in {_value_key(v) for v in char.values}:
                self.report("samm/enumeration-value", f"{self.label(char)}: the default value "
                            "is not one of the values.", char)

    def data_type(self, char: m.Characteristic) -> None:
        data_type = char.data_type
        if isinstance(char, m.SingleEntity) and data_type is not None and not isinstance(
                data_type, m.ComplexType):
            self.report("samm/entity-datatype", f"{self.label(char)}: the data type of a "
                        "SingleEntity is an Entity.", char)
        if isinstance(char, m.TimeSeries) and isinstance(data_type, m.ComplexType):
            chain: set[int] = set()
            current: m.ComplexType | None = data_type
            while current is not None and id(current) not in chain:
                chain.add(id(current))
                if current.urn == f"{SAMME}TimeSeriesEntity":
                    break
                current = current.extends
            else:
                self.report("samm/entity-datatype", f"{self.label(char)}: the data type "
                            f"{data_type.name} does not extend samm-e:TimeSeriesEntity.", char)
        if isinstance(data_type, m.ComplexType) and data_type.is_abstract and not (
                data_type.extending) and not isinstance(char, m.Collection):
            self.report("samm/entity-datatype", f"{self.label(char)}: the data type "
                        f"{data_type.name} is an AbstractEntity that nothing extends.", char)

    def properties(self, owner: m.ComplexType | m.Aspect) -> None:
        own = owner.properties
        seen: set[int] = set()
        for use in own:
            if id(use.property) in seen:
                self.report("samm/duplicate-property", f"{self.label(owner)} lists the property "
                            f"{use.property.name} more than once.", owner, Severity.WARNING)
            seen.add(id(use.property))
        uses = owner.all_properties() if isinstance(owner, m.ComplexType) else own
        keys: dict[str, m.Property] = {}
        for use in uses:
            if use.not_in_payload:
                continue
            other = keys.get(use.key)
            if other is not None and other is not use.property:
                self.report("samm/payload-name-clash", f"{self.label(owner)}: the properties "
                            f"{other.name} and {use.property.name} share the payload name "
                            f"{use.key!r}.", owner)
            keys.setdefault(use.key, use.property)

    def recursion(self) -> None:
        reported: set[int] = set()
        reachable = _reachable(self.model.aspect) if self.model.aspect else None
        for _node, element in self.elements():
            if not isinstance(element, m.ComplexType) or id(element) in reported:
                continue
            if reachable is not None and id(element) not in reachable:
                continue
            cycle = _mandatory_cycle(element)
            if cycle is not None:
                reported.add(id(element))
                path = " -> ".join(cycle)
                self.report("samm/recursive-property", f"{self.label(element)} contains "
                            f"itself through mandatory properties ({path}).", element)


def owner_iri(model: AspectModel, node: Node) -> str | None:
    """The named element that refers to an anonymous one (for locating findings)."""
    builder = model.builder
    if builder is None:
        return None
    for other, element in builder.built().items():
        if isinstance(other, URIRef) and any(
                node in objects for objects in model.index.predicates(other).values()):
            return element.urn
    return None


def _constraints(char: m.Characteristic | None) -> list[m.Constraint]:
    out: list[m.Constraint] = []
    seen: set[int] = set()
    while isinstance(char, m.Trait) and id(char) not in seen:
        seen.add(id(char))
        out.extend(char.constraints)
        char = char.base
    return out


def _search(pattern: str, text: str) -> bool | None:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return None


def _value_key(value: m.Value) -> Any:
    if isinstance(value, m.EntityInstance):
        return ("instance", id(value))
    return ("scalar", value.lexical, value.language)


def _entity_of(char: m.Characteristic | None) -> m.ComplexType | None:
    seen: set[int] = set()
    while isinstance(char, m.Trait) and id(char) not in seen:
        seen.add(id(char))
        char = char.base
    if char is None or isinstance(char, m.Collection | m.Either | m.Enumeration):
        return None
    return char.data_type if isinstance(char.data_type, m.ComplexType) else None


def _reachable(aspect: m.Aspect) -> set[int]:
    """Ids of the entities an aspect's payload can contain."""
    seen: set[int] = set()
    stack: list[m.Characteristic | None] = [u.property.characteristic for u in aspect.properties]
    while stack:
        char = stack.pop()
        if char is None or id(char) in seen:
            continue
        seen.add(id(char))
        if isinstance(char, m.Trait):
            stack.append(char.base)
        elif isinstance(char, m.Either):
            stack.extend((char.left, char.right))
        elif isinstance(char, m.Collection):
            stack.append(char.element_characteristic)
        data_type = char.data_type
        if isinstance(data_type, m.ComplexType) and id(data_type) not in seen:
            seen.add(id(data_type))
            for entity in (data_type, *data_type.extending):
                seen.add(id(entity))
                stack.extend(u.property.characteristic for u in entity.all_properties())
    return seen


def _mandatory_cycle(start: m.ComplexType) -> list[str] | None:
    stack: list[tuple[m.ComplexType, list[str]]] = [(start, [])]
    visited: set[int] = set()
    while stack:
        entity, path = stack.pop()
        for use in entity.all_properties():
            if use.optional or use.not_in_payload:
                continue
            target = _entity_of(use.property.characteristic)
            if target is None:
                continue
            here = [*path, use.property.name]
            if target is start:
                return here
            if id(target) not in visited:
                visited.add(id(target))
                stack.append((target, here))
    return None


def check_model(model: AspectModel, name: str | None = None) -> list[Finding]:
    """The structural findings of a loaded model (the loader's own findings not included).

    Args:
        model: The model (loaded with :func:`omp_models.samm.load_aspect`).
        name: The file name to report (default: the model's path).
    """
    if model.main is None or model.builder is None:
        return []
    return _Checker(model, name or str(model.path)).run()
