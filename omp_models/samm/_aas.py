"""An aspect as an AAS submodel: the template (with SMT qualifiers) or a payload's instance.

The mapping follows samm-cli's AAS generator where that yields valid AAS, and departs from
it where it does not (samm-cli's output fails aas-core verification):

- Aspect -> Submodel (``kind`` Template or Instance), semanticId the aspect URN;
- Property -> Property (``valueType`` from the XSD type), ``rdf:langString`` ->
  MultiLanguageProperty, Entity -> SubmodelElementCollection, Collection/List/Set/SortedSet/
  TimeSeries -> SubmodelElementList (items without idShort, AASd-120), Either ->
  SubmodelElementCollection with ``left``/``right`` (``SMT/EitherOr``), Operation -> Operation;
- template elements carry ``SMT/Cardinality`` (One/ZeroToOne; list items ZeroToMany/
  OneToMany), ``SMT/ExampleValue`` and ``SMT/AllowedValue`` (regular expressions) as
  TemplateQualifiers; instances carry none (AASd-129);
- every semanticId has a ConceptDescription with an IEC 61360 data specification (preferred
  name, definition, data type, unit, the enumeration's value list).

Texts longer than the AAS limits are shortened, and events (no AAS counterpart that is valid
without a reference target) are left out; both are listed in the notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from omp_models.ids import IdShortAllocator
from omp_models.samm import _model as m
from omp_models.samm._vocab import xsd_type

__all__ = ["AasNote", "element_kind", "submodel_environment"]

_IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3/0"
_MISSING = object()
_LIMITS = {"name": 128, "text": 1023, "preferred": 255, "definition": 1023}
_MEASURE = {"INTEGER_COUNT": "INTEGER_MEASURE", "REAL_COUNT": "REAL_MEASURE"}


@dataclass(frozen=True, slots=True)
class AasNote:
    """Something the mapping changed or left out: severity, message, payload pointer."""

    severity: str
    message: str
    pointer: str | None = None
    code: str = "DROPPED"


def _ref(value: str) -> dict[str, Any]:
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def _pointer(tokens: tuple[str | int, ...]) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


@dataclass
class _Mapper:
    template: bool
    language: str = "en"
    concepts: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[AasNote] = field(default_factory=list)
    #: AAS JSON Pointer -> payload JSON Pointer, for problems found after mapping.
    origins: dict[str, str] = field(default_factory=dict)
    _stack: list[int] = field(default_factory=list)

    # -- texts ------------------------------------------------------------------------------
    def texts(self, values: dict[str, str], kind: str, what: str) -> list[dict[str, str]]:
        out = []
        limit = _LIMITS[kind]
        for language, text in sorted(values.items()):
            if not text:
                continue
            if len(text) > limit:
                self.notes.append(AasNote("lossy", f"the {kind} of {what} has {len(text)} "
                                          f"characters; shortened to the AAS limit of {limit}",
                                          code="DROPPED"))
                text = text[: limit - 3] + "..."
            out.append({"language": language or "en", "text": text})
        return out

    def describe(self, node: dict[str, Any], element: m.ModelElement) -> None:
        names = self.texts(element.preferred_names, "name", element.name)
        if names:
            node["displayName"] = names
        texts = self.texts(element.descriptions, "text", element.name)
        if texts:
            node["description"] = texts

    # -- concept descriptions ---------------------------------------------------------------
    def concept(self, element: m.ModelElement, char: m.Characteristic | None = None) -> None:
        urn = element.urn
        if urn is None or urn in self.concepts:
            return
        names = self.texts(element.preferred_names, "preferred", element.name)
        if not any(n["language"].lower().startswith("en") for n in names):
            names.append({"language": "en", "text": element.name[:255] or "element"})
        definition = self.texts(element.descriptions, "definition", element.name)
        if not any(d["language"].lower().startswith("en") for d in definition):
            definition.append({"language": "en", "text": names[0]["text"]})
        content: dict[str, Any] = {"modelType": "DataSpecificationIec61360",
                                   "preferredName": names, "definition": definition}
        base = _base(char)
        info = _info(base.data_type) if base else None
        if info is not None:
            content["dataType"] = info.iec
        unit = base.unit if isinstance(base, m.Quantifiable) else None
        if unit is not None and unit.urn:
            content["unit"] = (unit.symbol or unit.name)[:2000]
            content["unitId"] = _ref(unit.urn)
            if info is not None:
                content["dataType"] = _MEASURE.get(info.iec, info.iec)
        if isinstance(base, m.Enumeration) and info is not None and base.values:
            pairs = []
            for value in base.values:
                if isinstance(value, m.ScalarValue):
                    text = value.lexical[:2000]
                    pairs.append({"value": text, "valueId": _ref(f"{base.urn or urn}/{text}")})
            if pairs:
                content["valueList"] = {"valueReferencePairs": pairs}
        self.concepts[urn] = {
            "modelType": "ConceptDescription", "id": urn,
            "idShort": IdShortAllocator().allocate(element.name or "Concept")[0],
            "embeddedDataSpecifications": [
                {"dataSpecification": _ref(_IEC61360), "dataSpecificationContent": content}],
        }

    # -- qualifiers -------------------------------------------------------------------------
    def qualifiers(self, cardinality: str, prop: m.Property | None) -> list[dict[str, Any]]:
        if not self.template:
            return []
        out = [_qualifier("SMT/Cardinality", cardinality)]
        if prop is not None and prop.example_value is not None:
            out.append(_qualifier("SMT/ExampleValue", prop.example_value.lexical[:2000]))
        for constraint in _constraints(prop.characteristic if prop else None):
            if isinstance(constraint, m.RegularExpressionConstraint):
                out.append(_qualifier("SMT/AllowedValue", constraint.value[:2000]))
        return out

    # -- elements ---------------------------------------------------------------------------
    def elements(self, uses: list[m.PropertyUse], value: Any, tokens: tuple[str | int, ...],
                 aas: str) -> list[dict[str, Any]]:
        names = IdShortAllocator()
        out: list[dict[str, Any]] = []
        given = value if isinstance(value, dict) else {}
        for use in uses:
            if use.not_in_payload or use.property.is_abstract:
                continue
            item: Any = _MISSING
            if not self.template:
                if use.key not in given:
                    continue
                item = given[use.key]
            id_short, renamed = names.allocate(use.key)
            if renamed:
                self.notes.append(AasNote("info", f"{use.key!r} became the idShort "
                                          f"{id_short!r}", _pointer((*tokens, use.key)),
                                          "IDSHORT_RENAMED"))
            cardinality = "ZeroToOne" if use.optional else "One"
            element = self.property(use.property, item, (*tokens, use.key), cardinality,
                                    f"{aas}/{len(out)}", id_short)
            if element is not None:
                out.append(element)
        if not self.template and isinstance(value, dict):
            known = {u.key for u in uses if not u.not_in_payload}
            for key in sorted(set(value) - known):
                self.notes.append(AasNote("preserved", f"{key!r} is not a property of the model; "
                                          "kept as an Extension", _pointer((*tokens, key)),
                                          "PRESERVED_AS_EXTENSION"))
        return out

    def property(self, prop: m.Property, value: Any, tokens: tuple[str | int, ...],
                 cardinality: str, aas: str, id_short: str | None) -> dict[str, Any] | None:
        char = prop.characteristic
        if char is None:
            return None
        element = self.value_element(char, value, tokens, aas, prop)
        if element is None:
            return None
        if id_short is not None:
            element["idShort"] = id_short
        self.describe(element, prop)
        if prop.urn:
            element["semanticId"] = _ref(prop.urn)
            self.concept(prop, char)
        qualifiers = self.qualifiers(cardinality, prop)
        if qualifiers:
            element["qualifiers"] = qualifiers
        return _ordered(element)

    def value_element(self, char: m.Characteristic, value: Any, tokens: tuple[str | int, ...],
                      aas: str, prop: m.Property | None) -> dict[str, Any] | None:
        self.origins[aas] = _pointer(tokens)
        base = _base(char)
        if isinstance(base, m.Collection):
            return self.list_element(char, base, value, tokens, aas)
        if isinstance(base, m.Either):
            return self.either(base, value, tokens, aas)
        data_type = base.data_type if base else None
        if isinstance(data_type, m.ComplexType):
            return self.entity(data_type, value, tokens, aas, base)
        info = _info(data_type)
        if info is not None and info.aas is None:
            node: dict[str, Any] = {"modelType": "MultiLanguageProperty"}
            if value is not _MISSING:
                node["value"] = [{"language": str(k), "text": str(v)}
                                 for k, v in sorted(value.items())] if isinstance(
                    value, dict) else []
            return node
        node = {"modelType": "Property", "valueType": info.aas if info else "xs:string"}
        if value is not _MISSING:
            text = self.lexical(value, info, tokens)
            if text is None:
                return None
            node["value"] = text
        return node

    def lexical(self, value: Any, info: Any, tokens: tuple[str | int, ...]) -> str | None:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if info is not None and info.integral:
                if value.is_integer():
                    return str(int(value))
                self.notes.append(AasNote("error", f"{value!r} is not an integer, as "
                                          f"{info.aas} requires", _pointer(tokens),
                                          "VALUE_UNCONVERTIBLE"))
                return None
            if info is not None and info.aas == "xs:decimal":
                try:
                    return format(Decimal(repr(value)), "f")
                except InvalidOperation:
                    pass
            return {"inf": "INF", "-inf": "-INF", "nan": "NaN"}.get(repr(value), repr(value))
        if isinstance(value, str):
            return value
        self.notes.append(AasNote("error", f"a {type(value).__name__} where a single value is "
                                  "expected", _pointer(tokens), "VALUE_UNCONVERTIBLE"))
        return None

    def entity(self, entity: m.ComplexType, value: Any, tokens: tuple[str | int, ...], aas: str,
               char: m.Characteristic | None) -> dict[str, Any] | None:
        if entity.is_abstract and entity.extending and self.template:
            entity = entity.extending[0]
        if self.template and self._stack.count(id(entity)) > 0:
            self.notes.append(AasNote("lossy", f"the entity {entity.name} contains itself; the "
                                      "template stops at the second level", _pointer(tokens)))
            return None
        self._stack.append(id(entity))
        try:
            uses = entity.all_properties()
            if isinstance(value, dict) and entity.extending:
                uses = _best_match(entity, value)
            children = self.elements(uses, value, tokens, f"{aas}/value")
        finally:
            self._stack.pop()
        node: dict[str, Any] = {"modelType": "SubmodelElementCollection"}
        if children:
            node["value"] = children
        if not self.template and isinstance(value, dict):
            extra = sorted(set(value) - {u.key for u in uses if not u.not_in_payload})
            if extra:
                node["extensions"] = [{"name": f"src:samm-payload:{key}", "valueType":
                                       "xs:string", "value": json.dumps(value[key],
                                                                        sort_keys=True)}
                                      for key in extra]
        return node

    def either(self, char: m.Either, value: Any, tokens: tuple[str | int, ...], aas: str
               ) -> dict[str, Any] | None:
        children: list[dict[str, Any]] = []
        for side in ("left", "right"):
            target = getattr(char, side)
            if target is None:
                continue
            item: Any = _MISSING
            if not self.template:
                if not isinstance(value, dict) or side not in value:
                    continue
                item = value[side]
            element = self.value_element(target, item, (*tokens, side),
                                         f"{aas}/value/{len(children)}", None)
            if element is None:
                continue
            element["idShort"] = side
            if self.template:
                element["qualifiers"] = [_qualifier("SMT/Cardinality", "ZeroToOne"),
                                         _qualifier("SMT/EitherOr", char.name or "either")]
            children.append(_ordered(element))
        node: dict[str, Any] = {"modelType": "SubmodelElementCollection"}
        if children:
            node["value"] = children
        return node

    def list_element(self, char: m.Characteristic, base: m.Collection, value: Any,
                     tokens: tuple[str | int, ...], aas: str) -> dict[str, Any] | None:
        item_char: m.Characteristic | None = base.element_characteristic
        if item_char is None:
            item_char = m.Characteristic(name=base.name, data_type=base.data_type)
        values = [_MISSING] if self.template else (value if isinstance(value, list) else None)
        if values is None:
            self.notes.append(AasNote("error", "a collection needs a JSON array",
                                      _pointer(tokens), "VALUE_UNCONVERTIBLE"))
            return None
        items: list[dict[str, Any]] = []
        for index, item in enumerate(values):
            element = self.value_element(item_char, item, (*tokens, index),
                                         f"{aas}/value/{len(items)}", None)
            if element is None:
                return None
            items.append(element)
        node: dict[str, Any] = {"modelType": "SubmodelElementList",
                                "orderRelevant": base.ordered}
        semantic = _item_semantic(base)
        if semantic is not None:
            node["semanticIdListElement"] = _ref(semantic[0])
            self.concept(semantic[1], base.element_characteristic)
            for element in items:
                element["semanticId"] = _ref(semantic[0])
        model_type, value_type = element_kind(item_char)
        node["typeValueListElement"] = model_type
        if value_type is not None:
            node["valueTypeListElement"] = value_type
        if self.template:
            minimum = any(isinstance(c, m.LengthConstraint) and (c.min_value or 0) > 0
                          for c in _constraints(char))
            for element in items:
                element["qualifiers"] = [_qualifier("SMT/Cardinality",
                                                    "OneToMany" if minimum else "ZeroToMany")]
        if items:
            node["value"] = [_ordered(i) for i in items]
        return node

    def operation(self, op: m.Operation, id_short: str, aas: str) -> dict[str, Any]:
        node: dict[str, Any] = {"modelType": "Operation", "idShort": id_short}
        self.describe(node, op)
        if op.urn:
            node["semanticId"] = _ref(op.urn)
            self.concept(op)
        for name, uses in (("inputVariables", op.input),
                           ("outputVariables", [op.output] if op.output else [])):
            variables: list[dict[str, Any]] = []
            for use in uses:
                element = self.property(use.property, _MISSING, (op.name, use.key), "One",
                                        f"{aas}/{name}/{len(variables)}/value", use.key)
                if element is not None:
                    variables.append({"value": element})
            if variables:
                node[name] = variables
        return _ordered(node)


def element_kind(char: m.Characteristic | None) -> tuple[str, str | None]:
    """The AAS element type (and value type) a characteristic's values map to."""
    base = _base(char)
    if isinstance(base, m.Collection):
        return "SubmodelElementList", None
    data_type = base.data_type if base else None
    if isinstance(base, m.Either) or isinstance(data_type, m.ComplexType):
        return "SubmodelElementCollection", None
    info = _info(data_type)
    if info is not None and info.aas is None:
        return "MultiLanguageProperty", None
    return "Property", info.aas if info else "xs:string"


def _qualifier(kind: str, value: str) -> dict[str, Any]:
    return {"kind": "TemplateQualifier", "type": kind, "valueType": "xs:string", "value": value}


def _base(char: m.Characteristic | None) -> m.Characteristic | None:
    seen: set[int] = set()
    while isinstance(char, m.Trait) and char.base is not None and id(char) not in seen:
        seen.add(id(char))
        char = char.base
    return char


def _constraints(char: m.Characteristic | None) -> list[m.Constraint]:
    out: list[m.Constraint] = []
    seen: set[int] = set()
    while isinstance(char, m.Trait) and id(char) not in seen:
        seen.add(id(char))
        out.extend(char.constraints)
        char = char.base
    return out


def _info(data_type: m.Type | None) -> Any:
    if isinstance(data_type, m.Scalar) and data_type.urn:
        return xsd_type(data_type.urn)
    return None


def _item_semantic(base: m.Collection) -> tuple[str, m.ModelElement] | None:
    element = base.element_characteristic
    if isinstance(base.data_type, m.ComplexType) and base.data_type.urn and (
            element is None or _base(element) is None or not isinstance(
                _base(element), m.Collection | m.Either)):
        return base.data_type.urn, base.data_type
    return None


def _best_match(entity: m.ComplexType, value: dict[str, Any]) -> list[m.PropertyUse]:
    """For an abstract entity's payload: the extending entity whose keys fit best."""
    candidates = [entity, *entity.extending] if not entity.is_abstract else entity.extending
    keys = set(value)
    return max(candidates, key=lambda e: len(keys & {u.key for u in e.all_properties()})
               ).all_properties()


_ORDER = ("extensions", "idShort", "displayName", "description", "semanticId", "qualifiers",
          "kind", "modelType")


def _ordered(node: dict[str, Any]) -> dict[str, Any]:
    head = {k: node[k] for k in _ORDER if k in node}
    head.update({k: v for k, v in node.items() if k not in head})
    return head


def submodel_environment(aspect: m.Aspect, *, payload: Any = _MISSING, submodel_id: str | None
                         = None, language: str = "en") -> tuple[dict[str, Any], list[AasNote],
                                                                 dict[str, str]]:
    """The environment (AAS JSON form) holding the aspect's submodel and its concepts.

    Args:
        aspect: The aspect.
        payload: A payload: build the submodel *instance* holding its values; leave out for
            the *template*.
        submodel_id: The submodel's id (default: ``<aspect URN>/submodel``).
        language: Preferred language (texts in every language are kept).

    Returns:
        The environment, the notes (what was shortened, renamed, preserved or left out) and
        a map from AAS JSON Pointers to payload JSON Pointers.
    """
    template = payload is _MISSING
    mapper = _Mapper(template=template, language=language)
    urn = aspect.urn or f"urn:omp-toolkit:samm:{aspect.name}"
    submodel: dict[str, Any] = {
        "modelType": "Submodel", "id": submodel_id or f"{urn}/submodel",
        "idShort": IdShortAllocator().allocate(aspect.name or "Aspect")[0],
        "kind": "Template" if template else "Instance", "semanticId": _ref(urn),
    }
    mapper.describe(submodel, aspect)
    version = urn.split("#")[0].rsplit(":", 1)[-1].split(".")
    if len(version) == 3 and all(v.isdigit() for v in version):
        submodel["administration"] = {"version": str(int(version[0])),
                                      "revision": str(int(version[1]))}
    mapper.concept(aspect)
    elements = mapper.elements(aspect.properties, None if template else payload, (),
                               "/submodels/0/submodelElements")
    if template:
        for op in aspect.operations:
            elements.append(mapper.operation(op, IdShortAllocator().allocate(op.name)[0],
                                             f"/submodels/0/submodelElements/{len(elements)}"))
        for event in aspect.events:
            mapper.notes.append(AasNote("lossy", f"the event {event.name} has no AAS "
                                        "counterpart in a template and was left out"))
    if elements:
        submodel["submodelElements"] = elements
    if not template and isinstance(payload, dict):
        known = {u.key for u in aspect.properties if not u.not_in_payload}
        extra = sorted(set(payload) - known)
        if extra:
            submodel["extensions"] = [{"name": f"src:samm-payload:{key}", "valueType":
                                       "xs:string", "value": json.dumps(payload[key],
                                                                        sort_keys=True)}
                                      for key in extra]
    environment = {"submodels": [_ordered(submodel)],
                   "conceptDescriptions": [mapper.concepts[k] for k in sorted(mapper.concepts)]}
    return environment, mapper.notes, mapper.origins
