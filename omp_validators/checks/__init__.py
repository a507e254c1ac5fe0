"""The check layers, and how more are plugged in.

Built-in layers: syntax and metamodel (:mod:`.metamodel`), environment rules
(:mod:`.environment`), AASX packaging (:mod:`.aasx`). Further *document checks* run on
every document that deserialised: each is a callable satisfying :class:`DocumentCheck`,
found as the ``DOCUMENT_CHECK`` attribute of the modules of this package (built-ins) and
through the ``omp.checks`` entry-point group (plugins). A plugin that fails to load is
reported once as a warning and left out; it never stops a run.
"""

from __future__ import annotations

import importlib
import pkgutil
import warnings
from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from omp_models.diagnostics import Finding, Where
    from omp_validators.options import ValidateOptions

__all__ = ["DocumentCheck", "broken_checks", "document_checks"]

ENTRY_POINT_GROUP = "omp.checks"


class DocumentCheck(Protocol):
    """A check on one deserialised AAS document (an Environment or a single instance)."""

    def __call__(
        self,
        document: dict[str, Any],
        model_type: str,
        version: str,
        where: Where,
        kind: Literal["json", "xml"],
        options: ValidateOptions,
    ) -> Iterable[Finding]:
        """Findings for ``document`` (JSON form) of class ``model_type``.

        Paths are JSON Pointers for ``kind == "json"`` and XML paths for ``"xml"``
        (see :func:`omp_models.aas._paths.xml_path_from_tokens`); lines are added later.
        """
        ...


_BROKEN: dict[str, str] = {}


@cache
def document_checks() -> tuple[tuple[str, DocumentCheck], ...]:
    """Every document check, built-ins first, by name."""
    found: list[tuple[str, DocumentCheck]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        name = f"{__name__}.{info.name}"
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # a broken built-in must not stop the others
            _BROKEN[name] = f"{type(exc).__name__}: {exc}"
            continue
        check = getattr(module, "DOCUMENT_CHECK", None)
        if check is not None:
            found.append((info.name, check))
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found.append((ep.name, ep.load()))
        except Exception as exc:  # a broken plugin warns and is left out
            _BROKEN[ep.name] = f"{type(exc).__name__}: {exc}"
    for name, reason in _BROKEN.items():
        warnings.warn(f"omp: check plugin {name!r} failed to load: {reason}", stacklevel=2)
    return tuple(found)


def broken_checks() -> dict[str, str]:
    """Check plugins that failed to load, with the reason."""
    document_checks()
    return dict(_BROKEN)
