"""Example payloads of an aspect: the canonical one, or seeded random variants.

The canonical example (``seed=None``) uses each property's ``samm:exampleValue`` when it
satisfies the property's own constraints, and otherwise a value built from the constraints
(a string matching the regular expression, a number inside the range, the first enumeration
value). Every optional property is included and collections hold one element. With a seed,
values, optional properties, collection sizes and ``Either`` sides vary, always within the
constraints: a generator of valid payloads for tests and benchmarks.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft4Validator

from omp_models.samm import _model as m
from omp_models.samm._regex import matching_string
from omp_models.samm._schema import characteristic_schema
from omp_models.samm._vocab import xsd_type

__all__ = ["example_payload", "fits"]

_MAX_DEPTH = 12
_VALIDATORS: dict[int, tuple[object, Draft4Validator | None]] = {}


def _validator(char: m.Characteristic) -> Draft4Validator | None:
    found = _VALIDATORS.get(id(char))
    if found is not None and found[0] is char:
        return found[1]
    schema = characteristic_schema(char)
    try:
        validator: Draft4Validator | None = Draft4Validator(schema)
    except Exception:  # a schema python-jsonschema cannot build (never for our own output)
        validator = None
    if len(_VALIDATORS) > 20000:
        _VALIDATORS.clear()
    _VALIDATORS[id(char)] = (char, validator)
    return validator


def fits(value: Any, char: m.Characteristic | None) -> bool | None:
    """Whether ``value`` satisfies the characteristic's schema (``None``: cannot tell)."""
    if char is None:
        return None
    validator = _validator(char)
    if validator is None:
        return None
    try:
        return bool(validator.is_valid(value))
    except Exception:  # a pattern Python's re cannot compile
        return None


def _chain(char: m.Characteristic) -> tuple[m.Characteristic, list[m.Constraint]]:
    """The innermost base of a Trait chain and every constraint on the way."""
    constraints: list[m.Constraint] = []
    seen: set[int] = set()
    while isinstance(char, m.Trait) and char.base is not None and id(char) not in seen:
        seen.add(id(char))
        constraints.extend(char.constraints)
        char = char.base
    return char, constraints


class _Examples:
    def __init__(self, seed: int | None) -> None:
        self.seed = seed
        self.rng = random.Random(seed) if seed is not None else None  # noqa: S311 - test data
        self.stack: list[int] = []

    def chance(self, probability: float) -> bool:
        return self.rng is None or self.rng.random() < probability

    def object_of(self, uses: list[m.PropertyUse], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for use in uses:
            if use.not_in_payload or use.property.is_abstract:
                continue
            if use.optional and (depth > _MAX_DEPTH // 2 or not self.chance(0.7)):
                continue
            value = self.property(use.property, depth)
            if value is not _SKIP:
                out[use.key] = value
        return out

    def property(self, prop: m.Property, depth: int) -> Any:
        char = prop.characteristic
        if char is None or depth > _MAX_DEPTH:
            return _SKIP
        example = prop.example_value
        if example is not None and (self.rng is None or self.rng.random() < 0.5):
            candidate = self.literal(example, char)
            if candidate is not _SKIP and fits(candidate, char) is not False:
                return candidate
        return self.characteristic(char, prop, depth)

    def literal(self, example: m.ScalarValue, char: m.Characteristic) -> Any:
        base, _ = _chain(char)
        if isinstance(base, m.Collection):
            element = base.element_characteristic
            if isinstance(base.data_type, m.ComplexType) or (element is not None and (
                    not isinstance(element.data_type, m.Scalar))):
                return _SKIP
            return [self.scalar_json(example, base.data_type)]
        if isinstance(base.data_type, m.ComplexType) or isinstance(base, m.Either):
            return _SKIP
        return self.scalar_json(example, base.data_type)

    def scalar_json(self, example: m.ScalarValue, data_type: m.Type | None) -> Any:
        info = xsd_type(data_type.urn) if isinstance(data_type, m.Scalar) and data_type.urn else (
            None)
        if info is not None and info.name == "langString":
            return {example.language or "en": example.lexical}
        return example.value

    def characteristic(self, char: m.Characteristic, prop: m.Property | None, depth: int) -> Any:
        base, constraints = _chain(char)
        if isinstance(base, m.Collection):
            return self.collection(char, base, constraints, prop, depth)
        if isinstance(base, m.Either):
            sides = [s for s in ("left", "right") if getattr(base, s) is not None]
            if not sides:
                return {}
            if self.rng is not None:
                self.rng.shuffle(sides)
            for side in sides:
                value = self.characteristic(getattr(base, side), prop, depth + 1)
                if value is not _SKIP:
                    return {side: value}
            return _SKIP
        if isinstance(base, m.Enumeration):
            return self.enumeration(char, base)
        if isinstance(base.data_type, m.ComplexType):
            return self.entity(base.data_type, depth)
        return self.scalar(char, base, constraints, prop)

    def collection(self, char: m.Characteristic, base: m.Collection,
                   constraints: list[m.Constraint], prop: m.Property | None, depth: int) -> Any:
        low, high = 1, 1
        for c in constraints:
            if isinstance(c, m.LengthConstraint):
                low = c.min_value if c.min_value is not None else low
                high = c.max_value if c.max_value is not None else max(high, low)
        if self.rng is not None:
            high = max(low, min(high if high > 1 else 3, low + 3))
            count = self.rng.randint(low, high)
        else:
            count = max(low, 1) if high != 0 else 0
        items: list[Any] = []
        for attempt in range(count * 4):
            if len(items) >= count:
                break
            source = self if attempt == 0 else _Examples((self.seed or 0) * 7919 + attempt)
            source.stack = self.stack
            if base.element_characteristic is not None:
                item = source.characteristic(base.element_characteristic, prop, depth + 1)
            elif isinstance(base.data_type, m.ComplexType):
                item = source.entity(base.data_type, depth + 1)
            else:
                item = source.scalar(None, base, [], prop)
            if item is _SKIP or (base.unique and item in items):
                continue
            items.append(item)
        if constraints and fits(items, char) is False and self.rng is not None:
            return items[:low]
        return items

    def enumeration(self, char: m.Characteristic, base: m.Enumeration) -> Any:
        values = list(base.values)
        if isinstance(base, m.State) and base.default_value is not None and self.rng is None:
            values.insert(0, base.default_value)
        if self.rng is not None:
            self.rng.shuffle(values)
        for value in values:
            candidate = self.enum_value(value)
            if fits(candidate, char) is not False:
                return candidate
        return self.enum_value(values[0]) if values else None

    def enum_value(self, value: m.Value) -> Any:
        if isinstance(value, m.EntityInstance):
            out: dict[str, Any] = {}
            uses = value.entity.all_properties() if value.entity else []
            for use in uses:
                if use.property in value.assertions and not use.not_in_payload:
                    asserted = value.assertions[use.property]
                    out[use.key] = ([self.enum_value(v) for v in asserted]
                                    if isinstance(asserted, list) else self.enum_value(asserted))
            return out
        return {value.language: value.lexical} if value.language else value.value

    def entity(self, entity: m.ComplexType, depth: int) -> Any:
        if entity.is_abstract and entity.extending:
            entity = self.rng.choice(entity.extending) if self.rng else entity.extending[0]
        if self.stack.count(id(entity)) > 1:
            return _SKIP
        self.stack.append(id(entity))
        try:
            return self.object_of(entity.all_properties(), depth + 1)
        finally:
            self.stack.pop()

    def scalar(self, char: m.Characteristic | None, base: m.Characteristic,
               constraints: list[m.Constraint], prop: m.Property | None) -> Any:
        data_type = base.data_type
        info = xsd_type(data_type.urn) if isinstance(data_type, m.Scalar) and data_type.urn else (
            None)
        if info is None or info.json_type == "string":
            return self.text(char, constraints, prop, info.example if info else None)
        if info.json_type == "boolean":
            return bool(self.rng.getrandbits(1)) if self.rng else True
        if info.json_type == "object":
            return {"en": prop.name if prop else "text"}
        return self.number(char, constraints, info.integral, dict(info.extra))

    def text(self, char: m.Characteristic | None, constraints: list[m.Constraint],
             prop: m.Property | None, default: object) -> Any:
        patterns = [c.value for c in constraints if isinstance(c, m.RegularExpressionConstraint)]
        low = max((c.min_value for c in constraints
                   if isinstance(c, m.LengthConstraint) and c.min_value is not None), default=0)
        high = min((c.max_value for c in constraints
                    if isinstance(c, m.LengthConstraint) and c.max_value is not None),
                   default=None)
        for candidate in self._text_candidates(patterns, prop, default):
            text = candidate
            if len(text) < low:
                text = text + "x" * (low - len(text))
            if high is not None and len(text) > high:
                text = text[:high]
            if fits(text, char) is not False:
                return text
        return prop.name if prop and prop.name else "text"

    def _text_candidates(self, patterns: list[str], prop: m.Property | None,
                         default: object) -> Iterator[str]:
        if isinstance(default, str) and default != "string" and patterns:
            yield default
        if patterns:
            for attempt in range(8):
                seed = None if self.seed is None and attempt == 0 else (
                    (self.seed or 0) * 31 + attempt)
                found = matching_string(patterns[0], seed)
                if found is not None:
                    yield found
            return
        if isinstance(default, str) and default != "string":
            yield default
        word = prop.name if prop and prop.name else "text"
        if self.rng is not None:
            word += "-" + "".join(self.rng.choices(string.ascii_lowercase, k=6))
        yield word

    def number(self, char: m.Characteristic | None, constraints: list[m.Constraint], integral: bool,
               bounds: dict[str, object]) -> Any:
        low = _float(bounds.get("minimum"), -1000.0)
        high = _float(bounds.get("maximum"), 1000.0)
        low_open = high_open = False
        for c in constraints:
            if isinstance(c, m.RangeConstraint):
                if c.min_value is not None and isinstance(c.min_value.value, int | float):
                    low, low_open = float(c.min_value.value), c.lower_bound == "GREATER_THAN"
                if c.max_value is not None and isinstance(c.max_value.value, int | float):
                    high, high_open = float(c.max_value.value), c.upper_bound == "LESS_THAN"
        step = 1.0 if integral else 0.5
        start = low + step if low_open else low
        stop = high - step if high_open else high
        if self.rng is None:
            value = min(max(start, 1.0 if start <= 1.0 <= stop else start), stop)
            if not integral and start <= 1.5 <= stop:
                value = 1.5
        else:
            value = self.rng.uniform(max(start, -1e6), min(stop, 1e6)) if stop >= start else start
        if integral:
            rounded = round(value)
            number: int | float = rounded if start <= rounded <= stop else int(start)
        else:
            number = round(value, 3)
        return number if fits(number, char) is not False else (int(start) if integral else start)


def _float(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) else default


_SKIP = object()


def example_payload(aspect: m.Aspect, *, seed: int | None = None) -> dict[str, Any]:
    """An example payload of the aspect.

    Args:
        aspect: The aspect.
        seed: ``None`` for the canonical example (example values, every optional property,
            one element per collection); an int for a reproducible random valid variant.

    Returns:
        The payload (a JSON object).
    """
    return _Examples(seed).object_of(aspect.properties, 0)
