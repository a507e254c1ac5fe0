"""SAMM aspect models (Eclipse ESMF, formerly BAMM): load, validate, generate.

Load an aspect model written in SAMM 2.0.0, 2.1.0 or 2.2.0 (or legacy BAMM 1.0.0/2.0.0,
read as SAMM with a "migrate" finding), resolving imports from models directories laid out
as ``<namespace>/<version>/<Name>.ttl`` and from the bundled SAMM meta-model catalogs; then
check it (fast structural rules, optionally the official SHACL shapes) and generate its
payload JSON Schema, example payloads, the AAS submodel template (3.0/3.1, with SMT
qualifiers), pydantic models, and convert payloads to AAS submodel instances and back.

Example:
    >>> from omp_models.samm import load_aspect, aspect_schema
    >>> model = load_aspect("Movement.ttl")            # doctest: +SKIP
    >>> schema = aspect_schema(model.aspect)            # doctest: +SKIP

The names are imported on first use (``import omp_models.samm`` stays cheap).
Nothing is downloaded at any time: the meta-model files are vendored under ``schemas/samm``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omp_models._lazy import load_lazy

if TYPE_CHECKING:
    from omp_models.samm._aas import (
        AasNote,
        submodel_environment,
    )
    from omp_models.samm._api import (
        AasOutput,
        aas_template,
        find_aspect,
        payload_to_aas,
        validate_model,
    )
    from omp_models.samm._checks import (
        check_model,
    )
    from omp_models.samm._example import (
        example_payload,
    )
    from omp_models.samm._loader import (
        AspectModel,
        default_roots,
        load_aspect,
        resolve_urn,
    )
    from omp_models.samm._metamodel import (
        quantity_kinds,
        units,
    )
    from omp_models.samm._model import (
        Aspect,
        Characteristic,
        Code,
        Collection,
        ComplexType,
        Constraint,
        Duration,
        Either,
        EncodingConstraint,
        Entity,
        EntityInstance,
        Enumeration,
        Event,
        FixedPointConstraint,
        LanguageConstraint,
        LengthConstraint,
        List,
        LocaleConstraint,
        Measurement,
        ModelElement,
        Operation,
        Property,
        PropertyUse,
        Quantifiable,
        QuantityKind,
        RangeConstraint,
        RegularExpressionConstraint,
        Scalar,
        ScalarValue,
        Set,
        SingleEntity,
        SortedSet,
        State,
        StructuredValue,
        TimeSeries,
        Trait,
        Unit,
    )
    from omp_models.samm._payload import (
        payload_of_submodel,
    )
    from omp_models.samm._pydantic import (
        pydantic_source,
    )
    from omp_models.samm._rules import (
        MODEL_RULES,
        PAYLOAD_RULES,
    )
    from omp_models.samm._schema import (
        aspect_schema,
    )
    from omp_models.samm._shacl import (
        ShaclUnavailable,
        default_cache_dir,
        shacl_findings,
    )
    from omp_models.samm._validate import (
        PayloadError,
        PayloadValidator,
    )

__all__ = [
    "MODEL_RULES",
    "PAYLOAD_RULES",
    "AasNote",
    "AasOutput",
    "Aspect",
    "AspectModel",
    "Characteristic",
    "Code",
    "Collection",
    "ComplexType",
    "Constraint",
    "Duration",
    "Either",
    "EncodingConstraint",
    "Entity",
    "EntityInstance",
    "Enumeration",
    "Event",
    "FixedPointConstraint",
    "LanguageConstraint",
    "LengthConstraint",
    "List",
    "LocaleConstraint",
    "Measurement",
    "ModelElement",
    "Operation",
    "PayloadError",
    "PayloadValidator",
    "Property",
    "PropertyUse",
    "Quantifiable",
    "QuantityKind",
    "RangeConstraint",
    "RegularExpressionConstraint",
    "Scalar",
    "ScalarValue",
    "Set",
    "ShaclUnavailable",
    "SingleEntity",
    "SortedSet",
    "State",
    "StructuredValue",
    "TimeSeries",
    "Trait",
    "Unit",
    "aas_template",
    "aspect_schema",
    "check_model",
    "default_cache_dir",
    "default_roots",
    "example_payload",
    "find_aspect",
    "load_aspect",
    "payload_of_submodel",
    "payload_to_aas",
    "pydantic_source",
    "quantity_kinds",
    "resolve_urn",
    "shacl_findings",
    "submodel_environment",
    "units",
    "validate_model",
]

_WHERE: dict[str, str] = {
    "AasOutput": "omp_models.samm._api",
    "aas_template": "omp_models.samm._api",
    "find_aspect": "omp_models.samm._api",
    "payload_to_aas": "omp_models.samm._api",
    "validate_model": "omp_models.samm._api",
    "AasNote": "omp_models.samm._aas",
    "submodel_environment": "omp_models.samm._aas",
    "check_model": "omp_models.samm._checks",
    "example_payload": "omp_models.samm._example",
    "AspectModel": "omp_models.samm._loader",
    "default_roots": "omp_models.samm._loader",
    "load_aspect": "omp_models.samm._loader",
    "resolve_urn": "omp_models.samm._loader",
    "quantity_kinds": "omp_models.samm._metamodel",
    "units": "omp_models.samm._metamodel",
    "Aspect": "omp_models.samm._model",
    "Characteristic": "omp_models.samm._model",
    "Code": "omp_models.samm._model",
    "Collection": "omp_models.samm._model",
    "ComplexType": "omp_models.samm._model",
    "Constraint": "omp_models.samm._model",
    "Duration": "omp_models.samm._model",
    "Either": "omp_models.samm._model",
    "EncodingConstraint": "omp_models.samm._model",
    "Entity": "omp_models.samm._model",
    "EntityInstance": "omp_models.samm._model",
    "Enumeration": "omp_models.samm._model",
    "Event": "omp_models.samm._model",
    "FixedPointConstraint": "omp_models.samm._model",
    "LanguageConstraint": "omp_models.samm._model",
    "LengthConstraint": "omp_models.samm._model",
    "List": "omp_models.samm._model",
    "LocaleConstraint": "omp_models.samm._model",
    "Measurement": "omp_models.samm._model",
    "ModelElement": "omp_models.samm._model",
    "Operation": "omp_models.samm._model",
    "Property": "omp_models.samm._model",
    "PropertyUse": "omp_models.samm._model",
    "Quantifiable": "omp_models.samm._model",
    "QuantityKind": "omp_models.samm._model",
    "RangeConstraint": "omp_models.samm._model",
    "RegularExpressionConstraint": "omp_models.samm._model",
    "Scalar": "omp_models.samm._model",
    "ScalarValue": "omp_models.samm._model",
    "Set": "omp_models.samm._model",
    "SingleEntity": "omp_models.samm._model",
    "SortedSet": "omp_models.samm._model",
    "State": "omp_models.samm._model",
    "StructuredValue": "omp_models.samm._model",
    "TimeSeries": "omp_models.samm._model",
    "Trait": "omp_models.samm._model",
    "Unit": "omp_models.samm._model",
    "payload_of_submodel": "omp_models.samm._payload",
    "pydantic_source": "omp_models.samm._pydantic",
    "MODEL_RULES": "omp_models.samm._rules",
    "PAYLOAD_RULES": "omp_models.samm._rules",
    "aspect_schema": "omp_models.samm._schema",
    "ShaclUnavailable": "omp_models.samm._shacl",
    "default_cache_dir": "omp_models.samm._shacl",
    "shacl_findings": "omp_models.samm._shacl",
    "PayloadError": "omp_models.samm._validate",
    "PayloadValidator": "omp_models.samm._validate",
}


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _WHERE, name)


def __dir__() -> list[str]:
    return sorted(__all__)
