"""Typed submodels and value-only payloads of the IDTA submodel templates.

Two things live here:

- **typed models**: pydantic v2 models generated from the bundled submodel templates
  (``_generated/``, by ``scripts/generate_submodels.py``), one per template version, with
  a field per template element. Each converts to and from an AAS submodel (JSON form or
  basyx objects) and a value-only payload;
- **value-only payloads** (IDTA-01001 3.1, Format "Value"; the ``$value`` of the AAS API)
  of *any* template: :func:`value_only` renders a submodel, :func:`value_only_schema`
  gives the JSON Schema of a template's payloads.

```python
from omp_models.submodels import DigitalNameplateV3_0

nameplate = DigitalNameplateV3_0.from_value_only(payload)   # validated, typed
submodel = nameplate.to_submodel()                           # basyx Submodel
payload = nameplate.to_value_only()                          # {"URIOfTheProduct": ...}
```

Nested models are in the per-template modules (``digital_nameplate_3_0.Marking``).
"""

from typing import TYPE_CHECKING, Any

from omp_models.submodels._base import SubmodelModel
from omp_models.submodels._export import export_schemas, schema_files, schema_path_for
from omp_models.submodels._fields import ElementModel, EntityModel, SubmodelModelError
from omp_models.submodels._registry import model_for, models, resolve_model
from omp_models.submodels._schema import key_pattern, value_only_schema
from omp_models.submodels._spec import ElementSpec, TemplateInfo
from omp_models.submodels._value_only import value_only, value_only_element
from omp_models.submodels._values import (
    AnnotatedRelationship,
    BasicEvent,
    BlobValue,
    FileValue,
    Key,
    Range,
    Reference,
    Relationship,
    SpecificAssetId,
)

if TYPE_CHECKING:  # imported on first use (the models cost import time)
    from omp_models.submodels._generated import (
        MODELS,
        CarbonFootprintV1_0,
        ContactInformationV1_0,
        DigitalNameplateV3_0,
        HandoverDocumentationV2_0,
        HierarchicalStructuresBomV1_1,
        TechnicalDataV2_0,
        TimeSeriesDataV1_1,
        carbon_footprint_1_0,
        contact_information_1_0,
        digital_nameplate_3_0,
        handover_documentation_2_0,
        hierarchical_structures_bom_1_1,
        technical_data_2_0,
        time_series_data_1_1,
    )

__all__ = [
    "MODELS",
    "AnnotatedRelationship",
    "BasicEvent",
    "BlobValue",
    "CarbonFootprintV1_0",
    "ContactInformationV1_0",
    "DigitalNameplateV3_0",
    "ElementModel",
    "ElementSpec",
    "EntityModel",
    "FileValue",
    "HandoverDocumentationV2_0",
    "HierarchicalStructuresBomV1_1",
    "Key",
    "Range",
    "Reference",
    "Relationship",
    "SpecificAssetId",
    "SubmodelModel",
    "SubmodelModelError",
    "TechnicalDataV2_0",
    "TemplateInfo",
    "TimeSeriesDataV1_1",
    "carbon_footprint_1_0",
    "contact_information_1_0",
    "digital_nameplate_3_0",
    "export_schemas",
    "handover_documentation_2_0",
    "hierarchical_structures_bom_1_1",
    "key_pattern",
    "model_for",
    "models",
    "resolve_model",
    "schema_files",
    "schema_path_for",
    "technical_data_2_0",
    "time_series_data_1_1",
    "value_only",
    "value_only_element",
    "value_only_schema",
]


def __getattr__(name: str) -> Any:
    """The generated models and their modules, imported when first asked for."""
    import omp_models.submodels._generated as generated

    if name in generated.__all__:
        return getattr(generated, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
