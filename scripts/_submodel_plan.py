"""Planning of the generated submodel models: template elements -> classes and fields."""

from __future__ import annotations

import keyword
from collections.abc import Sequence

from _submodel_render import (
    WIDTH,
    Call,
    ClassPlan,
    FieldPlan,
    ModelPlan,
    camel,
    clean_text,
    lit,
    singular,
    snake,
    summary,
)
from pydantic import BaseModel

from omp_models.templates import TemplateElement

__all__ = ["BASE_FIELDS", "PYTHON_TYPES", "Planner"]

#: Model types a typed model field can hold.
_SUPPORTED = frozenset({
    "Property", "MultiLanguageProperty", "Range", "File", "Blob", "ReferenceElement",
    "RelationshipElement", "AnnotatedRelationshipElement", "BasicEventElement",
    "SubmodelElementCollection", "SubmodelElementList", "Entity",
})
#: Elements whose value may be missing: a list's items of these types may be ``None``.
_VALUE_ELEMENTS = frozenset({"Property", "MultiLanguageProperty", "ReferenceElement"})
_VALUE_CLASSES = {
    "File": "FileValue", "Blob": "BlobValue", "ReferenceElement": "Reference",
    "RelationshipElement": "Relationship", "AnnotatedRelationshipElement":
    "AnnotatedRelationship", "BasicEventElement": "BasicEvent",
}
#: Fields of the base classes (``omp_models.submodels._fields``), not template elements.
BASE_FIELDS = frozenset({"id_short", "entity_type", "global_asset_id", "specific_asset_ids",
                         "id"})
#: valueType -> the type of a field: names of ``omp_models.submodels._values`` or
#: ``datetime``'s. Other value types are ``str``.
PYTHON_TYPES: dict[str, str] = {
    "xs:integer": "Integer",
    "xs:long": "Long",
    "xs:int": "Int",
    "xs:short": "Short",
    "xs:byte": "Byte",
    "xs:nonNegativeInteger": "NonNegativeInteger",
    "xs:positiveInteger": "PositiveInteger",
    "xs:nonPositiveInteger": "NonPositiveInteger",
    "xs:negativeInteger": "NegativeInteger",
    "xs:unsignedLong": "UnsignedLong",
    "xs:unsignedInt": "UnsignedInt",
    "xs:unsignedShort": "UnsignedShort",
    "xs:unsignedByte": "UnsignedByte",
    "xs:decimal": "FiniteDecimal",
    "xs:double": "FiniteFloat",
    "xs:float": "FiniteFloat",
    "xs:boolean": "bool",
    "xs:date": "datetime.date",
    "xs:dateTime": "datetime.datetime",
    "xs:time": "datetime.time",
    "xs:anyURI": "AnyUri",
    "xs:duration": "Duration",
    "xs:gYear": "GYear",
    "xs:gYearMonth": "GYearMonth",
    "xs:gMonth": "GMonth",
    "xs:gMonthDay": "GMonthDay",
    "xs:gDay": "GDay",
    "xs:hexBinary": "HexBinary",
    "xs:base64Binary": "Base64Binary",
}
_RESERVED = frozenset(dir(BaseModel)) | BASE_FIELDS | {"extra_elements", "to_json",
                                                       "from_json", "to_submodel",
                                                       "from_submodel", "to_value_only",
                                                       "from_value_only", "template_info"}


class Planner:
    def __init__(self, plan: ModelPlan) -> None:
        self.plan = plan
        self.template = plan.template
        self.taken: set[str] = {plan.class_name, "E"}

    def description(self, element: TemplateElement) -> str:
        if element.description_en:
            return clean_text(element.description_en)
        return clean_text(self._concept(element, "definition"))

    def _concept(self, element: TemplateElement, key: str) -> str | None:
        concept = self.template.concept_descriptions.get(element.semantic_id or "")
        for spec in (concept or {}).get("embeddedDataSpecifications") or []:
            content = spec.get("dataSpecificationContent") if isinstance(spec, dict) else None
            if not isinstance(content, dict):
                continue
            value = content.get(key)
            if isinstance(value, str):
                return value.strip() or None
            for text in value or []:
                if isinstance(text, dict) and str(text.get("language", "")).startswith("en"):
                    return str(text.get("text") or "").strip() or None
        return None

    # --- names -----------------------------------------------------------------------------

    def class_name(self, element: TemplateElement, parent: str) -> str:
        base = camel(element.id_short or "Item")
        candidates = [base, f"{parent}{base}"]
        for candidate in candidates:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        number = 2
        while f"{parent}{base}{number}" in self.taken:
            number += 1
        self.taken.add(f"{parent}{base}{number}")
        return f"{parent}{base}{number}"

    # --- specs and types -------------------------------------------------------------------

    def spec(self, element: TemplateElement) -> Call:
        raw = element.raw
        args: list[tuple[str | None, str | Call]] = [
            (None, lit(element.id_short) if element.id_short is not None else "None"),
            (None, lit(element.model_type))]
        keys: list[tuple[str, object]] = [
            ("semantic_id", element.semantic_id),
            ("value_type", element.value_type if element.model_type in ("Property", "Range")
             else None),
        ]
        card = element.cardinality
        if card.min != 1:
            keys.append(("min", card.min))
        if card.max != 1:
            keys.append(("max", card.max if card.max is not None else "None"))
        ref_type, key_type = _reference_types(raw.get("semanticId"))
        keys += [
            ("semantic_id_type", ref_type if ref_type not in (None, "ExternalReference")
             else None),
            ("semantic_id_key", key_type if key_type not in (None, "GlobalReference")
             else None),
            ("allowed_id_short", element.allowed_id_short),
            ("in_list", True if element.in_list else None),
            ("content_type", element.content_type),
            ("entity_type", element.entity_type),
            ("order_relevant", raw.get("orderRelevant")
             if isinstance(raw.get("orderRelevant"), bool) else None),
            ("type_value_list_element", element.type_value_list_element),
            ("value_type_list_element", element.value_type_list_element),
            ("semantic_id_list_element", element.semantic_id_list_element),
        ]
        restrictions: list[tuple[str | None, str | Call]] = []
        if element.model_type == "Property":
            for key, values in (("allowed_values", element.allowed_values),
                                ("form_choices", element.form_choices)):
                if values:
                    restrictions.append((key, Call("", [(None, lit(v)) for v in values])))
            if element.allowed_range is not None:
                keys.append(("allowed_range", element.allowed_range.text))
            unit = self._concept(element, "unit")
            if unit:
                keys.append(("unit", unit))
                keys.append(("preferred_name", self._concept(element, "preferredName")))
        for key, value in keys:
            if value is None:
                continue
            if isinstance(value, bool | int) or value == "None":
                args.append((key, str(value)))
            else:
                args.append((key, lit(str(value))))
        args.extend(restrictions)
        if element.model_type == "SubmodelElementList":
            item = next(c for c in element.children if c.model_type in _SUPPORTED)
            args.append(("item", self.spec(item)))
        return Call("E", args)

    def value_type(self, element: TemplateElement, parent: str) -> tuple[str, str]:
        """The annotation of one instance's value, and a label for the docs."""
        kind = element.model_type
        if kind == "Property":
            py = PYTHON_TYPES.get(element.value_type or "", "str")
            self._import(py)
            return py, f"{py} ({element.value_type})"
        if kind == "MultiLanguageProperty":
            return "dict[str, str]", "dict[str, str] (language -> text)"
        if kind == "Range":
            py = PYTHON_TYPES.get(element.value_type or "", "str")
            self._import(py)
            self.plan.imports.add("Range")
            return f"Range[{py}]", f"Range[{py}] ({element.value_type})"
        if kind in _VALUE_CLASSES:
            name = _VALUE_CLASSES[kind]
            self.plan.imports.add(name)
            return name, name
        if kind in ("SubmodelElementCollection", "Entity"):
            name = self.model_class(element, parent)
            return name, name
        assert kind == "SubmodelElementList"
        items = [c for c in element.children if c.model_type in _SUPPORTED]
        if len(items) != 1:
            raise ValueError(f"{element.display_path}: lists with {len(items)} item "
                             "templates are not supported")
        inner, label = self.value_type(items[0], parent)
        if items[0].model_type in _VALUE_ELEMENTS:  # an item without a value is None
            inner, label = f"{inner} | None", f"{label} | None"
        return f"list[{inner}]", f"list[{label}]"

    def _import(self, py: str) -> None:
        if py.startswith("datetime."):
            self.plan.imports.add("datetime")
        elif py not in ("str", "bool", "int"):
            self.plan.imports.add(py)

    # --- fields and classes ----------------------------------------------------------------

    def fields(self, children: Sequence[TemplateElement], owner: str) -> list[FieldPlan]:
        out: list[FieldPlan] = []
        names = set(_RESERVED)
        arbitrary: list[TemplateElement] = []
        for child in children:
            if child.arbitrary:
                arbitrary.append(child)
            elif child.model_type not in _SUPPORTED or child.id_short is None:
                self.plan.skipped.append(child.display_path)
            else:
                out.append(self.field(child, owner, names))
        if arbitrary or not children:
            kinds = sorted({c.model_type for c in arbitrary})
            spec = Call("E", [(None, "None"), (None, lit("SubmodelElement")), ("min", "0"),
                              ("max", "None"), ("arbitrary", "True"),
                              ("kinds", Call("", [(None, lit(k)) for k in kinds]))])
            placeholders = ", ".join(c.id_short or c.model_type for c in arbitrary)
            text = (f"Elements for the template's placeholders {placeholders} (any idShort "
                    f"and semanticId; model types {', '.join(kinds)}), in the JSON form of "
                    "AAS." if arbitrary else "The template defines no elements here; "
                    "whatever the instance holds, in the JSON form of AAS.")
            out.append(FieldPlan(
                "extra_elements", "list[dict[str, Any]]", spec.lines(8),
                "Field(default_factory=list", text, None, "list[dict] (AAS JSON elements)"))
            self.plan.imports.add("Any")
        return out

    def field(self, element: TemplateElement, owner: str, names: set[str]) -> FieldPlan:
        name = snake(element.id_short or "item")
        if keyword.iskeyword(name) or name in names:
            name += "_"
        while name in names:
            name += "_"
        names.add(name)
        inner, label = self.value_type(element, owner)
        card = element.cardinality
        spec = self.spec(element).lines(8)
        if element.model_type == "SubmodelElementList":
            item = next(c for c in element.children if c.model_type in _SUPPORTED)
            limits = _limits(item.cardinality.min, item.cardinality.max)
            annotation = f"Annotated[{inner}, Field({limits})]" if limits else inner
            repeated = card.repeatable
        else:
            annotation, repeated = inner, card.repeatable
        if repeated:
            limits = _limits(card.min, card.max)
            annotation = f"list[{annotation}]"
            if limits:
                annotation = f"Annotated[{annotation}, Field({limits})]"
            default = None if card.min else "Field(default_factory=list"
        elif card.min >= 1:
            default = None
        else:
            annotation = f"{annotation} | None"
            default = "Field(None"
        return FieldPlan(name, annotation, spec, default, self.description(element), element,
                      label)

    def model_class(self, element: TemplateElement, parent: str) -> str:
        owner = element.path[-2] if element.in_list and len(element.path) > 1 else None
        base_name = singular(camel(owner)) if owner else None
        if base_name is not None:
            probe = TemplateElement(id_short=base_name, model_type=element.model_type,
                                    semantic_id=None, cardinality=element.cardinality)
            name = self.class_name(probe, parent)
        else:
            name = self.class_name(element, parent)
        entity = element.model_type == "Entity"
        fields = self.fields(element.children, name)
        what = "entity" if entity else "collection"
        label = element.display_path
        short = element.id_short or (f"{owner}[]" if owner else "[]")
        doc = summary(self.description(element), f"The {what} ``{short}`` of the template.")
        doc.append(f"Template element ``{label}`` ({element.model_type}"
                   + (f", semanticId ``{element.semantic_id}``" if element.semantic_id else "")
                   + ").")
        head: list[str] = []
        if entity and element.entity_type:
            self.plan.imports.add("Literal")
            head.append('    entity_type: Literal["CoManagedEntity", "SelfManagedEntity"] | '
                        f"None = {lit(element.entity_type)}")
        self.plan.classes.append(ClassPlan(name, "EntityModel" if entity else "ElementModel",
                                        doc, fields, head, element))
        return name

    def submodel_class(self) -> None:
        template, bundled = self.template, self.plan.bundled
        fields = self.fields(template.elements, self.plan.class_name)
        title = f"{bundled.title} {bundled.version} (IDTA {bundled.idta})."
        if len(title) > WIDTH - 12:
            title = f"The submodel template {bundled.id_short} {bundled.version}."
            doc = [title, f"{bundled.title} (IDTA {bundled.idta})."]
        else:
            doc = [title]
        if template.description_en:
            doc.append(clean_text(template.description_en))
        doc.append(f"semanticId ``{template.semantic_id}``; generated from the bundled "
                   f"template ``{bundled.file}``.")
        info: list[tuple[str | None, str | Call]] = [
            ("name", lit(bundled.title)), ("version", lit(bundled.version)),
            ("semantic_id", lit(template.semantic_id or "")),
            ("id_short", lit(template.id_short or bundled.id_short))]
        if template.id:
            info.append(("template_id", lit(template.id)))
        info += [("slug", lit(bundled.slug)), ("idta", lit(bundled.idta))]
        ref_type, key_type = _reference_types(template.raw.get("semanticId"))
        if ref_type not in (None, "ExternalReference"):
            info.append(("semantic_id_type", lit(ref_type)))
        if key_type not in (None, "GlobalReference"):
            info.append(("semantic_id_key", lit(key_type)))
        head = Call("TemplateInfo", info).lines(4, "TEMPLATE: ClassVar[TemplateInfo] = ")
        self.plan.classes.append(ClassPlan(self.plan.class_name, "SubmodelModel", doc, fields,
                                        head))


def _reference_types(reference: object) -> tuple[str | None, str | None]:
    """The reference type and first key type of a semanticId (JSON form)."""
    if not isinstance(reference, dict):
        return None, None
    keys = [k for k in reference.get("keys") or [] if isinstance(k, dict)]
    key_type = keys[0].get("type") if keys else None
    ref_type = reference.get("type")
    return (ref_type if isinstance(ref_type, str) else None,
            key_type if isinstance(key_type, str) else None)


def _limits(low: int, high: int | None) -> str:
    parts = []
    if low > 0:
        parts.append(f"min_length={low}")
    if high is not None:
        parts.append(f"max_length={high}")
    return ", ".join(parts)
