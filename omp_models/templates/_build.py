"""Build :class:`Template` objects from submodels in their JSON form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from omp_models.aas._core import AasVersion
from omp_models.templates._cardinality import ONE, ZERO_TO_MANY, Cardinality
from omp_models.templates._model import (
    SourceKind,
    Template,
    TemplateElement,
    TemplateNote,
    Token,
)
from omp_models.templates._qualifiers import parse_qualifiers
from omp_models.templates._semantic import semantic_id_of

__all__ = ["LoadOptions", "build_template", "file_metadata"]

_OPERATION_VARIABLES = ("inputVariables", "outputVariables", "inoutputVariables")
_IDTA_NAME = re.compile(
    r"IDTA[ _-]?(\d{5})(?:[ _-]+(\d+)[-_](\d+)(?:[-_](\d+))?(?![\d]))?", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """How templates are read.

    Attributes:
        missing_cardinality: The cardinality of an element without a cardinality
            qualifier (UML's reading, and aas-test-engines' proposal: ``One``).
        missing_list_item_cardinality: The same for the element of a
            SubmodelElementList, which stands for all of its items (``ZeroToMany``: the
            list's own cardinality says whether it must exist).
    """

    missing_cardinality: Cardinality = ONE
    missing_list_item_cardinality: Cardinality = ZERO_TO_MANY


def _children(obj: Mapping[str, Any], tokens: tuple[Token, ...]
              ) -> list[tuple[Mapping[str, Any], tuple[Token, ...], str]]:
    """``(child, tokens, container)`` for every child element of ``obj``."""
    model_type = obj.get("modelType")
    found: list[tuple[Mapping[str, Any], tuple[Token, ...], str]] = []

    def take(container: str) -> None:
        items = obj.get(container)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, Mapping) and isinstance(item.get("modelType"), str):
                    found.append((item, (*tokens, container, i), container))

    if model_type == "Submodel":
        take("submodelElements")
    elif model_type in ("SubmodelElementCollection", "SubmodelElementList"):
        take("value")
    elif model_type == "Entity":
        take("statements")
    elif model_type == "AnnotatedRelationshipElement":
        take("annotations")
    elif model_type == "Operation":
        for container in _OPERATION_VARIABLES:
            variables = obj.get(container)
            if not isinstance(variables, list):
                continue
            for i, variable in enumerate(variables):
                value = variable.get("value") if isinstance(variable, Mapping) else None
                if isinstance(value, Mapping) and isinstance(value.get("modelType"), str):
                    found.append((value, (*tokens, container, i, "value"), container))
    return found


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


class _Builder:
    def __init__(self, options: LoadOptions) -> None:
        self.options = options
        self.notes: list[TemplateNote] = []

    def element(self, obj: Mapping[str, Any], tokens: tuple[Token, ...], container: str,
                in_list: bool, parent_path: tuple[str, ...]) -> TemplateElement:
        parsed = parse_qualifiers(obj.get("qualifiers"), tokens)
        self.notes.extend(parsed.notes)
        cardinality = parsed.cardinality
        if cardinality is None:
            cardinality = (self.options.missing_list_item_cardinality if in_list
                           else self.options.missing_cardinality)
        id_short = _str(obj.get("idShort"))
        model_type = str(obj.get("modelType"))
        path = (*parent_path, "[]" if in_list or id_short is None else id_short)
        is_list = model_type == "SubmodelElementList"
        children = tuple(
            self.element(child, child_tokens, child_container, is_list, path)
            for child, child_tokens, child_container in _children(obj, tokens)
        )
        return TemplateElement(
            id_short=None if in_list and id_short is None else id_short,
            model_type=model_type,
            semantic_id=semantic_id_of(obj.get("semanticId")),
            cardinality=cardinality,
            cardinality_qualifier=parsed.cardinality_type,
            value_type=_str(obj.get("valueType")),
            allowed_values=tuple(parsed.allowed_values),
            allowed_range=parsed.allowed_range,
            allowed_id_short=parsed.allowed_id_short,
            required_langs=tuple(parsed.required_langs),
            either_or=parsed.either_or,
            example_values=tuple(parsed.example_values),
            default_value=parsed.default_value,
            form_choices=tuple(parsed.form_choices),
            id_short_editable=parsed.id_short_editable,
            content_type=_str(obj.get("contentType")),
            type_value_list_element=_str(obj.get("typeValueListElement")),
            value_type_list_element=_str(obj.get("valueTypeListElement")),
            semantic_id_list_element=semantic_id_of(obj.get("semanticIdListElement")),
            entity_type=_str(obj.get("entityType")),
            in_list=in_list,
            children=children,
            container=container,
            tokens=tokens,
            path=path,
            raw=obj,
        )


def file_metadata(source: str) -> tuple[str | None, str | None]:
    """``(idta number, version)`` from an IDTA file name (``IDTA 02006-3-0-1_...``)."""
    match = _IDTA_NAME.search(PurePath(source).name)
    if match is None:
        return None, None
    number, major, minor, patch = match.groups()
    if major is None:
        return number, None
    version = f"{major}.{minor}" + (f".{patch}" if patch is not None else "")
    return number, version


def _version(submodel: Mapping[str, Any], from_name: str | None) -> str | None:
    admin = submodel.get("administration")
    declared: str | None = None
    if isinstance(admin, Mapping) and isinstance(admin.get("version"), str):
        declared = str(admin["version"])
        if isinstance(admin.get("revision"), str):
            declared += "." + str(admin["revision"])
    if from_name is not None and (declared is None or from_name.startswith(declared)):
        return from_name
    return declared or from_name


def build_template(
    submodel: Mapping[str, Any],
    *,
    tokens: tuple[Token, ...] = (),
    source: str = "",
    member: str | None = None,
    source_kind: SourceKind = "json",
    aas_version: AasVersion | None = None,
    options: LoadOptions | None = None,
    concept_descriptions: Mapping[str, Mapping[str, Any]] | None = None,
    title: str | None = None,
    version: str | None = None,
) -> Template:
    """A template from a submodel's JSON form.

    Args:
        submodel: The submodel (JSON form, either metamodel version).
        tokens: Where it is in its document.
        source: The file it came from (its name also gives the IDTA number and version).
        member: The AASX part, for packages.
        source_kind: ``json``, ``xml`` or ``forms``.
        aas_version: The metamodel version the document was read as.
        options: How to read it.
        concept_descriptions: The concept descriptions of the same file, by id.
        title: A human name.
        version: The template version, when known better than from the file name.

    Returns:
        The template; oddities are in its ``notes``.
    """
    builder = _Builder(options or LoadOptions())
    parsed = parse_qualifiers(submodel.get("qualifiers"), tokens)
    builder.notes.extend(n for n in parsed.notes if n.rule != "smt-lint/qualifier-kind")
    path: tuple[str, ...] = ()
    elements = tuple(
        builder.element(child, child_tokens, container, False, path)
        for child, child_tokens, container in _children(
            {**submodel, "modelType": "Submodel"}, tokens)
    )
    idta, from_name = file_metadata(source)
    return Template(
        id=_str(submodel.get("id")),
        id_short=_str(submodel.get("idShort")),
        semantic_id=semantic_id_of(submodel.get("semanticId")),
        kind=_str(submodel.get("kind")),
        elements=elements,
        version=version or _version(submodel, from_name),
        aas_version=aas_version,
        source=source,
        member=member,
        source_kind=source_kind,
        tokens=tokens,
        notes=tuple(builder.notes),
        raw=submodel,
        idta=idta,
        title=title,
        concept_descriptions=dict(concept_descriptions or {}),
    )
