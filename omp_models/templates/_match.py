"""Which template element an instance element stands for.

Instance children are matched to template children by semanticId first; idShort is the
fallback (then a differing semanticId is a finding of its own), then a semanticId that
nearly matches, then an ``Arbitrary...`` placeholder of the same model type. Items of a
SubmodelElementList all stand for the list's one template element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from omp_models.templates._semantic import loose_key, near_miss, semantic_id_of

if TYPE_CHECKING:
    from omp_models.templates._model import TemplateElement

__all__ = ["ChildIndex", "ChildMatch", "MatchedBy", "match_children", "template_signature"]

_CHILD_KEYS = ("value", "statements", "annotations", "inputVariables", "outputVariables",
               "inoutputVariables")

#: How a match was made.
MatchedBy = Literal["semantic-id", "id-short", "near-semantic-id", "arbitrary", "list-item"]


@dataclass(frozen=True, slots=True)
class ChildMatch:
    """The template element an instance child stands for.

    Attributes:
        element: The template element, or ``None`` when the template defines none.
        by: How it was found.
        near: For ``near-semantic-id``: how the semanticIds differ.
    """

    element: TemplateElement | None
    by: MatchedBy | None = None
    near: str | None = None


class _Group:
    """Lookup tables over the template children held in one container."""

    def __init__(self, children: Sequence[TemplateElement]) -> None:
        self.children = list(children)
        self.by_semantic_id: dict[str, list[TemplateElement]] = {}
        self.by_loose: dict[str, list[TemplateElement]] = {}
        self.by_id_short: dict[str, TemplateElement] = {}
        self.patterned: list[TemplateElement] = []
        self.arbitrary: dict[str, list[TemplateElement]] = {}
        for child in children:
            if child.semantic_id is not None:
                self.by_semantic_id.setdefault(child.semantic_id, []).append(child)
                self.by_loose.setdefault(loose_key(child.semantic_id), []).append(child)
            if child.id_short is not None:
                self.by_id_short.setdefault(child.id_short, child)
            if child.id_short_pattern is not None:
                self.patterned.append(child)
            if child.arbitrary:
                self.arbitrary.setdefault(child.model_type, []).append(child)


class ChildIndex:
    """Lookup tables over a template element's children, per container.

    Args:
        children: The children (of one element, or a template's top-level elements).
    """

    def __init__(self, children: Sequence[TemplateElement]) -> None:
        grouped: dict[str, list[TemplateElement]] = {}
        for child in children:
            grouped.setdefault(child.container, []).append(child)
        self.groups: dict[str, _Group] = {name: _Group(items) for name, items in
                                          grouped.items()}
        #: ``SMT/EitherOr`` groups: group id -> members (per container).
        self.either_or: dict[tuple[str, str], list[TemplateElement]] = {}
        for child in children:
            if child.either_or is not None:
                self.either_or.setdefault((child.container, child.either_or), []).append(child)

    def group(self, container: str) -> list[TemplateElement]:
        """The children held in ``container``."""
        found = self.groups.get(container)
        return found.children if found is not None else []


def _pick(candidates: Sequence[TemplateElement], instance: Mapping[str, Any],
          counts: Mapping[TemplateElement, int]) -> TemplateElement:
    """The best of several candidates: idShort fits, then room left, then model type."""
    if len(candidates) == 1:
        return candidates[0]
    id_short = instance.get("idShort")
    model_type = instance.get("modelType")
    fitting = [c for c in candidates if isinstance(id_short, str) and c.accepts_id_short(id_short)]
    if fitting:
        return _with_room(fitting, counts)
    same_type = [c for c in candidates if c.model_type == model_type] or list(candidates)
    return _with_room(same_type, counts)


def _with_room(candidates: Sequence[TemplateElement], counts: Mapping[TemplateElement, int]
               ) -> TemplateElement:
    """The first candidate that may still occur once more, else the first."""
    for candidate in candidates:
        limit = candidate.cardinality.max
        if limit is None or counts.get(candidate, 0) < limit:
            return candidate
    return candidates[0]


def _instance_signature(instance: Mapping[str, Any]) -> frozenset[str]:
    """semanticIds, idShorts and model types of everything below an instance element."""
    out: set[str] = set()
    stack: list[Any] = [instance.get(key) for key in _CHILD_KEYS]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, Mapping):
            if "modelType" not in current and isinstance(current.get("value"), Mapping):
                stack.append(current["value"])  # an operation variable
                continue
            out.update(_marks(semantic_id_of(current.get("semanticId")),
                              current.get("idShort"), current.get("modelType"),
                              current.get("valueType"), current.get("valueTypeListElement"),
                              current.get("typeValueListElement")))
            stack.extend(current.get(key) for key in _CHILD_KEYS)
    return frozenset(out)


def _marks(semantic_id: object, id_short: object, *types: object) -> list[str]:
    marks = [f"t:{kind}" for kind in types if isinstance(kind, str)]
    if isinstance(semantic_id, str):
        marks.append(f"s:{semantic_id}")
    if isinstance(id_short, str):
        marks.append(f"i:{id_short}")
    return marks


def template_signature(element: TemplateElement) -> frozenset[str]:
    """The same marks for everything below a template element."""
    out: set[str] = set()
    for below in element.walk():
        if below is not element:
            out.update(_marks(below.semantic_id, below.instance_id_short(1), below.model_type,
                              below.value_type, below.value_type_list_element,
                              below.type_value_list_element))
    return frozenset(out)


def _fit(candidate: TemplateElement, position: int, instance: Mapping[str, Any],
         signature: frozenset[str], where: int) -> float:
    """How well an instance item fits one of several template elements of a list."""
    score = 0.0
    if candidate.semantic_id is not None and candidate.semantic_id == semantic_id_of(
            instance.get("semanticId")):
        score += 100_000
    if candidate.model_type == instance.get("modelType"):
        score += 10_000
    theirs = candidate.signature
    score += 2 * len(signature & theirs) - len(signature ^ theirs)
    if position == where:
        score += 0.5
    return score


def _match_one(group: _Group, instance: Mapping[str, Any],
               counts: Mapping[TemplateElement, int]) -> ChildMatch:
    semantic_id = semantic_id_of(instance.get("semanticId"))
    if semantic_id is not None:
        exact = group.by_semantic_id.get(semantic_id)
        if exact:
            return ChildMatch(_pick(exact, instance, counts), "semantic-id")
    id_short = instance.get("idShort")
    if isinstance(id_short, str):
        named = group.by_id_short.get(id_short)
        if named is None:
            named = next((c for c in group.patterned if c.accepts_id_short(id_short)), None)
        if named is not None and not named.arbitrary:
            return ChildMatch(named, "id-short")
    if semantic_id is not None:
        near = group.by_loose.get(loose_key(semantic_id))
        if near:
            chosen = _pick(near, instance, counts)
            if chosen.semantic_id is not None:
                return ChildMatch(chosen, "near-semantic-id",
                                  near_miss(semantic_id, chosen.semantic_id))
    model_type = instance.get("modelType")
    placeholders = group.arbitrary.get(model_type) if isinstance(model_type, str) else None
    if placeholders:
        return ChildMatch(_pick(placeholders, instance, counts), "arbitrary")
    return ChildMatch(None)


def match_children(index: ChildIndex, container: str, instances: Sequence[Mapping[str, Any]],
                   *, in_list: bool = False) -> list[ChildMatch]:
    """Match instance children (of one container) to template children.

    Args:
        index: The template parent's :class:`ChildIndex`.
        container: The property holding the children (``value``, ``statements``, ...).
        instances: The instance children, in order.
        in_list: The parent is a SubmodelElementList: every item stands for the list's
            template element.

    Returns:
        One :class:`ChildMatch` per instance child, in order.
    """
    group = index.groups.get(container)
    if group is None:
        return [ChildMatch(None) for _ in instances]
    if in_list:
        out: list[ChildMatch] = []
        candidates = group.children
        for where, instance in enumerate(instances):
            if len(candidates) == 1:
                chosen = candidates[0]
            else:
                signature = _instance_signature(instance)
                chosen = max(enumerate(candidates),
                             key=lambda pc: _fit(pc[1], pc[0], instance, signature, where))[1]
            out.append(ChildMatch(chosen, "list-item"))
        return out
    counts: dict[TemplateElement, int] = {}
    matches: list[ChildMatch] = []
    for instance in instances:
        match = _match_one(group, instance, counts)
        if match.element is not None:
            counts[match.element] = counts.get(match.element, 0) + 1
        matches.append(match)
    return matches
