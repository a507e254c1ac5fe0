"""JSON Schemas (draft 2020-12) for the value-only payloads of a submodel template.

:func:`value_only_schema` turns any :class:`~omp_models.templates.Template` into the
schema its value-only payloads (:mod:`omp_models.submodels._value_only`) must satisfy:
mandatory elements are ``required``, value types become JSON types (with the bounds of
the bounded integer types and the lexical form of dates, times and durations),
``SMT/AllowedValue``, ``SMT/AllowedRange``, ``SMT/RequiredLang`` and ``SMT/EitherOr``
become constraints, list cardinalities become ``minItems``/``maxItems``, ``{00}`` counters
and ``SMT/AllowedIdShort`` become ``patternProperties``. The template check
(:mod:`omp_validators.checks.template`) is the reference: a payload passes the schema
exactly when the submodel it stands for passes the check, as far as value-only
payloads can tell (they carry no semanticIds, value types or qualifiers).

Elements a template does not define are allowed (the check warns about them); with
``strict=True`` they are not (``additionalProperties``), except where the template has
``Arbitrary...`` placeholders. Every constraint node carries a ``$comment`` naming what
it checks, which :mod:`omp_validators.checks.payload_template` uses to tell findings apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from omp_models.submodels._schema_parts import (
    ALLOWED_RANGE_COMMENT,
    ALLOWED_VALUE_COMMENT,
    AT_LEAST_ONE_COMMENT,
    DEF_DEPENDS,
    DEFS,
    DIALECT,
    EITHER_OR_COMMENT,
    LEXICAL_PATTERNS,
    REQUIRED_LANG_COMMENT,
    VALUE_TYPE_COMMENT,
    allowed_constraint,
    escape,
    lang_pattern,
    portable_regex,
    range_constraint,
)
from omp_models.submodels._value_only import NOT_SERIALISED, VALUE_ELEMENTS
from omp_models.submodels._values import INTEGER_BOUNDS, json_kind
from omp_models.templates import Template, TemplateElement

__all__ = [
    "ALLOWED_RANGE_COMMENT",
    "ALLOWED_VALUE_COMMENT",
    "AT_LEAST_ONE_COMMENT",
    "DIALECT",
    "EITHER_OR_COMMENT",
    "REQUIRED_LANG_COMMENT",
    "VALUE_TYPE_COMMENT",
    "key_pattern",
    "value_only_schema",
]

def key_pattern(element: TemplateElement) -> str | None:
    """The pattern of the keys an element may have in a payload (``None``: its idShort).

    ``{00}`` counters and ``SMT/AllowedIdShort`` give their pattern; an element that may
    occur several times without either is its idShort followed by digits (``Phone``,
    ``Phone02``), the form ``omp templates instantiate`` writes.
    """
    if element.id_short is None:
        return None
    if element.allowed_id_short is not None:
        if portable_regex(element.allowed_id_short):
            return f"^(?:{element.allowed_id_short})$"
        return f"^{escape(element.id_short)}.*$"
    if element.has_counter:
        compiled = element.id_short_pattern
        assert compiled is not None
        return "^" + compiled.pattern.replace(r"\d+", "[0-9]+") + "$"
    if element.cardinality.repeatable and not element.id_short_editable:
        return f"^{escape(element.id_short)}[0-9]*$"
    return None


def _description(template: Template, element: TemplateElement) -> str | None:
    if element.description_en:
        return element.description_en
    concept = template.concept_descriptions.get(element.semantic_id or "")
    if not concept:
        return None
    for spec in concept.get("embeddedDataSpecifications") or []:
        content = spec.get("dataSpecificationContent") if isinstance(spec, dict) else None
        if isinstance(content, dict):
            for text in content.get("definition") or []:
                if isinstance(text, dict) and text.get("language", "").startswith("en"):
                    value = text.get("text")
                    return str(value).strip() if value else None
    return None


class _Builder:
    def __init__(self, template: Template, strict: bool) -> None:
        self.template = template
        self.strict = strict
        self.used: set[str] = set()

    def ref(self, name: str) -> dict[str, Any]:
        stack = [name]
        while stack:
            current = stack.pop()
            if current not in self.used:
                self.used.add(current)
                stack.extend(DEF_DEPENDS.get(current, ()))
        return {"$ref": f"#/$defs/{name}"}

    # --- containers ------------------------------------------------------------------------

    def container(self, children: Sequence[TemplateElement]) -> dict[str, Any]:
        kept = [c for c in children if _serialised(c)]
        fixed = [c.id_short for c in kept if not c.arbitrary and c.id_short is not None
                 and key_pattern(c) is None]
        properties: dict[str, Any] = {}
        patterns: dict[str, Any] = {}
        required: list[str] = []
        conditions: list[dict[str, Any]] = []
        present: dict[TemplateElement, dict[str, Any]] = {}
        for child in kept:
            if child.arbitrary or child.id_short is None:
                continue
            schema = self.element(child)
            pattern = key_pattern(child)
            if pattern is None:
                _merge(properties, child.id_short, schema)
                present[child] = {"required": [child.id_short]}
                if child.cardinality.mandatory and child.either_or is None:
                    required.append(child.id_short)
                continue
            pattern = _excluding(pattern, fixed)
            _merge(patterns, pattern, schema)
            present[child] = _at_least_one(child, pattern)
            if child.cardinality.mandatory and child.either_or is None:
                conditions.append(present[child])
        groups: dict[str, list[TemplateElement]] = {}
        for child in kept:
            if child.either_or is not None and child in present:
                groups.setdefault(child.either_or, []).append(child)
        for group, members in groups.items():
            names = ", ".join(m.id_short or "" for m in members)
            conditions.append({"$comment": f"{EITHER_OR_COMMENT} {group}: one of {names}",
                               "anyOf": [present[m] for m in members]})
        out: dict[str, Any] = {"type": "object"}
        if properties:
            out["properties"] = properties
        if patterns:
            out["patternProperties"] = patterns
        if required:
            out["required"] = required
        if conditions:
            out["allOf"] = conditions
        if self.strict:
            shapes = [self.arbitrary(c) for c in kept if c.arbitrary]
            out["additionalProperties"] = {"anyOf": shapes} if shapes else False
        return out

    # --- elements --------------------------------------------------------------------------

    def element(self, element: TemplateElement) -> dict[str, Any]:
        schema = _nullable(element, self._element(element))
        text = _description(self.template, element)
        if text and "$ref" not in schema:
            schema = {"description": text, **schema}
        return schema

    def _element(self, element: TemplateElement) -> dict[str, Any]:
        kind = element.model_type
        if kind == "Property":
            return self.property(element)
        if kind == "MultiLanguageProperty":
            return self.mlp(element)
        if kind == "Range":
            bound = self.value_type(element.value_type)
            return {"type": "object", "properties": {"min": bound, "max": bound},
                    "additionalProperties": False}
        if kind in ("File", "Blob"):
            return self.ref(kind)
        if kind == "ReferenceElement":
            return self.ref("Reference")
        if kind == "RelationshipElement":
            return self.ref("Relationship")
        if kind == "SubmodelElementCollection":
            return self.container(element.children)
        if kind == "SubmodelElementList":
            return self.list(element)
        return self.structured(element)

    def structured(self, element: TemplateElement) -> dict[str, Any]:
        kind = element.model_type
        if kind == "AnnotatedRelationshipElement":
            return {"type": "object",
                    "properties": {"first": self.ref("Reference"),
                                   "second": self.ref("Reference"),
                                   "annotations": self.container(element.children)},
                    "additionalProperties": False}
        if kind == "Entity":
            statements = self.container(element.children)
            out: dict[str, Any] = {
                "type": "object",
                "properties": {
                    "statements": statements,
                    "entityType": {"enum": ["CoManagedEntity", "SelfManagedEntity"]},
                    "globalAssetId": {"type": "string", "minLength": 1},
                    "specificAssetIds": {"type": "array", "minItems": 1,
                                         "items": self.ref("SpecificAssetId")},
                },
                "additionalProperties": False,
            }
            if "required" in statements or "allOf" in statements:
                out["required"] = ["statements"]
            return out
        if kind == "BasicEventElement":
            return {"type": "object", "properties": {"observed": self.ref("Reference")},
                    "additionalProperties": False}
        return {}

    def list(self, element: TemplateElement) -> dict[str, Any]:
        items = [c for c in element.children if _serialised(c)]
        out: dict[str, Any] = {"type": "array"}
        if not items:
            return out
        schemas = [self.element(i) for i in items]
        out["items"] = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
        # Several item templates are told apart by their content: only the count is known.
        least = sum(i.cardinality.min for i in items)
        most = [i.cardinality.max for i in items]
        if least > 0:
            out["minItems"] = least
        if None not in most:
            out["maxItems"] = sum(m for m in most if m is not None)
        return out

    def value_type(self, value_type: str | None) -> dict[str, Any]:
        if value_type is None:
            return {"$comment": f"{VALUE_TYPE_COMMENT}(none)",
                    "type": ["string", "number", "boolean"]}
        out: dict[str, Any] = {"$comment": f"{VALUE_TYPE_COMMENT}{value_type}",
                               "type": json_kind(value_type)}
        low, high = INTEGER_BOUNDS.get(value_type, (None, None))
        if low is not None:
            out["minimum"] = low
        if high is not None:
            out["maximum"] = high
        pattern = LEXICAL_PATTERNS.get(value_type)
        if pattern is not None:
            out["pattern"] = pattern
        return out

    def property(self, element: TemplateElement) -> dict[str, Any]:
        base = self.value_type(element.value_type)
        constraints: list[dict[str, Any]] = []
        allowed = allowed_constraint(element)
        if allowed is not None:
            constraints.append(allowed)
        bounds = range_constraint(element)
        if bounds is not None:
            constraints.append(bounds)
        return {"allOf": [base, *constraints]} if constraints else base

    def mlp(self, element: TemplateElement) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "minItems": 1, "items": self.ref("LangString")}
        needs = [
            {"$comment": f"{REQUIRED_LANG_COMMENT} {lang}",
             "contains": {"type": "object", "minProperties": 1,
                          "propertyNames": {"pattern": lang_pattern(lang)}}}
            for lang in element.required_langs
        ]
        return {"allOf": [out, *needs]} if needs else out

    def arbitrary(self, element: TemplateElement) -> dict[str, Any]:
        """What an element standing for an ``Arbitrary...`` placeholder may look like."""
        kind = element.model_type
        if kind == "Property":
            return {"type": ["string", "number", "boolean"]}
        if kind == "Range":
            return {"type": "object", "properties": {"min": {}, "max": {}},
                    "additionalProperties": False}
        if kind == "SubmodelElementList" and not element.children:
            return {"type": "array"}
        if kind == "SubmodelElementCollection" and not element.children:
            return {"type": "object"}
        return self._element(element)


def _serialised(element: TemplateElement) -> bool:
    if element.model_type in NOT_SERIALISED:
        return False
    return not (element.model_type == "SubmodelElementList"
                and element.type_value_list_element in NOT_SERIALISED)


def _merge(target: dict[str, Any], key: str, schema: dict[str, Any]) -> None:
    """Two template elements for one key (a template defect): either may match."""
    if key in target:
        target[key] = {"anyOf": [target[key], schema]}
    else:
        target[key] = schema


def _excluding(pattern: str, fixed: Sequence[str | None]) -> str:
    """``pattern``, but not matching the fixed idShorts of its siblings."""
    compiled = re.compile(pattern)
    clashing = [name for name in fixed if name is not None and compiled.search(name)]
    if not clashing:
        return pattern
    names = "|".join(escape(name) for name in clashing)
    return f"^(?!(?:{names})$){pattern[1:]}" if pattern.startswith("^") else pattern


def _at_least_one(element: TemplateElement, pattern: str) -> dict[str, Any]:
    return {"$comment": f"{AT_LEAST_ONE_COMMENT} {element.id_short} "
                        f"({element.cardinality.name})",
            "not": {"propertyNames": {"not": {"pattern": pattern}}}}


def _nullable(element: TemplateElement, schema: dict[str, Any]) -> dict[str, Any]:
    """An element that exists without a value is ``null`` (as the check allows it)."""
    if element.model_type in VALUE_ELEMENTS:
        return {"if": {"type": "null"}, "else": schema}
    return schema


def value_only_schema(template: Template, *, strict: bool = False) -> dict[str, Any]:
    """The JSON Schema of ``template``'s value-only payloads.

    Args:
        template: Any submodel template.
        strict: Elements the template does not define are invalid (the check's
            ``--strict-templates``); by default they are allowed.

    Returns:
        The schema (JSON Schema draft 2020-12), deterministic for a template.
    """
    builder = _Builder(template, strict)
    body = builder.container(template.elements)
    version = f" {template.version}" if template.version else ""
    out: dict[str, Any] = {
        "$schema": DIALECT,
        "title": f"{template.name}{version} (value-only)",
    }
    description = template.description_en
    summary = (f"Value-only payloads (IDTA-01001 3.1, Format \"Value\") of the submodel "
               f"template {template.name}{version}, semanticId {template.semantic_id}.")
    out["description"] = f"{summary} {description.strip()}" if description else summary
    out["$comment"] = ("Generated by omp-toolkit (omp schemas export) from the template; "
                       "do not edit.")
    out.update(body)
    if builder.used:
        out["$defs"] = {name: DEFS[name] for name in DEFS if name in builder.used}
    return out
