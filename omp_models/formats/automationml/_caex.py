"""CAEX documents (IEC 62424, versions 2.15 and 3.0): safe parsing, version, schema check.

The CAEX schemas are bundled (``_xsd/``, MIT, AutomationML e.V.) and compiled once per
process. CAEX 2.15 documents have no namespace; 3.0 documents use
``http://www.dke.de/CAEX``. Elements are addressed by local name, so the same code reads
both versions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from lxml import etree

from omp_models.aas._xml import has_doctype, safe_parser

__all__ = [
    "CAEX_NS",
    "ParseError",
    "Violation",
    "caex_version",
    "kids",
    "line_of",
    "local",
    "parse_caex",
    "text_of",
    "validate_bytes",
    "validate_caex",
    "xml_path",
]

CAEX_NS = "http://www.dke.de/CAEX"
_XSD = Path(__file__).resolve().parent / "_xsd"
_SCHEMAS = {"2.15": "CAEX_ClassModel_V2.15.xsd", "3.0": "CAEX_ClassModel_V.3.0.xsd"}


@dataclass(frozen=True, slots=True)
class ParseError:
    """Why a document could not be read, and where (1-based line and column)."""

    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """One schema violation."""

    message: str
    line: int | None
    column: int | None


def line_of(el: etree._Element | None) -> int | None:
    """The 1-based line of an element, if known."""
    return None if el is None else cast("int | None", el.sourceline)


def local(el: etree._Element) -> str:
    """The local name of an element."""
    return etree.QName(el).localname


def kids(el: etree._Element, name: str | None = None) -> Iterator[etree._Element]:
    """Child elements (only those called ``name`` when given)."""
    for child in el:
        if isinstance(child.tag, str) and (name is None or local(child) == name):
            yield child


def text_of(el: etree._Element, name: str) -> str | None:
    """The text of the first child called ``name`` (``""`` when empty, ``None`` if absent)."""
    for child in kids(el, name):
        return child.text or ""
    return None


def xml_path(el: etree._Element) -> str:
    """A readable locator: local names, with ``[@Name='...']`` where the element has one."""
    parts: list[str] = []
    current: etree._Element | None = el
    while current is not None:
        step = local(current)
        if current.get("Name") is not None:
            step += f"[@Name={current.get('Name')!r}]"
        parts.append(step)
        current = current.getparent()
    return "/" + "/".join(reversed(parts))


def parse_caex(data: bytes) -> tuple[etree._Element | None, ParseError | None]:
    """Parse a CAEX document safely (no DOCTYPE, entities or network)."""
    if has_doctype(data):
        return None, ParseError("the document has a <!DOCTYPE> declaration (refused)", 1)
    root: etree._Element
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        return None, ParseError(f"not well-formed XML: {exc.msg}", line or None,
                                column or None)
    if local(root) != "CAEXFile":
        return None, ParseError(f"<{local(root)}> is not a CAEX document (CAEXFile)",
                                line_of(root))
    return root, None


def caex_version(root: etree._Element) -> str:
    """``3.0`` or ``2.15`` (from the namespace, then ``SchemaVersion``)."""
    if etree.QName(root).namespace == CAEX_NS:
        return "3.0"
    return "3.0" if (root.get("SchemaVersion") or "").startswith("3") else "2.15"


@cache
def _schema(version: str) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(_XSD / _SCHEMAS[version]), parser))


def validate_caex(root: etree._Element, version: str) -> list[Violation]:
    """Schema violations of a document against the CAEX schema of its version."""
    schema = _schema(version)
    if schema.validate(root.getroottree()):
        return []
    entries = cast("Iterable[Any]", schema.error_log)
    return [Violation(str(e.message), e.line or None, e.column or None) for e in entries]


def validate_bytes(data: bytes) -> list[Violation]:
    """Parse and validate (used for written documents)."""
    root, error = parse_caex(data)
    if root is None:
        assert error is not None
        return [Violation(error.message, error.line, error.column)]
    return validate_caex(root, caex_version(root))
