"""AASX Package Explorer "GenericForm" files: the forms format some templates still ship in.

A forms file (``{"$type": "Options", "Records": [{"FormSubmodel": ...}]}``) describes a
submodel template with ``Form*`` records: ``PresetIdShort`` (with ``{0:00}`` counters),
``KeySemanticId``, ``Multiplicity``, ``allowedValueTypes``, ``comboBoxChoices``. Each
record becomes a :class:`~omp_models.templates.Template`; its tokens point into the forms
file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from omp_models.templates._build import LoadOptions, file_metadata
from omp_models.templates._cardinality import parse_cardinality
from omp_models.templates._model import Template, TemplateElement, TemplateNote, Token
from omp_models.templates._semantic import reference_from_id

__all__ = ["is_forms_document", "templates_from_forms"]

_MODEL_TYPES = {
    "FormSubmodelElementCollection": "SubmodelElementCollection",
    "FormProperty": "Property",
    "FormMultiLangProp": "MultiLanguageProperty",
    "FormFile": "File",
    "FormReferenceElement": "ReferenceElement",
    "FormRelationshipElement": "RelationshipElement",
    "FormCapability": "Capability",
}
_VALUE_TYPES = {
    "string": "xs:string", "langString": "xs:string", "boolean": "xs:boolean",
    "float": "xs:float", "double": "xs:double", "int": "xs:int", "integer": "xs:integer",
    "long": "xs:long", "date": "xs:date", "dateTime": "xs:dateTime", "anyURI": "xs:anyURI",
    "decimal": "xs:decimal",
}


def is_forms_document(obj: object) -> bool:
    """Whether a parsed JSON value is an AASX Package Explorer forms file."""
    return isinstance(obj, Mapping) and obj.get("$type") == "Options" and isinstance(
        obj.get("Records"), list)


def _key_value(obj: Mapping[str, Any]) -> str | None:
    key = obj.get("KeySemanticId")
    value = key.get("value") if isinstance(key, Mapping) else None
    return value if isinstance(value, str) and value else None


def _id_short(obj: Mapping[str, Any]) -> str | None:
    value = obj.get("PresetIdShort") or obj.get("FormTitle")
    if not isinstance(value, str) or not value:
        return None
    return value.replace("{0:00}", "{00}")


def _element(obj: Mapping[str, Any], tokens: tuple[Token, ...], parent: tuple[str, ...],
             options: LoadOptions, notes: list[TemplateNote]) -> TemplateElement | None:
    model_type = _MODEL_TYPES.get(str(obj.get("$type")))
    if model_type is None:
        notes.append(TemplateNote("smt-lint/forms-format",
                                  f"The form type {obj.get('$type')!r} has no AAS equivalent "
                                  "here; it is left out.", tokens))
        return None
    id_short = _id_short(obj)
    cardinality, problem = parse_cardinality(obj.get("Multiplicity"))
    if problem is not None and cardinality is None:
        notes.append(TemplateNote("smt-lint/cardinality-value", problem, (*tokens, "Multiplicity")))
    semantic_id = _key_value(obj)
    path = (*parent, id_short or "[]")
    children: list[TemplateElement] = []
    for i, child in enumerate(obj.get("value") or []):
        if isinstance(child, Mapping):
            built = _element(child, (*tokens, "value", i), path, options, notes)
            if built is not None:
                children.append(built)
    raw: dict[str, Any] = {"idShort": id_short, "modelType": model_type}
    if semantic_id is not None:
        raw["semanticId"] = reference_from_id(semantic_id)
    info = obj.get("FormInfo")
    if isinstance(info, str) and info.strip():
        raw["description"] = [{"language": "en", "text": info.strip()}]
    value_types = obj.get("allowedValueTypes")
    value_type = None
    if model_type == "Property":
        first = value_types[0] if isinstance(value_types, list) and value_types else "string"
        value_type = _VALUE_TYPES.get(str(first), "xs:string")
    choices = obj.get("comboBoxChoices")
    preset = obj.get("presetValue")
    mime = obj.get("presetMimeType")
    return TemplateElement(
        id_short=id_short,
        model_type=model_type,
        semantic_id=semantic_id,
        cardinality=cardinality or options.missing_cardinality,
        cardinality_qualifier="Multiplicity" if cardinality is not None else None,
        value_type=value_type,
        form_choices=tuple(c.strip() for c in choices if isinstance(c, str) and c.strip())
        if isinstance(choices, list) else (),
        default_value=preset if isinstance(preset, str) and preset else None,
        content_type=mime if isinstance(mime, str) and mime else None,
        children=tuple(children),
        container="value" if parent else "submodelElements",
        tokens=tokens,
        path=path,
        raw=raw,
    )


def templates_from_forms(obj: Mapping[str, Any], source: str, options: LoadOptions
                         ) -> list[Template]:
    """Every record of a forms file, as a template."""
    out: list[Template] = []
    idta, version = file_metadata(source)
    for r, record in enumerate(obj.get("Records") or []):
        if not isinstance(record, Mapping):
            continue
        form = record.get("FormSubmodel")
        if not isinstance(form, Mapping):
            continue
        tokens: tuple[Token, ...] = ("Records", r, "FormSubmodel")
        notes = [TemplateNote(
            "smt-lint/forms-format",
            "The template is an AASX Package Explorer forms file (GenericForm), not an AAS "
            "document; it was read as a template, but AAS tools cannot read it.", tokens)]
        elements: list[TemplateElement] = []
        for i, child in enumerate(form.get("SubmodelElements") or []):
            if isinstance(child, Mapping):
                built = _element(child, (*tokens, "SubmodelElements", i), (), options, notes)
                if built is not None:
                    elements.append(built)
        semantic_id = _key_value(form)
        id_short = _id_short(form)
        raw: dict[str, Any] = {"idShort": id_short, "modelType": "Submodel", "kind": "Template"}
        if semantic_id is not None:
            raw["semanticId"] = reference_from_id(semantic_id)
        title = record.get("FormTitle")
        out.append(Template(
            id=semantic_id, id_short=id_short, semantic_id=semantic_id, kind="Template",
            elements=tuple(elements), version=version, aas_version=None, source=source,
            source_kind="forms", tokens=tokens, notes=tuple(notes), raw=raw, idta=idta,
            title=title if isinstance(title, str) else None,
        ))
    return out
