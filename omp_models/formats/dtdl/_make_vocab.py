"""Regenerate ``_vocab.json``: the DTDL vocabulary the parser needs as data.

Not imported at run time. The vocabulary is extracted from the metamodel digest of the
reference DTDL parser (``digitaltwinconsortium/DTDLParser``, MIT licence, file
``dtdl/dtdl_digest.json``), which is the machine-readable form of the DTDL language
specifications (Azure/opendigitaltwins-dtdl, CC-BY-4.0): the term definitions of the
contexts this toolkit supports, the supplemental types (semantic types, units, adjunct
types of the feature extensions) and the standard elements (primitive schemas, geospatial
schemas, units) those contexts define.

Usage::

    python -m omp_models.formats.dtdl._make_vocab PATH/TO/dtdl_digest.json COMMIT

The output is deterministic (sorted keys). ``tests/unit/test_dtdl_vocab.py`` checks it
against the DTDL v3 context and quantitativeTypes files of the shared corpus.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: The contexts this toolkit knows: the two DTDL versions and their feature extensions.
CONTEXTS = (
    "dtmi:dtdl:context;2",
    "dtmi:dtdl:context;3",
    "dtmi:dtdl:extension:quantitativeTypes;1",
    "dtmi:dtdl:extension:historization;1",
    "dtmi:dtdl:extension:annotation;1",
    "dtmi:dtdl:extension:overriding;1",
    "dtmi:dtdl:extension:mqtt;1",
    "dtmi:iotcentral:context;2",
)

#: The DTDL language versions this toolkit parses.
VERSIONS = (2, 3)

_PROP_KEYS = ("typeName", "type", "minCount", "maxCount", "childOf", "pattern",
              "minInclusive", "maxInclusive", "uniqueValue", "plural")


def _element_contexts(element: dict[str, Any]) -> list[str]:
    ctx = element.get("@context")
    return [ctx] if isinstance(ctx, str) else list(ctx or [])


def _classes(digest: dict[str, Any], version: int) -> dict[str, Any]:
    key = str(version)
    out: dict[str, Any] = {}
    for name, info in sorted(digest["materialClasses"].items()):
        if version not in info["dtdlVersions"]:
            continue
        props: dict[str, Any] = {}
        for pname, pinfo in sorted(info["properties"].items()):
            if key not in pinfo:
                continue
            common, specific = pinfo["_"], pinfo[key]
            entry = {k: common[k] for k in ("literal", "plural", "optional", "datatype", "class",
                                             "dtmiSegment", "dictionaryKey", "inherited")
                     if k in common}
            entry.update({k: v for k, v in specific.items()
                          if k not in ("description", "patternDesc", "deprecated", "hidden")})
            props[pname] = entry
        out[name] = {
            "parent": info["parentClass"],
            "abstract": info["abstract"],
            "concrete": info["concreteSubclasses"].get(key, []),
            "extensible": info["extensibleMaterialSubclasses"].get(key, []),
            "rootable": info["rootable"],
            "partition": info["partition"],
            "idRequired": version in info["idRequiredVersions"],
            "idRequiredWhen": info["idRequiredWhen"].get(key, []),
            "typeOptional": version in info["typeOptionalVersions"],
            "properties": props,
        }
    return out


def _version(digest: dict[str, Any], version: int) -> dict[str, Any]:
    key = str(version)
    return {
        "classes": _classes(digest, version),
        "descendantControls": [c for c in digest["descendantControls"]
                               if c["dtdlVersion"] == version],
        "identifierDefinition": digest["identifierDefinition"][key],
        "identifierReference": digest["identifierReference"][key],
        "interfaceIdMaxLength": digest["identifierDefinition"]["Interface"][key]["maxLength"][""],
        "partition": digest["partitions"][key],
        "apocrypha": digest["apocrypha"][key],
        "extensibleMaterialClasses": digest["extensibleMaterialClasses"][key],
        "undefinedExtensionsByDefault":
            version in digest["dtdlVersionsAllowingUndefinedExtensionsByDefault"],
        "restrictKeywords": version in digest["dtdlVersionsRestrictingKeywords"],
    }


def build(digest: dict[str, Any], commit: str) -> dict[str, Any]:
    """The vocabulary document built from the digest."""
    contexts: dict[str, Any] = {}
    for ctx in CONTEXTS:
        entry: dict[str, Any] = {"terms": dict(sorted(digest["contexts"][ctx].items()))}
        reserved = digest["reservedIdPrefixes"].get(ctx)
        if reserved:
            entry["reservedPrefixes"] = reserved
        implicit = digest["affiliateContextsImplicitDtdlVersions"].get(ctx)
        if implicit:
            entry["implicitDtdlVersion"] = implicit
        contexts[ctx] = entry
    types: dict[str, Any] = {}
    for dtmi, info in sorted(digest["supplementalTypes"].items()):
        if info["extensionContext"] not in CONTEXTS:
            continue
        props = {}
        for pid, prop in sorted(info["properties"].items()):
            props[pid] = {"name": prop["propertyName"],
                          **{k: prop[k] for k in _PROP_KEYS if k in prop}}
        entry = {
            "context": info["extensionContext"],
            "kind": info["extensionKind"],
            "abstract": info["abstract"],
            "parent": info["parent"],
            "cotypes": info["cotypes"],
            "cotypeVersions": info["cotypeVersions"],
            "properties": props,
        }
        for key in ("constraints", "cocotypes", "discotypes", "siblings"):
            if info.get(key):
                entry[key] = info[key]
        types[dtmi] = entry
    elements = [e for e in digest["elements"]
                if set(_element_contexts(e)) <= set(CONTEXTS)]
    return {
        "versions": {str(v): _version(digest, v) for v in VERSIONS},
        "source": {
            "repository": "https://github.com/digitaltwinconsortium/DTDLParser",
            "file": "dtdl/dtdl_digest.json",
            "commit": commit,
            "licence": "MIT (code); the DTDL specifications are CC-BY-4.0",
        },
        "contexts": contexts,
        "supplementalTypes": types,
        "standardElements": elements,
        "materialTypeNames": sorted(
            set(digest["materialClasses"])
            | {f"dtmi:dtdl:class:{name};{v}" for name, info in digest["materialClasses"].items()
               for v in info["dtdlVersions"]}),
    }


def main(argv: list[str]) -> int:
    """Write ``_vocab.json`` beside this module."""
    if len(argv) != 2:
        print(__doc__)
        return 2
    digest = json.loads(Path(argv[0]).read_text(encoding="utf-8-sig"))
    out = Path(__file__).with_name("_vocab.json")
    text = json.dumps(build(digest, argv[1]), sort_keys=True, ensure_ascii=False, indent=0,
                      separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
