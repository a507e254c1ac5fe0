"""The rule registry: every rule id the validator can emit, with its explanation.

``omp rules list`` and ``omp rules explain RULE`` print from here, and the documentation
pages that SARIF's ``helpUri`` points to are generated from the same entries, so the three
never disagree. Metamodel constraints (``AASd-*``, ``AASc-*``) come from aas-core's
generated verification code, whose messages quote the specification.
"""

from __future__ import annotations

import sys
from functools import cache

from omp_models.diagnostics import Rule, Severity

__all__ = [
    "DOCS_URL",
    "Rule",
    "all_rules",
    "get_rule",
    "help_uri",
    "hint_for",
    "register",
    "rule_slug",
]

#: Base URL of the published documentation (the SARIF ``helpUri`` of every rule).
DOCS_URL = "https://omp-toolkit.readthedocs.io/en/latest"


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_BUILTIN: tuple[Rule, ...] = (
    # --- syntax ---------------------------------------------------------------------------
    Rule("syntax/json", "The file is not well-formed JSON", E,
         "The JSON parser stopped at the reported line and column. Nothing else in the file "
         "can be checked until it parses.",
         "Fix the JSON syntax at the reported position (a missing comma, quote or bracket "
         "is the usual cause).", "syntax"),
    Rule("syntax/xml", "The file is not well-formed XML", E,
         "The XML parser stopped at the reported line and column.",
         "Fix the XML syntax at the reported position (an unclosed or mismatched tag, or an "
         "unescaped `&` or `<`).", "syntax"),
    Rule("syntax/encoding", "The file is not valid UTF-8", E,
         "AAS JSON must be UTF-8 encoded (RFC 8259).",
         "Re-save the file as UTF-8.", "syntax"),
    Rule("syntax/unknown-format", "The file is neither JSON, XML nor AASX", E,
         "The format could not be told from the file name or its first bytes.",
         "Name the file `.json`, `.xml` or `.aasx`.", "syntax"),
    # --- hostile input / limits -----------------------------------------------------------
    Rule("xml/doctype", "XML document type declarations are not allowed", E,
         "AAS XML has no DTD. A `<!DOCTYPE>` can declare entities that read local files or "
         "URLs (XXE) or expand exponentially (billion laughs), so documents with one are "
         "refused without being parsed further.",
         "Remove the `<!DOCTYPE ...>` declaration and any entity references.", "limits"),
    Rule("limits/size", "The input is larger than the configured limit", E,
         "Inputs above `max-file-size` are not read, so one oversized file cannot exhaust "
         "memory in a batch.",
         "Raise `--max-file-size` if the file is legitimate.", "limits"),
    Rule("limits/depth", "The document is nested deeper than the configured limit", E,
         "Deeply nested documents can exhaust the parser's stack; they are refused.",
         "Flatten the structure, or raise the limit if the nesting is legitimate.", "limits"),
    Rule("limits/digits", "A number too long to check against its value type", E,
         "A value (for example the year of an `xs:date` or an `xs:long`) has more than "
         "4,300 digits, the most Python converts to an integer (a guard against "
         "quadratic-time conversion). aas-core stops there, so the value and the rest of "
         "the document were not verified.",
         "Shorten the value; no real value needs that many digits.", "limits"),
    Rule("limits/findings", "More findings than `--max-findings-per-file`", INFO,
         "The file had more findings than the per-file cap; the rest were not reported.",
         "Fix the reported findings first, or raise `--max-findings-per-file`.", "limits"),
    # --- metamodel structure (deserialisation) --------------------------------------------
    Rule("aas/structure", "The document does not have the metamodel's structure", E,
         "The document could not be read as the metamodel class it claims to be.",
         "Compare the element with the AAS specification (IDTA-01001 Part 1) or the "
         "official JSON Schema / XSD.", "metamodel"),
    Rule("aas/required", "A required property is missing", E,
         "The metamodel requires this property on this class.",
         "Add the named property.", "metamodel"),
    Rule("aas/unexpected-property", "A property the metamodel does not define", E,
         "The class has no such property in this metamodel version. Misspelled names and "
         "properties from another metamodel version are the usual cause.",
         "Remove or rename the property; check the metamodel version.", "metamodel"),
    Rule("aas/type", "A value has the wrong JSON/XML type", E,
         "For example a list where a string is expected, or `null`.",
         "Give the value the type the metamodel defines.", "metamodel"),
    Rule("aas/enum", "A value is not one of the enumeration's literals", E,
         "Enumerations such as `valueType`, `kind` or `KeyTypes` accept only their literals.",
         "Use one of the literals of the enumeration (spelling and case matter).",
         "metamodel"),
    Rule("aas/model-type", "Missing, unknown or unexpected model type", E,
         "The `modelType` (JSON) or element name (XML) must name a concrete metamodel class "
         "that is allowed at this place.",
         "Set `modelType` to the class of the element, or pass `--model-type CLASS` for a "
         "document that holds a single instance without one.", "metamodel"),
    Rule("aas/model-type-ambiguous", "The document fits several metamodel classes", INFO,
         "A JSON object without `modelType` (a language string, a reference, ...) could be "
         "an instance of several classes; it was checked as the first one named.",
         "Pass `--model-type CLASS` to check it as a specific class.", "metamodel"),
    Rule("aas/namespace", "The XML namespace is not an AAS 3.0 or 3.1 namespace", E,
         "AAS XML must use `https://admin-shell.io/aas/3/0` or `https://admin-shell.io/aas/3/1`.",
         "Set the root element's namespace; AAS V2 files must be migrated first.",
         "metamodel"),
    Rule("aas/version-mismatch", "The document is of another metamodel version than pinned", E,
         "`--aas-version` pins the metamodel version, and the XML namespace says otherwise.",
         "Pin the version the document declares, or migrate the document.", "metamodel"),
    Rule("aas/version-undetermined", "Valid under neither AAS 3.0 nor 3.1", INFO,
         "A JSON document does not say which metamodel version it follows. It was checked "
         "under both, and the findings of the version it comes closer to are reported.",
         "Pin the intended version with `--aas-version` to see its findings only.",
         "metamodel"),
    # --- metamodel constraints without a spec number ---------------------------------------
    Rule("aas/value-type", "A value is not in the lexical space of its value type", E,
         "`value`, `min`, `max` and similar must be valid literals of the declared "
         "`valueType` (xs:int, xs:dateTime, ...).",
         "Write the value as a literal of its `valueType`, or correct the `valueType`.",
         "metamodel"),
    Rule("aas/min-length", "A string or list is empty where it must not be", E,
         "The metamodel forbids empty strings and empty lists here: omit the property "
         "instead.",
         "Remove the empty property, or give it a value.", "metamodel"),
    Rule("aas/max-length", "A string is longer than the metamodel allows", E,
         "idShort 128, identifiers 2000 (3.0) / 2048 (3.1), content types 100/128, ...",
         "Shorten the value.", "metamodel"),
    Rule("aas/pattern", "A string does not match the pattern its type requires", E,
         "For example language tags (BCP 47), MIME types, xs:dateTime in UTC, version and "
         "revision strings.",
         "Write the value in the required format.", "metamodel"),
    Rule("aas/unique", "Duplicate languages or idShorts", E,
         "Multi-language values need one entry per language; idShorts of siblings must be "
         "unique.",
         "Remove or rename the duplicate.", "metamodel"),
    Rule("aas/reference-type", "A reference of the wrong kind", E,
         "For example `AssetAdministrationShell/submodels` must be model references to "
         "submodels.",
         "Make the reference a ModelReference whose keys end at the required class.",
         "metamodel"),
    Rule("aas/invariant", "A metamodel invariant is violated", E,
         "An invariant of the metamodel without its own constraint number.",
         "Read the message; it quotes the invariant.", "metamodel"),
    # --- environment ----------------------------------------------------------------------
    Rule("env/duplicate-id", "Two identifiables share one id", E,
         "Identifiers of shells, submodels and concept descriptions must be globally "
         "unique; inside one environment a duplicate makes references ambiguous.",
         "Give each identifiable its own id.", "environment"),
    Rule("env/unresolved-reference", "A model reference points to nothing", W,
         "The keys of a ModelReference do not lead to an element of this environment. "
         "This is fine when the target lives in another environment or server.",
         "Check the keys (ids, idShorts, list indexes) against the target element.",
         "environment"),
    Rule("env/missing-concept-description", "A semanticId has no ConceptDescription", INFO,
         "The environment carries ConceptDescriptions, but none for this semanticId.",
         "Add the ConceptDescription, or ignore this rule when the concept is defined "
         "elsewhere (ECLASS, IEC CDD).", "environment"),
    # --- tool -----------------------------------------------------------------------------
    Rule("tool/internal-error", "The validator failed on this input", E,
         "An unexpected error inside omp-toolkit; the rest of the batch was still checked.",
         "Please report it with the input file.", "tool"),
    Rule("tool/unreadable", "The input could not be read", E,
         "The file could not be opened or read (permissions, a broken link, a directory).",
         "Check that the path exists and is readable.", "tool"),
)

_AASD_HINT = (
    "See the constraint in the AAS specification (IDTA-01001 Part 1, annex 'Constraints')."
)


@cache
def _constraint_rules() -> dict[str, Rule]:
    """AASd/AASc rules, titled with aas-core's messages (which quote the spec)."""
    from omp_validators._generated.constraints import CONSTRAINTS

    return {
        rid: Rule(rid, text, Severity.ERROR, text, _AASD_HINT, "metamodel")
        for rid, text in CONSTRAINTS.items()
    }


#: Modules outside ``omp_validators.checks`` that define rules in a ``RULES`` tuple.
_RULE_MODULES = ("omp_models.aas.package", "omp_models.formats.dtdl")


def _rule_modules() -> list[str]:
    """Every module that may define ``RULES``: the check modules and the list above."""
    import pkgutil

    import omp_validators.checks as checks

    found = [
        f"omp_validators.checks.{info.name}"
        for info in pkgutil.iter_modules(checks.__path__)
        if not info.name.startswith("_")
    ]
    return [*_RULE_MODULES, *sorted(found)]


@cache
def _rules() -> dict[str, Rule]:
    import importlib

    rules = {r.id: r for r in _BUILTIN}
    for module in _rule_modules():
        rules.update({r.id: r for r in getattr(importlib.import_module(module), "RULES", ())})
    rules.update(_constraint_rules())
    rules["AASd-002"] = Rule(
        "AASd-002",
        "idShort shall only feature letters, digits, underscore (and hyphen in 3.1); "
        "starting mandatory with a letter",
        Severity.ERROR,
        "idShort shall only feature letters, digits, underscore (`_`), in 3.1 also hyphen "
        "(`-`), start with a letter and (3.1) not end with a hyphen.",
        "Rename the idShort, e.g. replace spaces and dots with underscores.",
        "metamodel",
    )
    return dict(sorted(rules.items(), key=lambda kv: _sort_key(kv[0])))


def _sort_key(rule_id: str) -> tuple[int, str]:
    order = ("syntax/", "xml/", "limits/", "aas/", "AAS", "env/", "aasx/", "tool/")
    for i, prefix in enumerate(order):
        if rule_id.startswith(prefix):
            return i, rule_id
    return len(order), rule_id


def all_rules() -> list[Rule]:
    """Every known rule, grouped by layer."""
    return list(_rules().values())


def get_rule(rule_id: str) -> Rule | None:
    """The rule with this id, or ``None``."""
    return _rules().get(rule_id)


def _already_known(rule_id: str) -> Rule | None:
    """The rule from what is already loaded, without importing every rule module.

    A finding's rule is defined by the module that reported it, which is loaded by then;
    building the whole registry would import every format and check (``omp rules`` and
    SARIF need that, a text report does not).
    """
    if _rules.cache_info().currsize:
        return _rules().get(rule_id)
    for rule in _BUILTIN:
        if rule.id == rule_id:
            return rule
    if rule_id.startswith("AAS") and rule_id != "AASd-002":
        return _constraint_rules().get(rule_id)
    for name in _RULE_MODULES_LOADED_FIRST:
        module = sys.modules.get(name)
        defined: tuple[Rule, ...] = getattr(module, "__dict__", {}).get("RULES", ())
        for candidate in defined:
            if candidate.id == rule_id:
                return candidate
    return None


#: Modules whose ``RULES`` :func:`hint_for` looks at once they are loaded.
_RULE_MODULES_LOADED_FIRST = (
    "omp_validators.checks.environment",
    "omp_validators.checks.aasx",
    "omp_validators.checks.template",
    "omp_validators.checks.payload_template",
    "omp_validators.checks.payload_aspect",
    "omp_validators.checks.shacl",
    "omp_models.aas.package",
)


#: Hints already looked up, by rule id (every finding of a run asks; :func:`register`
#: forgets them).
_HINTS: dict[str, str | None] = {}


def hint_for(rule_id: str) -> str | None:
    """The fix hint of a rule, if the rule is known."""
    try:
        return _HINTS[rule_id]
    except KeyError:
        pass
    rule = _already_known(rule_id) or _rules().get(rule_id)
    hint = _HINTS[rule_id] = rule.hint if rule else None
    return hint


def help_uri(rule_id: str) -> str:
    """The documentation page of a rule (the SARIF ``helpUri``)."""
    return f"{DOCS_URL}/rules/{rule_slug(rule_id)}/"


def rule_slug(rule_id: str) -> str:
    """File-name-safe form of a rule id (``aasx/missing-origin`` -> ``aasx-missing-origin``)."""
    return rule_id.replace("/", "-")


def register(rule: Rule) -> None:
    """Add a rule (used by check modules and plugins that define their own rules)."""
    _rules()[rule.id] = rule
    _HINTS.pop(rule.id, None)
