"""Build the example AASX packages from ``examples/valid/press-line-3.0.json``.

``examples/valid/press-line-3.0.aasx`` is a correct package;
``examples/invalid/press-line-broken.aasx`` is the same package with its supplementary file
missing and its origin relationship in the legacy ``www.`` spelling (an error and a
warning for ``omp validate``).

The package holds the environment as its AAS spec part (``aasx/press-line-3.0.json``),
extended by a Documentation submodel whose File element points to a supplementary file
in the package (``aasx/files/maintenance-notes.txt``), plus everything AAS Part 5 and the
Open Packaging Conventions ask for: ``[Content_Types].xml``, ``_rels/.rels`` with the
aasx-origin relationship, the origin part and its aas-spec relationship, and the spec
part's aas-suppl relationship. The JSON example itself is not changed.

The output is deterministic: members in sorted order, fixed timestamps and attributes,
fixed compression level (byte-identical for the same zlib).

Run: ``python scripts/make_example_aasx.py`` (``--check`` exits 1 if the file is stale).
"""

from __future__ import annotations

import copy
import json
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "examples" / "valid" / "press-line-3.0.json"
OUT = ROOT / "examples" / "valid" / "press-line-3.0.aasx"
BROKEN = ROOT / "examples" / "invalid" / "press-line-broken.aasx"

SPEC_PART = "aasx/press-line-3.0.json"
NOTES_PART = "aasx/files/maintenance-notes.txt"
DOC_SUBMODEL_ID = "https://example.com/ids/sm/press-line-7/documentation"
TIMESTAMP = (2026, 1, 1, 0, 0, 0)
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
AASX_REL = "http://admin-shell.io/aasx/relationships"

NOTES = """Press line 7 - maintenance notes (example supplementary file)

- Check the hydraulic oil level every 500 operating hours.
- Replace the main filter every 2000 operating hours.
"""


def _environment() -> dict[str, Any]:
    """The JSON example with a Documentation submodel that references the notes file."""
    env: dict[str, Any] = copy.deepcopy(json.loads(SOURCE.read_text(encoding="utf-8")))
    env["assetAdministrationShells"][0]["submodels"].append(
        {
            "type": "ModelReference",
            "keys": [{"type": "Submodel", "value": DOC_SUBMODEL_ID}],
        }
    )
    env["submodels"].append(
        {
            "modelType": "Submodel",
            "id": DOC_SUBMODEL_ID,
            "idShort": "Documentation",
            "kind": "Instance",
            "submodelElements": [
                {
                    "modelType": "File",
                    "idShort": "MaintenanceNotes",
                    "contentType": "text/plain",
                    "value": "/" + NOTES_PART,
                }
            ],
        }
    )
    return env


def _relationships(*entries: tuple[str, str, str]) -> str:
    """A ``.rels`` part with (id, type, target) entries."""
    lines = [
        f'  <Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>'
        for rid, rtype, target in entries
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Relationships xmlns="{RELS_NS}">\n' + "\n".join(lines) + "\n</Relationships>\n"
    )


def _parts(broken: bool = False) -> dict[str, bytes]:
    """Member name -> content (``broken``: no supplementary file, legacy origin URI)."""
    spec_name = SPEC_PART.rsplit("/", 1)[1]
    origin_rel = AASX_REL.replace("://", "://www.") if broken else AASX_REL
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\n'
        '  <Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\n'
        '  <Default Extension="json" ContentType="application/json"/>\n'
        '  <Default Extension="txt" ContentType="text/plain"/>\n'
        '  <Override PartName="/aasx/aasx-origin" ContentType="text/plain"/>\n'
        "</Types>\n"
    )
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": _relationships(("R1", f"{origin_rel}/aasx-origin", "/aasx/aasx-origin")),
        "aasx/aasx-origin": "Intentionally empty.",
        "aasx/_rels/aasx-origin.rels": _relationships(
            ("R1", f"{AASX_REL}/aas-spec", "/" + SPEC_PART)
        ),
        SPEC_PART: json.dumps(_environment(), indent=2, ensure_ascii=False) + "\n",
        f"aasx/_rels/{spec_name}.rels": _relationships(
            ("R1", f"{AASX_REL}/aas-suppl", "/" + NOTES_PART)
        ),
        NOTES_PART: NOTES,
    }
    if broken:
        del parts[NOTES_PART], parts[f"aasx/_rels/{spec_name}.rels"]
    return {name: text.encode("utf-8") for name, text in parts.items()}


def build(broken: bool = False) -> bytes:
    """The package's bytes (deterministic)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in sorted(_parts(broken).items()):
            info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=9)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    """Write the package, or with ``--check`` compare it with the file on disk."""
    stale = 0
    for out, data in ((OUT, build()), (BROKEN, build(broken=True))):
        if "--check" in argv:
            if not out.exists() or out.read_bytes() != data:
                print(f"{out.relative_to(ROOT)} is stale; run scripts/make_example_aasx.py")
                stale = 1
            continue
        out.write_bytes(data)
        print(f"wrote {out.relative_to(ROOT)} ({len(data)} bytes)")
    return stale


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
