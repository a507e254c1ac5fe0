"""The hand-written layer of the typed submodel models: AAS, basyx and value-only forms.

Every generated submodel model (``_generated/``) derives from :class:`SubmodelModel`:

- :meth:`~SubmodelModel.to_json` / :meth:`~SubmodelModel.from_json`: the JSON form of an
  AAS 3.0/3.1 Submodel (semanticIds, value types, ``{00}`` counters expanded, units of
  the template as an IEC 61360 data specification);
- :meth:`~SubmodelModel.to_submodel` / :meth:`~SubmodelModel.from_submodel`: the same as
  basyx objects;
- :meth:`~SubmodelModel.to_value_only` / :meth:`~SubmodelModel.from_value_only`: the
  value-only payload (IDTA-01001 3.1, Format "Value").

A model holds the values a template defines, not the rest of a submodel (descriptions,
qualifiers, extensions of instance elements are not kept).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import Field, ValidationError

from omp_models.submodels._aas_json import children_data, children_json
from omp_models.submodels._fields import ModelBase, SubmodelModelError
from omp_models.submodels._spec import TemplateInfo, reference_json
from omp_models.submodels._value_only import value_only
from omp_models.submodels._vo_read import children_from_value_only
from omp_models.templates import loose_key, semantic_id_of

__all__ = ["SubmodelModel"]

#: Prefix of the ids of submodels whose model has none.
ID_PREFIX = "urn:omp-toolkit:submodel:"


class SubmodelModel(ModelBase):
    """A submodel of one template version, with a field per template element.

    Attributes:
        id: The submodel's id (``None``: derived from the idShort when written).
        id_short: The submodel's idShort (``None``: the template's).
    """

    TEMPLATE: ClassVar[TemplateInfo]

    id: str | None = Field(default=None, description="The submodel's id.")
    id_short: str | None = Field(default=None, description=(
        "The submodel's idShort (None: the template's)."))

    # --- AAS JSON --------------------------------------------------------------------------

    def to_json(self, *, units: bool = True) -> dict[str, Any]:
        """The submodel in the JSON form of AAS 3.0/3.1 (kind ``Instance``).

        Args:
            units: Give Properties whose concept has a unit an IEC 61360 data
                specification with that unit.
        """
        info = self.TEMPLATE
        id_short = self.id_short or info.id_short
        out: dict[str, Any] = {
            "idShort": id_short,
            "id": self.id or f"{ID_PREFIX}{id_short}",
            "kind": "Instance",
            "semanticId": reference_json(info.semantic_id, info.semantic_id_type,
                                         info.semantic_id_key),
            "modelType": "Submodel",
        }
        if info.template_id:
            out["administration"] = {"templateId": info.template_id}
        elements = children_json(self, units=units)
        if elements:
            out["submodelElements"] = elements
        return out

    @classmethod
    def from_json(cls, submodel: Mapping[str, Any]) -> Self:
        """Read a submodel in the JSON form of AAS 3.0/3.1.

        Raises:
            SubmodelModelError: When it holds what the template does not define, or a value
                the field cannot take; the error names the JSON Pointer.
        """
        semantic_id = semantic_id_of(submodel.get("semanticId"))
        expected = cls.TEMPLATE.semantic_id
        if semantic_id is not None and loose_key(semantic_id) != loose_key(expected):
            raise SubmodelModelError(f"the semanticId {semantic_id!r} is not the template's "
                                     f"{expected!r}", "/semanticId")
        data = children_data(cls, submodel.get("submodelElements"), ["submodelElements"])
        id_short = submodel.get("idShort")
        if isinstance(id_short, str) and id_short != cls.TEMPLATE.id_short:
            data["id_short"] = id_short
        # ``None`` stands for the default id, as for idShorts: what is written is read back.
        if isinstance(submodel.get("id"), str) and submodel["id"] != (
                f"{ID_PREFIX}{id_short or cls.TEMPLATE.id_short}"):
            data["id"] = submodel["id"]
        return cls._validated(data, "")

    @classmethod
    def _validated(cls, data: dict[str, Any], path: str) -> Self:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise SubmodelModelError(f"{cls.__name__}: {exc}", path) from exc

    # --- basyx -----------------------------------------------------------------------------

    def to_submodel(self, *, units: bool = True) -> Any:
        """The submodel as a basyx ``Submodel`` (``basyx.aas.model.Submodel``).

        Raises:
            SubmodelModelError: When basyx refuses the content (an invalid idShort...).
        """
        from basyx.aas.adapter.json import StrictAASFromJsonDecoder

        text = json.dumps(self.to_json(units=units))
        try:
            return json.loads(text, cls=StrictAASFromJsonDecoder)
        except (ValueError, TypeError, KeyError) as exc:
            raise SubmodelModelError(f"the AAS object model refuses the content: {exc}"
                                     ) from exc

    @classmethod
    def from_submodel(cls, submodel: Any) -> Self:
        """Read a basyx ``Submodel``.

        Raises:
            SubmodelModelError: As :meth:`from_json`.
        """
        from basyx.aas.adapter.json import AASToJsonEncoder

        return cls.from_json(json.loads(json.dumps(submodel, cls=AASToJsonEncoder)))

    # --- value-only ------------------------------------------------------------------------

    def to_value_only(self) -> dict[str, Any]:
        """The value-only payload (``$value``): idShort -> value, typed as JSON."""
        return value_only(self.to_json(units=False))

    @classmethod
    def from_value_only(cls, payload: Any, *, id: str | None = None) -> Self:
        """Read a value-only payload.

        Args:
            payload: The payload (parsed JSON).
            id: The submodel's id (payloads carry none).

        Raises:
            SubmodelModelError: When a key is not an element of the template or a value
                does not fit; the error names the JSON Pointer into the payload.
        """
        data = children_from_value_only(cls, payload, [])
        if id is not None:
            data["id"] = id
        return cls._validated(data, "")

    @classmethod
    def template_info(cls) -> TemplateInfo:
        """The template the model was generated from."""
        return cls.TEMPLATE
