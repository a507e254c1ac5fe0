"""Reporters: pure functions ``Report -> str``.

Each module exposes ``render(report: Report, *, color: bool = False) -> str``. They never
print, never read the clock and never look at the environment, so the same report always
renders to the same text (golden-file tests rely on it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from omp_validators.report import Report

__all__ = ["FORMATS", "Reporter", "get_reporter"]

#: Reporter name -> module under ``omp_validators.reporters``.
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
}


class Reporter(Protocol):
    """The contract every reporter satisfies."""

    def __call__(self, report: Report, *, color: bool = False) -> str:
        """Render the report."""
        ...


def get_reporter(name: str) -> Reporter:
    """The reporter called ``name`` (one of :data:`FORMATS`).

    Raises:
        KeyError: For an unknown name.
    """
    module = importlib.import_module(f"omp_validators.reporters.{FORMATS[name]}")
    render: Reporter = module.render
    return render
