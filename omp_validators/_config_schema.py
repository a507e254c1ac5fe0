"""The pydantic schema of the ``[tool.omp]`` table (imported only when a file is read)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["ConfigModel"]


class ConfigModel(BaseModel):
    """Validates the keys and values of ``[tool.omp]`` / ``omp.toml``."""

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
