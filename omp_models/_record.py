"""Immutable records that cost nothing at start-up: the base of the validation records.

``@dataclass(frozen=True, slots=True)`` generates six methods per class and compiles each
with ``exec`` when the module is imported: about 4 million instructions (a millisecond)
per class, paid at every start of ``omp validate`` for each record on its path. The records
there (:class:`~omp_models.diagnostics.Finding`, ``Location``, ``Limits``, the validator's
options and report) are declared as

    @dataclass(init=False, repr=False, eq=False, slots=True)
    class Location(Record):
        file: str
        ...
        def __init__(self, file: str, ...) -> None:
            _set(self, "file", file)
            ...

so they stay dataclasses (``dataclasses.fields``, ``replace`` and ``asdict`` work, type
checkers see the fields) while their ``__init__`` is ordinary code and the rest comes
from :class:`Record`: equality, hashing, ``repr``, pickling and immutability over the
``__init__`` fields (``__match_args__``, which the dataclass decorator sets), exactly as
a frozen dataclass would behave. ``tests/unit/test_records.py`` holds them to that.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any

__all__ = ["Record", "set_field"]

#: Sets a field of a record in its ``__init__`` (records refuse ``setattr``).
set_field = object.__setattr__


class Record:
    """Equality, hash, repr, pickling and immutability over the ``__init__`` fields."""

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__match_args__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__qualname__}({fields})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), self._values()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
