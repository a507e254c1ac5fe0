"""Value types of the typed models and the conversions between their three forms.

A Property's value exists as an XSD literal in AAS JSON (``"5000"``), as a JSON value in
a value-only payload (``5000``, per the data type mapping of IDTA-01001 3.1, "Format
Value") and as a Python value in a typed model (``5000``). The object-like elements get
small pydantic models here: :class:`Range`, :class:`FileValue`, :class:`BlobValue`,
:class:`Reference`, :class:`Relationship`, :class:`SpecificAssetId`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = [
    "BOOLEAN_TYPES",
    "INTEGER_BOUNDS",
    "INTEGER_TYPES",
    "NUMBER_TYPES",
    "AnnotatedRelationship",
    "AnyUri",
    "Base64Binary",
    "BasicEvent",
    "BlobValue",
    "Byte",
    "Duration",
    "FileValue",
    "FiniteDecimal",
    "FiniteFloat",
    "GDay",
    "GMonth",
    "GMonthDay",
    "GYear",
    "GYearMonth",
    "HexBinary",
    "Int",
    "Integer",
    "Key",
    "Long",
    "NegativeInteger",
    "NonNegativeInteger",
    "NonPositiveInteger",
    "PositiveInteger",
    "Range",
    "Reference",
    "Relationship",
    "Short",
    "SpecificAssetId",
    "UnsignedByte",
    "UnsignedInt",
    "UnsignedLong",
    "UnsignedShort",
    "from_lexical",
    "json_kind",
    "to_lexical",
    "to_value_only_scalar",
]

T = TypeVar("T")

#: Integer value types and their bounds (``None``: unbounded).
INTEGER_BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "xs:integer": (None, None),
    "xs:long": (-(2**63), 2**63 - 1),
    "xs:int": (-(2**31), 2**31 - 1),
    "xs:short": (-(2**15), 2**15 - 1),
    "xs:byte": (-128, 127),
    "xs:nonNegativeInteger": (0, None),
    "xs:positiveInteger": (1, None),
    "xs:nonPositiveInteger": (None, 0),
    "xs:negativeInteger": (None, -1),
    "xs:unsignedLong": (0, 2**64 - 1),
    "xs:unsignedInt": (0, 2**32 - 1),
    "xs:unsignedShort": (0, 2**16 - 1),
    "xs:unsignedByte": (0, 255),
}
INTEGER_TYPES = frozenset(INTEGER_BOUNDS)
#: Value types that are JSON numbers in value-only payloads (besides the integers).
NUMBER_TYPES = frozenset({"xs:decimal", "xs:double", "xs:float"})
BOOLEAN_TYPES = frozenset({"xs:boolean"})

def _lexical(value_type: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        from omp_models.templates import value_fits

        if not value_fits(value, value_type):
            raise ValueError(f"{value!r} is not a valid {value_type} literal")
        return value

    return check


AnyUri = Annotated[str, AfterValidator(_lexical("xs:anyURI"))]
Duration = Annotated[str, AfterValidator(_lexical("xs:duration"))]
GYear = Annotated[str, AfterValidator(_lexical("xs:gYear"))]
GYearMonth = Annotated[str, AfterValidator(_lexical("xs:gYearMonth"))]
GMonth = Annotated[str, AfterValidator(_lexical("xs:gMonth"))]
GMonthDay = Annotated[str, AfterValidator(_lexical("xs:gMonthDay"))]
GDay = Annotated[str, AfterValidator(_lexical("xs:gDay"))]
HexBinary = Annotated[str, AfterValidator(_lexical("xs:hexBinary"))]
Base64Binary = Annotated[str, AfterValidator(_lexical("xs:base64Binary"))]

#: A finite ``xs:decimal`` (value-only payloads have no INF or NaN).
FiniteDecimal = Annotated[Decimal, Field(allow_inf_nan=False)]
#: A finite ``xs:double`` / ``xs:float``.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
Integer = int
Long = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
Int = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Short = Annotated[int, Field(ge=-(2**15), le=2**15 - 1)]
Byte = Annotated[int, Field(ge=-128, le=127)]
NonNegativeInteger = Annotated[int, Field(ge=0)]
PositiveInteger = Annotated[int, Field(ge=1)]
NonPositiveInteger = Annotated[int, Field(le=0)]
NegativeInteger = Annotated[int, Field(le=-1)]
UnsignedLong = Annotated[int, Field(ge=0, le=2**64 - 1)]
UnsignedInt = Annotated[int, Field(ge=0, le=2**32 - 1)]
UnsignedShort = Annotated[int, Field(ge=0, le=2**16 - 1)]
UnsignedByte = Annotated[int, Field(ge=0, le=255)]

_MODEL = ConfigDict(extra="forbid", defer_build=True)


def json_kind(value_type: str | None) -> Literal["integer", "number", "boolean", "string"]:
    """The JSON type of a value of ``value_type`` in a value-only payload."""
    if value_type in INTEGER_TYPES:
        return "integer"
    if value_type in NUMBER_TYPES:
        return "number"
    if value_type in BOOLEAN_TYPES:
        return "boolean"
    return "string"


def to_value_only_scalar(text: str, value_type: str | None) -> Any:
    """An XSD literal as its value-only JSON value (the literal itself when it is invalid).

    Example:
        >>> to_value_only_scalar("5000", "xs:int"), to_value_only_scalar("1", "xs:boolean")
        (5000, True)
    """
    kind = json_kind(value_type)
    stripped = text.strip()
    if kind == "boolean":
        if stripped in ("true", "1"):
            return True
        if stripped in ("false", "0"):
            return False
        return text
    if kind == "integer":
        return int(stripped) if re.fullmatch(r"[+-]?[0-9]+", stripped) else text
    if kind == "number":
        return _number(stripped, value_type, text)
    return text


def _number(stripped: str, value_type: str | None, text: str) -> Any:
    if value_type == "xs:decimal" and re.fullmatch(r"[+-]?[0-9]+", stripped):
        return int(stripped)
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", stripped):
        return text  # INF, NaN and invalid literals have no JSON number
    if value_type == "xs:decimal":
        try:
            number = Decimal(stripped)
        except InvalidOperation:  # pragma: no cover - excluded by the pattern
            return text
        return int(number) if number == number.to_integral_value() else float(number)
    return float(stripped)


def to_lexical(value: Any, value_type: str | None) -> str:
    """A Python value of a typed model as the XSD literal of ``value_type``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return _float_literal(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _float_literal(value: float) -> str:
    text = repr(value)
    return text.replace("inf", "INF").replace("nan", "NaN")


def from_lexical(text: str, value_type: str | None) -> Any:
    """An XSD literal as the input of a typed model's field (pydantic parses it)."""
    if value_type in BOOLEAN_TYPES:
        stripped = text.strip()
        return {"1": True, "0": False}.get(stripped, stripped)
    return text


class Key(BaseModel):
    """One key of a reference."""

    model_config = _MODEL

    type: str
    """The key type (``GlobalReference``, ``Submodel``, ``Property``...)."""
    value: str
    """The key value."""


class Reference(BaseModel):
    """A reference (``ExternalReference`` or ``ModelReference``)."""

    model_config = _MODEL

    type: Literal["ExternalReference", "ModelReference"] = "ExternalReference"
    """The reference type."""
    keys: list[Key] = Field(min_length=1)
    """The keys, outermost first."""
    referred_semantic_id: Reference | None = None
    """The semanticId of the referenced element, if given."""

    @classmethod
    def to(cls, value: str, key_type: str = "GlobalReference") -> Reference:
        """An external reference with one key (``Reference.to("https://...")``)."""
        return cls(keys=[Key(type=key_type, value=value)])

    def to_json(self) -> dict[str, Any]:
        """The JSON form of AAS (and of value-only payloads)."""
        out: dict[str, Any] = {"type": self.type,
                               "keys": [{"type": k.type, "value": k.value} for k in self.keys]}
        if self.referred_semantic_id is not None:
            out["referredSemanticId"] = self.referred_semantic_id.to_json()
        return out

    @classmethod
    def from_json(cls, data: Any) -> Reference:
        """Read the JSON form."""
        if not isinstance(data, dict):
            raise ValueError(f"a reference must be an object, not {type(data).__name__}")
        referred = data.get("referredSemanticId")
        return cls(type=data.get("type", "ExternalReference"),
                   keys=[Key(type=str(k.get("type", "")), value=str(k.get("value", "")))
                         for k in data.get("keys") or [] if isinstance(k, dict)],
                   referred_semantic_id=cls.from_json(referred) if referred else None)


class Range(BaseModel, Generic[T]):
    """The value of a Range: ``min`` and ``max`` (either may be missing)."""

    model_config = _MODEL

    min: T | None = None
    """The lower bound."""
    max: T | None = None
    """The upper bound."""


class FileValue(BaseModel):
    """The value of a File: a path or URL and its content type."""

    model_config = _MODEL

    content_type: str
    """The MIME type (``application/pdf``)."""
    value: str | None = None
    """The path inside the AASX package (``/aasx/files/manual.pdf``) or a URL."""


class BlobValue(BaseModel):
    """The value of a Blob: bytes and their content type."""

    model_config = _MODEL

    content_type: str
    """The MIME type."""
    value: bytes | None = None
    """The content (base64 in JSON)."""


class Relationship(BaseModel):
    """The value of a RelationshipElement: two references."""

    model_config = _MODEL

    first: Reference
    """The subject of the relationship."""
    second: Reference
    """The object of the relationship."""


class AnnotatedRelationship(Relationship):
    """The value of an AnnotatedRelationshipElement: two references and annotations."""

    annotations: list[dict[str, Any]] = Field(default_factory=list)
    """The annotations, as AAS JSON data elements."""


class BasicEvent(BaseModel):
    """The value of a BasicEventElement: what it observes."""

    model_config = _MODEL

    observed: Reference
    """The observed element."""


class SpecificAssetId(BaseModel):
    """A specific asset id of an Entity."""

    model_config = _MODEL

    name: str
    """The id's name (``serialNumber``)."""
    value: str
    """The id."""
    external_subject_id: Reference | None = None
    """Who the id is meant for."""

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        out: dict[str, Any] = {"name": self.name, "value": self.value}
        if self.external_subject_id is not None:
            out["externalSubjectId"] = self.external_subject_id.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpecificAssetId:
        """Read the JSON form."""
        subject = data.get("externalSubjectId")
        return cls(name=data.get("name", ""), value=data.get("value", ""),
                   external_subject_id=Reference.from_json(subject) if subject else None)
