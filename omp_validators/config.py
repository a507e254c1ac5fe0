"""Project configuration: ``[tool.omp]`` in ``pyproject.toml``, or ``omp.toml``.

``omp.toml`` holds the same keys at its top level. The file is found by walking up from
the current directory (the first ``omp.toml``, or ``pyproject.toml`` with a ``[tool.omp]``
table, wins) unless ``--config`` names one. Command-line options override it.

Example::

    [tool.omp]
    aas-version = "3.1"
    fail-on = "warning"
    ignore = ["env/missing-concept-description"]
    max-findings-per-file = 50
    reports = ["sarif:build/omp.sarif", "junit:build/omp-junit.xml"]
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = ["ConfigError", "OmpConfig", "find_config", "load_config"]


class ConfigError(Exception):
    """The configuration file is unreadable or invalid (a usage error, exit 2)."""


class OmpConfig(BaseModel):
    """The ``[tool.omp]`` table. Every key is optional; kebab-case as in TOML."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    aas_version: Literal["3.0", "3.1"] | None = Field(None, alias="aas-version")
    model_type: str | None = Field(None, alias="model-type")
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(None, alias="fail-on")
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    max_findings_per_file: int | None = Field(None, alias="max-findings-per-file", ge=1)
    max_file_size: int | None = Field(None, alias="max-file-size", ge=1)
    jobs: int | Literal["auto"] | None = None
    output_format: str | None = Field(None, alias="output-format")
    reports: list[str] = Field(default_factory=list)

    @field_validator("reports")
    @classmethod
    def _reports_have_format(cls, value: list[str]) -> list[str]:
        for item in value:
            if ":" not in item:
                raise ValueError(f"{item!r} is not FORMAT:PATH")
        return value


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``omp.toml`` or ``pyproject.toml`` with ``[tool.omp]``, walking up."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "omp.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if "omp" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Path | None) -> tuple[OmpConfig, Path | None]:
    """Load and validate a configuration file (``None``: defaults).

    Raises:
        ConfigError: With the file and the offending key named.
    """
    if path is None:
        return OmpConfig.model_validate({}), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("omp", {})
        prefix = "tool.omp."
    else:
        prefix = ""
    try:
        return OmpConfig.model_validate(data), path
    except ValidationError as exc:
        problems = "; ".join(
            f"{prefix}{'.'.join(str(p) for p in err['loc']) or '(table)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from exc
