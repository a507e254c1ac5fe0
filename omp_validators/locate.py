"""Turn a JSON Pointer or an XML path into a line and a column.

The locators live in :mod:`omp_models.locate` (the package readers use them too); this
module is their home in the validator's API.
"""

from omp_models.locate import (
    JsonLocator,
    Position,
    XmlLocator,
    escape_pointer_token,
    pointer_from_tokens,
    split_pointer,
)

__all__ = [
    "JsonLocator",
    "Position",
    "XmlLocator",
    "escape_pointer_token",
    "pointer_from_tokens",
    "split_pointer",
]
