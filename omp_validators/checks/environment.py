"""Environment-level rules that the metamodel libraries leave out.

- ``env/duplicate-id``: two identifiables (shells, submodels, concept descriptions) with
  one id;
- ``env/unresolved-reference`` (warning): a ModelReference whose keys lead to nothing in
  this environment, or to an element of another class than the key says;
- ``env/missing-concept-description`` (info): a semanticId for which the environment,
  which does carry ConceptDescriptions, has none.

The rules run on the environment in its JSON form (the parsed document for JSON, aas-core's
``to_jsonable`` for XML), so they are the same code for both metamodel versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import orjson

from omp_models.aas._paths import Token, xml_path_from_tokens
from omp_models.diagnostics import Finding, Severity, Where
from omp_validators.locate import pointer_from_tokens

__all__ = ["DOCUMENT_CHECK", "check_environment"]

_IDENTIFIABLE_LISTS = (
    ("assetAdministrationShells", "AssetAdministrationShell"),
    ("submodels", "Submodel"),
    ("conceptDescriptions", "ConceptDescription"),
)

_DATA_ELEMENTS = frozenset(
    {"Property", "MultiLanguageProperty", "Range", "ReferenceElement", "Blob", "File"}
)
_SUBMODEL_ELEMENTS = _DATA_ELEMENTS | {
    "RelationshipElement",
    "AnnotatedRelationshipElement",
    "SubmodelElementList",
    "SubmodelElementCollection",
    "Entity",
    "BasicEventElement",
    "Operation",
    "Capability",
}
#: Abstract key types and the concrete classes they admit.
_KEY_ADMITS: dict[str, frozenset[str]] = {
    "SubmodelElement": frozenset(_SUBMODEL_ELEMENTS),
    "DataElement": _DATA_ELEMENTS,
    "EventElement": frozenset({"BasicEventElement"}),
    "RelationshipElement": frozenset({"RelationshipElement", "AnnotatedRelationshipElement"}),
}
_ANY_KEY = frozenset({"Referable", "Identifiable", "FragmentReference", "GlobalReference"})

PathOf = Callable[[list[Token]], str]


def _children(element: dict[str, Any]) -> list[dict[str, Any]]:
    """The referable children of a submodel or submodel element."""
    model_type = element.get("modelType")
    if model_type == "Submodel":
        items = element.get("submodelElements")
    elif model_type in ("SubmodelElementCollection", "SubmodelElementList"):
        items = element.get("value")
    elif model_type == "Entity":
        items = element.get("statements")
    elif model_type == "AnnotatedRelationshipElement":
        items = element.get("annotations")
    elif model_type == "Operation":
        items = [
            var.get("value")
            for name in ("inputVariables", "outputVariables", "inoutputVariables")
            for var in element.get(name) or []
            if isinstance(var, dict)
        ]
    else:
        items = None
    return [i for i in items or [] if isinstance(i, dict)]


def _admits(key_type: str, model_type: str) -> bool:
    if key_type in _ANY_KEY or key_type == model_type:
        return True
    return model_type in _KEY_ADMITS.get(key_type, frozenset())


def _resolve(keys: list[Any], identifiables: dict[str, dict[str, Any]]) -> str | None:
    """Why the ModelReference ``keys`` do not resolve, or ``None`` when they do."""
    first = keys[0]
    target = identifiables.get(first.get("value"))
    if target is None:
        return f"no identifiable with id {first.get('value')!r} in this environment"
    if not _admits(first.get("type", ""), target.get("modelType", "")):
        return (
            f"key 1 says {first.get('type')} but {first.get('value')!r} is a "
            f"{target.get('modelType')}"
        )
    current = target
    for number, key in enumerate(keys[1:], start=2):
        key_type, value = key.get("type", ""), key.get("value")
        if key_type == "FragmentReference":
            return None
        children = _children(current)
        child: dict[str, Any] | None = None
        if current.get("modelType") == "SubmodelElementList":
            if isinstance(value, str) and value.isdigit() and int(value) < len(children):
                child = children[int(value)]
        else:
            child = next((c for c in children if c.get("idShort") == value), None)
        if child is None:
            return f"key {number} ({key_type} {value!r}) names no element of {_name(current)}"
        if not _admits(key_type, child.get("modelType", "")):
            return f"key {number} says {key_type} but {value!r} is a {child.get('modelType')}"
        current = child
    return None


def _name(element: dict[str, Any]) -> str:
    return f"{element.get('modelType', 'element')} {element.get('idShort') or element.get('id')!r}"


#: Members that hold only keys or language strings: no reference or semanticId below.
_NO_REFERENCES_BELOW = frozenset(
    {"keys", "displayName", "description", "preferredName", "shortName", "definition"}
)


def _is_reference(obj: dict[str, Any]) -> bool:
    keys = obj.get("keys")
    return (
        obj.get("type") in ("ModelReference", "ExternalReference")
        and isinstance(keys, list)
        and bool(keys)
        and all(isinstance(k, dict) for k in keys)
    )


def _may_hold_model_reference(env: dict[str, Any]) -> bool:
    """Whether any object of ``env`` may be a ModelReference.

    The serialised form is searched for the literal: orjson writes strings without
    escapes other than for quotes, backslashes and control characters, so a
    ``"type": "ModelReference"`` anywhere shows as ``"ModelReference"``. Serialising and
    searching in C costs a fraction of walking the objects in Python, and most documents
    hold no model reference at all.
    """
    try:
        return b'"ModelReference"' in orjson.dumps(env)
    except TypeError:  # orjson.JSONEncodeError: a value it cannot write (too deep, ...)
        return True


def check_environment(
    env: dict[str, Any], version: str, where: Where, kind: Literal["json", "xml"]
) -> list[Finding]:
    """Run the environment-level rules on a deserialisable environment.

    Args:
        env: The environment in JSON form.
        version: Its metamodel version (reserved for version-specific rules).
        where: Its file (and AASX part).
        kind: ``json`` or ``xml``: how paths are rendered.

    Returns:
        The findings, in document order.
    """
    del version  # the rules below are the same in 3.0 and 3.1

    def path_of(tokens: list[Token]) -> str:
        if kind == "json":
            return pointer_from_tokens(tokens)
        return xml_path_from_tokens("Environment", tokens)

    findings: list[Finding] = []
    identifiables: dict[str, dict[str, Any]] = {}
    first_seen: dict[str, tuple[str, int]] = {}  # paths rendered only for a duplicate
    concept_ids: set[Any] = set()
    for list_name, _cls in _IDENTIFIABLE_LISTS:
        items = env.get(list_name)
        if not items:
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            ident = item.get("id")
            if list_name == "conceptDescriptions":
                concept_ids.add(ident)
            if not isinstance(ident, str):
                continue
            if ident in identifiables:
                findings.append(
                    where.finding(
                        "env/duplicate-id",
                        f"The id {ident!r} is already used by the "
                        f"{identifiables[ident].get('modelType')} at "
                        f"{path_of([*first_seen[ident], 'id'])}.",
                        path_of([list_name, index, "id"]),
                    )
                )
                continue
            identifiables[ident] = item
            first_seen[ident] = (list_name, index)
    if not concept_ids and not _may_hold_model_reference(env):
        return findings  # nothing below can be unresolved or miss its concept description
    path: list[Token] = []

    def visit(obj: dict[str, Any]) -> None:
        """Check one JSON object, then its children (``path`` is its position)."""
        if obj.get("type") == "ModelReference" and _is_reference(obj):
            why = _resolve(obj["keys"], identifiables)
            if why is not None:
                findings.append(
                    where.finding(
                        "env/unresolved-reference",
                        f"The model reference does not resolve: {why}.",
                        path_of(path),
                        Severity.WARNING,
                    )
                )
        semantic_id = obj.get("semanticId")
        if (
            concept_ids
            and isinstance(semantic_id, dict)
            and semantic_id.get("type") == "ExternalReference"
            and _is_reference(semantic_id)
        ):
            value = semantic_id["keys"][0].get("value")
            if value not in concept_ids:
                findings.append(
                    where.finding(
                        "env/missing-concept-description",
                        f"No ConceptDescription with id {value!r} in this environment.",
                        path_of([*path, "semanticId"]),
                        Severity.INFO,
                    )
                )
        # Depth-first in document order; recursion (not a generator with a stack of
        # tuples) is the cheapest walk in CPython, and the documents it sees were already
        # deserialised by aas-core, which bounds their depth.
        for key, child in obj.items():
            if key in _NO_REFERENCES_BELOW:
                continue
            if type(child) is dict:
                path.append(key)
                visit(child)
                path.pop()
            elif type(child) is list:
                path.append(key)
                for index, item in enumerate(child):
                    if type(item) is dict:
                        path.append(index)
                        visit(item)
                        path.pop()
                path.pop()

    visit(env)
    return findings


def _document_check(
    document: dict[str, Any],
    model_type: str,
    version: str,
    where: Where,
    kind: Literal["json", "xml"],
    options: object,
) -> list[Finding]:
    if model_type != "Environment":
        return []
    return check_environment(document, version, where, kind)


#: Registered in :func:`omp_validators.checks.document_checks`.
DOCUMENT_CHECK = _document_check
