"""Reading the properties of a DTDL element (the second half of :mod:`._parser`).

Each property is matched to the element's class (by term or full DTMI), else to a property
of one of its co-types (semantic types, extension adjunct types), else handled as an
undefined term according to the DTDL version's rules; literal values are checked
(``_values.py``) and object values read as nested elements or collected as references.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from omp_models.formats.dtdl._context import Context
from omp_models.formats.dtdl._jsonld import LdElement, LdProperty
from omp_models.formats.dtdl._model import DtdlModel, Element, Reference
from omp_models.formats.dtdl._values import (
    parse_boolean,
    parse_duration,
    parse_integer,
    parse_langstring,
    parse_literal,
    parse_string,
)
from omp_models.formats.dtdl._vocab import PropInfo, SupplementalType, VersionInfo, vocabulary

__all__ = ["PropertyReader", "Quit", "Slot", "apocryphal", "lineage"]

_XSD = "http://www.w3.org/2001/XMLSchema#"


class Quit(Exception):
    """A problem after which the current top-level element is not read further."""


class Slot:
    """Where an element is being read: its parent and the property holding it."""

    __slots__ = ("cls", "inferred", "parent", "partition", "prop", "prop_name")

    def __init__(self, parent: Element | None, prop: PropInfo | None, prop_name: str | None,
                 cls: str, partition: str | None, inferred: str | None = None) -> None:
        self.parent = parent
        self.prop = prop
        self.prop_name = prop_name
        self.cls = cls
        self.partition = partition
        self.inferred = inferred


class PropertyReader(ABC):
    """The property-reading half of the parser (see :class:`._parser.Parser`)."""

    model: DtdlModel
    references: list[Reference]
    source: str

    @abstractmethod
    def problem(self, code: str, message: str, pointer: str) -> None:
        """Record a problem in the current document."""

    @abstractmethod
    def quit(self, code: str, message: str, pointer: str) -> Quit:
        """Record a problem and return the exception that stops the element."""

    @abstractmethod
    def parse_element(self, elt: LdElement, ctx: Context, slot: Slot) -> str | None:
        """Read one element; its DTMI or ``None``."""

    def _parse_properties(self, element: Element, elt: LdElement, ctx: Context,
                          info: VersionInfo, partition: str | None) -> None:
        cls_info = info.classes[element.cls]
        by_key: dict[str, PropInfo] = {}
        for prop in cls_info.properties.values():
            if prop.allowed:
                by_key[prop.name] = prop
                by_key[info.property_dtmis[prop.name]] = prop
        seen: dict[str, LdProperty] = {}
        seen_supplemental: dict[str, LdProperty] = {}
        restrict = ctx.restrict_keywords
        for lp in elt.properties:
            found = by_key.get(lp.name)
            if found is not None:
                prop = found
                if prop.name in seen:
                    self.problem("duplicatePropertyName", f"{prop.name!r} is given twice",
                                 lp.pointer)
                    continue
                seen[prop.name] = lp
                if prop.literal:
                    self._parse_literal(element, prop, lp, restrict)
                elif prop.cls is None:
                    self._parse_identifier(element, prop, lp, ctx)
                else:
                    self._parse_objects(element, prop, lp, ctx, partition)
                continue
            if self._parse_supplemental(element, lp, ctx, partition, seen_supplemental):
                continue
            self._undefined_property(element, elt, lp, ctx, info)
        for spec in cls_info.properties.values():
            required = not spec.optional or spec.min_count >= 1
            if spec.allowed and required and spec.name not in seen:
                kind = "missingLiteralProperty" if spec.literal else "missingObjectProperty"
                self.problem(kind, f"a {element.cls} needs {spec.name!r}", elt.pointer)
        vocab = vocabulary()
        for stype_id in element.supplemental_types:
            for stype in lineage(stype_id):
                for pid, raw in stype.properties.items():
                    if raw.get("minCount", 0) >= 1 and pid not in seen_supplemental:
                        raise self.quit("missingSupplementalProperty", f"the co-type "
                                        f"{vocab.term_or_uri(stype_id)!r} needs "
                                        f"{raw['name']!r}", elt.pointer)

    def _undefined_property(self, element: Element, elt: LdElement, lp: LdProperty,
                            ctx: Context, info: VersionInfo) -> None:
        apocrypha = info.apocrypha
        name = lp.name
        if ctx.create_dtmi(name) is not None:
            kind, message = "irrelevantDtmiOrTermAsProperty", f"{name!r} is not a property of " \
                f"a {element.cls}"
        elif name.startswith("dtmi:"):
            kind, message = "invalidDtmiAsProperty", f"{name!r} is not a valid DTMI"
        elif ":" in name:
            kind, message = "notDtmiNorTermAsProperty", f"{name!r} is neither a DTMI nor a term"
        else:
            kind, message = "undefinedTermAsProperty", f"{name!r} is not a property of a " \
                f"{element.cls} (nor a term of DTDL v{ctx.version} or an extension in @context)"
        if apocryphal(apocrypha[kind], ctx):
            code = "property" + kind[0].upper() + kind[1:].replace("AsProperty", "")
            self.problem(code, message, lp.pointer)
            return
        if not element.undefined_types:
            self.problem("noTypeThatAllows", f"{message}; only elements with an undefined "
                         "co-type may carry undefined properties", lp.pointer)
            return
        element.undefined[name] = lp.raw

    def _parse_literal(self, element: Element, prop: PropInfo, lp: LdProperty,
                       restrict: bool) -> None:
        report = self.problem
        name = prop.name
        value: Any
        if prop.datatype == "string":
            value = parse_string(lp, name, optional=prop.optional, max_length=prop.max_length,
                                 pattern=prop.pattern, restrict=restrict, report=report)
        elif prop.datatype == "langString":
            value = parse_langstring(lp, name, default_language=prop.default_language or "en",
                                     max_length=prop.max_length, restrict=restrict,
                                     report=report)
        elif prop.datatype == "integer":
            value = parse_integer(lp, name, optional=prop.optional,
                                  min_inclusive=prop.min_inclusive,
                                  max_inclusive=prop.max_inclusive, restrict=restrict,
                                  report=report)
        elif prop.datatype == "boolean":
            value = parse_boolean(lp, name, optional=prop.optional, restrict=restrict,
                                  report=report)
        else:
            value = parse_literal(lp, name, report)
        if value is not None:
            element.literals[name] = value

    def _parse_identifier(self, element: Element, prop: PropInfo, lp: LdProperty,
                          ctx: Context) -> None:
        if len(lp.values) > 1:
            self.problem("identifierMultipleValues", f"{prop.name!r} has more than one value",
                         lp.pointer)
            return
        if not lp.values:
            return
        value = lp.values[0]
        if value.kind != "string":
            self.problem("identifierNotString", f"{prop.name!r} must be a DTMI string",
                         value.pointer)
            return
        dtmi = ctx.create_dtmi(str(value.value))
        if dtmi is None:
            self.problem("identifierNotDtmi", f"{value.value!r} is not a valid DTMI",
                         value.pointer)
            return
        if prop.max_length is not None and len(dtmi) > prop.max_length:
            self.problem("identifierTooLong", f"{prop.name!r} is longer than "
                         f"{prop.max_length} characters", value.pointer)
        if prop.pattern is not None and not prop.pattern.match(dtmi):
            self.problem("identifierInvalid", f"{dtmi!r} is not a valid value of "
                         f"{prop.name!r}", value.pointer)
        element.literals[prop.name] = dtmi

    def _parse_objects(self, element: Element, prop: PropInfo, lp: LdProperty, ctx: Context,
                       partition: str | None) -> None:
        assert prop.cls is not None
        targets: list[str] = []
        for value in lp.values:
            if not prop.plural and targets:
                self.problem("objectMultipleValues", f"{prop.name!r} takes one value",
                             lp.pointer)
                break
            if value.kind == "string":
                dtmi = ctx.create_dtmi(str(value.value))
                if dtmi is None:
                    self.problem("badDtmiOrTerm", f"{value.value!r} is neither a DTMI nor a "
                                 f"term of DTDL v{ctx.version}", value.pointer)
                    continue
                self.references.append(Reference(
                    owner=element.id, prop=prop.name, target=dtmi, pointer=value.pointer,
                    source=self.source, inline=False,
                    expected=vocabulary().versions[ctx.version].concrete(prop.cls),
                    versions=prop.versions, key=prop.dictionary_key, values=prop.value_uris,
                ))
                targets.append(dtmi)
            elif value.kind == "element":
                slot = Slot(element, prop, prop.name, prop.cls, partition,
                             inferred=None if prop.type_required else prop.cls)
                child_id = self.parse_element(value.element, ctx, slot)
                if child_id is not None:
                    targets.append(child_id)
            else:
                self.problem("refNotStringOrObject", f"the values of {prop.name!r} must be "
                             "DTMIs or objects", value.pointer)
        if len(targets) < prop.min_count:
            self.problem("objectCountBelowMin", f"{prop.name!r} needs at least "
                         f"{prop.min_count} value(s)", lp.pointer)
        element.objects[prop.name] = targets

    def _parse_supplemental(self, element: Element, lp: LdProperty, ctx: Context,
                            partition: str | None, seen: dict[str, LdProperty]) -> bool:
        dtmi = ctx.create_dtmi(lp.name)
        if dtmi is None:
            return False
        for stype_id in element.supplemental_types:
            for stype in lineage(stype_id):
                spec = stype.properties.get(dtmi)
                if spec is None:
                    continue
                if dtmi in seen:
                    self.problem("duplicatePropertyName", f"{spec['name']!r} is given twice",
                                 lp.pointer)
                    return True
                seen[dtmi] = lp
                self._supplemental_value(element, dtmi, spec, lp, ctx, stype)
                return True
        return False

    def _supplemental_value(self, element: Element, dtmi: str, spec: dict[str, Any],
                            lp: LdProperty, ctx: Context, stype: SupplementalType) -> None:
        name = spec["name"]
        kind = spec.get("type", "")
        optional = spec.get("minCount", 0) < 1
        restrict = ctx.restrict_keywords
        report = self.problem
        value: Any = None
        if kind.startswith("dtmi:"):
            targets: list[str] = []
            for item in lp.values:
                if not spec.get("plural") and targets:
                    self.problem("objectMultipleValues", f"{name!r} takes one value",
                                 lp.pointer)
                    break
                if item.kind == "string":
                    target = ctx.create_dtmi(str(item.value))
                    if target is None:
                        self.problem("badDtmiOrTerm", f"{item.value!r} is not a valid value of "
                                     f"{name!r}", item.pointer)
                        continue
                    self.references.append(Reference(
                        owner=element.id, prop=dtmi, target=target, pointer=item.pointer,
                        source=self.source, inline=False, child_of=spec.get("childOf"),
                        supplemental_type=kind,
                    ))
                    targets.append(target)
                elif item.kind == "element":
                    self.problem("refObjectNotAllowed", f"{name!r} must name an element, not "
                                 "define one", item.pointer)
                else:
                    self.problem("refNotStringOrObject", f"{name!r} must be a term or DTMI",
                                 item.pointer)
            if len(targets) < spec.get("minCount", 0):
                self.problem("objectCountBelowMin", f"{name!r} has no valid value", lp.pointer)
            value = targets
        elif kind == _XSD + "string":
            pattern = spec.get("pattern")
            value = parse_string(lp, name, optional=optional, max_length=None,
                                 pattern=re.compile(pattern) if pattern else None,
                                 restrict=restrict, report=report)
        elif kind == _XSD + "integer":
            value = parse_integer(lp, name, optional=optional,
                                  min_inclusive=spec.get("minInclusive"),
                                  max_inclusive=spec.get("maxInclusive"), restrict=restrict,
                                  report=report)
        elif kind == _XSD + "boolean":
            value = parse_boolean(lp, name, optional=optional, restrict=restrict, report=report)
        elif kind == _XSD + "duration":
            value = parse_duration(lp, name, optional=optional, restrict=restrict,
                                   report=report)
        elif kind.endswith("#langString"):
            value = parse_langstring(lp, name, default_language="en", max_length=None,
                                     restrict=restrict, report=report)
        else:  # an IRI (term or URI)
            if len(lp.values) == 1 and lp.values[0].kind == "string":
                value = str(lp.values[0].value)
            else:
                self.problem("identifierNotString", f"{name!r} must be one string", lp.pointer)
        if value is not None:
            element.supplemental[dtmi] = value


def apocryphal(verdict: str, ctx: Context) -> bool:
    """Whether an apocryphal construct is an error here ("tenable": when context complete)."""
    if verdict == "invalid":
        return True
    if verdict == "tenable":
        return ctx.complete
    return False


def lineage(stype_id: str) -> list[SupplementalType]:
    """A supplemental type and its ancestors."""
    vocab = vocabulary()
    out: list[SupplementalType] = []
    current: str | None = stype_id
    while current is not None and current in vocab.supplemental:
        stype = vocab.supplemental[current]
        out.append(stype)
        current = stype.parent
    return out
