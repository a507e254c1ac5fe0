"""Payload validation against an aspect's JSON Schema: a fast verdict, explained errors.

jsonschema-rs (the ``fast`` extra) gives the verdict when it is installed; python-jsonschema
is the reference that explains a failure (every error with its JSON Pointer and keyword).
Formats are not asserted by either (draft-04 semantics, as samm-cli's schema intends).
Should the two ever disagree on a payload, the errors of whichever rejects it are reported
(a differential test keeps them equal on the corpus).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

__all__ = ["PayloadError", "PayloadValidator"]


@dataclass(frozen=True, slots=True)
class PayloadError:
    """One reason a payload is invalid.

    Attributes:
        pointer: JSON Pointer to the offending value (for ``required``: to the object).
        keyword: The JSON Schema keyword that failed (``required``, ``pattern``...).
        message: What is wrong.
    """

    pointer: str
    keyword: str
    message: str


def _pointer(tokens: Any) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


_RS_KINDS = {
    "Required": "required", "Type": "type", "Enum": "enum", "Pattern": "pattern",
    "Minimum": "minimum", "Maximum": "maximum", "ExclusiveMinimum": "minimum",
    "ExclusiveMaximum": "maximum", "MinLength": "minLength", "MaxLength": "maxLength",
    "MinItems": "minItems", "MaxItems": "maxItems", "UniqueItems": "uniqueItems",
    "OneOfNotValid": "oneOf", "OneOfMultipleValid": "oneOf",
    "AdditionalProperties": "additionalProperties",
}


class PayloadValidator:
    """A compiled payload schema.

    Args:
        schema: The aspect's payload schema (draft-04).
        fast: ``None`` uses jsonschema-rs when installed; ``False`` never; ``True`` requires
            it (ImportError otherwise).
    """

    def __init__(self, schema: dict[str, Any], *, fast: bool | None = None) -> None:
        self.schema = schema
        self._reference: Draft4Validator | None = None
        self._fast: Any = None
        if fast is not False:
            try:
                import jsonschema_rs
            except ImportError:
                if fast:
                    raise
            else:
                try:
                    self._fast = jsonschema_rs.Draft4Validator(
                        schema, validate_formats=False, offline=True)
                except Exception:  # a pattern the ECMAScript engine refuses: use the reference
                    if fast:
                        raise
                    self._fast = None

    @property
    def backend(self) -> str:
        """Which library gives the verdict (``jsonschema-rs`` or ``jsonschema``)."""
        return "jsonschema-rs" if self._fast is not None else "jsonschema"

    @property
    def reference(self) -> Draft4Validator:
        """The python-jsonschema validator (built on first use)."""
        if self._reference is None:
            self._reference = Draft4Validator(self.schema)
        return self._reference

    def is_valid(self, payload: Any) -> bool:
        """The verdict, from the fast backend when there is one."""
        if self._fast is not None:
            return bool(self._fast.is_valid(payload))
        return self.reference_is_valid(payload)

    def reference_is_valid(self, payload: Any) -> bool:
        """The verdict of python-jsonschema (``False`` for a pattern it cannot compile)."""
        try:
            return bool(self.reference.is_valid(payload))
        except Exception:  # re.error: an ECMAScript pattern Python's re cannot compile
            return False

    def fast_is_valid(self, payload: Any) -> bool | None:
        """The verdict of jsonschema-rs, ``None`` when it is not in use."""
        return None if self._fast is None else bool(self._fast.is_valid(payload))

    def errors(self, payload: Any) -> list[PayloadError]:
        """Every reason ``payload`` is invalid (empty when it is valid)."""
        if self.is_valid(payload):
            return []
        try:
            found = [_explain(e) for e in self.reference.iter_errors(payload)]
        except Exception:  # re.error in the reference: fall back to the fast backend's errors
            found = []
        if not found and self._fast is not None:
            found = [PayloadError(_pointer(e.instance_path),
                                  _RS_KINDS.get(type(e.kind).__name__, "invalid"), e.message)
                     for e in self._fast.iter_errors(payload)]
        return sorted(found, key=lambda e: (e.pointer, e.keyword, e.message))


def _explain(error: ValidationError) -> PayloadError:
    keyword = str(error.validator)
    message = error.message
    if keyword == "oneOf" and error.context:
        sides = {c.message for c in error.context}
        message = f"{message.split(' is ')[0]} must have exactly one of 'left' and 'right'" if (
            any("'left'" in s or "'right'" in s for s in sides)) else message
    if keyword in ("exclusiveMinimum", "exclusiveMaximum"):
        keyword = keyword.replace("exclusiveM", "m")
    return PayloadError(_pointer(error.absolute_path), keyword, message)
