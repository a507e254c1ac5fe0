"""Load an aspect model: the file, its imports from models directories, the built-ins.

Imports are resolved the way samm-cli and the Catena-X repository lay models out: an element
``urn:samm:<namespace>:<version>#<Name>`` lives in ``<root>/<namespace>/<version>/<Name>.ttl``
(or in another ``.ttl`` file of that folder). Roots are the ``models_dirs`` given, then the
root of the tree the file sits in (when it follows that layout), then the file's own folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from omp_models.diagnostics import Finding, Location, Severity
from omp_models.samm import _model as m
from omp_models.samm._build import Builder, Issue
from omp_models.samm._metamodel import builtin_turtle
from omp_models.samm._rdf import Index, TurtleFile, parse_turtle, read_turtle
from omp_models.samm._vocab import SAMM, element_urn_parts

__all__ = ["AspectModel", "default_roots", "load_aspect", "resolve_urn"]


@dataclass
class AspectModel:
    """A loaded aspect model (or a shared model without an Aspect).

    Attributes:
        path: The file loaded.
        aspect: Its Aspect (``None`` for a file of shared elements).
        elements: The named elements defined in the file, by URN.
        meta_model_version: The meta-model version the file is written in (``2.1.0``, or
            ``bamm-1.0.0`` for legacy BAMM), ``None`` if none could be told.
        files: Every file read (the model first, then the imports).
        findings: Problems found while loading (syntax, imports, unusable elements).
        roots: The models directories imports were resolved from.
    """

    path: Path
    aspect: m.Aspect | None = None
    elements: dict[str, m.ModelElement] = field(default_factory=dict)
    meta_model_version: str | None = None
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)
    index: Index = field(default_factory=Index, repr=False)
    main: TurtleFile | None = field(default=None, repr=False)
    builder: Builder | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Whether loading found no errors (generators refuse models that are not)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def urn(self) -> str | None:
        """The Aspect's URN."""
        return self.aspect.urn if self.aspect else None

    def all_elements(self) -> list[m.ModelElement]:
        """Every element built, defined in this file or imported."""
        return list(self.builder.built().values()) if self.builder else []


def default_roots(path: Path) -> list[Path]:
    """Models directories for a file: the root of its ``<ns>/<version>/`` tree, if it has one."""
    resolved = path.resolve()
    parent = resolved.parent
    if len(resolved.parents) >= 3 and _looks_like_version(parent.name):
        return [parent.parent.parent]
    return []


def _looks_like_version(name: str) -> bool:
    parts = name.split(".")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


def _candidates(root: Path, namespace: str, version: str, name: str) -> list[Path]:
    folder = root / namespace / version
    first = folder / f"{name}.ttl"
    out = [first] if first.is_file() else []
    if folder.is_dir():
        out.extend(p for p in sorted(folder.glob("*.ttl")) if p != first and p.is_file())
    return out


def resolve_urn(urn: str, roots: list[Path]) -> tuple[Path, TurtleFile] | None:
    """The file under ``roots`` that defines ``urn`` (``<root>/<ns>/<version>/<Name>.ttl``)."""
    parts = element_urn_parts(urn)
    if parts is None:
        return None
    for root in roots:
        for candidate in _candidates(root, *parts):
            turtle = read_turtle(candidate)
            if urn in turtle.defined:
                return candidate, turtle
    return None


def load_aspect(path: str | os.PathLike[str],
                models_dirs: Sequence[str | os.PathLike[str]] = (), *,
                data: bytes | None = None, name: str | None = None) -> AspectModel:
    """Load an aspect model and everything it imports.

    Args:
        path: The Turtle file.
        models_dirs: Roots to resolve imports from (default: the file's own tree).
        data: The file's content, if already read (then ``path`` only names it).
        name: The name to report for the file (default: ``path`` as given).

    Returns:
        The model; problems are in ``findings`` (it never raises on bad input).
    """
    file_path = Path(path)
    shown = name or str(path)
    roots = [Path(d) for d in models_dirs]
    roots += [r for r in default_roots(file_path) if r not in roots]
    model = AspectModel(path=file_path, roots=roots)
    main = parse_turtle(data, file_path) if data is not None else read_turtle(file_path)
    model.main = main
    model.files.append(file_path)
    shown_of = {id(main): shown}
    for problem in main.problems:
        severity = Severity.ERROR
        model.findings.append(_finding(problem.rule, severity, problem.message, shown,
                                       None, problem.line))
    if not main.triples:
        if not main.problems:
            model.findings.append(_finding("samm/no-elements", Severity.ERROR,
                                           "The file defines no SAMM elements.", shown))
        return model
    _check_version(model, main, shown)
    index = model.index
    index.add(main)
    for builtin in builtin_turtle():
        index.add(builtin)
    unresolved = _resolve_imports(model, main, [*roots, file_path.resolve().parent], shown_of)
    builder = Builder(index)
    model.builder = builder
    aspects = [s for s in main.defined if f"{SAMM}Aspect" in index.types(URIRef(s))]
    if len(aspects) > 1:
        model.findings.append(_finding(
            "samm/multiple-aspects", Severity.ERROR,
            f"The file defines {len(aspects)} Aspects; a model file has at most one.", shown,
            sorted(aspects)[1], main.line_of(sorted(aspects)[1])))
    if aspects:
        model.aspect = builder.aspect(URIRef(sorted(aspects)[0]))
    for iri in sorted(main.defined):
        element = builder.element(URIRef(iri))
        if element is not None and element.urn is not None:
            model.elements[element.urn] = element
    for issue in builder.issues:
        if issue.rule == "samm/unresolved-reference" and issue.iri in unresolved:
            continue
        model.findings.append(_issue_finding(issue, model, shown_of))
    model.findings = _dedupe(model.findings)
    return model


def _check_version(model: AspectModel, main: TurtleFile, shown: str) -> None:
    versions = sorted(main.versions)
    unknown = [v for v in versions if v not in ("1.0.0", "2.0.0", "2.1.0", "2.2.0",
                                                "bamm-1.0.0", "bamm-2.0.0")]
    if unknown:
        model.findings.append(_finding(
            "samm/unsupported-version", Severity.ERROR,
            f"Meta-model version {', '.join(unknown)} is not supported (supported: SAMM 2.0.0, "
            "2.1.0, 2.2.0 and legacy BAMM 1.0.0, 2.0.0).", shown))
    if len(versions) > 1:
        model.findings.append(_finding(
            "samm/mixed-versions", Severity.ERROR,
            f"The file uses several meta-model versions ({', '.join(versions)}).", shown))
    if versions:
        model.meta_model_version = versions[-1]
    legacy = [v for v in versions if v.startswith("bamm-")]
    if legacy:
        version = legacy[0][5:]
        needle = f"urn:bamm:io.openmanufacturing:meta-model:{version}"
        at = main.text.find(needle)
        model.findings.append(_finding(
            "samm/bamm-legacy", Severity.WARNING,
            f"The model uses the legacy BAMM meta model ({needle}); it was read as SAMM "
            "2.2.0. Migrate it to SAMM.", shown, None,
            main.text.count("\n", 0, at) + 1 if at >= 0 else None,
            hint="Run `samm aspect <file> migrate` (samm-cli) or rewrite the urn:bamm: "
                 "prefixes to urn:samm:org.eclipse.esmf.samm:*:2.2.0 and drop bamm:name."))


def _resolve_imports(model: AspectModel, main: TurtleFile, roots: list[Path],
                     shown_of: dict[int, str]) -> set[str]:
    """Add the files defining referenced elements; return the URNs that were not found."""
    index = model.index
    pending: list[tuple[str, TurtleFile]] = [(urn, main) for urn in main.referenced()]
    unresolved: set[str] = set()
    searched: set[str] = set()
    while pending:
        urn, referrer = pending.pop()
        if urn in index.origin or urn in searched:
            continue
        searched.add(urn)
        found = resolve_urn(urn, roots)
        if found is None:
            unresolved.add(urn)
            ns_ver = element_urn_parts(urn)
            assert ns_ver is not None
            expected = f"{ns_ver[0]}/{ns_ver[1]}/{ns_ver[2]}.ttl"
            where = ", ".join(str(r) for r in roots) or "(no models directory)"
            model.findings.append(_finding(
                "samm/unresolved-import", Severity.ERROR,
                f"{urn} is not defined in the file nor found as {expected} under {where}.",
                shown_of.get(id(referrer), str(referrer.path)), urn, referrer.line_of(urn),
                hint="Give the folder that holds it with --models-dir (the root of the "
                     "<namespace>/<version>/ tree)."))
            continue
        file_path, turtle = found
        if any(f is turtle for f in index.files):
            continue
        index.add(turtle)
        model.files.append(file_path)
        shown_of[id(turtle)] = str(file_path)
        for problem in turtle.problems:
            model.findings.append(_finding(problem.rule, Severity.ERROR, problem.message,
                                           str(file_path), None, problem.line))
        pending.extend((ref, turtle) for ref in turtle.referenced())
    return unresolved


def _finding(rule: str, severity: Severity, message: str, file: str, path: str | None = None,
             line: int | None = None, hint: str | None = None) -> Finding:
    return Finding(rule=rule, severity=severity, message=message,
                   location=Location(file, None, path, line), hint=hint)


def _issue_finding(issue: Issue, model: AspectModel, shown_of: dict[int, str]) -> Finding:
    turtle = model.index.origin.get(issue.iri) if issue.iri else None
    file = shown_of.get(id(turtle), str(turtle.path)) if turtle else shown_of[id(model.main)]
    line = turtle.line_of(issue.iri) if turtle and issue.iri else None
    return _finding(issue.rule, Severity(issue.severity), issue.message, file, issue.iri, line)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    out: list[Finding] = []
    for finding in findings:
        if finding.fingerprint not in seen:
            seen.add(finding.fingerprint)
            out.append(finding)
    return out
