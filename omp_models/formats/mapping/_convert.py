"""Explicit value conversions a mapping file asks for: units and a few transforms.

Units convert only between units of one quantity in :data:`LINEAR` (keyed by UNECE Rec 20
code; ``base = value * factor + offset``). Nothing converts unless a mapping says so, and
each rule's conversions are counted in the report.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["LINEAR", "TRANSFORMS", "Conversion", "format_number", "linear", "transform"]

_PSI = 6894.757293168361
#: quantity -> Rec 20 code -> (factor, offset) to the quantity's base unit.
LINEAR: dict[str, dict[str, tuple[float, float]]] = {
    "length": {"MTR": (1, 0), "MMT": (1e-3, 0), "CMT": (1e-2, 0), "DMT": (0.1, 0),
               "KMT": (1e3, 0), "4H": (1e-6, 0), "INH": (0.0254, 0), "FOT": (0.3048, 0)},
    "mass": {"KGM": (1, 0), "GRM": (1e-3, 0), "MGM": (1e-6, 0), "TNE": (1e3, 0),
             "LBR": (0.45359237, 0)},
    "time": {"SEC": (1, 0), "C26": (1e-3, 0), "B98": (1e-6, 0), "MIN": (60, 0),
             "HUR": (3600, 0), "DAY": (86400, 0)},
    "temperature": {"KEL": (1, 0), "CEL": (1, 273.15), "FAH": (5 / 9, 459.67 * 5 / 9)},
    "pressure": {"PAL": (1, 0), "KPA": (1e3, 0), "MPA": (1e6, 0), "BAR": (1e5, 0),
                 "MBR": (1e2, 0), "PS": (_PSI, 0)},
    "force": {"NEW": (1, 0), "B47": (1e3, 0), "B73": (1e6, 0)},
    "power": {"WTT": (1, 0), "KWT": (1e3, 0), "MAW": (1e6, 0)},
    "energy": {"JOU": (1, 0), "KJO": (1e3, 0), "WHR": (3600, 0), "KWH": (3.6e6, 0)},
    "speed": {"MTS": (1, 0), "KMH": (1 / 3.6, 0), "C16": (1e-3, 0), "2X": (1 / 60, 0),
              "H81": (1e-3 / 60, 0)},
    "frequency": {"HTZ": (1, 0), "RPM": (1 / 60, 0)},
    "volume": {"MTQ": (1, 0), "LTR": (1e-3, 0), "MLT": (1e-6, 0)},
    "flow": {"MQS": (1, 0), "G51": (1e-3, 0), "L2": (1e-3 / 60, 0), "MQH": (1 / 3600, 0)},
    "current": {"AMP": (1, 0), "4K": (1e-3, 0)},
    "voltage": {"VLT": (1, 0), "KVT": (1e3, 0), "2Z": (1e-3, 0)},
    "angle": {"C81": (1, 0), "DD": (math.pi / 180, 0)},
    "ratio": {"C62": (1, 0), "P1": (1e-2, 0)},
}

TRANSFORMS = ("epoch-ms-to-datetime", "epoch-s-to-datetime", "round", "string", "lowercase",
              "uppercase", "trim")


@dataclass(frozen=True, slots=True)
class Conversion:
    """``value * factor + offset``, with the units it goes between (for the report)."""

    factor: float
    offset: float
    source: str | None = None
    target: str | None = None

    def apply(self, value: float) -> float:
        """The converted value."""
        return value * self.factor + self.offset

    def describe(self) -> str:
        """``FAH -> CEL`` or ``x * 0.001 + 0``."""
        if self.source and self.target:
            return f"{self.source} -> {self.target}"
        return f"x * {self.factor:g} + {self.offset:g}"


def linear(source: str, target: str) -> Conversion | None:
    """The conversion between two Rec 20 codes of one quantity, or ``None``."""
    for table in LINEAR.values():
        if source in table and target in table:
            f1, o1 = table[source]
            f2, o2 = table[target]
            return Conversion(f1 / f2, (o1 - o2) / f2, source, target)
    return None


def format_number(value: float, value_type: str) -> str | None:
    """The lexical form of a number for an XSD type, or ``None`` if it does not fit."""
    if math.isnan(value) or math.isinf(value):
        if value_type not in ("xs:double", "xs:float"):
            return None
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    text = f"{value:.15g}"
    if value_type in ("xs:double", "xs:float"):
        return text
    exact = Decimal(text)
    if value_type == "xs:decimal":
        return format(exact, "f")
    if exact != exact.to_integral_value():
        return None
    return str(int(exact))


def transform(name: str, value: object) -> tuple[object, bool]:
    """Apply a named transform; returns ``(result, changed)``.

    Raises:
        ValueError: When the value does not suit the transform.
    """
    if name in ("epoch-ms-to-datetime", "epoch-s-to-datetime"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a number of seconds or milliseconds")
        seconds = value / 1000 if name == "epoch-ms-to-datetime" else value
        stamp = dt.datetime.fromtimestamp(seconds, dt.UTC)
        text = stamp.isoformat(timespec="milliseconds" if stamp.microsecond else "seconds")
        return text.replace("+00:00", "Z"), True
    if name == "round":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a number")
        rounded = round(value)
        return rounded, rounded != value
    if name == "string":
        if isinstance(value, dict | list) or value is None:
            raise ValueError("only single values can become text")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            text = format_number(value, "xs:double") or repr(value)
        else:
            text = str(value)
        return text, not isinstance(value, str)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    result = {"lowercase": value.lower(), "uppercase": value.upper(), "trim": value.strip()}[
        name]
    return result, result != value
