"""Value-only payloads against a submodel template: ``omp validate payload.json --template X``.

A value-only payload (IDTA-01001 3.1, Format "Value"; what ``GET .../$value`` of the AAS
API returns and what Catena-X exchanges) is checked against the JSON Schema generated from
the template (:func:`omp_models.submodels.value_only_schema`): jsonschema-rs gives the
verdict when it is installed (the ``fast`` extra), python-jsonschema explains every
failure. Each failure becomes a finding with a ``smt-value/...`` rule, located by a JSON
Pointer into the payload; the rules mirror the template check's ``smt/...`` rules.

Elements the template does not define are warnings (errors with ``--strict-templates``),
as in the template check; elements standing for ``Arbitrary...`` placeholders are fine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from omp_models.diagnostics import Finding, Rule, Severity, Where
from omp_models.locate import pointer_from_tokens

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from omp_models.templates import Template
    from omp_validators.options import ValidateOptions

__all__ = ["RULES", "Compiled", "check_options", "check_payload", "check_value_only",
           "compiled", "resolve_template"]

E, W = Severity.ERROR, Severity.WARNING


def _rule(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "template")


RULES: tuple[Rule, ...] = (
    _rule("smt-value/missing-element", "A mandatory element is missing from the payload", E,
          "The template requires the element (cardinality `One` or `OneToMany`), and the "
          "value-only payload has no member with its idShort (or, for `{00}` counters and "
          "`SMT/AllowedIdShort`, no member matching the pattern). Located at the object "
          "that lacks it. An element that exists without a value may be `null`.",
          "Add the member under the template's idShort (`omp schemas example TEMPLATE` "
          "prints a payload with every mandatory element)."),
    _rule("smt-value/cardinality", "A list has more or fewer items than the template allows",
          E, "The array of a SubmodelElementList has fewer items than the cardinality of "
          "the list's element requires, or more than it allows.",
          "Add or remove items."),
    _rule("smt-value/unexpected-element", "A member the template does not define", W,
          "The template defines no element with this idShort here and has no "
          "`Arbitrary...` placeholder the value fits. A warning, since templates may be "
          "extended (an error with `--strict-templates`). Often a misspelt idShort.",
          "Correct the idShort (they are case-sensitive) or remove the member."),
    _rule("smt-value/value-type", "A value does not fit the template's valueType", E,
          "In value-only payloads a Property's value is JSON typed by its valueType: "
          "`xs:string`, dates and times are strings (dates as `2024-05-31`), `xs:boolean` "
          "is `true`/`false`, numeric types are numbers (bounded integer types within "
          "their range). The value has another JSON type or form.",
          "Write the value as the JSON type of the valueType (a number without quotes for "
          "`xs:int`, `true` rather than `\"true\"` for `xs:boolean`)."),
    _rule("smt-value/allowed-value", "A value is not one of the allowed values", E,
          "The template restricts the value (`SMT/AllowedValue` or `SMT/FormChoice`) and "
          "the value is not among them.",
          "Use one of the allowed values."),
    _rule("smt-value/allowed-range", "A value is outside the allowed range", E,
          "The template restricts the value to an interval (`SMT/AllowedRange`).",
          "Use a value inside the range."),
    _rule("smt-value/required-lang", "A multi-language value lacks a required language", E,
          "The template requires texts in these languages (`SMT/RequiredLang`); the array "
          "of `{\"<language>\": \"<text>\"}` objects has none for one of them.",
          "Add a text in each required language."),
    _rule("smt-value/either-or", "No member of an either-or group is present", E,
          "The template groups elements with `SMT/EitherOr`: at least one must be present.",
          "Add one of the named elements."),
    _rule("smt-value/shape", "A value does not have the value-only form of its element", E,
          "Each kind of element has its value-only form: a collection is an object, a "
          "list an array, a MultiLanguageProperty `[{\"en\": \"text\"}]`, a Range "
          "`{\"min\", \"max\"}`, a File or Blob `{\"contentType\", \"value\"}`, a "
          "ReferenceElement a reference `{\"type\", \"keys\"}`, an Entity `{\"statements\", "
          "\"entityType\", \"globalAssetId\", \"specificAssetIds\"}`.",
          "Write the value in the value-only form of its element (IDTA-01001 3.1, Format "
          "\"Value\")."),
    _rule("smt-value/unknown-template", "The template given with --template is not known", E,
          "`--template` names no bundled template, plugin template or template of "
          "`--templates DIR` (by semanticId, name, idShort, IDTA number or file name).",
          "Check the name with `omp templates list`, or pass `--templates DIR`."),
)


class Compiled:
    """A template's value-only schema (``strict`` or not), compiled for both validators."""

    def __init__(self, template: Template, strict: bool) -> None:
        from jsonschema import Draft202012Validator

        from omp_models.submodels import value_only_schema

        self.template = template
        self.strict = strict
        self.schema = value_only_schema(template, strict=strict)
        self.reference = Draft202012Validator(self.schema)
        self.fast: Any = None
        try:
            import jsonschema_rs
        except ImportError:  # the `fast` extra is optional: python-jsonschema decides
            pass
        else:
            self.fast = jsonschema_rs.validator_for(self.schema)
        self.shapes = {id(node) for node in _nodes(self.schema.get("$defs", {}))}

    def is_valid(self, payload: Any) -> bool:
        """The verdict (jsonschema-rs when installed)."""
        if self.fast is not None:
            return bool(self.fast.is_valid(payload))
        return bool(self.reference.is_valid(payload))

    def explain(self, payload: Any, where: Where, unexpected: Severity = E) -> list[Finding]:
        """Every failure as a finding (python-jsonschema).

        Args:
            payload: The payload.
            where: Its file.
            unexpected: The severity of members the template does not define.
        """
        out: list[Finding] = []
        for error in self.reference.iter_errors(payload):
            out.extend(_explain(error, self, where, unexpected))
        return out


def _nodes(value: Any) -> Iterator[Any]:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


@lru_cache(maxsize=64)
def compiled(template: Template, strict: bool = False) -> Compiled:
    """The compiled schema of a template (cached)."""
    return Compiled(template, strict)


def resolve_template(options: ValidateOptions) -> Template | None:
    """The template ``--template`` names (with ``--templates DIR``), or ``None``."""
    from omp_models.templates import default_registry

    if options.template is None:
        return None
    return default_registry(tuple(options.template_dirs)).resolve(options.template)


def check_options(options: ValidateOptions) -> None:
    """Fail early on a ``--template`` that names no template.

    Raises:
        ValueError: The template is not known.
    """
    if options.template is not None and resolve_template(options) is None:
        raise ValueError(f"unknown submodel template {options.template!r} (see `omp "
                         "templates list`)")


def check_payload(obj: Any, where: Where, options: ValidateOptions
                  ) -> tuple[list[Finding], str]:
    """Validate one value-only payload against ``options.template``.

    Returns:
        The findings (JSON Pointers into the payload) and what was checked against
        (``value-only:Digital Nameplate for Industrial Equipment 3.0.1``).
    """
    template = resolve_template(options)
    if template is None:
        return [where.finding(
            "smt-value/unknown-template",
            f"No submodel template is known as {options.template!r}.", None)], (
            f"value-only:{options.template}")
    label = f"value-only:{template.name}" + (f" {template.version}" if template.version
                                             else "")
    return check_value_only(obj, template, where, strict=options.strict_templates), label


def check_value_only(payload: Any, template: Template, where: Where, *,
                     strict: bool = False) -> list[Finding]:
    """The findings of a value-only payload against a template (empty: it conforms).

    The payload is checked with the schema that allows elements the template does not
    define and with the one that does not: what only the second refuses is reported as
    ``smt-value/unexpected-element``, a warning (an error with ``strict``), as the template
    check does.
    """
    closed = compiled(template, True)
    if closed.is_valid(payload):
        return []
    schema = compiled(template, False)
    findings = [] if schema.is_valid(payload) else schema.explain(payload, where)
    # What only the strict schema refuses comes from members the template does not define.
    severity = E if strict else W
    explained = {f.location.path for f in findings}
    for finding in closed.explain(payload, where, severity):
        if finding.rule == "smt-value/unexpected-element":
            if finding not in findings:
                findings.append(finding)
        elif finding.location.path not in explained:
            explained.add(finding.location.path)
            findings.append(where.finding(
                "smt-value/unexpected-element",
                f"The value at {finding.location.path or '/'} has members the template does "
                f"not define there ({finding.message.rstrip('.')}).", finding.location.path,
                severity))
    findings.sort(key=lambda f: (f.location.path or "", f.rule, f.message))
    return findings


# --- explaining failures ---------------------------------------------------------------------


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _where(tokens: list[str | int]) -> str:
    return "the submodel" if not tokens else repr(pointer_from_tokens(tokens))


def _explain(error: ValidationError, schema: Compiled, where: Where, unexpected: Severity
             ) -> list[Finding]:
    tokens: list[str | int] = list(error.absolute_path)
    node = error.schema if isinstance(error.schema, dict) else {}
    comment = str(node.get("$comment", ""))
    pointer = pointer_from_tokens(tokens)
    keyword = str(error.validator)
    if "additionalProperties" in error.relative_schema_path and id(node) not in schema.shapes:
        if keyword == "additionalProperties":
            return [where.finding(
                "smt-value/unexpected-element",
                f"{key!r} is not an element the template defines in {_where(tokens)}.",
                pointer_from_tokens([*tokens, key]), unexpected)
                for key in _extra_keys(error.instance, node)]
        return [where.finding(
            "smt-value/unexpected-element",
            f"{tokens[-1]!r} is not an element the template defines in "
            f"{_where(tokens[:-1])}, and its value fits none of the template's Arbitrary "
            "placeholders there.", pointer, unexpected)]
    if id(node) in schema.shapes:
        return [where.finding("smt-value/shape", f"Not a valid value-only value here: "
                              f"{error.message}.", pointer)]
    if keyword in ("anyOf", "oneOf") and not comment and error.context:
        # The items of a list with several item templates: explain the closest one.
        return [f for sub in _closest(error) for f in _explain(sub, schema, where, unexpected)]
    return [_classified(error, keyword, comment, tokens, pointer, where)]


def _closest(error: ValidationError) -> list[ValidationError]:
    """The errors of the alternative that failed least (fewest errors, deepest first)."""
    by_branch: dict[Any, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    return min(by_branch.values(), key=lambda errs: (
        len(errs), -max(len(e.absolute_path) for e in errs)))


def _classified(error: ValidationError, keyword: str, comment: str,
                tokens: list[str | int], pointer: str, where: Where) -> Finding:
    from omp_models.submodels import _schema as names

    value = error.instance
    if keyword == "required":
        wanted = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [n for n in wanted if isinstance(value, Mapping) and n not in value]
        name = missing[0] if missing else "?"
        return where.finding("smt-value/missing-element",
                             f"The mandatory element {name!r} is missing in {_where(tokens)}.",
                             pointer)
    if comment.startswith(names.AT_LEAST_ONE_COMMENT):
        return where.finding("smt-value/missing-element",
                             f"No member for the mandatory element {comment[13:]} in "
                             f"{_where(tokens)}.", pointer)
    if comment.startswith(names.EITHER_OR_COMMENT):
        return where.finding("smt-value/either-or", f"None of the members of {comment} is "
                             f"present in {_where(tokens)}.", pointer)
    if comment.startswith(names.ALLOWED_VALUE_COMMENT):
        return where.finding("smt-value/allowed-value",
                             f"The value {_show(value)} is not allowed ({comment}).", pointer)
    if comment.startswith(names.ALLOWED_RANGE_COMMENT):
        return where.finding("smt-value/allowed-range", f"The value {_show(value)} is "
                             f"outside the allowed range ({comment}).", pointer)
    if comment.startswith(names.REQUIRED_LANG_COMMENT):
        lang = comment.rpartition(" ")[2]
        return where.finding("smt-value/required-lang", f"The multi-language value has no "
                             f"text in {lang!r} (SMT/RequiredLang).", pointer)
    if comment.startswith(names.VALUE_TYPE_COMMENT):
        value_type = comment[len(names.VALUE_TYPE_COMMENT):]
        return where.finding("smt-value/value-type", _value_type_message(
            value, value_type, keyword, error.message), pointer)
    if keyword == "minItems" and value == []:  # as the check: no item is a missing element
        return where.finding("smt-value/missing-element", f"The list is empty; the template "
                             f"requires at least {error.validator_value} item(s).", pointer)
    if keyword in ("minItems", "maxItems") and isinstance(value, list):
        bound = "at least" if keyword == "minItems" else "at most"
        return where.finding("smt-value/cardinality", f"The list has {len(value)} item(s); "
                             f"the template requires {bound} {error.validator_value}.", pointer)
    return where.finding("smt-value/shape", f"Not the value-only form of the element: "
                         f"{error.message}.", pointer)


_JSON_TYPES = ((bool, "boolean"), (int, "number"), (float, "number"), (str, "string"),
               (list, "array"), (dict, "object"), (type(None), "null"))


def _value_type_message(value: Any, value_type: str, keyword: str, detail: str) -> str:
    from omp_models.submodels._values import json_kind
    from omp_models.templates import default_value

    shown = _show(value)
    if keyword == "type":
        actual = next(name for cls, name in _JSON_TYPES if isinstance(value, cls))
        wanted = {"integer": "integer numbers", "number": "numbers",
                  "boolean": "true or false", "string": "strings"}.get(
            json_kind(value_type), "strings, numbers or booleans")
        return (f"The value {shown} is a JSON {actual}; {value_type} values are {wanted} "
                "in value-only payloads.")
    if keyword == "pattern":
        return (f"The value {shown} is not a literal of {value_type} (such as "
                f"{default_value(value_type)!r}).")
    return f"The value {shown} is outside the range of {value_type} ({detail})."


def _extra_keys(instance: Any, node: Mapping[str, Any]) -> list[str]:
    import re

    if not isinstance(instance, Mapping):
        return []
    declared = node.get("properties") or {}
    patterns = [re.compile(p) for p in node.get("patternProperties") or {}]
    return [key for key in instance if key not in declared
            and not any(p.search(key) for p in patterns)]
