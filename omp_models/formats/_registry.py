"""Formats: the contract every converter satisfies, and the registry that finds them.

Built-in formats are the ``FORMATS`` tuples of the modules (and sub-packages) of
``omp_models.formats``; third-party plugins register through the ``omp.formats``
entry-point group (``name = "package.module:FormatClass"``). Both satisfy the same
:class:`Format` protocol. A format that fails to load is recorded (``broken_formats()``)
and listed by ``omp formats``; it never stops a run. ``OMP_DISABLE_PLUGINS=1`` loads the
built-ins only.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, runtime_checkable

from omp_models._plugins import entry_points
from omp_models.formats._report import ConversionReport

if TYPE_CHECKING:
    from omp_models.aas.io import AasEnvironment

__all__ = [
    "ConvertOptions",
    "Format",
    "FormatError",
    "Source",
    "available_formats",
    "broken_formats",
    "get_format",
    "sniff_format",
]

ENTRY_POINT_GROUP = "omp.formats"

_PACKAGE = "omp_models.formats"


class FormatError(Exception):
    """A usage problem with formats: unknown name, wrong direction (exit 2)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input to a reader.

    Attributes:
        name: The name to report (a path as the user gave it, or a stdin name).
        data: The file's bytes.
        path: The file on disk, when there is one (readers that resolve dependencies,
            e.g. imported models beside the file, need it).
    """

    name: str
    data: bytes
    path: PurePath | None = None


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    """Options every reader and writer receives.

    Attributes:
        aas_version: Metamodel version of the AAS written (readers build the object model,
            which is version-neutral; writers serialise as this version).
        strict: Treat lossy steps as failures (the CLI exits 1).
        base_iri: Base for identifiers the converter derives (never random).
        search_paths: Extra folders to resolve dependencies from (nodesets, models).
        extra: Format-specific options (``--option key=value`` on the CLI).
        fast_check: A check that vouches for an environment's JSON form,
            ``fast_check(jsonable, "Environment", version)``, true only for documents
            aas-core would read and verify without a finding (the validators' fast
            metamodel path, ``omp_validators.checks._fast.accepts``, is one). The AAS
            writers then skip aas-core's verification; when it is not sure, aas-core
            verifies and reports as without it. ``None``: aas-core always.
    """

    aas_version: Literal["3.0", "3.1"] = "3.1"
    strict: bool = False
    base_iri: str = "urn:omp-toolkit:"
    search_paths: tuple[PurePath, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    fast_check: Callable[[dict[str, Any], str, Literal["3.0", "3.1"]], bool] | None = None


@runtime_checkable
class Format(Protocol):
    """A file format omp-toolkit can read into, or write from, an AAS environment.

    Implementations are classes with these attributes; ``read``/``write`` raise
    :class:`NotImplementedError` only when ``can_read``/``can_write`` is false.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    #: File-name patterns (``*.json``) that suggest this format.
    patterns: ClassVar[tuple[str, ...]]
    can_read: ClassVar[bool]
    can_write: ClassVar[bool]
    #: File extension of written files (``.json``).
    extension: ClassVar[str]

    def sniff(self, name: str, head: bytes) -> bool:
        """Whether the file (its name and first bytes) is of this format."""
        ...

    def read(
        self, source: Source, options: ConvertOptions
    ) -> tuple[AasEnvironment, ConversionReport]:
        """Read one input into an AAS environment and a report.

        The environment holds basyx objects or, from readers that build it directly,
        the JSON form (see :class:`~omp_models.aas.io.AasEnvironment`); consumers that
        need objects ask for ``env.store``, the others for the JSON form.
        """
        ...

    def write(
        self, env: AasEnvironment, options: ConvertOptions
    ) -> tuple[bytes, ConversionReport]:
        """Write an AAS environment as this format."""
        ...


_BROKEN: dict[str, str] = {}


def _load(name: str, target: str) -> Format | None:
    module_name, _, attr = target.partition(":")
    try:
        obj = getattr(importlib.import_module(module_name), attr)
        instance = obj() if isinstance(obj, type) else obj
    except Exception as exc:  # a broken plugin must never stop a run
        _BROKEN[name] = f"{type(exc).__name__}: {exc}"
        return None
    if not isinstance(instance, Format):
        _BROKEN[name] = f"{target} does not satisfy the Format protocol"
        return None
    return instance


def _builtin_modules() -> list[str]:
    """The modules and sub-packages of ``omp_models.formats`` (private ones excluded)."""
    package = importlib.import_module(_PACKAGE)
    return sorted(
        f"{_PACKAGE}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    )


def _builtins() -> dict[str, Format]:
    found: dict[str, Format] = {}
    for module_name in _builtin_modules():
        try:
            classes = getattr(importlib.import_module(module_name), "FORMATS", ())
        except Exception as exc:  # a broken built-in must not hide the others
            _BROKEN[module_name] = f"{type(exc).__name__}: {exc}"
            continue
        for cls in classes:
            loaded = _load(cls.name, f"{module_name}:{cls.__name__}")
            if loaded is not None:
                found[loaded.name] = loaded
    return found


@cache
def _formats() -> dict[str, Format]:
    found = _builtins()
    if os.environ.get("OMP_DISABLE_PLUGINS", "").lower() in ("1", "true", "yes"):
        return dict(sorted(found.items()))
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            _BROKEN[ep.name] = f"{ep.value}: the name is taken by a built-in format"
            continue
        loaded = _load(ep.name, ep.value)
        if loaded is not None:
            found[ep.name] = loaded
    return dict(sorted(found.items()))


def available_formats() -> dict[str, Format]:
    """Every format that loaded, by name."""
    return _formats()


def broken_formats() -> dict[str, str]:
    """Formats (plugins) that failed to load, with the reason."""
    _formats()
    return dict(_BROKEN)


def get_format(name: str, *, direction: Literal["read", "write"] | None = None) -> Format:
    """The format called ``name``.

    Raises:
        FormatError: Unknown name, or the format cannot go in ``direction``.
    """
    fmt = _formats().get(name)
    if fmt is None:
        known = ", ".join(_formats()) or "none"
        raise FormatError(f"unknown format {name!r} (known: {known})")
    if direction == "read" and not fmt.can_read:
        raise FormatError(f"format {name!r} cannot be read")
    if direction == "write" and not fmt.can_write:
        raise FormatError(f"format {name!r} cannot be written")
    return fmt


def sniff_format(
    name: str, head: bytes, candidates: Sequence[Format] | None = None
) -> Format | None:
    """The format of a file, from its content first and its name second.

    Content decides between formats that share an extension (``.json`` is AAS, DTDL,
    SiteWise, ...); the name breaks remaining ties.
    """
    formats = list(candidates) if candidates is not None else [
        f for f in _formats().values() if f.can_read
    ]
    by_content = [f for f in formats if _safe_sniff(f, name, head)]
    if len(by_content) == 1:
        return by_content[0]
    pool = by_content or formats
    base = PurePath(name).name.lower()
    by_name = [f for f in pool if any(fnmatch.fnmatch(base, p) for p in f.patterns)]
    if by_content and by_name:
        return by_name[0]
    return by_content[0] if by_content else None


def _safe_sniff(fmt: Format, name: str, head: bytes) -> bool:
    try:
        return bool(fmt.sniff(name, head))
    except Exception:  # a plugin's sniffer must not break detection of the others
        return False
