"""The fast path's XSD lexical parsers decide exactly as aas-core's patterns do.

The oracle is the regular-expression form of the checks: aas-core's XSD value-type
patterns, matched as aas-core matches them (``re.match(f"^({pattern})$", value)``, so
``$`` also matches before one final newline), followed by the same further checks (bounds
of the integer types, the day exists, ``INF`` only as a literal, the float32 range).
``int()`` of more than 4,300 digits raises ``ValueError``, which makes the quick verdict
``None`` (aas-core decides); the oracle gives ``None`` there too.

Hypothesis compares the parsers with the oracle on strings of an alphabet of the
characters that matter (digits, signs, designators, ``\\n``, non-ASCII digits, base64
padding), each tried as every value type, and, per value type, on strings its pattern
matches (tried as every type) and on edits of them (a character inserted, replaced or
dropped, a newline or a space added). The named corner cases follow.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omp_validators.checks._fast._lexical import quick_verdict

# --- The oracle: aas-core's patterns and further checks.

TZ = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
MONTH = r"(0[1-9]|1[0-2])"
DAY = r"(0[1-9]|[12][0-9]|3[01])"
TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
NUMBER = r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|-?INF|NaN"
DURATION_TIME = (
    r"T(([0-9]+H)([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|([0-9]+M)([0-9]+(\.[0-9]+)?S)?"
    r"|([0-9]+(\.[0-9]+)?S))"
)
DURATION = (
    r"-?P((([0-9]+Y([0-9]+M)?([0-9]+D)?|([0-9]+M)([0-9]+D)?|([0-9]+D))(" + DURATION_TIME
    + r")?)|(" + DURATION_TIME + r"))"
)
B64 = r"[A-Za-z0-9+/]\x20?"
BASE64 = (
    rf"(({B64}{B64}{B64}{B64})*(({B64}{B64}{B64}[A-Za-z0-9+/])"
    rf"|{B64}{B64}[AEIMQUYcgkosw048]\x20?=|{B64}[AQgw]\x20?= ?=))?"
)

DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def leap(year: int) -> bool:
    if year < 0:  # 1 BCE is written -0001 (XML Schema 1.0) and is a leap year
        year = -year - 1
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def valid_date_prefix(value: str) -> bool:
    match = re.match(r"^(-?[0-9]+)-([0-9]{2})-([0-9]{2})", value)
    if match is None:
        return False
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if year == 0 or day <= 0 or not 1 <= month <= 12:
        return False
    return day <= (29 if leap(year) else 28) if month == 2 else day <= DAYS[month]


def finite_unless_literal(value: str) -> bool:
    return not math.isinf(float(value)) or value in ("INF", "-INF")


def float32(value: str) -> bool:
    try:
        struct.pack(">f", float(value))
    except OverflowError:
        return False
    return True


def within(low: int, high: int) -> Callable[[str], bool]:
    return lambda value: low <= int(value) <= high


def always(value: str) -> bool:
    return True


#: value type -> (aas-core's pattern, the further check of a value the pattern matches)
ORACLE: dict[str, tuple[str, Callable[[str], bool]]] = {
    "xs:boolean": ("true|false|1|0", always),
    "xs:decimal": (r"(\+|-)?([0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)", always),
    "xs:integer": ("[-+]?[0-9]+", always),
    "xs:long": ("[-+]?0*[0-9]{1,20}", within(-(2**63), 2**63 - 1)),
    "xs:int": ("[-+]?0*[0-9]{1,10}", within(-(2**31), 2**31 - 1)),
    "xs:short": ("[-+]?0*[0-9]{1,5}", within(-(2**15), 2**15 - 1)),
    "xs:byte": ("[-+]?0*[0-9]{1,3}", within(-128, 127)),
    "xs:unsignedLong": (r"-0|\+?0*[0-9]{1,20}", within(0, 2**64 - 1)),
    "xs:unsignedInt": (r"-0|\+?0*[0-9]{1,10}", within(0, 2**32 - 1)),
    "xs:unsignedShort": (r"-0|\+?0*[0-9]{1,5}", within(0, 2**16 - 1)),
    "xs:unsignedByte": (r"-0|\+?0*[0-9]{1,3}", within(0, 255)),
    "xs:nonNegativeInteger": (r"-0|\+?[0-9]+", always),
    "xs:positiveInteger": (r"\+?0*[1-9][0-9]*", always),
    "xs:nonPositiveInteger": (r"\+0|0|-[0-9]+", always),
    "xs:negativeInteger": ("-0*[1-9][0-9]*", always),
    "xs:double": (NUMBER, finite_unless_literal),
    "xs:float": (NUMBER, lambda v: finite_unless_literal(v) and float32(v)),
    "xs:date": (f"{YEAR}-{MONTH}-{DAY}{TZ}", valid_date_prefix),
    "xs:dateTime": (
        f"{YEAR}-{MONTH}-{DAY}T{TIME}{TZ}",
        lambda v: valid_date_prefix(v.split("T")[0]),
    ),
    "xs:time": (TIME + TZ, always),
    "xs:duration": (DURATION, always),
    "xs:gDay": (f"---{DAY}{TZ}", always),
    "xs:gMonth": (f"--{MONTH}{TZ}", always),
    "xs:gMonthDay": (f"--{MONTH}-{DAY}{TZ}", lambda v: int(v[5:7]) <= DAYS[int(v[2:4])]),
    "xs:gYear": (YEAR + TZ, always),
    "xs:gYearMonth": (f"{YEAR}-{MONTH}{TZ}", always),
    "xs:hexBinary": ("([0-9a-fA-F]{2})*", always),
    "xs:base64Binary": (BASE64, always),
}
TYPES = sorted(ORACLE)


def oracle(value: str, value_type: str) -> bool | None:
    """The regular-expression verdict (``None`` where ``int()`` refuses the digits)."""
    pattern, further = ORACLE[value_type]
    try:
        return re.match(f"^({pattern})$", value) is not None and further(value)
    except ValueError:
        return None


# --- Generated strings.

ALPHABET = "0123456789+-.:TZPYMDHSWeEINFa \n\t\u0663\u00b2=/AQgbcfw"
#: Strings are drawn in lists of ten (hypothesis's own work is mostly per example):
#: ``max_examples`` lists, so 600 strings per test (a run of 300,000 random and mutated
#: strings against every type found no difference either; this keeps the suite quick).
BATCH = 10
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def same(value: str, value_type: str) -> None:
    assert quick_verdict(value, value_type, "3.0") == oracle(value, value_type), (
        value_type,
        value,
    )


def edits(value: str, at: int, char: str) -> list[str]:
    """``value`` with a trailing newline, two, a space, a character inserted or replaced at
    ``at`` (modulo the length), and with each of its characters dropped in turn."""
    at %= len(value) + 1
    return [
        value + "\n",
        value + "\n\n",
        value + " ",
        value + " \n",
        "\n" + value,
        value[:at] + char + value[at:],
        value[:at] + char + value[at + 1 :],
        *(value[:i] + value[i + 1 :] for i in range(len(value))),
    ]


@SETTINGS
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=BATCH, max_size=BATCH))
def test_any_string_of_the_alphabet(values: list[str]) -> None:
    # 600 strings, each tried as every value type
    for value in values:
        for value_type in TYPES:
            same(value, value_type)


@pytest.mark.parametrize("value_type", TYPES)
def test_strings_the_pattern_matches_and_edits_of_them(value_type: str) -> None:
    # 600 strings per type, each tried as every type, and its edits as this type
    pattern = f"(?:{ORACLE[value_type][0]})"
    edit = st.tuples(
        st.from_regex(pattern, fullmatch=True), st.integers(0, 100), st.sampled_from(ALPHABET)
    )

    @SETTINGS
    @given(st.lists(edit, min_size=BATCH, max_size=BATCH))
    def check(drawn: list[tuple[str, int, str]]) -> None:
        for value, at, char in drawn:
            assert re.fullmatch(pattern, value)
            for other in TYPES:
                same(value, other)
            for edited in edits(value, at, char):
                same(edited, value_type)

    check()


# --- The corner cases named, with the verdict both give.

CASES = [
    # $ before one final newline; [0-9] is ASCII; a sign alone is no number
    ("12\n", "xs:integer", True),
    ("12\n\n", "xs:integer", False),
    ("1\n2", "xs:integer", False),
    ("\n12", "xs:integer", False),
    ("\u0663", "xs:integer", False),
    ("1\u00b2", "xs:decimal", False),
    ("", "xs:integer", False),
    ("+", "xs:integer", False),
    ("-", "xs:nonPositiveInteger", False),
    ("true\n", "xs:boolean", True),
    ("True", "xs:boolean", False),
    ("5.", "xs:decimal", False),
    (".5", "xs:decimal", True),
    ("-.5", "xs:decimal", True),
    ("1.2.3", "xs:decimal", False),
    # 0* before at most 20 digits, then the bounds
    ("-" + "0" * 30 + "9223372036854775808", "xs:long", True),
    ("9223372036854775808", "xs:long", False),
    ("1" * 21, "xs:integer", True),
    ("000", "xs:byte", True),
    ("-0", "xs:unsignedByte", True),
    ("-0\n", "xs:unsignedByte", True),
    ("-00", "xs:unsignedByte", False),
    ("-1", "xs:unsignedByte", False),
    ("+255", "xs:unsignedByte", True),
    ("-0", "xs:nonNegativeInteger", True),
    ("-00", "xs:nonNegativeInteger", False),
    ("+0", "xs:nonPositiveInteger", True),
    ("+00", "xs:nonPositiveInteger", False),
    ("-00", "xs:nonPositiveInteger", True),
    ("000", "xs:positiveInteger", False),
    ("+007", "xs:positiveInteger", True),
    ("-000", "xs:negativeInteger", False),
    # int() refuses more than 4,300 digits: no quick verdict
    ("0" * 5000 + "1", "xs:long", None),
    ("1" * 5000 + "-01-01", "xs:date", None),
    # numbers: INF only as a literal (not "INF\n"), float32 range
    ("INF", "xs:double", True),
    ("INF\n", "xs:double", False),
    ("-INF", "xs:float", True),
    ("+INF", "xs:double", False),
    ("NaN\n", "xs:double", True),
    ("1e999", "xs:double", False),
    ("1.", "xs:double", True),
    (".", "xs:double", False),
    ("1e", "xs:double", False),
    ("1E+5", "xs:double", True),
    ("3.5e38", "xs:float", False),
    ("3.5e38", "xs:double", True),
    # hexBinary: pairs, or nothing
    ("", "xs:hexBinary", True),
    ("\n", "xs:hexBinary", True),
    ("aBc", "xs:hexBinary", False),
    # dates: the day exists, 1 BCE is a leap year, no year 0, years of 5 digits or more
    ("2020-02-29", "xs:date", True),
    ("2019-02-29", "xs:date", False),
    ("-0001-02-29", "xs:date", True),
    ("0000-01-01", "xs:date", False),
    ("-0000-01-01Z", "xs:date", False),
    ("12020-01-31+14:00", "xs:date", True),
    ("02020-01-31", "xs:date", False),
    ("2020-04-31", "xs:date", False),
    ("2020-01-01+14:01", "xs:date", False),
    ("2020-01-01-13:59", "xs:date", True),
    ("0000", "xs:gYear", True),
    ("01234", "xs:gYear", False),
    ("2020-05:00", "xs:gYear", True),
    ("2020-01-05:00", "xs:gYearMonth", True),
    ("2020-01-01T24:00:00.000Z", "xs:dateTime", True),
    ("2019-02-29T00:00:00", "xs:dateTime", False),
    ("2020-01-01T23:59:60", "xs:dateTime", False),
    ("24:00:00.01", "xs:time", False),
    ("23:59:59.", "xs:time", False),
    ("23:59:59.999999Z", "xs:time", True),
    ("---31Z", "xs:gDay", True),
    ("--12\n", "xs:gMonth", True),
    ("--02-29", "xs:gMonthDay", True),
    ("--02-30", "xs:gMonthDay", False),
    # durations: fields in order, at least one, and one after a T
    ("P", "xs:duration", False),
    ("PT", "xs:duration", False),
    ("P1YT", "xs:duration", False),
    ("-P1Y2M3DT4H5M6.7S", "xs:duration", True),
    ("PT1M", "xs:duration", True),
    ("P1M1Y", "xs:duration", False),
    ("P1.5D", "xs:duration", False),
    ("PT1.S", "xs:duration", False),
    ("PT1H1H", "xs:duration", False),
    ("+P1D", "xs:duration", False),
    # base64: quads, single spaces, padding after the character the pattern names
    ("", "xs:base64Binary", True),
    ("AQID", "xs:base64Binary", True),
    ("AQID\n", "xs:base64Binary", True),
    ("AQID ", "xs:base64Binary", False),
    (" AQID", "xs:base64Binary", False),
    ("A Q I D", "xs:base64Binary", True),
    ("A  QID", "xs:base64Binary", False),
    ("AQ==", "xs:base64Binary", True),
    ("AR==", "xs:base64Binary", False),
    ("A Q = =", "xs:base64Binary", True),
    ("AQ  ==", "xs:base64Binary", False),
    ("AQI=", "xs:base64Binary", True),
    ("AQJ=", "xs:base64Binary", False),
    ("AQIDAQ==", "xs:base64Binary", True),
    ("AQIDA===", "xs:base64Binary", False),
    ("=", "xs:base64Binary", False),
]


@pytest.mark.parametrize(("value", "value_type", "verdict"), CASES)
def test_corner_cases(value: str, value_type: str, verdict: bool | None) -> None:
    assert oracle(value, value_type) is verdict
    assert quick_verdict(value, value_type, "3.0") is verdict
    assert quick_verdict(value, value_type, "3.1") is verdict


def test_no_regular_expression_is_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value type but xs:anyURI is decided without ``re`` (ASCII xs:string: a pattern
    compiled at import)."""

    def refuse(*args: object) -> None:
        raise AssertionError(f"regular expression compiled: {args[0]!r}")

    monkeypatch.setattr(re, "_compile", refuse)
    for value_type in [*TYPES, "xs:string"]:
        for value in ("1", "-0", "2020-01-01", "12:00:00Z", "P1D", "AQID", "1.5e3", "x"):
            assert quick_verdict(value, value_type, "3.0") is not None
