"""Lint a template itself: is it consistent with the SMT specification (IDTA-01004)?

Metamodel validity is the validator's job (``omp templates lint`` runs it as well); the
rules here are about the template layer: how the qualifiers are written, whether elements
can be recognised (semanticIds), whether example values fit their value types, whether
lists and either-or groups make sense. None of them stops a template from being used.
"""

from __future__ import annotations

from collections.abc import Callable

from omp_models.aas._paths import xml_path_from_tokens
from omp_models.diagnostics import Finding, Rule, Severity, Where
from omp_models.locate import pointer_from_tokens
from omp_models.templates._model import Template, TemplateElement, Token
from omp_models.templates._qualifiers import value_allowed
from omp_models.templates._values import value_fits

__all__ = ["LINT_RULES", "lint_template", "template_path_of"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_SPEC = "IDTA-01004 (Template Qualifiers / SMT specification)"


def _rule(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "template-lint")


#: The rules of ``omp templates lint`` (besides the metamodel rules it also runs).
LINT_RULES: tuple[Rule, ...] = (
    _rule("smt-lint/unreadable", "A template file or part cannot be read", E,
          "The file (or an AASX spec part) is neither AAS JSON nor AAS XML of metamodel 3.0 "
          "or 3.1, nor an AASX Package Explorer forms file, so no template can be read "
          "from it.",
          "Export the template again as AAS JSON, XML or AASX."),
    _rule("smt-lint/no-template", "The file holds no submodel", W,
          "The file was read, but it contains no submodel, so it defines no template.",
          "Add the submodel template, or remove the file from the template folder."),
    _rule("smt-lint/not-a-template", "The submodel's kind is not Template", INFO,
          "Published example and sample files are instances. They can still serve as "
          "templates (every element counts as mandatory unless it has a cardinality), but "
          "template qualifiers in them violate AASd-129.",
          "Set `kind` to `Template` if the file is meant as a template."),
    _rule("smt-lint/missing-semantic-id", "The template or an element has no semanticId", W,
          "Instances are matched to a template by the submodel's semanticId, and their "
          "elements to the template's by semanticId (idShort is only the fallback). A "
          "template submodel without one cannot be found at all (reported as an error); an "
          "element without one is recognised by idShort only.",
          "Give the submodel and every element the semanticId of its concept."),
    _rule("smt-lint/cardinality-spelling", "A cardinality qualifier is spelled differently "
          "from the SMT specification", W,
          f"{_SPEC} names the qualifier `SMT/Cardinality` with the values `One`, "
          "`ZeroToOne`, `ZeroToMany`, `OneToMany`. Published templates also write "
          "`Cardinality`, `Multiplicity` and `SMT/SMT/Cardinality`, and values with other "
          "letter case, spaces or typos (`ZerotoMany`, `ZeroToOne `, `ZerotToOne`). They "
          "are read as intended; other tools may not read them.",
          "Write `SMT/Cardinality` with one of the four values exactly."),
    _rule("smt-lint/cardinality-value", "A cardinality value is not one of the four SMT "
          "values", E,
          "The value is not `One`, `ZeroToOne`, `ZeroToMany` or `OneToMany`. Number words "
          "(`Three`, `TwoToMany`) are read as bounds; anything else (`Recursive`) leaves the "
          "element with the default cardinality.",
          "Use one of the four values; express other bounds in the description."),
    _rule("smt-lint/cardinality-conflict", "An element has several cardinality qualifiers "
          "that disagree", E,
          "Two cardinality qualifiers (in any spelling) give different values; the first "
          "one counts.",
          "Keep one `SMT/Cardinality` qualifier."),
    _rule("smt-lint/cardinality-missing", "An element has no cardinality qualifier", INFO,
          "Without a cardinality qualifier an element counts as `One` (mandatory, once), as "
          "in UML; the element of a SubmodelElementList counts as `ZeroToMany` (any number "
          "of items). Both defaults are options of the template loader.",
          "Add an `SMT/Cardinality` qualifier."),
    _rule("smt-lint/qualifier-kind", "A template qualifier is not of kind TemplateQualifier",
          INFO,
          "SMT qualifiers (cardinality, allowed values, example values, form qualifiers) "
          "describe the template, so their `kind` is `TemplateQualifier` (see "
          "admin-shell-io/submodel-templates#159). Without it the qualifier is a "
          "ConceptQualifier, and AASd-129 does not remind instances to drop it.",
          "Set `kind` to `TemplateQualifier`."),
    _rule("smt-lint/allowed-value", "An allowed-value or allowed-idShort qualifier is not "
          "what it seems", W,
          "`SMT/AllowedValue` and `SMT/AllowedIdShort` take a regular expression. Values "
          "that do not compile are compared literally; numbered variants "
          "(`SMT/AllowedValue1`) are accepted; the common misspelling `X[\\d{2,3}]` (a "
          "character class) is read as `X\\d{2,3}`; an idShort that does not match its "
          "own pattern is reported too.",
          "Write one valid regular expression per qualifier."),
    _rule("smt-lint/allowed-range", "An allowed range cannot be read", W,
          "`SMT/AllowedRange` takes an interval such as `[0,100]` or `(0,1]`; this one "
          "could not be read, so values are not checked against it.",
          "Write the range as an interval of two numbers."),
    _rule("smt-lint/example-value", "An example or default value does not fit the element",
          W,
          "An `SMT/ExampleValue`, `SMT/DefaultValue` or `SMT/InitialValue` is not a valid "
          "literal of the element's valueType, or not one of its allowed values, so it "
          "cannot be used in an instance.",
          "Correct the value, or the element's valueType."),
    _rule("smt-lint/either-or", "An either-or group is odd", W,
          "`SMT/EitherOr` groups elements of which at least one must be present. A group "
          "with one member, or with a mandatory member, says nothing.",
          "Give every member of the group the same group id and make them optional."),
    _rule("smt-lint/list-element", "A list template does not have exactly one element", W,
          "The element of a SubmodelElementList in a template describes every item of the "
          "list; a list with none or several elements cannot say what its items are (the "
          "first one of the item's model type is used).",
          "Give the list exactly one element."),
    _rule("smt-lint/duplicate-semantic-id", "Sibling elements share a semanticId", INFO,
          "Instance elements are matched to template elements by semanticId; siblings with "
          "one semanticId are told apart by idShort only.",
          "Give each sibling its own semanticId, if the concepts differ."),
    _rule("smt-lint/forms-format", "The template is an AASX Package Explorer forms file", INFO,
          "Forms files (`GenericForm`, `$type: Options`) describe a template for the AASX "
          "Package Explorer's editor. omp-toolkit reads them as templates, but other AAS "
          "tools cannot.",
          "Publish the template as AAS JSON, XML or AASX."),
)


def template_path_of(template: Template) -> Callable[[tuple[Token, ...]], str]:
    """Renders tokens of the template's document as a JSON Pointer or an XML path."""
    if template.source_kind == "xml":
        return lambda tokens: xml_path_from_tokens("Environment", list(tokens))
    return lambda tokens: pointer_from_tokens(tokens)


def _examples(template: Template, element: TemplateElement
              ) -> list[tuple[str, str, tuple[Token, ...]]]:
    """``(kind, value, tokens)`` of the example and default values to check."""
    found: list[tuple[str, str, tuple[Token, ...]]] = []
    qualifiers = element.raw.get("qualifiers")
    if not isinstance(qualifiers, list):
        return found
    for i, q in enumerate(qualifiers):
        if not isinstance(q, dict) or not isinstance(q.get("value"), str):
            continue
        qtype = str(q.get("type", "")).casefold()
        if "examplevalue" in qtype.replace("/", "") or qtype.endswith(
                ("defaultvalue", "initialvalue")):
            found.append((str(q.get("type")), q["value"], (*element.tokens, "qualifiers", i,
                                                            "value")))
    return found


def _element_findings(template: Template, element: TemplateElement,
                      add: Callable[..., None]) -> None:
    if element.semantic_id is None:
        add("smt-lint/missing-semantic-id",
            f"{element.model_type} {element.display_path!r} has no semanticId.",
            element.tokens)
    if element.cardinality_qualifier is None and template.source_kind != "forms":
        add("smt-lint/cardinality-missing",
            f"{element.display_path!r} has no cardinality qualifier; read as "
            f"{element.cardinality.name}.", element.tokens)
    if element.model_type == "Property" and element.value_type is not None:
        version = template.aas_version or "3.1"
        for kind, value, tokens in _examples(template, element):
            if not value_fits(value, element.value_type, version):
                add("smt-lint/example-value",
                    f"The {kind} {value!r} of {element.display_path!r} is not a valid "
                    f"{element.value_type}.", tokens)
            elif element.allowed_values and not value_allowed(value, element.allowed_values):
                add("smt-lint/example-value",
                    f"The {kind} {value!r} of {element.display_path!r} is not one of its "
                    "allowed values.", tokens)
    if (element.allowed_id_short is not None and element.id_short is not None
            and not element.accepts_id_short(element.id_short)):
        add("smt-lint/allowed-value",
            f"The idShort {element.id_short!r} does not match its own AllowedIdShort "
            f"{element.allowed_id_short!r}; instances are named by the pattern.",
            element.tokens)
    if element.model_type == "SubmodelElementList" and len(element.children) != 1:
        add("smt-lint/list-element",
            f"The list {element.display_path!r} has {len(element.children)} elements; a list "
            "template has one.", element.tokens)


def _sibling_findings(children: tuple[TemplateElement, ...], add: Callable[..., None]) -> None:
    seen: dict[tuple[str, str], TemplateElement] = {}
    groups: dict[tuple[str, str], list[TemplateElement]] = {}
    for child in children:
        if child.either_or is not None:
            groups.setdefault((child.container, child.either_or), []).append(child)
        if child.semantic_id is None or child.arbitrary or child.in_list:
            continue
        key = (child.container, child.semantic_id)
        first = seen.setdefault(key, child)
        if first is not child:
            add("smt-lint/duplicate-semantic-id",
                f"{child.display_path!r} has the semanticId of {first.display_path!r} "
                f"({child.semantic_id}); they are told apart by idShort.", child.tokens)
    for (_, group), members in groups.items():
        if len(members) == 1:
            add("smt-lint/either-or",
                f"The either-or group {group!r} has one member only "
                f"({members[0].display_path!r}).", members[0].tokens)
        for member in members:
            if member.cardinality.mandatory:
                add("smt-lint/either-or",
                    f"{member.display_path!r} is in the either-or group {group!r} but is "
                    f"mandatory ({member.cardinality.name}); the group is read as optional "
                    "members.", member.tokens)


def lint_template(template: Template, where: Where | None = None) -> list[Finding]:
    """The template-layer findings for one template, located in its source document.

    Args:
        template: The template (as read by :func:`~omp_models.templates.load_templates`).
        where: The file (default: the template's source and AASX part).

    Returns:
        The findings, in document order (notes from reading first).
    """
    where = where or Where(template.source, template.member)
    path_of = template_path_of(template)
    severity = {r.id: r.severity for r in LINT_RULES}
    findings: list[Finding] = []

    def add(rule: str, message: str, tokens: tuple[Token, ...],
            level: Severity | None = None) -> None:
        findings.append(where.finding(rule, message, path_of(tokens),
                                      level or severity[rule]))

    for note in template.notes:
        add(note.rule, note.message, note.tokens)
    if template.kind != "Template" and template.source_kind != "forms":
        add("smt-lint/not-a-template",
            f"The submodel {template.id_short!r} has kind {template.kind or 'unset'} "
            "(Instance).", (*template.tokens, "kind") if template.kind else template.tokens)
    if template.semantic_id is None:
        add("smt-lint/missing-semantic-id",
            f"The submodel {template.id_short!r} has no semanticId: instances of it cannot "
            "be recognised.", template.tokens, E)
    _sibling_findings(template.elements, add)
    for element in template.walk():
        _element_findings(template, element, add)
        _sibling_findings(element.children, add)
    return findings
