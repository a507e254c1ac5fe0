"""The check layers, and how more are plugged in.

Built-in layers: syntax and metamodel (:mod:`.metamodel`), environment rules
(:mod:`.environment`), AASX packaging (:mod:`.aasx`). Further *document checks* run on
every document that deserialised: each is a callable satisfying :class:`DocumentCheck`,
the ``DOCUMENT_CHECK`` attribute of the built-in modules named in :data:`BUILTIN_CHECKS`
and of the plugins registered in the ``omp.checks`` entry-point group. A plugin that fails
to load is reported once as a warning and left out; it never stops a run. Check modules
import their heavy dependencies inside their functions, so that runs that do not need them
do not pay for them.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from omp_models.diagnostics import Finding, Where
    from omp_validators.options import ValidateOptions

__all__ = ["BUILTIN_CHECKS", "OPT_IN_CHECKS", "DocumentCheck", "broken_checks", "document_checks"]

ENTRY_POINT_GROUP = "omp.checks"

#: Built-in modules of this package with a ``DOCUMENT_CHECK``, in the order they run.
BUILTIN_CHECKS: tuple[str, ...] = ("environment", "template", "shacl")
#: Built-in checks that run only when named (``--check NAME``).
OPT_IN_CHECKS = frozenset({"shacl"})


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
def document_checks(
    enabled: tuple[str, ...] | None = None,
) -> tuple[tuple[str, DocumentCheck], ...]:
    """The document checks, built-ins first, by name.

    Args:
        enabled: The checks a run opted in to (``ValidateOptions.checks``): the opt-in
            built-ins (:data:`OPT_IN_CHECKS`) it does not name are left out, and their
            modules are not imported. ``None``: every check.
    """
    found: list[tuple[str, DocumentCheck]] = []
    for short in BUILTIN_CHECKS:
        if enabled is not None and short in OPT_IN_CHECKS and short not in enabled:
            continue
        name = f"{__name__}.{short}"
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # a broken built-in must not stop the others
            _BROKEN[name] = f"{type(exc).__name__}: {exc}"
            continue
        check = getattr(module, "DOCUMENT_CHECK", None)
        if check is not None:
            found.append((short, check))
    from omp_models._plugins import entry_points

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
