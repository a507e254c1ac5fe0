"""What a typed model knows about its template: one :class:`ElementSpec` per field.

The generated models (``_generated/``) annotate every field with the template element it
stands for (``Annotated[str, ElementSpec("SerialNumber", "Property", ...)]``); the
hand-written layer (:mod:`omp_models.submodels._base`) reads these specs to build AAS
JSON, basyx objects and value-only payloads. A spec is plain data, written into the
generated code, so a model never needs the template file at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from omp_models.templates import Cardinality, TemplateElement

__all__ = ["ElementSpec", "TemplateInfo", "reference_json"]

#: The data specification template that carries units (IEC 61360).
IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"


def reference_json(value: str, ref_type: str = "ExternalReference",
                   key_type: str = "GlobalReference") -> dict[str, Any]:
    """A reference with one key, in its JSON form."""
    return {"type": ref_type, "keys": [{"type": key_type, "value": value}]}


@dataclass(frozen=True)
class ElementSpec:
    """One template element, as a typed model's field stands for it.

    Attributes:
        id_short: The template's idShort (with a ``{00}`` counter, if it has one);
            ``None`` for the element of a SubmodelElementList.
        model_type: The metamodel class (``Property``, ``SubmodelElementCollection``...).
        semantic_id: The semanticId's key value.
        value_type: ``valueType`` of a Property or Range.
        min: Least number of instances (cardinality).
        max: Most, ``None`` for many.
        semantic_id_type: The reference type of the semanticId.
        semantic_id_key: The key type of the semanticId.
        allowed_id_short: ``SMT/AllowedIdShort``: the pattern of instance idShorts.
        in_list: The element stands for the items of a SubmodelElementList.
        content_type: A File's or Blob's content type in the template.
        entity_type: An Entity's ``entityType`` in the template.
        order_relevant: A list's ``orderRelevant``.
        type_value_list_element: A list's ``typeValueListElement``.
        value_type_list_element: A list's ``valueTypeListElement``.
        semantic_id_list_element: A list's ``semanticIdListElement`` (key value).
        item: The spec of a list's items.
        unit: The unit symbol (from the concept description), if any.
        preferred_name: The English preferred name of the concept (for the unit's
            data specification).
        arbitrary: The field holds the elements of the template's ``Arbitrary...``
            placeholders (any idShort and semanticId), as AAS JSON.
        kinds: For ``arbitrary``: the model types the placeholders allow.
        allowed_values: ``SMT/AllowedValue`` of a Property (regular expressions or
            ``;``-separated literals).
        form_choices: ``SMT/FormChoice`` of a Property.
        allowed_range: ``SMT/AllowedRange`` of a Property, as written (``[0,100]``).
    """

    id_short: str | None
    model_type: str
    semantic_id: str | None = None
    value_type: str | None = None
    min: int = 1
    max: int | None = 1
    semantic_id_type: str = "ExternalReference"
    semantic_id_key: str = "GlobalReference"
    allowed_id_short: str | None = None
    in_list: bool = False
    content_type: str | None = None
    entity_type: str | None = None
    order_relevant: bool | None = None
    type_value_list_element: str | None = None
    value_type_list_element: str | None = None
    semantic_id_list_element: str | None = None
    item: ElementSpec | None = None
    unit: str | None = None
    preferred_name: str | None = None
    arbitrary: bool = False
    kinds: tuple[str, ...] = ()
    allowed_values: tuple[str, ...] = ()
    form_choices: tuple[str, ...] = ()
    allowed_range: str | None = None

    @cached_property
    def element(self) -> TemplateElement:
        """The same element as a :class:`~omp_models.templates.TemplateElement`.

        It gives the idShort rules (counters, ``AllowedIdShort``) their one implementation.
        """
        return TemplateElement(
            id_short=self.id_short, model_type=self.model_type, semantic_id=self.semantic_id,
            cardinality=Cardinality(self.min, self.max), value_type=self.value_type,
            allowed_id_short=self.allowed_id_short, in_list=self.in_list,
        )

    @property
    def repeatable(self) -> bool:
        """More than one instance is allowed (the field is a list)."""
        return self.max is None or self.max > 1

    def instance_id_short(self, number: int = 1) -> str | None:
        """The idShort of the ``number``-th instance (``Marking01`` for ``Marking{00}``)."""
        return self.element.instance_id_short(number)

    def accepts_id_short(self, id_short: str) -> bool:
        """Whether an instance of this element may be called ``id_short``."""
        if self.arbitrary:
            return True
        if self.element.accepts_id_short(id_short):
            return True
        # Repeated elements without a counter: the template's idShort with a number.
        return self.repeatable and self.id_short is not None and (
            id_short.startswith(self.id_short) and id_short[len(self.id_short):].isdigit())

    def check_value(self, lexical: str) -> str | None:
        """Why a Property value (its XSD literal) breaks the template's restrictions, if it does.

        ``SMT/AllowedValue``, ``SMT/FormChoice`` and ``SMT/AllowedRange``, read as the
        template check reads them (empty values are not checked).
        """
        from omp_models.templates import AllowedRange, value_allowed
        from omp_models.templates._values import numeric

        if lexical == "":
            return None
        if self.allowed_values and not value_allowed(lexical, self.allowed_values):
            return f"{lexical!r} is not allowed (SMT/AllowedValue {'; '.join(self.allowed_values)})"
        if not self.allowed_values and self.form_choices and (
                lexical.strip() not in self.form_choices):
            return f"{lexical!r} is not one of the choices {', '.join(self.form_choices)}"
        bounds = AllowedRange.parse(self.allowed_range) if self.allowed_range else None
        number = numeric(lexical, self.value_type) if bounds is not None else None
        if bounds is not None and number is not None and not bounds.contains(number):
            return f"{lexical!r} is outside the allowed range {self.allowed_range}"
        return None

    def semantic_id_json(self) -> dict[str, Any] | None:
        """The semanticId reference (JSON form), if the template has one."""
        if self.semantic_id is None:
            return None
        return reference_json(self.semantic_id, self.semantic_id_type, self.semantic_id_key)

    def unit_data_specification(self) -> dict[str, Any] | None:
        """An IEC 61360 data specification with the unit, if the template has a unit."""
        if self.unit is None:
            return None
        name = self.preferred_name or self.id_short or "value"
        return {
            "dataSpecification": reference_json(IEC61360),
            "dataSpecificationContent": {
                "modelType": "DataSpecificationIec61360",
                "preferredName": [{"language": "en", "text": name}],
                "unit": self.unit,
            },
        }


@dataclass(frozen=True)
class TemplateInfo:
    """The template a typed submodel model was generated from.

    Attributes:
        name: The template's name (``Digital Nameplate for Industrial Equipment``).
        version: Its version (``3.0.1``).
        semantic_id: The submodel's semanticId.
        id_short: The submodel's idShort in the template.
        template_id: The template's own id (``administration.templateId`` of instances).
        slug: The short name of the bundled file (``digital-nameplate``).
        idta: The IDTA number (``02006``).
        semantic_id_type: The reference type of the semanticId.
        semantic_id_key: The key type of the semanticId.
    """

    name: str
    version: str
    semantic_id: str
    id_short: str
    template_id: str | None = None
    slug: str = ""
    idta: str | None = None
    semantic_id_type: str = "ExternalReference"
    semantic_id_key: str = "GlobalReference"

    @property
    def label(self) -> str:
        """``Digital Nameplate for Industrial Equipment 3.0.1``."""
        return f"{self.name} {self.version}"
