"""Options of a validation run: a small, frozen, picklable spec.

The same object configures the in-process engine, every ``--jobs`` worker (it is sent to
each worker once) and the distributed adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from omp_models._record import Record, set_field
from omp_models.aas._core import AasVersion
from omp_models.limits import Limits

__all__ = ["Limits", "ValidateOptions"]


@dataclass(init=False, repr=False, eq=False, slots=True)
class ValidateOptions(Record):
    """What to check and how.

    Attributes:
        aas_version: Pin the metamodel version (``None``: detect per file).
        model_type: Pin the metamodel class of every document (``None``: detect).
        select: Report only rules with these ids or id prefixes (empty: all).
        ignore: Never report rules with these ids or id prefixes.
        max_findings_per_file: Cap per file; the rest is counted as suppressed.
        limits: Input size limits.
        template: Validate value-only (``$value``) payloads against this submodel
            template (name or semanticId) instead of AAS documents.
        template_dirs: Extra folders with submodel templates (beside the bundled ones).
        strict_templates: Elements a template does not define are errors, not warnings.
        aspect: Validate payloads against this SAMM aspect model (path or URN).
        models_dirs: Folders with SAMM models (``<namespace>/<version>/<Name>.ttl``).
        checks: Opt-in check layers by name (e.g. ``shacl``).
        engine: ``fast``: JSON documents the fast path accepts skip aas-core (same
            findings; see :mod:`omp_validators.checks._fast`); ``reference``: aas-core
            deserialises and verifies every document.
    """

    aas_version: AasVersion | None
    model_type: str | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    max_findings_per_file: int
    limits: Limits
    template: str | None
    template_dirs: tuple[str, ...]
    strict_templates: bool
    aspect: str | None
    models_dirs: tuple[str, ...]
    checks: tuple[str, ...]
    engine: Literal["fast", "reference"]

    def __init__(
        self,
        aas_version: AasVersion | None = None,
        model_type: str | None = None,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        max_findings_per_file: int = 200,
        limits: Limits | None = None,
        template: str | None = None,
        template_dirs: tuple[str, ...] = (),
        strict_templates: bool = False,
        aspect: str | None = None,
        models_dirs: tuple[str, ...] = (),
        checks: tuple[str, ...] = (),
        engine: Literal["fast", "reference"] = "fast",
    ) -> None:
        set_field(self, "aas_version", aas_version)
        set_field(self, "model_type", model_type)
        set_field(self, "select", select)
        set_field(self, "ignore", ignore)
        set_field(self, "max_findings_per_file", max_findings_per_file)
        set_field(self, "limits", Limits() if limits is None else limits)
        set_field(self, "template", template)
        set_field(self, "template_dirs", template_dirs)
        set_field(self, "strict_templates", strict_templates)
        set_field(self, "aspect", aspect)
        set_field(self, "models_dirs", models_dirs)
        set_field(self, "checks", checks)
        set_field(self, "engine", engine)

    @property
    def payload_kind(self) -> str | None:
        """``template`` or ``aspect`` when payloads (not AAS documents) are validated."""
        if self.template is not None:
            return "template"
        if self.aspect is not None:
            return "aspect"
        return None

    def wants(self, rule: str) -> bool:
        """Whether findings of ``rule`` are reported under ``select``/``ignore``.

        ``tool/internal-error`` is always reported: it means the tool failed (exit 3).
        """
        if rule == "tool/internal-error":
            return True
        if self.select and not any(rule.startswith(p) for p in self.select):
            return False
        return not any(rule.startswith(p) for p in self.ignore)
