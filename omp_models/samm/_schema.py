"""Payload JSON Schema of an aspect, as samm-cli generates it (draft-04, ``components``).

The mapping follows samm-cli's ``AspectModelJsonSchemaVisitor`` (esmf-sdk 2.x), so that our
schema and the ``gen/*-schema.json`` files made by samm-cli accept and reject the same
payloads: integer XSD types are ``number`` with samm-cli's bounds, ``xsd:dateTime`` gets its
lexical pattern, ``rdf:langString`` is an object, Sets are ``uniqueItems``, ``Either`` is
``{"left": ...}`` xor ``{"right": ...}``, range bounds are only emitted for numeric literals.
Each Characteristic becomes a component named after it; properties refer to it with ``$ref``.
"""

from __future__ import annotations

import copy
from typing import Any

from omp_models.samm import _model as m
from omp_models.samm._vocab import xsd_type

__all__ = ["SCHEMA_DIALECT", "URN_KEYWORD", "aspect_schema", "characteristic_schema"]

SCHEMA_DIALECT = "http://json-schema.org/draft-04/schema"
#: The annotation that names the model element a schema node was generated from.
URN_KEYWORD = "x-samm-aspect-model-urn"
_REF = "#/components/schemas/"

Node = dict[str, Any]


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


class _Generator:
    def __init__(self, language: str) -> None:
        self.language = language
        self.components: dict[str, Node] = {}
        self._names: dict[int, str] = {}
        self._taken: set[str] = set()
        self._processed: set[int] = set()
        self._visited: dict[int, Node] = {}
        self._keep: list[object] = []  # keeps id()s stable while the generator lives

    # -- naming and annotations ---------------------------------------------------------------
    def name_of(self, element: m.ModelElement, parent: m.ModelElement | None = None) -> str:
        found = self._names.get(id(element))
        if found is not None:
            return found
        if isinstance(element, m.Characteristic) and element.is_anonymous and parent:
            wanted = parent.name[:1].upper() + parent.name[1:] + "Characteristic"
        else:
            wanted = element.name or "Element"
        candidate, n = wanted, 0
        while candidate in self._taken:
            candidate = f"{element.name or 'Element'}{n}"
            n += 1
        self._taken.add(candidate)
        self._names[id(element)] = candidate
        self._keep.append(element)
        return candidate

    def annotate(self, node: Node, element: m.ModelElement) -> Node:
        description = element.description(self.language)
        if description:
            node["description"] = description
        if element.urn:
            node[URN_KEYWORD] = element.urn
        return node

    def register(self, name: str, node: Node) -> None:
        self.components[name] = node

    # -- structure ------------------------------------------------------------------------------
    def has_properties(self, uses: list[m.PropertyUse], node: Node) -> Node:
        node["type"] = "object"
        wanted = [u for u in uses if not u.not_in_payload and not u.property.is_abstract]
        node["properties"] = {u.key: self.property(u.property) for u in wanted}
        required = list(dict.fromkeys(u.key for u in wanted if not u.optional))
        if required:
            node["required"] = required
        return node

    def property(self, prop: m.Property) -> Node:
        node = self.annotate({}, prop)
        characteristic = prop.characteristic
        if characteristic is None:  # an abstract property: nothing to say about its values
            return node
        name = self.name_of(characteristic, prop)
        if id(prop) not in self._processed:
            self._processed.add(id(prop))
            self._keep.append(prop)
            self.register(name, self.characteristic(characteristic))
        node["$ref"] = _REF + _escape(name)
        return node

    def complex_type(self, entity: m.ComplexType) -> Node:
        found = self._visited.get(id(entity))
        if found is not None:
            return found
        node: Node = {}
        self._visited[id(entity)] = node
        self._keep.append(entity)
        self.annotate(node, entity)
        self.has_properties(entity.properties, node)
        if entity.extends is not None:
            parent = self.complex_type(entity.extends)
            name = self.name_of(entity.extends)
            self.register(name, parent)
            node["allOf"] = [{"$ref": _REF + _escape(name)}]
        if entity.is_abstract:
            for child in entity.extending:
                self.register(self.name_of(child), self.complex_type(child))
        return node

    def data_type(self, data_type: m.Type | None) -> Node:
        if isinstance(data_type, m.ComplexType):
            return copy.copy(self.complex_type(data_type))
        if data_type is None or data_type.urn is None:
            return {"type": "string"}
        info = xsd_type(data_type.urn)
        if info is None:
            return {"type": "string"}
        node: Node = {"type": info.json_type}
        node.update(info.extra)
        return node

    # -- characteristics ------------------------------------------------------------------------
    def characteristic(self, char: m.Characteristic) -> Node:
        if isinstance(char, m.Trait):
            return self.trait(char)
        if isinstance(char, m.Collection):
            return self.collection(char)
        if isinstance(char, m.Either):
            return self.either(char)
        if isinstance(char, m.Enumeration):
            return self.enumeration(char)
        if isinstance(char, m.SingleEntity) and isinstance(char.data_type, m.ComplexType):
            node = self.annotate({}, char)
            node["type"] = "object"
            name = self.name_of(char.data_type)
            node["allOf"] = [{"$ref": _REF + _escape(name)}]
            self.register(name, self.complex_type(char.data_type))
            return node
        node = self.data_type(char.data_type)
        return self.annotate(node, char)

    def trait(self, trait: m.Trait) -> Node:
        node = self.characteristic(trait.base) if trait.base else {"type": "string"}
        self.annotate(node, trait)
        for constraint in trait.constraints:
            self.constraint(constraint, node)
        return node

    def constraint(self, constraint: m.Constraint, node: Node) -> None:
        description = constraint.description(self.language)
        if description:
            node["description"] = description
        if isinstance(constraint, m.RegularExpressionConstraint):
            node["pattern"] = constraint.value
        elif isinstance(constraint, m.LengthConstraint):
            what = "Items" if node.get("type") == "array" else "Length"
            if constraint.max_value is not None:
                node[f"max{what}"] = constraint.max_value
            if constraint.min_value is not None:
                node[f"min{what}"] = constraint.min_value
        elif isinstance(constraint, m.RangeConstraint):
            upper = _number(constraint.max_value)
            if upper is not None:
                node["maximum"] = upper
                node["exclusiveMaximum"] = constraint.upper_bound == "LESS_THAN"
            lower = _number(constraint.min_value)
            if lower is not None:
                node["minimum"] = lower
                node["exclusiveMinimum"] = constraint.lower_bound == "GREATER_THAN"

    def collection(self, char: m.Collection) -> Node:
        node = self.annotate({}, char)
        node["type"] = "array"
        if char.element_characteristic is not None:
            node["items"] = self.characteristic(char.element_characteristic)
        elif isinstance(char.data_type, m.ComplexType):
            name = self.name_of(char.data_type)
            self.register(name, self.complex_type(char.data_type))
            node["items"] = {"$ref": _REF + _escape(name)}
        elif char.data_type is not None:
            node["items"] = self.data_type(char.data_type)
        if char.unique:
            node["uniqueItems"] = True
        return node

    def either(self, char: m.Either) -> Node:
        node = self.annotate({}, char)
        node["additionalProperties"] = False
        node["properties"] = {
            side: self.characteristic(target) if target else {}
            for side, target in (("left", char.left), ("right", char.right))
        }
        node["oneOf"] = [{"required": ["left"]}, {"required": ["right"]}]
        return node

    def enumeration(self, char: m.Enumeration) -> Node:
        if isinstance(char.data_type, m.ComplexType):
            node = self.annotate({}, char)
            node["type"] = "object"
            refs = []
            for value in char.values:
                if isinstance(value, m.EntityInstance) and value.assertions:
                    name = self.name_of(value)
                    refs.append({"$ref": _REF + _escape(name)})
                    self.register(name, self.instance_node(value))
            if refs:
                node["oneOf"] = refs
            return node
        urn = char.data_type.urn if char.data_type else None
        info = xsd_type(urn) if urn else None
        node = {"type": "object"} if info and info.name == "langString" else self.data_type(
            char.data_type)
        self.annotate(node, char)
        node["enum"] = [self.value(v) for v in char.values]
        return node

    def value(self, value: m.Value | list[Any]) -> Any:
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, m.EntityInstance):
            return {prop.name: self.value(v) for prop, v in value.assertions.items()}
        info = xsd_type(value.datatype) if value.datatype else None
        if info is not None and info.name == "langString":
            return {value.language or "en": value.lexical}
        return value.value

    def instance_node(self, instance: m.EntityInstance) -> Node:
        node = self.annotate({}, instance)
        node.pop("x-samm-aspect-model-urn", None)
        node["type"] = "object"
        properties: Node = {}
        required: list[str] = []
        entity = instance.entity
        for use in entity.all_properties() if entity else []:
            if use.not_in_payload or use.property not in instance.assertions:
                continue
            required.append(use.key)
            properties[use.key] = self.instance_property(use.property,
                                                         instance.assertions[use.property])
        node["properties"] = properties
        node["required"] = required
        return node

    def instance_property(self, prop: m.Property, value: Any) -> Node:
        char = prop.characteristic
        data_type = char.data_type if char else None
        if isinstance(char, m.SingleEntity) and isinstance(value, m.EntityInstance):
            return self.instance_node(value)
        json_type = "object"
        if isinstance(data_type, m.Scalar) and data_type.urn:
            info = xsd_type(data_type.urn)
            json_type = info.json_type if info else "string"
        node = self.annotate({}, prop)
        node.pop("x-samm-aspect-model-urn", None)
        if isinstance(char, m.Collection):
            items = value if isinstance(value, list) else [value]
            node["type"] = "array"
            node["minItems"] = len(items)
            node["maxItems"] = len(items)
            node["items"] = {"type": json_type, "enum": [self.value(v) for v in items]}
            return node
        node["type"] = json_type
        node["enum"] = [self.value(value)]
        return node


def _number(value: m.ScalarValue | None) -> int | float | None:
    if value is None or value.datatype is None:
        return None
    info = xsd_type(value.datatype)
    if info is None or info.json_type != "number":
        return None
    number = value.value
    return number if isinstance(number, int | float) and not isinstance(number, bool) else None


def aspect_schema(aspect: m.Aspect, language: str = "en") -> dict[str, Any]:
    """The JSON Schema (draft-04) of the aspect's payloads.

    Args:
        aspect: The aspect.
        language: Language of the descriptions.

    Returns:
        The schema, with one component per characteristic and entity.
    """
    generator = _Generator(language)
    root: Node = {"$schema": SCHEMA_DIALECT, URN_KEYWORD: aspect.urn}
    description = aspect.description(language)
    if description:
        root["description"] = description
    body: Node = {}
    generator.has_properties(aspect.properties, body)
    root["type"] = "object"
    if generator.components:
        root["components"] = {"schemas": generator.components}
    root["properties"] = body["properties"]
    if "required" in body:
        root["required"] = body["required"]
    return root


def characteristic_schema(characteristic: m.Characteristic) -> dict[str, Any]:
    """A self-contained schema for the values of one characteristic.

    Used to check example values and enumeration values against their own constraints.
    """
    generator = _Generator("en")
    node = dict(generator.characteristic(characteristic))
    if generator.components:
        node["components"] = {"schemas": generator.components}
    return node
