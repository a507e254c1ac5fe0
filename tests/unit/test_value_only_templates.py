"""Value-only schemas give the template check's verdicts, on generated and mutated instances.

For each template (the bundled ones fully, the published ones of the shared corpus by
sample): the value-only rendering of the generated minimal and maximal instances is
valid; then the instances are mutated as the template check's self-test does (drop a
mandatory element, one list item too many, a value of another type, a value outside the
allowed values or range, an element the template does not define) and the schema, and
the payload check, must reject exactly when the template check reports an error, at the
same element. What value-only payloads cannot carry is tested as such: semanticIds, and
Operations (neither is serialised).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from omp_models.diagnostics import Severity, Where
from omp_models.locate import pointer_from_tokens, split_pointer
from omp_models.submodels import value_only, value_only_schema
from omp_models.templates import (
    Instance,
    Template,
    bundled_templates,
    default_registry,
    default_value,
    instantiate,
    load_templates,
    reference_from_id,
)
from omp_validators.checks._template_selftest import _at, _Mutations
from omp_validators.checks.payload_template import check_value_only
from omp_validators.checks.template import check_submodel
from tests.conftest import CORPUS

Token = str | int
Mutation = tuple[str, Callable[[], None], Callable[[], None], tuple[Token, ...]]
WHERE = Where("payload.json")
_VARIABLES = {"inputVariables", "outputVariables", "inoutputVariables"}


def _bundled() -> list[Template]:
    registry = default_registry(plugins=False)
    found = [registry.get(b.semantic_id) for b in bundled_templates()]
    return [t for t in found if t is not None]


def _corpus_sample() -> list[Path]:
    """One JSON file per published template version (the 3.0 form where both exist)."""
    root = CORPUS / "templates" / "published"
    if not root.is_dir():
        return []
    files = sorted(p for p in root.rglob("*.json") if "forAASMetamodelV3.1" not in p.name)
    seen: set[Path] = set()
    out = []
    for path in files:
        if path.parent not in seen:
            seen.add(path.parent)
            out.append(path)
    return out


def _payload_pointer(submodel: dict[str, Any], tokens: tuple[Token, ...]) -> str:
    """Where the element at ``tokens`` (in the AAS instance) is in the value-only payload."""
    out: list[Token] = []
    node: Any = submodel
    steps = list(tokens)
    while steps:
        container, index = steps[0], steps[1]
        steps = steps[2:]
        items = node[container]
        child = items[index]
        if node.get("modelType") == "SubmodelElementList":
            out.append(sum(1 for x in items[:int(index)]
                           if x.get("modelType") not in ("Operation", "Capability")))
        else:
            if container == "statements":
                out.append("statements")
            elif container == "annotations":
                out.append("annotations")
            out.append(child["idShort"])
        node = child
    return pointer_from_tokens(out)


def _representable(tokens: tuple[Token, ...]) -> bool:
    return not any(t in _VARIABLES for t in tokens)


def _value_type_mutations(m: _Mutations) -> Iterator[Mutation]:
    """valueType changed, and the value written in the new type (value-only has no
    valueType: a value of the wrong type is what a payload can get wrong)."""
    for tokens, element in m.elements:
        if element.model_type not in ("Property", "Range") or not element.value_type or (
                element.arbitrary or not _representable(tokens)):
            continue
        node = _at(m.instance.submodel, tokens)
        bounds = [b for b in ("min", "max") if b in node]
        if element.model_type == "Range" and not bounds:
            continue  # a Range without bounds has no value to get wrong
        other = "xs:boolean" if element.value_type != "xs:boolean" else "xs:string"
        saved = dict(node)

        def do(node: dict[str, Any] = node, other: str = other,
               keys: list[str] = bounds or ["value"]) -> None:
            node["valueType"] = other
            for key in keys:
                node[key] = default_value(other)

        def undo(node: dict[str, Any] = node, saved: dict[str, Any] = saved) -> None:
            node.clear()
            node.update(saved)

        yield element.display_path, do, undo, tokens


def _mutations(instance: Instance, kind: str) -> Iterator[Mutation]:
    m = _Mutations(instance)
    if kind == "value-type":
        yield from _value_type_mutations(m)
        return
    source = {"drop-mandatory": m.drop, "duplicate-one": m.duplicate,
              "unknown-element": m.unknown}.get(kind)
    made = source() if source is not None else m.allowed(kind)
    for name, do, undo, expected in made:
        # The check's expected location, below /submodels/0: the element's tokens.
        tokens: tuple[Token, ...] = tuple(int(t) if t.isdigit() else t
                                          for t in split_pointer(expected[1])[2:])
        if kind in ("allowed-value", "allowed-range"):
            tokens = tokens[:-1]  # .../value
        elif kind == "drop-mandatory":
            tokens = (*tokens, "dropped", 0)  # the parent is what the finding names
        element = instance.template.find(name)
        if not _representable(tokens):
            continue  # below an Operation: not serialised
        if kind == "drop-mandatory" and element is not None and element.model_type in (
                "Operation", "Capability"):
            continue  # not serialised
        if kind == "duplicate-one" and (element is None or not element.in_list):
            continue  # two members with one idShort cannot be written in JSON
        yield name, do, undo, tokens


KINDS = ("drop-mandatory", "duplicate-one", "value-type", "unknown-element",
         "allowed-value", "allowed-range")


def _compare(template: Template, per_kind: int | None) -> dict[str, tuple[int, int]]:
    """Per mutation kind: (agreeing verdicts, mutations run); asserts each agrees."""
    schemas = {strict: jsonschema_rs.validator_for(value_only_schema(template, strict=strict))
               for strict in (False, True)}
    counts: dict[str, tuple[int, int]] = {}
    for mode in ("minimal", "maximal"):
        instance = instantiate(template, mode)
        payload = value_only(instance.submodel, keep_empty=True)
        assert schemas[True].is_valid(payload), (template.label, mode)
        assert check_value_only(payload, template, WHERE) == []
        for kind in KINDS:
            if (kind in ("drop-mandatory", "duplicate-one", "unknown-element")) != (
                    mode == "minimal"):
                continue
            done = 0
            for name, do, undo, tokens in _mutations(instance, kind):
                if per_kind is not None and done >= per_kind:
                    break
                do()
                try:
                    _check_one(template, instance, kind, name, tokens, schemas)
                    mutated = value_only(instance.submodel, keep_empty=True)
                finally:
                    undo()
                # (as JSON: in Python, True == 1.0)
                assert json.dumps(mutated) != json.dumps(payload), name
                done += 1
            agreed, run = counts.get(kind, (0, 0))
            counts[kind] = (agreed + done, run + done)
    return counts


def _check_one(template: Template, instance: Instance, kind: str, name: str,
               tokens: tuple[Token, ...], schemas: dict[bool, Any]) -> None:
    payload = value_only(instance.submodel, keep_empty=True)
    results = {}
    for strict in (False, True):
        found = check_submodel(instance.submodel, template, WHERE, strict=strict)
        template_error = any(f.severity is Severity.ERROR for f in found)
        assert schemas[strict].is_valid(payload) is not template_error, (
            template.label, kind, name, strict, [f.rule for f in found])
        results[strict] = check_value_only(payload, template, WHERE, strict=strict)
        assert any(f.severity is Severity.ERROR for f in results[strict]) is template_error
    rule = {"drop-mandatory": "smt-value/missing-element",
            "duplicate-one": "smt-value/cardinality", "value-type": "smt-value/value-type",
            "unknown-element": "smt-value/unexpected-element",
            "allowed-value": "smt-value/allowed-value",
            "allowed-range": "smt-value/allowed-range"}[kind]
    findings = results[False]
    if kind in ("drop-mandatory", "duplicate-one"):
        where = _payload_pointer(instance.submodel, tokens[:-2])
    elif kind == "unknown-element":
        where = None  # the added member
    else:
        where = _payload_pointer(instance.submodel, tokens)
    rules = {rule}
    element = template.find(name)
    if kind == "drop-mandatory" and element is not None and element.in_list:
        rules.add("smt-value/cardinality")  # several item templates: only counts are known
    matching = [f for f in findings if f.rule in rules and (
        where is None or f.location.path == where
        or (f.location.path or "").startswith(where + "/"))]
    assert matching, (template.label, kind, name, where,
                      [(f.rule, f.location.path) for f in findings])


@pytest.mark.parametrize("template", _bundled(), ids=lambda t: t.id_short or "?")
def test_bundled_templates_every_mutation(template: Template) -> None:
    counts = _compare(template, None)
    assert sum(run for _, run in counts.values()) > 0
    assert all(agreed == run for agreed, run in counts.values())


def test_published_templates_sample() -> None:
    files = _corpus_sample()
    if not files:
        pytest.skip(f"shared corpus not available: {CORPUS}")
    totals: dict[str, int] = {}
    templates = 0
    for path in files:
        for template in load_templates(path):
            templates += 1
            for kind, (_, run) in _compare(template, 1).items():
                totals[kind] = totals.get(kind, 0) + run
    assert templates >= 40
    assert all(totals.get(kind, 0) > 0 for kind in KINDS), totals


def test_what_value_only_cannot_tell() -> None:
    """SemanticIds are not in value-only payloads: a wrong one is invisible there."""
    template = _bundled()[0]
    instance = instantiate(template, "minimal")
    submodel = copy.deepcopy(instance.submodel)
    submodel["submodelElements"][0]["semanticId"] = reference_from_id("urn:wrong")
    assert any(f.rule == "smt/semantic-id"
               for f in check_submodel(submodel, template, WHERE))
    assert value_only(submodel) == value_only(instance.submodel)
    assert check_value_only(value_only(submodel, keep_empty=True), template, WHERE) == []
