"""Shared pieces of the OPC UA reader and writer: names, tables, small builders.

The reader builds the AAS JSON form directly (plain dicts and lists, the keys of each
object in the order aas-core writes them); the builders of its small parts are here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._ir import escape_uri
from omp_models.formats.opcua._space import ns0

__all__ = [
    "AAS_EXT_NS",
    "CARDINALITY_OF_RULE",
    "CARDINALITY_SEMANTIC_ID",
    "DI_URI",
    "FMT",
    "GENERIC_TYPES",
    "MACHINERY_URI",
    "NAMEPLATE",
    "NAMEPLATE_SUBMODEL",
    "RULE_OF_CARDINALITY",
    "Json",
    "Tally",
    "ext_ref",
    "has_aas_extensions",
    "keep",
    "lang_map",
    "lang_name",
    "lang_strings",
    "lang_text",
    "norm_lang",
    "qualified_text",
    "qualifier",
]

#: An object of the AAS JSON form.
Json = dict[str, Any]

#: The format name (also the Extension prefix ``src:opcua-nodeset:``).
FMT = "opcua-nodeset"
#: XML namespace of the AAS attributes the writer keeps in node ``<Extensions>``.
AAS_EXT_NS = "urn:omp-toolkit:opcua-nodeset:aas:1"

DI_URI = "http://opcfoundation.org/UA/DI/"
MACHINERY_URI = "http://opcfoundation.org/UA/Machinery/"

#: The semanticId IDTA templates give the SMT/Cardinality qualifier.
CARDINALITY_SEMANTIC_ID = "https://admin-shell.io/SubmodelTemplates/Cardinality/1/0"

#: ModellingRule -> SMT cardinality.
CARDINALITY_OF_RULE: dict[str, str] = {
    ns0(78): "One",          # Mandatory
    ns0(79): "One",          # MandatoryShared (deprecated)
    ns0(80): "ZeroToOne",    # Optional
    ns0(11508): "ZeroToMany",  # OptionalPlaceholder
    ns0(11510): "OneToMany",   # MandatoryPlaceholder
    ns0(83): "ZeroToMany",   # ExposesItsArray
}
#: SMT cardinality -> ModellingRule (namespace 0 number).
RULE_OF_CARDINALITY: dict[str, int] = {
    "One": 78, "ZeroToOne": 80, "ZeroToMany": 11508, "OneToMany": 11510,
}

#: Type definitions that say nothing about an element's meaning.
GENERIC_TYPES = frozenset({ns0(58), ns0(61), ns0(62), ns0(63), ns0(68)})

#: The Digital Nameplate (IDTA 02006-3-0) submodel semanticId.
NAMEPLATE_SUBMODEL = "https://admin-shell.io/idta/nameplate/3/0/Nameplate"
#: DI / Machinery nameplate BrowseNames -> Digital Nameplate 3.0 semanticIds (the IRDIs
#: of the IDTA 02006-3-0 template; ProductCode follows the PADIM companion's IRDI).
NAMEPLATE: dict[tuple[str, str], str] = {
    (DI_URI, "Manufacturer"): "0112/2///61987#ABA565#009",
    (DI_URI, "Model"): "0112/2///61987#ABA567#009",
    (DI_URI, "ProductInstanceUri"): "0112/2///61987#ABN590#002",
    (DI_URI, "SerialNumber"): "0112/2///61987#ABA951#009",
    (DI_URI, "HardwareRevision"): "0112/2///61987#ABA926#008",
    (DI_URI, "SoftwareRevision"): "0112/2///61987#ABA601#008",
    (DI_URI, "ProductCode"): "0112/2///61987#ABA300#008",
    (MACHINERY_URI, "YearOfConstruction"): "0112/2///61987#ABP000#002",
}

_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
MAX_NAME_TEXT = 128
MAX_TEXT = 1023


def has_aas_extensions(data: bytes) -> bool:
    """Whether a NodeSet carries AAS extension blobs (was written by this converter)."""
    return AAS_EXT_NS.encode() in data


def ext_ref(value: str) -> Json:
    """An ExternalReference with one GlobalReference key (JSON form).

    One object per value is shared by every element that uses it (a conversion makes
    tens of thousands of them): the JSON form is never changed in place once built.
    """
    found = _REFS.get(value)
    if found is None:
        found = {"type": "ExternalReference", "keys": [{"type": "GlobalReference",
                                                        "value": value}]}
        if len(_REFS) > 200_000:
            _REFS.clear()
        _REFS[value] = found
    return found


_REFS: dict[str, Json] = {}


def keep(extensions: list[Json], fmt: str, attribute: str, value: str) -> None:
    """Keep ``attribute=value`` of a source element as an Extension ``src:<fmt>:<attribute>``.

    The JSON form of :func:`omp_models.ids.preserve` (typed ``xs:string``), appended to an
    element's ``extensions`` list.
    """
    extensions.append({"name": f"src:{fmt}:{attribute}", "valueType": "xs:string",
                       "value": value})


def qualifier(kind: str, type_: str, value: str | None, semantic_id: str | None = None) -> Json:
    """A Qualifier of value type ``xs:string`` (``kind``: ``TemplateQualifier``...)."""
    out: Json = {"semanticId": ext_ref(semantic_id)} if semantic_id is not None else {}
    out["kind"] = kind
    out["type"] = type_
    out["valueType"] = "xs:string"
    if value is not None:
        out["value"] = value
    return out


def norm_lang(locale: str) -> str:
    """An OPC UA locale as an AAS language tag (``en`` when empty or malformed)."""
    found = _LANGS.get(locale)
    if found is None:
        tag = locale.strip().replace("_", "-")
        found = tag if tag and _LANG.match(tag) else "en"
        if len(_LANGS) < 10_000:
            _LANGS[locale] = found
    return found


_LANGS: dict[str, str] = {}


def lang_map(entries: Iterable[tuple[str, str]], skip: str | None, limit: int
             ) -> tuple[dict[str, str], bool]:
    """OPC UA (locale, text) entries as language -> text, and whether a text was cut.

    Empty texts and (with ``skip``) a plain copy of the BrowseName are left out; the first
    text per language is kept, cut to ``limit`` characters.
    """
    out: dict[str, str] = {}
    cut = False
    for locale, text in entries:
        if not text or (skip is not None and not locale and text == skip):
            continue
        lang = norm_lang(locale)
        if lang in out:
            continue
        if len(text) > limit:
            text, cut = text[:limit], True
        out[lang] = text
    return out, cut


def lang_name(entries: Iterable[tuple[str, str]], browse_name: str
              ) -> tuple[list[Json] | None, bool]:
    """DisplayName entries as an AAS displayName, and whether a text was cut.

    A plain copy of the BrowseName is left out; an empty locale becomes ``en``; texts are
    cut to the 128 characters AAS allows.
    """
    out, cut = lang_map(entries, browse_name, MAX_NAME_TEXT)
    return lang_strings(out), cut


def lang_text(entries: Iterable[tuple[str, str]]) -> tuple[list[Json] | None, bool]:
    """Description entries as an AAS description, and whether a text was cut."""
    out, cut = lang_map(entries, None, MAX_TEXT)
    return lang_strings(out), cut


def lang_strings(texts: dict[str, str]) -> list[Json] | None:
    """Language -> text as a list of language strings (``None`` when empty)."""
    return [{"language": k, "text": v} for k, v in texts.items()] if texts else None


def qualified_text(uri: str, name: str) -> str:
    """A QualifiedName with its namespace URI: ``nsu=<uri>;<name>``."""
    return f"nsu={escape_uri(uri)};{name}"


class Tally:
    """Report entries that would repeat per node, counted and reported once per kind."""

    def __init__(self) -> None:
        self._items: dict[tuple[Code, IssueSeverity, str], list[Any]] = {}

    def add(self, code: Code, severity: IssueSeverity, what: str, source: str | None,
            line: int | None = None) -> None:
        """Count one occurrence (the first one's location is kept)."""
        entry = self._items.get((code, severity, what))
        if entry is None:
            self._items[(code, severity, what)] = [1, source, line]
        else:
            entry[0] += 1

    def flush(self, report: ConversionReport, file: str | None) -> None:
        """Append one entry per kind: ``<what> (<n> nodes, first: <source>)``."""
        for (code, severity, what), (count, source, line) in self._items.items():
            plural = "node" if count == 1 else "nodes"
            report.add(code, severity, f"{what} ({count} {plural})", source=source,
                       file=file, line=line)
        self._items.clear()
