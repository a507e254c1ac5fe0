"""The base classes of the generated element models and how their fields are read."""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from omp_models.submodels._spec import ElementSpec
from omp_models.submodels._values import SpecificAssetId, to_lexical

__all__ = [
    "ElementModel",
    "EntityModel",
    "ModelBase",
    "SubmodelModelError",
    "fields",
    "inner_model",
]


class SubmodelModelError(ValueError):
    """Content that a typed model cannot hold.

    An element the template does not define, a model type other than the template's, a
    value the field cannot take.

    Attributes:
        path: Where: a JSON Pointer into the submodel's JSON form or into the value-only
            payload.
    """

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


class ModelBase(BaseModel):
    """What every typed model shares: strict fields, the template's value restrictions."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=(), defer_build=True)

    @model_validator(mode="after")
    def _template_restrictions(self) -> Self:
        """``SMT/AllowedValue``, ``SMT/FormChoice`` and ``SMT/AllowedRange`` of the fields."""
        for name, spec in fields(type(self)):
            target = spec.item if spec.model_type == "SubmodelElementList" else spec
            if target is None or target.model_type != "Property" or not (
                    target.allowed_values or target.form_choices or target.allowed_range):
                continue
            value = getattr(self, name)
            items = value if isinstance(value, list) else [value]
            for item in items:
                if item is None:
                    continue
                problem = target.check_value(to_lexical(item, target.value_type))
                if problem is not None:
                    raise ValueError(f"{name}: {problem}")
        return self


class ElementModel(ModelBase):
    """A SubmodelElementCollection of a template (or a list's collection item).

    Attributes:
        id_short: The idShort, when it is not the template's (``None``: the template's,
            or for repeated elements ``Name02``, ``Name03``... as ``omp templates
            instantiate`` numbers them).
    """

    id_short: str | None = Field(default=None, description=(
        "The idShort, when it is not the template's (None: the template's)."))


class EntityModel(ElementModel):
    """An Entity of a template: its statements are the fields, plus the asset it is.

    Attributes:
        entity_type: ``SelfManagedEntity`` (an asset with its own shell) or
            ``CoManagedEntity``.
        global_asset_id: The asset's global id.
        specific_asset_ids: The asset's specific ids.
    """

    OMP_ENTITY: ClassVar[bool] = True

    entity_type: Literal["CoManagedEntity", "SelfManagedEntity"] | None = None
    global_asset_id: str | None = None
    specific_asset_ids: list[SpecificAssetId] = Field(default_factory=list)

    @field_validator("specific_asset_ids")
    @classmethod
    def _sorted(cls, value: list[SpecificAssetId]) -> list[SpecificAssetId]:
        """Specific asset ids are a set (basyx does not keep their order): sorted."""
        return sorted(value, key=lambda s: (s.name, s.value, repr(s.external_subject_id)))


#: Field names of the base classes (not template elements).
BASE_FIELDS = frozenset({"id_short", "entity_type", "global_asset_id", "specific_asset_ids",
                         "id"})


@cache
def fields(cls: type[BaseModel]) -> tuple[tuple[str, ElementSpec], ...]:
    """``(field name, spec)`` of every field that stands for a template element."""
    out: list[tuple[str, ElementSpec]] = []
    for name, info in cls.model_fields.items():
        spec = next((m for m in info.metadata if isinstance(m, ElementSpec)), None)
        if spec is not None:
            out.append((name, spec))
    return tuple(out)


def _find_model(annotation: Any) -> type[ModelBase] | None:
    if isinstance(annotation, type) and issubclass(annotation, ModelBase):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


@cache
def inner_model(cls: type[BaseModel], name: str) -> type[ModelBase] | None:
    """The element model a field holds (directly, in a list or optionally), if any."""
    return _find_model(cls.model_fields[name].annotation)
