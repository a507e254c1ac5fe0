"""SAMM vocabulary: namespaces, meta-model versions, migration, and the XSD type table.

Every model is read into the SAMM 2.2.0 vocabulary, whatever it was written in (SAMM 2.0.0,
2.1.0, 2.2.0, and the legacy BAMM 1.0.0/2.0.0), exactly as samm-cli migrates models before it
validates or generates: meta-model IRIs are rewritten to 2.2.0, ``urn:bamm:`` element URNs
become ``urn:samm:``, BAMM 1.0.0's ``bamm:name`` is dropped and its unit attributes move to
the meta-model namespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "LATEST",
    "RDF",
    "SAMM",
    "SAMMC",
    "SAMME",
    "SUPPORTED",
    "UNIT",
    "XSD",
    "XsdType",
    "element_urn_parts",
    "local_name",
    "meta_version_of",
    "migrate_iri",
    "xsd_type",
]

#: The meta-model version everything is read as.
LATEST = "2.2.0"
_BASE = "urn:samm:org.eclipse.esmf.samm:"
SAMM = f"{_BASE}meta-model:{LATEST}#"
SAMMC = f"{_BASE}characteristic:{LATEST}#"
SAMME = f"{_BASE}entity:{LATEST}#"
UNIT = f"{_BASE}unit:{LATEST}#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: Meta-model versions read (``bamm-`` marks the legacy BAMM namespaces).
SUPPORTED = ("1.0.0", "2.0.0", "2.1.0", "2.2.0", "bamm-1.0.0", "bamm-2.0.0")

_META = re.compile(
    r"^urn:(samm:org\.eclipse\.esmf\.samm|bamm:io\.openmanufacturing):"
    r"(meta-model|characteristic|entity|unit):(\d+\.\d+\.\d+)#(.*)$"
)
_ELEMENT = re.compile(r"^urn:(samm|bamm):([^:#]+):(\d+\.\d+\.\d+)#(.+)$")
#: Unit attributes that moved from the unit to the meta-model namespace with SAMM 2.0.0.
_MOVED_UNIT_TERMS = frozenset({
    "Unit", "QuantityKind", "quantityKind", "referenceUnit", "commonCode",
    "conversionFactor", "numericConversionFactor", "symbol",
})


def meta_version_of(iri: str) -> str | None:
    """The meta-model version an IRI belongs to (``2.1.0``, ``bamm-1.0.0``), if any."""
    match = _META.match(iri)
    if match is None:
        return None
    return ("bamm-" if match.group(1).startswith("bamm") else "") + match.group(3)


def migrate_iri(iri: str) -> str | None:
    """The SAMM 2.2.0 form of an IRI, or ``None`` when it is dropped (``bamm:name``).

    IRIs of unknown meta-model versions are returned unchanged (the loader reports them).
    """
    match = _META.match(iri)
    if match is not None:
        scheme, part, version, name = match.groups()
        legacy = scheme.startswith("bamm")
        if f"{'bamm-' if legacy else ''}{version}" not in SUPPORTED:
            return iri
        if version == "1.0.0":
            if part == "meta-model" and name == "name":
                return None
            if part == "unit" and name in _MOVED_UNIT_TERMS:
                return f"{SAMM}{name}"
        return f"{_BASE}{part}:{LATEST}#{name}"
    if iri.startswith("urn:bamm:"):
        return "urn:samm:" + iri[len("urn:bamm:"):]
    return iri


def element_urn_parts(iri: str) -> tuple[str, str, str] | None:
    """``(namespace, version, name)`` of a model element URN, else ``None``.

    Meta-model IRIs (``urn:samm:org.eclipse.esmf.samm:...``) are not model elements.
    """
    match = _ELEMENT.match(iri)
    if match is None or match.group(2).startswith("org.eclipse.esmf.samm"):
        return None
    return match.group(2), match.group(3), match.group(4)


def local_name(iri: str) -> str:
    """The part after ``#`` (or the last ``/``/``:``)."""
    for sep in ("#", "/", ":"):
        if sep in iri:
            return iri.rsplit(sep, 1)[1]
    return iri


@dataclass(frozen=True, slots=True)
class XsdType:
    """How one scalar data type maps to JSON Schema and to the AAS.

    Attributes:
        name: Local name (``dateTime``).
        json_type: JSON Schema type samm-cli uses (integers are ``number``).
        extra: Further JSON Schema keywords samm-cli adds (patterns, bounds, formats).
        aas: AAS ``DataTypeDefXsd`` value (``None``: a MultiLanguageProperty).
        iec: IEC 61360 data type without a unit (a unit turns COUNT into MEASURE).
        integral: Whether values are integers.
        example: A valid example value for generated payloads.
    """

    name: str
    json_type: str
    extra: tuple[tuple[str, object], ...]
    aas: str | None
    iec: str
    integral: bool
    example: object


_TZ = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"


def _t(name: str, json_type: str, aas: str | None, iec: str, example: object,
       integral: bool = False, **extra: object) -> XsdType:
    return XsdType(name, json_type, tuple(extra.items()), aas, iec, integral, example)


_NUM = "number"
_STR = "string"
#: The type table, following samm-cli's JSON Schema generator (AspectModelJsonSchemaVisitor).
_TYPES: dict[str, XsdType] = {t.name: t for t in (
    _t("string", _STR, "xs:string", "STRING", "string"),
    _t("boolean", "boolean", "xs:boolean", "BOOLEAN", True),
    _t("decimal", _NUM, "xs:decimal", "REAL_COUNT", 1.5),
    _t("integer", _NUM, "xs:integer", "INTEGER_COUNT", 1, True),
    _t("double", _NUM, "xs:double", "REAL_COUNT", 1.5),
    _t("float", _NUM, "xs:float", "REAL_COUNT", 1.5),
    _t("byte", _NUM, "xs:byte", "INTEGER_COUNT", 1, True, minimum=-128, maximum=127),
    _t("short", _NUM, "xs:short", "INTEGER_COUNT", 1, True, minimum=-32768, maximum=32767),
    _t("int", _NUM, "xs:int", "INTEGER_COUNT", 1, True, minimum=-2147483648,
       maximum=2147483647),
    _t("long", _NUM, "xs:long", "INTEGER_COUNT", 1, True, minimum=-9223372036854775808,
       maximum=9223372036854775807),
    _t("unsignedByte", _NUM, "xs:unsignedByte", "INTEGER_COUNT", 1, True, minimum=0,
       maximum=255),
    _t("unsignedShort", _NUM, "xs:unsignedShort", "INTEGER_COUNT", 1, True, minimum=0,
       maximum=65535),
    _t("unsignedInt", _NUM, "xs:unsignedInt", "INTEGER_COUNT", 1, True, minimum=0,
       maximum=4294967295),
    _t("unsignedLong", _NUM, "xs:unsignedLong", "INTEGER_COUNT", 1, True, minimum=0,
       maximum=18446744073709551615),
    _t("positiveInteger", _NUM, "xs:positiveInteger", "INTEGER_COUNT", 1, True, minimum=1),
    _t("nonNegativeInteger", _NUM, "xs:nonNegativeInteger", "INTEGER_COUNT", 0, True,
       minimum=0),
    _t("negativeInteger", _NUM, "xs:negativeInteger", "INTEGER_COUNT", -1, True, maximum=-1),
    _t("nonPositiveInteger", _NUM, "xs:nonPositiveInteger", "INTEGER_COUNT", 0, True,
       maximum=0),
    _t("date", _STR, "xs:date", "DATE", "2024-01-31", format="date"),
    _t("time", _STR, "xs:time", "TIME", "12:00:00", format="time"),
    _t("dateTime", _STR, "xs:dateTime", "TIMESTAMP", "2024-01-31T12:00:00Z",
       pattern=f"{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
               r"T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|(24:00:00(\.0+)?))"
               f"{_TZ}"),
    _t("dateTimeStamp", _STR, "xs:dateTime", "TIMESTAMP", "2024-01-31T12:00:00Z",
       format="date-time"),
    _t("gYear", _STR, "xs:gYear", "STRING", "2024", pattern=f"{_YEAR}{_TZ}"),
    _t("gMonth", _STR, "xs:gMonth", "STRING", "--01", pattern=f"--(0[1-9]|1[0-2]){_TZ}"),
    _t("gDay", _STR, "xs:gDay", "STRING", "---01",
       pattern=f"---(0[1-9]|[12][0-9]|3[01]){_TZ}"),
    _t("gYearMonth", _STR, "xs:gYearMonth", "STRING", "2024-01",
       pattern=f"{_YEAR}-(0[1-9]|1[0-2]){_TZ}"),
    _t("gMonthDay", _STR, "xs:gMonthDay", "STRING", "--01-31"),
    _t("duration", _STR, "xs:duration", "STRING", "P1D", format="duration"),
    _t("yearMonthDuration", _STR, "xs:duration", "STRING", "P1Y",
       pattern="-?P[0-9]+(Y([0-9]+M)?|M)"),
    _t("dayTimeDuration", _STR, "xs:duration", "STRING", "P1D", pattern="[^YM]*[DT].*"),
    _t("hexBinary", _STR, "xs:hexBinary", "STRING", "0FB7",
       pattern="([0-9a-fA-F])([0-9a-fA-F])*"),
    _t("base64Binary", _STR, "xs:base64Binary", "STRING", "AAEC"),
    _t("anyURI", _STR, "xs:anyURI", "IRI", "https://example.com/", format="uri"),
)}
_CURIE = _t("curie", _STR, "xs:string", "STRING", "unit:metre",
            pattern="[a-zA-Z]*:[a-zA-Z]+")
_LANG = _t("langString", "object", None, "STRING_TRANSLATABLE", {"en": "text"})


def xsd_type(iri: str) -> XsdType | None:
    """The table entry for a scalar type IRI (XSD, ``rdf:langString``, ``samm:curie``)."""
    if iri.startswith(XSD):
        return _TYPES.get(iri[len(XSD):])
    if iri == f"{RDF}langString":
        return _LANG
    if iri == f"{SAMM}curie":
        return _CURIE
    return None
