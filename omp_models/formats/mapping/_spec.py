"""Mapping files: read (with positions), check against the JSON Schema, compile into rules.

Every problem is located in the mapping file itself (line and column of the offending
value or key) and stops the conversion before the payload is touched.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from omp_models.formats._aasjson import UnitInfo, global_reference
from omp_models.formats.mapping._convert import Conversion, linear
from omp_models.formats.mapping._select import Selector, SelectorError, parse_selector
from omp_models.formats.mapping._yaml import Located
from omp_models.units import units

__all__ = ["Mapping", "MappingError", "Rule", "SubmodelRule", "Template", "compile_mapping",
           "mapping_schema", "schema_errors"]

YamlPath = tuple[str | int, ...]


@dataclass
class MappingError:
    """One problem in a mapping file."""

    message: str
    where: YamlPath
    key: bool = False


@cache
def mapping_schema() -> dict[str, Any]:
    """The JSON Schema of mapping files (package data ``mapping.schema.json``)."""
    text = resources.files(__package__).joinpath("mapping.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _known_keys() -> dict[str, frozenset[str]]:
    defs = mapping_schema()["$defs"]
    body = set(defs["elementBody"]["properties"])
    return {"element": frozenset(body | set(defs["element"]["properties"])),
            "item": frozenset(body | set(defs["item"]["properties"]))}


_IDSHORT_HINT = ("idShorts start with a letter, then letters, digits or _, at least two "
                 "characters; a path joins them with dots")


def _message(error: Any) -> str:
    """A shorter, more helpful message than jsonschema's for the common mistakes."""
    last = error.absolute_path[-1] if error.absolute_path else None
    if error.validator == "pattern" and last in ("path", "idShort"):
        what = "idShortPath" if last == "path" else "idShort"
        return f"{error.instance!r} is not a valid {what} ({_IDSHORT_HINT})"
    if error.validator == "pattern" and error.schema.get("description", "").startswith(
            "A JSON Pointer"):
        return (f"{error.instance!r} is not a selector: start with / (JSON Pointer), $ (the "
                "payload) or @ (the current item)")
    if error.validator == "enum" and len(error.validator_value) > 6:
        close = difflib.get_close_matches(str(error.instance),
                                          [str(v) for v in error.validator_value], n=3)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        return f"{error.instance!r} is not an allowed value{hint}"
    if error.validator == "not":
        return "from, value and count exclude each other, and so do forEach and elements"
    if error.validator == "dependentRequired":
        return str(error.message).replace("is a dependency of", "is needed with")
    return str(error.message)


def schema_errors(located: Located) -> list[MappingError]:
    """The document's violations of the mapping-file schema, most specific first."""
    import jsonschema
    from jsonschema.exceptions import best_match

    validator = jsonschema.Draft202012Validator(mapping_schema())
    out: list[MappingError] = []
    for error in validator.iter_errors(located.doc):
        if error.context:
            error = best_match(error.context) or error
        path = tuple(error.absolute_path)
        if error.validator in ("additionalProperties", "unevaluatedProperties"):
            kind = "item" if path and path[-1] == "item" else "element"
            known = (_known_keys()[kind] if error.validator == "unevaluatedProperties"
                     else set(error.schema.get("properties", {})))
            for key in sorted(set(error.instance) - set(known)):
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                out.append(MappingError(f"unknown key {key!r}{hint}", (*path, key), key=True))
            continue
        out.append(MappingError(_message(error), path))
    unique = {(e.message, e.where): e for e in out}
    return sorted(unique.values(), key=lambda e: located.at(e.where, key=e.key))


_PLACE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_INDEX = re.compile(r"^index(?::(\d+))?$")


@dataclass(frozen=True)
class Template:
    """Text with ``{selector}`` and ``{index}`` placeholders."""

    text: str
    parts: tuple[str | Selector | int, ...]

    @property
    def relative(self) -> bool:
        """Whether a placeholder needs the current item (``@`` or ``{index}``)."""
        return any(isinstance(p, int) or (isinstance(p, Selector) and p.relative)
                   for p in self.parts)

    @classmethod
    def parse(cls, text: str) -> Template:
        """Parse; raises :class:`SelectorError` on a bad placeholder."""
        parts: list[str | Selector | int] = []
        pos = 0
        for m in _PLACE.finditer(text):
            parts.append(_literal(text, text[pos:m.start()]))
            pos = m.end()
            if m.group(0) in ("{{", "}}"):
                parts.append(m.group(0)[0])
                continue
            inner = m.group(1).strip()
            index = _INDEX.match(inner)
            parts.append(int(index.group(1) or 0) if index else parse_selector(inner))
        parts.append(_literal(text, text[pos:]))
        return cls(text, tuple(p for p in parts if p != ""))


def _literal(text: str, piece: str) -> str:
    if "{" in piece or "}" in piece:
        raise SelectorError(f"{text!r}: unbalanced braces (write {{{{ and }}}} for literal "
                            "braces)")
    return piece


@dataclass
class Rule:
    """One element of a mapping, compiled."""

    where: YamlPath
    kind: str
    path: tuple[str, ...] = ()
    id_short: Template | None = None
    semantic: Template | None = None
    description: dict[str, Template] = field(default_factory=dict)
    display_name: dict[str, Template] = field(default_factory=dict)
    value_type: str | None = None
    source: Selector | None = None
    const: Any = None
    count: Selector | None = None
    low: Selector | None = None
    high: Selector | None = None
    lang: str = "en"
    content_type: str | None = None
    unit: UnitInfo | None = None
    unit_template: Template | None = None
    convert: Conversion | None = None
    transform: str | None = None
    lookup: dict[str, str] | None = None
    required: bool = False
    for_each: Selector | None = None
    item: Rule | None = None
    children: list[Rule] = field(default_factory=list)


@dataclass
class SubmodelRule:
    """One submodel of a mapping, compiled."""

    where: YamlPath
    id_short: str
    id: Template | None
    semantic: Template | None
    template: str | None
    description: dict[str, Template]
    display_name: dict[str, Template]
    elements: list[Rule]


@dataclass
class Mapping:
    """A compiled mapping file."""

    name: str
    file: str
    located: Located
    source: dict[str, Any]
    shell: dict[str, Any] | None
    shell_id: Template | None
    shell_asset: Template | None
    submodels: list[SubmodelRule]


class _Compiler:
    def __init__(self) -> None:
        self.errors: list[MappingError] = []

    def error(self, message: str, where: YamlPath, key: bool = False) -> None:
        self.errors.append(MappingError(message, where, key))

    def selector(self, text: str | None, where: YamlPath, in_item: bool) -> Selector | None:
        if text is None:
            return None
        try:
            sel = parse_selector(text)
        except SelectorError as exc:
            self.error(str(exc), where)
            return None
        if sel.relative and not in_item:
            self.error(f"{text!r} starts at the current item (@), but this rule is not "
                       "inside a forEach item", where)
        return sel

    def template(self, text: str | None, where: YamlPath, in_item: bool) -> Template | None:
        if text is None:
            return None
        try:
            tpl = Template.parse(text)
        except SelectorError as exc:
            self.error(str(exc), where)
            return None
        if tpl.relative and not in_item:
            self.error(f"{text!r} uses the current item (@ or {{index}}) outside a forEach "
                       "item", where)
        return tpl

    def texts(self, value: Any, where: YamlPath, in_item: bool) -> dict[str, Template]:
        if value is None:
            return {}
        items = {"en": (value, where)} if isinstance(value, str) else {
            lang: (text, (*where, lang)) for lang, text in value.items()}
        out: dict[str, Template] = {}
        for lang, (text, at) in items.items():
            tpl = self.template(text, at, in_item)
            if tpl is not None:
                out[lang] = tpl
        return out

    def unit(self, text: str, where: YamlPath) -> UnitInfo | None:
        registry = units()
        by_code = registry.by_code(text) if text.strip().upper() == text.strip() else None
        found = by_code or registry.lookup(text)
        if found is None:
            self.error(f"unknown unit {text!r}: give a UNECE Rec 20 code (like CEL) or a "
                       "symbol the unit registry knows", where)
            return None
        return UnitInfo(found.symbol if by_code else text, found.code,
                        global_reference(found.unece_iri))

    def compile(self, located: Located, file: str) -> Mapping | None:
        doc = located.doc
        subs = [self.submodel(sm, ("submodels", i)) for i, sm in enumerate(doc["submodels"])]
        seen: dict[str, int] = {}
        for i, sm in enumerate(doc["submodels"]):
            if sm["idShort"] in seen:
                self.error(f"the submodel {sm['idShort']!r} is already defined (submodels/"
                           f"{seen[sm['idShort']]})", ("submodels", i, "idShort"))
            seen.setdefault(sm["idShort"], i)
        shell = doc.get("shell")
        shell_id = self.template(shell.get("id"), ("shell", "id"), False) if shell else None
        asset = self.template(shell.get("globalAssetId"), ("shell", "globalAssetId"),
                              False) if shell else None
        if self.errors:
            return None
        return Mapping(doc.get("name") or _stem(file), file, located, doc.get("source", {}),
                       shell, shell_id, asset, subs)

    def submodel(self, sm: dict[str, Any], where: YamlPath) -> SubmodelRule:
        elements = self.rules(sm["elements"], (*where, "elements"), False)
        return SubmodelRule(where, sm["idShort"], self.template(sm.get("id"), (*where, "id"),
                                                                False),
                            self.template(sm.get("semanticId"), (*where, "semanticId"), False),
                            sm.get("template"),
                            self.texts(sm.get("description"), (*where, "description"), False),
                            self.texts(sm.get("displayName"), (*where, "displayName"), False),
                            elements)

    def rules(self, specs: list[dict[str, Any]], where: YamlPath, in_item: bool
              ) -> list[Rule]:
        out: list[Rule] = []
        kinds: dict[tuple[str, ...], tuple[str, int]] = {}
        for i, spec in enumerate(specs):
            rule = self.rule(spec, (*where, i), in_item)
            path = rule.path
            if path in kinds:
                self.error(f"{'.'.join(path)!r} is already mapped (item {kinds[path][1]} of "
                           "this list)", (*where, i, "path"))
            for n in range(1, len(path)):
                prefix = kinds.get(path[:n])
                if prefix and prefix[0] != "SubmodelElementCollection":
                    self.error(f"{'.'.join(path[:n])!r} is a {prefix[0]}, which has no "
                               "child elements", (*where, i, "path"))
            kinds.setdefault(path, (rule.kind, i))
            out.append(rule)
        return out

    def rule(self, spec: dict[str, Any], where: YamlPath, in_item: bool,
             is_item: bool = False) -> Rule:
        kind = spec.get("type") or _infer(spec)
        rule = Rule(where, kind)
        if not is_item:
            rule.path = tuple(spec["path"].split("."))
        rule.id_short = self.template(spec.get("idShort"), (*where, "idShort"), True)
        rule.semantic = self.template(spec.get("semanticId"), (*where, "semanticId"), in_item)
        rule.description = self.texts(spec.get("description"), (*where, "description"),
                                      in_item)
        rule.display_name = self.texts(spec.get("displayName"), (*where, "displayName"),
                                       in_item)
        rule.source = self.selector(spec.get("from"), (*where, "from"), in_item)
        rule.count = self.selector(spec.get("count"), (*where, "count"), in_item)
        rule.low = self.selector(spec.get("min"), (*where, "min"), in_item)
        rule.high = self.selector(spec.get("max"), (*where, "max"), in_item)
        const = spec.get("value")
        if isinstance(const, str):
            rule.const = self.template(const, (*where, "value"), in_item)
        elif isinstance(const, dict):
            rule.const = self.texts(const, (*where, "value"), in_item)
        else:
            rule.const = const
        rule.lang = spec.get("lang", "en")
        rule.content_type = spec.get("contentType")
        rule.transform = spec.get("transform")
        rule.required = bool(spec.get("required", False))
        if "map" in spec:
            rule.lookup = {k: _text(v) for k, v in spec["map"].items()}
        self.values(rule, spec, where)
        if "forEach" in spec:
            rule.for_each = self.selector(spec["forEach"], (*where, "forEach"), in_item)
            rule.item = self.rule(spec["item"], (*where, "item"), True, is_item=True)
            self.item(rule, spec, where)
        rule.children = self.rules(spec.get("elements", []), (*where, "elements"), in_item)
        return rule

    def values(self, rule: Rule, spec: dict[str, Any], where: YamlPath) -> None:
        kind = rule.kind
        valued = rule.source or rule.const is not None or rule.count
        container = kind in ("SubmodelElementCollection", "SubmodelElementList")
        if container and (valued or "valueType" in spec or "unit" in spec):
            self.error(f"a {kind} has no value, valueType or unit (its elements do)", where)
        if kind != "SubmodelElementCollection" and "elements" in spec:
            self.error(f"a {kind} has no elements (only a SubmodelElementCollection has; "
                       "a SubmodelElementList gets its items with forEach and item)",
                       (*where, "elements"), key=True)
        if kind == "SubmodelElementList" and "forEach" not in spec:
            self.error("a SubmodelElementList needs forEach and item", where)
        if kind == "MultiLanguageProperty" and ("valueType" in spec or "unit" in spec):
            self.error("a MultiLanguageProperty has no valueType or unit", where)
        if isinstance(rule.const, dict) and kind != "MultiLanguageProperty":
            self.error("texts by language are values of a MultiLanguageProperty",
                       (*where, "value"))
        if kind != "Range" and (rule.low or rule.high):
            self.error("min and max are for a Range", where)
        if kind == "Range" and valued:
            self.error("a Range takes min and max, not from, value or count", where)
        default = {"Property": "xs:long" if rule.count else (
            "xs:dateTime" if (rule.transform or "").startswith("epoch") else "xs:string"),
            "Range": "xs:double"}.get(kind)
        rule.value_type = spec.get("valueType", default)
        if "unit" in spec and "{" in spec["unit"]:
            rule.unit_template = self.template(spec["unit"], (*where, "unit"), rule_in_item(
                where))
        elif "unit" in spec:
            rule.unit = self.unit(spec["unit"], (*where, "unit"))
        if "convert" in spec:
            self.conversion(rule, spec["convert"], (*where, "convert"))

    def conversion(self, rule: Rule, spec: dict[str, Any], where: YamlPath) -> None:
        numeric = rule.value_type in ("xs:double", "xs:float", "xs:decimal") or (
            rule.transform == "round")
        if not numeric:
            self.error("convert needs a number valueType (xs:double, xs:float, xs:decimal; "
                       "or transform: round for integers)", where)
        if "factor" in spec:
            rule.convert = Conversion(float(spec["factor"]), float(spec.get("offset", 0)))
            return
        source = self.unit(spec["from"], (*where, "from"))
        target = self.unit(spec["to"], (*where, "to"))
        if source is None or target is None or source.code is None or target.code is None:
            return
        found = linear(source.code, target.code)
        if found is None:
            self.error(f"no conversion from {source.code} to {target.code} (not one quantity "
                       "in the conversion table)", where)
            return
        rule.convert = found
        if rule.unit_template is not None:
            self.error("a converted value has the conversion's target unit; give no unit "
                       "template", (*where, "to"))
        elif rule.unit is None:
            rule.unit = target
        elif rule.unit.code != target.code:
            self.error(f"the value is converted to {target.code} but its unit is "
                       f"{rule.unit.code}", (*where, "to"))

    def item(self, rule: Rule, spec: dict[str, Any], where: YamlPath) -> None:
        item = rule.item
        assert item is not None
        if rule.kind == "SubmodelElementCollection" and item.id_short is None:
            self.error("items of a SubmodelElementCollection need an idShort (like "
                       "Record{index})", (*where, "item"), key=True)
        if rule.kind == "SubmodelElementList" and item.id_short is not None:
            self.error("items of a SubmodelElementList have no idShort",
                       (*where, "item", "idShort"), key=True)
        if rule.kind not in ("SubmodelElementCollection", "SubmodelElementList"):
            self.error(f"forEach makes the items of a collection or list, not of a {rule.kind}",
                       (*where, "forEach"), key=True)


def rule_in_item(where: YamlPath) -> bool:
    """Whether the rule at ``where`` is inside a forEach item (where ``@`` is defined)."""
    return "item" in where


def _infer(spec: dict[str, Any]) -> str:
    if "elements" in spec:
        return "SubmodelElementCollection"
    if "forEach" in spec:
        return "SubmodelElementList" if "idShort" not in spec.get("item", {}) else (
            "SubmodelElementCollection")
    if "min" in spec or "max" in spec:
        return "Range"
    if "lang" in spec or isinstance(spec.get("value"), dict):
        return "MultiLanguageProperty"
    return "Property"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _stem(file: str) -> str:
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    return name.split(".", 1)[0] or "mapping"


def compile_mapping(located: Located, file: str) -> tuple[Mapping | None, list[MappingError]]:
    """Check a parsed mapping file (schema, then meaning) and compile it."""
    errors = schema_errors(located)
    if errors:
        return None, errors
    compiler = _Compiler()
    mapping = compiler.compile(located, file)
    errors = sorted(compiler.errors, key=lambda e: located.at(e.where, key=e.key))
    return (None if errors else mapping), errors
