"""Builders for the AAS JSON form the MTConnect reader produces, and the reading context.

The reader builds the environment in its (version-neutral) JSON form and hands it to
:func:`omp_models.aas.io.environment_from_jsonable`; these helpers keep that JSON small and
uniform. Source attributes with no AAS home become Extensions named
``src:mtconnect:<attribute>`` (the JSON form of :func:`omp_models.ids.preserve`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from lxml import etree

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.mtconnect._definitions import definition
from omp_models.ids import IdShortAllocator
from omp_models.units import Unit

__all__ = [
    "FORMAT",
    "IEC61360",
    "Concepts",
    "Context",
    "Json",
    "Keys",
    "add_extension",
    "allocate",
    "extension",
    "external_ref",
    "model_ref",
    "prop",
    "smc",
    "source_line",
    "xml_path",
]

#: The format name (Extensions are named ``src:<FORMAT>:<attribute>``).
FORMAT = "mtconnect"
IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"

Json = dict[str, Any]
#: The keys of a ModelReference: (key type, value) pairs.
Keys = list[tuple[str, str]]


def external_ref(value: str) -> Json:
    """An ExternalReference with one GlobalReference key."""
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def model_ref(keys: Keys) -> Json:
    """A ModelReference from (type, value) keys."""
    return {"type": "ModelReference", "keys": [{"type": t, "value": v} for t, v in keys]}


def extension(name: str, value: str) -> Json:
    """A preserved source attribute (``src:mtconnect:<name>``, ``xs:string``)."""
    return {"name": f"src:{FORMAT}:{name}", "valueType": "xs:string", "value": value}


def prop(id_short: str, value_type: str, value: str | None = None,
         semantic_id: str | None = None) -> Json:
    """A Property."""
    out: Json = {"modelType": "Property", "idShort": id_short, "valueType": value_type}
    if semantic_id:
        out["semanticId"] = external_ref(semantic_id)
    if value is not None:
        out["value"] = value
    return out


def smc(id_short: str, semantic_id: str | None = None) -> Json:
    """An empty SubmodelElementCollection (children are appended to ``value``)."""
    out: Json = {"modelType": "SubmodelElementCollection", "idShort": id_short}
    if semantic_id:
        out["semanticId"] = external_ref(semantic_id)
    out["value"] = []
    return out


def add_extension(element: Json, name: str, value: str) -> None:
    """Append an Extension, keeping names unique on the element (AASd-077)."""
    existing = {e["name"] for e in element.get("extensions", [])}
    candidate, n = name, 1
    while f"src:{FORMAT}:{candidate}" in existing:
        n += 1
        candidate = f"{name}.{n}"
    element.setdefault("extensions", []).append(extension(candidate, value))


def source_line(el: etree._Element | None) -> int | None:
    """The 1-based line of an element, if known."""
    return None if el is None else cast("int | None", el.sourceline)


def xml_path(el: etree._Element) -> str:
    """An XPath-like locator of a source element: local names, positions where needed."""
    parts: list[str] = []
    current: etree._Element | None = el
    while current is not None:
        name = etree.QName(current).localname
        parent = current.getparent()
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == current.tag]
            if len(same) > 1:
                name += f"[{same.index(current) + 1}]"
        parts.append(name)
        current = parent
    return "/" + "/".join(reversed(parts))


@dataclass
class _Concept:
    name: str
    unit: Unit | None = None
    unit_text: str | None = None
    data_type: str | None = None
    definition: str | None = None


class Concepts:
    """ConceptDescriptions, one per distinct semanticId (IEC 61360 content)."""

    def __init__(self) -> None:
        self._items: dict[str, _Concept] = {}

    def __contains__(self, semantic_id: str) -> bool:
        return semantic_id in self._items

    def note(self, semantic_id: str, name: str, *, unit: Unit | None = None,
             unit_text: str | None = None, data_type: str | None = None) -> bool:
        """Record a concept; returns ``False`` when it exists with a different unit."""
        found = self._items.get(semantic_id)
        if found is None:
            self._items[semantic_id] = _Concept(name, unit, unit_text, data_type)
            return True
        if found.unit_text is None and unit_text is not None:
            found.unit, found.unit_text = unit, unit_text
            return True
        return unit_text is None or found.unit_text == unit_text

    def to_json(self) -> list[Json]:
        """The ConceptDescriptions, sorted by id."""
        out: list[Json] = []
        for semantic_id in sorted(self._items):
            concept = self._items[semantic_id]
            content: Json = {
                "modelType": "DataSpecificationIec61360",
                "preferredName": [{"language": "en", "text": concept.name[:255]}],
                "definition": [{"language": "en", "text": definition(semantic_id)}],
            }
            if concept.unit is not None:
                content["unit"] = concept.unit.symbol
                content["unitId"] = external_ref(concept.unit.unece_iri)
            elif concept.unit_text:
                content["unit"] = concept.unit_text
            if concept.data_type and (concept.data_type not in _NEEDS_UNIT or "unit" in content):
                content["dataType"] = concept.data_type
            out.append({
                "modelType": "ConceptDescription",
                "id": semantic_id,
                "idShort": _concept_id_short(semantic_id),
                "embeddedDataSpecifications": [{
                    "dataSpecification": external_ref(IEC61360),
                    "dataSpecificationContent": content,
                }],
            })
        return out


#: IEC 61360 data types that need a unit (AASc-3a-009).
_NEEDS_UNIT = frozenset({"REAL_MEASURE", "INTEGER_MEASURE", "RATIONAL_MEASURE"})


def _concept_id_short(semantic_id: str) -> str:
    from omp_models.ids import sanitize_id_short

    tail = semantic_id.rsplit(":", 3)[-3:]
    return sanitize_id_short("_".join(t for t in tail if t))


@dataclass
class Context:
    """State of one conversion: report, concepts, id index, pending references."""

    source: str
    options: ConvertOptions
    report: ConversionReport
    concepts: Concepts = field(default_factory=Concepts)
    #: MTConnect ``id`` -> ModelReference keys of the element made from it.
    by_id: dict[str, Keys] = field(default_factory=dict)
    #: MTConnect DataItem ``id`` -> the element's JSON (streams fill in values).
    data_items: dict[str, Json] = field(default_factory=dict)
    #: Device ``uuid`` -> AAS id.
    devices: dict[str, str] = field(default_factory=dict)
    #: (JSON object, key, MTConnect idRef, locator) to resolve once every id is known.
    pending: list[tuple[Json, str, str, etree._Element]] = field(default_factory=list)
    #: (shell, device-model submodel) of every device built so far.
    models: list[tuple[Json, Json]] = field(default_factory=list)
    _preserved: Counter[str] = field(default_factory=Counter)
    _preserved_at: dict[str, str] = field(default_factory=dict)

    def issue(self, code: Code, severity: IssueSeverity, message: str,
              el: etree._Element | None = None, *, target: str | None = None,
              original: str | None = None) -> None:
        """Report an issue located at a source element."""
        self.report.add(code, severity, message, source=xml_path(el) if el is not None else None,
                        target=target, original=original, file=self.source,
                        line=source_line(el))

    def preserve(self, element: Json, attr: str, value: str, el: etree._Element) -> None:
        """Keep a source attribute as an Extension; reported once per attribute name."""
        add_extension(element, attr, value)
        self._preserved[attr] += 1
        self._preserved_at.setdefault(attr, xml_path(el))

    def flush_preserved(self) -> None:
        """Add one PRESERVED_AS_EXTENSION entry per preserved attribute name."""
        for attr in sorted(self._preserved):
            count = self._preserved[attr]
            self.report.add(
                Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                f"{count} value(s) of {attr!r} kept as Extension src:{FORMAT}:{attr}",
                source=self._preserved_at[attr], file=self.source)


def allocate(names: IdShortAllocator, ctx: Context, wanted: str, el: etree._Element,
             *, report: bool = True) -> str:
    """A unique idShort among siblings; renames of source names are reported."""
    id_short, renamed = names.allocate(wanted)
    if renamed and report:
        ctx.issue(Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                  f"{wanted!r} is not a valid or unique idShort here; used {id_short!r}", el,
                  target=id_short, original=wanted)
    return id_short
