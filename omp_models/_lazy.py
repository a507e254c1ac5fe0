"""Lazy public names of a package (PEP 562): import the defining module on first use.

A package's ``__init__`` maps each public name to its private module and delegates its
``__getattr__`` here, so that ``import omp_models.x`` and the command line start fast and
only pay for what a run touches. Static type checkers see the names through ``if
TYPE_CHECKING:`` imports in the same ``__init__``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["load_lazy"]


def load_lazy(package: str, where: Mapping[str, str], name: str) -> Any:
    """The public ``name`` of ``package``, imported from ``where[name]`` and cached.

    Raises:
        AttributeError: ``name`` is not one of the package's lazy names.
    """
    module = where.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    setattr(sys.modules[package], name, value)
    return value
