"""Entry points of the ``omp.*`` plugin groups, without paying for them when there are none.

``importlib.metadata`` costs tens of milliseconds to import (it brings the e-mail
parser for package metadata) and re-reads every installed distribution on each
``entry_points()`` call. Most environments have no omp plugin at all, so
:func:`entry_points` first looks at the ``entry_points.txt`` files of the distributions on
``sys.path`` (the same folders ``importlib.metadata`` searches) for a ``[omp...]``
section; only when one exists, or when the environment has places that scan cannot see
(zip archives on ``sys.path``, import hooks that provide distributions of their own), is
``importlib.metadata`` asked.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import Any

__all__ = ["entry_points"]


def _standard_finders_only() -> bool:
    for finder in sys.meta_path:
        if not hasattr(finder, "find_distributions"):
            continue
        module = getattr(finder, "__module__", "") or getattr(
            type(finder), "__module__", ""
        )
        if module not in ("_frozen_importlib_external", "importlib.machinery",
                          "importlib._bootstrap_external"):
            return False
    return True


def _read(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return os.read(fd, 1 << 20)  # entry_points.txt files are a few hundred bytes
    except OSError:
        return None
    finally:
        os.close(fd)


@cache
def _declared_groups() -> frozenset[str] | None:
    """The ``omp...`` groups declared by installed distributions (``None``: cannot tell)."""
    if not _standard_finders_only():
        return None
    groups: set[str] = set()
    # os.scandir and raw reads: this runs at the start of every `omp validate`, over
    # every distribution of the environment.
    for entry in sys.path:
        folder = entry or "."
        if os.path.isfile(folder):  # noqa: PTH113 (no Path objects in this hot loop)
            return None  # a zip archive: leave it to importlib.metadata
        try:
            with os.scandir(folder) as listing:
                children = [c.path for c in listing
                            if c.name.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
        for child in children:
            data = _read(os.path.join(child, "entry_points.txt"))  # noqa: PTH118
            if data is None or b"omp" not in data:
                continue
            for line in data.decode("utf-8", errors="replace").splitlines():
                line = line.strip()
                if line.startswith("[") and line.endswith("]"):
                    groups.add(line[1:-1].strip())
    return frozenset(groups)


def entry_points(group: str) -> list[Any]:
    """The installed entry points of ``group`` (``importlib.metadata.EntryPoint`` objects)."""
    declared = _declared_groups()
    if declared is not None and group not in declared:
        return []
    from importlib.metadata import entry_points as installed

    return list(installed(group=group))


def clear_cache() -> None:
    """Forget what was found (after installing a plugin in a running process)."""
    _declared_groups.cache_clear()
