"""Self-test of a template with the conformance check: instances pass, mutations are caught.

For one template: a minimal and a maximal instance (:func:`omp_models.templates.instantiate`)
must pass the template check with no finding, and the metamodel check with no finding the
template itself does not already have (at the same element, same rule). Then each
mutation kind is applied to targets in the instances, one at a time, and must yield
exactly one finding of the expected rule at the expected place:

=====================  ==================================================  =====================
kind                   mutation                                            expected rule
=====================  ==================================================  =====================
``drop-mandatory``     remove a mandatory element (minimal instance)       smt/missing-element
``duplicate-one``      add a second copy of a ``One`` element              smt/cardinality
``value-type``         change a Property's or Range's valueType            smt/value-type
``semantic-id``        change an element's semanticId                      smt/semantic-id
``unknown-element``    add an element the template does not define        smt/unexpected-element
``allowed-value``      set a value outside ``SMT/AllowedValue``            smt/allowed-value
``allowed-range``      set a value outside ``SMT/AllowedRange``            smt/allowed-range
=====================  ==================================================  =====================

Used by the conformance tests over the published templates and by the generator of
``docs/templates-lint.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from omp_models.aas._core import AasVersion
from omp_models.diagnostics import Finding, Where
from omp_models.locate import pointer_from_tokens, split_pointer
from omp_models.templates import (
    ONE,
    Instance,
    Template,
    TemplateElement,
    instantiate,
    reference_from_id,
    value_allowed,
)
from omp_validators.checks.metamodel import Target, check_json_value
from omp_validators.checks.template import check_submodel

__all__ = ["KINDS", "MutationResult", "SelfTest", "selftest"]

Token = str | int
KINDS = ("drop-mandatory", "duplicate-one", "value-type", "semantic-id", "unknown-element",
         "allowed-value", "allowed-range")
_BASE: list[Token] = ["submodels", 0]
_NOT_ALLOWED = "omp-not-an-allowed-value"
_WHERE = Where("instance.json")


@dataclass(frozen=True)
class MutationResult:
    """One mutation and what the check said.

    Attributes:
        kind: The mutation kind (see :data:`KINDS`).
        target: The template element's path.
        expected: ``(rule, JSON Pointer)`` the check must report, alone.
        got: ``(rule, JSON Pointer)`` of every finding it reported.
    """

    kind: str
    target: str
    expected: tuple[str, str]
    got: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        """The check reported exactly the expected finding."""
        return self.got == (self.expected,)


@dataclass
class SelfTest:
    """The outcome of :func:`selftest` for one template."""

    template: Template
    minimal_findings: list[Finding] = field(default_factory=list)
    maximal_findings: list[Finding] = field(default_factory=list)
    minimal_metamodel: list[Finding] = field(default_factory=list)
    maximal_metamodel: list[Finding] = field(default_factory=list)
    mutations: list[MutationResult] = field(default_factory=list)
    targets: dict[str, int] = field(default_factory=dict)

    @property
    def minimal_ok(self) -> bool:
        """The minimal instance passed both checks."""
        return not self.minimal_findings and not self.minimal_metamodel

    @property
    def maximal_ok(self) -> bool:
        """The maximal instance passed both checks."""
        return not self.maximal_findings and not self.maximal_metamodel

    @property
    def passed(self) -> int:
        """Mutations caught exactly as expected."""
        return sum(1 for m in self.mutations if m.ok)

    def kinds(self) -> dict[str, tuple[int, int]]:
        """Per mutation kind: (passed, run)."""
        out: dict[str, tuple[int, int]] = {}
        for m in self.mutations:
            done, run = out.get(m.kind, (0, 0))
            out[m.kind] = (done + m.ok, run + 1)
        return out


# --- the metamodel comparison ---------------------------------------------------------------


def _tokens(pointer: str) -> tuple[Token, ...]:
    return tuple(int(t) if t.isdigit() else t for t in split_pointer(pointer))


def _owner(tokens: tuple[Token, ...], known: set[tuple[Token, ...]]) -> tuple[Token, ...]:
    for end in range(len(tokens), -1, -1):
        if tokens[:end] in known:
            return tokens[:end]
    return ()


def template_metamodel_keys(template: Template) -> set[tuple[str, tuple[Token, ...]]]:
    """``(rule, element tokens)`` of the template's own metamodel findings."""
    if template.source_kind == "forms" or not template.raw:
        return set()
    target = Target(template.aas_version, "Submodel")
    outcome = check_json_value(dict(template.raw), Where(template.source), target)
    known = {e.tokens for e in template.walk()} | {template.tokens}
    keys = set()
    for finding in outcome.findings:
        inner = _tokens(finding.location.path or "")
        keys.add((finding.rule, _owner((*template.tokens, *inner), known)))
    return keys


def _unexplained(instance: Instance, version: AasVersion | None,
                 keys: set[tuple[str, tuple[Token, ...]]]) -> list[Finding]:
    outcome = check_json_value(instance.environment(), _WHERE, Target(version))
    known = set(instance.origins)
    out = []
    for finding in outcome.findings:
        if finding.rule == "aas/version-undetermined":
            continue
        tokens = _tokens(finding.location.path or "")[len(_BASE):]
        origin = instance.origins.get(_owner(tokens, known))
        element_tokens = origin.tokens if origin is not None else instance.template.tokens
        if (finding.rule, element_tokens) not in keys:
            out.append(finding)
    return out


# --- mutations ------------------------------------------------------------------------------


def _at(root: Any, tokens: tuple[Token, ...]) -> Any:
    node = root
    for token in tokens:
        node = node[token]
    return node


def _parent_tokens(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The tokens of the element holding the element at ``tokens``."""
    if len(tokens) >= 3 and tokens[-1] == "value" and isinstance(tokens[-2], int):
        return tokens[:-3]  # an operation variable's value
    return tokens[:-2]


def _pointer(tokens: tuple[Token, ...]) -> str:
    return pointer_from_tokens([*_BASE, *tokens])


def _findings(instance: Instance) -> tuple[tuple[str, str], ...]:
    found = check_submodel(instance.submodel, instance.template, _WHERE, list(_BASE))
    return tuple((f.rule, f.location.path or "") for f in found)


def _sample(items: list[Any], limit: int | None) -> list[Any]:
    if limit is None or len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


Mutation = tuple[str, Callable[[], None], Callable[[], None], tuple[str, str]]


def _twins(template: Template) -> set[TemplateElement]:
    """Elements with a sibling of the same semanticId and idShort.

    A template defect that the lint reports: instances cannot tell them apart, so they are
    no mutation targets.
    """
    out: set[TemplateElement] = set()
    for parent in (template.elements, *(e.children for e in template.walk())):
        seen: dict[tuple[str, str | None, str | None], TemplateElement] = {}
        for child in parent:
            key = (child.container, child.semantic_id, child.id_short)
            if key in seen:
                out.update((child, seen[key]))
            seen.setdefault(key, child)
    return out


class _Mutations:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        twins = _twins(instance.template)
        self.elements = [(t, e) for t, e in instance.origins.items()
                         if t and e is not None and e not in twins]

    def _list_and_index(self, tokens: tuple[Token, ...]) -> tuple[list[Any], int]:
        if tokens[-1] == "value" and isinstance(tokens[-2], int):
            return _at(self.instance.submodel, tokens[:-2]), tokens[-2]
        index = tokens[-1]
        assert isinstance(index, int)
        return _at(self.instance.submodel, tokens[:-1]), index

    def count(self, tokens: tuple[Token, ...], element: TemplateElement) -> int:
        _items, _ = self._list_and_index(tokens)
        prefix = tokens[:-2] if tokens[-1] == "value" and isinstance(tokens[-2], int) \
            else tokens[:-1]
        return sum(1 for t, e in self.elements if e is element and t[:len(prefix)] == prefix
                   and len(t) == len(tokens))

    def drop(self) -> Iterator[Mutation]:
        for tokens, element in self.elements:
            card = element.cardinality
            if not card.mandatory or element.either_or is not None:
                continue
            if self.count(tokens, element) != card.min:
                continue
            items, index = self._list_and_index(tokens)
            saved = items[index]
            rule = "smt/missing-element" if card.min == 1 else "smt/cardinality"

            def do(items: list[Any] = items, index: int = index) -> None:
                del items[index]

            def undo(items: list[Any] = items, index: int = index, saved: Any = saved) -> None:
                items.insert(index, saved)

            yield (element.display_path, do, undo, (rule, _pointer(_parent_tokens(tokens))))

    def duplicate(self) -> Iterator[Mutation]:
        for tokens, element in self.elements:
            if element.cardinality != ONE:
                continue
            items, index = self._list_and_index(tokens)
            copy = items[index]
            copy_tokens = (*tokens[:-2], index + 1, "value") if tokens[-1] == "value" and \
                isinstance(tokens[-2], int) else (*tokens[:-1], index + 1)

            def do(items: list[Any] = items, index: int = index, copy: Any = copy) -> None:
                items.insert(index + 1, copy)

            def undo(items: list[Any] = items, index: int = index) -> None:
                del items[index + 1]

            yield (element.display_path, do, undo, ("smt/cardinality", _pointer(copy_tokens)))

    def _set(self, tokens: tuple[Token, ...], key: str, value: Any, expected: tuple[str, str],
             name: str) -> Mutation:
        node = _at(self.instance.submodel, tokens)
        had, old = key in node, node.get(key)

        def do() -> None:
            node[key] = value

        def undo() -> None:
            if had:
                node[key] = old
            else:
                del node[key]

        return (name, do, undo, expected)

    def value_type(self) -> Iterator[Mutation]:
        for tokens, element in self.elements:
            if element.model_type in ("Property", "Range") and element.value_type and (
                    not element.arbitrary):
                other = "xs:boolean" if element.value_type != "xs:boolean" else "xs:string"
                yield self._set(tokens, "valueType", other, (
                    "smt/value-type", _pointer((*tokens, "valueType"))), element.display_path)

    def semantic_id(self) -> Iterator[Mutation]:
        for tokens, element in self.elements:
            node = _at(self.instance.submodel, tokens)
            if element.semantic_id is None or element.arbitrary or not (
                    element.in_list or element.accepts_id_short(node.get("idShort"))):
                continue
            yield self._set(tokens, "semanticId",
                            reference_from_id("urn:omp-toolkit:mutated:semantic-id"),
                            ("smt/semantic-id", _pointer((*tokens, "semanticId"))),
                            element.display_path)

    def unknown(self) -> Iterator[Mutation]:
        template = self.instance.template
        parents: list[tuple[tuple[Token, ...], str, str, tuple[TemplateElement, ...]]] = [
            ((), "submodelElements", template.name, template.elements)]
        for tokens, element in self.elements:
            if element.children and not element.arbitrary and element.model_type in (
                    "SubmodelElementCollection", "Entity"):
                container = "value" if element.model_type != "Entity" else "statements"
                parents.append((tokens, container, element.display_path, element.children))
        for tokens, container, name, children in parents:
            arbitrary = {c.model_type for c in children if c.arbitrary}
            model_type = next((m for m in ("Property", "Capability", "Blob")
                               if m not in arbitrary), None)
            if model_type is None:
                continue
            new: dict[str, Any] = {
                "idShort": "OmpUnknownElement",
                "semanticId": reference_from_id("urn:omp-toolkit:mutated:unknown-element"),
                "modelType": model_type}
            if model_type == "Property":
                new["valueType"] = "xs:string"
            elif model_type == "Blob":
                new["contentType"] = "application/octet-stream"
            node = _at(self.instance.submodel, tokens)
            size = len(node.get(container) or [])
            had = container in node

            def do(node: Any = node, container: str = container, new: Any = new) -> None:
                node.setdefault(container, []).append(new)

            def undo(node: Any = node, container: str = container, had: bool = had) -> None:
                node[container].pop()
                if not had:
                    del node[container]

            yield (name, do, undo, ("smt/unexpected-element",
                                    _pointer((*tokens, container, size))))

    def allowed(self, kind: str) -> Iterator[Mutation]:
        for tokens, element in self.elements:
            if element.model_type != "Property" or element.arbitrary:
                continue
            if kind == "allowed-value" and (element.allowed_values or element.form_choices):
                if element.allowed_values and value_allowed(_NOT_ALLOWED,
                                                            element.allowed_values):
                    continue
                yield self._set(tokens, "value", _NOT_ALLOWED, (
                    "smt/allowed-value", _pointer((*tokens, "value"))), element.display_path)
            elif kind == "allowed-range" and element.allowed_range is not None:
                bounds = element.allowed_range
                outside = bounds.high + 1 if bounds.high is not None else (
                    bounds.low - 1 if bounds.low is not None else None)
                if outside is None:
                    continue
                yield self._set(tokens, "value", str(outside), (
                    "smt/allowed-range", _pointer((*tokens, "value"))), element.display_path)


def _run(instance: Instance, kind: str, mutations: list[Mutation], result: SelfTest) -> None:
    for name, do, undo, expected in mutations:
        do()
        try:
            got = _findings(instance)
        finally:
            undo()
        result.mutations.append(MutationResult(kind, name, expected, got))


def selftest(template: Template, *, per_kind: int | None = None,
             metamodel: bool = True) -> SelfTest:
    """Instances and mutations of one template against the conformance check.

    Args:
        template: The template.
        per_kind: Run at most this many mutations of each kind (spread over the
            targets); ``None``: all.
        metamodel: Also run the metamodel check on the two instances.

    Returns:
        What passed and what did not.
    """
    result = SelfTest(template)
    minimal = instantiate(template, "minimal")
    maximal = instantiate(template, "maximal")
    result.minimal_findings = check_submodel(minimal.submodel, template, _WHERE, list(_BASE))
    result.maximal_findings = check_submodel(maximal.submodel, template, _WHERE, list(_BASE))
    if metamodel:
        keys = template_metamodel_keys(template)
        result.minimal_metamodel = _unexplained(minimal, template.aas_version, keys)
        result.maximal_metamodel = _unexplained(maximal, template.aas_version, keys)
    plans: dict[str, tuple[Instance, Callable[[_Mutations], Iterator[Mutation]]]] = {
        "drop-mandatory": (minimal, _Mutations.drop),
        "duplicate-one": (minimal, _Mutations.duplicate),
        "value-type": (maximal, _Mutations.value_type),
        "semantic-id": (maximal, _Mutations.semantic_id),
        "unknown-element": (minimal, _Mutations.unknown),
        "allowed-value": (maximal, lambda m: m.allowed("allowed-value")),
        "allowed-range": (maximal, lambda m: m.allowed("allowed-range")),
    }
    for kind, (instance, make) in plans.items():
        targets = list(make(_Mutations(instance)))
        result.targets[kind] = len(targets)
        _run(instance, kind, _sample(targets, per_kind), result)
    return result
