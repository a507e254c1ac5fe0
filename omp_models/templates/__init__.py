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
