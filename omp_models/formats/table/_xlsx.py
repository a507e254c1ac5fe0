"""Excel workbooks (XLSX) as tables: read safely, write byte-for-byte reproducibly.

An XLSX file is a zip archive of XML parts, so it is treated as hostile before openpyxl
sees it: member count, per-member and total size, compression ratio, member names and
compression methods are checked against :class:`~omp_models.limits.Limits` while every
member is read (bounded), XML parts with a DOCTYPE are refused, and openpyxl then reads
an uncompressed copy of exactly the bytes that passed. Writing fixes what openpyxl would
take from the clock (the core properties' dates, the zip entries' timestamps).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from omp_models.aas._xml import has_doctype
from omp_models.aas.package._zip import (
    ZIP_ERRORS,
    declared_entry_count,
    read_bounded,
    unsafe_name_reason,
)
from omp_models.formats.table._grid import Grid, Loc, Row, TableError, column_letter
from omp_models.limits import Limits

__all__ = ["read_xlsx", "sheet_titles", "write_xlsx"]

#: The timestamp written into the workbook (core properties and zip entries).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _safe_copy(data: bytes, file: str, limits: Limits) -> bytes:
    """An uncompressed copy of the archive with every member checked and bounded."""
    declared = declared_entry_count(data)
    if declared is not None and declared > limits.max_members:
        raise TableError(f"the workbook has {declared} zip members; the limit is "
                         f"{limits.max_members}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as exc:
        raise TableError(f"not an XLSX workbook (not a readable zip archive: {exc})") from exc
    if len(infos) > limits.max_members:
        raise TableError(f"the workbook has {len(infos)} zip members; the limit is "
                         f"{limits.max_members}")
    out = io.BytesIO()
    total = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in infos:
            if info.is_dir():
                continue
            name = info.filename
            reason = unsafe_name_reason(name)
            if reason is not None:
                raise TableError(f"the zip member {name!r} {reason}")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise TableError(f"the zip member {name!r} uses compression method "
                                 f"{info.compress_type} (only stored and deflate are read)")
            left = limits.max_total_size - total
            try:
                with archive.open(info) as stream:
                    body, hit = read_bounded(stream, min(limits.max_member_size, left),
                                             info.compress_size, limits.max_ratio)
            except ZIP_ERRORS as exc:
                raise TableError(f"the zip member {name!r} cannot be read: {exc}") from exc
            if body is None:
                what = ("decompresses more than the allowed ratio (a zip bomb?)"
                        if hit == "ratio" else "is larger than the limits allow")
                raise TableError(f"the zip member {name!r} {what}")
            total += len(body)
            if name.lower().endswith((".xml", ".rels", ".vml")) and has_doctype(body):
                raise TableError(f"the zip member {name!r} declares a DOCTYPE (refused)")
            copy.writestr(name, body)
    return out.getvalue()


def _text(value: Any) -> str:
    """A cell value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes, file: str, limits: Limits) -> list[Grid]:
    """Every non-empty worksheet of a workbook as a :class:`Grid` (cached formula values).

    Raises:
        TableError: The file is not a safe, readable workbook.
    """
    if len(data) > limits.max_file_size:
        raise TableError(f"the file is larger than {limits.max_file_size} bytes")
    safe = _safe_copy(data, file, limits)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(safe), read_only=True, data_only=True,
                                          keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on broken parts; all mean the same
        raise TableError(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}") from exc
    grids: list[Grid] = []
    try:
        for sheet in workbook.worksheets:
            grid = _sheet(sheet, file)
            if grid is not None:
                grids.append(grid)
    except TableError:
        raise
    except Exception as exc:  # a broken sheet part surfaces while iterating
        raise TableError(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}") from exc
    finally:
        workbook.close()
    if not grids:
        raise TableError("the workbook has no sheet with a header row")
    return grids


def _sheet(sheet: Any, file: str) -> Grid | None:
    title = str(sheet.title)
    grid: Grid | None = None
    width = 0
    # Read-only sheets yield every row from row 1 (missing rows as empty ones).
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = [_text(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        if grid is None:
            width = max(i for i, c in enumerate(cells) if c.strip()) + 1
            grid = Grid(file, title, [c.strip() for c in cells[:width]], number, number)
            continue
        extra = [i for i, c in enumerate(cells[width:], start=width) if c.strip()]
        if extra:
            raise TableError(
                f"the cell {column_letter(extra[0])}{number} has a value but its column has "
                "no name in the header row", Loc(f"{title}!{column_letter(extra[0])}{number}",
                                                 number, extra[0] + 1))
        cells = (cells + [""] * width)[:width]
        grid.rows.append(Row(number, number, cells))
    return grid


def sheet_titles(names: Sequence[str]) -> list[str]:
    """Valid, unique worksheet titles (at most 31 characters) for the given names."""
    out: list[str] = []
    used: set[str] = set()
    for name in names:
        base = _BAD_TITLE.sub("_", name).strip("'") or "Sheet"
        base = base[:31]
        title, n = base, 1
        while title.casefold() in used:
            n += 1
            suffix = f"_{n}"
            title = base[: 31 - len(suffix)] + suffix
        used.add(title.casefold())
        out.append(title)
    return out


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]]]]) -> bytes:
    """A workbook with one sheet per ``(title, header, rows)``; every cell is text.

    The same input gives the same bytes: the creation and modification dates are fixed,
    as are the zip entries' timestamps and order. Text that starts with ``=`` stays text
    (it is never written as a formula).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "omp-toolkit"
    workbook.properties.created = FIXED_TIME
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        for values in (header, *rows):
            cells: list[Any] = []
            for value in values:
                if not value:
                    cells.append(None)
                    continue
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible(buffer.getvalue())


_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def _reproducible(data: bytes) -> bytes:
    """The same archive with fixed dates in the core properties and in the zip entries."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, body, compresslevel=6)
    return out.getvalue()
