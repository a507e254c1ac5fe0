"""Is a value consistent with its XSD value type? The same answer as aas-core, sooner.

aas-core decides this with ``value_consistent_with_xsd_type``; importing its verification
module compiles every XSD regex (about 0.15 s, most of it for ``xs:anyURI``), which is as
much as validating a thousand small files. The lexical spaces below are those of XML
Schema 1.0 Part 2 with the bounds aas-core applies (digit counts of the bounded integers,
value ranges, days per month with 1 BCE as a leap year, ``INF`` only as a literal, float32
range), written as Python patterns with the same ``^...$`` matching, so the verdicts are
the same; ``tests/unit/test_fast_lexical.py`` compares them on every value of the
test-gen corpora and on mutants of them.

``xs:anyURI`` is the exception: its quick test is a subset (IRI references without IP
literals for 3.0, the RFC 2396 subset of :mod:`._walk` for 3.1), and whatever it does not
accept is decided by aas-core's own function.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from functools import cache
from typing import Any

from omp_models.aas._core import AasVersion, engine

__all__ = ["consistent", "quick_verdict"]

_TZ = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_NUMBER = r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|-?INF|NaN"
_DURATION_TIME = (
    r"T(([0-9]+H)([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|([0-9]+M)([0-9]+(\.[0-9]+)?S)?"
    r"|([0-9]+(\.[0-9]+)?S))"
)
_DURATION = (
    r"-?P((([0-9]+Y([0-9]+M)?([0-9]+D)?|([0-9]+M)([0-9]+D)?|([0-9]+D))(" + _DURATION_TIME
    + r")?)|(" + _DURATION_TIME + r"))"
)
_B64 = r"[A-Za-z0-9+/]\x20?"
_BASE64 = (
    rf"(({_B64}{_B64}{_B64}{_B64})*(({_B64}{_B64}{_B64}[A-Za-z0-9+/])"
    rf"|{_B64}{_B64}[AEIMQUYcgkosw048]\x20?=|{_B64}[AQgw]\x20?= ?=))?"
)

# IRI references (RFC 3987) without IP literals: a subset of aas-core 3.0's xs:anyURI.
# Non-ASCII characters are checked apart: a ``ucschar`` may stand wherever an ASCII
# unreserved character may (and only there), so it is replaced by ``~`` (unreserved, not
# in schemes, hex digits or ports) and the rest is an ASCII pattern, quick to compile.
# (A pattern with the ucschar ranges takes about 0.1 s to compile.)
_UCS_RANGES = (
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF),
    *((p << 16, (p << 16) + 0xFFFD) for p in range(1, 14)),
    (0xE1000, 0xEFFFD),
)
_IUNRES = "A-Za-z0-9\\-._~"
_SUB = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_IPCHAR = f"(?:[{_IUNRES}{_SUB}:@]|{_PCT})"
_ISEG_ANY = f"(?:[{_IUNRES}{_SUB}:@/]|{_PCT})*"
_AUTHORITY = (
    f"(?:(?:[{_IUNRES}{_SUB}:]|{_PCT})*@)?(?:[{_IUNRES}{_SUB}]|{_PCT})*(?::[0-9]*)?"
)
_QUERY = f"(?:\\?(?:[{_IUNRES}{_SUB}:@/?]|{_PCT})*)?"
_FRAGMENT = f"(?:#(?:[{_IUNRES}{_SUB}:@/?]|{_PCT})*)?"
_IRI_30 = (
    f"(?:[a-zA-Z][a-zA-Z0-9+\\-.]*:(?://{_AUTHORITY}(?:/{_ISEG_ANY})?|/(?:{_IPCHAR}{_ISEG_ANY})?"
    f"|{_IPCHAR}{_ISEG_ANY}|)"
    f"|//{_AUTHORITY}(?:/{_ISEG_ANY})?|/(?:{_IPCHAR}{_ISEG_ANY})?"
    f"|(?:[{_IUNRES}{_SUB}@]|{_PCT})+(?:/{_ISEG_ANY})?|){_QUERY}{_FRAGMENT}"
)
#: Characters outside the XML character set (``xs:string`` and AASd-130).
_NOT_XML_ASCII = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]")


@cache
def _not_xml() -> re.Pattern[str]:
    # Compiling the surrogate range costs ~2 ms: only for the first non-ASCII string.
    return re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]")


def _xml_string(value: str) -> bool:
    """Whether every character of ``value`` is allowed in XML 1.0 (``xs:string``)."""
    if value.isascii():
        return _NOT_XML_ASCII.search(value) is None
    return _not_xml().search(value) is None


def _ucschar(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UCS_RANGES)


def _iprivate(char: str) -> bool:
    code = ord(char)
    return 0xE000 <= code <= 0xF8FF or 0xF0000 <= code <= 0xFFFFD or 0x100000 <= code <= 0x10FFFD


def _placeholders(value: str) -> str:
    """``value`` with every non-ASCII IRI character replaced by ``~``; ``""``: not one.

    ``iprivate`` characters are IRI characters only in the query, which runs from the
    first ``?`` to the next ``#`` (neither can occur earlier in an IRI reference).
    """
    question, hash_ = value.find("?"), value.find("#")
    in_query = question != -1 and (hash_ == -1 or question < hash_)
    query_end = (hash_ if hash_ > question else len(value)) if in_query else -1
    out = []
    for i, char in enumerate(value):
        if char.isascii():
            out.append(char)
        elif _ucschar(char) or (in_query and question < i < query_end and _iprivate(char)):
            out.append("~")
        else:
            return ""
    return "".join(out)


def _matcher(pattern: str) -> Callable[[str], bool]:
    """``^(pattern)$`` matched as aas-core matches (``$`` also before a final newline).

    Compiled on first use: a run meets a few value types, not all thirty.
    """
    compiled: list[re.Pattern[str]] = []

    def test(value: str) -> bool:
        if not compiled:
            compiled.append(re.compile(f"^({pattern})$"))
        return compiled[0].match(value) is not None

    return test


def _bounded(pattern: str, low: int, high: int) -> Callable[[str], bool]:
    matches = _matcher(pattern)
    return lambda value: matches(value) and low <= int(value) <= high


def _leap(year: int) -> bool:
    if year < 0:  # 1 BCE is written -0001 (XML Schema 1.0) and is a leap year
        year = -year - 1
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DATE_PREFIX = re.compile(r"^(-?[0-9]+)-([0-9]{2})-([0-9]{2})")


def _valid_date_prefix(value: str) -> bool:
    match = _DATE_PREFIX.match(value)
    if match is None:
        return False
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if year == 0 or day <= 0 or not 1 <= month <= 12:
        return False
    return day <= (29 if _leap(year) else 28) if month == 2 else day <= _DAYS[month]


def _then(first: Callable[[str], bool], second: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda value: first(value) and second(value)


def _finite_unless_literal(value: str) -> bool:
    return not math.isinf(float(value)) or value in ("INF", "-INF")


def _float32(value: str) -> bool:
    try:
        struct.pack(">f", float(value))
    except OverflowError:
        return False
    return True


_date = _matcher(f"{_YEAR}-{_MONTH}-{_DAY}{_TZ}")
_number = _matcher(_NUMBER)

_EXACT: dict[str, Callable[[str], bool]] = {
    "xs:string": _xml_string,
    "xs:boolean": _matcher("true|false|1|0"),
    "xs:decimal": _matcher(r"(\+|-)?([0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)"),
    "xs:integer": _matcher("[-+]?[0-9]+"),
    "xs:long": _bounded("[-+]?0*[0-9]{1,20}", -(2**63), 2**63 - 1),
    "xs:int": _bounded("[-+]?0*[0-9]{1,10}", -(2**31), 2**31 - 1),
    "xs:short": _bounded("[-+]?0*[0-9]{1,5}", -(2**15), 2**15 - 1),
    "xs:byte": _bounded("[-+]?0*[0-9]{1,3}", -128, 127),
    "xs:unsignedLong": _bounded(r"-0|\+?0*[0-9]{1,20}", 0, 2**64 - 1),
    "xs:unsignedInt": _bounded(r"-0|\+?0*[0-9]{1,10}", 0, 2**32 - 1),
    "xs:unsignedShort": _bounded(r"-0|\+?0*[0-9]{1,5}", 0, 2**16 - 1),
    "xs:unsignedByte": _bounded(r"-0|\+?0*[0-9]{1,3}", 0, 255),
    "xs:nonNegativeInteger": _matcher(r"-0|\+?[0-9]+"),
    "xs:positiveInteger": _matcher(r"\+?0*[1-9][0-9]*"),
    "xs:nonPositiveInteger": _matcher(r"\+0|0|-[0-9]+"),
    "xs:negativeInteger": _matcher("-0*[1-9][0-9]*"),
    "xs:double": _then(_number, _finite_unless_literal),
    "xs:float": _then(_then(_number, _finite_unless_literal), _float32),
    "xs:date": _then(_date, _valid_date_prefix),
    "xs:dateTime": _then(
        _matcher(f"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}"),
        lambda v: _valid_date_prefix(v.split("T")[0]),
    ),
    "xs:time": _matcher(_TIME + _TZ),
    "xs:duration": _matcher(_DURATION),
    "xs:gDay": _matcher(f"---{_DAY}{_TZ}"),
    "xs:gMonth": _matcher(f"--{_MONTH}{_TZ}"),
    "xs:gMonthDay": _then(
        _matcher(f"--{_MONTH}-{_DAY}{_TZ}"), lambda v: int(v[5:7]) <= _DAYS[int(v[2:4])]
    ),
    "xs:gYear": _matcher(_YEAR + _TZ),
    "xs:gYearMonth": _matcher(f"{_YEAR}-{_MONTH}{_TZ}"),
    "xs:hexBinary": _matcher("([0-9a-fA-F]{2})*"),
    "xs:base64Binary": _matcher(_BASE64),
}


@cache
def _any_uri(version: AasVersion) -> Callable[[str], bool]:
    if version != "3.0":
        from omp_validators.checks._fast._invariants import in_rfc_2396_subset

        return in_rfc_2396_subset
    compiled = re.compile(_IRI_30)

    def test(value: str) -> bool:
        if not value.isascii():
            value = _placeholders(value)
            if not value:
                return False
        return compiled.fullmatch(value) is not None

    return test


@cache
def _reference(version: AasVersion) -> tuple[Any, Any]:
    core = engine(version)
    return core.verification.value_consistent_with_xsd_type, core.types.DataTypeDefXSD


def quick_verdict(value: str, value_type: str, version: AasVersion) -> bool | None:
    """This module's own verdict: exact for every type but ``xs:anyURI`` (``None``: unsure)."""
    exact = _EXACT.get(value_type)
    if exact is not None:
        try:
            return exact(value)
        except ValueError:  # int() of more than 4,300 digits
            return None
    if value_type == "xs:anyURI" and _any_uri(version)(value):
        return True
    return None


def consistent(value: str, value_type: str, version: AasVersion) -> bool:
    """Whether ``value`` is a valid lexical form of ``value_type``, exactly as aas-core says.

    ``value_type`` must be a valid ``DataTypeDefXsd`` literal (the schema checked it).
    """
    verdict = quick_verdict(value, value_type, version)
    if verdict is not None:
        return verdict
    check, enum = _reference(version)
    return bool(check(value, enum(value_type)))
