"""Limits that keep hostile or broken inputs from exhausting the machine.

Every reader honours them: the validator and the converters alike.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits", "MiB"]

MiB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits that keep hostile or broken inputs from exhausting the machine.

    Attributes:
        max_file_size: Largest JSON/XML document read, in bytes.
        max_aasx_size: Largest AASX package read, in bytes.
        max_members: Most members an AASX package may have.
        max_member_size: Largest uncompressed size of one AASX member, in bytes.
        max_total_size: Largest total uncompressed size of an AASX package, in bytes.
        max_ratio: Highest compression ratio of an AASX member (zip bombs).
    """

    max_file_size: int = 512 * MiB
    max_aasx_size: int = 4096 * MiB
    max_members: int = 10_000
    max_member_size: int = 512 * MiB
    max_total_size: int = 4096 * MiB
    max_ratio: int = 200
