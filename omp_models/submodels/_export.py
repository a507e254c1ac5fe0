"""The value-only JSON Schema files: ``<template>/<version>/value-only.schema.json``.

``omp schemas export`` writes them; the committed copies in ``schemas/submodels/`` are
compared with :func:`schema_files` by a test, so they never drift from the templates.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from omp_models.submodels._schema import value_only_schema
from omp_models.templates import Template, bundled_templates

__all__ = ["FILE_NAME", "export_schemas", "schema_files", "schema_path_for", "template_slug"]

FILE_NAME = "value-only.schema.json"


def template_slug(template: Template) -> str:
    """The folder name of a template: the bundled slug, else its name in kebab case."""
    for bundled in bundled_templates():
        if bundled.semantic_id == template.semantic_id:
            return bundled.slug
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", template.name)
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "template"


def schema_path_for(template: Template) -> PurePosixPath:
    """``<slug>/<version>/value-only.schema.json`` (relative to ``schemas/submodels``)."""
    version = re.sub(r"[^0-9A-Za-z.\-]+", "-", template.version or "unversioned")
    return PurePosixPath(template_slug(template), version, FILE_NAME)


def schema_text(template: Template, *, strict: bool = False) -> str:
    """The schema file's text (two-space indented JSON, a final newline)."""
    schema = value_only_schema(template, strict=strict)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files(templates: Iterable[Template], *, strict: bool = False
                 ) -> dict[PurePosixPath, str]:
    """Every schema file (relative path -> text) of these templates.

    Raises:
        ValueError: When two templates would be written to the same file.
    """
    out: dict[PurePosixPath, str] = {}
    owners: dict[PurePosixPath, str] = {}
    for template in templates:
        path = schema_path_for(template)
        if path in out:
            raise ValueError(f"{template.label} and {owners[path]} would both be written to "
                             f"{path}")
        out[path] = schema_text(template, strict=strict)
        owners[path] = template.label
    return out


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_schemas(directory: str | os.PathLike[str], templates: Iterable[Template], *,
                   strict: bool = False) -> list[Path]:
    """Write the schema files below ``directory``; unchanged files are left alone.

    Returns:
        The files written.
    """
    root = Path(directory)
    written: list[Path] = []
    for relative, text in schema_files(templates, strict=strict).items():
        path = root.joinpath(*relative.parts)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        _write_atomic(path, text)
        written.append(path)
    return written
