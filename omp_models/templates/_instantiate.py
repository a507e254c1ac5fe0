"""Turn a template into an instance skeleton that passes its own template check.

``minimal`` keeps the mandatory elements only (and one member of each ``SMT/EitherOr``
group); ``maximal`` keeps every element, and two instances of those that may repeat and
can be told apart (list items, ``{00}`` counters, arbitrary placeholders). The instance is
of kind ``Instance``, without template qualifiers (AASd-129), with counters expanded and
with values taken from the template (``SMT/DefaultValue``, ``SMT/ExampleValue``, the
template's own value, the allowed values) when they fit the value type, else a literal of
the value type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from omp_models.aas._core import AasVersion
from omp_models.templates._model import Template, TemplateElement, Token
from omp_models.templates._qualifiers import is_template_qualifier_type, value_allowed
from omp_models.templates._semantic import reference_from_id
from omp_models.templates._values import default_value, numeric, value_fits

__all__ = ["Instance", "Mode", "instantiate"]

Mode = Literal["minimal", "maximal"]

#: Prefix of the identifiers an instance gets when none is given.
ID_PREFIX = "urn:omp-toolkit:instance:"
_LANG_TEXT = re.compile(r"^(.*)@([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)$", re.DOTALL)
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_COPIED = ("category", "description", "displayName", "semanticId", "supplementalSemanticIds")


@dataclass
class Instance:
    """A generated instance.

    Attributes:
        submodel: The submodel (JSON form).
        origins: For every generated element, its tokens below the submodel and the
            template element it was made from (``()`` is the submodel itself).
        template: The template it was made from.
    """

    submodel: dict[str, Any]
    template: Template
    origins: dict[tuple[Token, ...], TemplateElement | None] = field(default_factory=dict)

    def environment(self) -> dict[str, Any]:
        """The instance as an Environment (JSON form) holding just this submodel."""
        return {"submodels": [self.submodel]}


def _lang_strings(raw: object) -> list[dict[str, str]]:
    """Language strings with one entry per language and valid tags (first wins)."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    if isinstance(raw, list):
        for item in raw:
            if not isinstance(item, Mapping):
                continue
            lang, text = item.get("language"), item.get("text")
            if (isinstance(lang, str) and isinstance(text, str) and text.strip()
                    and _LANG_TAG.match(lang) and lang.casefold() not in seen):
                seen.add(lang.casefold())
                out.append({"language": lang, "text": text})
    return out


class _Generator:
    def __init__(self, template: Template, mode: Mode, version: AasVersion) -> None:
        self.template = template
        self.mode = mode
        self.version = version
        self.origins: dict[tuple[Token, ...], TemplateElement | None] = {(): None}

    # --- values ----------------------------------------------------------------------------

    def _fits(self, element: TemplateElement, value: str, value_type: str | None) -> bool:
        if not value_fits(value, value_type, self.version):
            return False
        if element.allowed_values and not value_allowed(value, element.allowed_values):
            return False
        if element.form_choices and value.strip() not in element.form_choices:
            return False
        if element.allowed_range is not None:
            number = numeric(value, value_type)
            if number is None or not element.allowed_range.contains(number):
                return False
        return True

    def _candidates(self, element: TemplateElement) -> list[str]:
        found: list[str] = []
        if element.default_value is not None:
            found.append(element.default_value)
        found.extend(element.example_values)
        own = element.raw.get("value")
        if isinstance(own, str):
            found.append(own)
        for entry in element.allowed_values:
            found.extend(p.strip() for p in re.split(r";|\s\|\s", entry))
        found.extend(element.form_choices)
        if element.allowed_range is not None:
            for bound in (element.allowed_range.low, element.allowed_range.high):
                if bound is not None:
                    found.append(str(bound))
        return found

    def value(self, element: TemplateElement, value_type: str | None) -> str | None:
        for candidate in self._candidates(element):
            if candidate and self._fits(element, candidate, value_type):
                return candidate
        fallback = default_value(value_type)
        if self._fits(element, fallback, value_type):
            return fallback
        return None

    def _mlp_value(self, element: TemplateElement) -> list[dict[str, str]]:
        strings = _lang_strings(element.raw.get("value"))
        if not strings:
            for example in element.example_values:
                match = _LANG_TEXT.match(example.strip())
                if match and _LANG_TAG.match(match.group(2)):
                    strings = [{"language": match.group(2), "text": match.group(1)}]
                    break
        if not strings:
            text = next((e for e in element.example_values if e.strip()), "example")
            strings = [{"language": "en", "text": text}]
        have = {s["language"].casefold() for s in strings}
        for lang in element.required_langs:
            if lang.casefold() not in have and _LANG_TAG.match(lang):
                strings.append({"language": lang, "text": strings[0]["text"]})
                have.add(lang.casefold())
        return strings

    # --- elements --------------------------------------------------------------------------

    def _common(self, element: TemplateElement, number: int) -> dict[str, Any]:
        raw = element.raw
        out: dict[str, Any] = {}
        id_short = element.instance_id_short(number)
        if id_short is not None:
            out["idShort"] = id_short
        for key in _COPIED:
            value = raw.get(key)
            if key in ("description", "displayName"):
                value = _lang_strings(value) or None
            if value not in (None, [], ""):
                out[key] = value
        if "semanticId" not in out and element.semantic_id is not None:
            out["semanticId"] = reference_from_id(element.semantic_id)
        given = raw.get("qualifiers")
        qualifiers = [q for q in (given if isinstance(given, list) else [])
                      if isinstance(q, Mapping)
                      and not is_template_qualifier_type(q.get("type"))
                      and q.get("kind") != "TemplateQualifier"]
        if qualifiers:
            out["qualifiers"] = qualifiers
        out["modelType"] = element.model_type
        return out

    def element(self, element: TemplateElement, number: int, tokens: tuple[Token, ...]
                ) -> dict[str, Any]:
        self.origins[tokens] = element
        out = self._common(element, number)
        raw = element.raw
        kind = element.model_type
        if kind == "Property":
            value_type = element.value_type or "xs:string"
            out["valueType"] = value_type
            value = self.value(element, value_type)
            if value is not None:
                out["value"] = value
        elif kind == "MultiLanguageProperty":
            out["value"] = self._mlp_value(element)
        elif kind == "Range":
            value_type = element.value_type or "xs:string"
            out["valueType"] = value_type
            for bound in ("min", "max"):
                if value_fits(raw.get(bound), value_type, self.version):
                    out[bound] = raw[bound]
        elif kind in ("File", "Blob"):
            out["contentType"] = element.content_type or "application/octet-stream"
            value = raw.get("value")
            if kind == "File" and isinstance(value, str) and value:
                out["value"] = value
            elif kind == "File" and element.example_values:
                out["value"] = element.example_values[0]
        elif kind == "ReferenceElement":
            if isinstance(raw.get("value"), Mapping):
                out["value"] = raw["value"]
        elif kind in ("RelationshipElement", "AnnotatedRelationshipElement"):
            for end in ("first", "second"):
                ref = raw.get(end)
                out[end] = ref if isinstance(ref, Mapping) else reference_from_id(
                    f"{ID_PREFIX}{end}")
        elif kind == "Entity":
            out["entityType"] = element.entity_type or "CoManagedEntity"
            if out["entityType"] == "SelfManagedEntity":
                asset = raw.get("globalAssetId")
                if isinstance(asset, str) and asset:
                    out["globalAssetId"] = asset
                elif raw.get("specificAssetIds"):
                    out["specificAssetIds"] = raw["specificAssetIds"]
                else:
                    out["globalAssetId"] = f"{ID_PREFIX}asset"
        elif kind == "BasicEventElement":
            for key, default in (("observed", None), ("direction", "output"),
                                 ("state", "off")):
                value = raw.get(key)
                if value is not None:
                    out[key] = value
                elif default is not None:
                    out[key] = default
            if "observed" not in out:
                out["observed"] = {"type": "ModelReference",
                                   "keys": [{"type": "Submodel", "value": f"{ID_PREFIX}sm"}]}
        elif kind == "SubmodelElementList":
            for key in ("orderRelevant", "semanticIdListElement", "typeValueListElement",
                        "valueTypeListElement"):
                if raw.get(key) is not None:
                    out[key] = raw[key]
            out.setdefault("typeValueListElement",
                           element.children[0].model_type if element.children
                           else "SubmodelElement")
        self._children(element, out, tokens)
        return out

    def counts(self, element: TemplateElement, siblings: int = 1) -> int:
        card = element.cardinality
        if self.mode == "minimal":
            return card.min
        wanted = max(card.min, 1)
        repeatable = card.max is None or card.max > 1
        # Items of a list with several template elements are told apart by position.
        distinguishable = (element.in_list and siblings == 1) or element.has_counter or (
            element.arbitrary)
        if repeatable and distinguishable:
            wanted = max(wanted, 2)
        if card.max is not None:
            wanted = min(wanted, card.max)
        return wanted

    def _children(self, element: TemplateElement | None, out: dict[str, Any],
                  tokens: tuple[Token, ...]) -> None:
        children = self.template.elements if element is None else element.children
        if not children:
            return
        plan = self._plan(children)
        by_container: dict[str, list[dict[str, Any]]] = {}
        variables = ("inputVariables", "outputVariables", "inoutputVariables")
        for child in children:
            for number in range(1, plan[child] + 1):
                items = by_container.setdefault(child.container, [])
                if child.container in variables:
                    here: tuple[Token, ...] = (*tokens, child.container, len(items), "value")
                    items.append({"value": self.element(child, number, here)})
                else:
                    here = (*tokens, child.container, len(items))
                    items.append(self.element(child, number, here))
        for container, items in by_container.items():
            out[container] = items

    def _plan(self, children: tuple[TemplateElement, ...]) -> dict[TemplateElement, int]:
        plan = {child: self.counts(child, len(children)) for child in children}
        if self.mode == "minimal":
            groups: dict[tuple[str, str], list[TemplateElement]] = {}
            for child in children:
                if child.either_or is not None:
                    groups.setdefault((child.container, child.either_or), []).append(child)
            for members in groups.values():
                if not any(plan[m] for m in members):
                    plan[members[0]] = 1
        return plan


def instantiate(template: Template, mode: Mode = "minimal", *, id: str | None = None,
                id_short: str | None = None, version: AasVersion | None = None) -> Instance:
    """Generate an instance of ``template``.

    Args:
        template: The template.
        mode: ``minimal`` (mandatory elements only) or ``maximal`` (every element).
        id: The submodel's id (default: derived from the template's id).
        id_short: The submodel's idShort (default: the template's).
        version: The metamodel version whose value rules apply (default: the template's,
            else 3.1).

    Returns:
        The instance, and where each element came from.
    """
    generator = _Generator(template, mode, version or template.aas_version or "3.1")
    raw = template.raw
    submodel: dict[str, Any] = {}
    chosen_id_short = id_short or template.id_short
    if chosen_id_short:
        submodel["idShort"] = chosen_id_short
    for key in ("description", "displayName"):
        strings = _lang_strings(raw.get(key))
        if strings:
            submodel[key] = strings
    if template.id is not None:
        submodel["administration"] = {"templateId": template.id}
    submodel["id"] = id or f"{ID_PREFIX}{chosen_id_short or 'submodel'}"
    submodel["kind"] = "Instance"
    if isinstance(raw.get("semanticId"), Mapping):
        submodel["semanticId"] = raw["semanticId"]
    elif template.semantic_id is not None:
        submodel["semanticId"] = reference_from_id(template.semantic_id)
    submodel["modelType"] = "Submodel"
    generator._children(None, submodel, ())
    return Instance(submodel, template, generator.origins)
