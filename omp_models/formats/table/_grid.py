"""Tables as text cells with locators, and the CSV side of them.

A :class:`Grid` is what both containers (CSV text, XLSX sheets) become before any AAS
meaning is attached: a header, rows of strings, and for every cell a locator the report
can point at (``#cell=row,col`` of RFC 7111 for CSV, ``Sheet!B7`` for workbooks).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.limits import Limits

__all__ = ["Grid", "Loc", "Row", "TableError", "read_csv", "write_csv"]

#: Delimiters recognised when ``--option delimiter=`` is not given.
_CANDIDATES = (",", ";", "\t", "|")
_NAMED = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}


class TableError(Exception):
    """The container cannot be read as a table (the message says where and why)."""

    def __init__(self, message: str, loc: Loc | None = None) -> None:
        super().__init__(message)
        self.loc = loc


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a cell (or row, or the header) is in the source.

    Attributes:
        source: ``#cell=3,5`` / ``#row=3`` (CSV, RFC 7111) or ``Sheet!E3`` (XLSX).
        line: Physical line (CSV) or sheet row (XLSX).
        column: Sheet column (XLSX) or ``None``.
    """

    source: str
    line: int | None = None
    column: int | None = None


@dataclass(slots=True)
class Row:
    """One data row.

    Attributes:
        number: Record number (CSV, header = 1) or sheet row (XLSX).
        line: Physical line where the record starts (CSV) or sheet row (XLSX).
        cells: The cell texts, as many as the header has columns.
    """

    number: int
    line: int
    cells: list[str]


@dataclass(slots=True)
class Grid:
    """A table read from a CSV file or one workbook sheet.

    Attributes:
        file: The input file.
        sheet: The sheet title (XLSX) or ``None`` (CSV).
        header: The column names, stripped.
        header_row: The header's record number / sheet row.
        header_line: The header's physical line.
        rows: The data rows (empty rows left out).
    """

    file: str
    sheet: str | None
    header: list[str]
    header_row: int = 1
    header_line: int = 1
    rows: list[Row] = field(default_factory=list)

    def loc(self, row: Row | None, column: int | None = None) -> Loc:
        """The locator of a cell (``column`` 0-based), a whole row, or the header."""
        number = row.number if row is not None else self.header_row
        line = row.line if row is not None else self.header_line
        if self.sheet is not None:
            if column is None:
                return Loc(f"{_quote_sheet(self.sheet)}!{number}:{number}", number, None)
            return Loc(f"{_quote_sheet(self.sheet)}!{column_letter(column)}{number}", number,
                       column + 1)
        if column is None:
            return Loc(f"#row={number}", line, None)
        return Loc(f"#cell={number},{column + 1}", line, None)

    def add(self, report: ConversionReport, code: Code, severity: IssueSeverity, message: str,
            loc: Loc, *, target: str | None = None, original: str | None = None) -> None:
        """Add a report entry located at ``loc`` in this table."""
        report.add(code, severity, message, source=loc.source, target=target,
                   original=original, file=self.file, line=loc.line, column=loc.column)


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index (0 -> A, 27 -> AB)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _quote_sheet(title: str) -> str:
    if title.replace("_", "").isalnum():
        return title
    return "'" + title.replace("'", "''") + "'"


def _delimiter(text: str, option: str | None) -> str:
    if option:
        value = _NAMED.get(option.lower(), option)
        if len(value) != 1 or value in "\"\r\n":
            raise TableError(f"--option delimiter={option!r} is not a single character")
        return value
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {c: _count_outside_quotes(first, c) for c in _CANDIDATES}
    best = max(_CANDIDATES, key=lambda c: (counts[c], -_CANDIDATES.index(c)))
    return best if counts[best] else ","


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(
            f"the file is not {encoding} text (byte {exc.start}); give its encoding with "
            "--option encoding=NAME (e.g. cp1252)", Loc(f"#row={line}", line)) from exc
    except LookupError as exc:
        raise TableError(f"unknown encoding {encoding!r}") from exc
    return text.removeprefix("\ufeff")


def read_csv(data: bytes, file: str, extra: dict[str, str], limits: Limits) -> Grid:
    """Parse CSV bytes into a :class:`Grid`.

    The header is the first non-empty record; the delimiter is ``--option delimiter=``
    or the most frequent of ``, ; TAB |`` in the header line.

    Raises:
        TableError: Too large, not decodable, malformed (unbalanced quotes, NUL bytes,
            rows with a different number of fields than the header), or empty.
    """
    if len(data) > limits.max_file_size:
        raise TableError(f"the file is larger than {limits.max_file_size} bytes")
    text = _decode(data, extra.get("encoding") or "utf-8")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableError("the file contains a NUL character (is it a CSV file?)",
                         Loc(f"#row={line}", line))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(
        text, extra.get("delimiter")), quotechar='"', doublequote=True, strict=True)
    grid: Grid | None = None
    number = 0
    last_line = 0
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not record or all(not c.strip() for c in record):
                continue
            number += 1
            if grid is None:
                grid = Grid(file, None, [c.strip() for c in record], number, start)
                continue
            grid.rows.append(Row(number, start, _fit(record, grid, number, start)))
    except csv.Error as exc:
        line = reader.line_num or 1
        raise TableError(f"malformed CSV: {exc}", Loc(f"#row={number + 1}", line)) from exc
    if grid is None:
        raise TableError("the file has no header row (it is empty)")
    return grid


def _fit(record: list[str], grid: Grid, number: int, line: int) -> list[str]:
    width = len(grid.header)
    if len(record) > width and not any(c.strip() for c in record[width:]):
        record = record[:width]
    if len(record) != width:
        raise TableError(
            f"the row has {len(record)} fields but the header has {width} (a missing or "
            "extra delimiter, or an unquoted delimiter inside a value?)",
            Loc(f"#row={number}", line))
    return record


def write_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """RFC 4180 CSV: comma, double quotes where needed, CRLF line ends, UTF-8, no BOM."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
