"""Is a value consistent with its XSD value type? The same answer as aas-core, sooner.

aas-core decides this with ``value_consistent_with_xsd_type``; importing its verification
module compiles every XSD regex (about 0.15 s, most of it for ``xs:anyURI``), which is as
much as validating a thousand small files. The lexical spaces below are those of XML
Schema 1.0 Part 2 with the bounds aas-core applies (digit counts of the bounded integers,
value ranges, days per month with 1 BCE as a leap year, ``INF`` only as a literal, float32
range). They are read by small string parsers, not regular expressions: Python's ``re``
compiles in pure Python, and the thirty value-type patterns cost about 6 ms per process.
Each parser accepts exactly what aas-core's ``^(pattern)$`` accepts, including ``re``'s
``$`` before one final newline: ``tests/unit/test_fast_lexical_parsers.py`` compares them
with those patterns on generated strings, and ``tests/unit/test_fast_lexical.py`` compares
the verdicts with aas-core on every value of the test-gen corpora and on mutants of them.

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
from omp_validators.checks._fast._lexical_dates import (
    DATE_TIME,
    SIGNS,
    ascii_digits,
    matched_part,
    unsigned,
)

__all__ = ["consistent", "quick_verdict"]

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


_HEX = "0123456789abcdefABCDEF"
_BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_PLUS = ("+",)

# --- xs:boolean, xs:decimal, the integers, xs:hexBinary, xs:double and xs:float. Each
# reads ``matched_part(value)`` as aas-core's ``^(pattern)$`` reads ``value``; the pattern
# is quoted in the comment or docstring.


def _boolean(value: str) -> bool:
    # true|false|1|0
    return matched_part(value) in ("true", "false", "1", "0")


def _decimal(value: str) -> bool:
    # (\+|-)?([0-9]+\.[0-9]+|\.[0-9]+|[0-9]+): digits, some after the point if there is one
    whole, point, fraction = unsigned(matched_part(value)).partition(".")
    return ascii_digits(whole + fraction) and (fraction != "" or not point)


def _integer(value: str) -> bool:
    # [-+]?[0-9]+
    return ascii_digits(unsigned(matched_part(value)))


def _bounded(width: int, low: int, high: int) -> Callable[[str], bool]:
    r"""A bounded integer type: at most ``width`` digits after the leading zeros, in range.

    Signed types: ``[-+]?0*[0-9]{1,width}``; unsigned ones (``low`` 0):
    ``-0|\+?0*[0-9]{1,width}``. ``0*`` takes leading zeros only, so at most ``width``
    digits are left after them (all zeros: none left). Then ``low <= int(value) <= high``.
    """
    signs = SIGNS if low < 0 else _PLUS

    def test(value: str) -> bool:
        body = matched_part(value)
        digits = unsigned(body, signs)
        lexical = (ascii_digits(digits) and len(digits.lstrip("0")) <= width) or body == "-0"
        return lexical and low <= int(value) <= high

    return test


def _non_negative(value: str) -> bool:
    # -0|\+?[0-9]+
    body = matched_part(value)
    return body == "-0" or ascii_digits(unsigned(body, _PLUS))


def _positive(value: str) -> bool:
    # \+?0*[1-9][0-9]*: digits, not all zeros
    digits = unsigned(matched_part(value), _PLUS)
    return ascii_digits(digits) and digits.lstrip("0") != ""


def _non_positive(value: str) -> bool:
    # \+0|0|-[0-9]+
    body = matched_part(value)
    return body in ("+0", "0") or (body[:1] == "-" and ascii_digits(body[1:]))


def _negative(value: str) -> bool:
    # -0*[1-9][0-9]*: a minus, then digits, not all zeros
    body = matched_part(value)
    return body[:1] == "-" and ascii_digits(body[1:]) and body[1:].lstrip("0") != ""


def _hex_binary(value: str) -> bool:
    # ([0-9a-fA-F]{2})*: pairs of hex digits, or nothing
    body = matched_part(value)
    return len(body) % 2 == 0 and not body.strip(_HEX)


def _number(value: str) -> bool:
    r"""The ``xs:double`` and ``xs:float`` pattern.

    ``(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|-?INF|NaN``: a mantissa with
    digits on either side of an optional point (on one side at least), then an optional
    exponent.
    """
    body = matched_part(value)
    if body in ("INF", "-INF", "NaN"):
        return True
    mantissa, marker, exponent = unsigned(body).replace("E", "e").partition("e")
    whole, _, fraction = mantissa.partition(".")
    return ascii_digits(whole + fraction) and (not marker or ascii_digits(unsigned(exponent)))


def _finite_unless_literal(value: str) -> bool:
    return not math.isinf(float(value)) or value in ("INF", "-INF")


def _float32(value: str) -> bool:
    try:
        struct.pack(">f", float(value))
    except OverflowError:
        return False
    return True


def _double(value: str) -> bool:
    # Only the INF literals may be infinite: not "1e999", nor "INF\n" (not a literal).
    return _number(value) and _finite_unless_literal(value)


def _float(value: str) -> bool:
    # A double within the float32 range.
    return _double(value) and _float32(value)


def _base64_binary(value: str) -> bool:
    r"""Base64 characters in quads, each may be followed by one space; padding at the end.

    With ``_B64 = [A-Za-z0-9+/]\x20?``, the pattern is ``((_B64{4})*(_B64{3}[A-Za-z0-9+/]|``
    ``_B64{2}[AEIMQUYcgkosw048]\x20?=|_B64[AQgw]\x20?= ?=))?``: nothing, or 4k+4
    characters, or 4k+3 and ``=``, or 4k+2 and ``==``, with one of the characters the
    pattern names before the padding. Single spaces between characters and before each
    ``=``.
    """
    body = matched_part(value)
    if not body:
        return True
    padding = 0
    if body[-1] == "=":  # "=" or " =", then maybe "=" or " =" again
        padding, body = 1, body[:-1].removesuffix(" ")
        if body[-1:] == "=":
            padding, body = 2, body[:-1].removesuffix(" ")
    chars = body.replace(" ", "")
    single_spaces = body[:1] != " " and body[-1:] != " " and "  " not in body
    if not chars or not single_spaces or chars.strip(_BASE64_CHARS):
        return False
    if padding == 0:
        return len(chars) % 4 == 0
    if padding == 1:
        return len(chars) % 4 == 3 and chars[-1] in "AEIMQUYcgkosw048"
    return len(chars) % 4 == 2 and chars[-1] in "AQgw"


_EXACT: dict[str, Callable[[str], bool]] = {
    "xs:string": _xml_string,
    "xs:boolean": _boolean,
    "xs:decimal": _decimal,
    "xs:integer": _integer,
    "xs:long": _bounded(20, -(2**63), 2**63 - 1),
    "xs:int": _bounded(10, -(2**31), 2**31 - 1),
    "xs:short": _bounded(5, -(2**15), 2**15 - 1),
    "xs:byte": _bounded(3, -128, 127),
    "xs:unsignedLong": _bounded(20, 0, 2**64 - 1),
    "xs:unsignedInt": _bounded(10, 0, 2**32 - 1),
    "xs:unsignedShort": _bounded(5, 0, 2**16 - 1),
    "xs:unsignedByte": _bounded(3, 0, 255),
    "xs:nonNegativeInteger": _non_negative,
    "xs:positiveInteger": _positive,
    "xs:nonPositiveInteger": _non_positive,
    "xs:negativeInteger": _negative,
    "xs:double": _double,
    "xs:float": _float,
    "xs:hexBinary": _hex_binary,
    "xs:base64Binary": _base64_binary,
    **DATE_TIME,
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
