#!/usr/bin/env python
"""Generate large, realistic, valid inputs for the benchmarks (deterministic, seeded).

- ``env``: an AAS 3.0 JSON environment with N submodel elements spread over submodels,
  collections, properties of several value types, multi-language properties, ranges,
  references between submodels and concept descriptions.
- ``aasx``: an AASX package holding such an environment plus supplementary files (manuals,
  CAD exports: incompressible bytes) up to a total size, each referenced by a File element.
- ``jsonl``: a stream of value-only style payloads and small AAS submodels, one per line.

Usage::

    python benchmarks/generate.py env --elements 100000 -o /tmp/env-100k.json
    python benchmarks/generate.py aasx --size-mb 1024 -o /tmp/big.aasx
    python benchmarks/generate.py jsonl --records 100000 -o /tmp/stream.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zipfile
from pathlib import Path
from typing import Any

SEED = 20261122
_TYPES = [("xs:int", lambda r: str(r.randint(-10_000, 10_000))),
          ("xs:double", lambda r: f"{r.uniform(-1e6, 1e6):.6g}"),
          ("xs:string", lambda r: f"value-{r.randint(0, 1_000_000)}"),
          ("xs:boolean", lambda r: r.choice(["true", "false"])),
          ("xs:dateTime", lambda r: f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
                                    f"T{r.randint(0, 23):02d}:00:00Z")]


def _ref(kind: str, value: str) -> dict[str, Any]:
    return {"type": "ExternalReference", "keys": [{"type": kind, "value": value}]}


def _element(r: random.Random, i: int) -> dict[str, Any]:
    sem = _ref("GlobalReference", f"urn:example:cd:{i % 500}")
    pick = i % 10
    if pick == 0:
        return {"modelType": "MultiLanguageProperty", "idShort": f"Text{i}", "semanticId": sem,
                "value": [{"language": "en", "text": f"text {i}"},
                          {"language": "de", "text": f"Text {i}"}]}
    if pick == 1:
        low = r.randint(0, 100)
        return {"modelType": "Range", "idShort": f"Range{i}", "semanticId": sem,
                "valueType": "xs:int", "min": str(low), "max": str(low + r.randint(1, 100))}
    value_type, make = _TYPES[i % len(_TYPES)]
    return {"modelType": "Property", "idShort": f"Prop{i}", "semanticId": sem,
            "valueType": value_type, "value": make(r)}


def environment(elements: int, files: list[str] | None = None) -> dict[str, Any]:
    """A valid 3.0 environment with ``elements`` submodel elements (deterministic)."""
    r = random.Random(SEED)
    per_submodel = 5_000
    submodels: list[dict[str, Any]] = []
    for s in range(max(1, (elements + per_submodel - 1) // per_submodel)):
        count = min(per_submodel, elements - s * per_submodel)
        collections = []
        for c in range(0, count, 50):
            collections.append({
                "modelType": "SubmodelElementCollection", "idShort": f"Group{c}",
                "value": [_element(r, s * per_submodel + c + k) for k in range(min(50, count - c))],
            })
        submodels.append({"modelType": "Submodel", "id": f"urn:example:sm:{s}",
                          "idShort": f"Data{s}", "submodelElements": collections})
    if files:
        submodels.append({
            "modelType": "Submodel", "id": "urn:example:sm:documents", "idShort": "Documents",
            "submodelElements": [
                {"modelType": "File", "idShort": f"Doc{k}", "contentType": "application/pdf",
                 "value": path} for k, path in enumerate(files)
            ],
        })
    shell = {"modelType": "AssetAdministrationShell", "id": "urn:example:aas:machine",
             "idShort": "Machine",
             "assetInformation": {"assetKind": "Instance",
                                  "globalAssetId": "urn:example:asset:machine"},
             "submodels": [{"type": "ModelReference",
                            "keys": [{"type": "Submodel", "value": sm["id"]}]}
                           for sm in submodels]}
    concepts = [{"modelType": "ConceptDescription", "id": f"urn:example:cd:{i}",
                 "idShort": f"Concept{i}"} for i in range(500)]
    return {"assetAdministrationShells": [shell], "submodels": submodels,
            "conceptDescriptions": concepts}


def write_aasx(path: Path, size_mb: int, elements: int = 2_000) -> None:
    """An AASX package of about ``size_mb`` MiB: the environment plus incompressible files."""
    chunk = 16 << 20
    count = max(1, (size_mb << 20) // chunk)
    names = [f"/aasx/files/document-{k:04d}.pdf" for k in range(count)]
    spec = json.dumps(environment(elements, names)).encode()
    rels = ('<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">{}</Relationships>')
    r = random.Random(SEED)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"><Default Extension="rels"'
                         ' ContentType="application/vnd.openxmlformats-package.relationships+xml"'
                         '/><Default Extension="json" ContentType="application/json"/>'
                         '<Default Extension="pdf" ContentType="application/pdf"/>'
                         '<Override PartName="/aasx/aasx-origin" ContentType="text/plain"/>'
                         "</Types>")
        archive.writestr("_rels/.rels", rels.format(
            '<Relationship Id="R1" Type="http://admin-shell.io/aasx/relationships/aasx-origin"'
            ' Target="/aasx/aasx-origin"/>'))
        archive.writestr("aasx/aasx-origin", "Intentionally empty.")
        archive.writestr("aasx/_rels/aasx-origin.rels", rels.format(
            '<Relationship Id="R1" Type="http://admin-shell.io/aasx/relationships/aas-spec"'
            ' Target="/aasx/data.json"/>'))
        archive.writestr("aasx/data.json", spec, compress_type=zipfile.ZIP_DEFLATED)
        for name in names:
            with archive.open(name.lstrip("/"), "w", force_zip64=True) as out:
                written = 0
                while written < chunk:
                    block = r.randbytes(1 << 20)
                    out.write(block)
                    written += len(block)


def write_jsonl(path: Path, records: int) -> None:
    """``records`` lines of small AAS submodels (one in 50 invalid, deterministic)."""
    r = random.Random(SEED)
    with path.open("w", encoding="utf-8") as out:
        for i in range(records):
            element = _element(r, i)
            if i % 50 == 3 and element["modelType"] == "Property":
                element["value"] = "not a number" if element["valueType"] != "xs:string" else 7
            doc = {"modelType": "Submodel", "id": f"urn:example:stream:{i}",
                   "idShort": "Reading", "submodelElements": [element]}
            out.write(json.dumps(doc) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    env = sub.add_parser("env")
    env.add_argument("--elements", type=int, default=10_000)
    aasx = sub.add_parser("aasx")
    aasx.add_argument("--size-mb", type=int, default=100)
    jsonl = sub.add_parser("jsonl")
    jsonl.add_argument("--records", type=int, default=10_000)
    for p in (env, aasx, jsonl):
        p.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "env":
        args.output.write_text(json.dumps(environment(args.elements)), encoding="utf-8")
    elif args.what == "aasx":
        write_aasx(args.output, args.size_mb)
    else:
        write_jsonl(args.output, args.records)
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
