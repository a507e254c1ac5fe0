"""Validate DTDL v2/v3 documents: the public entry points and the rules they report.

:func:`validate_dtdl` checks documents and returns :class:`~omp_models.diagnostics.Finding`
objects with JSON Pointers (and line/column) into the document that has the problem.
:func:`read_dtdl` returns the parsed model as well, for converters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from omp_models.diagnostics import Finding, Location, Rule, Severity
from omp_models.formats.dtdl._checks import check_model, resolve_alias
from omp_models.formats.dtdl._context import AllowUndefined
from omp_models.formats.dtdl._jsonld import JsonObject
from omp_models.formats.dtdl._model import DtdlModel, Element, Problem
from omp_models.formats.dtdl._parser import Parser
from omp_models.formats.dtdl._vocab import vocabulary
from omp_models.locate import JsonLocator

__all__ = ["RULES", "Resolver", "read_dtdl", "to_findings", "validate_dtdl"]

E = Severity.ERROR

#: Resolves a DTMI to the documents (name, bytes) that define it, or ``None``.
Resolver = Callable[[str], Sequence[tuple[str, bytes]] | None]

RULES: tuple[Rule, ...] = (
    Rule("dtdl/json", "The DTDL document is not JSON, or not a JSON object or array", E,
         "A DTDL document is a JSON object (one element) or an array of them, UTF-8 encoded "
         "(a byte order mark is allowed).",
         "Fix the JSON syntax at the reported position.", "dtdl"),
    Rule("dtdl/context", "The @context is missing or invalid", E,
         "Every top-level element names the DTDL version first (`dtmi:dtdl:context;3` or "
         "`;2`), optionally followed by extension contexts such as "
         "`dtmi:dtdl:extension:quantitativeTypes;1`. Unknown extensions are refused unless "
         "undefined extensions are allowed.",
         "Start @context with \"dtmi:dtdl:context;3\"; give extension contexts with their "
         "version.", "dtdl"),
    Rule("dtdl/id", "An @id is missing, invalid, reserved or defined twice", E,
         "Identifiers are DTMIs (`dtmi:com:example:Thermostat;1`); Interfaces need one; "
         "the prefixes `dtmi:dtdl:` and `dtmi:standard:` are reserved; each DTMI is defined "
         "once.",
         "Give a valid, unique DTMI.", "dtdl"),
    Rule("dtdl/type", "The @type is missing, unknown or not allowed here", E,
         "Each element has one DTDL class in @type (Interface, Property, Telemetry, ...), "
         "allowed by the property that holds it, plus optional co-types (semantic types) "
         "that must fit the class and the DTDL version.",
         "Use a class the property allows; add the extension context that defines a "
         "co-type.", "dtdl"),
    Rule("dtdl/property", "A property is unknown, repeated or missing", E,
         "Properties must be defined by the element's class or by one of its co-types; "
         "required ones (name, schema, ...) must be present, and none may appear twice.",
         "Remove or rename the property, or add the missing one.", "dtdl"),
    Rule("dtdl/value", "A property value has the wrong type, length or pattern", E,
         "Names match `^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$` (at most 512 characters in "
         "v3, 64 in v2); displayName/description are language-tagged strings; integers, "
         "booleans and strings must be of their kind.",
         "Correct the value as the message says.", "dtdl"),
    Rule("dtdl/reference", "A reference names a missing or unsuitable element", E,
         "Values that name other elements (schema, extends, unit, ...) must be DTMIs or terms "
         "of an element of the right class and DTDL version, defined in the inputs (or a "
         "search path), and not inside another Interface.",
         "Define the referenced element, or fix the DTMI.", "dtdl"),
    Rule("dtdl/unique", "Two elements share a name where names must be unique", E,
         "Names are unique among an Interface's contents (including inherited ones), an "
         "Object's fields, an Enum's values and a Relationship's properties; enum values "
         "are unique too.",
         "Rename one of the elements.", "dtdl"),
    Rule("dtdl/limit", "A DTDL limit is exceeded", E,
         "Complex schemas nest at most 5 levels, `extends` at most 10; v2 allows at most 2 "
         "direct `extends` and 300 contents; v3 at most 1024 inherited Interfaces and 100,000 "
         "elements per Interface; Interface DTMIs have at most 128 characters.",
         "Flatten or split the model.", "dtdl"),
    Rule("dtdl/cycle", "An Interface extends itself, or a schema contains itself", E,
         "`extends` chains and nested schemas must not lead back to where they start.",
         "Break the cycle.", "dtdl"),
    Rule("dtdl/structure", "A construct DTDL does not allow in this place", E,
         "Components do not nest (a Component's Interface has no Components); DTDL v2 "
         "Properties cannot hold Arrays; enum values match the Enum's valueSchema; a "
         "quantitative semantic type needs a numeric schema.",
         "Change the model as the message says.", "dtdl"),
)

_RULE_BY_CODE: list[tuple[tuple[str, ...], str]] = [
    (("invalidJson", "rootNotObject", "tooDeep"), "dtdl/json"),
    (("propertyUndefinedTerm", "propertyIrrelevantDtmiOrTerm", "propertyInvalidDtmi",
      "propertyNotDtmiNorTerm"), "dtdl/property"),
    (("recursiveStructure",), "dtdl/cycle"),
    (("excessive", "objectCountAboveMax", "idTooLong"), "dtdl/limit"),
    (("nonUnique", "langStringElementCodeNotUnique", "langStringCodeNotUnique"),
     "dtdl/unique"),
    (("excludedType", "enumValueDatatype", "notRequiredType"), "dtdl/structure"),
    (("Context", "context", "missingDtdlContext", "unresolvable", "localContextNotLast",
      "nonDtmiContextSpecifier", "invalidContextSpecifier", "termDefinition",
      "duplicateTermInContextObject"), "dtdl/context"),
    (("idNotString", "invalidId", "reservedId", "missingRequiredId", "duplicateDefinition",
      "idReference", "missingDtmiSeg", "dtmiSegProperty"), "dtdl/id"),
    (("badDtmiOrTerm", "refNotStringOrObject", "refObjectNotAllowed", "objectMultipleValues",
      "objectCountBelowMin", "crossPartitionReference", "disallowedVersion", "wrongParent",
      "notRequiredValue", "unresolvedReference"), "dtdl/reference"),
    (("badType", "type", "Type", "abstractSupplementalType", "multipleMaterialTypes",
      "invalidCotype", "missingCocotype", "disallowedCocotype", "invalidDtmi",
      "notDtmiNorTerm", "undefinedTerm"), "dtdl/type"),
    (("Property", "noTypeThatAllows", "keywordDisallowed", "graphDisallowed"),
     "dtdl/property"),
]


def rule_for(code: str) -> str:
    """The rule id of a reader problem code."""
    for keys, rule in _RULE_BY_CODE:
        if any(key in code for key in keys):
            return rule
    return "dtdl/value"


@cache
def _standard() -> dict[str, Element]:
    """The standard elements of the supported contexts (parsed once)."""
    parser = Parser(AllowUndefined.ALWAYS)
    parser.allow_reserved = True
    parser.parse_bytes("", json.dumps(vocabulary().standard_elements))
    return parser.model.elements


def _allow(value: bool | None) -> AllowUndefined:
    if value is None:
        return AllowUndefined.PER_VERSION
    return AllowUndefined.ALWAYS if value else AllowUndefined.NEVER


def read_dtdl(documents: Iterable[tuple[str, bytes | str | JsonObject | list[Any]]], *,
              allow_undefined_extensions: bool | None = None,
              resolver: Resolver | None = None, max_resolve: int = 10000) -> DtdlModel:
    """Read DTDL documents into one model, checked.

    Args:
        documents: ``(name, content)`` pairs; the content (text, or JSON parsed by
            :func:`load_json`) is one element or an array of them.
        allow_undefined_extensions: ``True`` accepts unknown extension contexts (and then
            undefined terms on elements with an undefined co-type), ``False`` refuses them,
            ``None`` follows the DTDL version (v2 accepts, v3 refuses).
        resolver: Finds documents for DTMIs the inputs reference but do not define.
        max_resolve: How many documents the resolver may add at most.

    Returns:
        The model; ``model.problems`` lists every problem found (empty when valid).
    """
    parser = Parser(_allow(allow_undefined_extensions))
    parser.model.elements.update(_standard())
    for name, data in documents:
        parser.parse_bytes(name, data)
    roots = list(parser.model.roots)
    if resolver is not None:
        _resolve(parser, resolver, max_resolve)
    check_model(parser.model, parser.references)
    for target, refs in sorted(parser.model.unresolved.items()):
        for ref in refs:
            parser.model.problems.append(Problem(
                "unresolvedReference", f"{target} is referenced ({ref.prop!r}) but defined in "
                "none of the inputs", ref.source, ref.pointer))
    parser.model.roots = roots + [r for r in parser.model.roots if r not in roots]
    return parser.model


def _resolve(parser: Parser, resolver: Resolver, budget: int) -> None:
    asked: set[str] = set()
    while budget > 0:
        model = parser.model
        missing = sorted({ref.target for ref in parser.references
                          if resolve_alias(model, ref.target) not in model.elements}
                         - asked)
        if not missing:
            return
        for dtmi in missing:
            asked.add(dtmi)
            found = resolver(dtmi)
            for name, data in found or ():
                budget -= 1
                parser.parse_bytes(name, data)
                if budget <= 0:
                    return


def to_findings(problems: Iterable[Problem],
                contents: dict[str, bytes | str] | None = None) -> list[Finding]:
    """Findings for reader problems, located (line, column) when the text is given."""
    out: list[Finding] = []
    locators: dict[str, JsonLocator] = {}
    for problem in problems:
        line = column = None
        text = (contents or {}).get(problem.source)
        if text is not None:
            locator = locators.get(problem.source)
            if locator is None:
                data = text.encode("utf-8") if isinstance(text, str) else text
                locator = locators[problem.source] = JsonLocator(data)
            position = locator.locate(problem.pointer)
            if position is not None:
                line, column = position.line, position.column
        out.append(Finding(
            rule=rule_for(problem.code),
            severity=Severity.ERROR,
            message=f"{problem.message} [{problem.code}]",
            location=Location(problem.source or "-", None, problem.pointer, line, column),
        ))
    return out


def validate_dtdl(data: bytes | str, name: str = "-", *,
                  allow_undefined_extensions: bool | None = None,
                  resolver: Resolver | None = None) -> list[Finding]:
    """Validate one DTDL document; every problem as a located finding (none when valid).

    Example:
        >>> validate_dtdl(b'{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:ex:T;1",'
        ...               b' "@type": "Interface"}')
        []
    """
    model = read_dtdl([(name, data)], allow_undefined_extensions=allow_undefined_extensions,
                      resolver=resolver)
    return to_findings(model.problems, {name: data})
