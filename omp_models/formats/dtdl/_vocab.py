"""The DTDL metamodel and vocabulary, as data (``_vocab.json``, see ``_make_vocab.py``).

Classes and their properties per language version (2 and 3), the term definitions of the
supported contexts, supplemental types (semantic types, units, extension adjunct types) and
the standard elements (primitive and geospatial schemas, units).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "DTDL_CONTEXT_PREFIX",
    "ClassInfo",
    "PropInfo",
    "SupplementalType",
    "Vocabulary",
    "vocabulary",
]

DTDL_CONTEXT_PREFIX = "dtmi:dtdl:context;"


@dataclass(frozen=True, slots=True)
class PropInfo:
    """One property of a material class in one language version."""

    name: str
    literal: bool
    plural: bool
    optional: bool
    allowed: bool
    datatype: str | None = None
    cls: str | None = None
    min_count: int = 0
    max_count: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    min_inclusive: int | None = None
    max_inclusive: int | None = None
    versions: tuple[int, ...] | None = None
    id_required: bool = False
    type_required: bool = True
    unique_properties: tuple[str, ...] = ()
    dtmi_segment: str | None = None
    dictionary_key: str | None = None
    value_uris: tuple[str, ...] | None = None
    values: tuple[str, ...] | None = None
    default_language: str | None = None
    unique_among: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """A material class in one language version."""

    name: str
    parent: str | None
    abstract: bool
    concrete: tuple[str, ...]
    extensible: tuple[str, ...]
    rootable: bool
    partition: bool
    id_required: bool
    type_optional: bool
    id_required_when: tuple[tuple[str, str], ...]
    properties: dict[str, PropInfo]


@dataclass(frozen=True, slots=True)
class SupplementalType:
    """A supplemental type (semantic type, unit class, extension adjunct type)."""

    id: str
    context: str
    kind: str
    abstract: bool
    parent: str | None
    cotypes: frozenset[str]
    cotype_versions: frozenset[int]
    properties: dict[str, dict[str, Any]]
    constraints: tuple[dict[str, Any], ...] = ()
    cocotypes: tuple[str, ...] = ()
    discotypes: tuple[str, ...] = ()


def _prop(name: str, raw: dict[str, Any]) -> PropInfo:
    max_length = raw.get("maxLength", {}).get("")
    pattern = raw.get("pattern")
    return PropInfo(
        name=name,
        literal=raw["literal"],
        plural=raw["plural"],
        optional=raw["optional"],
        allowed=raw.get("allowed", True),
        datatype=raw.get("datatype"),
        cls=raw.get("class"),
        min_count=raw.get("minCount", 0),
        max_count=raw.get("maxCount"),
        max_length=max_length,
        pattern=re.compile(pattern) if pattern else None,
        min_inclusive=raw.get("minInclusive"),
        max_inclusive=raw.get("maxInclusive"),
        versions=tuple(raw["versions"]) if "versions" in raw else None,
        id_required=raw.get("idRequired", False),
        type_required=raw.get("typeRequired", True),
        unique_properties=tuple(raw.get("uniqueProperties", ())),
        dtmi_segment=raw.get("dtmiSegment"),
        dictionary_key=raw.get("dictionaryKey"),
        value_uris=tuple(raw["valueUris"]) if "valueUris" in raw else None,
        values=tuple(raw["values"]) if "values" in raw else None,
        default_language=raw.get("defaultLanguage"),
        unique_among=tuple((u["class"], u["property"]) for u in raw.get("uniqueAmong", ())),
    )


@dataclass
class VersionInfo:
    """Everything about one DTDL language version."""

    version: int
    classes: dict[str, ClassInfo]
    id_definition: re.Pattern[str]
    id_reference: re.Pattern[str]
    id_max_length: int
    interface_id_max_length: int
    partition_max_bytes: int | None
    descendant_controls: list[dict[str, Any]]
    apocrypha: dict[str, str]
    extensible: frozenset[str]
    undefined_extensions_by_default: bool
    restrict_keywords: bool
    #: property term -> property DTMI, and the reverse
    property_dtmis: dict[str, str] = field(default_factory=dict)

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        """Whether ``cls`` is ``ancestor`` or derives from it."""
        current: str | None = cls
        while current is not None:
            if current == ancestor:
                return True
            info = self.classes.get(current)
            current = info.parent if info else None
        return False

    def concrete(self, cls: str) -> tuple[str, ...]:
        """The concrete classes a value of class ``cls`` may have."""
        info = self.classes.get(cls)
        return info.concrete if info else ()


def _version(number: int, raw: dict[str, Any]) -> VersionInfo:
    classes = {
        name: ClassInfo(
            name=name,
            parent=c["parent"],
            abstract=c["abstract"],
            concrete=tuple(c["concrete"]),
            extensible=tuple(c["extensible"]),
            rootable=c["rootable"],
            partition=c["partition"],
            id_required=c["idRequired"],
            type_optional=c["typeOptional"],
            id_required_when=tuple((w["class"], w["property"]) for w in c["idRequiredWhen"]),
            properties={p: _prop(p, info) for p, info in c["properties"].items()},
        )
        for name, c in raw["classes"].items()
    }
    info = VersionInfo(
        version=number,
        classes=classes,
        id_definition=re.compile(raw["identifierDefinition"]["pattern"]),
        id_reference=re.compile(raw["identifierReference"]["pattern"]),
        id_max_length=raw["identifierDefinition"]["maxLength"][""],
        interface_id_max_length=raw["interfaceIdMaxLength"],
        partition_max_bytes=raw["partition"].get("maxBytes", {}).get(""),
        descendant_controls=raw["descendantControls"],
        apocrypha=raw["apocrypha"],
        extensible=frozenset(raw["extensibleMaterialClasses"]),
        undefined_extensions_by_default=raw["undefinedExtensionsByDefault"],
        restrict_keywords=raw["restrictKeywords"],
    )
    for cls in classes.values():
        for prop in cls.properties.values():
            info.property_dtmis[prop.name] = f"dtmi:dtdl:property:{prop.name};{number}"
    return info


@dataclass
class Vocabulary:
    """The whole vocabulary."""

    versions: dict[int, VersionInfo]
    contexts: dict[str, dict[str, str]]
    reserved_prefixes: dict[str, tuple[str, ...]]
    implicit_versions: dict[str, int]
    supplemental: dict[str, SupplementalType]
    standard_elements: list[Any]
    material_type_names: frozenset[str]
    source: dict[str, str]
    #: DTMI -> term, over every supported context (first definition wins)
    terms_by_dtmi: dict[str, str] = field(default_factory=dict)

    def term_or_uri(self, dtmi: str) -> str:
        """The term that names ``dtmi``, or the DTMI itself."""
        return self.terms_by_dtmi.get(dtmi, dtmi)


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary (loaded once)."""
    raw = json.loads(Path(__file__).with_name("_vocab.json").read_text(encoding="utf-8"))
    supplemental = {
        dtmi: SupplementalType(
            id=dtmi,
            context=t["context"],
            kind=t["kind"],
            abstract=t["abstract"],
            parent=t["parent"],
            cotypes=frozenset(t["cotypes"]),
            cotype_versions=frozenset(t["cotypeVersions"]),
            properties=t["properties"],
            constraints=tuple(t.get("constraints", ())),
            cocotypes=tuple(t.get("cocotypes", ())),
            discotypes=tuple(t.get("discotypes", ())),
        )
        for dtmi, t in raw["supplementalTypes"].items()
    }
    vocab = Vocabulary(
        versions={int(v): _version(int(v), info) for v, info in raw["versions"].items()},
        contexts={ctx: info["terms"] for ctx, info in raw["contexts"].items()},
        reserved_prefixes={ctx: tuple(info.get("reservedPrefixes", ()))
                           for ctx, info in raw["contexts"].items()},
        implicit_versions={ctx: info["implicitDtdlVersion"]
                           for ctx, info in raw["contexts"].items()
                           if "implicitDtdlVersion" in info},
        supplemental=supplemental,
        standard_elements=raw["standardElements"],
        material_type_names=frozenset(raw["materialTypeNames"]),
        source=raw["source"],
    )
    for terms in vocab.contexts.values():
        for term, dtmi in terms.items():
            vocab.terms_by_dtmi.setdefault(dtmi, term)
    return vocab
