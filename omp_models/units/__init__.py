"""Units, keyed by UNECE Recommendation 20 common code.

One registry for every converter: seeded from the UNECE -> OPC UA table (code, OPC UA
``UnitId``, symbol, name; 1,827 units) and extended with aliases for the free-text and
vendor vocabularies real sources use (SiteWise ``"Amps"``, MTConnect ``MILLIMETER/SECOND``,
DTDL ``degreeCelsius``, ``"%"``...). A lookup never guesses between units: an ambiguous or
unknown text gives ``None`` and the converter reports ``UNIT_UNRESOLVED``.

Example:
    >>> from omp_models.units import units
    >>> units().lookup("kPa").code
    'KPA'
    >>> units().lookup("MILLIMETER/SECOND").symbol
    'mm/s'
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache

from omp_models.resources import schema_path

__all__ = ["Unit", "UnitRegistry", "units"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit.

    Attributes:
        code: UNECE Rec 20 common code (``MMT``).
        symbol: Display symbol (``mm``).
        name: English name (``millimetre``).
        unit_id: OPC UA ``EUInformation.UnitId`` (the code's integer encoding).
    """

    code: str
    symbol: str
    name: str
    unit_id: int

    @property
    def unece_iri(self) -> str:
        """An IRI for the unit as a semanticId/unitId reference value."""
        return f"urn:un:unece:uncefact:rec20:{self.code}"


#: Free-text and vendor spellings that real sources use -> Rec 20 code. Keys are matched
#: case-insensitively after whitespace is collapsed.
ALIASES: dict[str, str] = {
    # common free text (SiteWise, Insights Hub, CSV datasheets)
    "%": "P1", "percent": "P1", "pct": "P1", "amps": "AMP", "amp": "AMP", "amperes": "AMP",
    "ampere": "AMP", "volts": "VLT", "volt": "VLT", "watts": "WTT", "watt": "WTT",
    "kw": "KWT", "kilowatts": "KWT", "kwh": "KWH", "celsius": "CEL", "degc": "CEL",
    "deg c": "CEL", "°c": "CEL", "c": "CEL", "fahrenheit": "FAH", "degf": "FAH",
    "°f": "FAH", "kelvin": "KEL", "k": "KEL", "rpm": "RPM", "1/min": "RPM",
    "seconds": "SEC", "sec": "SEC", "ms": "C26", "milliseconds": "C26", "minutes": "MIN",
    "hours": "HUR", "hrs": "HUR", "hz": "HTZ", "hertz": "HTZ", "bar": "BAR", "psi": "PS",
    "kpa": "KPA", "pa": "PAL", "mpa": "MPA", "nm": "NU", "n·m": "NU", "n*m": "NU",
    "n": "NEW", "newton": "NEW", "kn": "B47", "kg": "KGM", "g": "GRM", "t": "TNE",
    "m": "MTR", "mm": "MMT", "cm": "CMT", "km": "KMT", "µm": "4H", "um": "4H",
    "m/s": "MTS", "mm/s": "C16", "mm/min": "H81", "m/min": "2X", "l": "LTR", "litre": "LTR",
    "liter": "LTR", "l/min": "L2", "m3": "MTQ", "m³": "MTQ", "m3/h": "MQH", "m³/h": "MQH",
    "ea": "H87", "each": "H87", "pcs": "H87", "piece": "H87", "pieces": "H87",
    "count": "H87", "°": "DD", "deg": "DD", "degree": "DD", "degrees": "DD",
    "rad": "C81", "v": "VLT", "a": "AMP", "w": "WTT", "db": "2N", "lux": "LUX",
    # MTConnect units vocabulary
    "millimeter": "MMT", "millimeter/second": "C16", "millimeter/second^2": "M41",
    "millimeter_3d": "MMT", "degree/second": "E96", "degree/second^2": "M45",
    "revolution/minute": "RPM", "second": "SEC", "newton_meter": "NU", "pascal": "PAL",
    "watt_second": "J55", "joule": "JOU", "kilogram": "KGM", "liter/second": "G51",
    "volt_ampere": "D46", "ampere_hour": "AMH", "volt_ampere_reactive": "D44",
    "celsius_degree": "CEL", "count/second": "C97", "micro_radian": "B97",
    "gram/cubic_meter": "A93", "cubic_millimeter": "MMQ",
    # DTDL quantitativeTypes unit names
    "degreecelsius": "CEL", "degreefahrenheit": "FAH", "metre": "MTR", "meter": "MTR",
    "millimetre": "MMT", "metrepersecond": "MTS", "revolutionperminute": "RPM",
    "kilopascal": "KPA", "kilowatt": "KWT", "kilowatthour": "KWH", "hour": "HUR",
    "minute": "MIN", "millisecond": "C26", "kilogramme": "KGM", "radian": "C81",
    "litre per second": "G51", "degreeofarc": "DD", "minuteofarc": "D61",
    "secondofarc": "D62", "poundpersquareinch": "PS", "inchesofmercury": "F79",
    "inchesofwater": "F78", "millimetresofmercury": "HN", "mileperhour": "HM",
    "gallon": "GLL", "fluidounce": "OZA", "newtonmetre": "NU", "revolutionpersecond": "RPS",
}


class UnitRegistry:
    """Lookups by code, OPC UA UnitId, symbol, name or alias."""

    def __init__(self, table: list[Unit]) -> None:
        self._by_code = {u.code: u for u in table}
        self._by_id = {u.unit_id: u for u in table}
        self._by_symbol: dict[str, Unit | None] = {}
        self._by_name: dict[str, Unit] = {}
        for unit in table:
            # A symbol shared by several units is ambiguous: remember that, never guess.
            key = unit.symbol
            self._by_symbol[key] = None if key in self._by_symbol else unit
            self._by_name.setdefault(unit.name.casefold(), unit)

    def __len__(self) -> int:
        return len(self._by_code)

    def by_code(self, code: str) -> Unit | None:
        """The unit with this Rec 20 common code."""
        return self._by_code.get(code.strip().upper())

    def by_unit_id(self, unit_id: int) -> Unit | None:
        """The unit with this OPC UA ``EUInformation.UnitId``."""
        return self._by_id.get(unit_id)

    def lookup(self, text: str | None) -> Unit | None:
        """The unit a free text means, or ``None`` when unknown or ambiguous.

        Tried in order: the exact symbol, a curated alias, the Rec 20 code, the name.
        """
        if not text or not text.strip():
            return None
        raw = " ".join(text.split())
        exact = self._by_symbol.get(raw)
        if exact is not None:
            return exact
        folded = raw.casefold()
        alias = ALIASES.get(folded)
        if alias is not None:
            return self._by_code.get(alias)
        if raw.upper() == raw and (by_code := self._by_code.get(raw)) is not None:
            return by_code
        return self._by_name.get(folded)


@cache
def units() -> UnitRegistry:
    """The registry (loaded once from the vendored UNECE -> OPC UA table)."""
    text = schema_path("unece-rec20-opcua").read_text(encoding="utf-8-sig")
    table = [
        Unit(row["UNECECode"].strip(), row["DisplayName"].strip(), row["Description"].strip(),
             int(row["UnitId"]))
        for row in csv.DictReader(io.StringIO(text))
        if row.get("UNECECode") and row.get("UnitId", "").strip().isdigit()
    ]
    return UnitRegistry(table)
