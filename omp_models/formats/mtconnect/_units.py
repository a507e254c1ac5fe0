"""MTConnect units (``units`` and ``nativeUnits``) -> UNECE Rec 20 common codes.

The MTConnect vocabulary is closed (``UnitsEnum`` and ``NativeUnitsEnum`` of the 2.7 XSD,
97 values). Each value is mapped here explicitly, because a free-text lookup in the shared
registry would guess: ``MILLIMETER/REVOLUTION`` is not millimetre, ``COUNT/SECOND`` is
not a piece. ``None`` means Rec 20 has no unit of that meaning; the converter then reports
``UNIT_UNRESOLVED`` and keeps the MTConnect text as the IEC 61360 unit. The ``_3D`` units
(vectors of three coordinates) map to the unit of one coordinate.
"""

from __future__ import annotations

from omp_models.units import Unit, units

__all__ = ["MTCONNECT_UNITS", "resolve_unit"]

#: MTConnect unit -> Rec 20 common code (``None``: no Rec 20 unit means the same).
MTCONNECT_UNITS: dict[str, str | None] = {
    # UnitsEnum (the units an agent reports in)
    "AMPERE": "AMP", "CELSIUS": "CEL", "COUNT": "H87", "DECIBEL": "2N", "DEGREE": "DD",
    "DEGREE_3D": "DD", "DEGREE/SECOND": "E96", "DEGREE/SECOND^2": "M45", "HERTZ": "HTZ",
    "JOULE": "JOU", "KILOGRAM": "KGM", "LITER": "LTR", "LITER/SECOND": "G51",
    "MICRO_RADIAN": "B97", "MILLIMETER": "MMT", "MILLIMETER_3D": "MMT",
    "MILLIMETER/REVOLUTION": None, "MILLIMETER/SECOND": "C16", "MILLIMETER/SECOND^2": "M41",
    "NEWTON": "NEW", "NEWTON_METER": "NU", "OHM": "OHM", "PASCAL": "PAL",
    "PASCAL_SECOND": "C65", "PERCENT": "P1", "PH": "Q30", "REVOLUTION/MINUTE": "RPM",
    "SECOND": "SEC", "SIEMENS/METER": "D10", "VOLT": "VLT", "VOLT_AMPERE": "D46",
    "VOLT_AMPERE_REACTIVE": "D44", "WATT": "WTT", "WATT_SECOND": "J55",
    "GRAM/CUBIC_METER": "A93", "CUBIC_MILLIMETER": "MMQ", "CUBIC_MILLIMETER/SECOND": None,
    "CUBIC_MILLIMETER/SECOND^2": None, "MILLIGRAM": "MGM",
    "MILLIGRAM/CUBIC_MILLIMETER": None, "MILLILITER": "MLT", "COUNT/SECOND": "C97",
    "PASCAL/SECOND": None, "UNIT_VECTOR_3D": "C62", "REVOLUTION/SECOND^2": None,
    "REVOLUTION/SECOND": "RPS", "GRAM": "GRM", "METER/SECOND^2": "MSK", "COULOMB": "COU",
    "CUBIC_METER": "MTQ", "SQUARE_MILLIMETER": "MMK", "OHM_METER": "C61",
    "MILLIGRAM/LITER": "M1",
    # NativeUnitsEnum adds these
    "CENTIPOISE": "C7", "DEGREE/MINUTE": None, "FAHRENHEIT": "FAH", "FOOT": "FOT",
    "FOOT/MINUTE": "FR", "FOOT/SECOND": "FS", "FOOT/SECOND^2": "A73", "FOOT_3D": "FOT",
    "GALLON/MINUTE": "G2", "HOUR": "HUR", "INCH": "INH", "INCH/MINUTE": "M63",
    "INCH/SECOND": "IU", "INCH/SECOND^2": "IV", "INCH_POUND": "F21", "INCH_3D": "INH",
    "KELVIN": "KEL", "KILOWATT": "KWT", "KILOWATT_HOUR": "KWH", "LITER/MINUTE": "L2",
    "MILLIMETER/MINUTE": "H81", "MINUTE": "MIN", "OTHER": None, "POUND": "LBR",
    "POUND/INCH^2": "PS", "RADIAN": "C81", "RADIAN/MINUTE": None, "RADIAN/SECOND": "2A",
    "RADIAN/SECOND^2": "2B", "BAR": "BAR", "TORR": "UA", "MILLIMETER_MERCURY": "HN",
    "PASCAL/MINUTE": None, "GRAVITATIONAL_FORCE": None, "GRAVITATIONAL_ACCELERATION": "K40",
    "AMPERE_HOUR": "AMH", "CUBIC_FOOT/HOUR": "2K", "CUBIC_FOOT/MINUTE": "2L",
    "SQUARE_INCH": "INK", "CUBIC_FOOT": "FTQ", "INCH/REVOLUTION": "H57",
    "MICROMETER": "4H", "RANKINE": "A48", "MICROTORR": None,
}


def resolve_unit(text: str) -> Unit | None:
    """The Rec 20 unit of an MTConnect unit name, or ``None`` when there is none."""
    code = MTCONNECT_UNITS.get(text.strip().upper())
    return units().by_code(code) if code else None
