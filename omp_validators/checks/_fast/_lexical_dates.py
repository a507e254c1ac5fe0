"""The XSD date, time and duration checks of :mod:`._lexical`, and its string primitives.

Each check accepts exactly the strings that aas-core's ``re.match(f"^({pattern})$", value)``
accepts for the value type, then applies aas-core's further checks (the day exists, 1 BCE
is a leap year). The part of a pattern each function parses is quoted next to it.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["DATE_TIME", "SIGNS", "ascii_digits", "matched_part", "unsigned"]

# --- Building blocks, shared with :mod:`._lexical`.

_DIGITS = "0123456789"
SIGNS = ("+", "-")  # a tuple: ``"" in "+-"`` would be true


def matched_part(value: str) -> str:
    r"""``value`` without one final newline: what a pattern ``P`` must match for ``^(P)$``.

    ``$`` matches at the end and also just before a final ``\n``, and no lexical pattern
    accepts a newline ("12\n" is an ``xs:integer``, "12\n\n" and "1\n2" are not).
    """
    return value[:-1] if value[-1:] == "\n" else value


def ascii_digits(text: str) -> bool:
    """``[0-9]+``: one or more ASCII digits ("²" and "٣" are ``isdigit()`` too, not ASCII)."""
    return text.isascii() and text.isdigit()


def unsigned(text: str, signs: tuple[str, ...] = SIGNS) -> str:
    """``text`` without one leading sign of ``signs`` (``[-+]?``)."""
    return text[1:] if text[:1] in signs else text


# --- The date and time family. A value is read as ASCII bytes and as its shape, the same
# bytes with every digit as ``9``: the fixed parts of a pattern are compared at once
# (``-99-99`` for ``-MM-DD``), then the ranges of the digits as two-byte strings.

_NINES = bytes.maketrans(_DIGITS.encode(), b"9" * 10)
_FIVE = ord("5")


def _shaped(value: str) -> tuple[bytes, bytes]:
    """The matched part of ``value`` as bytes, and its shape (``b""``: not ASCII, no date)."""
    body = matched_part(value)
    if not body.isascii():
        return b"", b""
    text = body.encode()
    return text, text.translate(_NINES)


def _nines_end(shape: bytes, start: int) -> int:
    """Where the run of digits from ``shape[start]`` ends (``start``: no digit there)."""
    return len(shape) - len(shape[start:].lstrip(b"9"))


def _tz(text: bytes, shape: bytes, start: int) -> bool:
    # (Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))? from start to the end: none, Z, or an
    # offset up to 14:00
    zone = shape[start:]
    if zone in (b"", b"Z"):
        return True
    if zone not in (b"+99:99", b"-99:99"):
        return False
    offset = text[start + 1 :]
    return (offset[:2] <= b"13" and offset[3] <= _FIVE) or offset == b"14:00"


def _year_end(text: bytes, shape: bytes) -> int:
    """Where the year that starts ``text`` ends; -1: no year there.

    ``-?([1-9][0-9]{3,}|0[0-9]{3})``: four digits or more, no leading zero if more than
    four. A year is never followed by a digit, so it is the whole run of digits.
    """
    start = 1 if shape[:1] == b"-" else 0
    if shape[start : start + 5] == b"9999-":  # the usual four digits, then a minus
        return start + 4
    end = _nines_end(shape, start)
    digits = end - start
    return end if digits == 4 or (digits > 4 and text[start : start + 1] != b"0") else -1


def _date_end(text: bytes, shape: bytes) -> int:
    # year-MM-DD with MM (0[1-9]|1[0-2]) and DD (0[1-9]|[12][0-9]|3[01]); -1: none
    end = _year_end(text, shape)
    valid = (
        end >= 0
        and shape[end : end + 6] == b"-99-99"
        and b"01" <= text[end + 1 : end + 3] <= b"12"
        and b"01" <= text[end + 4 : end + 6] <= b"31"
    )
    return end + 6 if valid else -1


def _time_end(text: bytes, shape: bytes, start: int) -> int:
    r"""Where the time of day at ``text[start]`` ends; -1: no time there.

    ``([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?``: the end of
    the day only with a zero fraction. A time zone never starts with a digit, so the
    fraction is the whole run of digits after the point.
    """
    if shape[start : start + 8] != b"99:99:99":
        return -1
    end = start + 8
    if shape[end : end + 1] == b".":
        end = _nines_end(shape, end + 1)
        if end == start + 9:
            return -1
    hour = text[start : start + 2]
    if hour == b"24":
        valid = text[start : start + 8] == b"24:00:00" and not text[start + 9 : end].strip(b"0")
    else:  # a byte index is an int: the tens of the minutes and of the seconds
        valid = hour <= b"23" and text[start + 3] <= _FIVE and text[start + 6] <= _FIVE
    return end if valid else -1


def _leap(year: int) -> bool:
    if year < 0:  # 1 BCE is written -0001 (XML Schema 1.0) and is a leap year
        year = -year - 1
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_SHORT_MONTHS = (b"04", b"06", b"09", b"11")  # 30 days


def _day_exists(date: bytes) -> bool:
    """Whether the day of a lexically valid ``year-MM-DD`` exists (there is no year 0)."""
    year, month, day = int(date[:-6]), date[-5:-3], date[-2:]
    if year == 0:
        return False
    if day <= b"28":
        return True
    if month == b"02":
        return day == b"29" and _leap(year)
    return day <= b"30" or month not in _SHORT_MONTHS


def _date(value: str) -> bool:
    # year-MM-DD then a time zone; then the day must exist
    text, shape = _shaped(value)
    end = _date_end(text, shape)
    return end >= 0 and _tz(text, shape, end) and _day_exists(text[:end])


def _date_time(value: str) -> bool:
    # year-MM-DD T time of day, then a time zone; then the day must exist
    text, shape = _shaped(value)
    date_end = _date_end(text, shape)
    if date_end < 0 or shape[date_end : date_end + 1] != b"T":
        return False
    end = _time_end(text, shape, date_end + 1)
    return end >= 0 and _tz(text, shape, end) and _day_exists(text[:date_end])


def _time(value: str) -> bool:
    # a time of day then a time zone
    text, shape = _shaped(value)
    end = _time_end(text, shape, 0)
    return end >= 0 and _tz(text, shape, end)


def _g_day(value: str) -> bool:
    # ---DD then a time zone
    text, shape = _shaped(value)
    return shape[:5] == b"---99" and b"01" <= text[3:5] <= b"31" and _tz(text, shape, 5)


def _g_month(value: str) -> bool:
    # --MM then a time zone
    text, shape = _shaped(value)
    return shape[:4] == b"--99" and b"01" <= text[2:4] <= b"12" and _tz(text, shape, 4)


def _g_month_day(value: str) -> bool:
    # --MM-DD then a time zone, the day at most the month's longest (29 February)
    text, shape = _shaped(value)
    return (
        shape[:7] == b"--99-99"
        and b"01" <= text[2:4] <= b"12"
        and b"01" <= text[5:7] <= b"31"
        and _tz(text, shape, 7)
        and int(text[5:7]) <= _DAYS[int(text[2:4])]
    )


def _g_year(value: str) -> bool:
    # a year then a time zone
    text, shape = _shaped(value)
    end = _year_end(text, shape)
    return end >= 0 and _tz(text, shape, end)


def _g_year_month(value: str) -> bool:
    # year-MM then a time zone
    text, shape = _shaped(value)
    end = _year_end(text, shape)
    return (
        end >= 0
        and shape[end : end + 3] == b"-99"
        and b"01" <= text[end + 1 : end + 3] <= b"12"
        and _tz(text, shape, end + 3)
    )


# --- xs:duration.


def _fields(part: str, designators: str) -> bool:
    r"""Number-designator fields of a duration, each designator at most once and in order.

    Each number is ``[0-9]+``; only seconds (``S``) may have a fraction ``\.[0-9]+``. The
    designators are looked for in order: anything left after the last one found (a field
    out of order or repeated, a number without a designator) fails.
    """
    for designator in designators:
        number, found, rest = part.partition(designator)
        if found:
            if designator == "S":
                number, point, fraction = number.partition(".")
                if point and not ascii_digits(fraction):
                    return False
            if not ascii_digits(number):
                return False
            part = rest
    return part == ""


def _duration(value: str) -> bool:
    """``-?PnYnMnDTnHnMnS`` with at least one field, and at least one after a ``T``.

    The pattern: ``-?P`` then a non-empty ordered subset of ``nY nM nD``, then optionally
    ``T`` and a non-empty ordered subset of ``nH nM nS``; or only the ``T`` part.
    """
    body = unsigned(matched_part(value), ("-",))
    if body[:1] != "P":
        return False
    date, separator, time = body[1:].partition("T")
    if separator:
        return _fields(date, "YMD") and time != "" and _fields(time, "HMS")
    return date != "" and _fields(date, "YMD")


#: The check of each date, time and duration value type.
DATE_TIME: dict[str, Callable[[str], bool]] = {
    "xs:date": _date,
    "xs:dateTime": _date_time,
    "xs:time": _time,
    "xs:duration": _duration,
    "xs:gDay": _g_day,
    "xs:gMonth": _g_month,
    "xs:gMonthDay": _g_month_day,
    "xs:gYear": _g_year,
    "xs:gYearMonth": _g_year_month,
}
