"""Safe XML reading: no DTDs, no entities, no network.

AAS XML has no DTD; a ``<!DOCTYPE>`` can only serve XXE or entity-expansion attacks, so
documents that declare one are refused before they are parsed. The parser settings are a
second line of defence.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

__all__ = ["has_doctype", "safe_iterparse", "safe_parser"]


_WHITESPACE = re.compile(rb"\s*")


def has_doctype(data: bytes) -> bool:
    """Whether an XML document declares a DOCTYPE (in UTF-8, UTF-16 or Latin-1).

    The prolog (whitespace, processing instructions, comments) is skipped by a linear
    scan: a regular expression with a repeated group of whitespace runs backtracks
    exponentially on a long run of whitespace that is not followed by a DOCTYPE.
    """
    head = data[: 1 << 16]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    pos = 0
    while True:
        blank = _WHITESPACE.match(head, pos)  # \s* always matches, possibly empty
        pos = blank.end() if blank else pos
        if head.startswith(b"<?", pos):
            end = head.find(b"?>", pos + 2)
            close = 2
        elif head.startswith(b"<!--", pos):
            end = head.find(b"-->", pos + 4)
            close = 3
        else:
            return head.startswith(b"<!DOCTYPE", pos)
        if end < 0:
            return False
        pos = end + close


def safe_iterparse(data: bytes) -> Iterator[tuple[str, Any]]:
    """Lxml ``iterparse`` with entities, DTDs and network off (start and end events).

    libxml2's error log is global: it is cleared here so that a syntax error reported
    later names this document's problem, not an earlier one.
    """
    etree.clear_error_log()
    return iter(
        etree.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
            huge_tree=False,
        )
    )


def safe_parser() -> etree.XMLParser:
    """An lxml parser with entity resolution, DTD loading and network access off."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
