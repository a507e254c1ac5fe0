"""Options of a validation run: a small, frozen, picklable spec.

The same object configures the in-process engine, every ``--jobs`` worker (it is sent to
each worker once) and the distributed adapters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omp_models.aas._core import AasVersion
from omp_models.limits import Limits

__all__ = ["Limits", "ValidateOptions"]

@dataclass(frozen=True, slots=True)
class ValidateOptions:
    """What to check and how.

    Attributes:
        aas_version: Pin the metamodel version (``None``: detect per file).
        model_type: Pin the metamodel class of every document (``None``: detect).
        select: Report only rules with these ids or id prefixes (empty: all).
        ignore: Never report rules with these ids or id prefixes.
        max_findings_per_file: Cap per file; the rest is counted as suppressed.
        limits: Input size limits.
    """

    aas_version: AasVersion | None = None
    model_type: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    max_findings_per_file: int = 200
    limits: Limits = field(default_factory=Limits)

    def wants(self, rule: str) -> bool:
        """Whether findings of ``rule`` are reported under ``select``/``ignore``.

        ``tool/internal-error`` is always reported: it means the tool failed (exit 3).
        """
        if rule == "tool/internal-error":
            return True
        if self.select and not any(rule.startswith(p) for p in self.select):
            return False
        return not any(rule.startswith(p) for p in self.ignore)
