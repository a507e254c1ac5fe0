"""Apply a compiled mapping to a payload: submodels in the AAS JSON form, and the report.

Problems with values are located in the payload (with the mapping rule named in the
message); what a rule did many times (conversions, missing values, renamed idShorts) is
counted and reported once per rule, located at the rule in the mapping file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omp_models.formats._aasjson import (
    NUMERIC_TYPES,
    Names,
    UnitInfo,
    common_semantic_id,
    data_specification,
    decimal_comma,
    global_reference,
    lang_strings,
    reference_from_text,
    value_ok,
)
from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.mapping._convert import format_number, transform
from omp_models.formats.mapping._payload import Payload
from omp_models.formats.mapping._select import Match, Selector
from omp_models.formats.mapping._spec import Mapping, Rule, SubmodelRule, Template, YamlPath
from omp_models.formats.mapping._summary import (
    MAX_ERRORS_PER_RULE,
    Stats,
    collect_rules,
    summarise,
)
from omp_models.ids import derive_id
from omp_models.units import units

__all__ = ["Builder"]

#: Most forEach items one conversion makes (a guard against runaway nesting).
MAX_ITEMS = 1_000_000
_DATA = frozenset({"Property", "MultiLanguageProperty", "Range", "File", "ReferenceElement"})


class _Skip(Exception):
    """A value could not be used (already reported)."""


@dataclass
class _Ctx:
    item: Match | None = None
    index: int | None = None


class Builder:
    """Builds the environment one mapping makes from one payload."""

    def __init__(self, mapping: Mapping, payload: Payload, payload_name: str,
                 options: ConvertOptions, report: ConversionReport) -> None:
        self.mapping = mapping
        self.payload = payload
        self.payload_name = payload_name
        self.options = options
        self.report = report
        self.decimal_comma = bool(mapping.source.get("decimalComma", False))
        self.stats: dict[YamlPath, Stats] = {}
        self.items = 0

    # -- locating ----------------------------------------------------------------------

    def _at_rule(self, code: Code, severity: IssueSeverity, message: str, where: YamlPath,
                 *, key: bool = False, target: str | None = None) -> None:
        line, column = self.mapping.located.at(where, key=key)
        self.report.add(code, severity, message, source="/" + "/".join(map(str, where)),
                        target=target, file=self.mapping.file, line=line, column=column)

    def _rule_ref(self, rule: Rule) -> str:
        line, _ = self.mapping.located.at(rule.where)
        return f"{self.mapping.file}:{line}"

    def _at_value(self, rule: Rule, message: str, tokens: tuple[str | int, ...] | None,
                  code: Code = Code.VALUE_UNCONVERTIBLE) -> None:
        stats = self._stats(rule)
        stats.errors += 1
        if stats.errors > MAX_ERRORS_PER_RULE:
            return
        if tokens is None:
            self._at_rule(code, IssueSeverity.ERROR, message, rule.where, target=stats.target)
            return
        source, line, column = self.payload.locate(tokens)
        self.report.add(code, IssueSeverity.ERROR,
                        f"{message} (mapping rule at {self._rule_ref(rule)})", source=source,
                        target=stats.target, file=self.payload_name, line=line, column=column)

    def _stats(self, rule: Rule) -> Stats:
        return self.stats.setdefault(rule.where, Stats())

    # -- environment -------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """The environment's JSON form."""
        submodels = [self._submodel(rule) for rule in self.mapping.submodels]
        seen: dict[str, str] = {}
        for rule, sm in zip(self.mapping.submodels, submodels, strict=True):
            if sm["id"] in seen:
                self._at_rule(Code.DUPLICATE, IssueSeverity.ERROR,
                              f"the submodel id {sm['id']!r} is also the id of "
                              f"{seen[sm['id']]!r}", (*rule.where, "id"))
            seen.setdefault(sm["id"], rule.id_short)
        self._summaries()
        env: dict[str, Any] = {"submodels": submodels}
        if self.mapping.shell is not None:
            env["assetAdministrationShells"] = [self._shell(submodels)]
        return env

    def _render(self, template: Template, ctx: _Ctx, where: YamlPath, *,
                optional: bool = False) -> str | None:
        """The template's text; ``None`` (an error unless ``optional``) if a part is missing."""
        out: list[str] = []
        for part in template.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, int):
                out.append(str(ctx.index or 0).zfill(part))
            else:
                found = part.find(self.payload.root, ctx.item)
                if len(found) != 1 or isinstance(found[0].value, dict | list) or (
                        found[0].value is None):
                    if optional and (not found or found[0].value is None):
                        return None
                    what = "no value" if not found or found[0].value is None else (
                        f"{len(found)} values" if len(found) != 1 else "no single value")
                    self._at_rule(Code.INVALID_INPUT, IssueSeverity.ERROR,
                                  f"{part.text!r} in {template.text!r} found {what} in the "
                                  "payload", where)
                    return None
                out.append(_scalar_text(found[0].value))
        return "".join(out)

    def _texts(self, texts: dict[str, Template], ctx: _Ctx, where: YamlPath
               ) -> list[dict[str, str]]:
        rendered = {lang: self._render(tpl, ctx, (*where, lang), optional=True)
                    for lang, tpl in texts.items()}
        return lang_strings({k: v for k, v in rendered.items() if v})

    def _identifier(self, template: Template | None, where: YamlPath, *parts: str) -> str:
        if template is not None:
            rendered = self._render(template, _Ctx(), where)
            return rendered or "urn:invalid"
        derived = derive_id(self.options.base_iri, "mapping", self.mapping.name, *parts)
        self._at_rule(Code.ID_DERIVED, IssueSeverity.INFO,
                      f"no id in the mapping: derived {derived!r} (the same for every payload; "
                      "use a template like urn:acme:{$.serial} to tell payloads apart)", where,
                      target=derived)
        return derived

    def _shell(self, submodels: list[dict[str, Any]]) -> dict[str, Any]:
        spec = self.mapping.shell
        assert spec is not None
        shell_id = self._identifier(self.mapping.shell_id, ("shell", "id"), "shell",
                                    spec["idShort"])
        asset = self._identifier(self.mapping.shell_asset, ("shell", "globalAssetId"), "asset",
                                 spec["idShort"])
        return {
            "modelType": "AssetAdministrationShell", "id": shell_id, "idShort": spec["idShort"],
            "assetInformation": {"assetKind": spec.get("assetKind", "Instance"),
                                 "globalAssetId": asset},
            "submodels": [{"type": "ModelReference",
                           "keys": [{"type": "Submodel", "value": sm["id"]}]}
                          for sm in submodels],
        }

    def _submodel(self, rule: SubmodelRule) -> dict[str, Any]:
        sm: dict[str, Any] = {"modelType": "Submodel", "idShort": rule.id_short}
        sm["id"] = self._identifier(rule.id, (*rule.where, "id"), rule.id_short)
        if rule.semantic is not None:
            text = self._render(rule.semantic, _Ctx(), (*rule.where, "semanticId"))
            if text:
                sm["semanticId"] = reference_from_text(text)
        for key, texts in (("description", rule.description),
                           ("displayName", rule.display_name)):
            if rendered := self._texts(texts, _Ctx(), (*rule.where, key)):
                sm[key] = rendered
        self._children(rule.elements, sm, "submodelElements", _Ctx(), rule.id_short)
        if rule.template:
            self.report.meta.setdefault("templates", []).append(rule.template)
        return sm

    # -- elements ----------------------------------------------------------------------

    def _children(self, rules: list[Rule], container: dict[str, Any], key: str, ctx: _Ctx,
                  label: str) -> None:
        index: dict[tuple[str, ...], dict[str, Any]] = {}
        implicit: set[tuple[str, ...]] = set()
        for rule in rules:
            parent, parent_key = container, key
            for n in range(1, len(rule.path)):
                prefix = rule.path[:n]
                if prefix not in index:
                    made = {"modelType": "SubmodelElementCollection", "idShort": prefix[-1]}
                    parent.setdefault(parent_key, []).append(made)
                    index[prefix] = made
                    implicit.add(prefix)
                parent, parent_key = index[prefix], "value"
            target = f"{label}.{'.'.join(rule.path)}"
            self._stats(rule).target = target
            existing = index.get(rule.path)
            if existing is not None and rule.path in implicit:
                implicit.discard(rule.path)
                self._fill(rule, existing, ctx, target)
                continue
            element = {"idShort": rule.path[-1]}
            if self._fill(rule, element, ctx, target):
                parent.setdefault(parent_key, []).append(element)
                index[rule.path] = element

    def _fill(self, rule: Rule, element: dict[str, Any], ctx: _Ctx, target: str) -> bool:
        """Fill ``element`` (which may already hold an idShort and children) from ``rule``."""
        element["modelType"] = rule.kind
        try:
            getattr(self, "_" + rule.kind)(rule, element, ctx, target)
        except _Skip:
            return False
        self._common(rule, element, ctx)
        return True

    def _common(self, rule: Rule, element: dict[str, Any], ctx: _Ctx) -> None:
        text = self._render(rule.semantic, ctx, (*rule.where, "semanticId"), optional=True
                            ) if rule.semantic is not None else None
        if text:
            try:
                element["semanticId"] = reference_from_text(text)
            except ValueError as exc:
                self._at_value(rule, f"the semanticId {text!r} is not a reference: {exc}",
                               None)
                raise _Skip from exc
        elif rule.kind in _DATA:
            self._stats(rule).no_semantic = True
        names: dict[str, str] = {}
        for key, texts in (("description", rule.description),
                           ("displayName", rule.display_name)):
            if rendered := self._texts(texts, ctx, (*rule.where, key)):
                element[key] = rendered
                if key == "displayName":
                    names = {t["language"]: t["text"] for t in rendered}
        unit = rule.unit or self._unit(rule, ctx)
        if unit is not None:
            name = str(element.get("idShort") or (rule.path[-1] if rule.path else "item"))
            element["embeddedDataSpecifications"] = [data_specification(
                {"en": name, **names}, unit, rule.value_type)]

    def _unit(self, rule: Rule, ctx: _Ctx) -> UnitInfo | None:
        if rule.unit_template is None:
            return None
        text = self._render(rule.unit_template, ctx, (*rule.where, "unit"), optional=True)
        if not text:
            return None
        registry = units()
        by_code = registry.by_code(text) if text.strip().upper() == text.strip() else None
        found = by_code or registry.lookup(text)
        if found is None:
            tokens = ctx.item.tokens if ctx.item else None
            self._at_value(rule, f"the unit {text!r} is not in the unit registry", tokens,
                           Code.UNIT_UNRESOLVED)
            raise _Skip
        return UnitInfo(found.symbol if by_code else text, found.code,
                        global_reference(found.unece_iri))

    def _Property(self, rule: Rule, element: dict[str, Any], ctx: _Ctx, target: str) -> None:
        assert rule.value_type is not None
        element["valueType"] = rule.value_type
        text = self._value(rule, ctx, rule.value_type)
        if text is not None:
            element["value"] = text

    def _MultiLanguageProperty(self, rule: Rule, element: dict[str, Any], ctx: _Ctx,
                               target: str) -> None:
        if isinstance(rule.const, dict):
            if rendered := self._texts(rule.const, ctx, (*rule.where, "value")):
                element["value"] = rendered
            return
        text = self._value(rule, ctx, "xs:string")
        if text:
            element["value"] = lang_strings({rule.lang: text})

    def _Range(self, rule: Rule, element: dict[str, Any], ctx: _Ctx, target: str) -> None:
        assert rule.value_type is not None
        element["valueType"] = rule.value_type
        for key, selector in (("min", rule.low), ("max", rule.high)):
            if selector is not None:
                text = self._lexical(rule, self._one(rule, selector, ctx), rule.value_type)
                if text is not None:
                    element[key] = text

    def _File(self, rule: Rule, element: dict[str, Any], ctx: _Ctx, target: str) -> None:
        if rule.content_type:
            element["contentType"] = rule.content_type
        elif self.options.aas_version == "3.0":
            element["contentType"] = "application/octet-stream"
        text = self._value(rule, ctx, "xs:string")
        if text:
            element["value"] = text

    def _ReferenceElement(self, rule: Rule, element: dict[str, Any], ctx: _Ctx,
                          target: str) -> None:
        text = self._value(rule, ctx, "xs:string")
        if text:
            try:
                element["value"] = reference_from_text(text)
            except ValueError as exc:
                self._at_value(rule, f"{text!r} is not a reference: {exc}", None)
                raise _Skip from exc

    def _SubmodelElementCollection(self, rule: Rule, element: dict[str, Any], ctx: _Ctx,
                                   target: str) -> None:
        self._children(rule.children, element, "value", ctx, target)
        if rule.for_each is not None:
            self._items(rule, element, ctx, target)

    def _SubmodelElementList(self, rule: Rule, element: dict[str, Any], ctx: _Ctx,
                             target: str) -> None:
        assert rule.item is not None
        element["typeValueListElement"] = rule.item.kind
        if rule.item.kind in ("Property", "Range") and rule.item.value_type:
            element["valueTypeListElement"] = rule.item.value_type
        self._items(rule, element, ctx, target)
        shared = common_semantic_id(element.get("value", []))
        if shared is not None:
            element["semanticIdListElement"] = shared

    def _items(self, rule: Rule, element: dict[str, Any], ctx: _Ctx, target: str) -> None:
        assert rule.for_each is not None and rule.item is not None
        item_rule = rule.item
        names = Names(self.options.aas_version)
        for used in element.get("value", []):
            names.allocate(str(used.get("idShort", "")))
        for i, match in enumerate(rule.for_each.find(self.payload.root, ctx.item)):
            self.items += 1
            if self.items > MAX_ITEMS:
                if self.items == MAX_ITEMS + 1:
                    self._at_rule(Code.INVALID_INPUT, IssueSeverity.ERROR,
                                  f"the mapping makes more than {MAX_ITEMS} forEach items "
                                  "(nested forEach over large arrays?); stopped", rule.where)
                raise _Skip
            item_ctx = _Ctx(match, i)
            item: dict[str, Any] = {}
            if item_rule.id_short is not None:
                wanted = self._render(item_rule.id_short, item_ctx,
                                      (*item_rule.where, "idShort"))
                if wanted is None:
                    continue
                item["idShort"], renamed = names.allocate(wanted)
                if renamed:
                    self._stats(item_rule).renamed.append((wanted, item["idShort"]))
            label = f"{target}[]" if rule.kind == "SubmodelElementList" else (
                f"{target}.{item_rule.id_short.text if item_rule.id_short else ''}")
            self._stats(item_rule).target = label
            if self._fill(item_rule, item, item_ctx, label):
                element.setdefault("value", []).append(item)

    # -- values ------------------------------------------------------------------------

    def _one(self, rule: Rule, selector: Selector, ctx: _Ctx) -> Match | None:
        stats = self._stats(rule)
        stats.seen += 1
        found = selector.find(self.payload.root, ctx.item)
        if len(found) > 1:
            self._at_value(rule, f"{selector.text!r} found {len(found)} values where one is "
                           "expected (use forEach for repeated values)", found[1].tokens)
            raise _Skip
        if not found or found[0].value is None:
            if rule.required:
                where = found[0].tokens if found else (ctx.item.tokens if ctx.item else None)
                self._at_value(rule, f"the required value {selector.text!r} is missing",
                               where, Code.INVALID_INPUT)
                raise _Skip
            stats.missing += 1
            return None
        return found[0]

    def _value(self, rule: Rule, ctx: _Ctx, value_type: str) -> str | None:
        if isinstance(rule.const, Template):
            text = self._render(rule.const, ctx, (*rule.where, "value"))
            if text is None:
                raise _Skip
            return self._lexical(rule, Match(text, ()), value_type, constant=True)
        if rule.const is not None:
            return self._lexical(rule, Match(rule.const, ()), value_type, constant=True)
        if rule.count is not None:
            return str(len(rule.count.find(self.payload.root, ctx.item)))
        if rule.source is None:
            return None
        return self._lexical(rule, self._one(rule, rule.source, ctx), value_type)

    def _lexical(self, rule: Rule, match: Match | None, value_type: str,
                 constant: bool = False) -> str | None:
        if match is None:
            return None
        stats = self._stats(rule)
        tokens = None if constant else match.tokens
        value = match.value
        if isinstance(value, dict | list):
            self._at_value(rule, "found a structure where a single value is expected", tokens)
            raise _Skip
        if rule.lookup is not None and not constant:
            key = _scalar_text(value)
            if key not in rule.lookup:
                self._at_value(rule, f"{key!r} is not in the rule's map", tokens)
                raise _Skip
            value = rule.lookup[key]
            stats.mapped += 1
        if rule.transform and not constant:
            try:
                value, changed = transform(rule.transform, value)
            except ValueError as exc:
                self._at_value(rule, f"{rule.transform}: {exc}", tokens)
                raise _Skip from exc
            stats.transformed += 1
            stats.changed += int(changed)
        if rule.convert is not None and not constant:
            number = self._number(rule, value, tokens)
            value = rule.convert.apply(number)
            stats.converted += 1
        return self._check(rule, value, value_type, tokens)

    def _number(self, rule: Rule, value: Any, tokens: tuple[str | int, ...] | None) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            text = value.strip()
            if self.decimal_comma and (converted := decimal_comma(text)[0]) is not None:
                self._stats(rule).commas += 1
                text = converted
            try:
                return float(text)
            except ValueError:
                pass
        self._at_value(rule, f"{value!r} is not a number (convert needs one)", tokens)
        raise _Skip

    def _check(self, rule: Rule, value: Any, value_type: str,
               tokens: tuple[str | int, ...] | None) -> str:
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            found = format_number(float(value), value_type) if isinstance(value, float) else (
                str(value))
            if found is None:
                self._at_value(rule, f"{value!r} does not fit {value_type} (transform: round "
                               "rounds it)", tokens)
                raise _Skip
            text = found
        else:
            text = str(value)
        if value_type != "xs:string":
            text = text.strip()
        if value_ok(text, value_type):
            return text
        if self.decimal_comma and value_type in NUMERIC_TYPES:
            converted = decimal_comma(text)[0]
            if converted is not None and value_ok(converted, value_type):
                self._stats(rule).commas += 1
                return converted
        self._at_value(rule, f"{text!r} is not a valid {value_type}", tokens)
        raise _Skip

    def _summaries(self) -> None:
        rules: dict[YamlPath, Rule] = {}
        for sm in self.mapping.submodels:
            collect_rules(sm.elements, rules)
        order = sorted(self.stats.items(), key=lambda kv: self.mapping.located.at(kv[0]))
        for where, stats in order:
            if where in rules:
                summarise(rules[where], stats, self._at_rule)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value, "xs:double") or repr(value)
    return str(value)
