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

from pathlib import Path
from typing import Literal, NamedTuple

__all__ = ["ConfigError", "OmpConfig", "find_config", "load_config"]


class ConfigError(Exception):
    """The configuration file is unreadable or invalid (a usage error, exit 2)."""


class OmpConfig(NamedTuple):
    """The ``[tool.omp]`` table (every key optional; kebab-case in TOML).

    Validated with pydantic when a file is read (pydantic is imported only then, so a run
    without a configuration file starts faster).
    """

    aas_version: Literal["3.0", "3.1"] | None = None
    model_type: str | None = None
    fail_on: Literal["error", "warning", "info", "never"] | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    max_findings_per_file: int | None = None
    max_file_size: int | None = None
    jobs: int | Literal["auto"] | None = None
    output_format: str | None = None
    reports: tuple[str, ...] = ()


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``omp.toml`` or ``pyproject.toml`` with ``[tool.omp]``, walking up."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "omp.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _mentions_tool_omp(pyproject):
            return pyproject
    return None


def _mentions_tool_omp(pyproject: Path) -> bool:
    """Whether ``pyproject`` has a ``[tool.omp]`` table (or ``tool.omp`` keys).

    A file that does not contain ``omp`` (nor an escape sequence that could spell it in
    a quoted key) cannot have one and is not parsed: most projects' ``pyproject.toml``
    do not configure omp, and the TOML parser's start-up costs more than this check.
    """
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "omp" not in text and "\\u" not in text and "\\U" not in text:
        return False
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "omp" in tool


def load_config(path: Path | None) -> tuple[OmpConfig, Path | None]:
    """Load and validate a configuration file (``None``: defaults).

    Raises:
        ConfigError: With the file and the offending key named.
    """
    if path is None:
        return OmpConfig(), None
    import tomllib

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
    from pydantic import ValidationError

    from omp_validators._config_schema import ConfigModel

    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{prefix}{'.'.join(str(p) for p in err['loc']) or '(table)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from exc
    return OmpConfig(
        aas_version=model.aas_version,
        model_type=model.model_type,
        fail_on=model.fail_on,
        select=tuple(model.select),
        ignore=tuple(model.ignore),
        max_findings_per_file=model.max_findings_per_file,
        max_file_size=model.max_file_size,
        jobs=model.jobs,
        output_format=model.output_format,
        reports=tuple(model.reports),
    ), path
