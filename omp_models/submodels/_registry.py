"""The typed models by semanticId and by name."""

from __future__ import annotations

import re
from functools import cache

from omp_models.submodels._base import SubmodelModel
from omp_models.templates import loose_key

__all__ = ["model_for", "models", "resolve_model"]


def models() -> tuple[type[SubmodelModel], ...]:
    """Every typed submodel model, in the order of the bundled templates."""
    from omp_models.submodels._generated import MODELS

    return MODELS


@cache
def _by_semantic_id() -> dict[str, type[SubmodelModel]]:
    return {model.TEMPLATE.semantic_id: model for model in models()}


def model_for(semantic_id: str) -> type[SubmodelModel] | None:
    """The model of the template with this semanticId, or ``None``.

    Near misses (``zvei`` for ``idta``, another IRDI version) find the model as well.

    Example:
        >>> model_for("https://admin-shell.io/idta/nameplate/3/0/Nameplate").__name__
        'DigitalNameplateV3_0'
    """
    found = _by_semantic_id().get(semantic_id)
    if found is not None:
        return found
    key = loose_key(semantic_id)
    return next((m for sid, m in _by_semantic_id().items() if loose_key(sid) == key), None)


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def resolve_model(query: str) -> type[SubmodelModel] | None:
    """A model by semanticId, class name, template name, slug, idShort or IDTA number.

    ``name@version`` picks a version (``nameplate@3.0``).
    """
    found = model_for(query.strip())
    if found is not None:
        return found
    name, _, version = query.strip().partition("@")
    wanted = _normal(name)
    for model in models():
        info = model.TEMPLATE
        names = {_normal(n) for n in (model.__name__, info.name, info.slug, info.id_short,
                                      info.idta or "", f"IDTA {info.idta}")}
        if wanted in names and info.version.startswith(version):
            return model
    return None
