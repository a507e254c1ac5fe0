"""The OEM payload a mapping reads: JSON, JSON Lines or CSV, with locators back into it.

JSON Lines and CSV become a JSON array (one item per line / row; a CSV row is an object
of column name -> cell text, empty cells left out), so the same selectors work on all
three. Every value found can be located: a JSON Pointer plus line and column (JSON), the
line (JSON Lines), or ``#cell=row,col`` (CSV, RFC 7111).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import orjson

from omp_models.limits import Limits
from omp_models.locate import JsonLocator, pointer_from_tokens

__all__ = ["Payload", "PayloadError", "read_payload"]

Token = str | int


class PayloadError(Exception):
    """The payload cannot be read (the message says where)."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.column = column


@dataclass
class Payload:
    """A parsed payload.

    Attributes:
        kind: ``json``, ``jsonl`` or ``csv``.
        root: The value selectors start from.
        data: The raw bytes (JSON: to compute positions on demand).
        lines: JSON Lines: the line number and text of each record.
        rows: CSV: ``(record number, line)`` of each row.
        header: CSV: the column names.
    """

    kind: str
    root: Any
    data: bytes = b""
    lines: list[tuple[int, bytes]] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    _locator: JsonLocator | None = None

    def locate(self, tokens: tuple[Token, ...]) -> tuple[str, int | None, int | None]:
        """``(source locator, line, column)`` of the value at ``tokens``."""
        pointer = pointer_from_tokens(tokens)
        if self.kind == "json":
            if self._locator is None:
                self._locator = JsonLocator(self.data)
            found = self._locator.locate(pointer)
            return pointer, (found.line if found else None), (found.column if found else None)
        if not tokens or not isinstance(tokens[0], int):
            return pointer, None, None
        index = tokens[0]
        if self.kind == "jsonl" and index < len(self.lines):
            line, text = self.lines[index]
            found = JsonLocator(text).locate(pointer_from_tokens(tokens[1:]))
            return pointer, line, (found.column if found else None)
        if self.kind == "csv" and index < len(self.rows):
            number, line = self.rows[index]
            if len(tokens) > 1 and tokens[1] in self.header:
                return f"#cell={number},{self.header.index(str(tokens[1])) + 1}", line, None
            return f"#row={number}", line, None
        return pointer, None, None


def read_payload(data: bytes, kind: str, options: dict[str, Any], limits: Limits) -> Payload:
    """Parse the payload.

    Raises:
        PayloadError: Too large, not decodable or not well-formed (located).
    """
    if len(data) > limits.max_file_size:
        raise PayloadError(f"the payload is larger than {limits.max_file_size} bytes")
    if kind == "json":
        return Payload("json", _json(data), data)
    text = _decode(data, options.get("encoding") or "utf-8")
    if kind == "jsonl":
        payload = Payload("jsonl", [])
        for number, raw in enumerate(text.encode("utf-8").split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                payload.root.append(orjson.loads(raw))
            except orjson.JSONDecodeError as exc:
                raise PayloadError(f"line {number} is not JSON: {exc.msg}", f"#line={number}",
                                   number, exc.colno) from exc
            payload.lines.append((number, raw))
        return payload
    return _csv(text, options.get("delimiter"))


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PayloadError(f"the payload is not {encoding} text (byte {exc.start}); set "
                           "source.encoding in the mapping", None, line) from exc
    except LookupError as exc:
        raise PayloadError(f"unknown encoding {encoding!r}") from exc


def _json(data: bytes) -> Any:
    try:
        return orjson.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    except orjson.JSONDecodeError as exc:
        raise PayloadError(f"not JSON: {exc.msg}", None, exc.lineno, exc.colno) from exc


def _csv(text: str, delimiter: str | None) -> Payload:
    if "\x00" in text:
        raise PayloadError("the payload contains a NUL character (is it CSV?)")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not delimiter:
        delimiter = max((",", ";", "\t", "|"), key=lambda c: (first.count(c), c == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    payload = Payload("csv", [])
    number, last = 0, 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in record):
                continue
            number += 1
            if not payload.header:
                payload.header = [c.strip() for c in record]
                if len(set(payload.header)) != len(payload.header) or "" in payload.header:
                    raise PayloadError("the header has an empty or repeated column name",
                                       "#row=1", start)
                continue
            if len(record) != len(payload.header):
                raise PayloadError(f"the row has {len(record)} fields but the header has "
                                   f"{len(payload.header)}", f"#row={number}", start)
            payload.root.append({k: v for k, v in zip(payload.header, record, strict=True)
                                 if v.strip()})
            payload.rows.append((number, start))
    except csv.Error as exc:
        raise PayloadError(f"malformed CSV: {exc}", f"#row={number + 1}",
                           reader.line_num) from exc
    if not payload.header:
        raise PayloadError("the payload is empty (no header row)")
    return payload
