"""Open Packaging Conventions: content types, relationships, target resolution.

The XML parts of the package (``[Content_Types].xml`` and the ``.rels`` parts) are parsed
with entities, DTDs and network access off; a document with a ``<!DOCTYPE>`` is refused
before parsing. Relationship targets are resolved as OPC (ECMA-376 Part 2) says: relative
to the folder of the *source part* (``aasx/_rels/aasx-origin.rels`` describes the part
``/aasx/aasx-origin``, so its target ``data.xml`` is ``/aasx/data.xml``), with ``.`` and
``..`` segments removed and percent-escapes decoded.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from lxml import etree

from omp_models.aas._xml import has_doctype
from omp_models.diagnostics import Finding, Rule, Severity, Where

__all__ = [
    "CONTENT_TYPES",
    "RULES",
    "ContentTypes",
    "DocKind",
    "Relationship",
    "RelationshipKind",
    "classify",
    "file_candidates",
    "parse_content_types",
    "parse_relationships",
    "part_kind",
    "rels_part_for",
    "resolve_target",
]

CONTENT_TYPES = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

#: The official relationship types of AASX (IDTA-01005, Part 5) and the thumbnail.
ORIGIN = "http://admin-shell.io/aasx/relationships/aasx-origin"
SPEC = "http://admin-shell.io/aasx/relationships/aas-spec"
SUPPL = "http://admin-shell.io/aasx/relationships/aas-suppl"
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

RelationshipKind = str  # "origin" | "spec" | "suppl" | "thumbnail" | "other"
DocKind = Literal["json", "xml"]

_AASX_KINDS = {"aasx-origin": "origin", "aas-spec": "spec", "aas-suppl": "suppl"}
#: The AASX relationship types in any spelling seen in the wild: ``www.`` (the legacy
#: form of AASX V2), ``https``, another case.
_AASX_TYPE = re.compile(
    r"^https?://(?:www\.)?admin-shell\.io/aasx/relationships/(aasx-origin|aas-spec|aas-suppl)$",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")


def classify(rel_type: str) -> tuple[RelationshipKind, bool]:
    """The kind of a relationship type and whether it is spelled unofficially.

    Args:
        rel_type: The ``Type`` attribute.

    Returns:
        ``(kind, unofficial)``: kind is ``origin``, ``spec``, ``suppl``, ``thumbnail`` or
        ``other``; unofficial is True for the legacy ``www.`` form and other spellings.
    """
    official = {ORIGIN: "origin", SPEC: "spec", SUPPL: "suppl", THUMBNAIL: "thumbnail"}
    if rel_type in official:
        return official[rel_type], False
    match = _AASX_TYPE.match(rel_type.strip())
    if match:
        return _AASX_KINDS[match.group(1).lower()], True
    if rel_type.strip().lower() == THUMBNAIL.lower():
        return "thumbnail", True
    return "other", False


@dataclass(frozen=True, slots=True)
class Relationship:
    """One ``<Relationship>`` of a relationships part.

    Attributes:
        type: The ``Type`` attribute.
        target: The ``Target`` attribute as written.
        external: Whether ``TargetMode`` is ``External``.
        uri: Whether the target is an absolute URI (has a scheme such as ``https:``).
        line: The element's line in the ``.rels`` part.
        path: The element's XML path (``/Relationships/*[2]``).
    """

    type: str
    target: str
    external: bool
    uri: bool
    line: int | None
    path: str


@dataclass(frozen=True, slots=True)
class ContentTypes:
    """The content types of ``[Content_Types].xml`` (matched case-insensitively, as OPC says).

    Attributes:
        defaults: Lower-case extension -> content type.
        overrides: Lower-case part name (with the leading ``/``) -> content type.
    """

    defaults: dict[str, str]
    overrides: dict[str, str]

    def content_type(self, member: str) -> str | None:
        """The content type of the part stored as zip member ``member``."""
        for name in {"/" + member, "/" + unquote(member)}:
            found = self.overrides.get(name.lower())
            if found is not None:
                return found
        last = member.rsplit("/", 1)[-1]
        if "." not in last:
            return None
        return self.defaults.get(last.rsplit(".", 1)[1].lower())


def _parse_xml(data: bytes, where: Where, rule: str, what: str) -> tuple[Any, list[Finding]]:
    """Parse a small XML part safely; a DOCTYPE or a syntax error is a finding."""
    if has_doctype(data):
        return None, [
            where.finding(
                "xml/doctype",
                f"{what} has a <!DOCTYPE> declaration; it was not parsed.",
                line=1,
            )
        ]
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        return None, [
            where.finding(rule, f"{what} is not well-formed XML: {exc.msg}.", line=line,
                          column=column)
        ]
    return root, []


def _elements(root: Any) -> list[tuple[int, Any]]:
    """The element children of ``root`` with their 1-based positions among elements."""
    children = [child for child in root if isinstance(child.tag, str)]
    return list(enumerate(children, start=1))


def parse_content_types(data: bytes, where: Where) -> tuple[ContentTypes | None, list[Finding]]:
    """Parse ``[Content_Types].xml``.

    Args:
        data: Its bytes.
        where: The input file, member ``[Content_Types].xml``.

    Returns:
        The content types (``None`` when unusable) and findings.
    """
    what = CONTENT_TYPES
    root, findings = _parse_xml(data, where, "aasx/content-types", what)
    if root is None:
        return None, findings
    if root.tag != f"{{{CT_NS}}}Types":
        return None, [
            where.finding(
                "aasx/content-types",
                f"The root element of {what} is {root.tag!r}, not Types in the namespace "
                f"{CT_NS}.",
                "/" + etree.QName(root).localname,
                line=root.sourceline,
            )
        ]
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for index, child in _elements(root):
        local = etree.QName(child).localname
        content_type = child.get("ContentType")
        key = child.get("Extension") if local == "Default" else child.get("PartName")
        if child.tag not in (f"{{{CT_NS}}}Default", f"{{{CT_NS}}}Override") or not (
            key and content_type
        ):
            findings.append(
                where.finding(
                    "aasx/content-types",
                    f"Unexpected entry <{local}> in {what}: only Default (Extension, "
                    "ContentType) and Override (PartName, ContentType) are allowed.",
                    f"/Types/*[{index}]",
                    line=child.sourceline,
                )
            )
            continue
        if local == "Default":
            defaults[key.lower()] = content_type
        else:
            overrides[key.lower()] = content_type
    return ContentTypes(defaults, overrides), findings


def parse_relationships(
    data: bytes, where: Where
) -> tuple[list[Relationship] | None, list[Finding]]:
    """Parse a relationships (``.rels``) part.

    Args:
        data: Its bytes.
        where: The input file and the ``.rels`` member.

    Returns:
        The relationships (``None`` when the part is unusable) and findings.
    """
    what = f"The relationships part {where.member}"
    root, findings = _parse_xml(data, where, "aasx/invalid-rels", what)
    if root is None:
        return None, findings
    if root.tag != f"{{{REL_NS}}}Relationships":
        return None, [
            where.finding(
                "aasx/invalid-rels",
                f"The root element of {where.member} is {root.tag!r}, not Relationships in "
                f"the namespace {REL_NS}.",
                "/" + etree.QName(root).localname,
                line=root.sourceline,
            )
        ]
    relationships: list[Relationship] = []
    for index, child in _elements(root):
        path = f"/Relationships/*[{index}]"
        rel_type, target = child.get("Type"), child.get("Target")
        if child.tag != f"{{{REL_NS}}}Relationship" or not rel_type or target is None:
            findings.append(
                where.finding(
                    "aasx/invalid-rels",
                    f"Entry {index} of {where.member} is not a Relationship with a Type and "
                    "a Target.",
                    path,
                    line=child.sourceline,
                )
            )
            continue
        external = (child.get("TargetMode") or "Internal").strip().lower() == "external"
        uri = bool(_SCHEME.match(target.strip()))
        relationships.append(
            Relationship(rel_type, target, external, uri, child.sourceline, path)
        )
    return relationships, findings


def rels_part_for(part: str) -> str:
    """The zip member of the relationships part of a part (``""``: the package).

    ``aasx/aasx-origin`` -> ``aasx/_rels/aasx-origin.rels``; ``""`` -> ``_rels/.rels``.
    """
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def resolve_target(source_part: str, target: str) -> tuple[str, str]:
    """Resolve a relationship target (or a File value) to a zip member name.

    Args:
        source_part: The part the reference is made from, as a member name
            (``""`` for the package root).
        target: The reference: absolute (``/aasx/data.xml``) or relative to the source
            part's folder (``data.xml``, ``../files/x.pdf``).

    Returns:
        ``(decoded, raw)``: the member name with percent-escapes decoded, and as written
        (OPC stores escaped names; many tools store them decoded).
    """
    reference = target.strip().split("#", 1)[0]
    if reference.startswith("/"):
        path = reference
    else:
        folder = source_part.rpartition("/")[0]
        path = f"/{folder}/{reference}" if folder else f"/{reference}"
    raw = _remove_dot_segments(path).lstrip("/")
    return unquote(raw), raw


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 dot-segment removal on an absolute path (``..`` stops at the root)."""
    normal = posixpath.normpath(path)
    # normpath keeps a leading '//' (POSIX); a package path never has one.
    return "/" + normal.lstrip("/") if normal != "." else "/"


def file_candidates(spec_part: str, value: str) -> list[tuple[str, str]] | None:
    """The members a File value may name, as :func:`resolve_target` pairs.

    Args:
        spec_part: The spec part the File element is in.
        value: The File value.

    Returns:
        ``None`` for an absolute URI (``https:``, ``file:``; not a package path), else the
        candidates: an absolute path as is, a relative one against the spec part's folder
        (as OPC resolves references) and against the package root (as many tools write
        them). One letter and a colon is a Windows drive, which names no part.
    """
    value = value.strip()
    if not value or _SCHEME.match(value):
        return None
    if value.startswith("/"):
        return [resolve_target("", value)]
    return [resolve_target(spec_part, value), resolve_target("", "/" + value)]


def part_kind(member: str, content_type: str | None) -> DocKind | None:
    """``json`` or ``xml`` for an AAS spec part, by extension, else by content type."""
    last = member.rsplit("/", 1)[-1].lower()
    media = (content_type or "").lower()
    if last.endswith(".json"):
        return "json"
    if last.endswith(".xml"):
        return "xml"
    if "json" in media:
        return "json"
    return "xml" if "xml" in media else None


def _rule(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "aasx")


E, W = Severity.ERROR, Severity.WARNING
_OPC = "Open Packaging Conventions (ECMA-376 Part 2)"
_PART5 = "AAS Part 5 (IDTA-01005, Package File Format AASX)"

#: The rules of the OPC level.
RULES: tuple[Rule, ...] = (
    _rule("aasx/content-types", "`[Content_Types].xml` is missing or broken", E,
          f"Every package following the {_OPC} has a `[Content_Types].xml` at its root "
          "that gives the content type of every part, as Default (by extension) and "
          "Override (by part name) entries.",
          "Add or repair `[Content_Types].xml`; AASX tools write it when saving."),
    _rule("aasx/missing-content-type", "A part has no content type", W,
          "Neither a Default entry for the part's extension nor an Override entry for its "
          "name gives the part a content type. OPC requires one for every part; strict "
          "readers skip or reject the part.",
          "Add `<Default Extension=\"json\" ContentType=\"application/json\"/>` (or an "
          "Override for the part) to `[Content_Types].xml`."),
    _rule("aasx/missing-rels", "The package relationships part `_rels/.rels` is missing", E,
          f"The package's relationships (`_rels/.rels`) lead to the aasx-origin part and "
          f"from there to the AAS content ({_PART5}). Without them no reader finds the AAS.",
          "Add `_rels/.rels` with an aasx-origin relationship."),
    _rule("aasx/invalid-rels", "A relationships part is broken", E,
          "A `.rels` part is not well-formed XML, has the wrong root element or namespace, "
          "or holds an entry that is not a Relationship with a Type and a Target.",
          "Repair the `.rels` part; the namespace is "
          "`http://schemas.openxmlformats.org/package/2006/relationships`."),
    _rule("aasx/case-mismatch", "A reference matches a part only when case is ignored", W,
          "OPC compares part names case-insensitively, so the reference is valid OPC; but "
          "most zip-based readers look members up exactly and will not find the part.",
          "Write the reference with the same case as the member name."),
    _rule("aasx/missing-thumbnail", "The thumbnail relationship points to nothing", W,
          "The package's thumbnail relationship has a target that is not in the package.",
          "Add the thumbnail image or remove the relationship."),
    _rule("aasx/dangling-relationship", "A relationship points to a part that does not exist",
          W,
          "A relationship of another type (core properties, ...) has a target that is not "
          "in the package.",
          "Add the part or remove the relationship."),
)
