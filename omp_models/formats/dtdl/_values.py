"""Literal values of DTDL properties: strings, language-tagged strings, integers, booleans.

A literal may be written plainly (``"hello"``, ``3``, ``true``) or as a JSON-LD value object
(``{"@value": 3, "@type": "xsd:integer"}``); language-tagged strings may also be a language
map (``{"en": "hello"}``) or an array of ``{"@value", "@language"}`` objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from omp_models.formats.dtdl._jsonld import LdElement, LdProperty, LdValue

__all__ = [
    "LANGUAGE_CODE",
    "Report",
    "parse_boolean",
    "parse_duration",
    "parse_integer",
    "parse_langstring",
    "parse_literal",
    "parse_string",
]

#: The language codes DTDL accepts (a subset of BCP 47).
LANGUAGE_CODE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")

DURATION = re.compile(
    r"^P(?!$)(?:(?:(?:(?:\d+Y)|(?:\d+\.\d+Y$))?(?:(?:\d+M)|(?:\d+\.\d+M$))?)|(?:(?:(?:\d+W)|"
    r"(?:\d+\.\d+W$))?))(?:(?:\d+D)|(?:\d+\.\d+D$))?(?:T(?!$)(?:(?:\d+H)|(?:\d+\.\d+H$))?"
    r"(?:(?:\d+M)|(?:\d+\.\d+M$))?(?:\d+(?:\.\d+)?S)?)?$"
)

XSD = "http://www.w3.org/2001/XMLSchema#"

#: Receives (code, message, JSON Pointer) for each problem.
Report = Callable[[str, str, str], None]

_INT32 = (-(2**31), 2**31 - 1)


def _value_object_problems(elt: LdElement, prop: str, restrict: bool, report: Report) -> None:
    if elt.context is not None:
        report("valueObjectContext", f"the value object of {prop!r} has an @context", elt.pointer)
    if elt.id is not None:
        report("valueObjectId", f"the value object of {prop!r} has an @id", elt.pointer)
    if elt.graph:
        report("valueObjectGraph", f"the value object of {prop!r} has @graph", elt.pointer)
    if restrict:
        if elt.language is not None:
            report("valueObjectLanguage", f"the value object of {prop!r} has @language",
                   elt.pointer)
        for keyword in elt.keywords:
            report("valueObjectKeyword", f"the value object of {prop!r} has {keyword}",
                   elt.pointer)
    for other in elt.properties:
        report("valueObjectInvalidProp", f"the value object of {prop!r} has the member "
               f"{other.name!r}", other.pointer)


def _unwrap(value: LdValue, prop: str, xsd: str, restrict: bool, report: Report,
            required: bool) -> tuple[LdValue | None, bool]:
    """The literal inside a value object; (value, declared-as-this-type)."""
    elt = value.element
    _value_object_problems(elt, prop, restrict, report)
    if elt.value is None:
        report("literalObjectNoValue", f"the value object of {prop!r} has no @value",
               elt.pointer)
        return None, False
    declared = False
    if elt.types is not None:
        if len(elt.types) != 1:
            report("literalTypeNotSingular", f"the @type of the value of {prop!r} must be one "
                   "string", elt.pointer)
            return None, False
        declared = elt.types[0] in (f"xsd:{xsd}", XSD + xsd)
        if not declared:
            if required:
                report("literalTypeMismatch", f"the @type of the value of {prop!r} is not "
                       f"xsd:{xsd}", elt.pointer)
            return None, False
    return elt.value, declared


def _check_string(text: str, prop: str, pointer: str, max_length: int | None,
                  pattern: re.Pattern[str] | None, report: Report) -> None:
    if max_length is not None and len(text) > max_length:
        report("stringTooLong", f"the value of {prop!r} is longer than {max_length} characters",
               pointer)
    if pattern is not None and not pattern.match(text):
        report("stringInvalid", f"the value {text!r} of {prop!r} does not match "
               f"{pattern.pattern}", pointer)


def _string(value: LdValue, prop: str, restrict: bool, report: Report,
            required: bool = True) -> str | None:
    if value.kind == "string":
        return str(value.value)
    if value.kind == "element":
        inner, declared = _unwrap(value, prop, "string", restrict, report, required)
        if inner is None:
            return None
        if inner.kind != "string":
            if required or declared:
                report("stringValueNotString", f"the @value of {prop!r} is not a string",
                       inner.pointer)
            return None
        return str(inner.value)
    if required:
        report("stringNotString", f"the value of {prop!r} is not a string", value.pointer)
    return None


def _count(prop: LdProperty, name: str, optional: bool, kind: str, report: Report) -> bool:
    if len(prop.values) > 1:
        report(f"{kind}MultipleValues", f"{name!r} has more than one value", prop.pointer)
        return False
    if not prop.values and not optional:
        report(f"{kind}CountBelowMin", f"{name!r} has no value", prop.pointer)
        return False
    return True


def parse_string(prop: LdProperty, name: str, *, optional: bool, max_length: int | None,
                 pattern: re.Pattern[str] | None, restrict: bool, report: Report) -> str | None:
    """A singular string property."""
    if not _count(prop, name, optional, "string", report) or not prop.values:
        return None
    value = prop.values[0]
    text = _string(value, name, restrict, report)
    if text is not None:
        _check_string(text, name, value.pointer, max_length, pattern, report)
    return text


def _integer(value: LdValue, prop: str, restrict: bool, report: Report,
             required: bool = True) -> int | None:
    target = value
    if value.kind == "element":
        inner, declared = _unwrap(value, prop, "integer", restrict, report, required)
        if inner is None:
            return None
        if not _is_int32(inner):
            if required or declared:
                report("integerValueNotInteger", f"the @value of {prop!r} is not an integer",
                       inner.pointer)
            return None
        target = inner
    elif not _is_int32(value):
        if required:
            report("integerNotInteger", f"the value of {prop!r} is not an integer",
                   value.pointer)
        return None
    return int(target.value)


def _is_int32(value: LdValue) -> bool:
    if value.kind != "number":
        return False
    number = value.value
    if isinstance(number, float) and not number.is_integer():
        return False
    return bool(_INT32[0] <= number <= _INT32[1])


def parse_integer(prop: LdProperty, name: str, *, optional: bool, min_inclusive: int | None,
                  max_inclusive: int | None, restrict: bool, report: Report) -> int | None:
    """A singular integer property, with its range."""
    if not _count(prop, name, optional, "integer", report) or not prop.values:
        return None
    value = prop.values[0]
    number = _integer(value, name, restrict, report)
    if number is None:
        return None
    low, high = min_inclusive, max_inclusive
    if low is not None and high is not None and low == high and number != low:
        report("valueNotExact", f"{name!r} must be {low}, not {number}", value.pointer)
    elif low is not None and number < low:
        report("valueBelowMin", f"{name!r} must be at least {low}, not {number}", value.pointer)
    elif high is not None and number > high:
        report("valueAboveMax", f"{name!r} must be at most {high}, not {number}", value.pointer)
    return number


def parse_boolean(prop: LdProperty, name: str, *, optional: bool, restrict: bool,
                  report: Report) -> bool | None:
    """A singular boolean property."""
    if not _count(prop, name, optional, "boolean", report) or not prop.values:
        return None
    value = prop.values[0]
    if value.kind == "boolean":
        return bool(value.value)
    if value.kind == "element":
        inner, _declared = _unwrap(value, name, "boolean", restrict, report, True)
        if inner is None:
            return None
        if inner.kind != "boolean":
            report("booleanValueNotBoolean", f"the @value of {name!r} is not a boolean",
                   inner.pointer)
            return None
        return bool(inner.value)
    report("booleanNotBoolean", f"the value of {name!r} is not a boolean", value.pointer)
    return None


def parse_duration(prop: LdProperty, name: str, *, optional: bool, restrict: bool,
                   report: Report) -> str | None:
    """A singular ISO 8601 duration property."""
    if not _count(prop, name, optional, "duration", report) or not prop.values:
        return None
    value = prop.values[0]
    text = _string(value, name, restrict, report)
    if text is not None and not DURATION.match(text):
        report("durationInvalid", f"{text!r} is not an ISO 8601 duration", value.pointer)
        return None
    return text


def parse_literal(prop: LdProperty, name: str, report: Report) -> Any:
    """A singular literal of any type (string, integer, number, boolean), or ``None``."""
    if len(prop.values) != 1:
        report("literalCount", f"{name!r} must have exactly one value", prop.pointer)
        return None
    value = prop.values[0]
    silent: Report = _ignore
    if value.kind in ("element", "string"):
        text = _string(value, name, False, silent, required=False)
        if text is not None:
            return text
    if value.kind in ("element", "number"):
        number = _integer(value, name, False, silent, required=False)
        if number is not None:
            return number
        if value.kind == "number":
            return value.value
        inner = value.element.value
        if inner is not None and inner.kind == "number" and (
                value.element.types is None or value.element.types[0] in ("xsd:decimal",
                                                                          XSD + "decimal")):
            return inner.value
    if value.kind == "boolean":
        return value.value
    if value.kind == "element":
        inner = value.element.value
        if inner is not None and inner.kind == "boolean" and (
                value.element.types is None or value.element.types[0] in ("xsd:boolean",
                                                                          XSD + "boolean")):
            return inner.value
    report("literalNotValid", f"the value of {name!r} is not a string, number or boolean",
           value.pointer)
    return None


def _ignore(code: str, message: str, pointer: str) -> None:
    return None


def parse_langstring(prop: LdProperty, name: str, *, default_language: str,
                     max_length: int | None, restrict: bool, report: Report) -> dict[str, str]:
    """A language-tagged string: a plain string, a language map or tagged values."""
    if not prop.plural and prop.values and prop.values[0].kind == "element":
        return _language_map(prop.values[0].element, name, max_length, report)
    out: dict[str, str] = {}
    for value in prop.values:
        text: str | None
        if value.kind == "string":
            code, text = default_language, str(value.value)
        elif value.kind == "element":
            found = _tagged(value.element, name, default_language, restrict, report)
            if found is None:
                continue
            code, text = found
        else:
            report("langStringElementNotStringOrObject", f"a value of {name!r} is neither a "
                   "string nor an object", value.pointer)
            continue
        if text is not None:
            _check_length(text, name, max_length, value.pointer, report)
        if code in out:
            report("langStringElementCodeNotUnique", f"{name!r} has two values for language "
                   f"{code!r}", value.pointer)
            continue
        out[code] = text if text is not None else ""
    return out


def _tagged(elt: LdElement, name: str, default_language: str, restrict: bool,
            report: Report) -> tuple[str, str | None] | None:
    if elt.language is None:
        code = default_language
    elif elt.language == "":
        report("langStringElementCodeNotString", f"the @language of a value of {name!r} is "
               "not a string", elt.pointer)
        return None
    else:
        code = elt.language
        if not LANGUAGE_CODE.match(code):
            report("langStringElementInvalidCode", f"{code!r} is not a language code",
                   elt.pointer)
    text: str | None = None
    if elt.value is None:
        report("langStringElementNoValue", f"a value of {name!r} has no @value", elt.pointer)
    elif elt.value.kind != "string":
        report("langStringElementValueNotString", f"the @value of a value of {name!r} is not a "
               "string", elt.value.pointer)
        return None
    else:
        text = str(elt.value.value)
    for flag, what in ((elt.context is not None, "@context"), (elt.id is not None, "@id"),
                       (elt.graph, "@graph")):
        if flag:
            report("langStringElementKeyword", f"a value of {name!r} has {what}", elt.pointer)
    if restrict:
        if elt.types is not None:
            report("langStringElementType", f"a value of {name!r} has @type", elt.pointer)
        for keyword in elt.keywords:
            report("langStringElementKeyword", f"a value of {name!r} has {keyword}",
                   elt.pointer)
    for other in elt.properties:
        report("langStringElementInvalidProp", f"a value of {name!r} has the member "
               f"{other.name!r}", other.pointer)
    return code, text


def _check_length(text: str, name: str, max_length: int | None, pointer: str,
                  report: Report) -> None:
    if max_length is not None and len(text) > max_length:
        report("langStringValueTooLong", f"a value of {name!r} is longer than {max_length} "
               "characters", pointer)


def _language_map(elt: LdElement, name: str, max_length: int | None,
                  report: Report) -> dict[str, str]:
    out: dict[str, str] = {}
    if (elt.language is not None and elt.value is not None and elt.value.kind == "string"
            and elt.property_count == 2):
        report("langTagValueInLangMap", f"{name!r} is a tagged value where a language map or "
               "an array is expected", elt.pointer)
    else:
        if elt.language is not None:
            report("langMapObjKeyword", f"the language map of {name!r} has @language",
                   elt.pointer)
        if elt.value is not None:
            report("langMapObjKeyword", f"the language map of {name!r} has @value", elt.pointer)
    for flag, what in ((elt.context is not None, "@context"), (elt.id is not None, "@id"),
                       (elt.types is not None, "@type"), (elt.graph, "@graph")):
        if flag:
            report("langMapObjKeyword", f"the language map of {name!r} has {what}", elt.pointer)
    for keyword in elt.keywords:
        report("langMapObjKeyword", f"the language map of {name!r} has {keyword}", elt.pointer)
    for member in elt.properties:
        if not LANGUAGE_CODE.match(member.name):
            report("langStringInvalidCode", f"{member.name!r} is not a language code",
                   member.pointer)
        if (len(member.values) != 1 or member.plural
                or member.values[0].kind != "string"):
            report("langStringValueNotString", f"the {member.name!r} value of {name!r} is not "
                   "a string", member.pointer)
            text = ""
        else:
            text = str(member.values[0].value)
            _check_length(text, name, max_length, member.pointer, report)
        if member.name in out:
            report("langStringCodeNotUnique", f"{name!r} has two values for language "
                   f"{member.name!r}", member.pointer)
        else:
            out[member.name] = text
    return out
