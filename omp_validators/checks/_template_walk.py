"""The walk behind the template conformance check: one submodel against one template."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from omp_models.diagnostics import Finding, Severity, Where
from omp_models.templates import (
    ChildIndex,
    ChildMatch,
    Template,
    TemplateElement,
    is_template_qualifier_type,
    match_children,
    near_miss,
    semantic_id_of,
    value_allowed,
)
from omp_models.templates._values import numeric

__all__ = ["Walk"]

Token = str | int
PathOf = Callable[[list[Token]], str]

_OPERATION_VARIABLES = ("inputVariables", "outputVariables", "inoutputVariables")
_CONTAINERS: dict[str, tuple[str, ...]] = {
    "Submodel": ("submodelElements",),
    "SubmodelElementCollection": ("value",),
    "SubmodelElementList": ("value",),
    "Entity": ("statements",),
    "AnnotatedRelationshipElement": ("annotations",),
    "Operation": _OPERATION_VARIABLES,
}


def _items(instance: Mapping[str, Any], container: str, tokens: list[Token]
           ) -> list[tuple[Mapping[str, Any], list[Token]]]:
    values = instance.get(container)
    out: list[tuple[Mapping[str, Any], list[Token]]] = []
    if not isinstance(values, list):
        return out
    for i, value in enumerate(values):
        if container in _OPERATION_VARIABLES:
            value = value.get("value") if isinstance(value, dict) else None
            here = [*tokens, container, i, "value"]
        else:
            here = [*tokens, container, i]
        if isinstance(value, dict):
            out.append((value, here))
    return out


def _name(element: TemplateElement) -> str:
    return f"{element.model_type} {element.display_path!r}"


def _bounds(element: TemplateElement) -> str:
    card = element.cardinality
    high = "many" if card.max is None else str(card.max)
    return f"{card.name} ({card.min}..{high})"


@dataclass
class Walk:
    """Check one submodel against one template, collecting findings.

    Attributes:
        template: The template.
        where: The document's file (and AASX part).
        path_of: Renders tokens as a JSON Pointer or XML path.
        strict: Unexpected elements are errors (``--strict-templates``).
    """

    template: Template
    where: Where
    path_of: PathOf
    strict: bool = False
    findings: list[Finding] = field(default_factory=list)

    def _add(self, rule: str, message: str, tokens: list[Token],
             severity: Severity = Severity.ERROR) -> None:
        self.findings.append(self.where.finding(rule, message, self.path_of(tokens), severity))

    # --- one element -----------------------------------------------------------------------

    def _qualifiers(self, instance: Mapping[str, Any], tokens: list[Token]) -> None:
        qualifiers = instance.get("qualifiers")
        if not isinstance(qualifiers, list):
            return
        for i, qualifier in enumerate(qualifiers):
            if not isinstance(qualifier, dict):
                continue
            qtype = qualifier.get("type")
            if is_template_qualifier_type(qtype) and qualifier.get("kind") != "TemplateQualifier":
                self._add("smt/template-qualifier",
                          f"The template qualifier {qtype!r} was left in the instance.",
                          [*tokens, "qualifiers", i], Severity.WARNING)

    def _semantic_id(self, element: TemplateElement, instance: Mapping[str, Any],
                     match: ChildMatch, tokens: list[Token]) -> None:
        expected = element.semantic_id
        if expected is None or element.arbitrary:
            return
        if match.by == "near-semantic-id":
            actual = semantic_id_of(instance.get("semanticId"))
            self._add("smt/semantic-id-near-miss",
                      f"The semanticId {actual!r} nearly matches the template's {expected!r} "
                      f"({match.near}).", [*tokens, "semanticId"], Severity.WARNING)
            return
        if match.by not in ("id-short", "list-item"):
            return
        actual = semantic_id_of(instance.get("semanticId"))
        if actual == expected:
            return
        reason = near_miss(actual, expected) if actual is not None else None
        if reason is not None:
            self._add("smt/semantic-id-near-miss",
                      f"The semanticId {actual!r} nearly matches the template's {expected!r} "
                      f"({reason}).", [*tokens, "semanticId"], Severity.WARNING)
        elif actual is None:
            self._add("smt/semantic-id",
                      f"{_name(element)} has no semanticId; the template's is {expected!r}.",
                      tokens)
        else:
            self._add("smt/semantic-id",
                      f"The semanticId {actual!r} is not the template's {expected!r} for "
                      f"{_name(element)}.", [*tokens, "semanticId"])

    def _id_short(self, element: TemplateElement, instance: Mapping[str, Any],
                  match: ChildMatch, tokens: list[Token]) -> None:
        id_short = instance.get("idShort")
        if not isinstance(id_short, str) or element.in_list or element.arbitrary:
            return
        if element.id_short_pattern is not None and element.allowed_id_short is not None:
            if not element.accepts_id_short(id_short):
                self._add("smt/id-short",
                          f"The idShort {id_short!r} does not match the template's pattern "
                          f"{element.allowed_id_short!r}.", [*tokens, "idShort"],
                          Severity.WARNING)
            return
        if match.by in ("semantic-id", "near-semantic-id") and element.fixed_id_short and (
                id_short != element.id_short):
            self._add("smt/id-short",
                      f"The idShort {id_short!r} is not the template's {element.id_short!r}.",
                      [*tokens, "idShort"], Severity.WARNING)

    def _value(self, element: TemplateElement, instance: Mapping[str, Any],
               tokens: list[Token]) -> None:
        model_type = element.model_type
        if model_type in ("Property", "Range") and element.value_type is not None:
            actual = instance.get("valueType")
            if actual != element.value_type:
                self._add("smt/value-type",
                          f"The valueType is {actual!r}; the template's is "
                          f"{element.value_type!r}.", [*tokens, "valueType"])
        value = instance.get("value")
        if model_type == "Property" and isinstance(value, str) and value != "":
            if element.allowed_values and not value_allowed(value, element.allowed_values):
                allowed = "; ".join(element.allowed_values)
                self._add("smt/allowed-value",
                          f"The value {value!r} is not allowed (SMT/AllowedValue {allowed!r}).",
                          [*tokens, "value"])
            elif element.form_choices and value.strip() not in element.form_choices:
                self._add("smt/allowed-value",
                          f"The value {value!r} is not one of the choices "
                          f"{'; '.join(element.form_choices)!r}.", [*tokens, "value"])
            if element.allowed_range is not None:
                number = numeric(value, element.value_type or instance.get("valueType"))
                if number is not None and not element.allowed_range.contains(number):
                    self._add("smt/allowed-range",
                              f"The value {value!r} is outside the allowed range "
                              f"{element.allowed_range.text!r}.", [*tokens, "value"])
        if model_type == "MultiLanguageProperty" and element.required_langs:
            langs = {s["language"].casefold() for s in value if isinstance(s, dict)
                     and isinstance(s.get("language"), str)} if isinstance(value, list) else set()
            missing = [lang for lang in element.required_langs if lang.casefold() not in langs
                       and not any(x.startswith(lang.casefold() + "-") for x in langs)]
            if missing:
                self._add("smt/required-lang",
                          f"The value has no text in {', '.join(missing)} (SMT/RequiredLang).",
                          [*tokens, "value"] if "value" in instance else tokens)
        if model_type == "SubmodelElementList":
            self._list(element, instance, tokens)

    def _list(self, element: TemplateElement, instance: Mapping[str, Any],
              tokens: list[Token]) -> None:
        checks = (
            ("typeValueListElement", element.type_value_list_element,
             instance.get("typeValueListElement")),
            ("valueTypeListElement", element.value_type_list_element,
             instance.get("valueTypeListElement")),
            ("semanticIdListElement", element.semantic_id_list_element,
             semantic_id_of(instance.get("semanticIdListElement"))),
        )
        for attribute, expected, actual in checks:
            if expected is not None and actual != expected:
                here = [*tokens, attribute] if attribute in instance else tokens
                self._add("smt/list-element",
                          f"The list's {attribute} is {actual!r}; the template's is "
                          f"{expected!r}.", here)

    def element(self, element: TemplateElement, instance: Mapping[str, Any],
                match: ChildMatch, tokens: list[Token]) -> None:
        """Check an instance element against the template element it stands for."""
        if instance.get("modelType") != element.model_type:
            self._add("smt/model-type",
                      f"The element is a {instance.get('modelType')}; the template's "
                      f"{element.display_path!r} is a {element.model_type}.", tokens)
            return
        self._qualifiers(instance, tokens)
        self._semantic_id(element, instance, match, tokens)
        self._id_short(element, instance, match, tokens)
        if match.by != "arbitrary":
            self._value(element, instance, tokens)
        if element.children:
            self.children(element.index, instance, tokens, element)

    def submodel(self, instance: Mapping[str, Any], tokens: list[Token]) -> None:
        """Check a submodel: its own qualifiers, then its elements."""
        self._qualifiers(instance, tokens)
        self.children(self.template.index, instance, tokens, None)

    # --- children --------------------------------------------------------------------------

    def children(self, index: ChildIndex, instance: Mapping[str, Any], tokens: list[Token],
                 parent: TemplateElement | None) -> None:
        """Match an element's (or the submodel's) children and check each, and the counts."""
        model_type = "Submodel" if parent is None else parent.model_type
        in_list = model_type == "SubmodelElementList"
        for container in _CONTAINERS.get(model_type, ()):
            items = _items(instance, container, tokens)
            matches = match_children(index, container, [i for i, _ in items], in_list=in_list)
            counts: dict[TemplateElement, list[list[Token]]] = {}
            for (child, here), match in zip(items, matches, strict=True):
                if match.element is None:
                    self._unexpected(child, here, parent)
                    continue
                counts.setdefault(match.element, []).append(here)
                self.element(match.element, child, match, here)
            self._counts(index, container, counts, tokens, parent)

    def _unexpected(self, child: Mapping[str, Any], tokens: list[Token],
                    parent: TemplateElement | None) -> None:
        where = self.template.name if parent is None else repr(parent.display_path)
        semantic_id = semantic_id_of(child.get("semanticId"))
        self._add("smt/unexpected-element",
                  f"{child.get('modelType')} {child.get('idShort')!r} (semanticId "
                  f"{semantic_id or 'none'}) is not defined in {where} by the template.",
                  tokens, Severity.ERROR if self.strict else Severity.WARNING)

    def _counts(self, index: ChildIndex, container: str,
                counts: Mapping[TemplateElement, list[list[Token]]], tokens: list[Token],
                parent: TemplateElement | None) -> None:
        where = "the submodel" if parent is None else repr(parent.display_path)
        for element in index.group(container):
            found = counts.get(element, [])
            card = element.cardinality
            low = 0 if element.either_or is not None else card.min
            if not found and low > 0:
                self._add("smt/missing-element",
                          f"{_name(element)} (semanticId {element.semantic_id or 'none'}) is "
                          f"missing in {where}; the template requires {_bounds(element)}.",
                          tokens)
            elif len(found) < low:
                self._add("smt/cardinality",
                          f"{len(found)} instance(s) of {_name(element)}; the template "
                          f"requires {_bounds(element)}.", tokens)
            elif card.max is not None and len(found) > card.max:
                self._add("smt/cardinality",
                          f"{len(found)} instances of {_name(element)}; the template allows "
                          f"{_bounds(element)}.", found[card.max])
        for (group_container, group), members in index.either_or.items():
            if group_container == container and not any(counts.get(m) for m in members):
                names = ", ".join(repr(m.id_short or m.display_path) for m in members)
                self._add("smt/either-or",
                          f"None of {names} is present in {where}; the template requires at "
                          f"least one of them (SMT/EitherOr {group!r}).", tokens)
