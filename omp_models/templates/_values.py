"""Values against value types: lexical checks (aas-core's) and type-conformant defaults."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from omp_models.aas._core import AasVersion, engine

__all__ = ["VALUE_TYPES", "default_value", "numeric", "value_fits"]

#: A valid literal of every ``xs:*`` value type the metamodel knows (3.0 and 3.1).
_DEFAULTS: dict[str, str] = {
    "xs:anyURI": "https://example.com/",
    "xs:base64Binary": "AA==",
    "xs:boolean": "true",
    "xs:byte": "0",
    "xs:date": "2024-01-01",
    "xs:dateTime": "2024-01-01T00:00:00Z",
    "xs:decimal": "0",
    "xs:double": "0",
    "xs:duration": "PT1H",
    "xs:float": "0",
    "xs:gDay": "---01",
    "xs:gMonth": "--01",
    "xs:gMonthDay": "--01-01",
    "xs:gYear": "2024",
    "xs:gYearMonth": "2024-01",
    "xs:hexBinary": "00",
    "xs:int": "0",
    "xs:integer": "0",
    "xs:long": "0",
    "xs:negativeInteger": "-1",
    "xs:nonNegativeInteger": "0",
    "xs:nonPositiveInteger": "0",
    "xs:positiveInteger": "1",
    "xs:short": "0",
    "xs:string": "example",
    "xs:time": "00:00:00",
    "xs:unsignedByte": "0",
    "xs:unsignedInt": "0",
    "xs:unsignedLong": "0",
    "xs:unsignedShort": "0",
}

#: Every value type of the metamodel (``DataTypeDefXsd``).
VALUE_TYPES: frozenset[str] = frozenset(_DEFAULTS)

_NUMERIC = frozenset({
    "xs:byte", "xs:decimal", "xs:double", "xs:float", "xs:int", "xs:integer", "xs:long",
    "xs:negativeInteger", "xs:nonNegativeInteger", "xs:nonPositiveInteger",
    "xs:positiveInteger", "xs:short", "xs:unsignedByte", "xs:unsignedInt",
    "xs:unsignedLong", "xs:unsignedShort",
})


def default_value(value_type: str | None) -> str:
    """A valid literal of ``value_type`` (``example`` for an unknown or missing type)."""
    return _DEFAULTS.get(value_type or "", "example")


@cache
def _xsd(version: AasVersion, value_type: str) -> Any:
    types = engine(version).types
    try:
        return types.DataTypeDefXSD(value_type)
    except ValueError:
        return None


def value_fits(value: object, value_type: str | None, version: AasVersion = "3.1") -> bool:
    """Whether ``value`` is a valid literal of ``value_type`` (aas-core's lexical rules).

    An unknown value type accepts nothing; a missing one accepts any string.
    """
    if not isinstance(value, str):
        return False
    if value_type is None:
        return True
    xsd = _xsd(version, value_type)
    if xsd is None:
        return False
    result: bool = engine(version).verification.value_consistent_with_xsd_type(value, xsd)
    return result


_FLOAT_SPECIAL = re.compile(r"^[+-]?(INF|NaN)$")


def numeric(value: str, value_type: str | None) -> Decimal | None:
    """The number a value stands for, when its type is numeric (for range checks)."""
    if value_type is not None and value_type not in _NUMERIC:
        return None
    text = value.strip()
    if _FLOAT_SPECIAL.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
