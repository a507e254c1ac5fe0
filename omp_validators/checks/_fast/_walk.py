"""The invariant walk: which invariants apply to which class, and one visit of a document.

Per metamodel version, :func:`context` derives a plan for every class from the schema
layout (:mod:`._schema`): the keys aas-core's reader accepts, the invariants of
:mod:`._invariants` that apply, and where the child objects are. :func:`visit` then checks
a document that passed the schema in one recursive pass; keys aas-core would refuse (the
schema allows them) are refused too.
"""

from __future__ import annotations

from functools import cache

from omp_models.aas._core import AasVersion
from omp_validators.checks._fast._invariants import (
    DATA_ELEMENTS,
    SPECIFIC,
    Check,
    Child,
    Context,
    Node,
    Plan,
    Reject,
    data_element_category,
    has_extensions,
    has_semantics,
    id_short_31,
    qualifiable,
    unique_descriptions,
    unique_display_names,
)
from omp_validators.checks._fast._schema import choices, layouts

__all__ = ["Reject", "context", "visit", "walk"]


@cache
def context(version: AasVersion) -> Context:
    """The version's invariant plans and constants (built once)."""
    from omp_validators._generated.fast_constants import CONSTANTS, ELEMENT_TYPES

    lays = layouts(version)
    invariants: dict[str, tuple[Check, ...]] = {}
    for cls, layout in lays.items():
        found: list[Check] = []
        if "supplementalSemanticIds" in layout.keys:
            found.append(("supplementalSemanticIds", has_semantics))
        if "extensions" in layout.keys:
            found.append(("extensions", has_extensions))
        if "displayName" in layout.keys:  # Referable
            if version != "3.0":
                found.append(("idShort", id_short_31))
            found.append(("displayName", unique_display_names))
            found.append(("description", unique_descriptions))
        if "qualifiers" in layout.keys:
            found.append(("qualifiers", qualifiable))
        if version == "3.0" and cls in DATA_ELEMENTS:
            found.append(("category", data_element_category))
        if cls in SPECIFIC:
            found.append((None, SPECIFIC[cls]))
        if found:
            invariants[cls] = tuple(found)
    sets = dict(CONSTANTS[version])
    sets.setdefault("VALID_CATEGORIES_FOR_DATA_ELEMENT", frozenset())  # 3.0 only
    sme_types = ELEMENT_TYPES[version]
    plans: dict[str, Plan] = {}
    choice_names = choices(version)
    for cls, layout in lays.items():
        children: dict[str, Child] = {}
        for key, (target, many) in layout.children.items():
            child = lays.get(target)
            leaf = (
                child.keys
                if child is not None and not child.children and target not in invariants
                else None
            )
            children[key] = (None if target in choice_names else target, many, leaf)
        plans[cls] = (layout.keys, invariants.get(cls, ()), children)
    return Context(version, plans, sets, sme_types)


def visit(node: Node, cls: str, ctx: Context, seen: set[tuple[int, str]] | None = None
          ) -> None:
    """Check ``node`` (class ``cls``) and everything below it.

    ``seen`` (for documents whose objects may be shared, as converters build them): the
    (object, class) pairs already checked in this walk are not checked again. What a
    visit finds depends only on the object and its class, never on where it is.
    """
    if seen is not None:
        done = (id(node), cls)  # (ids are stable: the document holds every object)
        if done in seen:
            return
        seen.add(done)
    keys, checks, children = ctx.plans[cls]
    if not keys.issuperset(node):
        raise Reject  # a key aas-core's reader refuses
    for key, check in checks:
        if key is None or key in node:
            check(node, ctx)
    for key, value in node.items():
        child = children.get(key)
        if child is None:
            continue
        target, many, leaf = child
        if leaf is not None:
            if many:
                for item in value:
                    if not leaf.issuperset(item):
                        raise Reject
            elif not leaf.issuperset(value):
                raise Reject
        elif many:
            for item in value:
                visit(item, target or item["modelType"], ctx, seen)
        else:
            visit(value, target or value["modelType"], ctx, seen)


def walk(document: Node, cls: str, version: AasVersion) -> None:
    """Check every invariant of ``document`` (class ``cls``), which passed the schema.

    Raises:
        Reject: The document breaks an invariant, or the fast path cannot tell.
    """
    visit(document, cls, context(version))
