"""The hand-initialised records behave exactly like the frozen dataclasses they replace.

``omp_models._record.Record`` gives Finding, Location, Limits, FileResult, Report and
ValidateOptions their equality, hash, repr, pickling and immutability; each is compared
here with a real ``@dataclass(frozen=True)`` built from the same fields and defaults.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from omp_models.diagnostics import Finding, Location, Severity
from omp_models.limits import Limits
from omp_validators.options import ValidateOptions
from omp_validators.report import FileResult, Report

LOCATION = Location("a.json", None, "/submodels/0", 3, 7)
FINDING = Finding("AASd-119", Severity.ERROR, "message", LOCATION, "hint")

#: Per class: two argument tuples that differ, and one equal to the first.
SAMPLES: dict[type[Any], tuple[tuple[Any, ...], tuple[Any, ...]]] = {
    Location: (("a.json", None, "/x", 1, 2), ("a.json", "aasx/x.xml", "/x", 1, 2)),
    Finding: (("r", Severity.ERROR, "m", LOCATION), ("r", Severity.WARNING, "m", LOCATION)),
    Limits: ((1, 2, 3, 4, 5, 6), (1, 2, 3, 4, 5, 7)),
    FileResult: (("a.json", "json", "3.0", "matched", "Environment", (FINDING,), 0),
                 ("a.json", "json", "3.1", "matched", "Environment", (FINDING,), 0)),
    Report: (((), "1.0", {"k": 1}), ((), "1.1", {"k": 1})),
    ValidateOptions: (
        ("3.0", None, ("AAS",), (), 200, Limits(), None, (), False, None, (), (), "fast"),
        ("3.1", None, ("AAS",), (), 200, Limits(), None, (), False, None, (), (), "fast"),
    ),
}


def reference_dataclass(cls: type[Any]) -> type[Any]:
    """A frozen dataclass with the fields and constructor defaults of ``cls``."""
    signature = inspect.signature(cls)
    specs: list[Any] = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        default = signature.parameters[f.name].default
        specs.append((f.name, Any, dataclasses.field(default=default))
                     if default is not inspect.Parameter.empty else (f.name, Any))
    made: type[Any] = dataclasses.make_dataclass(cls.__name__, specs, frozen=True)
    return made


@pytest.mark.parametrize("cls", list(SAMPLES), ids=lambda c: c.__name__)
def test_record_behaves_like_a_frozen_dataclass(cls: type[Any]) -> None:
    ref = reference_dataclass(cls)
    first, other = SAMPLES[cls]
    a, b, c = cls(*first), cls(*other), cls(*first)
    ra, rb = ref(*first), ref(*other)
    assert repr(a) == repr(ra) and repr(b) == repr(rb)
    assert a == c and a != b and (a == object()) is False
    init_only = {k: v for k, v in dataclasses.asdict(a).items() if k in cls.__match_args__}
    assert init_only == dataclasses.asdict(ra)
    if cls is not Report:  # its meta is a dict: unhashable, as in a frozen dataclass
        assert hash(a) == hash(c) == hash(ra) and hash(b) == hash(rb)
    else:
        with pytest.raises(TypeError):
            hash(a)
        with pytest.raises(TypeError):
            hash(ra)
    name = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(a, name, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(a, name)
    assert pickle.loads(pickle.dumps(a)) == a
    changed = dataclasses.replace(a, **{name: getattr(b, name)})
    assert type(changed) is cls and getattr(changed, name) == getattr(b, name)


@pytest.mark.parametrize("cls", list(SAMPLES), ids=lambda c: c.__name__)
def test_constructor_takes_every_init_field_in_order(cls: type[Any]) -> None:
    init_fields = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    assert tuple(inspect.signature(cls).parameters) == init_fields == cls.__match_args__
    assert not hasattr(cls(*SAMPLES[cls][0]), "__dict__")  # slotted


def test_defaults_are_fresh_and_as_documented() -> None:
    options = ValidateOptions()
    assert options.limits == Limits() and options.max_findings_per_file == 200
    assert options.engine == "fast" and options.select == ()
    first, second = Report(()), Report(())
    assert first.meta == {} and first.meta is not second.meta


def test_finding_fingerprint_is_cached_and_not_compared() -> None:
    copy = Finding(*SAMPLES[Finding][0])
    original = Finding(*SAMPLES[Finding][0])
    assert original.fingerprint == copy.fingerprint  # computes and caches on one side
    assert original == copy and "fingerprint" not in repr(original)
    assert pickle.loads(pickle.dumps(original)).fingerprint == original.fingerprint
