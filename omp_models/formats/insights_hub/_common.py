"""Small helpers of the Insights Hub converter: the shared cloud helpers, bound to its name."""

from __future__ import annotations

from omp_models.formats._cloud_common import (
    MAX_NAME,
    MAX_PREFERRED,
    MAX_TEXT,
    Issues,
    canonical,
    concept_description,
    extension_builder,
    global_ref,
    lang,
    model_ref,
    qualifier,
    value_fits,
)

__all__ = [
    "EXT",
    "FORMAT",
    "MAX_NAME",
    "MAX_PREFERRED",
    "MAX_TEXT",
    "Issues",
    "canonical",
    "concept_description",
    "extension",
    "global_ref",
    "lang",
    "model_ref",
    "qualifier",
    "value_fits",
]

FORMAT = "insights-hub"
#: Prefix of the Extensions that keep Insights Hub attributes with no AAS home.
EXT = f"src:{FORMAT}:"
extension = extension_builder(EXT)
