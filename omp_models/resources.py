"""Find bundled data: the vendored schemas of ``schemas/`` and their catalogue.

In a wheel the folder is packaged as ``omp_models/_schemas``; in a source checkout (and an
editable install) it is the ``schemas/`` folder beside the packages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

__all__ = ["SchemaEntry", "catalog", "schema_path", "schemas_root"]


class SchemaEntry(NamedTuple):
    """One vendored schema file, as listed in ``schemas/catalog.toml``."""

    id: str
    path: Path
    kind: str
    version: str
    upstream: str
    sha256: str
    licence: str
    licence_file: Path

    def verify(self) -> bool:
        """Whether the file's SHA-256 matches the catalogue."""
        import hashlib

        return hashlib.sha256(self.path.read_bytes()).hexdigest() == self.sha256


@cache
def schemas_root() -> Path:
    """The folder holding ``catalog.toml`` (wheel: package data; checkout: ``schemas/``).

    Raises:
        FileNotFoundError: When neither location exists (a broken installation).
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schemas", here.parent / "schemas"):
        if (candidate / "catalog.toml").is_file():
            return candidate
    raise FileNotFoundError("omp-toolkit's bundled schemas are missing (catalog.toml)")


@cache
def catalog() -> dict[str, SchemaEntry]:
    """Every vendored schema by id."""
    root = schemas_root()
    import tomllib

    data = tomllib.loads((root / "catalog.toml").read_text(encoding="utf-8"))
    return {
        sid: SchemaEntry(
            id=sid,
            path=root / entry["file"],
            kind=entry["kind"],
            version=entry["version"],
            upstream=entry["upstream"],
            sha256=entry["sha256"],
            licence=entry["licence"],
            licence_file=root / entry["licence_file"],
        )
        for sid, entry in data["schema"].items()
    }


def schema_path(schema_id: str) -> Path:
    """Path of a vendored schema by id (e.g. ``aas-3.1-json``).

    Raises:
        KeyError: For an unknown id.
    """
    return catalog()[schema_id].path
