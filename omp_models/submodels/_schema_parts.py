"""The pieces of the value-only schemas.

Markers (``$comment`` prefixes), lexical patterns, shared definitions, and the constraints
of ``SMT/AllowedValue``, ``SMT/FormChoice`` and ``SMT/AllowedRange``.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from typing import Any

from omp_models.submodels._values import json_kind, to_value_only_scalar
from omp_models.templates import TemplateElement

__all__ = [
    "ALLOWED_RANGE_COMMENT",
    "ALLOWED_VALUE_COMMENT",
    "AT_LEAST_ONE_COMMENT",
    "DEFS",
    "DEF_DEPENDS",
    "DIALECT",
    "EITHER_OR_COMMENT",
    "LEXICAL_PATTERNS",
    "REQUIRED_LANG_COMMENT",
    "VALUE_TYPE_COMMENT",
    "allowed_constraint",
    "escape",
    "lang_pattern",
    "portable_regex",
    "range_constraint",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Prefix of the ``$comment`` of a value type's node (``valueType xs:int``).
VALUE_TYPE_COMMENT = "valueType "
ALLOWED_VALUE_COMMENT = "SMT/AllowedValue"
ALLOWED_RANGE_COMMENT = "SMT/AllowedRange"
REQUIRED_LANG_COMMENT = "SMT/RequiredLang"
EITHER_OR_COMMENT = "SMT/EitherOr"
AT_LEAST_ONE_COMMENT = "at least one"

_TZ = "(Z|[+-][0-9]{2}:[0-9]{2})?"
_DATE = "-?[0-9]{4,}-[0-9]{2}-[0-9]{2}"
_TIME = "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
#: Lexical forms of the value types that are strings in value-only payloads.
LEXICAL_PATTERNS: dict[str, str] = {
    "xs:date": f"^{_DATE}{_TZ}$",
    "xs:dateTime": f"^{_DATE}T{_TIME}{_TZ}$",
    "xs:time": f"^{_TIME}{_TZ}$",
    "xs:gYear": f"^-?[0-9]{{4,}}{_TZ}$",
    "xs:gYearMonth": f"^-?[0-9]{{4,}}-[0-9]{{2}}{_TZ}$",
    "xs:gMonth": f"^--[0-9]{{2}}{_TZ}$",
    "xs:gDay": f"^---[0-9]{{2}}{_TZ}$",
    "xs:gMonthDay": f"^--[0-9]{{2}}-[0-9]{{2}}{_TZ}$",
    "xs:duration": "^-?P(?=[0-9]|T[0-9])([0-9]+Y)?([0-9]+M)?([0-9]+D)?"
                   "(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?$",
    "xs:hexBinary": "^([0-9A-Fa-f]{2})*$",
    "xs:base64Binary": "^[A-Za-z0-9+/\\s]*={0,2}\\s*$",
}
_LANG = "^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"
_REGEX_META = re.compile(r"([\\^$.|?*+()\[\]{}])")
#: Python-only regular expression syntax (not ECMA-262 / Rust regex): such
#: ``SMT/AllowedValue`` patterns are compared literally only.
_NOT_PORTABLE = re.compile(
    r"\(\?P|\(\?#|\(\?[aiLmsux]|\\[AZzQEG]|[*+?}]\+|\(\?>|\[\[|\[:")

DEFS: dict[str, dict[str, Any]] = {
    "Key": {
        "type": "object",
        "properties": {"type": {"type": "string"}, "value": {"type": "string"}},
        "required": ["type", "value"],
        "additionalProperties": False,
    },
    "Reference": {
        "type": "object",
        "properties": {
            "type": {"enum": ["ExternalReference", "ModelReference"]},
            "keys": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Key"}},
            "referredSemanticId": {"$ref": "#/$defs/Reference"},
        },
        "required": ["type", "keys"],
        "additionalProperties": False,
    },
    "LangString": {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"pattern": _LANG},
        "additionalProperties": {"type": "string"},
    },
    "File": {
        "type": "object",
        "properties": {"contentType": {"type": "string", "minLength": 1},
                       "value": {"type": "string", "minLength": 1}},
        "additionalProperties": False,
    },
    "Blob": {
        "type": "object",
        "properties": {"contentType": {"type": "string", "minLength": 1},
                       "value": {"type": "string",
                                 "pattern": LEXICAL_PATTERNS["xs:base64Binary"]}},
        "additionalProperties": False,
    },
    "Relationship": {
        "type": "object",
        "properties": {"first": {"$ref": "#/$defs/Reference"},
                       "second": {"$ref": "#/$defs/Reference"}},
        "additionalProperties": False,
    },
    "SpecificAssetId": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "value": {"type": "string"},
            "externalSubjectId": {"$ref": "#/$defs/Reference"},
            "semanticId": {"$ref": "#/$defs/Reference"},
            "supplementalSemanticIds": {"type": "array",
                                        "items": {"$ref": "#/$defs/Reference"}},
        },
        "required": ["name", "value"],
        "additionalProperties": False,
    },
}
DEF_DEPENDS = {"Reference": ("Key",), "Relationship": ("Reference",),
                "SpecificAssetId": ("Reference",)}


def escape(text: str) -> str:
    """Escape regular-expression metacharacters (the same in Python and ECMA-262)."""
    return _REGEX_META.sub(r"\\\1", text)


def portable_regex(pattern: str) -> bool:
    """Whether ``pattern`` means the same to Python ``re`` and to ECMA-262-like engines."""
    if _NOT_PORTABLE.search(pattern):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern)
        except re.error:
            return False
    return True


def lang_pattern(lang: str) -> str:
    """``en`` -> a pattern for ``en``, ``EN``, ``en-US`` (as the check compares them)."""
    letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else escape(c)
                      for c in lang)
    return f"^{letters}(-.*)?$"


def _literal(text: str, value_type: str | None) -> Any:
    value = to_value_only_scalar(text.strip(), value_type)
    return value if json_kind(value_type) == "string" or not isinstance(value, str) else None


def allowed_constraint(element: TemplateElement) -> dict[str, Any] | None:
    """``SMT/AllowedValue`` (or ``SMT/FormChoice``) as a constraint node."""
    value_type = element.value_type
    is_string = json_kind(value_type) == "string"
    options: list[dict[str, Any]] = []
    if element.allowed_values:
        if is_string:
            options.append({"const": ""})  # the check leaves empty values alone
        for entry in element.allowed_values:
            literals = [entry]
            if ";" in entry:
                literals += [p.strip() for p in entry.split(";") if p.strip()]
            if " | " in entry:
                literals += [p.strip() for p in entry.split("|") if p.strip()]
            values = [v for v in (_literal(t, value_type) if not is_string else t
                                  for t in literals) if v is not None]
            options.append({"enum": _unique(values)})
            if is_string and portable_regex(entry):
                options.append({"type": "string", "pattern": f"^(?:{entry})$"})
        comment = f"{ALLOWED_VALUE_COMMENT} {'; '.join(element.allowed_values)}"
    elif element.form_choices:
        if is_string:
            choices = "|".join(escape(c) for c in element.form_choices)
            options.append({"type": "string", "pattern": f"^\\s*(?:{choices})\\s*$"})
            options.append({"const": ""})
        else:
            values = [v for v in (_literal(c, value_type) for c in element.form_choices)
                      if v is not None]
            options.append({"enum": _unique(values)})
        comment = f"{ALLOWED_VALUE_COMMENT} (FormChoice) {'; '.join(element.form_choices)}"
    else:
        return None
    return {"$comment": comment, "anyOf": _unique(options)}


def _unique(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def range_constraint(element: TemplateElement) -> dict[str, Any] | None:
    bounds = element.allowed_range
    if bounds is None or json_kind(element.value_type) not in ("integer", "number"):
        return None
    out: dict[str, Any] = {"$comment": f"{ALLOWED_RANGE_COMMENT} {bounds.text}"}
    if bounds.low is not None:
        key = "minimum" if bounds.low_inclusive else "exclusiveMinimum"
        out[key] = _json_number(bounds.low)
    if bounds.high is not None:
        key = "maximum" if bounds.high_inclusive else "exclusiveMaximum"
        out[key] = _json_number(bounds.high)
    return out
