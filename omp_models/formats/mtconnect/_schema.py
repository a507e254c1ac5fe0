"""Validate MTConnect documents against the bundled MTConnect XSDs (lxml, cached).

Bundled (``_xsd/``, Apache-2.0, from mtconnect/cppagent): Devices and Streams 1.3 and 2.7.
The 1.3 Devices and the 2.7 schemas are XSD 1.1 only in one construct, the extension
wildcard ``<xs:any notNamespace="##targetNamespace">``; it is loaded as its XSD 1.0
equivalent ``namespace="##other"`` (elements of other namespaces, which is what
``notNamespace`` admits apart from unqualified elements), so libxml2 can compile them and
extension elements stay valid. Each schema is compiled once per process.

A document is validated against the schema of its version when it is bundled, otherwise
against the nearest bundled one (versions up to 1.3 against 1.3, later ones against 2.7);
the MTConnect namespace of the document is rewritten to the schema's before validating, so
line numbers stay those of the input.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from lxml import etree

from omp_models.formats.mtconnect._semantics import is_mtconnect_namespace

__all__ = ["SchemaViolation", "schema_for", "validate_document"]

_XSD = Path(__file__).resolve().parent / "_xsd"
_XS = "{http://www.w3.org/2001/XMLSchema}"
_BUNDLED = ("1.3", "2.7")


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """One schema error: message, 1-based line (``None`` if unknown), column."""

    message: str
    line: int | None
    column: int | None


def _parse_version(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    parts = text.strip().split(".")
    try:
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return None


def schema_for(version: str | None) -> str:
    """The bundled schema version a document of ``version`` is validated against."""
    parsed = _parse_version(version)
    if parsed is not None and parsed <= (1, 3):
        return "1.3"
    return "2.7"


@cache
def _schema(kind: str, version: str) -> etree.XMLSchema:
    """The compiled schema (kind ``Devices`` or ``Streams``), built once per process."""
    path = _XSD / f"MTConnect{kind}_{version}.xsd.gz"
    data = gzip.decompress(path.read_bytes())
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    doc = etree.fromstring(data, parser, base_url=str(_XSD / path.stem))
    for wildcard in doc.iter(f"{_XS}any"):
        if wildcard.get("notNamespace") == "##targetNamespace":
            del wildcard.attrib["notNamespace"]
            wildcard.set("namespace", "##other")
    for name in list(doc.attrib):
        if name.startswith("{http://www.w3.org/2007/XMLSchema-versioning}"):
            del doc.attrib[name]
    return etree.XMLSchema(doc)


def validate_document(root: etree._Element, kind: str, version: str | None
                      ) -> tuple[str, list[SchemaViolation]]:
    """Validate a parsed document in place; returns the schema version used and errors.

    The MTConnect elements of the tree are moved into the schema's namespace (the caller
    maps by local names, so this changes nothing for it).
    """
    target = schema_for(version)
    if kind not in ("Devices", "Streams") or target not in _BUNDLED:
        return target, []
    namespace = f"urn:mtconnect.org:MTConnect{kind}:{target}"
    for el in root.iter():
        if isinstance(el.tag, str) and is_mtconnect_namespace(etree.QName(el).namespace):
            el.tag = f"{{{namespace}}}{etree.QName(el).localname}"
    schema = _schema(kind, target)
    if schema.validate(root.getroottree()):
        return target, []
    entries = cast("Iterable[Any]", schema.error_log)
    return target, [
        SchemaViolation(str(entry.message), entry.line or None, entry.column or None)
        for entry in entries
    ]
