"""Write AASX packages deterministically (same content, same bytes).

The layout follows AAS Part 5 and the Open Packaging Conventions: ``[Content_Types].xml``,
``_rels/.rels`` -> ``/aasx/aasx-origin`` -> the spec part ``/aasx/<name>`` (aas-spec) ->
supplementary files (aas-suppl). Members are sorted, timestamps fixed.
"""

from __future__ import annotations

import posixpath
import zipfile
from io import BytesIO

__all__ = ["write_package"]

_TIMESTAMP = (2000, 1, 1, 0, 0, 0)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_AASX = "http://admin-shell.io/aasx/relationships"
_RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"


def quoteattr(value: str) -> str:
    """An XML attribute value in double quotes, escaped."""
    escaped = (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
               .replace('"', "&quot;"))
    return f'"{escaped}"'


def _relationships(entries: list[tuple[str, str]]) -> bytes:
    lines = [
        f"  <Relationship Id=\"R{i}\" Type={quoteattr(rtype)} Target={quoteattr(target)}/>"
        for i, (rtype, target) in enumerate(entries, start=1)
    ]
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Relationships xmlns="{_RELS_NS}">\n' + "\n".join(lines) + "\n</Relationships>\n"
    )
    return text.encode("utf-8")


def write_package(
    spec_name: str,
    spec_data: bytes,
    files: dict[str, tuple[bytes, str]] | None = None,
) -> bytes:
    """Build an AASX package.

    Args:
        spec_name: File name of the spec part in ``/aasx/`` (``data.json`` or ``data.xml``).
        spec_data: The spec part's bytes.
        files: Supplementary files: package path (``/aasx/files/manual.pdf``) ->
            (bytes, content type).

    Returns:
        The package's bytes.
    """
    files = files or {}
    spec_member = f"aasx/{spec_name}"
    spec_type = "application/json" if spec_name.endswith(".json") else "application/xml"
    overrides = {"/aasx/aasx-origin": "text/plain", "/" + spec_member: spec_type}
    for path, (_, content_type) in files.items():
        overrides["/" + path.lstrip("/")] = content_type or "application/octet-stream"
    types = "\n".join(
        f"  <Override PartName={quoteattr(name)} ContentType={quoteattr(ctype)}/>"
        for name, ctype in sorted(overrides.items())
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\n'
        f'  <Default Extension="rels" ContentType="{_RELS_TYPE}"/>\n'
        f"{types}\n</Types>\n"
    ).encode()
    members: dict[str, bytes] = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": _relationships([(f"{_AASX}/aasx-origin", "/aasx/aasx-origin")]),
        "aasx/aasx-origin": b"Intentionally empty.",
        "aasx/_rels/aasx-origin.rels": _relationships([(f"{_AASX}/aas-spec", "/" + spec_member)]),
        spec_member: spec_data,
    }
    if files:
        rels_name = f"aasx/_rels/{posixpath.basename(spec_member)}.rels"
        members[rels_name] = _relationships(
            [(f"{_AASX}/aas-suppl", "/" + path.lstrip("/")) for path in sorted(files)]
        )
        for path, (data, _) in files.items():
            members[path.lstrip("/")] = data
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in sorted(members.items()):
            info = zipfile.ZipInfo(name, date_time=_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=9)
    return buffer.getvalue()
