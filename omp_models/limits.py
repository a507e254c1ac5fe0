"""Limits that keep hostile or broken inputs from exhausting the machine.

Every reader honours them: the validator and the converters alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from omp_models._record import Record, set_field

__all__ = ["Limits", "MiB"]

MiB = 1 << 20


@dataclass(init=False, repr=False, eq=False, slots=True)
class Limits(Record):
    """Limits that keep hostile or broken inputs from exhausting the machine.

    Attributes:
        max_file_size: Largest JSON/XML document read, in bytes.
        max_aasx_size: Largest AASX package read, in bytes.
        max_members: Most members an AASX package may have.
        max_member_size: Largest uncompressed size of one AASX member, in bytes.
        max_total_size: Largest total uncompressed size of an AASX package, in bytes.
        max_ratio: Highest compression ratio of an AASX member (zip bombs).
    """

    max_file_size: int
    max_aasx_size: int
    max_members: int
    max_member_size: int
    max_total_size: int
    max_ratio: int

    def __init__(
        self,
        max_file_size: int = 512 * MiB,
        max_aasx_size: int = 4096 * MiB,
        max_members: int = 10_000,
        max_member_size: int = 512 * MiB,
        max_total_size: int = 4096 * MiB,
        max_ratio: int = 200,
    ) -> None:
        set_field(self, "max_file_size", max_file_size)
        set_field(self, "max_aasx_size", max_aasx_size)
        set_field(self, "max_members", max_members)
        set_field(self, "max_member_size", max_member_size)
        set_field(self, "max_total_size", max_total_size)
        set_field(self, "max_ratio", max_ratio)
