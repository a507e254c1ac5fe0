"""Checks that need the whole model: references, inheritance, nesting limits.

Run after every document (and every resolved dependency) is read: references are resolved
and type-checked, ``extends`` chains are flattened (depth, count, cycles, name clashes),
complex schemas are checked for depth and self-reference, Components for nesting, and the
co-type constraints (a quantitative type needs a numeric schema) are applied.
"""

from __future__ import annotations

from collections.abc import Callable

from omp_models.formats.dtdl._model import DtdlModel, Element, Problem, Reference
from omp_models.formats.dtdl._vocab import vocabulary

__all__ = ["check_model", "inherited_contents", "resolve_alias"]

_SCHEMA_STEPS = ("elementSchema", "schema")
_SCHEMA_WIDE = ("fields", "mapKey", "mapValue", "enumValues", "elementSchema", "schema")


class _Reporter:
    def __init__(self, model: DtdlModel) -> None:
        self.model = model

    def at(self, element: Element, code: str, message: str, pointer: str | None = None) -> None:
        self.model.problems.append(Problem(code, message, element.source,
                                           element.pointer if pointer is None else pointer))


def resolve_alias(model: DtdlModel, dtmi: str) -> str:
    """The element an alias (a DTDL v3 standard schema) stands for."""
    element = model.elements.get(dtmi)
    alias = "dtmi:dtdl:property:aliasFor;3"
    while element is not None and element.supplemental.get(alias):
        target = element.supplemental[alias][0]
        if target == element.id or target not in model.elements:
            break
        element = model.elements[target]
    return element.id if element is not None else dtmi


def _partition(model: DtdlModel, element: Element) -> str:
    info = vocabulary().versions[element.version].classes[element.cls]
    if info.partition or element.defined_in is None:
        return element.id
    return element.defined_in


def check_references(model: DtdlModel, references: list[Reference]) -> None:
    """Resolve and type-check every reference; fill the model's object properties."""
    report = _Reporter(model)
    vocab = vocabulary()
    keyed: dict[tuple[str, str], dict[str, str]] = {}
    for ref in references:
        target_id = resolve_alias(model, ref.target)
        target = model.elements.get(target_id)
        owner = model.elements.get(ref.owner)
        if owner is None:
            continue
        if target is None:
            model.unresolved.setdefault(ref.target, []).append(ref)
            continue
        info = vocab.versions[target.version].classes[target.cls]
        if (not info.partition and target.defined_in is not None and not target.standard
                and target.defined_in != _partition(model, owner)):
            report.at(owner, "crossPartitionReference", f"{ref.target} is defined inside "
                      f"{target.defined_in} and cannot be referenced from here", ref.pointer)
        if ref.expected is not None and target.cls not in ref.expected:
            report.at(owner, "badType", f"{ref.prop!r} names {ref.target}, a {target.cls}; "
                      f"expected one of: {', '.join(ref.expected)}", ref.pointer)
            continue
        if ref.versions is not None and target.version not in ref.versions:
            report.at(owner, "disallowedVersionReference", f"{ref.prop!r} names {ref.target}, "
                      f"a DTDL v{target.version} element", ref.pointer)
        if ref.child_of is not None and target.parent != ref.child_of:
            report.at(owner, "wrongParent", f"{ref.target} is not a value of "
                      f"{vocab.term_or_uri(ref.child_of)}", ref.pointer)
        if (ref.supplemental_type is not None and ref.child_of is None
                and not _has_type(model, target, ref.supplemental_type)):
            report.at(owner, "badType", f"{ref.target} is not a "
                      f"{vocab.term_or_uri(ref.supplemental_type)}", ref.pointer)
        if ref.values is not None and target_id not in ref.values and (
                ref.target not in ref.values):
            allowed = ", ".join(vocab.term_or_uri(v) for v in ref.values)
            report.at(owner, "notRequiredValue", f"{ref.prop!r} must be one of: {allowed}",
                      ref.pointer)
        if ref.key is not None:
            key = target.literals.get(ref.key)
            if isinstance(key, str | int):
                slot = keyed.setdefault((owner.id, ref.prop), {})
                other = slot.get(str(key))
                if other is not None and other != target.id:
                    report.at(owner, "nonUniquePropertyValue", f"two values of {ref.prop!r} "
                              f"have the {ref.key} {key!r}", ref.pointer)
                else:
                    slot[str(key)] = target.id


def _has_type(model: DtdlModel, element: Element, required: str) -> bool:
    """Whether an element has a (supplemental or material) type, or a subtype of it."""
    vocab = vocabulary()
    for stype in element.supplemental_types:
        current: str | None = stype
        while current is not None:
            if current == required:
                return True
            found = vocab.supplemental.get(current)
            current = found.parent if found else None
    material = required.rsplit(":", 1)[-1].split(";")[0]
    if required.startswith("dtmi:dtdl:class:"):
        return vocab.versions[element.version].is_subclass(element.cls, material)
    return False


def check_model(model: DtdlModel, references: list[Reference]) -> None:
    """Every whole-model check (references first)."""
    check_references(model, references)
    report = _Reporter(model)
    for element in list(model.elements.values()):
        if element.standard:
            continue
        _check_constraints(model, element, report)
        _check_unique(model, element, report)
        if element.cls == "Interface":
            _check_interface(model, element, report)
        if element.cls in ("Array", "Enum", "Map", "Object"):
            _check_schema_depth(model, element, report)
        if element.cls == "Component":
            _check_component(model, element, report)
        if element.cls == "Enum":
            _check_enum(model, element, report)
        if element.cls == "Property" and element.version == 2:
            _check_v2_property(model, element, report)


def _check_constraints(model: DtdlModel, element: Element, report: _Reporter) -> None:
    vocab = vocabulary()
    for stype_id in element.supplemental_types:
        current: str | None = stype_id
        while current is not None and current in vocab.supplemental:
            stype = vocab.supplemental[current]
            for constraint in stype.constraints:
                prop = str(constraint.get("property", ""))
                for target_id in element.children(prop):
                    target = model.elements.get(resolve_alias(model, target_id))
                    if target is None:
                        continue
                    types = constraint.get("requiredTypes")
                    if types and not any(_has_type(model, target, t) for t in types):
                        report.at(element, "notRequiredType", f"with the co-type "
                                  f"{vocab.term_or_uri(stype_id)!r}, {prop!r} must be a "
                                  f"{constraint.get('requiredTypesString')}")
                    values = constraint.get("requiredValues")
                    if values and target_id not in values and target.id not in values:
                        report.at(element, "notRequiredValue", f"with the co-type "
                                  f"{vocab.term_or_uri(stype_id)!r}, {prop!r} must be "
                                  f"{constraint.get('requiredValuesString')}")
            current = stype.parent


def _check_unique(model: DtdlModel, element: Element, report: _Reporter) -> None:
    info = vocabulary().versions[element.version].classes[element.cls]
    for prop in info.properties.values():
        if not prop.plural or prop.literal:
            continue
        children = [model.elements[c] for c in element.children(prop.name)
                    if c in model.elements]
        if prop.max_count is not None and len({c.id for c in children}) > prop.max_count:
            report.at(element, "objectCountAboveMax", f"{prop.name!r} has more than "
                      f"{prop.max_count} values")
        for unique in prop.unique_properties:
            if unique == prop.dictionary_key:
                continue  # checked with the references
            seen: dict[str, str] = {}
            for child in children:
                value = child.literals.get(unique)
                if value is None:
                    continue
                key = repr(value)
                if key in seen and seen[key] != child.id:
                    report.at(element, "nonUniquePropertyValue", f"two values of "
                              f"{prop.name!r} have the {unique} {value!r}", child.pointer)
                seen[key] = child.id


def _extends_closure(model: DtdlModel, element: Element, report: _Reporter,
                     limit: int) -> list[str] | None:
    """The transitive ``extends`` of an Interface, or ``None`` when too deep or cyclic."""
    closure: list[str] = []
    stack: list[tuple[str, int, tuple[str, ...]]] = [(element.id, 0, (element.id,))]
    while stack:
        current_id, depth, path = stack.pop()
        current = model.elements.get(current_id)
        if current is None:
            continue
        parents = [p for p in current.children("extends") if p in model.elements]
        if parents and depth == limit:
            report.at(element, "excessiveDepthNarrow", f"'extends' is nested deeper than "
                      f"{limit} levels")
            return None
        for parent in parents:
            if parent in path:
                report.at(element, "recursiveStructureNarrow", f"'extends' of {element.id} "
                          "leads back to itself")
                return None
            if parent not in closure:
                closure.append(parent)
            stack.append((parent, depth + 1, (*path, parent)))
    return closure


def inherited_contents(model: DtdlModel, interface: Element) -> list[Element]:
    """The contents of an Interface including those it inherits (own first)."""
    out: list[Element] = []
    seen: set[str] = set()
    queue = [interface.id]
    visited: set[str] = set()
    while queue:
        current_id = queue.pop(0)
        if current_id in visited or current_id not in model.elements:
            continue
        visited.add(current_id)
        current = model.elements[current_id]
        for child_id in current.children("contents"):
            child = model.elements.get(child_id)
            if child is not None and child.id not in seen:
                seen.add(child.id)
                out.append(child)
        queue.extend(current.children("extends"))
    return out


def _check_interface(model: DtdlModel, element: Element, report: _Reporter) -> None:
    info = vocabulary().versions[element.version]
    if len(element.id) > info.interface_id_max_length:
        report.at(element, "idTooLong", f"an Interface @id must not be longer than "
                  f"{info.interface_id_max_length} characters")
    controls = [c for c in info.descendant_controls
                if c["rootClass"] == "Interface" and c["properties"] == ["extends"]]
    limit = controls[0]["maxDepth"][""] if controls else 10
    closure = _extends_closure(model, element, report, limit)
    if closure is None:
        return
    max_count = controls[0].get("maxCount", {}).get("") if controls else None
    if max_count is not None and len(closure) > max_count:
        report.at(element, "excessiveCount", f"'extends' reaches more than {max_count} "
                  "Interfaces")
    names: dict[str, str] = {}
    for child in inherited_contents(model, element):
        name = child.name
        if name is None:
            continue
        if name in names and names[name] != child.id:
            report.at(element, "nonUniquePropertyValue", f"the contents of {element.id} "
                      f"(with what it extends) have two elements named {name!r}")
        names.setdefault(name, child.id)
    total = _count_descendants(model, element)
    limit_count = next((c.get("maxCount", {}).get("") for c in info.descendant_controls
                        if c["rootClass"] == "Interface" and "fields" in c["properties"]),
                       None)
    if limit_count is not None and total > limit_count:
        report.at(element, "excessiveCount", f"{element.id} has more than {limit_count} "
                  "nested elements")


def _count_descendants(model: DtdlModel, element: Element) -> int:
    props = ("contents", "fields", "enumValues", "request", "response", "properties",
             "schema", "elementSchema", "mapValue")
    count = 0
    stack = [element.id]
    seen: set[str] = set()
    while stack:
        current = model.elements.get(stack.pop())
        if current is None:
            continue
        for prop in props:
            for child in current.children(prop):
                count += 1
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
    return count


def _check_schema_depth(model: DtdlModel, element: Element, report: _Reporter) -> None:
    limit = 5
    problems: list[tuple[str, str]] = []

    def visit(current: Element, depth: int, budget: list[int]) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        for prop in _SCHEMA_WIDE:
            for child_id in current.children(prop):
                child = model.elements.get(resolve_alias(model, child_id))
                if child is None:
                    continue
                step = prop in _SCHEMA_STEPS
                if step and depth == limit:
                    problems.append(("excessiveDepthWide", f"complex schemas are nested deeper "
                                     f"than {limit} levels in {element.id}"))
                    return False
                if child.id == element.id:
                    problems.append(("recursiveStructureWide", f"the schema {element.id} "
                                     "contains itself"))
                    return False
                if not visit(child, depth + (1 if step else 0), budget):
                    return False
        return True

    visit(element, 0, [10000])
    for code, message in problems[:1]:
        report.at(element, code, message)


def _walk(model: DtdlModel, start: Element, props: tuple[str, ...],
          visit: Callable[[Element], bool]) -> None:
    stack = [start.id]
    seen: set[str] = set()
    while stack:
        current = model.elements.get(stack.pop())
        if current is None or current.id in seen:
            continue
        seen.add(current.id)
        for prop in props:
            for child_id in current.children(prop):
                child = model.elements.get(child_id)
                if child is None:
                    continue
                if not visit(child):
                    return
                stack.append(child.id)


def _check_component(model: DtdlModel, element: Element, report: _Reporter) -> None:
    found: list[Element] = []

    def visit(child: Element) -> bool:
        if child.cls == "Component":
            found.append(child)
            return False
        return True

    for schema_id in element.children("schema"):
        schema = model.elements.get(schema_id)
        if schema is None:
            continue
        for content in inherited_contents(model, schema):
            if not visit(content):
                break
        if found:
            report.at(element, "excludedType", f"the Interface {schema.id} of Component "
                      f"{element.name!r} has a Component itself ({found[0].name!r}); "
                      "Components do not nest")
            return


def _check_enum(model: DtdlModel, element: Element, report: _Reporter) -> None:
    schemas = [resolve_alias(model, s) for s in element.children("valueSchema")]
    if not schemas or schemas[0] not in model.elements:
        return
    cls = model.elements[schemas[0]].cls
    for value_id in element.children("enumValues"):
        value = model.elements.get(value_id)
        if value is None or "enumValue" not in value.literals:
            continue
        literal = value.literals["enumValue"]
        ok = (isinstance(literal, int) and not isinstance(literal, bool)
              if cls == "Integer" else isinstance(literal, str))
        if not ok:
            report.at(value, "enumValueDatatype", f"the enumValue {literal!r} is not a "
                      f"{cls.lower()} as the Enum's valueSchema requires")


def _check_v2_property(model: DtdlModel, element: Element, report: _Reporter) -> None:
    arrays: list[Element] = []

    def visit(child: Element) -> bool:
        if child.cls == "Array":
            arrays.append(child)
            return False
        return True

    for schema_id in element.children("schema"):
        schema = model.elements.get(resolve_alias(model, schema_id))
        if schema is None:
            continue
        if not visit(schema):
            break
        _walk(model, schema, _SCHEMA_WIDE, visit)
        if arrays:
            break
    if arrays:
        report.at(element, "excludedType", "in DTDL v2 the schema of a Property cannot be or "
                  "contain an Array")
