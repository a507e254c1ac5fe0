"""Template conformance: does a submodel follow the submodel template its semanticId names?

Runs on every submodel of kind Instance (in an Environment or alone) whose semanticId is
that of a known template (bundled, from ``omp.templates`` plugins, or from
``--templates DIR``) or nearly is (then ``smt/semantic-id-near-miss`` names the expected
id). Instance elements are matched to template elements by semanticId, with idShort as the
fallback; then counts, model types, value types, semanticIds, allowed values and ranges,
required languages, list typing and either-or groups are checked. Nothing per template is
hand-written: the rules come from the template's data (:mod:`omp_models.templates`).

The rules of ``omp templates lint`` (``smt-lint/...``) are registered here as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from omp_models.aas._paths import Token, xml_path_from_tokens
from omp_models.diagnostics import Finding, Rule, Severity, Where
from omp_models.locate import pointer_from_tokens
from omp_models.templates._semantic import may_follow_bundled, semantic_id_of

if TYPE_CHECKING:
    from omp_models.templates import Template, TemplateRegistry
    from omp_validators.options import ValidateOptions

__all__ = ["DOCUMENT_CHECK", "RULES", "check_document", "check_submodel"]

E, W = Severity.ERROR, Severity.WARNING
_SPEC = "the submodel template (IDTA-01004 and the template's own specification)"


def _rule(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "template")


_CHECK_RULES: tuple[Rule, ...] = (
    _rule("smt/missing-element", "A mandatory template element is missing", E,
          f"{_SPEC} requires the element (cardinality `One` or `OneToMany`; an element "
          "without a cardinality qualifier counts as `One`), and the parent has none. "
          "Instance elements are recognised by semanticId, or by idShort when the "
          "semanticId differs. The finding is located at the parent.",
          "Add the element (with the template's semanticId and idShort), e.g. from "
          "`omp templates instantiate TEMPLATE`."),
    _rule("smt/cardinality", "An element occurs more (or less) often than the template "
          "allows", E,
          "The number of instance elements that stand for one template element is outside "
          "its cardinality: two where `One` or `ZeroToOne` allows one, too few list items. "
          "The finding is located at the first element too many (or at the parent).",
          "Remove the surplus elements, or add the missing ones."),
    _rule("smt/unexpected-element", "An element the template does not define", W,
          "No element of the template has this element's semanticId or idShort, and the "
          "template has no `Arbitrary...` placeholder of its model type here. A warning, "
          "since templates may be extended; an error with `--strict-templates`.",
          "Remove the element, correct its semanticId or idShort, or pass "
          "`--templates DIR` with the template version that defines it."),
    _rule("smt/model-type", "An element is of another model type than in the template", E,
          "The instance element stands for a template element (same semanticId or idShort) "
          "but is of another metamodel class, e.g. a Property where the template has a "
          "MultiLanguageProperty. Its content is not checked further.",
          "Use the template's model type."),
    _rule("smt/value-type", "A valueType differs from the template's", E,
          "A Property or Range has another `valueType` than the template element it stands "
          "for (e.g. `xs:string` for `xs:date`).",
          "Use the template's valueType and write the value in its format."),
    _rule("smt/semantic-id", "A semanticId differs from the template's", E,
          "The element was recognised by its idShort, but its semanticId is another (or "
          "missing). Consumers find data by semanticId, so the element is invisible to them.",
          "Copy the semanticId from the template."),
    _rule("smt/semantic-id-near-miss", "A semanticId nearly matches the template's", W,
          "The semanticId differs from the template's only by an IRDI version suffix "
          "(`#008` for `#009`), a trailing `/`, `zvei` for `idta` in an admin-shell.io IRI, "
          "`http` for `https`, letter case or the ECLASS IRI form. The message names the "
          "expected id. For a submodel, the template was applied anyway.",
          "Use the template's semanticId exactly."),
    _rule("smt/id-short", "An idShort differs from the template's", W,
          "The element was recognised by its semanticId, but its idShort is not the one "
          "the template fixes (elements that occur once and have no counter, "
          "`SMT/AllowedIdShort` or `EditIdShort`), or does not match the "
          "`SMT/AllowedIdShort` pattern. Value-only payloads and API paths use idShorts.",
          "Rename the element as in the template."),
    _rule("smt/allowed-value", "A value is not one of the allowed values", E,
          "The template restricts the value (`SMT/AllowedValue`: a regular expression or a "
          "`;`-separated list; `SMT/FormChoice`: a list of choices) and the value is not "
          "among them.",
          "Use one of the allowed values."),
    _rule("smt/allowed-range", "A value is outside the allowed range", E,
          "The template restricts the value to an interval (`SMT/AllowedRange`, e.g. "
          "`[0,100]`).",
          "Use a value inside the range."),
    _rule("smt/required-lang", "A multi-language value lacks a required language", E,
          "The template requires texts in these languages (`SMT/RequiredLang`).",
          "Add a text in each required language."),
    _rule("smt/either-or", "No member of an either-or group is present", E,
          "The template groups elements with `SMT/EitherOr`: at least one of them must be "
          "present.",
          "Add one of the named elements."),
    _rule("smt/list-element", "A list's element typing differs from the template's", E,
          "A SubmodelElementList's `typeValueListElement`, `valueTypeListElement` or "
          "`semanticIdListElement` is not the template's, so its items are of another "
          "kind than the template defines.",
          "Use the template's list typing."),
    _rule("smt/template-qualifier", "A template qualifier was left in the instance", W,
          "Qualifiers such as `SMT/Cardinality`, `Multiplicity`, `SMT/ExampleValue` or the "
          "form qualifiers describe the template, not the instance (AASd-129 forbids "
          "qualifiers of kind `TemplateQualifier` in instances; it is reported by the "
          "metamodel layer, this rule reports the same qualifiers when their `kind` is "
          "missing or `ConceptQualifier`, as in most published templates).",
          "Remove the qualifier (`omp templates instantiate` never copies them)."),
)


#: Every rule of this module: the conformance check's and ``omp templates lint``'s
#: (assigned on first use by ``__getattr__``).
RULES: tuple[Rule, ...]


def __getattr__(name: str) -> Any:
    # ``RULES``: every rule of this module, the conformance check's and ``omp templates
    # lint``'s; built on first use (the lint's module loads the template model).
    if name == "RULES":
        from omp_models.templates._lint import LINT_RULES

        rules: tuple[Rule, ...] = (*_CHECK_RULES, *LINT_RULES)
        globals()["RULES"] = rules
        return rules
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_submodel(
    submodel: Mapping[str, Any],
    template: Template,
    where: Where,
    tokens: list[Token] | None = None,
    *,
    kind: Literal["json", "xml"] = "json",
    root_class: str = "Environment",
    strict: bool = False,
    near: str | None = None,
) -> list[Finding]:
    """Check one submodel (JSON form) against one template.

    Args:
        submodel: The submodel.
        template: The template it claims to follow.
        where: Its file (and AASX part).
        tokens: Where the submodel is in its document (``["submodels", 0]``).
        kind: ``json`` (findings at JSON Pointers) or ``xml`` (at XML paths).
        root_class: The class of the document's root (for XML paths).
        strict: Unexpected elements are errors.
        near: When the submodel's semanticId only nearly matches the template's: how.

    Returns:
        The findings, in document order.
    """
    from omp_validators.checks._template_walk import Walk

    base = list(tokens or [])

    def path_of(steps: list[Token]) -> str:
        if kind == "json":
            return pointer_from_tokens(steps)
        return xml_path_from_tokens(root_class, steps)

    walk = Walk(template, where, path_of, strict)
    if near is not None:
        actual = semantic_id_of(submodel.get("semanticId"))
        walk.findings.append(where.finding(
            "smt/semantic-id-near-miss",
            f"The submodel's semanticId {actual!r} nearly matches the template "
            f"{template.name!r} ({template.semantic_id!r}: {near}); checked against it.",
            path_of([*base, "semanticId"]), W))
    walk.submodel(submodel, base)
    return walk.findings


def _submodels(document: Mapping[str, Any], model_type: str
               ) -> list[tuple[Mapping[str, Any], list[Token]]]:
    if model_type == "Submodel":
        return [(document, [])]
    if model_type != "Environment":
        return []
    items = document.get("submodels")
    if not isinstance(items, list):
        return []
    return [(sm, ["submodels", i]) for i, sm in enumerate(items)
            if isinstance(sm, (dict, Mapping))]  # (dict first: no ABC check for it)


def _bundled_only(options: ValidateOptions) -> bool:
    """Whether the run's registry holds only the bundled templates (no folders, plugins)."""
    if options.template_dirs:
        return False
    from omp_models._plugins import entry_points  # (no importlib.metadata without plugins)

    return not entry_points("omp.templates")


def check_document(
    document: dict[str, Any],
    model_type: str,
    version: str,
    where: Where,
    kind: Literal["json", "xml"],
    options: ValidateOptions,
    registry: TemplateRegistry | None = None,
) -> list[Finding]:
    """Template conformance of every instance submodel of a document.

    Args:
        document: The document (JSON form): an Environment or a Submodel.
        model_type: Its class.
        version: Its metamodel version (the rules are the same for 3.0 and 3.1).
        where: Its file (and AASX part).
        kind: ``json`` or ``xml``: how paths are rendered.
        options: The run's options (``template_dirs``, ``strict_templates``).
        registry: The templates to use (default: bundled, plugins, ``template_dirs``).

    Returns:
        The findings of every submodel that follows a known template.
    """
    del version
    findings: list[Finding] = []
    for submodel, tokens in _submodels(document, model_type):
        if submodel.get("kind") == "Template":
            continue
        semantic_id = semantic_id_of(submodel.get("semanticId"))
        if semantic_id is None:
            continue
        if registry is None:
            if _bundled_only(options) and not may_follow_bundled(semantic_id):
                continue  # no template can match: the registry need not be loaded
            from omp_models.templates._registry import default_registry

            registry = default_registry(tuple(options.template_dirs))
        match = registry.match(semantic_id)
        if match is None:
            continue
        findings.extend(check_submodel(
            submodel, match.template, where, tokens, kind=kind, root_class=model_type,
            strict=options.strict_templates, near=match.near if not match.exact else None))
    return findings


def _document_check(document: dict[str, Any], model_type: str, version: str, where: Where,
                    kind: Literal["json", "xml"], options: ValidateOptions) -> list[Finding]:
    return check_document(document, model_type, version, where, kind, options)


#: Registered in :func:`omp_validators.checks.document_checks`.
DOCUMENT_CHECK = _document_check
