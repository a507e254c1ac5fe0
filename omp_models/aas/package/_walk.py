"""Walk an AASX package: zip -> OPC relationships -> aasx-origin -> aas-spec parts.

``walk_package`` opens the package under the limits, checks ``[Content_Types].xml`` and
the relationships (package -> aasx-origin -> aas-spec -> aas-suppl, plus the thumbnail),
hands every AAS spec part to a callback (the validator checks it; a converter reads it)
and checks that the files named by File elements of the parts are in the package. Every
problem is a finding located at a zip member; nothing is raised on bad data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from omp_models.aas._paths import Token, xml_path_from_tokens
from omp_models.aas.package import _opc, _zip
from omp_models.aas.package._opc import (
    CONTENT_TYPES,
    ContentTypes,
    DocKind,
    Relationship,
    classify,
    file_candidates,
    parse_content_types,
    parse_relationships,
    part_kind,
    rels_part_for,
    resolve_target,
)
from omp_models.aas.package._zip import PackageSource, ZipPackage, open_package
from omp_models.diagnostics import Finding, Location, Rule, Severity, Where
from omp_models.limits import Limits
from omp_models.locate import JsonLocator, XmlLocator, pointer_from_tokens

__all__ = ["RULES", "OnSpecPart", "walk_package"]

E, W = Severity.ERROR, Severity.WARNING
_PART5 = "AAS Part 5 (IDTA-01005, Package File Format AASX)"

#: Called for every AAS spec part: ``(member, kind, data)``; returns the part's environment
#: in JSON form (to check its File elements), or ``None``.
OnSpecPart = Callable[[str, DocKind, bytes], "dict[str, Any] | None"]


def _rule(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "aasx")


#: The rules of the AASX level (Part 5).
RULES: tuple[Rule, ...] = (
    # --- AASX (Part 5) ------------------------------------------------------------------
    _rule("aasx/missing-origin", "The package has no aasx-origin relationship", W,
          f"{_PART5}: `_rels/.rels` has a relationship of type "
          "`http://admin-shell.io/aasx/relationships/aasx-origin` to the origin part, whose "
          "relationships lead to the AAS spec parts. Without it the package carries no AAS "
          "that a reader can find. Such a package is well-formed, hence a warning.",
          "Add the aasx-origin relationship to `_rels/.rels` (target e.g. `/aasx/aasx-origin`)."),
    _rule("aasx/multiple-origins", "The package has more than one aasx-origin relationship", E,
          f"{_PART5} allows exactly one origin; readers pick one of several arbitrarily.",
          "Keep one aasx-origin relationship."),
    _rule("aasx/legacy-relationship-uri", "A relationship type uses a legacy or "
          "unofficial URI", W,
          "The official AASX relationship types are "
          "`http://admin-shell.io/aasx/relationships/aasx-origin`, `.../aas-spec` and "
          "`.../aas-suppl`. The `http://www.admin-shell.io/...` form (AASX V2) and other "
          "spellings are accepted here, but not by every reader.",
          "Write the official URI, e.g. `http://admin-shell.io/aasx/relationships/aas-spec`."),
    _rule("aasx/missing-part", "A relationship points to a part that does not exist", E,
          "The target of an aasx-origin, aas-spec or aas-suppl relationship is not in the "
          "package. Targets are resolved as OPC says: relative to the folder of the part "
          "the relationship belongs to (`data.xml` in `aasx/_rels/aasx-origin.rels` is "
          "`/aasx/data.xml`), or absolute when they start with `/`.",
          "Correct the Target or add the part; mind the folder a relative target is "
          "resolved against."),
    _rule("aasx/external-target", "An aasx-origin or aas-spec relationship points outside "
          "the package", W,
          f"{_PART5}: the origin and the AAS spec parts are parts of the package, so their "
          "relationships have `TargetMode=\"Internal\"` (the default). A target with "
          "`TargetMode=\"External\"` is, by the OPC, a URI outside the package. Some "
          "writers (e.g. Eclipse AAS4J) set it on package paths such as `/aasx/aasx-origin`; "
          "most readers ignore it, so such a target is followed inside the package and "
          "checked. A target with a URI scheme (`https://...`) cannot be checked.",
          "Remove `TargetMode=\"External\"` from the relationship."),
    _rule("aasx/no-spec", "The package has no AAS spec part", W,
          "The origin part has no aas-spec relationship (or no relationships part), so the "
          "package carries no AAS environment. That is well-formed but almost certainly "
          "not intended.",
          "Add an aas-spec relationship from the origin part "
          "(`aasx/_rels/aasx-origin.rels`) to the AAS JSON or XML part."),
    _rule("aasx/recursive-relationship", "An aas-spec relationship points to the origin or "
          "repeats", W,
          "An aas-spec relationship targets the origin part itself, or a spec part that "
          "was already listed; it is not followed again.",
          "Remove the relationship."),
    _rule("aasx/unknown-part-type", "An AAS spec part is neither JSON nor XML", E,
          "AAS spec parts must be JSON (`.json`) or XML (`.xml`); the part's extension "
          "and content type say neither, so its content cannot be checked.",
          "Store the environment as `.json` or `.xml`, or give the part the content type "
          "`application/json` or `application/xml`."),
    _rule("aasx/missing-supplementary-file", "A File element points to a file that is not "
          "in the package", E,
          "The value of a File element is a path inside the package (e.g. "
          "`/aasx/files/manual.pdf`), but no such part exists. Absolute URLs "
          "(`https://...`) are not checked.",
          "Add the file to the package (with an aas-suppl relationship from the spec "
          "part), or correct the path."),
)

#: Rule id -> default severity.

_SEVERITY: dict[str, Severity] = {
    r.id: r.severity for r in (*_zip.RULES, *_opc.RULES, *RULES)
}

_KIND_RULES = {
    "origin": "aasx/missing-part",
    "spec": "aasx/missing-part",
    "suppl": "aasx/missing-part",
    "thumbnail": "aasx/missing-thumbnail",
    "other": "aasx/dangling-relationship",
}
_KIND_NAMES = {
    "origin": "aasx-origin",
    "spec": "aas-spec",
    "suppl": "aas-suppl",
    "thumbnail": "thumbnail",
    "other": "",
}



def walk_package(
    data: PackageSource, where: Where, limits: Limits, on_spec: OnSpecPart
) -> list[Finding]:
    """Walk an AASX package and return the packaging findings.

    Args:
        data: The package's bytes, or a seekable binary file (streamed).
        where: The input file.
        limits: Bounds for the zip reading.
        on_spec: Called for every AAS spec part (see :data:`OnSpecPart`).

    Returns:
        The findings of the zip, OPC and AASX levels (the callback reports its own).
    """
    package, findings = open_package(data, where, limits)
    if package is not None:
        _PackageCheck(package, on_spec).run()
    return findings


class _PackageCheck:
    """One pass over an opened package; findings go to ``package.findings``."""

    def __init__(self, package: ZipPackage, on_spec: OnSpecPart) -> None:
        self.pkg = package
        self.file = package.where.file
        self.on_spec = on_spec
        self.findings = package.findings
        self.content_types: ContentTypes | None = None
        self.content_types_member: str | None = None

    # --- helpers ----------------------------------------------------------------------

    def add(
        self,
        rule: str,
        message: str,
        member: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        """Add a finding with the rule's default severity and hint."""
        self.findings.append(
            Finding(
                rule=rule,
                severity=_SEVERITY.get(rule, Severity.ERROR),
                message=message,
                location=Location(self.file, member, path, line),
            )
        )

    def at_rel(self, rule: str, message: str, rels_member: str, rel: Relationship) -> None:
        """Add a finding located at a relationship of a ``.rels`` part."""
        self.add(rule, message, rels_member, rel.path, rel.line)

    def target(self, rel: Relationship, source: str, rels_member: str, kind: str) -> str | None:
        """The member a relationship points to, or ``None`` (with a finding if missing)."""
        name, raw = resolve_target(source, rel.target)
        exact, other = self.pkg.find(name, raw)
        if exact is not None:
            return exact
        label = f"{_KIND_NAMES[kind]} relationship" if _KIND_NAMES[kind] else "relationship"
        shown = repr(rel.target) if rel.target == f"/{name}" else f"{rel.target!r} (/{name})"
        if other is not None:
            self.at_rel(
                "aasx/case-mismatch",
                f"The {label} target {shown} matches the member {other!r} only when case "
                "is ignored.",
                rels_member,
                rel,
            )
            return other
        self.at_rel(
            _KIND_RULES[kind],
            f"The {label} target {shown} is not in the package.",
            rels_member,
            rel,
        )
        return None

    def relationships(self, part: str) -> tuple[list[Relationship] | None, str | None]:
        """The relationships of a part (``""``: the package) and their ``.rels`` member.

        Returns ``(None, None)`` when the part has no relationships part, ``(None, member)``
        when it has one that cannot be used (already a finding).
        """
        wanted = rels_part_for(part)
        exact, other = self.pkg.lookup(wanted)
        member = exact or other
        if member is None:
            return None, None
        if exact is None:
            self.add(
                "aasx/case-mismatch",
                f"The relationships part of /{part} is stored as {member!r}, which matches "
                f"{wanted!r} only when case is ignored.",
                member,
            )
        data = self.pkg.read(member)
        if data is None:
            return None, member
        rels, problems = parse_relationships(data, Where(self.file, member))
        self.findings.extend(problems)
        return rels, member

    def other_relationship(
        self, rel: Relationship, source: str, rels_member: str, kind: str
    ) -> None:
        """Check that an internal relationship we do not follow has a target."""
        if not (rel.external or rel.uri):
            self.target(rel, source, rels_member, kind)

    def internal(self, rel: Relationship, rels_member: str, kind: str) -> bool:
        """Whether an aasx-origin or aas-spec relationship can be followed in the package."""
        label = _KIND_NAMES[kind]
        if rel.uri:
            self.at_rel("aasx/external-target",
                        f"The {label} target {rel.target!r} is outside the package; it "
                        "cannot be checked.", rels_member, rel)
            return False
        if rel.external:
            self.at_rel("aasx/external-target",
                        f"The {label} relationship has TargetMode=\"External\", so OPC "
                        f"readers look for {rel.target!r} outside the package; it was "
                        "followed inside the package.", rels_member, rel)
        return True

    def legacy(self, rel: Relationship, rels_member: str, kind: str, unofficial: bool) -> None:
        """Warn about an unofficial spelling of an AASX relationship type."""
        if unofficial:
            official = f"http://admin-shell.io/aasx/relationships/{_KIND_NAMES[kind]}"
            if kind == "thumbnail":
                official = "the OPC thumbnail type"
            self.at_rel(
                "aasx/legacy-relationship-uri",
                f"The relationship type {rel.type!r} is a legacy or unofficial spelling of "
                f"{official}; it was accepted.",
                rels_member,
                rel,
            )

    # --- the walk ---------------------------------------------------------------------

    def run(self) -> None:
        """Check content types, relationships, spec parts and supplementary files."""
        self.check_content_types()
        rels, rels_member = self.relationships("")
        if rels_member is None:
            self.add(
                "aasx/missing-rels",
                "The package has no relationships part _rels/.rels, so it has no "
                "aasx-origin and no AAS content can be found.",
            )
        if rels is not None and rels_member is not None:
            origins: list[Relationship] = []
            for rel in rels:
                kind, unofficial = classify(rel.type)
                self.legacy(rel, rels_member, kind, unofficial)
                if kind == "origin":
                    origins.append(rel)
                else:
                    self.other_relationship(rel, "", rels_member, kind)
            if not origins:
                self.add(
                    "aasx/missing-origin",
                    "_rels/.rels has no aasx-origin relationship, so the package carries "
                    "no AAS content that a reader can find.",
                    rels_member,
                )
            for extra in origins[1:]:
                self.at_rel(
                    "aasx/multiple-origins",
                    f"A further aasx-origin relationship (to {extra.target!r}); only one "
                    "is allowed.",
                    rels_member,
                    extra,
                )
            for origin in origins:
                self.check_origin(origin, rels_member)
        self.check_part_content_types()

    def check_origin(self, rel: Relationship, rels_member: str) -> None:
        """Follow an aasx-origin relationship to its aas-spec relationships."""
        if not self.internal(rel, rels_member, "origin"):
            return
        found = self.target(rel, "", rels_member, "origin")
        # A missing origin part may still have its relationships part: follow it.
        origin = found if found is not None else resolve_target("", rel.target)[0]
        rels, origin_rels = self.relationships(origin)
        if origin_rels is None:
            self.add(
                "aasx/no-spec",
                f"The origin part /{origin} has no relationships part "
                f"({rels_part_for(origin)}), so there is no aas-spec relationship.",
                found,
            )
            return
        if rels is None:
            return
        specs: list[Relationship] = []
        for spec in rels:
            kind, unofficial = classify(spec.type)
            self.legacy(spec, origin_rels, kind, unofficial)
            if kind == "spec":
                specs.append(spec)
            else:
                self.other_relationship(spec, origin, origin_rels, kind)
        if not specs:
            self.add(
                "aasx/no-spec",
                f"{origin_rels} has no aas-spec relationship, so the package carries no "
                "AAS environment.",
                origin_rels,
            )
        seen: set[str] = set()
        for spec in specs:
            self.check_spec(spec, origin, origin_rels, seen)

    def check_spec(self, rel: Relationship, origin: str, rels_member: str, seen: set[str]) -> None:
        """Check one aas-spec part: its kind, its content and its supplementary files."""
        if not self.internal(rel, rels_member, "spec"):
            return
        member = self.target(rel, origin, rels_member, "spec")
        if member is None:
            return
        if member == origin or member in seen:
            what = "the origin part itself" if member == origin else "a part already listed"
            self.at_rel("aasx/recursive-relationship",
                        f"The aas-spec relationship points to {what} (/{member}); it was "
                        "not followed.", rels_member, rel)
            return
        seen.add(member)
        content_type = self.content_type(member)
        kind = part_kind(member, content_type)
        if kind is None:
            self.add(
                "aasx/unknown-part-type",
                f"The AAS spec part /{member} is neither JSON nor XML (by its extension"
                + (f" and its content type {content_type!r})." if content_type else ")."),
                member,
            )
            return
        data = self.pkg.read(member)
        if data is not None:
            environment = self.on_spec(member, kind, data)
            if environment is not None:
                self.check_files(member, kind, data, environment)
        rels, spec_rels = self.relationships(member)
        if rels is None or spec_rels is None:
            return
        for suppl in rels:
            suppl_kind, unofficial = classify(suppl.type)
            self.legacy(suppl, spec_rels, suppl_kind, unofficial)
            self.other_relationship(suppl, member, spec_rels, suppl_kind)

    # --- content types ----------------------------------------------------------------

    def check_content_types(self) -> None:
        """Find and parse ``[Content_Types].xml``."""
        exact, other = self.pkg.lookup(CONTENT_TYPES)
        member = exact or other
        if member is None:
            self.add("aasx/content-types",
                     "The package has no [Content_Types].xml, so its parts have no "
                     "content types.")
            return
        self.content_types_member = member
        data = self.pkg.read(member)
        if data is None:
            return
        self.content_types, problems = parse_content_types(data, Where(self.file, member))
        self.findings.extend(problems)

    def content_type(self, member: str) -> str | None:
        """The content type of a part, if ``[Content_Types].xml`` gives one."""
        return self.content_types.content_type(member) if self.content_types else None

    def check_part_content_types(self) -> None:
        """Every part needs a content type."""
        if self.content_types is None:
            return
        for member in self.pkg.names():
            if member != self.content_types_member and self.content_type(member) is None:
                self.add(
                    "aasx/missing-content-type",
                    f"[Content_Types].xml gives the part /{member} no content type.",
                    member,
                )

    # --- supplementary files ----------------------------------------------------------

    def check_files(self, member: str, kind: DocKind, data: bytes, env: dict[str, Any]) -> None:
        """Every File element whose value is a package path must name an existing part."""
        pending: list[Finding] = []
        for element, tokens in _file_elements(env):
            value = element.get("value")
            if not isinstance(value, str):
                continue
            candidates = file_candidates(member, value)
            if candidates is None:
                continue
            problem = self.file_problem(value, candidates)
            if problem is None:
                continue
            rule, message = problem
            path_tokens: list[Token] = [*tokens, "value"]
            path = (
                pointer_from_tokens(path_tokens)
                if kind == "json"
                else xml_path_from_tokens("Environment", path_tokens)
            )
            pending.append(
                Finding(
                    rule=rule,
                    severity=_SEVERITY[rule],
                    message=message,
                    location=Location(self.file, member, path),
                )
            )
        if not pending:
            return
        locator = JsonLocator(data) if kind == "json" else XmlLocator(data)
        for finding in pending:
            position = locator.locate(finding.location.path or "")
            self.findings.append(
                finding.located(position.line, position.column) if position else finding
            )

    def file_problem(
        self, value: str, candidates: list[tuple[str, str]]
    ) -> tuple[str, str] | None:
        """Why a File value names no part (rule, message), or ``None`` if it does."""
        element = f"{value!r}"
        variant: str | None = None
        for name, raw in candidates:
            exact, other = self.pkg.find(name, raw)
            if exact is not None:
                return None
            variant = variant or other
        if variant is not None:
            return (
                "aasx/case-mismatch",
                f"The File value {element} matches the member {variant!r} only when case "
                "is ignored.",
            )
        where = " or ".join(dict.fromkeys(f"/{name}" for name, _ in candidates))
        note = " (backslashes are not path separators in a package)" if "\\" in value else ""
        return (
            "aasx/missing-supplementary-file",
            f"The File value {element} names {where}, which is not in the package{note}.",
        )


def _file_elements(env: Any) -> Iterator[tuple[dict[str, Any], list[Token]]]:
    """Every File element of an environment (JSON form) with its tokens, in order."""
    stack: list[tuple[Any, list[Token]]] = [(env, [])]
    while stack:
        current, tokens = stack.pop()
        if isinstance(current, dict):
            if current.get("modelType") == "File":
                yield current, tokens
            items: list[tuple[Token, Any]] = list(current.items())
        elif isinstance(current, list):
            items = list(enumerate(current))
        else:
            continue
        for key, child in reversed(items):
            if isinstance(child, dict | list):
                stack.append((child, [*tokens, key]))


class PackageContent:
    """What a reader needs from a package: its spec parts and access to its files."""

    def __init__(self, package: ZipPackage | None, findings: list[Finding]) -> None:
        self._package = package
        self.findings = findings
        #: ``(member, kind, bytes)`` of every AAS spec part, in relationship order.
        self.spec_parts: list[tuple[str, DocKind, bytes]] = []

    def read_file(self, spec_member: str, value: str) -> tuple[str, bytes] | None:
        """The member and bytes a File element's ``value`` names (relative to its part)."""
        if self._package is None:
            return None
        for name, raw in file_candidates(spec_member, value) or []:
            exact, other = self._package.find(name, raw)
            member = exact or other
            if member is not None:
                data = self._package.read(member)
                if data is not None:
                    return member, data
        return None


def read_package(data: PackageSource, where: Where, limits: Limits) -> PackageContent:
    """Open a package for reading its AAS content (the walk's findings included).

    Args:
        data: The package's bytes.
        where: The input file.
        limits: Bounds for the zip reading.

    Returns:
        The spec parts and a reader for supplementary files; ``findings`` holds every
        packaging problem found on the way.
    """
    package, findings = open_package(data, where, limits)
    content = PackageContent(package, findings)
    if package is not None:

        def collect(member: str, kind: DocKind, part: bytes) -> dict[str, Any] | None:
            content.spec_parts.append((member, kind, part))
            return None

        _PackageCheck(package, collect).run()
    return content
