"""SAMM aspect model rules (``omp samm validate``), registered for ``omp rules`` and the docs.

The checks themselves live in :mod:`omp_models.samm` (loading, structural rules, SHACL);
``omp samm validate`` runs them on Turtle files. This module runs nothing on AAS documents.
"""

from __future__ import annotations

from omp_models.samm._rules import MODEL_RULES

__all__ = ["RULES"]

#: The rules of the SAMM model layer.
RULES = MODEL_RULES
