"""The fast metamodel path: the official JSON Schema (jsonschema-rs) plus the invariants.

aas-core3.0/3.1 stay the reference. This path only ever *accepts*: when it cannot vouch
for a document (any schema error, any invariant broken or not certainly kept, any
surprise), the caller runs aas-core, which reports the exact findings. So the findings
are aas-core's on every document; the fast path only spares the object tree for the
documents that have no metamodel finding, which is most of them.

A document is accepted when

1. jsonschema-rs validates it against the official AAS JSON Schema of its version (types,
   required keys, enumerations, patterns, lengths; the surrogate-pair patterns rewritten,
   see :mod:`._schema`), and
2. :func:`._walk.walk` finds every metamodel invariant kept, every key known to
   aas-core's reader, and the few lexical rules the schema leaves out (RFC 2396 paths,
   UTC date-time days, strict base64, values against their ``valueType``).

It needs jsonschema-rs (a dependency). ``tests/conformance/test_fast_path.py``
compares it with aas-core on every test-gen file and on mutants of them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from omp_models.aas._core import AasVersion

__all__ = ["accepts", "accepts_shared", "available"]


@cache
def available() -> bool:
    """Whether the fast path can run (jsonschema-rs is installed)."""
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return False
    return True


#: (version, class) -> (schema check, invariant walk), ready to call.
_READY: dict[tuple[str, str], tuple[Any, Any]] = {}


def _prepare(version: AasVersion, cls: str) -> tuple[Any, Any]:
    from omp_validators.checks._fast import _schema, _walk

    is_valid = _schema.validator(version, cls).is_valid
    context = _walk.context(version)

    def walk(document: dict[str, Any], shared: bool) -> None:
        _walk.visit(document, cls, context, set() if shared else None)

    ready = _READY[(version, cls)] = (is_valid, walk)
    return ready


def accepts(document: dict[str, Any], cls: str, version: AasVersion, *,
            shared: bool = False) -> bool:
    """Whether ``document`` is certainly a valid ``cls`` of metamodel ``version``.

    ``False`` means "not certain": the caller asks aas-core.

    Args:
        document: The JSON form.
        cls: Its metamodel class.
        version: The metamodel version.
        shared: The document may use one object in several places (converters share
            inherited declarations and references): each is walked once.
    """
    try:
        is_valid, walk = _READY.get((version, cls)) or _prepare(version, cls)
        if not is_valid(document):
            return False
        walk(document, shared)
    except Exception:  # Reject, RecursionError, or anything unforeseen: aas-core decides
        return False
    return True


def accepts_shared(document: dict[str, Any], cls: str, version: AasVersion) -> bool:
    """:func:`accepts` for a document that may share objects (a converter's JSON form)."""
    return accepts(document, cls, version, shared=True)
