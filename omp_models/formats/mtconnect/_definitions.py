"""Definitions of MTConnect types, taken from the documentation in the bundled 2.7 XSD.

IEC 61360 concept descriptions need an English definition (AASc-3a-008). The MTConnect
Devices 2.7 schema documents every DataItem type and subType, composition type and element;
its markup (``{{term(observation)}}``, ``{{block(Component Types::Axis)}}``) is reduced to
plain text. Types the schema does not document (extensions, types retired before 2.7) get a
generated definition that says what they are.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from lxml import etree

from omp_models.formats.mtconnect._semantics import BASE

__all__ = ["definition"]

_XS = "{http://www.w3.org/2001/XMLSchema}"
_SCHEMA = Path(__file__).resolve().parent / "_xsd" / "MTConnectDevices_2.7.xsd.gz"
_MARKUP = re.compile(r"\{\{\s*\w+\(([^)]*)\)\s*\}\}")
_FIGURE = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?")
_LIMIT = 1023  # LangStringDefinitionTypeIec61360


def _clean(text: str) -> str:
    text = _FIGURE.sub("", text)
    text = _MARKUP.sub(lambda m: m.group(1).split("::")[-1], text)
    return " ".join(text.split())


def _doc(el: etree._Element) -> str | None:
    found = el.find(f"{_XS}annotation/{_XS}documentation")
    if found is None or not (found.text or "").strip():
        return None
    return _clean(found.text or "")


@cache
def _index() -> dict[str, dict[str, str]]:
    """Documentation by (table, name): types, subtypes, compositions, elements."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(gzip.decompress(_SCHEMA.read_bytes()), parser)
    tables: dict[str, dict[str, str]] = {"type": {}, "subType": {}, "composition": {},
                                         "element": {}}
    enums = {"DataItemEnumEnum": "type", "DataItemSubEnumEnum": "subType",
             "CompositionEnumTypeEnum": "composition"}
    types: dict[str, str] = {}
    for child in root:
        if child.tag == f"{_XS}simpleType" and child.get("name") in enums:
            table = tables[enums[str(child.get("name"))]]
            for enum in child.iter(f"{_XS}enumeration"):
                text = _doc(enum)
                if text:
                    table[str(enum.get("value"))] = text
        elif child.tag == f"{_XS}complexType" and child.get("name"):
            text = _doc(child)
            if text:
                types[str(child.get("name"))] = text
    top = [c for c in root if c.tag == f"{_XS}element"]
    for child in [*top, *root.iter(f"{_XS}element")]:
        name = child.get("name")
        if not name or name in tables["element"]:
            continue
        text = _doc(child) or types.get(str(child.get("type")))
        if text:
            tables["element"][name] = text
    return tables


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def definition(semantic_id: str) -> str:
    """An English definition for a semanticId of the MTConnect scheme."""
    if not semantic_id.startswith(BASE + ":"):
        return _limit(f"Extension type {semantic_id} (not part of the MTConnect standard).")
    kind, _, rest = semantic_id[len(BASE) + 1:].partition(":")
    tables = _index()
    if kind == "DataItem":
        parts = rest.split(":")
        category, type_ = parts[0], parts[1] if len(parts) > 1 else ""
        text = tables["type"].get(type_)
        out = _sentence(text) if text else f"MTConnect {category} data item of type {type_}."
        if len(parts) > 2:
            sub = tables["subType"].get(parts[2])
            out += f" Sub-type {parts[2]}" + (f": {_sentence(sub)}" if sub else ".")
        return _limit(f"{out} (MTConnect category {category})")
    if kind == "Composition":
        text = tables["composition"].get(rest)
        return _limit(_sentence(text) if text else f"MTConnect composition of type {rest}.")
    if kind in ("Device", "Agent"):
        return _limit(_sentence(tables["element"].get(kind, f"MTConnect {kind}")))
    name, _, attribute = rest.partition("@")
    if attribute:
        return _limit(f"The {attribute} of an MTConnect {name}.")
    text = tables["element"].get(name)
    label = "component" if kind == "Component" else "element"
    return _limit(_sentence(text) if text else f"MTConnect {label} {name}.")


def _limit(text: str) -> str:
    return text if len(text) <= _LIMIT else text[: _LIMIT - 1] + "…"
