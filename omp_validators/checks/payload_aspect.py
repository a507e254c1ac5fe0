"""Payloads against a SAMM aspect: ``omp validate payload.json --aspect Aspect.ttl|URN``.

The aspect is loaded once per process (and per worker) with its imports, its payload schema
generated and compiled; jsonschema-rs gives the verdict when installed, python-jsonschema
explains the failures. Findings carry JSON Pointers into the payload (the engine adds lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from omp_models.diagnostics import Finding, Where
from omp_models.samm._rules import PAYLOAD_RULES

if TYPE_CHECKING:
    from omp_models.samm import PayloadValidator
    from omp_validators.options import ValidateOptions

__all__ = ["RULES", "check_payload", "prepare"]

#: The rules of aspect payload validation.
RULES = PAYLOAD_RULES

_RULE_OF = {
    "required": "samm/payload-required",
    "type": "samm/payload-type",
    "enum": "samm/payload-enum",
    "pattern": "samm/payload-pattern",
    "minimum": "samm/payload-range",
    "maximum": "samm/payload-range",
    "minLength": "samm/payload-length",
    "maxLength": "samm/payload-length",
    "minItems": "samm/payload-length",
    "maxItems": "samm/payload-length",
    "uniqueItems": "samm/payload-unique",
    "oneOf": "samm/payload-either",
    "additionalProperties": "samm/payload-either",
}


@dataclass(frozen=True, slots=True)
class _Compiled:
    label: str
    validator: PayloadValidator | None
    problem: str | None = None


#: Compiled aspects of this process, by (aspect, models directories).
_CACHE: dict[tuple[str, tuple[str, ...]], _Compiled] = {}


def _compile(aspect: str, models_dirs: tuple[str, ...]) -> _Compiled:
    found = _CACHE.get((aspect, models_dirs))
    if found is not None:
        return found
    key = (aspect, models_dirs)
    from omp_models.diagnostics import Severity
    from omp_models.samm import PayloadValidator, aspect_schema, find_aspect

    try:
        model = find_aspect(aspect, models_dirs)
    except FileNotFoundError as exc:
        compiled = _Compiled(aspect, None, str(exc))
    else:
        errors = [f for f in model.findings if f.severity is Severity.ERROR]
        if errors:
            compiled = _Compiled(aspect, None, f"the aspect model has errors, e.g. "
                                 f"{errors[0].rule}: {errors[0].message}")
        elif model.aspect is None:
            compiled = _Compiled(aspect, None, f"{aspect} defines no Aspect")
        else:
            compiled = _Compiled(model.aspect.urn or aspect,
                                 PayloadValidator(aspect_schema(model.aspect)))
    _CACHE[key] = compiled
    return compiled


def prepare(options: ValidateOptions) -> None:
    """Load and compile the aspect before any payload is read.

    Raises:
        omp_validators.engine.InputError: When the aspect cannot be used (a usage error).
    """
    from omp_validators.engine import InputError

    compiled = _compile(options.aspect or "", tuple(options.models_dirs))
    if compiled.problem is not None:
        raise InputError(f"--aspect: {compiled.problem}")


def check_payload(obj: Any, where: Where, options: ValidateOptions
                  ) -> tuple[list[Finding], str]:
    """Validate one parsed payload against the aspect of ``options.aspect``.

    Returns:
        The findings (JSON Pointers into the payload) and the aspect's URN.
    """
    compiled = _compile(options.aspect or "", tuple(options.models_dirs))
    if compiled.validator is None:
        return [where.finding("samm/aspect-unavailable",
                              f"Cannot validate against the aspect: {compiled.problem}.",
                              None)], compiled.label
    findings = [
        where.finding(_RULE_OF.get(error.keyword, "samm/payload-invalid"),
                      error.message[:1].upper() + error.message[1:] + (
                          "" if error.message.endswith(".") else "."),
                      error.pointer)
        for error in compiled.validator.errors(obj)
    ]
    return findings, compiled.label
