"""Turn a JSON Pointer or an XML path into a line and a column.

Positions are computed only for files that have findings and only for the reported paths:
the JSON locator walks the text along the pointer and skips sibling values with the C
scanner of the standard library, so it never builds a position map of the whole document.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple, cast

if TYPE_CHECKING:
    from lxml import etree



__all__ = [
    "JsonLocator",
    "Position",
    "XmlLocator",
    "escape_pointer_token",
    "pointer_from_tokens",
    "split_pointer",
]

_WS = re.compile(r"[ \t\n\r]*")
#: An object member's key without escapes, the colon and the blanks around it.
_KEY = re.compile(r'"([^"\\]*)"[ \t\n\r]*:[ \t\n\r]*')
#: The blanks after a value, its comma and the blanks after that.
_SEP = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")
#: Positions found by scanning the text before a table of line starts pays off.
_SCAN_LOOKUPS = 32
_HERE = object()  # trie key: a pointer ends at this node
_Trie = dict[object, object]
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


def escape_pointer_token(token: str | int) -> str:
    """Escape one RFC 6901 reference token."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_from_tokens(tokens: Iterable[str | int]) -> str:
    """Build an RFC 6901 JSON Pointer from tokens (``""`` for the whole document)."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    """Split an RFC 6901 JSON Pointer into unescaped tokens."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


class Position(NamedTuple):
    """A 1-based line and column; ``exact`` is False when only an ancestor was found."""

    line: int
    column: int
    exact: bool


class JsonLocator:
    """Locate JSON Pointers in one JSON text.

    Args:
        data: The document's bytes (UTF-8, optionally with a BOM).
    """

    def __init__(self, data: bytes) -> None:
        text = data.decode("utf-8", errors="replace")
        self._offset = 1 if text.startswith("\ufeff") else 0
        self._text = text
        self._newlines: list[int] | None = None
        self._lookups = 0

    def _line_col(self, pos: int) -> tuple[int, int]:
        text = self._text
        if self._newlines is None and self._lookups < _SCAN_LOOKUPS:
            # str.count/rfind run in C: cheaper than a table of line starts for the few
            # positions most files with findings ask for.
            self._lookups += 1
            line = text.count("\n", 0, pos) + 1
            line_start = text.rfind("\n", 0, pos) + 1
        else:
            if self._newlines is None:
                self._newlines = [m.start() for m in re.finditer("\n", text)]
            line = bisect.bisect_left(self._newlines, pos) + 1
            line_start = self._newlines[line - 2] + 1 if line > 1 else 0
        col = pos - line_start + 1
        if line == 1:
            col -= self._offset
        return line, col

    def locate(self, pointer: str) -> Position | None:
        """Position of the value at ``pointer`` (or of its deepest existing ancestor)."""
        return self.locate_many([pointer]).get(pointer)

    def locate_many(self, pointers: Iterable[str]) -> dict[str, Position]:
        """Positions of many pointers in one pass over the text.

        Only the containers on the way to a requested value are scanned; everything else
        is skipped by the C scanner. A pointer that does not exist gets the position of its
        deepest existing ancestor, with ``exact=False``.
        """
        trie: _Trie = {}
        for pointer in pointers:
            node = trie
            for token in split_pointer(pointer):
                node = node.setdefault(token, {})  # type: ignore[assignment]
            node[_HERE] = pointer
        out: dict[str, Position] = {}
        text = self._text
        try:
            start = _WS.match(text, self._offset).end()  # type: ignore[union-attr]
            self._visit(text, start, trie, out)
        except (ValueError, IndexError, RecursionError):
            pass  # invalid or too deep past some point: keep what was found
        return out

    def _record(self, node: _Trie, pos: int, exact: bool, out: dict[str, Position]) -> None:
        line, col = self._line_col(pos)
        stack = [node]
        while stack:
            current = stack.pop()
            for key, child in current.items():
                if key is _HERE:
                    out.setdefault(str(child), Position(line, col, exact))
                else:
                    stack.append(child)  # type: ignore[arg-type]

    def _visit(self, text: str, pos: int, node: _Trie, out: dict[str, Position]) -> int:
        """Record the pointers of ``node`` for the value at ``pos``; return its end."""
        here = node.get(_HERE)
        if here is not None:
            out[str(here)] = Position(*self._line_col(pos), True)
        children = {k: v for k, v in node.items() if k is not _HERE}
        opener = text[pos]
        if not children or opener not in "{[":
            if children:
                for child in children.values():
                    self._record(child, pos, False, out)  # type: ignore[arg-type]
            return int(_DECODER.raw_decode(text, pos)[1])
        found: set[str] = set()
        value_pos = pos
        closer = "}" if opener == "{" else "]"
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        index = 0
        while text[pos] != closer:
            if opener == "{":
                simple = _KEY.match(text, pos)
                if simple is not None:  # no escapes: one regex for key, ':' and blanks
                    key, pos = simple.group(1), simple.end()
                else:
                    key, pos = _scanstring(text, pos + 1)
                    pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
                    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]  # ':'
            else:
                key = str(index)
                index += 1
            child = children.get(key)
            if child is not None:
                found.add(key)
                end = self._visit(text, pos, child, out)  # type: ignore[arg-type]
            else:
                end = int(_DECODER.raw_decode(text, pos)[1])
            pos = _SEP.match(text, end).end()  # type: ignore[union-attr]
        for key, child in children.items():
            if key not in found:
                self._record(child, value_pos, False, out)  # type: ignore[arg-type]
        return pos + 1

_STEP = re.compile(r"^\*\[(\d+)\]$")


class XmlLocator:
    """Locate XPath-like paths (``/environment/submodels/*[1]/idShort``) in one XML text.

    The document is parsed once, safely (no entities, no network), when first needed.

    Args:
        data: The document's bytes.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._root: etree._Element | None = None
        self._lines: list[bytes] | None = None

    def _get_root(self) -> etree._Element | None:
        if self._root is None:
            from lxml import etree

            from omp_models.aas._xml import safe_parser

            parser = safe_parser()
            try:
                self._root = etree.fromstring(self._data, parser)
            except etree.XMLSyntaxError:
                return None
        return self._root

    def element(self, path: str) -> tuple[etree._Element | None, bool]:
        """The element at ``path`` (or its deepest existing ancestor) and whether exact."""
        from lxml import etree

        root = self._get_root()
        if root is None:
            return None, False
        steps = [s for s in path.split("/") if s]
        if not steps or etree.QName(root).localname != steps[0]:
            return root, not steps
        current = root
        for step in steps[1:]:
            children = [c for c in current if isinstance(c.tag, str)]
            match = _STEP.match(step)
            nxt: etree._Element | None = None
            if match:
                index = int(match.group(1)) - 1
                if 0 <= index < len(children):
                    nxt = children[index]
            else:
                nxt = next((c for c in children if etree.QName(c).localname == step), None)
            if nxt is None:
                return current, False
            current = nxt
        return current, True

    def locate_many(self, paths: Iterable[str]) -> dict[str, Position]:
        """Positions of many paths (the document is parsed once)."""
        out: dict[str, Position] = {}
        for path in paths:
            position = self.locate(path)
            if position is not None:
                out[path] = position
        return out

    def locate(self, path: str) -> Position | None:
        """Position of the start tag of the element at ``path``."""
        elem, exact = self.element(path)
        if elem is None or elem.sourceline is None:
            return None
        line = cast(int, elem.sourceline)
        return Position(line, self._column(line, elem), exact)

    def _column(self, line: int, elem: etree._Element) -> int:
        if self._lines is None:
            self._lines = self._data.split(b"\n")
        if line - 1 >= len(self._lines):
            return 1
        text = self._lines[line - 1]
        from lxml import etree

        qname = etree.QName(elem)
        prefix = elem.prefix
        needle = f"<{prefix}:{qname.localname}" if prefix else f"<{qname.localname}"
        idx = text.find(needle.encode("utf-8"))
        if idx < 0:
            return 1
        return len(text[:idx].decode("utf-8", errors="replace")) + 1


def xml_path(steps: Sequence[str]) -> str:
    """Join XML path steps into ``/a/b/*[1]`` form."""
    return "/" + "/".join(steps)
