"""Submodel templates as data: load any published IDTA template, look it up, instantiate it.

A :class:`Template` is a submodel template read from a file (AAS JSON or XML, 3.0 or 3.1,
an AASX package, or an AASX Package Explorer forms file): its semanticId, its version and
a tree of :class:`TemplateElement` with everything an instance must satisfy (model type,
value type, semanticId, :class:`Cardinality`, allowed values and ranges, required
languages, either-or groups, ``{00}`` idShort counters). The qualifier spellings of the
published templates (``SMT/Cardinality``, ``Cardinality``, ``Multiplicity``,
``SMT/SMT/Cardinality``; ``ZerotoMany``, ``ZeroToOne `` ...) are all read, and each oddity
is kept as a :class:`TemplateNote` for the lint.

```python
from omp_models.templates import default_registry, instantiate

registry = default_registry()                  # bundled templates (+ plugins, --templates)
nameplate = registry.resolve("Digital Nameplate")
print(nameplate.label, len(list(nameplate.walk())))
instance = instantiate(nameplate, "minimal")   # a valid skeleton, kind Instance
```

The conformance check that uses these templates is
:mod:`omp_validators.checks.template`; the command line is ``omp templates``.
"""

from typing import TYPE_CHECKING, Any

from omp_models._lazy import load_lazy

if TYPE_CHECKING:
    from omp_models.templates._build import LoadOptions, build_template
    from omp_models.templates._cardinality import (
        ONE,
        ONE_TO_MANY,
        ZERO_TO_MANY,
        ZERO_TO_ONE,
        Cardinality,
        is_cardinality_type,
        parse_cardinality,
    )
    from omp_models.templates._instantiate import Instance, Mode, instantiate
    from omp_models.templates._load import (
        TemplateDocument,
        TemplateFile,
        TemplateLoadError,
        load_template_file,
        load_templates,
        read_template_file,
    )
    from omp_models.templates._match import ChildIndex, ChildMatch, MatchedBy, match_children
    from omp_models.templates._model import (
        AllowedRange,
        SourceKind,
        Template,
        TemplateElement,
        TemplateNote,
        Token,
    )
    from omp_models.templates._qualifiers import (
        TEMPLATE_QUALIFIER_TYPES,
        is_template_qualifier_type,
        value_allowed,
    )
    from omp_models.templates._registry import (
        ENTRY_POINT_GROUP,
        BundledTemplate,
        RegistryProblem,
        TemplateMatch,
        TemplateRegistry,
        bundled_dir,
        bundled_templates,
        clear_registry_cache,
        default_registry,
    )
    from omp_models.templates._semantic import (
        is_arbitrary,
        loose_key,
        near_miss,
        reference_from_id,
        semantic_id_of,
    )
    from omp_models.templates._values import VALUE_TYPES, default_value, value_fits

#: Public name -> the private module that defines it (imported on first use, so that
#: ``import omp_models.templates._x`` and the validator's start-up stay cheap).
_LAZY: dict[str, str] = {
    "AllowedRange": "omp_models.templates._model",
    "BundledTemplate": "omp_models.templates._registry",
    "Cardinality": "omp_models.templates._cardinality",
    "ChildIndex": "omp_models.templates._match",
    "ChildMatch": "omp_models.templates._match",
    "ENTRY_POINT_GROUP": "omp_models.templates._registry",
    "Instance": "omp_models.templates._instantiate",
    "LoadOptions": "omp_models.templates._build",
    "MatchedBy": "omp_models.templates._match",
    "Mode": "omp_models.templates._instantiate",
    "ONE": "omp_models.templates._cardinality",
    "ONE_TO_MANY": "omp_models.templates._cardinality",
    "RegistryProblem": "omp_models.templates._registry",
    "SourceKind": "omp_models.templates._model",
    "TEMPLATE_QUALIFIER_TYPES": "omp_models.templates._qualifiers",
    "Template": "omp_models.templates._model",
    "TemplateDocument": "omp_models.templates._load",
    "TemplateElement": "omp_models.templates._model",
    "TemplateFile": "omp_models.templates._load",
    "TemplateLoadError": "omp_models.templates._load",
    "TemplateMatch": "omp_models.templates._registry",
    "TemplateNote": "omp_models.templates._model",
    "TemplateRegistry": "omp_models.templates._registry",
    "Token": "omp_models.templates._model",
    "VALUE_TYPES": "omp_models.templates._values",
    "ZERO_TO_MANY": "omp_models.templates._cardinality",
    "ZERO_TO_ONE": "omp_models.templates._cardinality",
    "build_template": "omp_models.templates._build",
    "bundled_dir": "omp_models.templates._registry",
    "bundled_templates": "omp_models.templates._registry",
    "clear_registry_cache": "omp_models.templates._registry",
    "default_registry": "omp_models.templates._registry",
    "default_value": "omp_models.templates._values",
    "instantiate": "omp_models.templates._instantiate",
    "is_arbitrary": "omp_models.templates._semantic",
    "is_cardinality_type": "omp_models.templates._cardinality",
    "is_template_qualifier_type": "omp_models.templates._qualifiers",
    "load_template_file": "omp_models.templates._load",
    "load_templates": "omp_models.templates._load",
    "loose_key": "omp_models.templates._semantic",
    "match_children": "omp_models.templates._match",
    "near_miss": "omp_models.templates._semantic",
    "parse_cardinality": "omp_models.templates._cardinality",
    "read_template_file": "omp_models.templates._load",
    "reference_from_id": "omp_models.templates._semantic",
    "semantic_id_of": "omp_models.templates._semantic",
    "value_allowed": "omp_models.templates._qualifiers",
    "value_fits": "omp_models.templates._values",
}


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, name)


__all__ = [
    "ENTRY_POINT_GROUP",
    "ONE",
    "ONE_TO_MANY",
    "TEMPLATE_QUALIFIER_TYPES",
    "VALUE_TYPES",
    "ZERO_TO_MANY",
    "ZERO_TO_ONE",
    "AllowedRange",
    "BundledTemplate",
    "Cardinality",
    "ChildIndex",
    "ChildMatch",
    "Instance",
    "LoadOptions",
    "MatchedBy",
    "Mode",
    "RegistryProblem",
    "SourceKind",
    "Template",
    "TemplateDocument",
    "TemplateElement",
    "TemplateFile",
    "TemplateLoadError",
    "TemplateMatch",
    "TemplateNote",
    "TemplateRegistry",
    "Token",
    "build_template",
    "bundled_dir",
    "bundled_templates",
    "clear_registry_cache",
    "default_registry",
    "default_value",
    "instantiate",
    "is_arbitrary",
    "is_cardinality_type",
    "is_template_qualifier_type",
    "load_template_file",
    "load_templates",
    "loose_key",
    "match_children",
    "near_miss",
    "parse_cardinality",
    "read_template_file",
    "reference_from_id",
    "semantic_id_of",
    "value_allowed",
    "value_fits",
]
