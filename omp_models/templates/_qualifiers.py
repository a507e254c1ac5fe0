"""Template qualifiers (IDTA-01004 "SMT/..." and the older forms spellings) read into data.

Each qualifier type is recognised whatever its ``SMT/`` prefixes and letter case; what is
written oddly becomes a :class:`~omp_models.templates.TemplateNote` for the lint while the
parsed value keeps the intended meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from omp_models.templates._cardinality import (
    CARDINALITY_TYPES,
    Cardinality,
    is_cardinality_type,
    parse_cardinality,
)
from omp_models.templates._model import AllowedRange, TemplateNote, Token

__all__ = [
    "TEMPLATE_QUALIFIER_TYPES",
    "ParsedQualifiers",
    "is_template_qualifier_type",
    "parse_qualifiers",
    "value_allowed",
]

#: Qualifier types (without ``SMT/`` prefixes, case-folded) that only make sense in a
#: template: an instance that still carries them was not cleaned up (AASd-129).
TEMPLATE_QUALIFIER_TYPES = frozenset({
    "cardinality", "multiplicity", "allowedvalue", "allowedrange", "allowedidshort",
    "requiredlang", "eitheror", "formchoice", "formchoices", "examplevalue",
    "defaultvalue", "initialvalue", "forminfo", "formtitle", "formtag", "formurl",
    "presetidshort", "editidshort", "editdescription",
})

_PREFIX = re.compile(r"^(?:smt/)+", re.IGNORECASE)
_NUMBERED = re.compile(r"^(allowedvalue|examplevalue)(?:\d+|/.*)$")
#: ``X[\d{2,3}]`` (a character class) written where ``X\d{2,3}`` is meant.
_BRACKETED_COUNT = re.compile(r"\[\\d(\{\d+(?:,\d*)?\})\]")
_LANG_SPLIT = re.compile(r"[;,\s]+")


def _bare(qualifier_type: str) -> str:
    """``SMT/SMT/AllowedValue`` -> ``allowedvalue``; numbered variants -> their base."""
    bare = _PREFIX.sub("", qualifier_type.strip()).casefold()
    numbered = _NUMBERED.match(bare)
    return numbered.group(1) if numbered else bare


def is_template_qualifier_type(qualifier_type: object) -> bool:
    """Whether a qualifier of this type belongs in templates only."""
    if not isinstance(qualifier_type, str):
        return False
    if qualifier_type.strip().upper().startswith("SMT/"):
        return True
    return _bare(qualifier_type) in TEMPLATE_QUALIFIER_TYPES


@dataclass
class ParsedQualifiers:
    """What an element's qualifiers say (see :class:`~omp_models.templates.TemplateElement`)."""

    cardinality: Cardinality | None = None
    cardinality_type: str | None = None
    allowed_values: list[str] = field(default_factory=list)
    allowed_range: AllowedRange | None = None
    allowed_id_short: str | None = None
    required_langs: list[str] = field(default_factory=list)
    either_or: str | None = None
    example_values: list[str] = field(default_factory=list)
    default_value: str | None = None
    form_choices: list[str] = field(default_factory=list)
    id_short_editable: bool = False
    notes: list[TemplateNote] = field(default_factory=list)


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def value_allowed(value: str, allowed: Sequence[str]) -> bool:
    """Whether ``value`` satisfies any of the ``SMT/AllowedValue`` entries.

    Each entry is read three ways, and one fit is enough: a regular expression (full
    match; the SMT specification's reading), a ``;``-separated list of literals, and an
    ``a | b | c`` list with spaces (both common in published templates).
    """
    for entry in allowed:
        if value == entry:
            return True
        if ";" in entry and value.strip() in _split_list(entry):
            return True
        if " | " in entry and value.strip() in [p.strip() for p in entry.split("|")]:
            return True
        pattern = _compiled(entry)
        if pattern is not None and pattern.fullmatch(value):
            return True
    return False


def _note(out: ParsedQualifiers, rule: str, message: str, tokens: tuple[Token, ...]) -> None:
    out.notes.append(TemplateNote(rule, message, tokens))


def _cardinality(out: ParsedQualifiers, qtype: str, value: object,
                 here: tuple[Token, ...]) -> None:
    parsed, problem = parse_cardinality(value)
    if qtype != CARDINALITY_TYPES[0]:
        _note(out, "smt-lint/cardinality-spelling",
              f"The cardinality qualifier type is {qtype!r}; the SMT specification "
              f"names it {CARDINALITY_TYPES[0]!r}.", (*here, "type"))
    if problem is not None:
        rule = ("smt-lint/cardinality-spelling"
                if parsed is not None and parsed.standard else "smt-lint/cardinality-value")
        _note(out, rule, problem[:1].upper() + problem[1:] + ".", (*here, "value"))
    if parsed is None:
        return
    if out.cardinality is not None and out.cardinality != parsed:
        _note(out, "smt-lint/cardinality-conflict",
              f"A second cardinality qualifier says {parsed.name} where the first says "
              f"{out.cardinality.name}; the first counts.", here)
        return
    if out.cardinality is None:
        out.cardinality, out.cardinality_type = parsed, qtype


def _allowed_id_short(out: ParsedQualifiers, value: str, here: tuple[Token, ...]) -> None:
    repaired = _BRACKETED_COUNT.sub(r"\\d\1", value)
    if repaired != value:
        _note(out, "smt-lint/allowed-value",
              f"AllowedIdShort {value!r} puts the count in a character class; read as "
              f"{repaired!r}.", (*here, "value"))
    if _compiled(repaired) is None:
        _note(out, "smt-lint/allowed-value",
              f"AllowedIdShort {value!r} is not a regular expression; it is not checked.",
              (*here, "value"))
        return
    out.allowed_id_short = repaired


def parse_qualifiers(qualifiers: object, tokens: tuple[Token, ...]) -> ParsedQualifiers:
    """Read an element's ``qualifiers`` (JSON form).

    Args:
        qualifiers: The element's ``qualifiers`` value.
        tokens: Where the element is in its document (for the notes).

    Returns:
        What the qualifiers say, with notes on anything written oddly.
    """
    out = ParsedQualifiers()
    if not isinstance(qualifiers, list):
        return out
    for index, qualifier in enumerate(qualifiers):
        if not isinstance(qualifier, Mapping):
            continue
        qtype, value = qualifier.get("type"), qualifier.get("value")
        if not isinstance(qtype, str):
            continue
        here: tuple[Token, ...] = (*tokens, "qualifiers", index)
        bare = _bare(qtype)
        if is_template_qualifier_type(qtype) and qualifier.get("kind") != "TemplateQualifier":
            _note(out, "smt-lint/qualifier-kind",
                  f"The qualifier {qtype!r} has kind {qualifier.get('kind') or 'unset'} "
                  "(ConceptQualifier by default); template qualifiers are "
                  "TemplateQualifier.", (*here, "kind") if "kind" in qualifier else here)
        if is_cardinality_type(qtype):
            _cardinality(out, qtype, value, here)
            continue
        if not isinstance(value, str):
            continue
        _read(out, bare, qtype, value, here)
    return out


def _read(out: ParsedQualifiers, bare: str, qtype: str, value: str,
          here: tuple[Token, ...]) -> None:
    if bare == "allowedvalue":
        if qtype.strip().casefold().rstrip("0123456789") != qtype.strip().casefold():
            _note(out, "smt-lint/allowed-value",
                  f"{qtype!r} is a numbered variant; SMT/AllowedValue takes one regular "
                  "expression. Its value is allowed as well.", (*here, "type"))
        if ";" not in value and " | " not in value and _compiled(value) is None:
            _note(out, "smt-lint/allowed-value",
                  f"The allowed value {value!r} is not a regular expression; it is "
                  "compared literally.", (*here, "value"))
        out.allowed_values.append(value)
    elif bare == "allowedrange":
        parsed = AllowedRange.parse(value)
        if parsed is None:
            _note(out, "smt-lint/allowed-range",
                  f"The allowed range {value!r} is not an interval such as [0,100]; it is "
                  "not checked.", (*here, "value"))
        else:
            out.allowed_range = parsed
    elif bare == "allowedidshort":
        _allowed_id_short(out, value, here)
    elif bare == "requiredlang":
        out.required_langs.extend(p for p in _LANG_SPLIT.split(value) if p)
    elif bare == "eitheror":
        out.either_or = value.strip() or None
    elif bare == "examplevalue":
        out.example_values.append(value)
    elif bare in ("defaultvalue", "initialvalue"):
        if out.default_value is None:
            out.default_value = value
    elif bare in ("formchoice", "formchoices"):
        out.form_choices.extend(_split_list(value))
    elif bare == "editidshort":
        out.id_short_editable = value.strip().casefold() == "true"
